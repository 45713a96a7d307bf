#include "alerts/throttle.h"

namespace auditeql::alerts {

Throttle::Decision Throttle::admit(size_t rule, int max_signals, int64_t time_ms) {
  if (rule >= state_.size()) state_.resize(rule + 1);
  RuleWindow& w = state_[rule];
  if (!w.started || time_ms >= w.start_ms + window_ms_) {
    w.carried += w.dropped;
    w = RuleWindow{true, time_ms, 0, 0, w.carried};
  }
  if (w.emitted >= static_cast<uint64_t>(max_signals)) {
    ++w.dropped;
    ++dropped_total_;
    return {false, 0};
  }
  ++w.emitted;
  Decision decision{true, w.carried};
  w.carried = 0;
  return decision;
}

}  // namespace auditeql::alerts
