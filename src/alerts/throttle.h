#pragma once
// At most max_signals alerts per rule per window (Elastic's "maximum alerts
// per execution" over its 5-minute schedule), so a noisy rule cannot flood
// syslog. The first alert after a window that dropped some says how many.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace auditeql::alerts {

class Throttle {
 public:
  static constexpr int64_t kDefaultWindowMs = 5 * 60 * 1000;

  explicit Throttle(int64_t window_ms = kDefaultWindowMs) : window_ms_(window_ms) {}

  struct Decision {
    bool emit = false;
    uint64_t dropped_before = 0;  // alerts of this rule dropped in its previous window
  };

  // `time_ms` is the event's time, so replaying a log throttles as live would.
  Decision admit(size_t rule, int max_signals, int64_t time_ms);

  uint64_t dropped_total() const { return dropped_total_; }
  // Dropped in windows that have not been reported by a later alert yet.
  uint64_t dropped_pending(size_t rule) const {
    return rule < state_.size() ? state_[rule].dropped + state_[rule].carried : 0;
  }

 private:
  struct RuleWindow {
    bool started = false;
    int64_t start_ms = 0;
    uint64_t emitted = 0;
    uint64_t dropped = 0;
    uint64_t carried = 0;  // dropped in the previous window, not yet reported
  };
  int64_t window_ms_;
  std::vector<RuleWindow> state_;
  uint64_t dropped_total_ = 0;
};

}  // namespace auditeql::alerts
