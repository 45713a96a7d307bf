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

class ProcessTable {
 public:
  static constexpr size_t kDefaultCapacity = 32768;

  explicit ProcessTable(size_t capacity = kDefaultCapacity) : entries_(capacity) {}

  const ProcessEntry* find(int64_t pid) { return entries_.find(pid); }

  // pid exec'd: its new image replaces whatever the pid was before.
  void record_exec(int64_t pid, ecs::ProcessImagePtr image, int64_t time_ms);

  // `parent` forked `child`, which inherits the parent's current image. A fork
  // reported after the child's own exec (the clone record of the parent can
  // arrive later than its child's exec) must not undo that exec.
  void record_fork(int64_t child, const ProcessEntry& parent, int64_t time_ms);

  const ProcessEntry& put(int64_t pid, ProcessEntry entry) { return entries_.put(pid, std::move(entry)); }

  size_t size() const { return entries_.size(); }
  size_t capacity() const { return entries_.capacity(); }
  uint64_t evictions() const { return entries_.evictions(); }

 private:
  util::LruMap<int64_t, ProcessEntry> entries_;
};

}  // namespace auditeql::normalize
