#pragma once
// Stages 4-6 wired together: each normalized event is checked against the
// rules that can match its kind; matches pass the throttle, become alerts
// and go to every sink.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "alerts/alert_builder.h"
#include "alerts/throttle.h"
#include "ecs/event.h"
#include "rules/ruleset.h"
#include "sinks/sink.h"

namespace auditeql::app {

struct RuleTally {
  std::string name;
  uint64_t alerts = 0;
  uint64_t throttled = 0;
  uint64_t suppressed = 0;  // matched, but an exception applied
  uint64_t building_block = 0;  // alerts of a building-block rule kept out of the sinks
};

struct DetectorOptions {
  alerts::AlertOptions alert;
  int64_t throttle_window_ms = 300000;
  // Elastic's building-block rules raise alerts that other rules build on;
  // auditeql runs no rule that reads alerts, so by default they are only counted.
  bool building_block_alerts = false;
};

class Detector {
 public:
  Detector(std::shared_ptr<rules::Ruleset> ruleset, DetectorOptions options);

  void add_sink(sinks::AlertSink* sink) { sinks_.push_back(sink); }
  void set_sinks(std::vector<sinks::AlertSink*> sinks) { sinks_ = std::move(sinks); }
  void on_event(const ecs::Event& event);
  // SIGHUP with a good new rule set: later events use it (throttle windows restart).
  void replace_ruleset(std::shared_ptr<rules::Ruleset> ruleset);
  void reconfigure(DetectorOptions options);
  // Told about an alert still over the size limit after shortening (sent
  // anyway: a syslog daemon may cut it), at most once per rule per throttle
  // window of event time.
  using OversizedHandler = std::function<void(const rules::CompiledRule& rule, size_t bytes)>;
  void on_oversized(OversizedHandler handler) { on_oversized_ = std::move(handler); }

  const rules::Ruleset& ruleset() const { return *ruleset_; }
  uint64_t events() const { return events_; }
  uint64_t alerts() const { return alerts_; }
  // Counters are totals since start: a reload does not reset them.
  uint64_t truncated() const { return builder_.truncated() + truncated_banked_; }
  uint64_t oversized() const { return builder_.oversized() + oversized_banked_; }
  uint64_t throttled() const { return throttle_.dropped_total() + throttled_banked_; }
  // Building-block alerts counted and not sent (building_block_alerts off).
  uint64_t building_block_alerts_withheld() const { return withheld_total_; }
  // Per rule id, across reloads.
  std::map<std::string, RuleTally> tally() const;

 private:
  // Adds the current rule set's counts to `into`, by rule id.
  void add_counts(std::map<std::string, RuleTally>& into) const;
  void note_oversized(const rules::CompiledRule& rule, int64_t time_ms);

  std::shared_ptr<rules::Ruleset> ruleset_;
  alerts::AlertBuilder builder_;
  alerts::Throttle throttle_;
  int64_t throttle_window_ms_;
  std::vector<sinks::AlertSink*> sinks_;
  alerts::Alert alert_;  // reused: its buffer keeps its capacity
  uint64_t events_ = 0;
  uint64_t alerts_ = 0;
  std::vector<uint64_t> emitted_;   // per rule index of the current ruleset
  std::vector<uint64_t> throttled_;
  std::vector<uint64_t> withheld_;  // building-block alerts not sent, per rule index
  uint64_t withheld_total_ = 0;
  bool building_block_alerts_ = false;
  std::map<std::string, RuleTally> banked_;  // counts of replaced rulesets
  uint64_t throttled_banked_ = 0;
  uint64_t truncated_banked_ = 0;  // of replaced alert builders
  uint64_t oversized_banked_ = 0;
  OversizedHandler on_oversized_;
  std::vector<int64_t> oversized_reported_ms_;  // per rule index: when last reported
};

}  // namespace auditeql::app
