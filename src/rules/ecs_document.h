#pragma once
// How compiled EQL sees a normalized event: ECS field names resolve once, at
// compile time, to ids; evaluating reads the event's members directly.
#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include "ecs/event.h"
#include "eql/values.h"

namespace auditeql::rules {

enum class EcsField : eql::FieldId {
  Timestamp,
  EventKind,
  EventCategory,
  EventType,
  EventAction,
  HostName,
  HostOsType,
  ProcessPid,
  ProcessExecutable,
  ProcessName,
  ProcessArgs,
  ProcessArgsCount,
  ProcessCommandLine,
  ProcessWorkingDirectory,
  ParentPid,
  ParentExecutable,
  ParentName,
  ParentArgs,
  ParentArgsCount,
  ParentCommandLine,
  UserId,
  UserName,
  UserEffectiveId,
  GroupId,
  FilePath,
  FileName,
  FileDirectory,
  FileExtension,
  AuditdSequence,
  AuditdKey,
  Count  // ids from here on name fields auditeql never sets
};

// The ECS names auditeql fills in, e.g. for documentation and `check`.
const std::vector<std::string>& ecs_field_names();

class EcsSchema : public eql::Schema {
 public:
  eql::FieldId resolve(std::string_view dotted_name) override;
  // Constant for auditeql's events: host.os.type is "linux", and a process
  // query only ever sees exec starts (event.type "start", action "exec").
  bool known_values(eql::FieldId field, std::string_view category, eql::FieldValues& out) const override;
  // Names queries asked for that events never carry.
  const std::vector<std::string>& unknown_fields() const { return unknown_; }
  bool is_known(eql::FieldId id) const { return id < static_cast<eql::FieldId>(EcsField::Count); }

 private:
  std::unordered_map<std::string, eql::FieldId> unknown_ids_;
  std::vector<std::string> unknown_;
};

class EcsDocument : public eql::Document {
 public:
  explicit EcsDocument(const ecs::Event& event) : event_(event) {}
  eql::FieldValues get(eql::FieldId id) const override;

 private:
  std::string_view id_text(int64_t id, std::array<char, 24>& buffer) const;

  const ecs::Event& event_;
  // user.id and friends are keywords in ECS; formatted on demand, no heap.
  mutable std::array<char, 24> uid_{}, euid_{}, gid_{};
};

}  // namespace auditeql::rules
