#pragma once
// The plugin's alert about itself: a configuration, rule or exception file
// it refused. The plugin runs on with what loaded (a content error never
// takes detection away), and says so where the alerts go, in the alerts'
// shape, so that the SIEM that watches the alerts sees that detection is
// reduced: one line of JSON per refused file with event.kind "alert" and
// rule.name "auditeql: configuration refused", repeated at an interval until
// a reload loads everything.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "alerts/alert_builder.h"
#include "rules/diagnostics.h"

namespace auditeql::app {

inline constexpr const char* kRefusedRuleName = "auditeql: configuration refused";

struct RefusedFile {
  std::string path;   // "" when the problem names no file
  std::string error;  // its first error: "LINE:COLUMN: message" (or just the message)
  size_t errors = 0;  // errors in this file
};

// The files with errors in `diagnostics`, in the order of their first error.
std::vector<RefusedFile> refused_files(const rules::Diagnostics& diagnostics);

struct RefusedContext {
  std::string host_name;
  std::string host_id;
  int64_t time_ms = 0;        // @timestamp
  int64_t since_ms = 0;       // when the refusal was first seen
  bool at_reload = false;     // a reload was refused (the previous set runs) rather than part of a start
  size_t rules_running = 0;
  size_t refused_files = 0;   // how many files are refused in all
};

// The fields the alert has outside ECS, under auditeql.*.
std::span<const alerts::OwnField> refused_alert_own_fields();

// One alert naming `file`, at most `max_bytes` long (0: no limit) when the
// fixed fields fit: the file name and error text are shortened first.
// Whatever bytes they hold, the alert stays one line of valid JSON.
void build_refused_alert(const RefusedFile& file, const RefusedContext& context, size_t max_bytes,
                         alerts::Alert& out);

}  // namespace auditeql::app
