#pragma once
// Which audit rules make auditd record each kind of event auditeql builds:
// the one place that ties an event kind to syscalls. Entries are keyed by the
// kind's classification strings (event.category, event.type, event.action;
// ecs::classification), not by ecs::EventKind, so that a kind added to the
// normalizer finds its entry here by what it reports, and entries can exist
// before the kind does (src/normalize/EVENT-KINDS.md lists the kinds and the
// syscalls they come from). A test checks that every kind has one.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ecs/event.h"

namespace auditeql::rules {

// Audit rules whose records are too many to load without being asked for:
// written commented out, unless the configuration names their class in
// audit_rules_costly.
enum class CostClass : uint8_t {
  None,             // cheap enough to load for any rule that needs it
  BusyDirectories,  // watches on trees written all day (/home, /tmp, all of /usr/lib ...)
  FileSyscalls,     // creations, renames or deletions anywhere on the host
  Network,          // every connect, accept and bind
  ProcessEnd,       // every process exit
  Signals,          // every kill
};

// The names audit_rules_costly takes, in CostClass order (None excluded).
std::span<const std::string_view> cost_class_names();
std::string_view to_string(CostClass cost);
std::optional<CostClass> parse_cost_class(std::string_view name);

// One syscall rule for both ABIs:
//   -a always,exit -F arch=b64 -S <b64> <filter> -k <key>
//   -a always,exit -F arch=b32 -S <b32> <filter> -k <key>
// The lists differ where i386 names differ (setuid32) or lack a call (accept).
struct SyscallRule {
  std::string_view b64;
  std::string_view b32;
  std::string_view filter;  // the -F fields after -S (may be empty)
};

struct KindAuditRules {
  std::string_view category;  // event.category, event.type, event.action of the kind served
  std::string_view type;
  std::string_view action;    // "" for a kind that has none
  std::string_view what;      // "file deletions", for the comments of the derived file
  // File kinds: in a fixed directory, a watch (-w DIR -p wa) records them, and
  // `syscalls` are what records them anywhere on the host.
  bool watchable = false;
  std::vector<SyscallRule> syscalls;
  std::string_view key;
  CostClass cost = CostClass::None;
  std::string_view why;  // what the syscalls and filters are for, and what they cost
};

std::span<const KindAuditRules> kind_audit_rules();

// The entry of the kind classified as `c`; null when there is none.
const KindAuditRules* find_kind_audit_rules(const ecs::KindClassification& c);

// Keys of the rules that are not for one kind: every exec (process.* of all
// events) and every process creation (the parents that never exec'd). They
// keep the names of auditeql's first rule file, so that logs recorded with it
// read the same.
inline constexpr std::string_view kExecKey = "bp_exec";
inline constexpr std::string_view kForkKey = "bp_fork";

// The key of the watch on `path`: one key per watched path, so that replay
// can tell which directory a name created through a directory fd went to
// (normalize/watched_directories.h). /boot and the dracut module directories
// keep the keys of auditeql's first rule file; any other is "aeql_w" and
// the path with '/' as '_' (cut, with a hash, past the kernel's limit).
std::string watch_key(std::string_view path);

}  // namespace auditeql::rules
