#pragma once
// auditeql.yaml: the plugin's configuration (see conf/auditeql.yaml and
// auditeql.yaml(5) for every key). Missing keys keep their defaults.
#include <cstdint>
#include <string>
#include <vector>

#include "rules/diagnostics.h"

namespace auditeql::app {

inline constexpr const char* kDefaultConfigPath = "/etc/auditeql/auditeql.yaml";

struct Config {
  std::vector<std::string> rule_directories;       // later ones override earlier ones by rule id
  std::vector<std::string> exception_directories;
  std::string syslog_facility = "authpriv";
  int syslog_facility_code = 0;                     // resolved LOG_* value
  size_t max_alert_bytes = 8192;
  int64_t throttle_window_seconds = 300;
  std::string alert_file;                           // optional NDJSON sink
  size_t process_table_size = 32768;
  size_t inode_map_size = 65536;
  bool proc_lookup = true;
  std::string host_name;                            // empty: the machine's name
  std::vector<std::string> watched_directories;     // walked at start-up to seed the inode map
  size_t queue_bytes = 16 << 20;                    // input buffered between reader and pipeline
  int64_t max_read_pause_ms = 20;                   // longest wait between reads of auditd's socket
  bool building_block_alerts = false;               // send building-block rules' alerts to the sinks

  std::string source;  // the file read, or "(defaults)"
};

// Defaults, with `shipped_rules_dir` as the first rule directory.
Config default_config(const std::string& shipped_rules_dir);

// Reads `path` over the defaults. Errors (with file positions) go to
// `diagnostics`; the returned config is only meaningful without errors.
Config load_config(const std::string& path, const std::string& shipped_rules_dir, rules::Diagnostics& diagnostics);

// The rules that come with the package: installed, or conf/rules of the
// source tree when this binary runs from a build directory.
std::string shipped_rules_dir();

}  // namespace auditeql::app
