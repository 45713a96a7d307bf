#pragma once
// Puts audit events back into causal order before the normalizer sees them.
//
// libauparse delivers an event once its records are complete, so an event
// whose records straggled can come after later ones. Worse, a parent's clone
// record is written when clone() returns in the parent, which may be after
// the child has already exec'd. Events are therefore held briefly, released
// in (time, serial) order, and a pending fork that created a pid is released
// before any event of that pid or of its children (a fork stamped later than
// the event is a later reuse of the pid, and waits its turn).
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "events/audit_event.h"

namespace auditeql::normalize {

struct OrderOptions {
  int64_t window_ms = 500;      // hold while newer events (by record time) are less than this much newer
  size_t max_pending = 512;     // ... but never hold more than this many
  int64_t max_hold_ms = 200;    // live: release after this long by the wall clock (see tick())
};

struct OrderStats {
  uint64_t reordered = 0;     // events that arrived behind a later one
  uint64_t forks_pulled = 0;  // forks released early for their child's sake
  uint64_t peak_pending = 0;
};

class EventOrder {
 public:
  using Handler = std::function<void(events::AuditEvent&)>;

  EventOrder(OrderOptions options, Handler on_release);

  // Takes the event's contents (the argument is left empty) without
  // releasing anything yet, unless max_pending + kBatchSlack are held.
  // Holding a batch before releasing runs each stage's code over many
  // events in a row, instead of alternating per event: far fewer
  // instruction-cache misses. Within a batch, events are released in time
  // order even when one came later than window_ms.
  void hold(events::AuditEvent& event);
  static constexpr size_t kBatchSlack = 256;
  // Releases the events the newest record time (or max_pending) makes due.
  void release_due();
  // Live streams: releases events held longer than max_hold_ms, by the wall clock.
  void tick(int64_t now_wall_ms);
  // End of input: releases everything.
  void flush();

  size_t pending() const { return pending_.size(); }
  const OrderStats& stats() const { return stats_; }

 private:
  struct Held {
    std::unique_ptr<events::AuditEvent> event;
    int64_t arrived_wall_ms = 0;
  };

  void release_front();
  void release(std::unique_ptr<events::AuditEvent> event);
  void release_fork_creating(int64_t pid, int64_t not_after_ms);
  std::unique_ptr<events::AuditEvent> take_pending(const events::AuditEvent* event);
  std::unique_ptr<events::AuditEvent> acquire();

  OrderOptions options_;
  Handler on_release_;
  std::deque<Held> pending_;  // sorted by (time_ms, serial)
  std::unordered_map<int64_t, const events::AuditEvent*> forks_by_child_;
  std::vector<std::unique_ptr<events::AuditEvent>> spare_;  // recycled events keep their buffers
  int64_t newest_ms_ = 0;
  int64_t last_wall_ms_ = 0;
  OrderStats stats_;
};

}  // namespace auditeql::normalize
