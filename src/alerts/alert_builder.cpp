#include "alerts/alert_builder.h"

#include "ecs/event_json.h"
#include "util/json_writer.h"
#include "util/time.h"

namespace auditeql::alerts {
namespace {

using rules::AttackReference;
using rules::RuleDefinition;

// ECS threat.* is flat: each of id/name/reference is an array over all
// tactics (or techniques, sub-techniques) of the rule.
template <class Collect>
void write_reference_arrays(util::JsonWriter& w, Collect&& collect) {
  std::vector<const AttackReference*> refs;
  collect(refs);
  w.key("id");
  w.begin_array();
  for (const auto* r : refs) w.string(r->id);
  w.end_array();
  w.key("name");
  w.begin_array();
  for (const auto* r : refs) w.string(r->name);
  w.end_array();
  w.key("reference");
  w.begin_array();
  for (const auto* r : refs) w.string(r->reference);
  w.end_array();
}

void write_threat(util::JsonWriter& w, const RuleDefinition& rule) {
  if (rule.threat.empty()) return;
  w.key("threat");
  w.begin_object();
  w.field("framework", rule.threat.front().framework);
  w.key("tactic");
  w.begin_object();
  write_reference_arrays(w, [&](auto& refs) {
    for (const auto& t : rule.threat) refs.push_back(&t.tactic);
  });
  w.end_object();
  bool any_technique = false, any_sub = false;
  for (const auto& t : rule.threat) {
    any_technique = any_technique || !t.techniques.empty();
    for (const auto& tech : t.techniques) any_sub = any_sub || !tech.subtechniques.empty();
  }
  if (any_technique) {
    w.key("technique");
    w.begin_object();
    write_reference_arrays(w, [&](auto& refs) {
      for (const auto& t : rule.threat) {
        for (const auto& tech : t.techniques) refs.push_back(&tech.technique);
      }
    });
    if (any_sub) {
      w.key("subtechnique");
      w.begin_object();
      write_reference_arrays(w, [&](auto& refs) {
        for (const auto& t : rule.threat) {
          for (const auto& tech : t.techniques) {
            for (const auto& sub : tech.subtechniques) refs.push_back(&sub);
          }
        }
      });
      w.end_object();
    }
    w.end_object();
  }
  w.end_object();
}

void render(const ecs::Event& event, const rules::CompiledRule& compiled, uint64_t throttled_before,
            util::JsonLimits limits, std::string& out) {
  const RuleDefinition& rule = compiled.definition;
  out.clear();
  util::JsonWriter w(out);
  w.begin_object();
  w.key("@timestamp");
  w.string(util::iso8601_ms(event.time_ms));
  w.key("event");
  w.begin_object();
  w.field("kind", "alert");
  ecs::write_classification(w, event);
  w.field("severity", static_cast<int64_t>(rules::severity_score(rule.severity)));
  w.field("risk_score", static_cast<int64_t>(rule.risk_score));
  w.end_object();

  w.key("rule");
  w.begin_object();
  w.field("id", rule.id);
  w.field("name", rule.name);
  w.field("description", rule.description);
  if (!rule.references.empty()) w.field("reference", rule.references.front());
  w.field("ruleset", rule.ruleset);
  w.end_object();
  write_threat(w, rule);
  if (!rule.tags.empty()) {
    w.key("tags");
    w.begin_array();
    for (const auto& t : rule.tags) w.string(t);
    w.end_array();
  }
  // Only the event's own strings are shortened; the rule text stays whole.
  w.set_limits(limits);
  ecs::write_subject_fields(w, event);
  w.set_limits({});
  if (throttled_before > 0 || ecs::has_auditeql_fields(event)) {
    w.key("auditeql");
    w.begin_object();
    ecs::write_auditeql_fields(w, event);
    if (throttled_before > 0) w.field("alerts_dropped_before", throttled_before);
    w.end_object();
  }
  w.end_object();
}

}  // namespace

void AlertBuilder::build(const ecs::Event& event, const rules::CompiledRule& rule, uint64_t throttled_before,
                         Alert& out) const {
  out.severity = rule.definition.severity;
  out.rule_id = rule.definition.id;
  out.time_ms = event.time_ms;
  render(event, rule, throttled_before, {}, out.json);
  if (options_.max_bytes == 0 || out.json.size() <= options_.max_bytes) return;
  ++truncated_;
  // Shrink the caps until the document fits; the last step is small enough
  // for any event whose fixed fields fit at all.
  for (size_t cap = 4096; cap >= 16; cap /= 2) {
    render(event, rule, throttled_before, util::JsonLimits{cap, cap / 4 > 2 ? cap / 4 : 2}, out.json);
    if (out.json.size() <= options_.max_bytes) return;
  }
}

}  // namespace auditeql::alerts
