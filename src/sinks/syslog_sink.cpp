#include "sinks/syslog_sink.h"

#include <syslog.h>

#include <cstdio>

namespace auditeql::sinks {

int syslog_priority(rules::Severity severity) {
  switch (severity) {
    case rules::Severity::Low: return LOG_NOTICE;
    case rules::Severity::Medium: return LOG_WARNING;
    case rules::Severity::High: return LOG_ERR;
    case rules::Severity::Critical: return LOG_CRIT;
  }
  return LOG_WARNING;
}

std::optional<int> parse_syslog_facility(std::string_view name) {
  static constexpr struct {
    const char* name;
    int facility;
  } kFacilities[] = {
      {"authpriv", LOG_AUTHPRIV}, {"auth", LOG_AUTH},     {"daemon", LOG_DAEMON}, {"user", LOG_USER},
      {"security", LOG_AUTH},     {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},
      {"local3", LOG_LOCAL3},     {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5}, {"local6", LOG_LOCAL6},
      {"local7", LOG_LOCAL7},
  };
  for (const auto& f : kFacilities) {
    if (name == f.name) return f.facility;
  }
  return std::nullopt;
}

SyslogSink::SyslogSink(int facility) : facility_(facility) { open_status_log(); }

void SyslogSink::write(const alerts::Alert& alert) {
  // "%s": the alert is data, never a format string.
  syslog(facility_ | syslog_priority(alert.severity), "%s", alert.json.c_str());
}

void open_status_log() {
  // LOG_NDELAY: connect now, while /dev/log is certainly reachable.
  openlog("auditeql", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void status(int priority, const std::string& message) {
  syslog(LOG_DAEMON | priority, "%s", message.c_str());
  std::fprintf(stderr, "auditeql: %s\n", message.c_str());
}

}  // namespace auditeql::sinks
