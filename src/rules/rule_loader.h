#pragma once
// Reads rule files (auditeql's YAML, Elastic's detection-rules TOML) and
// exception files (YAML).
//
// Rules: one rule per file. Directories are read in the order given, files
// in name order; a rule whose id was already loaded is an override: the keys
// it sets replace the earlier ones (`enabled: false` alone disables a
// shipped rule). A rule directory that is the root of a detection-rules
// checkout stands for its directories of Linux rules. Exceptions: files
// holding a list of {rule_id, condition, description}, attached to their
// rule. Every problem is reported with its file position, and every file a
// directory holds that is not read is reported: nothing is skipped silently.
//
// A file applies whole or not at all: one with any error (YAML, a key, a
// query or exception that does not compile, or refused for its ownership)
// adds nothing, and the others still load. What that means for detection:
// a refused new rule does not run; a refused override leaves the rule as
// the earlier files defined it (a refused `enabled: false` leaves the rule
// enabled); a refused exception file leaves its rules alerting without any
// of its exceptions. So a mistake can cost the rule it defines, never
// switch off or narrow one that loaded. Callers decide whether to run with
// what loaded (the plugin) or stop (replay, check).
#include <functional>
#include <string>
#include <vector>

#include "rules/diagnostics.h"
#include "rules/rule.h"

namespace auditeql::rules {

struct RuleDirectory {
  std::string path;
  bool optional = false;  // a missing optional directory is not an error
};

struct RuleSources {
  std::vector<RuleDirectory> rule_dirs;       // shipped first, local overrides after
  std::vector<RuleDirectory> exception_dirs;
  // Refuse files and directories a non-root user could change (they would
  // let any local user switch detection off). Enforced only when running as root.
  bool require_root_owned = false;
};

struct LoadedRules {
  std::vector<RuleDefinition> rules;            // enabled and disabled, in load order
  std::vector<ExceptionDefinition> exceptions;  // from exception files (rule files carry their own)
  std::vector<std::string> files;               // every file read
  std::vector<std::string> directories;         // every rule directory read (checkouts expanded)
};

// The directories of a detection-rules checkout that hold Linux rules
// (rules/cross-platform and rules_building_block hold other platforms' too).
inline constexpr const char* kCheckoutRuleDirectories[] = {"rules/linux", "rules/cross-platform",
                                                           "rules_building_block"};

// Whether `dir` is the root of a checkout of Elastic's detection-rules repository.
bool is_detection_rules_checkout(const std::string& dir);

LoadedRules load_rule_sources(const RuleSources& sources, Diagnostics& diagnostics);

// Single-file entry points (used by the loader and by tests). A rule file is
// read as TOML when its name ends in .toml, else as YAML.
void load_rule_file(const std::string& path, LoadedRules& into, Diagnostics& diagnostics);
void load_exception_file(const std::string& path, LoadedRules& into, Diagnostics& diagnostics);

// Builds the rule `id` from one file: on top of the rule already loaded with
// that id (an override, key by key), or from nothing. `apply(rule,
// is_override)` sets the file's keys and reports its problems; the rule is
// stored only when no error was reported since `errors_before` and it still
// compiles (its query when enabled or `sets_query`, and its exceptions):
// a file applies whole or not at all.
void merge_rule(LoadedRules& into, const std::string& id, bool sets_query, Diagnostics& diagnostics,
                size_t errors_before,
                const std::function<void(RuleDefinition& rule, bool is_override)>& apply);

// The problem with `path`'s ownership or mode, or "" when it is safe to trust.
std::string insecure_path_problem(const std::string& path);

}  // namespace auditeql::rules
