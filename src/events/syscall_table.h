#pragma once
#include <cstdint>
#include <unordered_map>

#include "events/audit_event.h"

namespace auditeql::events {

// Maps (audit arch, syscall number) to the syscalls auditeql understands,
// through libaudit's per-architecture tables (x86_64 59 and i386 11 are both
// execve). Lookups are cached: the same few pairs repeat on every event.
class SyscallTable {
 public:
  // `name`, when given, receives syscall_name() of the pair (null when unknown).
  SyscallKind lookup(uint32_t arch, int64_t number, const char** name = nullptr);

 private:
  struct Known {
    SyscallKind kind;
    const char* name;
  };
  std::unordered_map<uint64_t, Known> cache_;
};

SyscallKind syscall_kind_from_name(const char* name);

// The syscall's name in libaudit's table for the architecture ("setuid32",
// "socketcall" on i386): what Auditd Manager reports as auditd.data.syscall.
// Null when unknown. The string is libaudit's, valid for the program's life.
const char* syscall_name(uint32_t arch, int64_t number);

}  // namespace auditeql::events
