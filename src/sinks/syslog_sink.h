#pragma once
// Alerts through syslog(3): ident "auditeql", the configured facility, and a
// priority from the rule severity (low notice, medium warning, high err,
// critical crit). The message is the alert JSON itself.
#include <optional>
#include <string>
#include <string_view>

#include "sinks/sink.h"

namespace auditeql::sinks {

int syslog_priority(rules::Severity severity);
// "authpriv", "auth", "daemon", "user", "local0" .. "local7" -> LOG_*.
std::optional<int> parse_syslog_facility(std::string_view name);

class SyslogSink : public AlertSink {
 public:
  explicit SyslogSink(int facility);
  void write(const alerts::Alert& alert) override;

 private:
  int facility_;
};

// auditeql's own status lines: syslog (facility daemon) and stderr.
void open_status_log();
void status(int priority, const std::string& message);

}  // namespace auditeql::sinks
