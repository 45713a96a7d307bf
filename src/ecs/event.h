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

enum class EventKind : uint8_t { ProcessStart, FileCreation, FileRename };
inline constexpr size_t kEventKindCount = 3;

// A set of event kinds, one bit per kind.
using KindMask = uint32_t;
constexpr KindMask kind_bit(EventKind kind) { return KindMask{1} << static_cast<unsigned>(kind); }
inline constexpr KindMask kAllKinds = (KindMask{1} << kEventKindCount) - 1;
inline constexpr KindMask kFileKinds = kind_bit(EventKind::FileCreation) | kind_bit(EventKind::FileRename);

inline constexpr int64_t kNoId = -1;

struct Event {
  EventKind kind = EventKind::ProcessStart;
  int64_t time_ms = 0;
  std::string host_name;
  uint64_t sequence = 0;  // audit serial
  std::string key;        // audit rule key

  int64_t pid = kNoId;
  ProcessImagePtr process;  // null when nothing is known of the process
  std::string working_directory;
  int64_t parent_pid = kNoId;
  ProcessImagePtr parent;   // null when the parent is unknown

  int64_t uid = kNoId;
  int64_t euid = kNoId;
  int64_t gid = kNoId;
  std::string user_name;

  std::string file_path;  // file events only; absolute unless it could not be resolved
  // auditeql.file_path_inferred: file_path was placed under the watched
  // directory of the audit key, the log naming no directory for the name.
  bool file_path_inferred = false;

  std::string_view file_name() const;
  std::string_view file_directory() const;
  std::string_view file_extension() const;
};

// How ECS classifies each kind of event: the values of event.category,
// event.type and event.action, fixed per kind.
struct KindClassification {
  std::string_view category;  // "process", "file"
  std::string_view type;      // "start", "creation", "change"
  std::string_view action;    // "exec", "creation", "rename"
};
const KindClassification& classification(EventKind kind);

// The kinds whose events an EQL query of `category` sees ("any": all).
KindMask kinds_of_category(std::string_view category);

}  // namespace auditeql::ecs
