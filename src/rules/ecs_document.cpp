#include "rules/ecs_document.h"

#include <algorithm>
#include <charconv>

namespace auditeql::rules {
namespace {

const std::string kProcess[] = {"process"};
const std::string kFile[] = {"file"};
const std::string kStart[] = {"start"};
const std::string kCreation[] = {"creation"};
const std::string kChange[] = {"change"};

const std::unordered_map<std::string_view, EcsField>& field_index() {
  static const std::unordered_map<std::string_view, EcsField> index = {
      {"@timestamp", EcsField::Timestamp},
      {"event.kind", EcsField::EventKind},
      {"event.category", EcsField::EventCategory},
      {"event.type", EcsField::EventType},
      {"event.action", EcsField::EventAction},
      {"host.name", EcsField::HostName},
      {"host.hostname", EcsField::HostName},
      {"host.os.type", EcsField::HostOsType},
      {"process.pid", EcsField::ProcessPid},
      {"process.executable", EcsField::ProcessExecutable},
      {"process.name", EcsField::ProcessName},
      {"process.args", EcsField::ProcessArgs},
      {"process.args_count", EcsField::ProcessArgsCount},
      {"process.command_line", EcsField::ProcessCommandLine},
      {"process.working_directory", EcsField::ProcessWorkingDirectory},
      {"process.parent.pid", EcsField::ParentPid},
      {"process.parent.executable", EcsField::ParentExecutable},
      {"process.parent.name", EcsField::ParentName},
      {"process.parent.args", EcsField::ParentArgs},
      {"process.parent.args_count", EcsField::ParentArgsCount},
      {"process.parent.command_line", EcsField::ParentCommandLine},
      {"user.id", EcsField::UserId},
      {"user.name", EcsField::UserName},
      {"user.effective.id", EcsField::UserEffectiveId},
      {"group.id", EcsField::GroupId},
      {"file.path", EcsField::FilePath},
      {"file.name", EcsField::FileName},
      {"file.directory", EcsField::FileDirectory},
      {"file.extension", EcsField::FileExtension},
      {"auditd.sequence", EcsField::AuditdSequence},
      {"auditd.key", EcsField::AuditdKey},
  };
  return index;
}

eql::FieldValues string_or_none(std::string_view s) {
  return s.empty() ? eql::FieldValues::none() : eql::FieldValues::of(s);
}

eql::FieldValues image_field(const ecs::ProcessImagePtr& image, EcsField field) {
  if (!image) return eql::FieldValues::none();
  switch (field) {
    case EcsField::ProcessExecutable:
    case EcsField::ParentExecutable: return string_or_none(image->executable);
    case EcsField::ProcessName:
    case EcsField::ParentName: return string_or_none(image->name);
    case EcsField::ProcessArgs:
    case EcsField::ParentArgs: return eql::FieldValues::of(std::span<const std::string_view>(image->args));
    case EcsField::ProcessArgsCount:
    case EcsField::ParentArgsCount:
      return image->args.empty() ? eql::FieldValues::none() : eql::FieldValues::of(static_cast<int64_t>(image->args.size()));
    case EcsField::ProcessCommandLine:
    case EcsField::ParentCommandLine: return image->args.empty() ? eql::FieldValues::none() : eql::FieldValues::of(std::string_view(image->command_line));
    default: return eql::FieldValues::none();
  }
}

}  // namespace

const std::vector<std::string>& ecs_field_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [name, field] : field_index()) out.emplace_back(name);
    std::sort(out.begin(), out.end());
    return out;
  }();
  return names;
}

eql::FieldId EcsSchema::resolve(std::string_view dotted_name) {
  if (const auto it = field_index().find(dotted_name); it != field_index().end()) {
    return static_cast<eql::FieldId>(it->second);
  }
  std::string name(dotted_name);
  if (const auto it = unknown_ids_.find(name); it != unknown_ids_.end()) return it->second;
  const auto id = static_cast<eql::FieldId>(EcsField::Count) + static_cast<eql::FieldId>(unknown_.size());
  unknown_ids_.emplace(name, id);
  unknown_.push_back(std::move(name));
  return id;
}

