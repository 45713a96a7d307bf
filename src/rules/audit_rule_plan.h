#pragma once
// The audit rules a set of detection rules needs, derived from the rules
// themselves (`auditeql audit-rules`): which event kinds each rule can match
// (rules/event_kinds_matched.h), the syscall rules that produce them
// (rules/kind_audit_rules.h), and, for file events, the fixed directories
// and files the rule's conditions on paths name, which watches record at a
// fraction of the cost of system-wide syscall rules.
//
// Rules whose records would be too many (busy trees, system-wide file
// syscalls, connects, exits, signals) are written commented out, with the
// names of the rules that need them, unless the options opt in.
#include <functional>
#include <string>
#include <vector>

#include "rules/kind_audit_rules.h"
#include "rules/rule.h"

namespace auditeql::rules {

enum class PathState : uint8_t { Directory, NotDirectory, Missing };

struct AuditRuleOptions {
  // audit_rules_costly: the classes whose rules are written in, and single
  // busy directories whose watches are.
  std::vector<CostClass> costly;
  std::vector<std::string> costly_directories;
  // Directories watched whatever the rules (the configuration's watched_directories).
  std::vector<std::string> extra_watches;
  // What a path is on the host the rules are for; a watch whose directory is
  // missing is written commented out (auditctl would stop augenrules at it,
  // or add a watch that is not recursive). Null: not checked, every watch is
  // written (for a file installed on other hosts).
  std::function<PathState(const std::string& path)> path_state;
};

struct AuditRuleWatch {
  enum class State : uint8_t {
    Loaded,
    Busy,     // a busy tree not opted in
    Missing,  // the directory (for a file, its parent) is missing on this host
  };
  std::string path;
  bool directory = true;  // -w DIR, recursive; false: one file (-F path=)
  std::string key;
  std::vector<std::string> needed_by;  // rule names; "watched_directories" for the configuration's
  State state = State::Loaded;
};

struct AuditRuleSection {
  std::vector<const KindAuditRules*> kinds;  // one or more kinds the same syscall rules serve
  std::vector<std::string> needed_by;        // rule names
  bool loaded = true;                        // false: costly, written commented out
  bool only_elsewhere = false;               // file kinds needed outside any fixed directory
};

// A rule that tests file events but names no fixed directory or file for them.
struct UnplacedRule {
  std::string name;
  std::vector<std::string> needs;  // "file creations", ...
};

struct AuditRulePlan {
  size_t rules = 0;                           // rules the plan serves
  std::vector<AuditRuleSection> sections;     // syscall rules beyond exec and fork, in table order
  std::vector<AuditRuleWatch> watches;        // merged, in the order written
  std::vector<UnplacedRule> unplaced;
  std::vector<std::string> matching_nothing;  // rules that can match no event kind auditeql builds
  std::vector<std::string> not_loaded;        // set by the caller: rules that did not load, with why
  // Kinds (category/type/action) some rule can match that kind_audit_rules()
  // has no entry for: a gap in that table, said loudly in the output.
  std::vector<std::string> kinds_without_rules;
  bool directories_checked = false;
  std::vector<CostClass> costly;              // the classes opted in
};

// One rule to serve: its name and query (event, sequence or sample).
struct ServedRule {
  std::string name;
  std::string query;
};

// Throws nothing: a query that does not parse serves nothing (the rule set
// loader has refused it already).
AuditRulePlan plan_audit_rules(const std::vector<ServedRule>& rules, const AuditRuleOptions& options);

// The augenrules file: every line commented with what it serves and costs.
std::string render_audit_rules(const AuditRulePlan& plan);

// Whether a directory watch on `path` records the constant writes of a busy
// tree (/home, /tmp, all of /usr/lib, or a directory holding one).
bool is_busy_directory(std::string_view path);

}  // namespace auditeql::rules
