#include "normalize/normalizer.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>

#include "util/boot_persistence_keys.h"
#include "util/path.h"

namespace auditeql::normalize {

using events::AuditEvent;
using events::NameType;
using events::SyscallKind;
using ecs::EventKind;

namespace {

constexpr int64_t kEinprogress = -115;
constexpr int64_t kEalready = -114;
constexpr int64_t kEisconn = -106;
constexpr uint64_t kAfInet = 2;
constexpr uint64_t kAfInet6 = 10;
constexpr uint64_t kSockStream = 1;
constexpr uint64_t kSockDgram = 2;
constexpr uint64_t kSockTypeMask = 0xf;
constexpr uint64_t kSockCloexec = 0x80000;
constexpr size_t kMaxSocketsPerProcess = 64;

uint32_t credential(int64_t id) {
  return id < 0 || id >= Credentials::kUnknown ? Credentials::kUnknown : static_cast<uint32_t>(id);
}
int64_t id_or_none(uint32_t id) { return id == Credentials::kUnknown ? ecs::kNoId : static_cast<int64_t>(id); }

// What the record says of the process now: its ids and its terminal.
void learn(ProcessEntry& entry, const AuditEvent& ev) {
  if (ev.uid >= 0) entry.credentials.uid = credential(ev.uid);
  if (ev.euid >= 0) entry.credentials.euid = credential(ev.euid);
  if (ev.gid >= 0) entry.credentials.gid = credential(ev.gid);
  if (ev.egid >= 0) entry.credentials.egid = credential(ev.egid);
  entry.interactive = ev.tty.empty() ? 0 : 1;
}

// A process known only from an event at `time_ms`: a fork record stamped
// earlier that comes later keeps the identity its events already carry.
ProcessEntry first_seen(int64_t time_ms) {
  ProcessEntry entry;
  entry.since_ms = time_ms;
  return entry;
}

int32_t descriptor(uint64_t arg) { return static_cast<int32_t>(arg & 0xffffffffu); }

// The socket entry of `fd`, made when there is none (the oldest makes way when
// the process has too many).
SocketInfo& socket_slot(ProcessEntry& entry, int32_t fd) {
  SocketList& sockets = writable_sockets(entry);
  auto it = std::find_if(sockets.begin(), sockets.end(), [&](const SocketInfo& s) { return s.fd == fd; });
  if (it != sockets.end()) return *it;
  if (sockets.size() >= kMaxSocketsPerProcess) sockets.erase(sockets.begin());
  SocketInfo& made = sockets.emplace_back();
  made.fd = fd;
  return made;
}

std::string_view transport_name(SocketInfo::Transport t) {
  switch (t) {
    case SocketInfo::Transport::Tcp: return "tcp";
    case SocketInfo::Transport::Udp: return "udp";
    case SocketInfo::Transport::Unknown: break;
  }
  return {};
}

std::string_view ip_version(const events::SocketAddress& a) {
  return a.family == events::SocketFamily::Inet || a.v4_mapped ? "ipv4" : "ipv6";
}

// Whether what this event's syscall made is reported as a file creation.
// Elastic Defend's Linux sensor reports a creation when an open created the
// file (the probe on do_filp_open that tests FMODE_CREATED, elastic/ebpf
// GPL/Events/File/Probe.bpf.c): a hard link, a symbolic link (`systemctl
// enable`, update-rc.d, dpkg's own .dpkg-new links) or a device node is no
// file event for it, and auditeql follows it, except under the boot-persistence
// bundle's own watches: a link planted in /boot or in the dracut module tree
// (`ln -s /tmp/evil /usr/lib/dracut/modules.d/99evil`) is a persistence the
// shipped rules must keep catching. Directories are kept although Defend does
// not report mkdir either: the shipped Dracut Module Creation results count a
// module's directory as its creation.
bool reported_as_creation(const AuditEvent& ev) {
  switch (ev.syscall_kind) {
    case SyscallKind::Link: case SyscallKind::Linkat: case SyscallKind::Symlink: case SyscallKind::Symlinkat:
    case SyscallKind::Mknod: case SyscallKind::Mknodat:
      return util::is_boot_persistence_watch_key(ev.key);
    default:
      return true;
  }
}

// Auditd Manager's event.outcome: from success=, "unknown" without one.
std::string_view outcome_of(const AuditEvent& ev) {
  if (!ev.has_result) return "unknown";
  return ev.success ? "success" : "failure";
}

}  // namespace

Normalizer::Normalizer(NormalizerOptions options, Handler on_event)
    : options_(std::move(options)),
      on_event_(std::move(on_event)),
      processes_(options_.process_table_capacity),
      inodes_(options_.inode_map_capacity) {}

void Normalizer::process(AuditEvent& ev) {
  using events::EventClass;
  if (options_.first_node_is_local && local_node_.empty() && !ev.node.empty()) local_node_ = ev.node;
  switch (ev.event_class) {
    case EventClass::Exec: on_exec(ev); break;
    case EventClass::Fork: on_fork(ev); break;
    case EventClass::FileCreate: on_file(ev, EventKind::FileCreation); break;
    case EventClass::FileRename: on_file(ev, EventKind::FileRename); break;
    case EventClass::FileDelete: on_delete(ev); break;
    case EventClass::DirectoryOpen: on_directory_open(ev); break;
    case EventClass::SocketCreate: on_socket(ev); break;
    case EventClass::NetworkBind: on_bind(ev); break;
    case EventClass::NetworkConnect: on_connect(ev); break;
    case EventClass::NetworkAccept: on_accept(ev); break;
    case EventClass::UidChange:
    case EventClass::GidChange: on_id_change(ev); break;
    case EventClass::SessionChange:
      ++stats_.session_changes;
      emit(ev, EventKind::SessionIdChange);
      break;
    case EventClass::ModuleLoad: on_module_load(ev); break;
    case EventClass::ProcessEnd: on_process_end(ev); break;
    case EventClass::Signal:
      ++stats_.signals;
      emit(ev, EventKind::SignalSent);
      break;
    case EventClass::ProcessControl:
      ++stats_.process_controls;
      emit(ev, EventKind::ProcessControl);
      break;
    case EventClass::Other: break;
  }
}

ProcessEntry* Normalizer::find_process(int64_t pid, int64_t seen_ms) {
  if (pid < 0) return nullptr;
  ProcessEntry* entry = processes_.find(pid);
  // Entries read from /proc are checked against pid reuse; those learned
  // from exec and fork records are kept current by the stream itself.
  if (entry != nullptr && (source_ == nullptr || source_->still_current(pid, *entry))) return entry;
  ProcessEntry looked_up;
  if (source_ != nullptr && source_->lookup(pid, looked_up)) {
    ++stats_.proc_lookups;
    looked_up.since_ms = seen_ms;
    return &processes_.put(pid, std::move(looked_up));
  }
  return entry;
}

// The file execve was asked to run: PATH item 0 as the caller spelled it,
// made absolute with the CWD. For a #! script that is the script itself; the
// interpreter only shows in exe= and as a later PATH item.
std::string Normalizer::executable_of(const AuditEvent& ev) const {
  if (ev.paths.empty() || !ev.paths[0].has_name || ev.paths[0].name.empty()) {
    return ev.exe;  // fexecve(): execveat(fd, "", AT_EMPTY_PATH) names no file
  }
  const std::string& name = ev.paths[0].name;
  if (util::is_absolute(name)) return util::normalize_path(name);
  // execveat(dirfd, "cp"): relative to a directory the records do not name.
  if (ev.syscall_kind == SyscallKind::Execveat && events::new_name_dirfd(ev) != events::kAtFdCwd) return ev.exe;
  if (!ev.has_cwd) return ev.exe;
  return util::join_path(ev.cwd, name);
}

const std::string& Normalizer::host_id_of(const AuditEvent& ev) const {
  if (!ev.node.empty() && ev.node != options_.host_name && ev.node != local_node_) return ev.node;
  return options_.host_id.empty() ? options_.host_name : options_.host_id;
}

// process.entity_id: a 128-bit hash of the host id and of what names the
// process on that host: its pid and the fork that made it ('f': time and
// serial of the fork record), or the first event that showed it when its fork
// was not seen ('e'), or its start time since boot and the boot id when read
// from /proc ('p'). The same log gives the same ids on every replay; another
// host's processes never share one, whatever their pids and times; a reused
// pid is another fork, so another id. XXH3 (libxxhash) because its output is
// fixed across versions and platforms, and 128 bits keep accidental
// collisions out of reach across every host of a SIEM.
ecs::EntityId Normalizer::make_entity_id(const std::string& host_id, int64_t pid, char origin, uint64_t a, uint64_t b,
                                         std::string_view extra) {
  constexpr size_t kFixed = 1 + 3 * sizeof(uint64_t);
  const size_t size = kFixed + host_id.size() + 1 + extra.size();
  char local[256];
  if (size > sizeof local) identity_bytes_.resize(size);
  char* const bytes = size > sizeof local ? identity_bytes_.data() : local;
  char* at = bytes;
  *at++ = origin;
  for (const uint64_t v : {static_cast<uint64_t>(pid), a, b}) {
    for (int i = 0; i < 8; ++i) *at++ = static_cast<char>((v >> (8 * i)) & 0xff);  // little-endian on every host
  }
  // std::copy, not memcpy: an empty string_view may hold a null pointer.
  at = std::copy(host_id.begin(), host_id.end(), at);
  *at++ = '\0';
  std::copy(extra.begin(), extra.end(), at);
  const XXH128_hash_t hash = XXH3_128bits(bytes, size);
  ecs::EntityId id{hash.high64, hash.low64};
  if (id.empty()) id.low = 1;  // all zeros means "none"
  return id;
}

void Normalizer::ensure_identity(int64_t pid, ProcessEntry& entry, const AuditEvent& ev) {
  if (!entry.entity.empty()) return;
  if (entry.start_time != 0) {
    const std::string_view boot = source_ != nullptr ? source_->boot_id() : std::string_view();
    entry.entity = make_entity_id(host_id_of(ev), pid, 'p', entry.start_time, 0, boot);
  } else {
    entry.entity = make_entity_id(host_id_of(ev), pid, 'e', static_cast<uint64_t>(ev.time_ms), ev.serial);
  }
}

ProcessEntry& Normalizer::process_of(const AuditEvent& ev) {
  ProcessEntry* entry = find_process(ev.pid, ev.time_ms);
  if (entry == nullptr) entry = &processes_.put(ev.pid, first_seen(ev.time_ms));
  if (!entry->image && !ev.exe.empty()) {
    // Started before anything was recorded (or known so far only as someone's
    // parent): exe= is the best evidence left.
    entry->image = ecs::make_process_image(ev.exe, {});
    entry->image_from_exe = true;
  }
  ensure_identity(ev.pid, *entry, ev);
  return *entry;
}

void Normalizer::fill_record(const AuditEvent& ev, EventKind kind, ecs::Event& out) const {
  out.kind = kind;
  out.time_ms = ev.time_ms;
  out.host_name = ev.node.empty() ? options_.host_name : ev.node;
  out.host_id = host_id_of(ev);
  out.sequence = ev.serial;
  out.key = ev.key;
  out.pid = ev.pid;
  out.entity_id = {};
  out.process = nullptr;
  if (ev.has_cwd) {
    out.working_directory = ev.cwd;
  } else {
    out.working_directory.clear();
  }
  out.interactive = !ev.tty.empty();
  out.parent_pid = ev.ppid;
  out.parent_entity_id = {};
  out.parent = nullptr;
  out.parent_euid = out.parent_egid = ecs::kNoId;
  out.parent_interactive = -1;
  out.uid = ev.uid;
  out.euid = ev.euid;
  out.gid = ev.gid;
  out.egid = ev.egid;
  out.user_name = ev.user_name;
  out.effective_user_name = ev.effective_user_name;
  out.syscall = ev.syscall_name != nullptr ? std::string_view(ev.syscall_name) : std::string_view();
  // The events stage reads a0..a3 for every syscall but execve (whose
  // arguments are in EXECVE records).
  out.has_args = ev.syscall_kind != SyscallKind::Execve && ev.syscall_kind != SyscallKind::Other;
  for (int i = 0; i < 4; ++i) out.args[i] = ev.args[i];
  out.result = !ev.has_result ? "unknown" : ev.success ? "success" : "fail";
  out.outcome = {};
  out.file_path.clear();
  out.file_path_inferred = false;
  out.original_path.clear();
  out.source_ip.clear();
  out.source_port = -1;
  out.destination_ip.clear();
  out.destination_port = -1;
  out.network_type = {};
  out.network_transport = {};
  out.exit_code = ecs::kNoId;
  out.module_name.clear();
}

void Normalizer::fill_parent(const AuditEvent& ev, ecs::Event& out) {
  if (ev.ppid <= 0) return;
  ProcessEntry* parent = find_process(ev.ppid, ev.time_ms);
  // Unknown: still one process, whose children share its identity.
  if (parent == nullptr) parent = &processes_.put(ev.ppid, first_seen(ev.time_ms));
  ensure_identity(ev.ppid, *parent, ev);
  out.parent = parent->parent_image();
  out.parent_entity_id = parent->entity;
  out.parent_euid = id_or_none(parent->credentials.euid);
  out.parent_egid = id_or_none(parent->credentials.egid);
  out.parent_interactive = parent->interactive;
}

void Normalizer::fill_event(const AuditEvent& ev, EventKind kind, ecs::Event& out, Credentials* before) {
  fill_record(ev, kind, out);
  {
    ProcessEntry& self = process_of(ev);
    if (before != nullptr) *before = self.credentials;
    learn(self, ev);
    out.entity_id = self.entity;
    out.process = self.image;
    if (self.image_from_exe || !self.image) ++stats_.unknown_processes;
  }  // `self` is not valid past the next table change
  fill_parent(ev, out);
}

void Normalizer::deliver(ecs::Event& out) { on_event_(out); }

void Normalizer::on_exec(AuditEvent& ev) {
  ecs::Event& out = scratch_;
  fill_record(ev, EventKind::ProcessStart, out);
  // The parent's image as it is now, before this exec can change anything.
  fill_parent(ev, out);
  if (!out.parent) ++stats_.unknown_parents;
  // Read from /proc and since replaced by another process (its fork unseen):
  // not the same process any more.
  if (ProcessEntry* before = source_ != nullptr ? processes_.peek(ev.pid) : nullptr;
      before != nullptr && before->start_time != 0 && !source_->still_current(ev.pid, *before)) {
    before->entity = {};
    before->start_time = 0;
  }
  out.process = ecs::make_process_image(executable_of(ev), ev.argv);
  // The same process with a new image: it keeps its identity.
  ProcessEntry& self = processes_.record_exec(ev.pid, out.process, ev.time_ms);
  ensure_identity(ev.pid, self, ev);
  self.start_time = 0;  // from now on the stream describes it
  learn(self, ev);
  out.entity_id = self.entity;
  ++stats_.process_starts;
  deliver(out);
}

void Normalizer::on_fork(const AuditEvent& ev) {
  ++stats_.forks;
  ProcessEntry& parent = process_of(ev);
  learn(parent, ev);
  const int64_t child = ev.exit_code;
  processes_.record_fork(child, parent, ev.time_ms,
                         make_entity_id(host_id_of(ev), child, 'f', static_cast<uint64_t>(ev.time_ms), ev.serial));
}

// Resolves the CREATE item at `index` to an absolute path and teaches the
// inode map what it learned. A path placed under the watched directory of
// the event's key is Inferred, and so is one resolved through a directory
// whose own path was inferred; Unresolved leaves the relative name.
Normalizer::PathOrigin Normalizer::resolve_created_path(const AuditEvent& ev, size_t index, std::string& path) {
  const events::PathItem& item = ev.paths[index];
  const events::PathItem* parent = nullptr;
  for (const auto& p : ev.paths) {
    if (p.nametype == NameType::Parent) {
      parent = &p;
      break;
    }
  }
  bool inferred = false;
  if (util::is_absolute(item.name)) {
    path = util::normalize_path(item.name);
  } else if (events::new_name_dirfd(ev) == events::kAtFdCwd) {
    if (!ev.has_cwd) {
      path = util::normalize_path(item.name);
      return PathOrigin::Unresolved;
    }
    path = util::join_path(ev.cwd, item.name);
  } else if (const KnownDirectory* dir = parent && parent->has_inode ? inodes_.find({parent->dev, parent->inode}) : nullptr) {
    // The PARENT name shows the CWD here, not the directory fd's directory;
    // the PARENT inode is the created item's own directory.
    path = util::join_path(dir->path, util::base_name(util::normalize_path(item.name)));
    inferred = dir->inferred;
  } else if (const std::string* watched = options_.watched.directory_for(ev.key)) {
    // The name may have several components (tar: "95evil/module-setup.sh"):
    // all of them are relative to the directory fd, taken to be the watched
    // directory.
    path = util::join_path(*watched, item.name);
    inferred = true;
  } else {
    path = util::normalize_path(item.name);
    return PathOrigin::Unresolved;
  }
  // A created directory is new: its path replaces whatever the inode meant
  // before. A parent keeps the first spelling learned (/usr/lib/... and the
  // /lib/... symlink name the same directory; the first one seen sticks),
  // unless that one was only inferred.
  if (item.is_directory() && item.has_inode) inodes_.learn({item.dev, item.inode}, path, inferred);
  if (parent != nullptr && parent->has_inode) {
    const KnownDirectory* known = inodes_.find({parent->dev, parent->inode});
    if (known == nullptr || (known->inferred && !inferred)) {
      inodes_.learn({parent->dev, parent->inode}, util::dir_name(path), inferred);
    }
  }
  return inferred ? PathOrigin::Inferred : PathOrigin::Resolved;
}

// A directory opened by absolute name, or by a name relative to the CWD,
// teaches its inode's path unless one is known for sure already. The name is
// spelled as the opener spelled it, through symlinks too: keeping the first
// path known (live, the one seeded from the watched trees) means that an open
// through a symlink placed outside the watched trees cannot move them there.
void Normalizer::on_directory_open(const AuditEvent& ev) {
  ++stats_.directory_opens;
  for (const auto& item : ev.paths) {
    if (item.nametype != NameType::Normal || !item.is_directory() || !item.has_name || !item.has_inode) continue;
    std::string path;
    if (util::is_absolute(item.name)) {
      path = util::normalize_path(item.name);
    } else if (events::new_name_dirfd(ev) == events::kAtFdCwd && ev.has_cwd) {
      path = util::join_path(ev.cwd, item.name);
    } else {
      return;  // relative to another directory fd: nothing to learn
    }
    const InodeKey key{item.dev, item.inode};
    const KnownDirectory* known = inodes_.find(key);
    if (known == nullptr || known->inferred) inodes_.learn(key, path);
    return;
  }
}

// The name an unlink removes or a rename moves away (a DELETE item), made
// absolute like a created one but against the old name's directory: the
// syscall's old-name directory fd, or the CWD. With a directory fd, the PARENT
// item naming the old name's directory is the last one before the item (a
// rename lists the new name's directory first). Learns nothing: a removed
// name's directory is learned by the caller when it is sure.
Normalizer::PathOrigin Normalizer::resolve_removed_path(const AuditEvent& ev, size_t index, std::string& path,
                                                        bool allow_inferred) {
  const events::PathItem& item = ev.paths[index];
  const events::PathItem* parent = nullptr;
  for (size_t i = 0; i < index; ++i) {
    if (ev.paths[i].nametype == NameType::Parent) parent = &ev.paths[i];
  }
  if (util::is_absolute(item.name)) {
    path = util::normalize_path(item.name);
    return PathOrigin::Resolved;
  }
  if (events::old_name_dirfd(ev) == events::kAtFdCwd) {
    if (!ev.has_cwd) {
      path = util::normalize_path(item.name);
      return PathOrigin::Unresolved;
    }
    path = util::join_path(ev.cwd, item.name);
    return PathOrigin::Resolved;
  }
  if (const KnownDirectory* dir = parent && parent->has_inode ? inodes_.find({parent->dev, parent->inode}) : nullptr) {
    path = util::join_path(dir->path, util::base_name(util::normalize_path(item.name)));
    return dir->inferred ? PathOrigin::Inferred : PathOrigin::Resolved;
  }
  if (const std::string* watched = allow_inferred ? options_.watched.directory_for(ev.key) : nullptr) {
    path = util::join_path(*watched, item.name);
    return PathOrigin::Inferred;
  }
  path = util::normalize_path(item.name);
  return PathOrigin::Unresolved;
}

void Normalizer::on_file(const AuditEvent& ev, EventKind kind) {
  ecs::Event& out = scratch_;
  fill_event(ev, kind, out);
  if (kind == EventKind::FileCreation && !reported_as_creation(ev)) {
    ++stats_.links_not_reported;  // still one of the process's events: its ids are learned
    return;
  }
  for (size_t i = 0; i < ev.paths.size(); ++i) {
    const events::PathItem& item = ev.paths[i];
    if (item.nametype != NameType::Create || !item.has_name) continue;
    const PathOrigin origin = resolve_created_path(ev, i, out.file_path);
    out.file_path_inferred = origin == PathOrigin::Inferred;
    if (origin == PathOrigin::Inferred) ++stats_.inferred_paths;
    if (origin == PathOrigin::Unresolved) ++stats_.unresolved_paths;
    out.original_path.clear();
    if (kind == EventKind::FileRename) {
      // Paired by inode: RENAME_EXCHANGE has two of each, a rename over a
      // file one DELETE item more (the replaced file).
      if (const events::PathItem* old = events::renamed_from(ev, item); old != nullptr && old->has_name) {
        // An old name the log does not place stays as recorded: only file.path
        // is ever placed by the audit key.
        resolve_removed_path(ev, static_cast<size_t>(old - ev.paths.data()), out.original_path, false);
      }
    }
    ++(kind == EventKind::FileRename ? stats_.file_renames : stats_.file_creations);
    deliver(out);
  }
}

void Normalizer::on_delete(const AuditEvent& ev) {
  ecs::Event& out = scratch_;
  fill_event(ev, EventKind::FileDeletion, out);
  for (size_t i = 0; i < ev.paths.size(); ++i) {
    const events::PathItem& item = ev.paths[i];
    if (item.nametype != NameType::Delete || !item.has_name) continue;
    const PathOrigin origin = resolve_removed_path(ev, i, out.file_path, true);
    out.file_path_inferred = origin == PathOrigin::Inferred;
    if (origin == PathOrigin::Inferred) ++stats_.inferred_paths;
    if (origin == PathOrigin::Unresolved) ++stats_.unresolved_paths;
    // Inodes are reused at once: a removed directory's must not name it any more.
    if (item.is_directory() && item.has_inode) inodes_.forget({item.dev, item.inode});
    ++stats_.file_deletions;
    deliver(out);
  }
}

// socket(): an IP socket's transport, for the connects and accepts on it.
void Normalizer::on_socket(const AuditEvent& ev) {
  const uint64_t family = ev.args[0];
  if (family != kAfInet && family != kAfInet6) return;
  const uint64_t type = ev.args[1] & kSockTypeMask;
  const uint64_t protocol = ev.args[2];
  SocketInfo socket;
  socket.fd = static_cast<int32_t>(ev.exit_code);
  if (type == kSockStream && (protocol == 0 || protocol == 6)) socket.transport = SocketInfo::Transport::Tcp;
  if (type == kSockDgram && (protocol == 0 || protocol == 17)) socket.transport = SocketInfo::Transport::Udp;
  socket.close_on_exec = (ev.args[1] & kSockCloexec) != 0;
  ProcessEntry& self = process_of(ev);
  learn(self, ev);
  SocketList& sockets = writable_sockets(self);
  // The descriptor was closed since (close is not audited): a new socket.
  std::erase_if(sockets, [&](const SocketInfo& s) { return s.fd == socket.fd; });
  if (sockets.size() >= kMaxSocketsPerProcess) sockets.erase(sockets.begin());
  sockets.push_back(std::move(socket));
}

// bind(): the local end of later accepts on the socket.
void Normalizer::on_bind(const AuditEvent& ev) {
  ProcessEntry& self = process_of(ev);
  learn(self, ev);
  SocketInfo& socket = socket_slot(self, descriptor(ev.args[0]));
  socket.has_local = true;
  socket.local_ipv6 = ev.sockaddr.family == events::SocketFamily::Inet6 && !ev.sockaddr.v4_mapped;
  socket.local_ip = ev.sockaddr.ip;
  socket.local_port = ev.sockaddr.port;
}

// connect(): an attempt whatever its result (a non-blocking connect returns
// EINPROGRESS), except a poll of an attempt already reported.
void Normalizer::on_connect(const AuditEvent& ev) {
  if (!ev.success && (ev.exit_code == kEalready || ev.exit_code == kEisconn)) return;
  ecs::Event& out = scratch_;
  fill_event(ev, EventKind::ConnectionAttempted, out);
  out.destination_ip = ev.sockaddr.ip;
  out.destination_port = ev.sockaddr.port;
  out.network_type = ip_version(ev.sockaddr);
  if (const ProcessEntry* self = processes_.peek(ev.pid)) {
    if (const SocketInfo* socket = find_socket(*self, descriptor(ev.args[0]))) {
      out.network_transport = transport_name(socket->transport);
    }
  }
  out.outcome = ev.success ? "success" : ev.exit_code == kEinprogress ? "unknown" : "failure";
  ++stats_.connections_attempted;
  deliver(out);
}

// accept(), accept4(): the peer is the source; the listening socket's local
// end, learned from its bind (or live, from /proc), the destination.
void Normalizer::on_accept(const AuditEvent& ev) {
  ecs::Event& out = scratch_;
  fill_event(ev, EventKind::ConnectionAccepted, out);
  const int32_t listener = descriptor(ev.args[0]);
  const SocketInfo* local = nullptr;
  if (ProcessEntry* self = processes_.peek(ev.pid)) {
    local = find_socket(*self, listener);
    if (source_ != nullptr && (local == nullptr || (!local->has_local && !local->local_unknown))) {
      // Up to two 1 MiB reads of /proc/PID/net/tcp*: once per descriptor,
      // found or not.
      SocketInfo read;
      const bool found = source_->local_address(ev.pid, listener, read);
      SocketInfo& socket = socket_slot(*self, listener);
      if (found) {
        socket.has_local = true;
        socket.local_ipv6 = read.local_ipv6;
        socket.local_ip = std::move(read.local_ip);
        socket.local_port = read.local_port;
      } else {
        socket.local_unknown = true;
      }
      local = &socket;
    }
    if (local != nullptr && !local->has_local) local = nullptr;
  }
  // accept(fd, NULL, NULL) on a socket not known to be IP: as likely a Unix socket.
  if (!ev.has_sockaddr && local == nullptr) {
    ++stats_.accepts_dropped;
    return;
  }
  if (ev.has_sockaddr) {
    out.source_ip = ev.sockaddr.ip;
    out.source_port = ev.sockaddr.port;
    out.network_type = ip_version(ev.sockaddr);
  }
  if (local != nullptr) {
    out.destination_ip = local->local_ip;
    out.destination_port = local->local_port;
    if (out.network_type.empty()) out.network_type = local->local_ipv6 ? "ipv6" : "ipv4";
  } else {
    ++stats_.accepts_unplaced;
  }
  out.network_transport = "tcp";  // accept is for connection-oriented sockets
  ++stats_.connections_accepted;
  deliver(out);
}

// set*uid, set*gid: only when the ids changed (a root daemon's setuid(0)
// succeeds too, and changes nothing).
void Normalizer::on_id_change(const AuditEvent& ev) {
  const bool uid = ev.event_class == events::EventClass::UidChange;
  ecs::Event& out = scratch_;
  Credentials before;
  fill_event(ev, uid ? EventKind::UidChange : EventKind::GidChange, out, &before);
  const auto differs = [](uint32_t was, int64_t now) { return was == Credentials::kUnknown || was != credential(now); };
  const bool changed = uid ? differs(before.uid, ev.uid) || differs(before.euid, ev.euid)
                           : differs(before.gid, ev.gid) || differs(before.egid, ev.egid);
  if (!changed) {
    ++stats_.unchanged_ids;
    return;
  }
  ++stats_.id_changes;
  deliver(out);
}

// A module load is two documents: Elastic Defend reports a module the kernel
// accepted (process/start/load_module), Auditd Manager every attempt
// (driver/start/loaded-kernel-module), and rules exist for both.
void Normalizer::on_module_load(const AuditEvent& ev) {
  ++stats_.module_loads;
  ecs::Event& out = scratch_;
  if (ev.success) {
    fill_event(ev, EventKind::ModuleLoad, out);
    if (ev.has_module_name) out.module_name = ev.module_name;
    deliver(out);
  }
  emit(ev, EventKind::DriverLoad);
}

void Normalizer::on_process_end(const AuditEvent& ev) {
  ecs::Event& out = scratch_;
  fill_event(ev, EventKind::ProcessEnd, out);
  out.exit_code = events::exit_status(ev);
  ++stats_.process_ends;
  deliver(out);
  // The pid names nothing now: its next process is another one.
  processes_.erase(ev.pid);
}

// A document of its own for the kind, and for those shaped as Auditd Manager
// reports them, its event.outcome.
void Normalizer::emit(const AuditEvent& ev, EventKind kind) {
  ecs::Event& out = scratch_;
  fill_event(ev, kind, out);
  if ((ecs::kind_bit(kind) & ecs::kAuditdManagerKinds) != 0) out.outcome = outcome_of(ev);
  if (kind == EventKind::DriverLoad && ev.has_module_name) out.module_name = ev.module_name;
  deliver(out);
}

}  // namespace auditeql::normalize
