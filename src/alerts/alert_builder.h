#pragma once
// Stage 5: a matched rule and its event -> one alert document. The event's
// own fields come from the field registry (ecs/fields.h) as in `auditeql
// events`; the alert adds, under their ECS names: event.kind "alert",
// event.id, event.created, event.severity, event.risk_score, log.level (the
// severity word), rule.*, threat.* (ECS's flat arrays) and, under
// auditeql.*, what ECS has no place for: the rule's tags and its nested
// ATT&CK mapping. The alert of a sequence or sample has the fields of its
// last event at the top level, as a single-event alert has its event's, and
// the whole match under auditeql.sequence.* or auditeql.sample.*: a summary
// of each event (alerts/event_summary.h), their number and the join key.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alert.h"
#include "ecs/event.h"
#include "ecs/fields.h"
#include "rules/ruleset.h"
#include "util/json_fields.h"

namespace auditeql::alerts {

struct AlertOptions {
  // Largest alert in bytes (syslog messages have a size limit); 0 for no
  // limit. Oversized alerts have their longest strings and arrays shortened,
  // with a visible marker, until they fit: always one line of valid JSON.
  size_t max_bytes = 0;
};

// What differs between two alerts of the same rule and event.
struct AlertStamp {
  std::string id;          // event.id: unique per alert
  int64_t created_ms = 0;  // event.created: when the alert was made
};

// The fields an alert adds outside ECS (under auditeql.*), with their
// types: the ones ECS has no place for.
struct OwnField {
  std::string_view name;
  ecs::FieldType type;
  bool array;
};
std::span<const OwnField> own_fields();
// The own fields whose items summarize events (auditeql.sequence.events,
// auditeql.sample.events): each item is a document of ECS and registry
// fields (render_event_summary()).
std::span<const std::string_view> event_list_fields();

// A completed sequence or sample, as its alert shows it.
struct JoinMatchFields {
  eql::QueryKind kind = eql::QueryKind::Sequence;  // Sequence or Sample
  // A summary of each event (render_event_summary()), in the match's order:
  // a sequence's in sequence order, a sample's in the order of its filters.
  std::span<const std::string_view> events;
  // The join key's values, in key order; nullopt for an optional field
  // (`?field`) without a value.
  std::span<const std::optional<std::string>> key;
};

// A random (version 4) UUID for event.id: unique without coordination, and
// not derived from event data an attacker could shape to collide with
// another alert's id.
std::string random_uuid();

class AlertBuilder {
 public:
  explicit AlertBuilder(AlertOptions options = {}) : options_(options) {}

  void build(const ecs::Event& event, const rules::CompiledRule& rule, uint64_t throttled_before,
             const AlertStamp& stamp, Alert& out);
  // With a fresh random id and the current time.
  void build(const ecs::Event& event, const rules::CompiledRule& rule, uint64_t throttled_before, Alert& out);
  // The alert of a sequence or sample: `last` is its last event (for a
  // sample, the one whose arrival completed it). When the alert is too
  // long, the list of events is shortened first, keeping its first and
  // last events and saying how many were left out
  // (auditeql.sequence.events_omitted); then the strings, as for any alert.
  void build_join(const ecs::Event& last, const rules::CompiledRule& rule, uint64_t throttled_before,
                  const JoinMatchFields& match, const AlertStamp& stamp, Alert& out);
  void build_join(const ecs::Event& last, const rules::CompiledRule& rule, uint64_t throttled_before,
                  const JoinMatchFields& match, Alert& out);

  // Alerts that had to be shortened, and those still over max_bytes after
  // the shortest form (their rule's own text is longer than the limit).
  uint64_t truncated() const { return truncated_; }
  uint64_t oversized() const { return oversized_; }

 private:
  // Writes the fields collected for the alert, the event's own values within `limits`.
  void render(const rules::CompiledRule& rule, util::JsonLimits limits, std::string& out) const;
  void collect_rule_fields(const rules::CompiledRule& rule, uint64_t throttled_before, const AlertStamp& stamp);
  void build_fitted(const ecs::Event& event, const rules::CompiledRule& rule, uint64_t throttled_before,
                    const JoinMatchFields* match, const AlertStamp& stamp, Alert& out);
  // Sets the auditeql.sequence.* (or sample.*) fields to the match with
  // `kept` of its events listed (the first half and the last half).
  void set_join_fields(const JoinMatchFields& match, size_t kept);

  AlertOptions options_;
  uint64_t truncated_ = 0;
  uint64_t oversized_ = 0;
  // Reused between alerts: their buffers keep their capacity.
  std::array<ecs::FieldScratch, ecs::kMaxEventFields> scratch_;
  std::vector<util::FlatField> event_fields_;
  std::vector<util::FlatField> alert_fields_;
  std::vector<std::string_view> tactic_ids_, tactic_names_, tactic_refs_;
  std::vector<std::string_view> technique_ids_, technique_names_, technique_refs_;
  std::vector<std::string_view> sub_ids_, sub_names_, sub_refs_;
  std::string threat_json_;
  std::string version_;
  std::string join_events_json_;
  std::vector<std::string_view> join_key_;
  int64_t join_event_count_ = 0;
  int64_t join_events_omitted_ = 0;
};

}  // namespace auditeql::alerts
