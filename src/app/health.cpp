#include "app/health.h"

#include <map>

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

void render(const RefusedFile& file, const RefusedContext& c, size_t max_text, std::string& out) {
  out.clear();
  util::JsonWriter w(out);
  w.begin_object();
  w.field("@timestamp", util::iso8601_ms(c.time_ms));
  w.key("event");
  w.begin_object();
  w.field("kind", "alert");
  w.key("category");
  w.begin_array();
  w.string("configuration");
  w.end_array();
  w.key("type");
  w.begin_array();
  w.string("error");
  w.end_array();
  w.field("action", "configuration-refused");
  w.field("severity", static_cast<int64_t>(rules::severity_score(rules::Severity::High)));
  w.field("risk_score", static_cast<int64_t>(rules::severity_score(rules::Severity::High)));
  w.end_object();
  w.key("rule");
  w.begin_object();
  w.field("id", kRefusedRuleId);
  w.field("name", kRefusedRuleName);
  w.field("description", kRefusedDescription);
  w.field("ruleset", "auditeql");
  w.end_object();
  w.key("host");
  w.begin_object();
  if (!c.host_id.empty()) w.field("id", c.host_id);
  if (!c.host_name.empty()) w.field("name", c.host_name);
  w.key("os");
  w.begin_object();
  w.field("type", "linux");
  w.end_object();
  w.end_object();
  // File names and error texts can hold anything a file or its name holds.
  w.set_limits({max_text, max_text});
  if (!file.path.empty()) {
    w.key("file");
    w.begin_object();
    w.field("path", file.path);
    w.end_object();
  }
  w.key("error");
  w.begin_object();
  w.field("message", file.error);
  w.end_object();
  w.set_limits({});
  w.key("auditeql");
  w.begin_object();
  w.field("refused_at", c.at_reload ? "reload" : "start");
  w.field("refused_since", util::iso8601_ms(c.since_ms));
  w.field("errors_in_file", static_cast<uint64_t>(file.errors));
  w.field("refused_files", static_cast<uint64_t>(c.refused_files));
  w.field("rules_running", static_cast<uint64_t>(c.rules_running));
  w.end_object();
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
  for (size_t cap = 2048; cap >= 16; cap /= 2) {
    render(file, context, cap, out.json);
    if (max_bytes == 0 || out.json.size() <= max_bytes) return;
  }
}

}  // namespace auditeql::app
