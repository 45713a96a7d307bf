#pragma once
// Shared by the fuzz targets: invariant checks that abort() with a message
// (libFuzzer and the replay driver both report an abort as a crash), and the
// alert document invariant.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "alerts/alert.h"
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

// An alert is one line of valid JSON (what syslog and NDJSON consumers rely
// on) whose top-level keys are the ones the alert builder writes. With
// max_bytes (not 0) and `must_fit`, it is no longer than max_bytes.
inline void check_alert(const alerts::Alert& alert, size_t max_bytes, bool must_fit) {
  static constexpr std::string_view kKnownKeys[] = {"@timestamp", "event", "rule",    "threat", "tags",  "host",
                                                    "process",    "user",  "group",   "file",   "auditd", "auditeql"};
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
  for (const auto& member : doc.as_object()) {
    bool known = false;
    for (const auto k : kKnownKeys) known = known || member.key == k;
    check(known, "alert has an unknown top-level key", member.key + " in: " + json);
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
