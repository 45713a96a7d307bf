#pragma once
// The audit rules that tell the offline commands (replay, events) which
// directory each audit key watches, for names created relative to a
// directory fd in a directory the log never names (normalize/watched_directories.h).
#include <string>
#include <string_view>
#include <vector>

#include "normalize/normalizer.h"
#include "normalize/watched_directories.h"

namespace auditeql::app {

// rules.d/auditeql.rules as shipped, compiled in (bundled_audit_rules.cpp.in):
// a log of a host running the bundled rules can be replayed anywhere.
extern const std::string_view kBundledAuditRules;

struct AuditRulesSources {
  std::vector<std::string> files;              // named by the user (--audit-rules); replace the defaults
  std::string rules_d = "/etc/audit/rules.d";  // default: its *.rules, then the bundled rules
  // --host-inodes: also walk this host's watched directories into the inode
  // map, as the plugin does. Only right when the log is of this host and its
  // directories kept their inodes since; never done unless asked.
  bool host_inodes = false;
};

struct LoadedWatches {
  normalize::WatchedDirectories watched;
  std::vector<std::string> warnings;  // default files that could not be read
  std::string error;                  // a named file that could not be read
};

// Named files: exactly those, in order; one that cannot be read is an error
// (the user said the log came from them). Otherwise every *.rules file of
// rules_d in augenrules' order (version sort), then the bundled rules; an
// unreadable one is a warning.
LoadedWatches load_audit_watches(const AuditRulesSources& sources);

// Loads the watches into `normalizer` (and seeds its inode map when asked);
// warnings and errors go to standard error, prefixed with the command name.
// False on error.
bool configure_watches(const AuditRulesSources& sources, normalize::Normalizer& normalizer, std::string_view command);

}  // namespace auditeql::app
