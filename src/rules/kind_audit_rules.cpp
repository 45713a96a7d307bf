#include "rules/kind_audit_rules.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "util/boot_persistence_keys.h"

namespace auditeql::rules {
namespace {

constexpr std::array<std::string_view, 5> kCostClassNames = {"busy_directories", "file_syscalls", "network",
                                                             "process_end", "signals"};

// Checked with auditctl 3.0.9 (x86_64): i386 has no accept (only accept4
// and socketcall) and names the 32-bit-id calls set*id32; glibc uses those.
const std::vector<KindAuditRules>& table() {
  static const std::vector<KindAuditRules> kTable = {
      {"process", "start", "exec", "process starts", false,
       {{"execve,execveat", "execve,execveat", "-F success=1"}}, kExecKey, CostClass::None,
       "Each successful execve/execveat, for 64-bit and 32-bit callers. The two ABIs need their own lines: a 32-bit "
       "program that runs cp is logged with arch=40000003 and the i386 syscall numbers (11, 358) and only the b32 line "
       "sees it. execveat is there for fexecve() and interpreters that exec through a file descriptor (the PATH record "
       "then has an empty name). success=1 leaves out the failed attempts execvp() makes while it walks $PATH: they "
       "are not process starts and would triple the record volume. Loaded whatever the rules: every event's "
       "process.* comes from these records."},

      // Creations through openat2 are missed: its flags are in a struct in user memory, which audit cannot filter.
      {"file", "creation", "creation", "file creations", true,
       {{"openat", "openat", "-F a2&0x40 -F success=1"},
        {"open", "open", "-F a1&0x40 -F success=1"},
        {"creat,mkdir,mkdirat", "creat,mkdir,mkdirat", "-F success=1"}},
       "aeql_file", CostClass::FileSyscalls,
       "Every creation on the host: opens with O_CREAT (0x40 in openat's a2, open's a1), which every program that "
       "writes a file makes, existing file or not, and the calls that make directories. Links and device nodes "
       "are left out: like Elastic Defend, auditeql reports no creation for them. openat2 cannot be filtered on its "
       "flags (they are in user memory) and is left out."},

      {"file", "change", "rename", "file renames", true,
       {{"rename,renameat,renameat2", "rename,renameat,renameat2", "-F success=1"}}, "aeql_file",
       CostClass::FileSyscalls,
       "Every rename on the host: editors, package managers and anything that writes a file safely rename a "
       "temporary file over it."},

      {"file", "deletion", "deletion", "file deletions", true,
       {{"unlink,unlinkat,rmdir", "unlink,unlinkat,rmdir", "-F success=1"}}, "aeql_file", CostClass::FileSyscalls,
       "Every deletion on the host, temporary files included."},

      {"network", "start", "connection_attempted", "outbound connections", false,
       {{"connect", "connect", ""}}, "aeql_net", CostClass::Network,
       "Every connect on the host, Unix sockets included (auditeql drops those, but audit cannot tell them apart). "
       "No success filter: a non-blocking connect, what clients and reverse shells do, returns EINPROGRESS."},

      {"network", "start", "connection_accepted", "accepted connections", false,
       {{"accept,accept4", "accept4", "-F success=1"}, {"bind", "bind", "-F success=1"}}, "aeql_net",
       CostClass::Network,
       "Every accepted connection (the peer), and every bind, which gives the local address and port of later "
       "accepts on that socket."},

      {"process", "change", "uid_change", "user id changes", false,
       {{"setuid,setreuid,setresuid", "setuid,setreuid,setresuid,setuid32,setreuid32,setresuid32", "-F success=1"}},
       "aeql_id", CostClass::None, "Successful set*uid calls: logins, sudo, su, cron, daemons dropping privileges."},

      {"process", "change", "gid_change", "group id changes", false,
       {{"setgid,setregid,setresgid", "setgid,setregid,setresgid,setgid32,setregid32,setresgid32", "-F success=1"}},
       "aeql_id", CostClass::None, "Successful set*gid calls: logins, sudo, su, cron, daemons dropping privileges."},

      {"process", "change", "session_id_change", "new sessions", false, {{"setsid", "setsid", "-F success=1"}},
       "aeql_id", CostClass::None, "Successful setsid calls: daemons and terminals starting a session."},

      {"process", "start", "load_module", "kernel module loads", false,
       {{"init_module,finit_module", "init_module,finit_module", ""}}, "aeql_module", CostClass::None,
       "Module loads, whatever their result (Auditd Manager's rules alert on attempts too). Rare."},

      {"driver", "start", "loaded-kernel-module", "kernel module loads (Auditd Manager's form)", false,
       {{"init_module,finit_module", "init_module,finit_module", ""}}, "aeql_module", CostClass::None,
       "Module loads, whatever their result (Auditd Manager's rules alert on attempts too). Rare."},

      {"process", "end", "end", "process ends", false, {{"exit_group", "exit_group", ""}}, "aeql_end",
       CostClass::ProcessEnd, "One record per process exit on the host, as many as there are process starts."},

      {"process", "end", "killed-pid", "signals sent", false, {{"kill,tkill,tgkill", "kill,tkill,tgkill", ""}},
       "aeql_signal", CostClass::Signals,
       "Every signal sent on the host, including the kill(pid, 0) probes that supervisors and pid-file checks make "
       "all the time."},

      {"process", "info", "", "process name changes (prctl PR_SET_NAME)", false,
       {{"prctl", "prctl", "-F a0=15"}}, "aeql_prctl", CostClass::None,
       "prctl(PR_SET_NAME, ...) only (a0=15): the option Elastic's rules test; prctl is called often for others."},
  };
  return kTable;
}

}  // namespace

std::span<const std::string_view> cost_class_names() { return kCostClassNames; }

std::string_view to_string(CostClass cost) {
  if (cost == CostClass::None) return "none";
  return kCostClassNames[static_cast<size_t>(cost) - 1];
}

std::optional<CostClass> parse_cost_class(std::string_view name) {
  const auto it = std::find(kCostClassNames.begin(), kCostClassNames.end(), name);
  if (it == kCostClassNames.end()) return std::nullopt;
  return static_cast<CostClass>(it - kCostClassNames.begin() + 1);
}

std::span<const KindAuditRules> kind_audit_rules() { return table(); }

const KindAuditRules* find_kind_audit_rules(const ecs::KindClassification& c) {
  for (const auto& entry : table()) {
    if (entry.category == c.category && entry.type == c.type && entry.action == c.action) return &entry;
  }
  return nullptr;
}

std::string watch_key(std::string_view path) {
  if (path == "/boot") return std::string(util::kBootWatchKey);
  if (path == "/usr/lib/dracut/modules.d" || path == "/lib/dracut/modules.d") return std::string(util::kDracutWatchKey);
  std::string key = "aeql_w";
  for (const char c : path) key += c == '/' ? '_' : c;
  // The kernel takes keys of up to 256 bytes (AUDIT_MAX_KEY_LEN); a long path
  // keeps its start and a hash of the whole, so keys stay distinct.
  constexpr size_t kMaxKey = 200;
  if (key.size() > kMaxKey) {
    uint32_t hash = 2166136261u;  // FNV-1a
    for (const char c : path) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    char suffix[10];
    std::snprintf(suffix, sizeof suffix, "_%08x", hash);
    key.resize(kMaxKey - 9);
    key += suffix;
  }
  return key;
}

}  // namespace auditeql::rules
