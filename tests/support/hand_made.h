#pragma once
// Rules, events and alert sinks made by hand, for the suites that test the
// rule set, the alert builder and the detector without a pipeline.
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include "ecs/event.h"
#include "rules/rule.h"
#include "sinks/sink.h"
#include "util/json_value.h"

namespace auditeql::testing {

// A rule named after its id.
inline rules::RuleDefinition rule_definition(std::string id, std::string query) {
  rules::RuleDefinition r;
  r.name = id;
  r.id = std::move(id);
  r.query = std::move(query);
  return r;
}

// An exec by root of `executable` (its only argument), child of pid 1.
inline ecs::Event process_start(int64_t pid, int64_t time_ms, const std::string& executable, uint64_t serial) {
  ecs::Event e;
  e.kind = ecs::EventKind::ProcessStart;
  e.time_ms = time_ms;
  e.host_name = "web1";
  e.pid = pid;
  e.parent_pid = 1;
  e.uid = e.euid = e.gid = 0;
  e.user_name = "root";
  e.process = ecs::make_process_image(executable, {executable});
  e.sequence = serial;
  e.key = "bp_exec";
  return e;
}

// `path` created by the same kind of process.
inline ecs::Event file_creation(int64_t pid, int64_t time_ms, const std::string& path, uint64_t serial,
                                const std::string& executable = "/usr/bin/cp") {
  ecs::Event e = process_start(pid, time_ms, executable, serial);
  e.kind = ecs::EventKind::FileCreation;
  e.file_path = path;
  e.key = "bp_boot";
  return e;
}

// The member at `path` of a parsed document; throws when one is missing.
inline const util::JsonValue& json_at(const util::JsonValue& doc, std::initializer_list<const char*> path) {
  const util::JsonValue* v = &doc;
  for (const char* key : path) {
    v = v->find(key);
    if (!v) throw std::runtime_error(std::string("missing ") + key);
  }
  return *v;
}

class CollectingSink final : public sinks::AlertSink {
 public:
  void write(const alerts::Alert& alert) override { alerts.push_back(alert.json); }
  std::vector<std::string> alerts;
};

}  // namespace auditeql::testing
