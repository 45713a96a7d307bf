#pragma once
// Stage 5 output: one alert, rendered once as single-line ECS JSON and handed
// to every sink.
#include <cstdint>
#include <string>

#include "rules/rule.h"

namespace auditeql::alerts {

struct Alert {
  std::string json;  // one line, no trailing newline
  rules::Severity severity = rules::Severity::Medium;
  std::string rule_id;
  int64_t time_ms = 0;
};

}  // namespace auditeql::alerts
