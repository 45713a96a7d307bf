#include "app/audit_rules.h"

#include <algorithm>
#include <cstring>
#include <iostream>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "normalize/procfs.h"

namespace auditeql::app {
namespace {

namespace fs = std::filesystem;

bool read_rules_file(const std::string& path, std::string& text, std::string& error) {
  // Not only regular files: `--audit-rules <(auditctl -l)` names a pipe.
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = path + ": is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream content;
  content << in.rdbuf();
  text = content.str();
  return true;
}

// augenrules reads rules.d in `ls -v` order; strverscmp (glibc) orders the
// usual names (10-base.rules, 99-finalize.rules, auditeql.rules) the same way.
std::vector<std::string> rules_files_in(const std::string& directory) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() == ".rules") files.push_back(p.string());
  }
  std::sort(files.begin(), files.end(),
            [](const std::string& a, const std::string& b) { return strverscmp(a.c_str(), b.c_str()) < 0; });
  return files;
}

}  // namespace

LoadedWatches load_audit_watches(const AuditRulesSources& sources) {
  LoadedWatches loaded;
  std::string text, error;
  if (!sources.files.empty()) {
    for (const auto& file : sources.files) {
      if (!read_rules_file(file, text, error)) {
        loaded.error = error;
        return loaded;
      }
      loaded.watched.add_rules(text);
    }
    return loaded;
  }
  for (const auto& file : rules_files_in(sources.rules_d)) {
    if (read_rules_file(file, text, error)) {
      loaded.watched.add_rules(text);
    } else {
      loaded.warnings.push_back(error);
    }
  }
  loaded.watched.add_rules(kBundledAuditRules);
  return loaded;
}

bool configure_watches(const AuditRulesSources& sources, normalize::Normalizer& normalizer, std::string_view command) {
  LoadedWatches loaded = load_audit_watches(sources);
  for (const auto& warning : loaded.warnings) std::cerr << "auditeql " << command << ": warning: " << warning << "\n";
  if (!loaded.error.empty()) {
    std::cerr << "auditeql " << command << ": " << loaded.error << "\n";
    return false;
  }
  if (sources.host_inodes) {
    const size_t seeded = normalize::seed_inode_paths(normalizer.inodes(), loaded.watched.all_directories());
    std::cerr << "auditeql " << command << ": " << seeded << " directories of this host's watched trees known\n";
  }
  normalizer.set_watched_directories(std::move(loaded.watched));
  return true;
}

}  // namespace auditeql::app
