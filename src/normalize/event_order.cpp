#include "normalize/event_order.h"

#include <algorithm>
#include <utility>

namespace auditeql::normalize {
namespace {

bool before(const events::AuditEvent& a, const events::AuditEvent& b) {
  if (a.time_ms != b.time_ms) return a.time_ms < b.time_ms;
  return a.serial < b.serial;
}

}  // namespace

EventOrder::EventOrder(OrderOptions options, Handler on_release)
    : options_(options), on_release_(std::move(on_release)) {}

std::unique_ptr<events::AuditEvent> EventOrder::acquire() {
  if (spare_.empty()) return std::make_unique<events::AuditEvent>();
  auto event = std::move(spare_.back());
  spare_.pop_back();
  return event;
}

void EventOrder::hold(events::AuditEvent& event) {
  auto held = acquire();
  std::swap(*held, event);
  event.clear();
  newest_ms_ = std::max(newest_ms_, held->time_ms);
  if (held->event_class == events::EventClass::Fork) forks_by_child_[held->exit_code] = held.get();

  // Nearly always in order: search from the back.
  auto pos = pending_.end();
  while (pos != pending_.begin() && before(*held, *std::prev(pos)->event)) --pos;
  if (pos != pending_.end()) ++stats_.reordered;
  pending_.insert(pos, Held{std::move(held), last_wall_ms_});
  // A batch may run past max_pending by kBatchSlack, no more however
  // large it is.
  if (pending_.size() > options_.max_pending + kBatchSlack) release_front();
  stats_.peak_pending = std::max<uint64_t>(stats_.peak_pending, pending_.size());
}

void EventOrder::release_due() {
  while (!pending_.empty() && (pending_.size() > options_.max_pending ||
                               pending_.front().event->time_ms + options_.window_ms <= newest_ms_)) {
    release_front();
  }
}

void EventOrder::tick(int64_t now_wall_ms) {
  last_wall_ms_ = now_wall_ms;
  while (!pending_.empty() && pending_.front().arrived_wall_ms + options_.max_hold_ms <= now_wall_ms) {
    release_front();
  }
}

void EventOrder::flush() {
  while (!pending_.empty()) release_front();
}

void EventOrder::release_front() {
  auto event = std::move(pending_.front().event);
  pending_.pop_front();
  release(std::move(event));
}

std::unique_ptr<events::AuditEvent> EventOrder::take_pending(const events::AuditEvent* event) {
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (it->event.get() == event) {
      auto owned = std::move(it->event);
      pending_.erase(it);
      return owned;
    }
  }
  return nullptr;
}

void EventOrder::release_fork_creating(int64_t pid, int64_t not_after_ms) {
  const auto it = forks_by_child_.find(pid);
  // The clone that created a process was entered before anything the process
  // did; one stamped later reuses the pid for another process.
  if (it == forks_by_child_.end() || it->second->time_ms > not_after_ms) return;
  auto fork = take_pending(it->second);
  forks_by_child_.erase(it);
  if (fork) {
    ++stats_.forks_pulled;
    release(std::move(fork));
  }
}

void EventOrder::release(std::unique_ptr<events::AuditEvent> event) {
  if (event->event_class == events::EventClass::Fork) {
    const auto it = forks_by_child_.find(event->exit_code);
    if (it != forks_by_child_.end() && it->second == event.get()) forks_by_child_.erase(it);
  }
  // The process this event is about, and its parent, must be known first.
  release_fork_creating(event->pid, event->time_ms);
  release_fork_creating(event->ppid, event->time_ms);
  on_release_(*event);
  event->clear();
  spare_.push_back(std::move(event));
}

}  // namespace auditeql::normalize
