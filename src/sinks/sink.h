#pragma once
// Stage 6: where alerts go. Every sink receives the same rendered alert.
#include "alerts/alert.h"

namespace auditeql::sinks {

class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual void write(const alerts::Alert& alert) = 0;
  // SIGHUP: reopen files (logrotate moved them away).
  virtual void reopen() {}
  virtual void flush() {}
};

}  // namespace auditeql::sinks
