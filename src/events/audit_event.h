#pragma once
// Stage 2 output: one audit event (all records sharing a serial), reduced to
// the facts the normalizer needs, with values already decoded (quotes
// stripped, hex decoded to raw bytes, split arguments joined).
#include <cstdint>
#include <string>
#include <vector>

namespace auditeql::events {

enum class SyscallKind : uint8_t {
  Other,
  Execve, Execveat,
  Clone, Clone3, Fork, Vfork,
  Open, Openat, Openat2, Creat,
  Mkdir, Mkdirat, Mknod, Mknodat,
  Link, Linkat, Symlink, Symlinkat,
  Rename, Renameat, Renameat2,
  Unlink, Unlinkat, Rmdir,
  Socket, Connect, Bind, Accept, Accept4,
  Setuid, Setreuid, Setresuid, Setgid, Setregid, Setresgid,
  Setsid,
  InitModule, FinitModule,
  ExitGroup,
  Prctl, Kill, Tkill, Tgkill,
};

// What the event means for auditeql; everything else is counted and dropped.
// src/normalize/EVENT-KINDS.md says what each class becomes in ECS.
enum class EventClass : uint8_t {
  Other,
  Exec, Fork, FileCreate, FileRename,
  FileDelete,      // unlink, unlinkat, rmdir that removed a name
  SocketCreate,    // socket(): family, type and protocol of a new fd (no ECS event of its own)
  NetworkConnect,  // connect to an IPv4/IPv6 address, whatever its result
  NetworkBind,     // bind to an IPv4/IPv6 address: the local end of later accepts (no ECS event of its own)
  NetworkAccept,   // accept, accept4 that returned a connection
  UidChange, GidChange,  // set*uid, set*gid that succeeded
  SessionChange,   // setsid that succeeded
  ModuleLoad,      // init_module, finit_module, whatever their result
  ProcessEnd,      // exit_group
  Signal,          // kill, tkill, tgkill
  ProcessControl,  // prctl
  // An open of a directory: where it is (its inode and the name it was
  // opened by), for later names relative to a descriptor of it.
  DirectoryOpen,
};

enum class NameType : uint8_t { Unknown, Normal, Parent, Create, Delete, Other };

struct PathItem {
  std::string name;          // decoded bytes of name=
  bool has_name = false;     // false for name=(null)
  NameType nametype = NameType::Unknown;
  bool has_inode = false;
  uint64_t inode = 0;
  uint64_t dev = 0;          // (major << 32) | minor
  uint32_t mode = 0;

  bool is_directory() const { return (mode & 0170000) == 0040000; }
};

enum class SocketFamily : uint8_t { None, Unix, Inet, Inet6, Netlink, Other };

// A SOCKADDR record decoded: the address connect or bind named, or the peer
// accept returned. Values only: the raw bytes are not kept.
struct SocketAddress {
  SocketFamily family = SocketFamily::None;
  uint16_t raw_family = 0;  // AF_* as recorded
  std::string ip;           // Inet, Inet6: text form; an IPv4-mapped IPv6 address in its IPv4 form
  bool v4_mapped = false;   // Inet6 carrying an IPv4 address (::ffff:a.b.c.d)
  uint16_t port = 0;        // Inet, Inet6
  std::string path;         // Unix: the path, or the abstract name without its leading NUL
  bool abstract = false;    // Unix: an abstract name
  uint32_t netlink_pid = 0; // Netlink: the port id (0 is the kernel)

  void clear();
};

inline constexpr int64_t kUnknownId = -1;
inline constexpr uint64_t kAtFdCwd = 0xffffff9c;  // AT_FDCWD (-100) as the kernel prints a 32-bit int argument

struct AuditEvent {
  // Event identity
  uint64_t serial = 0;
  int64_t time_ms = 0;
  std::string node;  // node= prefix, empty when absent

  // SYSCALL record
  bool has_syscall = false;
  EventClass event_class = EventClass::Other;
  SyscallKind syscall_kind = SyscallKind::Other;
  const char* syscall_name = nullptr;  // libaudit's name for (arch, syscall), static; null when unknown
  uint32_t arch = 0;
  int64_t syscall = -1;
  bool has_result = false;  // success= and exit= were there (exit_group records have neither)
  bool success = false;
  int64_t exit_code = 0;
  uint64_t args[4] = {0, 0, 0, 0};  // a0..a3 as recorded (not read for execve and unknown syscalls)
  int64_t pid = kUnknownId;
  int64_t ppid = kUnknownId;
  // Credentials when the syscall returned: after a set*id, the new ones.
  int64_t uid = kUnknownId;
  int64_t euid = kUnknownId;
  int64_t gid = kUnknownId;
  int64_t egid = kUnknownId;
  std::string user_name;            // uid's: from the enriched UID= or a local lookup; may be empty
  std::string effective_user_name;  // euid's: as this log named that uid, else a local lookup; may be empty
  std::string tty;        // controlling terminal ("pts0"); empty for tty=(none)
  std::string comm;
  std::string exe;
  std::string key;        // first key; empty for key=(null)

  // EXECVE records (continuations joined)
  bool has_execve = false;
  std::vector<std::string> argv;

  // CWD record
  bool has_cwd = false;
  std::string cwd;

  // PATH records, indexed by item=
  std::vector<PathItem> paths;

  // SOCKADDR record
  bool has_sockaddr = false;
  SocketAddress sockaddr;

  // KERN_MODULE record (a module the kernel accepted)
  bool has_module_name = false;
  std::string module_name;

  void clear();
};

// The directory-fd argument a *at syscall resolves a relative new name
// against, or kAtFdCwd for syscalls that always use the working directory.
uint64_t new_name_dirfd(const AuditEvent& ev);

// The same for the name a rename moves away or an unlink removes.
uint64_t old_name_dirfd(const AuditEvent& ev);

// The DELETE item naming what a rename's CREATE item `created` was called
// before: the one with the same inode. Pairing by inode rather than by item
// position also holds for RENAME_EXCHANGE (two DELETE, two CREATE items) and
// for a rename over an existing file (whose DELETE item has the old target's
// inode). Null when no item matches.
const PathItem* renamed_from(const AuditEvent& ev, const PathItem& created);

// The status a process passed to exit_group (what its parent's wait sees).
inline int exit_status(const AuditEvent& ev) { return static_cast<int>(ev.args[0] & 0xff); }

const char* to_string(SyscallKind kind);

}  // namespace auditeql::events
