#include "events/syscall_table.h"

#include <libaudit.h>

#include <cstring>

namespace auditeql::events {

SyscallKind syscall_kind_from_name(const char* name) {
  static constexpr struct {
    const char* name;
    SyscallKind kind;
  } kKnown[] = {
      {"execve", SyscallKind::Execve},       {"execveat", SyscallKind::Execveat},
      {"clone", SyscallKind::Clone},         {"clone3", SyscallKind::Clone3},
      {"fork", SyscallKind::Fork},           {"vfork", SyscallKind::Vfork},
      {"open", SyscallKind::Open},           {"openat", SyscallKind::Openat},
      {"openat2", SyscallKind::Openat2},     {"creat", SyscallKind::Creat},
      {"mkdir", SyscallKind::Mkdir},         {"mkdirat", SyscallKind::Mkdirat},
      {"mknod", SyscallKind::Mknod},         {"mknodat", SyscallKind::Mknodat},
      {"link", SyscallKind::Link},           {"linkat", SyscallKind::Linkat},
      {"symlink", SyscallKind::Symlink},     {"symlinkat", SyscallKind::Symlinkat},
      {"rename", SyscallKind::Rename},       {"renameat", SyscallKind::Renameat},
      {"renameat2", SyscallKind::Renameat2},
  };
  if (name == nullptr) return SyscallKind::Other;
  for (const auto& entry : kKnown) {
    if (std::strcmp(entry.name, name) == 0) return entry.kind;
  }
  return SyscallKind::Other;
}

SyscallKind SyscallTable::lookup(uint32_t arch, int64_t number) {
  if (number < 0 || number > 0xffff) return SyscallKind::Other;
  const uint64_t key = (static_cast<uint64_t>(arch) << 32) | static_cast<uint64_t>(number);
  if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
  SyscallKind kind = SyscallKind::Other;
  const int machine = audit_elf_to_machine(arch);
  if (machine >= 0) kind = syscall_kind_from_name(audit_syscall_to_name(static_cast<int>(number), machine));
  // Garbage input could name endless distinct pairs; real streams use a handful.
  if (cache_.size() < 4096) cache_.emplace(key, kind);
  return kind;
}

}  // namespace auditeql::events
