#include "alerts/alert_builder.h"

#include <sys/random.h>
#include <time.h>

#include <algorithm>
#include <cerrno>

#include "util/json_writer.h"

namespace auditeql::alerts {
namespace {

using rules::AttackReference;
using rules::RuleDefinition;
using util::FieldValues;
using util::FlatField;
using util::JsonForm;

constexpr OwnField kOwnFields[] = {
    {"auditeql.alerts_dropped_before", ecs::FieldType::Long, false},  // alerts of the rule throttled just before
    {"auditeql.rule.tags", ecs::FieldType::Keyword, true},            // the rule's tags
    {"auditeql.threat", ecs::FieldType::Nested, true},                // the rule's ATT&CK mapping, nested
    // A sequence's match: its events, their number, how many of them the
    // list leaves out to fit max_alert_bytes, and the join key's values.
    {"auditeql.sequence.event_count", ecs::FieldType::Long, false},
    {"auditeql.sequence.events", ecs::FieldType::Nested, true},
    {"auditeql.sequence.events_omitted", ecs::FieldType::Long, false},
    {"auditeql.sequence.join_key", ecs::FieldType::Keyword, true},
    // The same for a sample.
    {"auditeql.sample.event_count", ecs::FieldType::Long, false},
    {"auditeql.sample.events", ecs::FieldType::Nested, true},
    {"auditeql.sample.events_omitted", ecs::FieldType::Long, false},
    {"auditeql.sample.join_key", ecs::FieldType::Keyword, true},
};
constexpr const OwnField& kDroppedBefore = kOwnFields[0];
constexpr const OwnField& kRuleTags = kOwnFields[1];
constexpr const OwnField& kThreat = kOwnFields[2];
constexpr size_t kSequenceFields = 3;  // first of the four auditeql.sequence.* fields above
constexpr size_t kSampleFields = 7;    // ... and of the auditeql.sample.* ones
constexpr size_t kJoinFieldCount = 4;
constexpr std::string_view kEventListFields[] = {kOwnFields[kSequenceFields + 1].name,
                                                kOwnFields[kSampleFields + 1].name};
static_assert(kEventListFields[0] == "auditeql.sequence.events" && kEventListFields[1] == "auditeql.sample.events");

// Where the join fields sit in the alert's own field list (sorted by name):
// the sample's four, then the sequence's, after auditeql.rule.tags.
constexpr size_t kAlertSampleAt = 2;
constexpr size_t kAlertSequenceAt = kAlertSampleAt + kJoinFieldCount;

constexpr std::string_view kAlert = "alert";
constexpr std::string_view kAlertDataset = "auditeql.alerts";

int64_t wall_clock_ms() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

FieldValues strings(const std::vector<std::string>& values) { return FieldValues::of(std::span<const std::string>(values)); }
FieldValues views(const std::vector<std::string_view>& values) {
  return FieldValues::of(std::span<const std::string_view>(values));
}
FieldValues text(std::string_view value) { return value.empty() ? FieldValues::none() : FieldValues::of(value); }

// The rule's ATT&CK mapping as the nested list it is written as (each
// technique under its tactic), which ECS's flat threat.* arrays lose.
void render_threat(const RuleDefinition& rule, std::string& out) {
  out.clear();
  if (rule.threat.empty()) return;
  util::JsonWriter w(out);
  const auto reference = [&](const AttackReference& r) {
    w.begin_object();
    w.field("id", r.id);
    w.field("name", r.name);
    w.field("reference", r.reference);
  };
  w.begin_array();
  for (const auto& mapping : rule.threat) {
    w.begin_object();
    w.field("framework", mapping.framework);
    w.key("tactic");
    reference(mapping.tactic);
    w.end_object();
    if (!mapping.techniques.empty()) {
      w.key("technique");
      w.begin_array();
      for (const auto& technique : mapping.techniques) {
        reference(technique.technique);
        if (!technique.subtechniques.empty()) {
          w.key("subtechnique");
          w.begin_array();
          for (const auto& sub : technique.subtechniques) {
            reference(sub);
            w.end_object();
          }
          w.end_array();
        }
        w.end_object();
      }
      w.end_array();
    }
    w.end_object();
  }
  w.end_array();
}

// Keeps, in an over-long array, the values the rule's own tests pass (the
// argument that made `cp ... /boot/x` alert, among 3,000).
class RuleMatchedValues final : public util::KeepValue {
 public:
  explicit RuleMatchedValues(const rules::CompiledRule& rule) : rule_(rule) {}
  bool keep(int32_t field_id, const util::Scalar& value) const override {
    return field_id >= 0 && rule_.passes_a_test_of(static_cast<eql::FieldId>(field_id), value);
  }

