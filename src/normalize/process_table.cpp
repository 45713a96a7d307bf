#include "normalize/process_table.h"

namespace auditeql::normalize {

void ProcessTable::record_exec(int64_t pid, ecs::ProcessImagePtr image, int64_t time_ms) {
  entries_.put(pid, ProcessEntry{std::move(image), time_ms, true, 0});
}

void ProcessTable::record_fork(int64_t child, const ProcessEntry& parent, int64_t time_ms) {
  if (const ProcessEntry* existing = entries_.peek(child);
      existing != nullptr && existing->from_exec && existing->since_ms >= time_ms) {
    return;
  }
  // Copy the pointer first: `parent` may live inside the map being modified.
  ecs::ProcessImagePtr image = parent.image;
  // start_time stays 0: the child's identity comes from the fork record, not /proc.
  entries_.put(child, ProcessEntry{std::move(image), time_ms, false, 0});
}

}  // namespace auditeql::normalize
