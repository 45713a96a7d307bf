#pragma once
// ECS JSON rendering of normalized events, shared by `auditeql events` and the
// alerts (which wrap the same fields with rule and threat data).
#include <string>

#include "ecs/event.h"
#include "util/json_writer.h"

namespace auditeql::ecs {

// "category", "type" and "action" keys, for inside an open "event" object.
void write_classification(util::JsonWriter& w, const Event& e);

// The "host", "process", "user", "group", "file" and "auditd" objects, for
// inside an open top-level object. Unknown values are left out, never faked.
void write_subject_fields(util::JsonWriter& w, const Event& e);

// auditeql's own fields of the event (auditeql.file_path_inferred), for
// inside an open "auditeql" object; an alert adds its own members to the
// same object. has_auditeql_fields: whether there is any to write.
bool has_auditeql_fields(const Event& e);
void write_auditeql_fields(util::JsonWriter& w, const Event& e);

// One complete single-line document: {"@timestamp":…,"event":{"kind":"event",…},…}
void append_event_json(std::string& out, const Event& e);

}  // namespace auditeql::ecs