bool EcsSchema::known_values(eql::FieldId id, std::string_view category, eql::FieldValues& out) const {
  switch (static_cast<EcsField>(id)) {
    case EcsField::HostOsType: out = eql::FieldValues::of(std::string_view("linux")); return true;
    case EcsField::EventKind: out = eql::FieldValues::of(std::string_view("event")); return true;
    case EcsField::EventCategory:
      if (category == "process") out = eql::FieldValues::of(std::span<const std::string>(kProcess));
      else if (category == "file") out = eql::FieldValues::of(std::span<const std::string>(kFile));
      else return false;
      return true;
    case EcsField::EventType:
      if (category != "process") return false;  // file events are creations or changes
      out = eql::FieldValues::of(std::span<const std::string>(kStart));
      return true;
    case EcsField::EventAction:
      if (category != "process") return false;
      out = eql::FieldValues::of(ecs::event_action(ecs::EventKind::ProcessStart));
      return true;
    default:
      return false;
  }
}

std::string_view EcsDocument::id_text(int64_t id, std::array<char, 24>& buffer) const {
  if (id < 0) return {};
  const auto res = std::to_chars(buffer.data(), buffer.data() + buffer.size(), id);
  return std::string_view(buffer.data(), static_cast<size_t>(res.ptr - buffer.data()));
}

eql::FieldValues EcsDocument::get(eql::FieldId id) const {
  const ecs::Event& e = event_;
  const bool process = e.kind == ecs::EventKind::ProcessStart;
  const auto field = static_cast<EcsField>(id);
  switch (field) {
    case EcsField::Timestamp: return eql::FieldValues::of(e.time_ms);
    case EcsField::EventKind: return eql::FieldValues::of(std::string_view("event"));
    case EcsField::EventCategory: return eql::FieldValues::of(std::span<const std::string>(process ? kProcess : kFile));
    case EcsField::EventType:
      return eql::FieldValues::of(std::span<const std::string>(
          process ? kStart : (e.kind == ecs::EventKind::FileCreation ? kCreation : kChange)));
    case EcsField::EventAction: return eql::FieldValues::of(ecs::event_action(e.kind));
    case EcsField::HostName: return string_or_none(e.host_name);
    case EcsField::HostOsType: return eql::FieldValues::of(std::string_view("linux"));
    case EcsField::ProcessPid: return e.pid < 0 ? eql::FieldValues::none() : eql::FieldValues::of(e.pid);
    case EcsField::ProcessWorkingDirectory: return string_or_none(e.working_directory);
    case EcsField::ParentPid: return e.parent_pid < 0 ? eql::FieldValues::none() : eql::FieldValues::of(e.parent_pid);
    case EcsField::ProcessExecutable:
    case EcsField::ProcessName:
    case EcsField::ProcessArgs:
    case EcsField::ProcessArgsCount:
    case EcsField::ProcessCommandLine: return image_field(e.process, field);
    case EcsField::ParentExecutable:
    case EcsField::ParentName:
    case EcsField::ParentArgs:
    case EcsField::ParentArgsCount:
    case EcsField::ParentCommandLine: return image_field(e.parent, field);
    case EcsField::UserId: return string_or_none(id_text(e.uid, uid_));
    case EcsField::UserName: return string_or_none(e.user_name);
    case EcsField::UserEffectiveId: return string_or_none(id_text(e.euid, euid_));
    case EcsField::GroupId: return string_or_none(id_text(e.gid, gid_));
    case EcsField::FilePath: return process ? eql::FieldValues::none() : string_or_none(e.file_path);
    case EcsField::FileName: return process ? eql::FieldValues::none() : string_or_none(e.file_name());
    case EcsField::FileDirectory: return process ? eql::FieldValues::none() : string_or_none(e.file_directory());
    case EcsField::FileExtension: return process ? eql::FieldValues::none() : string_or_none(e.file_extension());
    case EcsField::AuditdSequence: return eql::FieldValues::of(static_cast<int64_t>(e.sequence));
    case EcsField::AuditdKey: return string_or_none(e.key);
    case EcsField::Count: break;
  }
  return eql::FieldValues::none();
}

}  // namespace auditeql::rules