 private:
  const rules::CompiledRule& rule_;
};

}  // namespace

std::span<const OwnField> own_fields() { return kOwnFields; }
std::span<const std::string_view> event_list_fields() { return kEventListFields; }

std::string random_uuid() {
  unsigned char b[16] = {};
  size_t got = 0;
  while (got < sizeof b) {
    const ssize_t n = getrandom(b + got, sizeof b - got, 0);
    if (n > 0) {
      got += static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      break;  // no entropy source: the time and a counter still make it unique here
    }
  }
  if (got < sizeof b) {
    static uint64_t counter = 0;
    const uint64_t t = static_cast<uint64_t>(wall_clock_ms()), c = ++counter;
    for (int i = 0; i < 8; ++i) b[i] ^= static_cast<unsigned char>(t >> (8 * i));
    for (int i = 0; i < 8; ++i) b[8 + i] ^= static_cast<unsigned char>(c >> (8 * i));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 15];
  }
  return out;
}

void AlertBuilder::collect_rule_fields(const rules::CompiledRule& compiled, uint64_t throttled_before,
                                       const AlertStamp& stamp) {
  const RuleDefinition& rule = compiled.definition;
  for (auto* v : {&tactic_ids_, &tactic_names_, &tactic_refs_, &technique_ids_, &technique_names_, &technique_refs_,
                  &sub_ids_, &sub_names_, &sub_refs_}) {
    v->clear();
  }
  // ECS threat.* is flat: each of id/name/reference is an array over all
  // tactics (or techniques, sub-techniques) of the rule.
  for (const auto& mapping : rule.threat) {
    tactic_ids_.push_back(mapping.tactic.id);
    tactic_names_.push_back(mapping.tactic.name);
    tactic_refs_.push_back(mapping.tactic.reference);
    for (const auto& technique : mapping.techniques) {
      technique_ids_.push_back(technique.technique.id);
      technique_names_.push_back(technique.technique.name);
      technique_refs_.push_back(technique.technique.reference);
      for (const auto& sub : technique.subtechniques) {
        sub_ids_.push_back(sub.id);
        sub_names_.push_back(sub.name);
        sub_refs_.push_back(sub.reference);
      }
    }
  }
  render_threat(rule, threat_json_);
  // ECS keeps rule.version as a keyword.
  version_ = rule.version > 0 ? std::to_string(rule.version) : std::string();
  const std::string_view framework = rule.threat.empty() ? std::string_view() : rule.threat.front().framework;
  const int64_t dropped = static_cast<int64_t>(throttled_before);

  // Sorted by name, like the registry's fields they are merged with. The
  // join fields are set by set_join_fields().
  const auto join_field = [](size_t own) {
    // A nested list is written as the raw JSON array it already is.
    const OwnField& f = kOwnFields[own];
    const bool raw = f.type == ecs::FieldType::Nested;
    return FlatField{f.name, FieldValues::none(), f.array && !raw, raw ? JsonForm::RawJson : JsonForm::Value};
  };
  alert_fields_ = {
      {kDroppedBefore.name, dropped > 0 ? FieldValues::of(dropped) : FieldValues::none()},
      {kRuleTags.name, strings(rule.tags), true},
      join_field(kSampleFields), join_field(kSampleFields + 1), join_field(kSampleFields + 2), join_field(kSampleFields + 3),
      join_field(kSequenceFields), join_field(kSequenceFields + 1), join_field(kSequenceFields + 2),
      join_field(kSequenceFields + 3),
      {kThreat.name, text(threat_json_), false, JsonForm::RawJson},
      {"event.created", FieldValues::of(stamp.created_ms), false, JsonForm::EpochMillis},
      {"event.dataset", FieldValues::of(kAlertDataset)},
      {"event.id", text(stamp.id)},
      {"event.kind", FieldValues::of(kAlert)},
      {"event.risk_score", FieldValues::of(static_cast<int64_t>(rule.risk_score))},
      {"event.severity", FieldValues::of(static_cast<int64_t>(rules::severity_score(rule.severity)))},
      {"log.level", FieldValues::of(std::string_view(rules::to_string(rule.severity)))},
      {"rule.author", strings(rule.author), true},
      {"rule.description", text(rule.description)},
      {"rule.id", text(rule.id)},
      {"rule.license", text(rule.license)},
      {"rule.name", text(rule.name)},
      {"rule.reference", strings(rule.references), true},
      {"rule.ruleset", text(rule.ruleset)},
      {"rule.version", text(version_)},
      {"threat.framework", text(framework)},
      {"threat.tactic.id", views(tactic_ids_), true},
      {"threat.tactic.name", views(tactic_names_), true},
      {"threat.tactic.reference", views(tactic_refs_), true},
      {"threat.technique.id", views(technique_ids_), true},
      {"threat.technique.name", views(technique_names_), true},
      {"threat.technique.reference", views(technique_refs_), true},
      {"threat.technique.subtechnique.id", views(sub_ids_), true},
      {"threat.technique.subtechnique.name", views(sub_names_), true},
      {"threat.technique.subtechnique.reference", views(sub_refs_), true},
  };
}

