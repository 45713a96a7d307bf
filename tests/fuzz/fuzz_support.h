#pragma once
// Shared by the fuzz targets: invariant checks that abort() with a message
// (libFuzzer and the replay driver both report an abort as a crash), and the
// alert document invariant.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "alerts/alert.h"
#include "alerts/alert_builder.h"
#include "support/ecs_conformance.h"
#include "util/json_value.h"

namespace auditeql::fuzz {

[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "\nFUZZ INVARIANT VIOLATED: %s\n", what);
  if (!detail.empty()) {
    const size_t shown = detail.size() < 4096 ? detail.size() : 4096;
    std::fprintf(stderr, "  %.*s%s\n", static_cast<int>(shown), detail.data(), shown < detail.size() ? " [...]" : "");
  }
  std::fflush(stderr);
  std::abort();
}

inline void check(bool ok, const char* what, std::string_view detail = {}) {
  if (!ok) fail(what, detail);
}

// The same id and creation time for every alert, so that two renderings of
// one alert can be compared byte for byte.
inline const alerts::AlertStamp kFixedStamp{"00000000-0000-4000-8000-000000000000", 1795413900000};

// An event document conforms to ECS like an alert does.
inline void check_event_json(const std::string& json) {
  check(json.find('\n') == std::string::npos, "event JSON contains a newline", json);
  util::JsonValue doc;
  try {
    doc = util::parse_json(json);
  } catch (const util::JsonError& e) {
    fail("event is not valid JSON", std::string(e.what()) + " in: " + json);
  }
  for (const auto& problem : testing::ecs_conformance_problems(doc)) {
    fail("event does not conform to ECS", problem + " in: " + json);
  }
}

// An alert is one line of valid JSON (what syslog and NDJSON consumers rely
// on) whose every field conforms to ECS (or is one of auditeql's own): no
// input can add a field. With max_bytes (not 0) and `must_fit`, it is no
// longer than max_bytes.
inline void check_alert(const alerts::Alert& alert, size_t max_bytes, bool must_fit) {
  const std::string& json = alert.json;
  check(json.find('\n') == std::string::npos, "alert contains a newline", json);
  check(json.find('\r') == std::string::npos, "alert contains a carriage return", json);
  util::JsonValue doc;
  try {
    doc = util::parse_json(json);
  } catch (const util::JsonError& e) {
    fail("alert is not valid JSON", std::string(e.what()) + " in: " + json);
  }
  check(doc.is_object(), "alert is not a JSON object", json);
  for (const auto& problem : testing::ecs_conformance_problems(doc)) {
    fail("alert does not conform to ECS", problem + " in: " + json);
  }
  for (const auto k : {"@timestamp", "event", "rule"}) {
    check(doc.find(k) != nullptr, "alert lacks a required key", std::string(k) + " in: " + json);
  }
  if (max_bytes != 0 && must_fit) {
    check(json.size() <= max_bytes, "alert is longer than max_bytes",
          std::to_string(json.size()) + " > " + std::to_string(max_bytes) + ": " + json);
  }
}

}  // namespace auditeql::fuzz
