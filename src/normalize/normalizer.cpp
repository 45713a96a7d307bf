#include "normalize/normalizer.h"

#include "util/path.h"

namespace auditeql::normalize {

using events::AuditEvent;
using events::NameType;
using events::SyscallKind;

Normalizer::Normalizer(NormalizerOptions options, Handler on_event)
    : options_(std::move(options)),
      on_event_(std::move(on_event)),
      processes_(options_.process_table_capacity),
      inodes_(options_.inode_map_capacity) {}

void Normalizer::process(AuditEvent& ev) {
  switch (ev.event_class) {
    case events::EventClass::Exec: on_exec(ev); break;
    case events::EventClass::Fork: on_fork(ev); break;
    case events::EventClass::FileCreate: on_file(ev, ecs::EventKind::FileCreation); break;
    case events::EventClass::FileRename: on_file(ev, ecs::EventKind::FileRename); break;
    case events::EventClass::DirectoryOpen: on_directory_open(ev); break;
    case events::EventClass::Other: break;
  }
}

const ProcessEntry* Normalizer::find_process(int64_t pid) {
  if (pid < 0) return nullptr;
  const ProcessEntry* entry = processes_.find(pid);
  // Entries read from /proc are checked against pid reuse; those learned
  // from exec and fork records are kept current by the stream itself.
  if (entry != nullptr && (source_ == nullptr || source_->still_current(pid, *entry))) return entry;
  ProcessEntry looked_up;
  if (source_ != nullptr && source_->lookup(pid, looked_up)) {
    ++stats_.proc_lookups;
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

void Normalizer::fill_common(const AuditEvent& ev, ecs::Event& out) const {
  out.time_ms = ev.time_ms;
  out.host_name = ev.node.empty() ? options_.host_name : ev.node;
  out.sequence = ev.serial;
  out.key = ev.key;
  out.pid = ev.pid;
  out.working_directory = ev.has_cwd ? ev.cwd : std::string();
  out.parent_pid = ev.ppid;
  out.uid = ev.uid;
  out.euid = ev.euid;
  out.gid = ev.gid;
  out.user_name = ev.user_name;
  out.file_path.clear();
  out.file_path_inferred = false;
}

void Normalizer::on_exec(AuditEvent& ev) {
  ecs::Event& out = scratch_;
  fill_common(ev, out);
  out.kind = ecs::EventKind::ProcessStart;
  // The parent's image as it is now, before this exec can change anything.
  const ProcessEntry* parent = find_process(ev.ppid);
  out.parent = parent ? parent->image : nullptr;
  if (!parent) ++stats_.unknown_parents;
  out.process = ecs::make_process_image(executable_of(ev), ev.argv);
  processes_.record_exec(ev.pid, out.process, ev.time_ms);
  ++stats_.process_starts;
  on_event_(out);
}

void Normalizer::on_fork(const AuditEvent& ev) {
  ++stats_.forks;
  if (const ProcessEntry* parent = find_process(ev.pid)) {
    processes_.record_fork(ev.exit_code, *parent, ev.time_ms);
  }
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

void Normalizer::on_file(const AuditEvent& ev, ecs::EventKind kind) {
  ecs::Event& out = scratch_;
  fill_common(ev, out);
  out.kind = kind;
  if (const ProcessEntry* self = find_process(ev.pid)) {
    out.process = self->image;
  } else {
    // Started before anything was recorded: exe= is the best evidence left.
    ++stats_.unknown_processes;
    out.process = ev.exe.empty() ? nullptr : ecs::make_process_image(ev.exe, {});
  }
  const ProcessEntry* parent = find_process(ev.ppid);
  out.parent = parent ? parent->image : nullptr;

  for (size_t i = 0; i < ev.paths.size(); ++i) {
    const events::PathItem& item = ev.paths[i];
    if (item.nametype != NameType::Create || !item.has_name) continue;
    const PathOrigin origin = resolve_created_path(ev, i, out.file_path);
    out.file_path_inferred = origin == PathOrigin::Inferred;
    if (origin == PathOrigin::Inferred) ++stats_.inferred_paths;
    if (origin == PathOrigin::Unresolved) ++stats_.unresolved_paths;
    ++(kind == ecs::EventKind::FileRename ? stats_.file_renames : stats_.file_creations);
    on_event_(out);
  }
}

}  // namespace auditeql::normalize
