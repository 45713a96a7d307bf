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
};

// What the event means for auditeql; everything else is counted and dropped.
// A DirectoryOpen tells where a directory is (its inode and the name it was
// opened by), for later names relative to a descriptor of it.
enum class EventClass : uint8_t { Other, Exec, Fork, FileCreate, FileRename, DirectoryOpen };

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
  uint32_t arch = 0;
  int64_t syscall = -1;
  bool success = false;
  int64_t exit_code = 0;
  uint64_t args[4] = {0, 0, 0, 0};
  int64_t pid = kUnknownId;
  int64_t ppid = kUnknownId;
  int64_t uid = kUnknownId;
  int64_t euid = kUnknownId;
  int64_t gid = kUnknownId;
  std::string user_name;  // from the enriched UID= or a local lookup; may be empty
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

  void clear();
};

// The directory-fd argument a *at syscall resolves a relative new name
// against, or kAtFdCwd for syscalls that always use the working directory.
uint64_t new_name_dirfd(const AuditEvent& ev);

const char* to_string(SyscallKind kind);

}  // namespace auditeql::events
