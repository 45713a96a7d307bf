#include "ecs/fields.h"

#include <algorithm>
#include <charconv>

#include "util/json_writer.h"

namespace auditeql::ecs {
namespace {

using util::FieldValues;

constexpr KindMask kAll = kAllKinds;
constexpr KindMask kFile = kFileKinds;

FieldValues text_or_none(std::string_view s) { return s.empty() ? FieldValues::none() : FieldValues::of(s); }
FieldValues number_or_none(int64_t n) { return n < 0 ? FieldValues::none() : FieldValues::of(n); }

// ECS keeps user and group ids as keywords: the audit record's number as text.
FieldValues id_text(int64_t id, FieldScratch& scratch) {
  if (id < 0) return FieldValues::none();
  const auto res = std::to_chars(scratch.text, scratch.text + sizeof scratch.text, id);
  return FieldValues::of(std::string_view(scratch.text, static_cast<size_t>(res.ptr - scratch.text)));
}

// Fields of a process image (the process itself or its parent).
using ImageOf = const ProcessImagePtr& (*)(const Event&);
const ProcessImagePtr& own_image(const Event& e) { return e.process; }
const ProcessImagePtr& parent_image(const Event& e) { return e.parent; }

template <ImageOf image>
FieldValues image_executable(const Event& e, FieldScratch&) {
  return image(e) ? text_or_none(image(e)->executable) : FieldValues::none();
}
template <ImageOf image>
FieldValues image_name(const Event& e, FieldScratch&) {
  return image(e) ? text_or_none(image(e)->name) : FieldValues::none();
}
// The arguments are known from the EXECVE records: an image learned only
// from exe= has none, and then the three argument fields are all absent.
template <ImageOf image>
FieldValues image_args(const Event& e, FieldScratch&) {
  return image(e) ? FieldValues::of(std::span<const std::string_view>(image(e)->args)) : FieldValues::none();
}
template <ImageOf image>
FieldValues image_args_count(const Event& e, FieldScratch&) {
  if (!image(e) || image(e)->args.empty()) return FieldValues::none();
  return FieldValues::of(static_cast<int64_t>(image(e)->args.size()));
}
template <ImageOf image>
FieldValues image_command_line(const Event& e, FieldScratch&) {
  if (!image(e) || image(e)->args.empty()) return FieldValues::none();
  return FieldValues::of(std::string_view(image(e)->command_line));
}

// A field whose value follows from the kind: read() just asks for_kind().
template <FieldValues (*for_kind)(EventKind)>
FieldValues by_kind(const Event& e, FieldScratch&) {
  return for_kind(e.kind);
}
template <const std::string_view* value>
FieldValues constant(EventKind) {
  return FieldValues::of(*value);
}

constexpr std::string_view kSensorName = "auditeql";
constexpr std::string_view kSensorVersion = AUDITEQL_VERSION;
constexpr std::string_view kEventDataset = "auditeql.events";
constexpr std::string_view kEventKindEvent = "event";
constexpr std::string_view kLinux = "linux";
constexpr std::string_view kVersion = kEcsVersion;

FieldValues category_of(EventKind k) { return FieldValues::of(classification(k).category); }
FieldValues type_of(EventKind k) { return FieldValues::of(classification(k).type); }
FieldValues action_of(EventKind k) { return FieldValues::of(classification(k).action); }

template <const std::string_view* value>
constexpr EventField constant_field(std::string_view name, bool array = false) {
  return {name, FieldType::Keyword, array, kAll, by_kind<constant<value>>, constant<value>};
}

// Sorted by name (checked below): the JSON writer relies on it.
constexpr EventField kFields[] = {
    {"@timestamp", FieldType::Date, false, kAll, [](const Event& e, FieldScratch&) { return FieldValues::of(e.time_ms); }, nullptr},
    constant_field<&kSensorName>("agent.type"),
    constant_field<&kSensorVersion>("agent.version"),
    {"auditd.key", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch&) { return text_or_none(e.key); }, nullptr},
    {"auditd.sequence", FieldType::Long, false, kAll,
     [](const Event& e, FieldScratch&) { return FieldValues::of(static_cast<int64_t>(e.sequence)); }, nullptr},
    // The log named no directory for a name created through a directory fd:
    // file.path was placed under the watched directory of the audit key.
    {"auditeql.file_path_inferred", FieldType::Boolean, false, kFile,
     [](const Event& e, FieldScratch&) { return e.file_path_inferred ? FieldValues::of(true) : FieldValues::none(); },
     nullptr},
    constant_field<&kVersion>("ecs.version"),
    {"event.action", FieldType::Keyword, false, kAll, by_kind<action_of>, action_of},
    {"event.category", FieldType::Keyword, true, kAll, by_kind<category_of>, category_of},
    constant_field<&kEventDataset>("event.dataset"),
    constant_field<&kEventKindEvent>("event.kind"),
    constant_field<&kSensorName>("event.module"),
    {"event.type", FieldType::Keyword, true, kAll, by_kind<type_of>, type_of},
    {"file.directory", FieldType::Keyword, false, kFile, [](const Event& e, FieldScratch&) { return text_or_none(e.file_directory()); }, nullptr},
    {"file.extension", FieldType::Keyword, false, kFile, [](const Event& e, FieldScratch&) { return text_or_none(e.file_extension()); }, nullptr},
    {"file.name", FieldType::Keyword, false, kFile, [](const Event& e, FieldScratch&) { return text_or_none(e.file_name()); }, nullptr},
    {"file.path", FieldType::Keyword, false, kFile, [](const Event& e, FieldScratch&) { return text_or_none(e.file_path); }, nullptr},
    {"group.id", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch& s) { return id_text(e.gid, s); }, nullptr},
    {"host.hostname", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch&) { return text_or_none(e.host_name); }, nullptr},
    {"host.name", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch&) { return text_or_none(e.host_name); }, nullptr},
    constant_field<&kLinux>("host.os.type"),
    {"process.args", FieldType::Keyword, true, kAll, image_args<own_image>, nullptr},
    {"process.args_count", FieldType::Long, false, kAll, image_args_count<own_image>, nullptr},
    {"process.command_line", FieldType::Wildcard, false, kAll, image_command_line<own_image>, nullptr},
    {"process.executable", FieldType::Keyword, false, kAll, image_executable<own_image>, nullptr},
    {"process.name", FieldType::Keyword, false, kAll, image_name<own_image>, nullptr},
    {"process.parent.args", FieldType::Keyword, true, kAll, image_args<parent_image>, nullptr},
    {"process.parent.args_count", FieldType::Long, false, kAll, image_args_count<parent_image>, nullptr},
    {"process.parent.command_line", FieldType::Wildcard, false, kAll, image_command_line<parent_image>, nullptr},
    {"process.parent.executable", FieldType::Keyword, false, kAll, image_executable<parent_image>, nullptr},
    {"process.parent.name", FieldType::Keyword, false, kAll, image_name<parent_image>, nullptr},
    {"process.parent.pid", FieldType::Long, false, kAll, [](const Event& e, FieldScratch&) { return number_or_none(e.parent_pid); }, nullptr},
    {"process.pid", FieldType::Long, false, kAll, [](const Event& e, FieldScratch&) { return number_or_none(e.pid); }, nullptr},
    {"process.working_directory", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch&) { return text_or_none(e.working_directory); }, nullptr},
    {"user.effective.id", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch& s) { return id_text(e.euid, s); }, nullptr},
    {"user.id", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch& s) { return id_text(e.uid, s); }, nullptr},
    {"user.name", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch&) { return text_or_none(e.user_name); }, nullptr},
};

