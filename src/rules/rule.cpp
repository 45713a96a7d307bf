#include "rules/rule.h"

namespace auditeql::rules {

SourceSpan TextPosition::at(uint32_t line, uint32_t column) const {
  SourceSpan where = start;
  if (line <= 1) {
    where.column = start.column + column - 1;
  } else {
    where.line = start.line + line - 1;
    where.column = (block ? indent : 0) + column;
  }
  return where;
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "low") return Severity::Low;
  if (text == "medium") return Severity::Medium;
  if (text == "high") return Severity::High;
  if (text == "critical") return Severity::Critical;
  return std::nullopt;
}

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::Low: return "low";
    case Severity::Medium: return "medium";
    case Severity::High: return "high";
    case Severity::Critical: return "critical";
  }
  return "medium";
}

const char* to_string(RunStatus status) {
  switch (status) {
    case RunStatus::Runs: return "runs";
    case RunStatus::NotEql: return "not an EQL rule";
    case RunStatus::NotLinux: return "not a Linux rule";
    case RunStatus::Unsupported: return "unsupported";
  }
  return "unsupported";
}

int severity_score(Severity severity) {
  switch (severity) {
    case Severity::Low: return 21;
    case Severity::Medium: return 47;
    case Severity::High: return 73;
    case Severity::Critical: return 99;
  }
  return 47;
}

}  // namespace auditeql::rules
