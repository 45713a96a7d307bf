#pragma once
// The options of one command, declared once with Boost.Program_options: the
// same declaration parses the arguments and writes the option part of the
// command's --help, so the two cannot drift apart.
//
//   CommandLine cli("replay", kIntro);
//   cli.text("config", "FILE", &config_path, "take ... from FILE")
//      .arguments(&files);
//   if (auto status = cli.parse(args)) return *status;
//
// Accepted forms: --name VALUE, --name=VALUE, flags, repeatable options, and
// "--" to make every later argument a plain one; names must be spelled out
// in full. Numbers are whole decimal numbers checked against their range.
#include <boost/program_options/options_description.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace auditeql::app {

class CommandLine {
 public:
  // `command`: as in "auditeql replay: unknown option --x". `intro`: the
  // usage line and a short description, printed before the options;
  // `outro` (exit status, say) after them. --help is always declared.
  CommandLine(std::string command, std::string intro, std::string outro = {});

  CommandLine& flag(const char* name, bool* target, const char* help);
  CommandLine& text(const char* name, const char* value_name, std::string* target, const char* help);
  // May be given several times; each value is appended, in order.
  CommandLine& texts(const char* name, const char* value_name, std::vector<std::string>* target, const char* help);
  // A whole number from `min` to `max` (the range is added to the help).
  CommandLine& number(const char* name, const char* value_name, std::optional<uint64_t>* target, uint64_t min,
                      uint64_t max, const char* help);
  // The arguments that are not options; more than `max` is a usage error.
  CommandLine& arguments(std::vector<std::string>* target, size_t max = std::numeric_limits<size_t>::max());

  // nullopt: run the command. Otherwise the exit status to return: 0 after
  // printing the help, 2 after a usage error (reported with the usage).
  std::optional<int> parse(const std::vector<std::string>& args);

  std::string usage() const;
  // "auditeql COMMAND: MESSAGE" and the usage on standard error; returns 2.
  int usage_error(const std::string& message) const;

 private:
  std::string command_;
  std::string intro_;
  std::string outro_;
  boost::program_options::options_description options_;
  bool help_ = false;
  std::vector<std::string>* arguments_ = nullptr;
  size_t max_arguments_ = 0;
};

}  // namespace auditeql::app
