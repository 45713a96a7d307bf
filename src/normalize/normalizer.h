#pragma once
// Stage 3: audit events -> normalized ECS events.
//
// Applies the derivation rules that make the events look the way Elastic's
// own sensor reports them: the executable is the file named in execve (the
// script, not its interpreter), arguments come from EXECVE records, the
// parent is whatever image the parent pid had at exec time (subshells
// inherit through forks), and file paths are resolved through the CWD or,
// for directory-fd syscalls, the parent directory's inode (or, when the log
// never named that directory, the watched directory the audit key stands for).
#include <cstdint>
#include <functional>
#include <string>

#include "ecs/event.h"
#include "events/audit_event.h"
#include "normalize/inode_paths.h"
#include "normalize/process_table.h"
#include "normalize/watched_directories.h"

namespace auditeql::normalize {

struct NormalizerOptions {
  size_t process_table_capacity = ProcessTable::kDefaultCapacity;
  size_t inode_map_capacity = InodePaths::kDefaultCapacity;
  std::string host_name;  // used when records carry no node= name
  // Audit key -> watched directories, for directory-fd names in directories
  // the log never names. Empty: such names stay relative.
  WatchedDirectories watched;
};

struct NormalizeStats {
  uint64_t process_starts = 0;
  uint64_t file_creations = 0;
  uint64_t file_renames = 0;
  uint64_t forks = 0;
  uint64_t unknown_parents = 0;      // process starts whose parent image is unknown
  uint64_t unknown_processes = 0;    // file events by a pid never seen exec'ing (identity from exe=)
  uint64_t unresolved_paths = 0;     // dirfd-relative names whose directory is unknown
  uint64_t inferred_paths = 0;       // ... placed under the watched directory of their audit key
  uint64_t directory_opens = 0;      // directories learned from opens by absolute name
  uint64_t proc_lookups = 0;         // images read from /proc (live mode)
};

// The live host's view of processes (the plugin reads /proc), for pids the
// audit stream has not described.
class ProcessSource {
 public:
  virtual ~ProcessSource() = default;
  virtual bool lookup(int64_t pid, ProcessEntry& out) = 0;
  // False when pid now names another process than the one `entry` came from.
  virtual bool still_current(int64_t pid, const ProcessEntry& entry) = 0;
};

class Normalizer {
 public:
  using Handler = std::function<void(const ecs::Event&)>;

  Normalizer(NormalizerOptions options, Handler on_event);

  // Events must arrive in causal order (see EventOrder).
  void process(events::AuditEvent& event);

  // Replaces NormalizerOptions::watched.
  void set_watched_directories(WatchedDirectories watched) { options_.watched = std::move(watched); }

  // Live mode: consult `source` (not owned) for pids the table lacks.
  void set_process_source(ProcessSource* source) { source_ = source; }
  // For events processed from now on (a reload may change it).
  void set_host_name(std::string host_name) { options_.host_name = std::move(host_name); }

  ProcessTable& processes() { return processes_; }
  InodePaths& inodes() { return inodes_; }
  const NormalizeStats& stats() const { return stats_; }

 private:
  void on_exec(events::AuditEvent& ev);
  void on_fork(const events::AuditEvent& ev);
  void on_file(const events::AuditEvent& ev, ecs::EventKind kind);
  void on_directory_open(const events::AuditEvent& ev);
  std::string executable_of(const events::AuditEvent& ev) const;
  enum class PathOrigin { Resolved, Inferred, Unresolved };
  PathOrigin resolve_created_path(const events::AuditEvent& ev, size_t item, std::string& path);
  const ProcessEntry* find_process(int64_t pid);
  void fill_common(const events::AuditEvent& ev, ecs::Event& out) const;

  NormalizerOptions options_;
  Handler on_event_;
  ProcessSource* source_ = nullptr;
  ProcessTable processes_;
  InodePaths inodes_;
  NormalizeStats stats_;
  ecs::Event scratch_;  // reused: its strings keep their capacity
};

}  // namespace auditeql::normalize
