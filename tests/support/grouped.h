#pragma once
// The events stage run over a log held in memory, for the events suites:
// every delivered AuditEvent (copied) and the grouper's counters.
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "events/auparse_grouper.h"
#include "records/record_stream.h"

namespace auditeql::testing {

struct Grouped {
  std::vector<events::AuditEvent> events;
  events::EventStats stats;

  const events::AuditEvent* serial(uint64_t s) const {
    for (const auto& e : events) {
      if (e.serial == s) return &e;
    }
    return nullptr;
  }
  std::vector<uint64_t> serials_of(events::EventClass cls) const {
    std::vector<uint64_t> out;
    for (const auto& e : events) {
      if (e.event_class == cls) out.push_back(e.serial);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

// Each "type=" or "node=" line straight to the grouper, without the record
// stage's validation: the grouper's own behaviour.
inline Grouped group_lines(std::string_view log) {
  Grouped g;
  events::AuparseGrouper grouper([&](events::AuditEvent& e) { g.events.push_back(e); });
  size_t start = 0;
  while (start < log.size()) {
    size_t end = log.find('\n', start);
    if (end == std::string_view::npos) end = log.size();
    const std::string_view line = log.substr(start, end - start);
    if (line.rfind("type=", 0) == 0 || line.rfind("node=", 0) == 0) grouper.add_record(line);
    start = end + 1;
  }
  grouper.flush();
  g.stats = grouper.stats();
  return g;
}

// Through the record stage with compaction on, as the plugin runs: a field
// the record stage leaves out is missing here too.
inline Grouped group_compacted(std::string_view log) {
  Grouped g;
  events::AuparseGrouper grouper([&](events::AuditEvent& e) { g.events.push_back(e); });
  records::RecordStream stream([&](std::string_view records) { grouper.feed(records); });
  stream.set_compaction(events::AuparseGrouper::records_read());
  stream.feed(log);
  stream.finish();
  grouper.flush();
  g.stats = grouper.stats();
  return g;
}

}  // namespace auditeql::testing
