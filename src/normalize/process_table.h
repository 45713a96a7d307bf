#pragma once
// What each live pid is running, learned from exec and fork events.
#include <cstdint>

#include "ecs/event.h"
#include "util/lru_map.h"

namespace auditeql::normalize {

struct ProcessEntry {
  ecs::ProcessImagePtr image;
  int64_t since_ms = 0;     // event time of the exec or fork that set it
  bool from_exec = false;   // false: inherited through a fork
  uint64_t start_time = 0;  // /proc start time when seeded from /proc (0 otherwise); guards pid reuse
};

// Bounded like an LRU cache, but segmented: a process that has been looked
// up (as the parent of an exec, a forker, a file creator) moves to a
// protected segment of up to half the capacity, so that a storm of
// short-lived processes that are never anyone's parent cannot push out the
// idle shell whose next child is the one that matters. Without exit records
// dead pids are only ever evicted, never removed.
class ProcessTable {
 public:
  static constexpr size_t kDefaultCapacity = 32768;

  explicit ProcessTable(size_t capacity = kDefaultCapacity);

  const ProcessEntry* find(int64_t pid);

  // pid exec'd: its new image replaces whatever the pid was before.
  void record_exec(int64_t pid, ecs::ProcessImagePtr image, int64_t time_ms);

  // `parent` forked `child`, which inherits the parent's current image. A fork
  // reported after the child's own exec (the clone record of the parent can
  // arrive later than its child's exec) must not undo that exec.
  void record_fork(int64_t child, const ProcessEntry& parent, int64_t time_ms);

  const ProcessEntry& put(int64_t pid, ProcessEntry entry);

  size_t size() const { return probation_.size() + protected_.size(); }
  size_t capacity() const { return capacity_; }
  // A reload may change the bound: shrinking evicts as a full table would.
  void set_capacity(size_t capacity);
  uint64_t evictions() const { return evictions_; }

 private:
  const ProcessEntry* peek(int64_t pid) const;
  void make_room();

  size_t capacity_;
  util::LruMap<int64_t, ProcessEntry> probation_;  // new entries
  util::LruMap<int64_t, ProcessEntry> protected_;  // entries looked up since they were added
  uint64_t evictions_ = 0;
};

}  // namespace auditeql::normalize
