#pragma once
// Stage 5: a matched rule and its event -> one alert document, ECS names:
// @timestamp, event.* (kind "alert", severity, risk score), rule.*, threat.*,
// tags, and the event's own host/process/user/group/file/auditd fields.
#include <cstddef>
#include <string>

#include "alerts/alert.h"
#include "ecs/event.h"
#include "rules/ruleset.h"

namespace auditeql::alerts {

struct AlertOptions {
  // Largest alert in bytes (syslog messages have a size limit); 0 for no
  // limit. Oversized alerts have their longest strings and arrays shortened,
  // with a visible marker, until they fit: always one line of valid JSON.
  size_t max_bytes = 0;
};

class AlertBuilder {
 public:
  explicit AlertBuilder(AlertOptions options = {}) : options_(options) {}

  void build(const ecs::Event& event, const rules::CompiledRule& rule, uint64_t throttled_before, Alert& out) const;

  // Truncation counters (alerts that had to be shortened).
  uint64_t truncated() const { return truncated_; }
  // ... of which still over max_bytes at the smallest caps (emitted anyway).
  uint64_t oversized() const { return oversized_; }

 private:
  AlertOptions options_;
  mutable uint64_t truncated_ = 0;
  mutable uint64_t oversized_ = 0;
};

}  // namespace auditeql::alerts
