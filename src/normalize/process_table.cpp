#include "normalize/process_table.h"

namespace auditeql::normalize {

namespace {
constexpr size_t kUnbounded = static_cast<size_t>(-1);  // the table enforces the bound itself
}

ProcessTable::ProcessTable(size_t capacity)
    : capacity_(capacity == 0 ? 1 : capacity), probation_(kUnbounded), protected_(kUnbounded) {}

const ProcessEntry* ProcessTable::peek(int64_t pid) const {
  if (const ProcessEntry* e = protected_.peek(pid)) return e;
  return probation_.peek(pid);
}

const ProcessEntry* ProcessTable::find(int64_t pid) {
  if (ProcessEntry* e = protected_.find(pid)) return e;
  auto entry = probation_.take(pid);
  if (!entry) return nullptr;
  ProcessEntry& promoted = protected_.put(pid, std::move(*entry));
  // Over half the table: the least recently used protected entry gets a
  // second chance at the young end of probation.
  while (protected_.size() > capacity_ / 2 && protected_.size() > 1) {
    auto demoted = protected_.take_oldest();
    probation_.put(demoted->first, std::move(demoted->second));
  }
  return &promoted;
}

const ProcessEntry& ProcessTable::put(int64_t pid, ProcessEntry entry) {
  // A pid already protected stays so: an exec replaces the image of the same process.
  if (protected_.peek(pid) != nullptr) return protected_.put(pid, std::move(entry));
  if (probation_.peek(pid) == nullptr && size() >= capacity_ && probation_.size() > 0) {
    // The steady state of a full table: the oldest newcomer makes way, and
    // its storage is reused.
    ++evictions_;
    return probation_.replace_oldest(pid, std::move(entry));
  }
  if (probation_.peek(pid) == nullptr) make_room();
  return probation_.put(pid, std::move(entry));
}

void ProcessTable::set_capacity(size_t capacity) {
  capacity_ = capacity == 0 ? 1 : capacity;
  if (size() > capacity_) make_room();
}

void ProcessTable::make_room() {
  while (size() >= capacity_) {
    auto& from = probation_.size() > 0 ? probation_ : protected_;
    from.take_oldest();
    ++evictions_;
  }
}

void ProcessTable::record_exec(int64_t pid, ecs::ProcessImagePtr image, int64_t time_ms) {
  put(pid, ProcessEntry{std::move(image), time_ms, true, 0});
}

void ProcessTable::record_fork(int64_t child, const ProcessEntry& parent, int64_t time_ms) {
  if (const ProcessEntry* existing = peek(child);
      existing != nullptr && existing->from_exec && existing->since_ms >= time_ms) {
    return;
  }
  // Copy the pointer first: `parent` may live inside the map being modified.
  ecs::ProcessImagePtr image = parent.image;
  // start_time stays 0: the child's identity comes from the fork record, not /proc.
  put(child, ProcessEntry{std::move(image), time_ms, false, 0});
}

}  // namespace auditeql::normalize
