#pragma once
// What the alert of a sequence or sample says of each event of its match:
// when it happened and what it was (event.category/type/action), the
// process (pid, name, executable, entity id), the file or destination where
// the event has one, and the audit serial. Rendered as a small ECS-shaped
// JSON object when the event is seen, since the event itself is gone by
// the time the match completes.
#include <string>

#include "ecs/event.h"

namespace auditeql::alerts {

// Longest string kept in a summary: a longer one (a path) is cut with a
// visible "[...+N bytes]"; the alert's top-level fields keep the last
// event's values whole.
inline constexpr size_t kSummaryStringBytes = 512;

// Replaces `out` with the summary of `event`: one JSON object, the
// registry's fields of the list above that the event has.
void render_event_summary(const ecs::Event& event, std::string& out);

}  // namespace auditeql::alerts
