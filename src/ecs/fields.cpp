#include "ecs/fields.h"

#include <algorithm>
#include <charconv>

#include "util/json_writer.h"

namespace auditeql::ecs {
namespace {

using util::FieldValues;

constexpr KindMask kAll = kAllKinds;
constexpr KindMask kFile = kFileKinds;
constexpr KindMask kNetwork = kNetworkKinds;
constexpr KindMask kDefend = kDefendKinds;
constexpr KindMask kAuditdManager = kAuditdManagerKinds;
constexpr KindMask kRename = kind_bit(EventKind::FileRename);
constexpr KindMask kEnd = kind_bit(EventKind::ProcessEnd);
constexpr KindMask kModuleLoad = kind_bit(EventKind::ModuleLoad);
constexpr KindMask kWithOutcome = kind_bit(EventKind::ConnectionAttempted) | kAuditdManagerKinds;

bool auditd_manager_shaped(const Event& e) { return (kind_bit(e.kind) & kAuditdManager) != 0; }

FieldValues text_or_none(std::string_view s) { return s.empty() ? FieldValues::none() : FieldValues::of(s); }
FieldValues number_or_none(int64_t n) { return n < 0 ? FieldValues::none() : FieldValues::of(n); }

// ECS keeps user and group ids as keywords: the audit record's number as text.
FieldValues id_text(int64_t id, FieldScratch& scratch) {
  if (id < 0) return FieldValues::none();
  const auto res = std::to_chars(scratch.text, scratch.text + sizeof scratch.text, id);
  return FieldValues::of(std::string_view(scratch.text, static_cast<size_t>(res.ptr - scratch.text)));
}

FieldValues port_or_none(int32_t port) { return port < 0 ? FieldValues::none() : FieldValues::of(static_cast<int64_t>(port)); }

FieldValues entity_text(const EntityId& id, FieldScratch& scratch) {
  if (id.empty()) return FieldValues::none();
  format_entity_id(id, scratch.text);
  return FieldValues::of(std::string_view(scratch.text, kEntityIdChars));
}

// A syscall argument as the kernel prints it and Auditd Manager keeps it:
// lowercase hex, no 0x, no leading zeros (15 -> "f", AT_FDCWD -> "ffffff9c").
template <int index>
FieldValues argument_hex(const Event& e, FieldScratch& scratch) {
  if (!e.has_args) return FieldValues::none();
  const auto res = std::to_chars(scratch.text, scratch.text + sizeof scratch.text, e.args[index], 16);
  return FieldValues::of(std::string_view(scratch.text, static_cast<size_t>(res.ptr - scratch.text)));
}

// user.* follows the schema of the kind's shape. Elastic Defend's user is the
// effective one (its user.Ext.real is the user "prior to any setuid
// operations"; ECS RFC 0030's Linux event model: user.id is the euid);
// Auditd Manager's is the real one, with user.effective only when it differs.
FieldValues user_id(const Event& e, FieldScratch& s) { return id_text(auditd_manager_shaped(e) ? e.uid : e.euid, s); }
FieldValues user_name(const Event& e, FieldScratch&) {
  return text_or_none(auditd_manager_shaped(e) ? e.user_name : e.effective_user_name);
}
FieldValues user_effective_id(const Event& e, FieldScratch& s) {
  if (auditd_manager_shaped(e) && e.euid == e.uid) return FieldValues::none();
  return id_text(e.euid, s);
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
FieldValues action_of(EventKind k) { return text_or_none(classification(k).action); }
FieldValues direction_of(EventKind k) {
  return FieldValues::of(k == EventKind::ConnectionAccepted ? std::string_view("ingress") : std::string_view("egress"));
}

template <const std::string_view* value>
constexpr EventField constant_field(std::string_view name, bool array = false) {
  return {name, FieldType::Keyword, array, kAll, by_kind<constant<value>>, constant<value>};
}

// Sorted by name (checked below): the JSON writer relies on it.
constexpr EventField kFields[] = {
    {"@timestamp", FieldType::Date, false, kAll, [](const Event& e, FieldScratch&) { return FieldValues::of(e.time_ms); }, nullptr},
    constant_field<&kSensorName>("agent.type"),
    constant_field<&kSensorVersion>("agent.version"),
    // Auditd Manager's auditd.data.*, on every event: the rules written for
    // its data (kernel driver loads, prctl, kill signals) test them.
    {"auditd.data.a0", FieldType::Keyword, false, kAll, argument_hex<0>, nullptr},
    {"auditd.data.a1", FieldType::Keyword, false, kAll, argument_hex<1>, nullptr},
    {"auditd.data.a2", FieldType::Keyword, false, kAll, argument_hex<2>, nullptr},
    {"auditd.data.a3", FieldType::Keyword, false, kAll, argument_hex<3>, nullptr},
    {"auditd.data.syscall", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch&) { return text_or_none(e.syscall); }, nullptr},
    {"auditd.key", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch&) { return text_or_none(e.key); }, nullptr},
    {"auditd.result", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch&) { return text_or_none(e.result); }, nullptr},
    {"auditd.sequence", FieldType::Long, false, kAll,
     [](const Event& e, FieldScratch&) { return FieldValues::of(static_cast<int64_t>(e.sequence)); }, nullptr},
    // Auditd Manager names a loaded module here.
    {"auditd.summary.object.primary", FieldType::Keyword, false, kind_bit(EventKind::DriverLoad),
     [](const Event& e, FieldScratch&) { return text_or_none(e.module_name); }, nullptr},
    // The log named no directory for a name created through a directory fd:
    // file.path was placed under the watched directory of the audit key.
    {"auditeql.file_path_inferred", FieldType::Boolean, false, kFile,
     [](const Event& e, FieldScratch&) { return e.file_path_inferred ? FieldValues::of(true) : FieldValues::none(); },
     nullptr},
    {"destination.address", FieldType::Keyword, false, kNetwork, [](const Event& e, FieldScratch&) { return text_or_none(e.destination_ip); }, nullptr},
    {"destination.ip", FieldType::Ip, false, kNetwork, [](const Event& e, FieldScratch&) { return text_or_none(e.destination_ip); }, nullptr},
    {"destination.port", FieldType::Long, false, kNetwork, [](const Event& e, FieldScratch&) { return port_or_none(e.destination_port); }, nullptr},
    constant_field<&kVersion>("ecs.version"),
    {"event.action", FieldType::Keyword, false, kAll, by_kind<action_of>, action_of},
    {"event.category", FieldType::Keyword, true, kAll, by_kind<category_of>, category_of},
    constant_field<&kEventDataset>("event.dataset"),
    constant_field<&kEventKindEvent>("event.kind"),
    constant_field<&kSensorName>("event.module"),
    {"event.outcome", FieldType::Keyword, false, kWithOutcome, [](const Event& e, FieldScratch&) { return text_or_none(e.outcome); }, nullptr},
    {"event.type", FieldType::Keyword, true, kAll, by_kind<type_of>, type_of},
    // Elastic Defend's rename events carry the name before the rename.
    {"file.Ext.original.extension", FieldType::Keyword, false, kRename, [](const Event& e, FieldScratch&) { return text_or_none(e.original_extension()); }, nullptr},
    {"file.Ext.original.name", FieldType::Keyword, false, kRename, [](const Event& e, FieldScratch&) { return text_or_none(e.original_name()); }, nullptr},
    {"file.Ext.original.path", FieldType::Keyword, false, kRename, [](const Event& e, FieldScratch&) { return text_or_none(e.original_path); }, nullptr},
    {"file.directory", FieldType::Keyword, false, kFile, [](const Event& e, FieldScratch&) { return text_or_none(e.file_directory()); }, nullptr},
    {"file.extension", FieldType::Keyword, false, kFile, [](const Event& e, FieldScratch&) { return text_or_none(e.file_extension()); }, nullptr},
    {"file.name", FieldType::Keyword, false, kFile, [](const Event& e, FieldScratch&) { return text_or_none(e.file_name()); }, nullptr},
    {"file.path", FieldType::Keyword, false, kFile, [](const Event& e, FieldScratch&) { return text_or_none(e.file_path); }, nullptr},
    {"group.Ext.real.id", FieldType::Keyword, false, kDefend, [](const Event& e, FieldScratch& s) { return id_text(e.gid, s); }, nullptr},
    {"group.id", FieldType::Keyword, false, kDefend, [](const Event& e, FieldScratch& s) { return id_text(e.egid, s); }, nullptr},
    {"host.hostname", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch&) { return text_or_none(e.host_name); }, nullptr},
    {"host.id", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch&) { return text_or_none(e.host_id); }, nullptr},
    {"host.name", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch&) { return text_or_none(e.host_name); }, nullptr},
    constant_field<&kLinux>("host.os.type"),
    {"network.direction", FieldType::Keyword, false, kNetwork, by_kind<direction_of>, direction_of},
    {"network.transport", FieldType::Keyword, false, kNetwork, [](const Event& e, FieldScratch&) { return text_or_none(e.network_transport); }, nullptr},
    {"network.type", FieldType::Keyword, false, kNetwork, [](const Event& e, FieldScratch&) { return text_or_none(e.network_type); }, nullptr},
    {"process.Ext.load_module.name", FieldType::Keyword, false, kModuleLoad, [](const Event& e, FieldScratch&) { return text_or_none(e.module_name); }, nullptr},
    {"process.args", FieldType::Keyword, true, kAll, image_args<own_image>, nullptr},
    {"process.args_count", FieldType::Long, false, kAll, image_args_count<own_image>, nullptr},
    {"process.command_line", FieldType::Wildcard, false, kAll, image_command_line<own_image>, nullptr},
    {"process.entity_id", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch& s) { return entity_text(e.entity_id, s); }, nullptr},
    {"process.executable", FieldType::Keyword, false, kAll, image_executable<own_image>, nullptr},
    {"process.exit_code", FieldType::Long, false, kEnd, [](const Event& e, FieldScratch&) { return number_or_none(e.exit_code); }, nullptr},
    {"process.group.id", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch& s) { return id_text(e.egid, s); }, nullptr},
    {"process.interactive", FieldType::Boolean, false, kAll, [](const Event& e, FieldScratch&) { return FieldValues::of(e.interactive); }, nullptr},
    {"process.name", FieldType::Keyword, false, kAll, image_name<own_image>, nullptr},
    {"process.parent.args", FieldType::Keyword, true, kAll, image_args<parent_image>, nullptr},
    {"process.parent.args_count", FieldType::Long, false, kAll, image_args_count<parent_image>, nullptr},
    {"process.parent.command_line", FieldType::Wildcard, false, kAll, image_command_line<parent_image>, nullptr},
    {"process.parent.entity_id", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch& s) { return entity_text(e.parent_entity_id, s); }, nullptr},
    {"process.parent.executable", FieldType::Keyword, false, kAll, image_executable<parent_image>, nullptr},
    {"process.parent.group.id", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch& s) { return id_text(e.parent_egid, s); }, nullptr},
    {"process.parent.interactive", FieldType::Boolean, false, kAll,
     [](const Event& e, FieldScratch&) { return e.parent_interactive < 0 ? FieldValues::none() : FieldValues::of(e.parent_interactive > 0); },
     nullptr},
    {"process.parent.name", FieldType::Keyword, false, kAll, image_name<parent_image>, nullptr},
    {"process.parent.pid", FieldType::Long, false, kAll, [](const Event& e, FieldScratch&) { return number_or_none(e.parent_pid); }, nullptr},
    {"process.parent.user.id", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch& s) { return id_text(e.parent_euid, s); }, nullptr},
    {"process.pid", FieldType::Long, false, kAll, [](const Event& e, FieldScratch&) { return number_or_none(e.pid); }, nullptr},
    {"process.real_group.id", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch& s) { return id_text(e.gid, s); }, nullptr},
    {"process.real_user.id", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch& s) { return id_text(e.uid, s); }, nullptr},
    {"process.user.id", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch& s) { return id_text(e.euid, s); }, nullptr},
    {"process.working_directory", FieldType::Keyword, false, kAll, [](const Event& e, FieldScratch&) { return text_or_none(e.working_directory); }, nullptr},
    {"source.address", FieldType::Keyword, false, kNetwork, [](const Event& e, FieldScratch&) { return text_or_none(e.source_ip); }, nullptr},
    {"source.ip", FieldType::Ip, false, kNetwork, [](const Event& e, FieldScratch&) { return text_or_none(e.source_ip); }, nullptr},
    {"source.port", FieldType::Long, false, kNetwork, [](const Event& e, FieldScratch&) { return port_or_none(e.source_port); }, nullptr},
    {"user.Ext.real.id", FieldType::Keyword, false, kDefend, [](const Event& e, FieldScratch& s) { return id_text(e.uid, s); }, nullptr},
    {"user.effective.id", FieldType::Keyword, false, kAll, user_effective_id, nullptr},
    {"user.group.id", FieldType::Keyword, false, kAuditdManager, [](const Event& e, FieldScratch& s) { return id_text(e.gid, s); }, nullptr},
    {"user.id", FieldType::Keyword, false, kAll, user_id, nullptr},
    {"user.name", FieldType::Keyword, false, kAll, user_name, nullptr},
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
