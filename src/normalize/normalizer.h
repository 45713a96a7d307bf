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
// Every process carries an identity (process.entity_id) from its fork, or
// from its first event when the fork was not seen, kept across its execs.
// EVENT-KINDS.md has the derivation of every kind.
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
  // host.id of records without node= (or whose node= is host_name): live,
  // /etc/machine-id. Empty: host_name stands for it. Records of other nodes
  // get their node name.
  std::string host_id;
  // Live (the plugin): the first node= name of the stream is this host's too,
  // whatever auditd's name_format made of it (fqdn, user, numeric). Replay
  // leaves it off: a log may come from anywhere.
  bool first_node_is_local = false;
  // Audit key -> watched directories, for directory-fd names in directories
  // the log never names. Empty: such names stay relative.
  WatchedDirectories watched;
};

struct NormalizeStats {
  uint64_t process_starts = 0;
  uint64_t file_creations = 0;
  uint64_t file_renames = 0;
  uint64_t file_deletions = 0;
  uint64_t connections_attempted = 0;
  uint64_t connections_accepted = 0;
  uint64_t id_changes = 0;         // uid_change and gid_change events
  uint64_t unchanged_ids = 0;      // set*id calls that left the ids as they were: no event
  uint64_t links_not_reported = 0; // hard and symbolic links, device nodes and FIFOs made: no event
  uint64_t session_changes = 0;
  uint64_t module_loads = 0;       // attempts (driver events); load_module events for accepted ones
  uint64_t process_ends = 0;
  uint64_t signals = 0;
  uint64_t process_controls = 0;
  uint64_t accepts_unplaced = 0;   // accepts whose listening socket's local end is unknown
  uint64_t accepts_dropped = 0;    // ... with no peer address either: maybe not IP at all, no event
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
  // The local address and port of socket `fd` of `pid` (an IP socket), into
  // out's local_* fields; false when unknown.
  virtual bool local_address(int64_t pid, int32_t fd, SocketInfo& out) { return false; }
  // Makes identities of processes read from here (whose start time counts
  // from boot) unique across boots; empty when unknown.
  virtual std::string_view boot_id() const { return {}; }
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
  void set_host_id(std::string host_id) { options_.host_id = std::move(host_id); }

  ProcessTable& processes() { return processes_; }
  InodePaths& inodes() { return inodes_; }
  const NormalizeStats& stats() const { return stats_; }

 private:
  void on_exec(events::AuditEvent& ev);
  void on_fork(const events::AuditEvent& ev);
  void on_file(const events::AuditEvent& ev, ecs::EventKind kind);
  void on_delete(const events::AuditEvent& ev);
  void on_directory_open(const events::AuditEvent& ev);
  void on_socket(const events::AuditEvent& ev);
  void on_bind(const events::AuditEvent& ev);
  void on_connect(const events::AuditEvent& ev);
  void on_accept(const events::AuditEvent& ev);
  void on_id_change(const events::AuditEvent& ev);
  void on_module_load(const events::AuditEvent& ev);
  void on_process_end(const events::AuditEvent& ev);
  void emit(const events::AuditEvent& ev, ecs::EventKind kind);

  std::string executable_of(const events::AuditEvent& ev) const;
  enum class PathOrigin { Resolved, Inferred, Unresolved };
  PathOrigin resolve_created_path(const events::AuditEvent& ev, size_t item, std::string& path);
  PathOrigin resolve_removed_path(const events::AuditEvent& ev, size_t item, std::string& path, bool allow_inferred);

  // The table's entry for pid, from /proc (live) when the table lacks it
  // (first seen at `seen_ms`); null when unknown.
  ProcessEntry* find_process(int64_t pid, int64_t seen_ms);
  // The entry of the process an event belongs to, made when the table has
  // none (a process seen without its fork or exec), with an identity.
  ProcessEntry& process_of(const events::AuditEvent& ev);
  void ensure_identity(int64_t pid, ProcessEntry& entry, const events::AuditEvent& ev);
  ecs::EntityId make_entity_id(const std::string& host_id, int64_t pid, char origin, uint64_t a, uint64_t b,
                               std::string_view extra = {});
  const std::string& host_id_of(const events::AuditEvent& ev) const;

  // Fills `out` for an event of `ev`'s process: the record's own fields, the
  // process (made known if it was not) and its parent. Learns the record's
  // ids and terminal for the process, after copying those it had to `before`.
  void fill_event(const events::AuditEvent& ev, ecs::EventKind kind, ecs::Event& out, Credentials* before = nullptr);
  void fill_record(const events::AuditEvent& ev, ecs::EventKind kind, ecs::Event& out) const;
  void fill_parent(const events::AuditEvent& ev, ecs::Event& out);
  void deliver(ecs::Event& out);

  NormalizerOptions options_;
  std::string local_node_;  // the first node= name, with first_node_is_local
  Handler on_event_;
  ProcessSource* source_ = nullptr;
  ProcessTable processes_;
  InodePaths inodes_;
  NormalizeStats stats_;
  ecs::Event scratch_;  // reused: its strings keep their capacity
  std::string identity_bytes_;  // make_entity_id's input when a long host id makes it large
};

}  // namespace auditeql::normalize
