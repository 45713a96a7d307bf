#pragma once
// auditeql.yaml: the plugin's configuration (see conf/auditeql.yaml and
// auditeql.yaml(5) for every key). Missing keys keep their defaults.
#include <cstdint>
#include <string>
#include <vector>

#include "rules/diagnostics.h"

namespace auditeql::app {

inline constexpr const char* kDefaultConfigPath = "/etc/auditeql/auditeql.yaml";

// The range of max_alert_bytes (and of replay --max-alert-bytes).
inline constexpr int64_t kMinAlertBytes = 2048;
inline constexpr int64_t kMaxAlertBytes = 1 << 20;

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
  int64_t health_alert_interval_seconds = 600;      // repeat of the "configuration refused" alert
  bool building_block_alerts = false;               // send building-block rules' alerts to the sinks
  size_t join_max_events = 65536;                   // events held by open sequences and samples, all rules
  // The costly audit rules `auditeql audit-rules` writes in instead of
  // commenting out: cost class names (rules/kind_audit_rules.h) and busy
  // directories, each absolute. `true` in the file: every class.
  std::vector<std::string> audit_rules_costly;

  std::string source;  // the file read, or "(defaults)"
};

// Defaults, with `shipped_rules_dir` as the first rule directory.
Config default_config(const std::string& shipped_rules_dir);

// Reads `path` over the defaults. Errors (with file positions) go to
// `diagnostics`. A key with an error keeps its default and the other keys
// apply; a file that cannot be read or parsed gives the defaults.
Config load_config(const std::string& path, const std::string& shipped_rules_dir, rules::Diagnostics& diagnostics);

// What the plugin and `check` read: load_config, except that a file a
// non-root user could change is refused whole (the defaults, and an error),
// and a missing kDefaultConfigPath is simply the defaults.
Config load_plugin_config(const std::string& path, const std::string& shipped_rules_dir,
                          rules::Diagnostics& diagnostics);

// The rules that come with the program, found from where the running binary
// is: ../share/auditeql/rules from its directory in the default layout, so an
// install under any prefix (or staged under DESTDIR) finds its own; for a
// binary of the build tree, with nothing installed next to it, conf/rules of
// the source tree.
std::string shipped_rules_dir();
// The same for the binary at `executable` (an absolute, resolved path).
std::string shipped_rules_dir(const std::string& executable);

}  // namespace auditeql::app
