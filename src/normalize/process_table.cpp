#include "normalize/process_table.h"

#include <algorithm>

namespace auditeql::normalize {

namespace {
constexpr size_t kUnbounded = static_cast<size_t>(-1);  // the table enforces the bound itself
}

ProcessTable::ProcessTable(size_t capacity)
    : capacity_(capacity == 0 ? 1 : capacity), probation_(kUnbounded), protected_(kUnbounded) {}

ProcessEntry* ProcessTable::peek(int64_t pid) {
  if (ProcessEntry* e = protected_.peek(pid)) return e;
  return probation_.peek(pid);
}

ProcessEntry* ProcessTable::find(int64_t pid) {
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

ProcessEntry& ProcessTable::put(int64_t pid, ProcessEntry entry) {
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

void ProcessTable::erase(int64_t pid) {
  if (!protected_.erase(pid)) probation_.erase(pid);
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

ProcessEntry& ProcessTable::record_exec(int64_t pid, ecs::ProcessImagePtr image, int64_t time_ms) {
  // The same process: updated in place, marked recently used in its segment.
  ProcessEntry* same = protected_.find(pid);
  if (same == nullptr) same = probation_.find(pid);
  if (same == nullptr) {
    ProcessEntry entry;
    entry.image = std::move(image);
    entry.from_exec = true;
    entry.since_ms = time_ms;
    return put(pid, std::move(entry));
  }
  same->image = std::move(image);
  same->image_from_exe = false;
  same->from_exec = true;
  same->since_ms = time_ms;
  if (same->sockets) {
    const auto& list = *same->sockets;
    if (std::any_of(list.begin(), list.end(), [](const SocketInfo& s) { return s.close_on_exec; })) {
      std::erase_if(writable_sockets(*same), [](const SocketInfo& s) { return s.close_on_exec; });
    }
  }
  return *same;
}

void ProcessTable::record_fork(int64_t child, const ProcessEntry& parent, int64_t time_ms, ecs::EntityId entity) {
  if (ProcessEntry* existing = peek(child); existing != nullptr && existing->since_ms >= time_ms) {
    // The child's own events came first (the clone record is written when
    // clone() returns in the parent, after a vfork child's exec even): the
    // entry is this very process, with the identity its events already carry
    // and its own ids. An exec since stands; otherwise the fork tells what it
    // runs better than its exe= does.
    if (!existing->from_exec && (!existing->image || existing->image_from_exe) && parent.image) {
      existing->image = parent.image;
      existing->image_from_exe = parent.image_from_exe;
    }
    const auto inherit = [](uint32_t& own, uint32_t parents) {
      if (own == Credentials::kUnknown) own = parents;
    };
    inherit(existing->credentials.uid, parent.credentials.uid);
    inherit(existing->credentials.euid, parent.credentials.euid);
    inherit(existing->credentials.gid, parent.credentials.gid);
    inherit(existing->credentials.egid, parent.credentials.egid);
    if (existing->interactive < 0) existing->interactive = parent.interactive;
    if (!existing->from_exec && !existing->sockets) existing->sockets = parent.sockets;
    return;
  }
  // Copy first: `parent` may live inside the map being modified. start_time
  // stays 0: the child's identity comes from the fork record, not /proc.
  ProcessEntry entry;
  entry.image = parent.image;
  entry.image_from_exe = parent.image_from_exe;
  entry.interactive = parent.interactive;
  entry.since_ms = time_ms;
  entry.entity = entity;
  entry.credentials = parent.credentials;
  entry.sockets = parent.sockets;
  put(child, std::move(entry));
}

SocketList& writable_sockets(ProcessEntry& entry) {
  if (!entry.sockets) {
    entry.sockets = std::make_shared<SocketList>();
  } else if (entry.sockets.use_count() > 1) {
    entry.sockets = std::make_shared<SocketList>(*entry.sockets);
  }
  return *entry.sockets;
}

const SocketInfo* find_socket(const ProcessEntry& entry, int32_t fd) {
  if (!entry.sockets) return nullptr;
  for (const auto& s : *entry.sockets) {
    if (s.fd == fd) return &s;
  }
  return nullptr;
}

}  // namespace auditeql::normalize
