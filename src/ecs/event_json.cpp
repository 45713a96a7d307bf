#include "ecs/event_json.h"

#include "util/time.h"

namespace auditeql::ecs {
namespace {

void write_string_array(util::JsonWriter& w, const std::vector<std::string_view>& values) {
  w.begin_array();
  const size_t limit = w.limits().max_items;
  if (values.size() <= limit || limit < 2) {
    for (const auto& v : values) w.string(v);
  } else {
    // Keep the first items and say how many were left out.
    for (size_t i = 0; i + 1 < limit; ++i) w.string(values[i]);
    const std::string more = "[...+" + std::to_string(values.size() - (limit - 1)) + " more]";
    w.string(more);
  }
  w.end_array();
}

void write_image(util::JsonWriter& w, const ProcessImage& image) {
  if (!image.executable.empty()) {
    w.field("executable", image.executable);
    w.field("name", image.name);
  }
  if (!image.args.empty()) {
    w.key("args");
    write_string_array(w, image.args);
    w.field("args_count", static_cast<int64_t>(image.args.size()));
    w.field("command_line", image.command_line);
  }
}

void write_id(util::JsonWriter& w, std::string_view name, int64_t id) {
  // ECS keeps user and group ids as keywords.
  if (id >= 0) w.field(name, std::to_string(id));
}

}  // namespace

void write_classification(util::JsonWriter& w, const Event& e) {
  w.key("category");
  w.begin_array();
  w.string(event_category(e.kind));
  w.end_array();
  w.key("type");
  w.begin_array();
  w.string(event_type(e.kind));
  w.end_array();
  w.field("action", event_action(e.kind));
}

void write_subject_fields(util::JsonWriter& w, const Event& e) {
  w.key("host");
  w.begin_object();
  if (!e.host_name.empty()) w.field("name", e.host_name);
  w.key("os");
  w.begin_object();
  w.field("type", "linux");
  w.end_object();
  w.end_object();

  w.key("process");
  w.begin_object();
  if (e.pid >= 0) w.field("pid", e.pid);
  if (e.process) write_image(w, *e.process);
  if (!e.working_directory.empty()) w.field("working_directory", e.working_directory);
  if (e.parent_pid >= 0 || e.parent) {
    w.key("parent");
    w.begin_object();
    if (e.parent_pid >= 0) w.field("pid", e.parent_pid);
    if (e.parent) write_image(w, *e.parent);
    w.end_object();
  }
  w.end_object();

  if (e.uid >= 0 || e.euid >= 0 || !e.user_name.empty()) {
    w.key("user");
    w.begin_object();
    write_id(w, "id", e.uid);
    if (!e.user_name.empty()) w.field("name", e.user_name);
    if (e.euid >= 0) {
      w.key("effective");
      w.begin_object();
      write_id(w, "id", e.euid);
      w.end_object();
    }
    w.end_object();
  }
  if (e.gid >= 0) {
    w.key("group");
    w.begin_object();
    write_id(w, "id", e.gid);
    w.end_object();
  }

  if (e.kind != EventKind::ProcessStart) {
    w.key("file");
    w.begin_object();
    w.field("path", e.file_path);
    w.field("name", e.file_name());
    if (const auto dir = e.file_directory(); !dir.empty()) w.field("directory", dir);
    if (const auto ext = e.file_extension(); !ext.empty()) w.field("extension", ext);
    w.end_object();
  }

  w.key("auditd");
  w.begin_object();
  w.field("sequence", e.sequence);
  if (!e.key.empty()) w.field("key", e.key);
  w.end_object();
}

bool has_auditeql_fields(const Event& e) { return e.file_path_inferred; }

void write_auditeql_fields(util::JsonWriter& w, const Event& e) {
  if (e.file_path_inferred) w.field("file_path_inferred", true);
}

void append_event_json(std::string& out, const Event& e) {
  util::JsonWriter w(out);
  w.begin_object();
  w.key("@timestamp");
  w.string(util::iso8601_ms(e.time_ms));
  w.key("event");
  w.begin_object();
  w.field("kind", "event");
  write_classification(w, e);
  w.end_object();
  write_subject_fields(w, e);
  if (has_auditeql_fields(e)) {
    w.key("auditeql");
    w.begin_object();
    write_auditeql_fields(w, e);
    w.end_object();
  }
  w.end_object();
}

}  // namespace auditeql::ecs