void AlertBuilder::render(const rules::CompiledRule& rule, util::JsonLimits limits, std::string& out) const {
  out.clear();
  util::JsonWriter w(out);
  const RuleMatchedValues keep(rule);
  w.begin_object();
  {
    util::NestedJsonWriter nested(w, &keep);
    // Merge the two sorted lists; the alert's value wins where both have a
    // field (event.kind, event.dataset). Only the event's own values are
    // shortened: the rule's text stays whole.
    auto e = event_fields_.begin(), a = alert_fields_.begin();
    while (e != event_fields_.end() || a != alert_fields_.end()) {
      const bool take_alert = e == event_fields_.end() || (a != alert_fields_.end() && a->name <= e->name);
      if (take_alert) {
        if (e != event_fields_.end() && e->name == a->name) ++e;
        w.set_limits({});
        nested.write(*a++);
      } else {
        w.set_limits(limits);
        nested.write(*e++);
      }
    }
  }
  w.set_limits({});
  w.end_object();
}

void AlertBuilder::set_join_fields(const JoinMatchFields& match, size_t kept) {
  const size_t n = match.events.size();
  kept = std::min(kept, n);
  join_events_json_.clear();
  join_events_json_ += '[';
  const auto add = [&](size_t i) {
    if (join_events_json_.size() > 1) join_events_json_ += ',';
    join_events_json_ += match.events[i];
  };
  const size_t head = (kept + 1) / 2;
  for (size_t i = 0; i < head; ++i) add(i);
  for (size_t i = n - (kept - head); i < n; ++i) add(i);
  join_events_json_ += ']';
  join_event_count_ = static_cast<int64_t>(n);
  join_events_omitted_ = static_cast<int64_t>(n - kept);
  // A key with a null value (an optional field without one) is left out:
  // a keyword array cannot hold a null.
  join_key_.clear();
  for (const auto& value : match.key) {
    if (!value) {
      join_key_.clear();
      break;
    }
    join_key_.push_back(*value);
  }
  FlatField* fields = &alert_fields_[match.kind == eql::QueryKind::Sample ? kAlertSampleAt : kAlertSequenceAt];
  fields[0].values = FieldValues::of(join_event_count_);
  fields[1].values = FieldValues::of(std::string_view(join_events_json_));
  fields[2].values = join_events_omitted_ > 0 ? FieldValues::of(join_events_omitted_) : FieldValues::none();
  fields[3].values = views(join_key_);
}

void AlertBuilder::build(const ecs::Event& event, const rules::CompiledRule& rule, uint64_t throttled_before,
                         Alert& out) {
  build(event, rule, throttled_before, AlertStamp{random_uuid(), wall_clock_ms()}, out);
}

void AlertBuilder::build(const ecs::Event& event, const rules::CompiledRule& rule, uint64_t throttled_before,
                         const AlertStamp& stamp, Alert& out) {
  build_fitted(event, rule, throttled_before, nullptr, stamp, out);
}

void AlertBuilder::build_join(const ecs::Event& last, const rules::CompiledRule& rule, uint64_t throttled_before,
                              const JoinMatchFields& match, Alert& out) {
  build_join(last, rule, throttled_before, match, AlertStamp{random_uuid(), wall_clock_ms()}, out);
}

void AlertBuilder::build_join(const ecs::Event& last, const rules::CompiledRule& rule, uint64_t throttled_before,
                              const JoinMatchFields& match, const AlertStamp& stamp, Alert& out) {
  build_fitted(last, rule, throttled_before, &match, stamp, out);
}

void AlertBuilder::build_fitted(const ecs::Event& event, const rules::CompiledRule& rule, uint64_t throttled_before,
                                const JoinMatchFields* match, const AlertStamp& stamp, Alert& out) {
  out.severity = rule.definition.severity;
  out.rule_id = rule.definition.id;
  out.time_ms = event.time_ms;
  ecs::present_fields(event, scratch_, event_fields_);
  collect_rule_fields(rule, throttled_before, stamp);
  const size_t listed = match ? match->events.size() : 0;
  if (match) set_join_fields(*match, listed);
  render(rule, {}, out.json);
  const auto fits = [&] { return options_.max_bytes == 0 || out.json.size() <= options_.max_bytes; };
  if (fits()) return;
  ++truncated_;
  // Shrink the caps until the document fits; the last step is small enough
  // for any event whose fixed fields fit at all. At each cap, a match's
  // list of events keeps as many as fit (found by bisection); a cap is
  // enough once at least the first and the last event are listed.
  const size_t wanted = std::min<size_t>(listed, 2);
  for (size_t cap = 4096; cap >= 16; cap /= 2) {
    const util::JsonLimits limits{cap, cap / 4 > 2 ? cap / 4 : 2};
    const auto fits_with = [&](size_t kept) {
      if (match) set_join_fields(*match, kept);
      render(rule, limits, out.json);
      return fits();
    };
    if (fits_with(listed)) return;
    if (listed == 0) continue;
    // The most events that fit, if any: fits_with(low) holds, fits_with(high) does not.
    if (!fits_with(0)) continue;
    size_t low = 0, high = listed;
    while (high - low > 1) {
      const size_t mid = low + (high - low) / 2;
      (fits_with(mid) ? low : high) = mid;
    }
    if (low >= wanted || cap / 2 < 16) {
      fits_with(low);
      return;
    }
  }
  ++oversized_;
}

}  // namespace auditeql::alerts