constexpr bool sorted_by_name() {
  for (size_t i = 1; i < std::size(kFields); ++i) {
    if (!(kFields[i - 1].name < kFields[i].name)) return false;
  }
  return true;
}
static_assert(sorted_by_name(), "kFields must be sorted by name, each name once");
static_assert(std::size(kFields) <= kMaxEventFields);

}  // namespace

std::span<const EventField> event_fields() { return kFields; }

std::optional<EventFieldId> find_event_field(std::string_view name) {
  const auto* end = std::end(kFields);
  const auto* it = std::lower_bound(std::begin(kFields), end, name,
                                    [](const EventField& f, std::string_view n) { return f.name < n; });
  if (it == end || it->name != name) return std::nullopt;
  return static_cast<EventFieldId>(it - std::begin(kFields));
}

void present_fields(const Event& event, std::span<FieldScratch> scratch, std::vector<util::FlatField>& out) {
  out.clear();
  const KindMask kind = kind_bit(event.kind);
  for (size_t i = 0; i < std::size(kFields); ++i) {
    const EventField& f = kFields[i];
    if ((f.kinds & kind) == 0) continue;
    const FieldValues values = f.read(event, scratch[i]);
    if (values.empty()) continue;
    out.push_back({f.name, values, f.array, f.json_form(), static_cast<int32_t>(i)});
  }
}

void sensor_fields(std::vector<util::FlatField>& out) {
  static constexpr std::string_view kSensorFieldNames[] = {"agent.type", "agent.version", "ecs.version", "event.module"};
  for (const std::string_view name : kSensorFieldNames) {
    const EventField& f = kFields[*find_event_field(name)];
    out.push_back({f.name, f.for_kind(EventKind::ProcessStart), f.array, f.json_form(), -1});
  }
}

void append_event_json(std::string& out, const Event& event) {
  FieldScratch scratch[std::size(kFields)];
  // Reused per thread: `auditeql events` writes one document per event.
  thread_local std::vector<util::FlatField> fields;
  present_fields(event, scratch, fields);
  util::JsonWriter w(out);
  w.begin_object();
  {
    util::NestedJsonWriter nested(w);
    for (const auto& f : fields) nested.write(f);
  }
  w.end_object();
}

}  // namespace auditeql::ecs
