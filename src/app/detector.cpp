#include "app/detector.h"

namespace auditeql::app {

Detector::Detector(std::shared_ptr<rules::Ruleset> ruleset, DetectorOptions options)
    : ruleset_(std::move(ruleset)),
      builder_(options.alert),
      throttle_(options.throttle_window_ms),
      throttle_window_ms_(options.throttle_window_ms),
      building_block_alerts_(options.building_block_alerts),
      emitted_(ruleset_->size()),
      throttled_(ruleset_->size()),
      withheld_(ruleset_->size()) {}

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
    builder_.build(event, rule, decision.dropped_before, alert_);
    ++emitted_[rule.index];
    ++alerts_;
    for (auto* sink : sinks_) sink->write(alert_);
  });
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
  throttle_ = alerts::Throttle(throttle_window_ms_);
}

std::map<std::string, RuleTally> Detector::tally() const {
  std::map<std::string, RuleTally> out = banked_;
  add_counts(out);
  return out;
}

}  // namespace auditeql::app
