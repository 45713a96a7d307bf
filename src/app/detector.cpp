#include "app/detector.h"

#include <limits>

namespace auditeql::app {

Detector::Detector(std::shared_ptr<rules::Ruleset> ruleset, alerts::AlertOptions alert_options,
                   int64_t throttle_window_ms)
    : ruleset_(std::move(ruleset)),
      builder_(alert_options),
      throttle_(throttle_window_ms),
      throttle_window_ms_(throttle_window_ms),
      emitted_(ruleset_->size()),
      throttled_(ruleset_->size()),
      oversized_reported_ms_(ruleset_->size(), std::numeric_limits<int64_t>::min()) {}

void Detector::on_event(const ecs::Event& event) {
  ++events_;
  ruleset_->evaluate(event, [&](const rules::CompiledRule& rule) {
    const auto decision = throttle_.admit(rule.index, rule.definition.max_signals, event.time_ms);
    if (!decision.emit) {
      ++throttled_[rule.index];
      return;
    }
    const uint64_t oversized_before = builder_.oversized();
    builder_.build(event, rule, decision.dropped_before, alert_);
    if (builder_.oversized() != oversized_before) note_oversized(rule, event.time_ms);
    ++emitted_[rule.index];
    ++alerts_;
    for (auto* sink : sinks_) sink->write(alert_);
  });
}

void Detector::note_oversized(const rules::CompiledRule& rule, int64_t time_ms) {
  int64_t& reported = oversized_reported_ms_[rule.index];
  if (reported != std::numeric_limits<int64_t>::min() && time_ms - reported < throttle_window_ms_) return;
  reported = time_ms;
  if (on_oversized_) on_oversized_(rule, alert_.json.size());
}

void Detector::bank_counters() {
  for (size_t i = 0; i < ruleset_->size(); ++i) {
    const auto& rule = ruleset_->rule(i);
    RuleTally& t = banked_[rule.definition.id];
    t.name = rule.definition.name;
    t.alerts += emitted_[i];
    t.throttled += throttled_[i];
    t.suppressed += ruleset_->counters(i).suppressed;
  }
}

void Detector::reconfigure(alerts::AlertOptions alert_options, int64_t throttle_window_ms) {
  truncated_banked_ += builder_.truncated();
  oversized_banked_ += builder_.oversized();
  builder_ = alerts::AlertBuilder(alert_options);
  if (throttle_window_ms != throttle_window_ms_) {
    throttled_banked_ += throttle_.dropped_total();
    throttle_window_ms_ = throttle_window_ms;
    throttle_ = alerts::Throttle(throttle_window_ms_);
  }
}

void Detector::replace_ruleset(std::shared_ptr<rules::Ruleset> ruleset) {
  bank_counters();
  throttled_banked_ += throttle_.dropped_total();
  ruleset_ = std::move(ruleset);
  emitted_.assign(ruleset_->size(), 0);
  throttled_.assign(ruleset_->size(), 0);
  oversized_reported_ms_.assign(ruleset_->size(), std::numeric_limits<int64_t>::min());
  throttle_ = alerts::Throttle(throttle_window_ms_);
}

std::map<std::string, RuleTally> Detector::tally() const {
  std::map<std::string, RuleTally> out = banked_;
  for (size_t i = 0; i < ruleset_->size(); ++i) {
    const auto& rule = ruleset_->rule(i);
    RuleTally& t = out[rule.definition.id];
    t.name = rule.definition.name;
    t.alerts += emitted_[i];
    t.throttled += throttled_[i];
    t.suppressed += ruleset_->counters(i).suppressed;
  }
  return out;
}

}  // namespace auditeql::app
