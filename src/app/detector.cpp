#include "app/detector.h"

#include <algorithm>
#include <limits>

#include "alerts/event_summary.h"
#include "eql/sample.h"
#include "eql/sequence.h"

namespace auditeql::app {
namespace {

// Events reach the detector in causal order, which lets their times go
// back by up to the event order's window (500 ms) and more for stragglers.
// The join rules' clock follows the events this far behind, so that state
// one of them could still extend is not freed before it arrives.
constexpr int64_t kEventClockLagMs = 2000;
constexpr int64_t kClockStepMs = 1000;  // how often (event time) the clock moves with the events

// The events a join rule may hold for one join key: a sequence of P
// positive stages holds 1 + 2 + ... + (P - 1) in its slots (one partial
// sequence per stage), and one more set while it awaits a trailing stage.
size_t events_per_key(const eql::JoinQuery& query) {
  size_t positive = 0;
  for (const auto& c : query.criteria()) {
    if (c.role == eql::JoinCriterion::Role::Stage) positive += c.runs;
  }
  if (query.is_sample()) return positive * positive;  // each filter lists up to F + M - 1 = F events
  return positive * (positive + 1) / 2;
}

}  // namespace

Detector::Detector(std::shared_ptr<rules::Ruleset> ruleset, DetectorOptions options)
    : ruleset_(std::move(ruleset)),
      builder_(options.alert),
      throttle_(options.throttle_window_ms),
      throttle_window_ms_(options.throttle_window_ms),
      join_max_events_(options.join_max_events),
      emitted_(ruleset_->size()),
      throttled_(ruleset_->size()),
      withheld_(ruleset_->size()),
      building_block_alerts_(options.building_block_alerts),
      oversized_reported_ms_(ruleset_->size(), std::numeric_limits<int64_t>::min()) {
  build_joins({});
}

Detector::~Detector() = default;

// One matcher per join rule in the index. Each rule's share of
// join_max_events bounds its keys and the events they hold.
void Detector::build_joins(std::vector<std::unique_ptr<Join>> previous) {
  std::unordered_map<std::string, std::unique_ptr<Join>> reusable;
  for (auto& join : previous) {
    if (join) reusable.emplace(join->rule_id, std::move(join));
  }
  joins_.clear();
  joins_.resize(ruleset_->size());
  const size_t rules = ruleset_->join_rules().size();
  const size_t share = std::max<size_t>(1, join_max_events_ / std::max<size_t>(1, rules));
  for (const size_t index : ruleset_->join_rules()) {
    const rules::CompiledRule& rule = ruleset_->rule(index);
    if (auto it = reusable.find(rule.definition.id); it != reusable.end() && it->second->query == rule.definition.query) {
      joins_[index] = std::move(it->second);
      reusable.erase(it);
      continue;
    }
    auto join = std::make_unique<Join>();
    join->id = next_join_id_++;
    join->rule_id = rule.definition.id;
    join->query = rule.definition.query;
    const size_t budget = std::max(share, events_per_key(*rule.join));
    eql::SequenceOptions sequence;
    sequence.max_keys = share;
    sequence.max_events = budget;
    eql::SampleOptions sample;
    sample.max_keys = std::max<size_t>(1, share / events_per_key(*rule.join));
    // Elastic runs a rule every few minutes over a look-back window: a
    // sample is found among the events of one run. The throttle window
    // stands for that schedule here.
    sample.window_ms = throttle_window_ms_;
    join->matcher = eql::make_join_matcher(rule.join, sequence, sample);
    joins_[index] = std::move(join);
  }
  for (auto& [id, join] : reusable) {
    const JoinCounts c = counts_of(*join->matcher);
    JoinCounts& by_rule = join_banked_by_rule_[id];
    for (JoinCounts* into : {&join_banked_, &by_rule}) {
      into->completed += c.completed;
      into->expired += c.expired;
      into->evicted += c.evicted;
      into->ended_by_until += c.ended_by_until;
      into->late += c.late;
    }
  }
  // Events only the discarded matchers referred to go at the next collection.
  collect_at_ = 0;
}

void Detector::on_event(const ecs::Event& event) {
  ++events_;
  current_ = 0;
  ruleset_->evaluate(
      event,
      [&](const rules::CompiledRule& rule) {
        deliver(rule, event.time_ms, [&](uint64_t dropped_before) {
          builder_.build(event, rule, dropped_before, alert_);
        });
      },
      [&](const rules::CompiledRule& rule, eql::CriteriaMask mask, const eql::Document& document) {
        offer(event, rule, mask, document);
      });
  current_ = 0;
  if (event.time_ms - kEventClockLagMs >= clock_ms_ + kClockStepMs) advance_clock(event.time_ms - kEventClockLagMs);
  if (held_.size() > collect_at_) drop_unreferenced_events();
}

void Detector::offer(const ecs::Event& event, const rules::CompiledRule& rule, eql::CriteriaMask mask,
                     const eql::Document& document) {
  Join* join = joins_[rule.index].get();
  if (join == nullptr) return;
  if (current_ == 0) {
    current_ = next_handle_++;
    held_[current_].event = event;
  }
  if (!rule.exceptions.empty() && rules::Ruleset::excepted(rule, document)) {
    held_[current_].excepted_by.push_back(join->id);
  }
  matches_.clear();
  join->matcher->offer(document, eql::EventTime{event.time_ms, static_cast<int64_t>(event.sequence)}, current_, mask,
                       matches_);
  for (const eql::JoinMatch& match : matches_) emit_join(rule, *join, match);
}

void Detector::emit_join(const rules::CompiledRule& rule, const Join& join, const eql::JoinMatch& match) {
  // The alert's top-level fields are those of the last event: a sequence's
  // last positive stage; for a sample, the event whose arrival completed it.
  const eql::EventHandle last = rule.join->is_sample() && current_ != 0 ? current_ : match.events.back();
  const ecs::Event* last_event = nullptr;
  const ecs::Event* latest_held = nullptr;
  bool excepted = !rule.exceptions.empty();
  size_t listed = 0;
  for (const eql::EventHandle handle : match.events) {
    const auto it = held_.find(handle);
    if (it == held_.end()) {
      // Cannot happen (an event is kept while a matcher refers to it); if
      // it did, the alert would still go out, without that event.
      excepted = false;
      continue;
    }
    if (summaries_.size() <= listed) summaries_.emplace_back();
    alerts::render_event_summary(it->second.event, summaries_[listed++]);
    const auto& by = it->second.excepted_by;
    excepted = excepted && std::find(by.begin(), by.end(), join.id) != by.end();
    latest_held = &it->second.event;
    if (handle == last) last_event = latest_held;
  }
  if (last_event == nullptr) last_event = latest_held;
  // Elastic evaluates a sequence rule's exceptions against every event of
  // the sequence and drops the alert only when one matches them all.
  ruleset_->count_join_match(rule.index, excepted);
  if (excepted || last_event == nullptr) return;
  summary_views_.assign(summaries_.begin(), summaries_.begin() + static_cast<std::ptrdiff_t>(listed));
  const auto key = eql::decode_join_key(match.key);
  const alerts::JoinMatchFields fields{rule.join->kind(), summary_views_, key};
  deliver(rule, last_event->time_ms, [&](uint64_t dropped_before) {
    builder_.build_join(*last_event, rule, dropped_before, fields, alert_);
  });
}

void Detector::deliver(const rules::CompiledRule& rule, int64_t time_ms,
                       const std::function<void(uint64_t dropped_before)>& build) {
  if (rule.definition.building_block && !building_block_alerts_) {
    ++withheld_[rule.index];
    ++withheld_total_;
    return;
  }
  const auto decision = throttle_.admit(rule.index, rule.definition.max_signals, time_ms);
  if (!decision.emit) {
    ++throttled_[rule.index];
    return;
  }
  const uint64_t oversized_before = builder_.oversized();
  build(decision.dropped_before);
  if (builder_.oversized() != oversized_before) note_oversized(rule, time_ms);
  ++emitted_[rule.index];
  ++alerts_;
  for (auto* sink : sinks_) sink->write(alert_);
}

void Detector::advance_clock(int64_t now_ms) {
  if (now_ms <= clock_ms_) return;
  clock_ms_ = now_ms;
  for (size_t i = 0; i < joins_.size(); ++i) {
    if (!joins_[i]) continue;
    matches_.clear();
    joins_[i]->matcher->advance_clock(now_ms, matches_);
    for (const eql::JoinMatch& match : matches_) emit_join(ruleset_->rule(i), *joins_[i], match);
  }
  if (held_.size() > collect_at_) drop_unreferenced_events();
}

void Detector::finish() {
  for (size_t i = 0; i < joins_.size(); ++i) {
    if (!joins_[i]) continue;
    matches_.clear();
    joins_[i]->matcher->flush(matches_);
    for (const eql::JoinMatch& match : matches_) emit_join(ruleset_->rule(i), *joins_[i], match);
  }
  drop_unreferenced_events();
}

// The matchers drop event handles without saying so: now and then, keep
// only the events some matcher still refers to. Collecting when the store
// has grown by half since the last collection keeps the cost per event
// constant, and what is held within 1.5 times what the matchers refer to
// (an event takes about 1 KiB).
void Detector::drop_unreferenced_events() {
  live_.clear();
  for (const auto& join : joins_) {
    if (join) join->matcher->live_handles(live_);
  }
  ++collection_;
  for (const eql::EventHandle handle : live_) {
    if (const auto it = held_.find(handle); it != held_.end()) it->second.collection = collection_;
  }
  std::erase_if(held_, [&](const auto& entry) { return entry.second.collection != collection_; });
  collect_at_ = std::max<size_t>(1024, held_.size() + held_.size() / 2);
}

Detector::JoinCounts Detector::counts_of(const eql::JoinMatcher& matcher) {
  JoinCounts c;
  if (const auto* sequence = dynamic_cast<const eql::SequenceMatcher*>(&matcher)) {
    const eql::SequenceStats& st = sequence->stats();
    c = {st.completed, st.expired, st.evicted, st.ended_by_until, st.late};
  } else if (const auto* sample = dynamic_cast<const eql::SampleMatcher*>(&matcher)) {
    const eql::SampleStats& st = sample->stats();
    c.completed = st.completed;
    c.expired = st.windows_ended;
    c.evicted = st.evicted;
  }
  return c;
}

JoinTotals Detector::join_totals() const {
  JoinTotals t;
  t.completed = join_banked_.completed;
  t.expired = join_banked_.expired;
  t.evicted = join_banked_.evicted;
  t.ended_by_until = join_banked_.ended_by_until;
  t.late = join_banked_.late;
  for (const auto& join : joins_) {
    if (!join) continue;
    ++t.rules;
    const JoinCounts c = counts_of(*join->matcher);
    t.completed += c.completed;
    t.expired += c.expired;
    t.evicted += c.evicted;
    t.ended_by_until += c.ended_by_until;
    t.late += c.late;
    t.keys += join->matcher->keys();
    t.memory_bytes += join->matcher->memory_bytes();
  }
  t.events_held = held_.size();
  for (const auto& [handle, held] : held_) {
    constexpr size_t kNode = 32;  // hash node and bucket, roughly
    const ecs::Event& e = held.event;
    t.memory_bytes += kNode + sizeof(HeldEvent) + held.excepted_by.capacity() * sizeof(uint64_t);
    for (const std::string* text : {&e.host_name, &e.key, &e.working_directory, &e.user_name, &e.file_path}) {
      if (text->capacity() > 15) t.memory_bytes += text->capacity() + 1;
    }
  }
  return t;
}

void Detector::note_oversized(const rules::CompiledRule& rule, int64_t time_ms) {
  int64_t& reported = oversized_reported_ms_[rule.index];
  if (reported != std::numeric_limits<int64_t>::min() && time_ms - reported < throttle_window_ms_) return;
  reported = time_ms;
  if (on_oversized_) on_oversized_(rule, alert_.json.size());
}

void Detector::add_counts(std::map<std::string, RuleTally>& into) const {
  for (size_t i = 0; i < ruleset_->size(); ++i) {
    const auto& rule = ruleset_->rule(i);
    RuleTally& t = into[rule.definition.id];
    t.name = rule.definition.name;
    t.alerts += emitted_[i];
    t.throttled += throttled_[i];
    t.suppressed += ruleset_->counters(i).suppressed;
    t.building_block += withheld_[i];
    if (rule.is_join()) t.join = true;
  }
}

void Detector::reconfigure(DetectorOptions options) {
  truncated_banked_ += builder_.truncated();
  oversized_banked_ += builder_.oversized();
  builder_ = alerts::AlertBuilder(options.alert);
  building_block_alerts_ = options.building_block_alerts;
  if (options.throttle_window_ms != throttle_window_ms_) {
    throttled_banked_ += throttle_.dropped_total();
    throttle_window_ms_ = options.throttle_window_ms;
    throttle_ = alerts::Throttle(throttle_window_ms_);
  }
  if (options.join_max_events != join_max_events_) {
    // New bounds: the join rules start afresh.
    join_max_events_ = options.join_max_events;
    std::vector<std::unique_ptr<Join>> previous = std::move(joins_);
    for (auto& join : previous) {
      if (join) join->query.clear();  // never reused
    }
    build_joins(std::move(previous));
  }
}

void Detector::replace_ruleset(std::shared_ptr<rules::Ruleset> ruleset) {
  add_counts(banked_);
  throttled_banked_ += throttle_.dropped_total();
  ruleset_ = std::move(ruleset);
  emitted_.assign(ruleset_->size(), 0);
  throttled_.assign(ruleset_->size(), 0);
  withheld_.assign(ruleset_->size(), 0);
  oversized_reported_ms_.assign(ruleset_->size(), std::numeric_limits<int64_t>::min());
  throttle_ = alerts::Throttle(throttle_window_ms_);
  std::vector<std::unique_ptr<Join>> previous = std::move(joins_);
  build_joins(std::move(previous));
}

std::map<std::string, RuleTally> Detector::tally() const {
  std::map<std::string, RuleTally> out = banked_;
  add_counts(out);
  // A matcher's counts run on across reloads that keep it; those of
  // discarded ones are banked by rule id.
  for (const auto& [id, c] : join_banked_by_rule_) {
    RuleTally& t = out[id];
    t.join = true;
    t.expired += c.expired;
    t.evicted += c.evicted;
  }
  for (const auto& join : joins_) {
    if (!join) continue;
    const JoinCounts c = counts_of(*join->matcher);
    RuleTally& t = out[join->rule_id];
    t.expired += c.expired;
    t.evicted += c.evicted;
  }
  return out;
}

}  // namespace auditeql::app
