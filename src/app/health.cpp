#include "app/health.h"

#include <time.h>

#include <algorithm>
#include <map>

#include "ecs/fields.h"
#include "util/json_fields.h"
#include "util/json_writer.h"
#include "util/time.h"

namespace auditeql::app {
namespace {

constexpr const char* kRefusedRuleId = "auditeql-configuration-refused";
constexpr const char* kRefusedDescription =
    "auditeql refused a configuration, rule or exception file and runs without it, so detection may be reduced. "
    "Fix the file (auditeql check shows every problem) and reload auditeql with SIGHUP.";

std::string positioned(const rules::Diagnostic& d) {
  if (d.where.line == 0) return d.message;
  std::string out = std::to_string(d.where.line);
  if (d.where.column > 0) out += ':' + std::to_string(d.where.column);
  return out + ": " + d.message;
}

constexpr alerts::OwnField kOwnFields[] = {
    {"auditeql.errors_in_file", ecs::FieldType::Long, false},  // errors found in the refused file
    {"auditeql.refused_at", ecs::FieldType::Keyword, false},   // "start" or "reload"
    {"auditeql.refused_files", ecs::FieldType::Long, false},   // files refused in all
    {"auditeql.refused_since", ecs::FieldType::Date, false},   // when the refusal was first seen
    {"auditeql.rules_running", ecs::FieldType::Long, false},   // rules that run despite it
};

constexpr std::string_view kConfiguration = "configuration";
constexpr std::string_view kError = "error";

// The alert's fields, in name order (the writer nests them by prefix); the
// file name and error text, which can hold anything, within `max_text`.
void render(const RefusedFile& file, const RefusedContext& c, const std::string& id, int64_t created_ms,
            size_t max_text, std::string& out) {
  using util::FieldValues;
  using util::FlatField;
  using util::JsonForm;
  const int64_t severity = rules::severity_score(rules::Severity::High);
  const auto text = [](std::string_view v) { return v.empty() ? FieldValues::none() : FieldValues::of(v); };
  std::vector<FlatField> fields = {
      {"@timestamp", FieldValues::of(c.time_ms), false, JsonForm::EpochMillis},
      {kOwnFields[0].name, FieldValues::of(static_cast<int64_t>(file.errors))},
      {kOwnFields[1].name, FieldValues::of(std::string_view(c.at_reload ? "reload" : "start"))},
      {kOwnFields[2].name, FieldValues::of(static_cast<int64_t>(c.refused_files))},
      {kOwnFields[3].name, FieldValues::of(c.since_ms), false, JsonForm::EpochMillis},
      {kOwnFields[4].name, FieldValues::of(static_cast<int64_t>(c.rules_running))},
      {"error.message", FieldValues::of(std::string_view(file.error)), false, JsonForm::Value, 0},
      {"event.action", FieldValues::of(std::string_view("configuration-refused"))},
      {"event.category", FieldValues::of(kConfiguration), true},
      {"event.created", FieldValues::of(created_ms), false, JsonForm::EpochMillis},
      {"event.dataset", FieldValues::of(std::string_view("auditeql.alerts"))},
      {"event.id", text(id)},
      {"event.kind", FieldValues::of(std::string_view("alert"))},
      {"event.risk_score", FieldValues::of(severity)},
      {"event.severity", FieldValues::of(severity)},
      {"event.type", FieldValues::of(kError), true},
      {"file.path", text(file.path), false, JsonForm::Value, 0},
      {"host.hostname", text(c.host_name)},
      {"host.id", text(c.host_id)},
      {"host.name", text(c.host_name)},
      {"host.os.type", FieldValues::of(std::string_view("linux"))},
      {"log.level", FieldValues::of(std::string_view(rules::to_string(rules::Severity::High)))},
      {"rule.description", FieldValues::of(std::string_view(kRefusedDescription))},
      {"rule.id", FieldValues::of(std::string_view(kRefusedRuleId))},
      {"rule.name", FieldValues::of(std::string_view(kRefusedRuleName))},
      {"rule.ruleset", FieldValues::of(std::string_view("auditeql"))},
  };
  ecs::sensor_fields(fields);
  std::stable_sort(fields.begin(), fields.end(), [](const FlatField& a, const FlatField& b) { return a.name < b.name; });
  out.clear();
  util::JsonWriter w(out);
  w.begin_object();
  {
    util::NestedJsonWriter nested(w);
    // id 0 marks the two texts that come from the refused file.
    for (const auto& f : fields) {
      w.set_limits(f.id == 0 ? util::JsonLimits{max_text, max_text} : util::JsonLimits{});
      nested.write(f);
    }
  }
  w.set_limits({});
  w.end_object();
}

}  // namespace

std::vector<RefusedFile> refused_files(const rules::Diagnostics& diagnostics) {
  std::vector<RefusedFile> files;
  std::map<std::string, size_t> index;
  for (const auto& d : diagnostics.all()) {
    if (d.level != rules::Diagnostic::Level::Error) continue;
    const auto [it, added] = index.emplace(d.where.file, files.size());
    if (added) files.push_back({d.where.file, positioned(d), 0});
    ++files[it->second].errors;
  }
  return files;
}

void build_refused_alert(const RefusedFile& file, const RefusedContext& context, size_t max_bytes,
                         alerts::Alert& out) {
  out.severity = rules::Severity::High;
  out.rule_id = kRefusedRuleId;
  out.time_ms = context.time_ms;
  const std::string id = alerts::random_uuid();
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  const int64_t created_ms = static_cast<int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
  for (size_t cap = 2048; cap >= 16; cap /= 2) {
    render(file, context, id, created_ms, cap, out.json);
    if (max_bytes == 0 || out.json.size() <= max_bytes) return;
  }
}

std::span<const alerts::OwnField> refused_alert_own_fields() { return kOwnFields; }

}  // namespace auditeql::app
