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
      {"unlink", SyscallKind::Unlink},       {"unlinkat", SyscallKind::Unlinkat},
      {"rmdir", SyscallKind::Rmdir},         {"socket", SyscallKind::Socket},
      {"connect", SyscallKind::Connect},     {"bind", SyscallKind::Bind},
      {"accept", SyscallKind::Accept},       {"accept4", SyscallKind::Accept4},
      {"setuid", SyscallKind::Setuid},       {"setreuid", SyscallKind::Setreuid},
      {"setresuid", SyscallKind::Setresuid}, {"setgid", SyscallKind::Setgid},
      {"setregid", SyscallKind::Setregid},   {"setresgid", SyscallKind::Setresgid},
      // i386 has 16-bit-id originals and the 32-bit-id calls glibc uses.
      {"setuid32", SyscallKind::Setuid},     {"setreuid32", SyscallKind::Setreuid},
      {"setresuid32", SyscallKind::Setresuid}, {"setgid32", SyscallKind::Setgid},
      {"setregid32", SyscallKind::Setregid}, {"setresgid32", SyscallKind::Setresgid},
      {"setsid", SyscallKind::Setsid},       {"init_module", SyscallKind::InitModule},
      {"finit_module", SyscallKind::FinitModule}, {"exit_group", SyscallKind::ExitGroup},
      {"prctl", SyscallKind::Prctl},         {"kill", SyscallKind::Kill},
      {"tkill", SyscallKind::Tkill},         {"tgkill", SyscallKind::Tgkill},
  };
  if (name == nullptr) return SyscallKind::Other;
  for (const auto& entry : kKnown) {
    if (std::strcmp(entry.name, name) == 0) return entry.kind;
  }
  return SyscallKind::Other;
}

const char* syscall_name(uint32_t arch, int64_t number) {
  if (number < 0 || number > 0xffff) return nullptr;
  const int machine = audit_elf_to_machine(arch);
  return machine < 0 ? nullptr : audit_syscall_to_name(static_cast<int>(number), machine);
}

SyscallKind SyscallTable::lookup(uint32_t arch, int64_t number, const char** name) {
  if (name != nullptr) *name = nullptr;
  if (number < 0 || number > 0xffff) return SyscallKind::Other;
  const uint64_t key = (static_cast<uint64_t>(arch) << 32) | static_cast<uint64_t>(number);
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    const char* found = syscall_name(arch, number);
    const Known known{syscall_kind_from_name(found), found};
    // Garbage input could name endless distinct pairs; real streams use a handful.
    if (cache_.size() >= 4096) {
      if (name != nullptr) *name = known.name;
      return known.kind;
    }
    it = cache_.emplace(key, known).first;
  }
  if (name != nullptr) *name = it->second.name;
  return it->second.kind;
}

}  // namespace auditeql::events
