#include "app/detector.h"

#include <limits>

namespace auditeql::app {

Detector::Detector(std::shared_ptr<rules::Ruleset> ruleset, DetectorOptions options)
    : ruleset_(std::move(ruleset)),
      builder_(options.alert),
      throttle_(options.throttle_window_ms),
      throttle_window_ms_(options.throttle_window_ms),
      emitted_(ruleset_->size()),
      throttled_(ruleset_->size()),
      withheld_(ruleset_->size()),
      building_block_alerts_(options.building_block_alerts),
      oversized_reported_ms_(ruleset_->size(), std::numeric_limits<int64_t>::min()) {}

void Detector::on_event(const ecs::Event& event) {
  ++events_;
  ruleset_->evaluate(event, [&](const rules::CompiledRule& rule) {
    if (rule.definition.building_block && !building_block_alerts_) {
      ++withheld_[rule.index];
      ++withheld_total_;
      return;
    }
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

void Detector::add_counts(std::map<std::string, RuleTally>& into) const {
  for (size_t i = 0; i < ruleset_->size(); ++i) {
    const auto& rule = ruleset_->rule(i);
    RuleTally& t = into[rule.definition.id];
    t.name = rule.definition.name;
    t.alerts += emitted_[i];
    t.throttled += throttled_[i];
    t.suppressed += ruleset_->counters(i).suppressed;
    t.building_block += withheld_[i];
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
}

std::map<std::string, RuleTally> Detector::tally() const {
  std::map<std::string, RuleTally> out = banked_;
  add_counts(out);
  return out;
}

}  // namespace auditeql::app
