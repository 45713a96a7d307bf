#pragma once
// Runs the auditeql binary (or any program) and captures what it printed.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "support/corpus.h"

namespace auditeql::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` with `input` on stdin; stdout and stderr are collected through
// temporary files so large outputs cannot dead-lock a pipe.
inline CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = {}) {
  const auto dir = std::filesystem::temp_directory_path() / ("auditeql-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto in_path = dir / "stdin", out_path = dir / "stdout", err_path = dir / "stderr";
  { std::ofstream(in_path, std::ios::binary) << input; }
  const pid_t child = fork();
  if (child == 0) {
    const int in = open(in_path.c_str(), O_RDONLY);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  std::filesystem::remove_all(dir);
  return result;
}

// Alerts with their event.id and event.created blanked: the two fields that
// differ between two runs over the same input.
inline std::string without_alert_stamps(std::string text) {
  static const std::regex stamps(R"re("(created|id)":"[-0-9a-fA-FTZ:.]+")re");
  return std::regex_replace(text, stamps, "\"$1\":\"\"");
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace auditeql::testing
