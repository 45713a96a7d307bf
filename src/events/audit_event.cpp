#include "events/audit_event.h"

namespace auditeql::events {

void SocketAddress::clear() {
  family = SocketFamily::None;
  raw_family = 0;
  ip.clear();
  v4_mapped = false;
  port = 0;
  path.clear();
  abstract = false;
  netlink_pid = 0;
}

void AuditEvent::clear() {
  // Member-wise so the strings and vectors keep their capacity for the next event.
  serial = 0;
  time_ms = 0;
  node.clear();
  has_syscall = false;
  event_class = EventClass::Other;
  syscall_kind = SyscallKind::Other;
  syscall_name = nullptr;
  arch = 0;
  syscall = -1;
  has_result = false;
  success = false;
  exit_code = 0;
  for (auto& a : args) a = 0;
  pid = ppid = uid = euid = gid = egid = kUnknownId;
  user_name.clear();
  effective_user_name.clear();
  tty.clear();
  comm.clear();
  exe.clear();
  key.clear();
  has_execve = false;
  // Events are recycled: keep the buffers of ordinary ones, but not what a
  // 3,000-argument or 1,000-path event needed.
  if (argv.capacity() > 64) {
    std::vector<std::string>().swap(argv);
  } else {
    argv.clear();
  }
  has_cwd = false;
  cwd.clear();
  if (paths.capacity() > 16) {
    std::vector<PathItem>().swap(paths);
  } else {
    paths.clear();
  }
  has_sockaddr = false;
  sockaddr.clear();
  has_module_name = false;
  module_name.clear();
}

uint64_t new_name_dirfd(const AuditEvent& ev) {
  switch (ev.syscall_kind) {
    case SyscallKind::Openat:
    case SyscallKind::Openat2:
    case SyscallKind::Mkdirat:
    case SyscallKind::Mknodat:
    case SyscallKind::Execveat:
      return ev.args[0] & 0xffffffffu;
    case SyscallKind::Symlinkat:
      return ev.args[1] & 0xffffffffu;
    case SyscallKind::Linkat:
    case SyscallKind::Renameat:
    case SyscallKind::Renameat2:
      return ev.args[2] & 0xffffffffu;
    default:
      return kAtFdCwd;
  }
}

uint64_t old_name_dirfd(const AuditEvent& ev) {
  switch (ev.syscall_kind) {
    case SyscallKind::Unlinkat:
    case SyscallKind::Renameat:
    case SyscallKind::Renameat2:
      return ev.args[0] & 0xffffffffu;
    default:
      return kAtFdCwd;
  }
}

const PathItem* renamed_from(const AuditEvent& ev, const PathItem& created) {
  if (!created.has_inode) return nullptr;
  for (const auto& p : ev.paths) {
    if (p.nametype == NameType::Delete && p.has_inode && p.inode == created.inode && p.dev == created.dev) return &p;
  }
  return nullptr;
}

const char* to_string(SyscallKind kind) {
  switch (kind) {
    case SyscallKind::Other: return "other";
    case SyscallKind::Execve: return "execve";
    case SyscallKind::Execveat: return "execveat";
    case SyscallKind::Clone: return "clone";
    case SyscallKind::Clone3: return "clone3";
    case SyscallKind::Fork: return "fork";
    case SyscallKind::Vfork: return "vfork";
    case SyscallKind::Open: return "open";
    case SyscallKind::Openat: return "openat";
    case SyscallKind::Openat2: return "openat2";
    case SyscallKind::Creat: return "creat";
    case SyscallKind::Mkdir: return "mkdir";
    case SyscallKind::Mkdirat: return "mkdirat";
    case SyscallKind::Mknod: return "mknod";
    case SyscallKind::Mknodat: return "mknodat";
    case SyscallKind::Link: return "link";
    case SyscallKind::Linkat: return "linkat";
    case SyscallKind::Symlink: return "symlink";
    case SyscallKind::Symlinkat: return "symlinkat";
    case SyscallKind::Rename: return "rename";
    case SyscallKind::Renameat: return "renameat";
    case SyscallKind::Renameat2: return "renameat2";
    case SyscallKind::Unlink: return "unlink";
    case SyscallKind::Unlinkat: return "unlinkat";
    case SyscallKind::Rmdir: return "rmdir";
    case SyscallKind::Socket: return "socket";
    case SyscallKind::Connect: return "connect";
    case SyscallKind::Bind: return "bind";
    case SyscallKind::Accept: return "accept";
    case SyscallKind::Accept4: return "accept4";
    case SyscallKind::Setuid: return "setuid";
    case SyscallKind::Setreuid: return "setreuid";
    case SyscallKind::Setresuid: return "setresuid";
    case SyscallKind::Setgid: return "setgid";
    case SyscallKind::Setregid: return "setregid";
    case SyscallKind::Setresgid: return "setresgid";
    case SyscallKind::Setsid: return "setsid";
    case SyscallKind::InitModule: return "init_module";
    case SyscallKind::FinitModule: return "finit_module";
    case SyscallKind::ExitGroup: return "exit_group";
    case SyscallKind::Prctl: return "prctl";
    case SyscallKind::Kill: return "kill";
    case SyscallKind::Tkill: return "tkill";
    case SyscallKind::Tgkill: return "tgkill";
  }
  return "other";
}

}  // namespace auditeql::events
