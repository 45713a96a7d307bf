#pragma once
// The fields auditeql sets, in one table: the only place that says which
// ECS (and auditd.*, auditeql.*) fields a normalized event has, how each is
// read from an ecs::Event, when it is absent, and how it is written. The
// JSON writer, the EQL binding (rules/ecs_document), the rule index, field
// validation and the ECS conformance test all work from this table.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ecs/event.h"
#include "ecs/schema.h"
#include "util/field_values.h"
#include "util/json_fields.h"

namespace auditeql::ecs {

// Room for one value rendered as text while it is read (user.id is a
// keyword in ECS, a number in the audit record; process.entity_id is 32 hex
// digits). Each field read at the same time needs its own.
struct FieldScratch {
  char text[40];
};

// An upper bound on the number of fields in the registry, for arrays sized at compile time.
inline constexpr size_t kMaxEventFields = 128;

using FieldReader = util::FieldValues (*)(const Event& event, FieldScratch& scratch);

struct EventField {
  std::string_view name;  // dotted ECS name
  FieldType type;         // ECS type (checked against ECS by a test) or our own for auditd.*, auditeql.*
  bool array;             // written as a JSON array (ECS normalizes it to one)
  KindMask kinds;         // the kinds of events on which it can have a value
  // The field's values in an event: views into the event (or `scratch`),
  // empty when the event does not have the field.
  FieldReader read;
  // Set for fields whose value follows from the event kind alone
  // (event.category, host.os.type): that value.
  util::FieldValues (*for_kind)(EventKind kind);

  util::JsonForm json_form() const { return type == FieldType::Date ? util::JsonForm::EpochMillis : util::JsonForm::Value; }
};

// Every field auditeql sets, sorted by name. A field's index in this table
// is its id (EventFieldId) everywhere.
std::span<const EventField> event_fields();
using EventFieldId = uint32_t;
std::optional<EventFieldId> find_event_field(std::string_view name);
inline const EventField& event_field(EventFieldId id) { return event_fields()[id]; }

// The fields an event has, in name order, ready for a NestedJsonWriter.
// `scratch` must hold one FieldScratch per field of event_fields().
void present_fields(const Event& event, std::span<FieldScratch> scratch, std::vector<util::FlatField>& out);

// The fields that name the sensor and the schema on every document auditeql
// writes (agent.*, ecs.version, event.module), in name order: for documents
// built without an event, such as the plugin's alerts about itself.
void sensor_fields(std::vector<util::FlatField>& out);

// One complete single-line document: {"@timestamp":…,"event":{"kind":"event",…},…}
void append_event_json(std::string& out, const Event& event);

}  // namespace auditeql::ecs
