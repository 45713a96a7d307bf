#include "alerts/event_summary.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "ecs/fields.h"
#include "util/json_fields.h"
#include "util/json_writer.h"

namespace auditeql::alerts {
namespace {

// By name: a field the registry does not have (yet) is left out, and
// appears in the summaries once the normalizer sets it.
constexpr std::string_view kSummaryFields[] = {
    "@timestamp",       "auditd.sequence",     "destination.address", "destination.ip",   "destination.port",
    "event.action",     "event.category",      "event.type",          "file.path",        "process.entity_id",
    "process.executable", "process.name",      "process.pid",
};

// The registry ids of the summary fields it has, in registry (name) order,
// as the nested writer needs them.
const std::vector<ecs::EventFieldId>& summary_field_ids() {
  static const std::vector<ecs::EventFieldId> ids = [] {
    std::vector<ecs::EventFieldId> out;
    for (const std::string_view name : kSummaryFields) {
      if (const auto id = ecs::find_event_field(name)) out.push_back(*id);
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return ids;
}

}  // namespace

void render_event_summary(const ecs::Event& event, std::string& out) {
  out.clear();
  std::array<ecs::FieldScratch, std::size(kSummaryFields)> scratch;
  util::JsonWriter w(out);
  w.set_limits({kSummaryStringBytes, SIZE_MAX});
  w.begin_object();
  {
    util::NestedJsonWriter nested(w);
    const ecs::KindMask kind = ecs::kind_bit(event.kind);
    size_t used = 0;
    for (const ecs::EventFieldId id : summary_field_ids()) {
      const ecs::EventField& f = ecs::event_field(id);
      if ((f.kinds & kind) == 0) continue;
      const util::FieldValues values = f.read(event, scratch[used++]);
      if (values.empty()) continue;
      nested.write({f.name, values, f.array, f.json_form(), static_cast<int32_t>(id)});
    }
  }
  w.end_object();
}

}  // namespace auditeql::alerts
