#pragma once
// What /proc says about live processes, for the plugin: seeding the process
// table at start-up and looking up parents the audit stream never showed
// (started before auditeql, or forked without fork tracking).
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "ecs/event.h"
#include "normalize/inode_paths.h"
#include "normalize/normalizer.h"
#include "normalize/process_table.h"

namespace auditeql::normalize {

struct ProcSnapshot {
  std::string exe;                // /proc/PID/exe target, " (deleted)" removed
  std::vector<std::string> argv;  // /proc/PID/cmdline
  std::string cwd;                // /proc/PID/cwd target
  uint64_t start_time = 0;        // field 22 of /proc/PID/stat (clock ticks since boot)
  bool has_tty = false;           // field 7 of /proc/PID/stat (tty_nr) is not 0
  Credentials credentials;        // Uid: and Gid: of /proc/PID/status (real, effective)
};

// Reads one process; false when it is gone or unreadable (kernel threads
// have no exe and are skipped too).
bool read_proc(const std::string& proc_root, int64_t pid, ProcSnapshot& out);
uint64_t read_start_time(const std::string& proc_root, int64_t pid);

// The table entry for a process read from /proc.
ProcessEntry entry_from_proc(const ProcSnapshot& snapshot);

// The image the audit stream would have given the process: for an
// interpreter running a `#!` script (argv = [interpreter, (option,) script,
// ...], as the kernel rewrites it) the script; else argv[0] when it is an
// absolute name of the same file as exe, else exe.
ecs::ProcessImagePtr image_from_proc(const ProcSnapshot& snapshot);

// Live parent lookups for the normalizer, with a pid-reuse guard.
class ProcProcessSource : public ProcessSource {
 public:
  explicit ProcProcessSource(std::string proc_root = "/proc") : proc_root_(std::move(proc_root)) {}

  bool lookup(int64_t pid, ProcessEntry& out) override;
  // False when pid now belongs to a different process than `entry` was read from.
  bool still_current(int64_t pid, const ProcessEntry& entry) override;
  // From /proc/PID/fd/FD (socket:[INODE]) and that inode's line in
  // /proc/PID/net/tcp or tcp6 (the process's network namespace).
  bool local_address(int64_t pid, int32_t fd, SocketInfo& out) override;
  // /proc/sys/kernel/random/boot_id, read once.
  std::string_view boot_id() const override;

  uint64_t lookups() const { return lookups_; }
  uint64_t hits() const { return hits_; }

 private:
  std::string proc_root_;
  mutable std::string boot_id_;
  mutable bool boot_id_read_ = false;
  uint64_t lookups_ = 0;
  uint64_t hits_ = 0;
  // A pid confirmed within the last second is not re-read: reuse that fast
  // is not plausible, and parent lookups come once per exec.
  struct Confirmed {
    uint64_t start_time = 0;
    int64_t at_ms = 0;
  };
  std::unordered_map<int64_t, Confirmed> confirmed_;
};

// Every live process into `table` (at most its capacity). Returns how many.
size_t seed_process_table(ProcessTable& table, const std::string& proc_root = "/proc");

// Directories under `roots` into `inodes` (depth and count bounded). Returns how many.
size_t seed_inode_paths(InodePaths& inodes, const std::vector<std::string>& roots, size_t max_entries = 16384);

}  // namespace auditeql::normalize
