#pragma once
// Stage 3 output: a normalized, ECS-shaped event, the unit the rules see.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace auditeql::ecs {

// What is known of a process image: the program a pid runs since its last
// exec (a forked child that never exec'd shares its parent's image). Shared,
// immutable: the process table, its children's events and alerts point at
// the same object instead of copying argv around. Compact, because the
// process table holds tens of thousands: the arguments are views into the
// command line, the name a view into the executable.
struct ProcessImage {
  ProcessImage() = default;
  ProcessImage(const ProcessImage&) = delete;  // the views point into its own strings
  ProcessImage& operator=(const ProcessImage&) = delete;

  std::string executable;
  std::string_view name;               // base name of `executable`, inside it
  std::string command_line;            // the arguments joined by spaces
  std::vector<std::string_view> args;  // each argument, inside `command_line`
};
using ProcessImagePtr = std::shared_ptr<const ProcessImage>;

ProcessImagePtr make_process_image(std::string executable, const std::vector<std::string>& args);

// The kinds of events auditeql emits; src/normalize/EVENT-KINDS.md says what
// each is built from. Most are shaped as Elastic Defend reports them; the last
// three as Auditd Manager does (Defend has no such event, and Elastic's rules
// for them are written for Auditd Manager's data).
enum class EventKind : uint8_t {
  ProcessStart,         // exec
  FileCreation,
  FileRename,
  FileDeletion,
  ConnectionAttempted,  // connect
  ConnectionAccepted,   // accept, accept4
  UidChange,            // set*uid that changed the ids
  GidChange,            // set*gid that changed the ids
  SessionIdChange,      // setsid
  ModuleLoad,           // init_module/finit_module the kernel accepted (Defend's load_module)
  ProcessEnd,           // exit_group
  DriverLoad,           // every init_module/finit_module attempt (Auditd Manager)
  SignalSent,           // kill, tkill, tgkill (Auditd Manager)
  ProcessControl,       // prctl (Auditd Manager)
};
inline constexpr size_t kEventKindCount = 14;

// A set of event kinds, one bit per kind.
using KindMask = uint32_t;
constexpr KindMask kind_bit(EventKind kind) { return KindMask{1} << static_cast<unsigned>(kind); }
inline constexpr KindMask kAllKinds = (KindMask{1} << kEventKindCount) - 1;
inline constexpr KindMask kFileKinds =
    kind_bit(EventKind::FileCreation) | kind_bit(EventKind::FileRename) | kind_bit(EventKind::FileDeletion);
inline constexpr KindMask kNetworkKinds =
    kind_bit(EventKind::ConnectionAttempted) | kind_bit(EventKind::ConnectionAccepted);
inline constexpr KindMask kAuditdManagerKinds =
    kind_bit(EventKind::DriverLoad) | kind_bit(EventKind::SignalSent) | kind_bit(EventKind::ProcessControl);
inline constexpr KindMask kDefendKinds = kAllKinds & ~kAuditdManagerKinds;

inline constexpr int64_t kNoId = -1;

// process.entity_id: 128 bits, written as 32 hex digits. Zero is "none".
struct EntityId {
  uint64_t high = 0;
  uint64_t low = 0;
  bool empty() const { return high == 0 && low == 0; }
  bool operator==(const EntityId&) const = default;
};
inline constexpr size_t kEntityIdChars = 32;
// Writes the 32 lowercase hex digits of `id` to `out`.
void format_entity_id(const EntityId& id, char* out);

struct Event {
  EventKind kind = EventKind::ProcessStart;
  int64_t time_ms = 0;
  std::string host_name;
  std::string host_id;
  uint64_t sequence = 0;  // audit serial
  std::string key;        // audit rule key

  int64_t pid = kNoId;
  EntityId entity_id;
  ProcessImagePtr process;  // null when nothing is known of the process
  std::string working_directory;
  bool interactive = false;  // the process has a controlling terminal
  int64_t parent_pid = kNoId;
  EntityId parent_entity_id;
  ProcessImagePtr parent;   // null when the parent is unknown
  // The parent's effective ids and terminal as last known; kNoId / -1 when unknown.
  int64_t parent_euid = kNoId;
  int64_t parent_egid = kNoId;
  int8_t parent_interactive = -1;

  // The process's ids when the syscall returned.
  int64_t uid = kNoId;
  int64_t euid = kNoId;
  int64_t gid = kNoId;
  int64_t egid = kNoId;
  std::string user_name;            // uid's name
  std::string effective_user_name;  // euid's name

  // auditd.*: the syscall as Auditd Manager reports it.
  std::string_view syscall;  // libaudit's name (static storage); empty when unknown
  bool has_args = false;     // a0..a3 were recorded (not for execve)
  uint64_t args[4] = {0, 0, 0, 0};
  std::string_view result;   // auditd.result: "success", "fail", "unknown"
  std::string_view outcome;  // event.outcome where the kind has one; empty otherwise

  std::string file_path;  // file events only; absolute unless it could not be resolved
  // auditeql.file_path_inferred: file_path was placed under the watched
  // directory of the audit key, the log naming no directory for the name.
  bool file_path_inferred = false;
  std::string original_path;  // renames: the old name, resolved like file_path; empty when unknown

  // Network events: empty / -1 when unknown.
  std::string source_ip;
  int32_t source_port = -1;
  std::string destination_ip;
  int32_t destination_port = -1;
  std::string_view network_type;       // "ipv4", "ipv6"
  std::string_view network_transport;  // "tcp", "udp"

  int64_t exit_code = kNoId;  // ProcessEnd
  std::string module_name;    // ModuleLoad, DriverLoad: as the kernel named it; empty when unknown

  std::string_view file_name() const;
  std::string_view file_directory() const;
  std::string_view file_extension() const;
  std::string_view original_name() const;
  std::string_view original_extension() const;
};

// How ECS classifies each kind of event: the values of event.category,
// event.type and event.action, fixed per kind.
struct KindClassification {
  std::string_view category;  // "process", "file", "network", "driver"
  std::string_view type;      // "start", "creation", "change", "deletion", "end", "info"
  std::string_view action;    // "exec", "creation", "rename"...; empty: the kind has none
};
const KindClassification& classification(EventKind kind);

// The kinds whose events an EQL query of `category` sees ("any": all).
KindMask kinds_of_category(std::string_view category);

}  // namespace auditeql::ecs
