#pragma once
// Plugin mode: what auditd runs from /etc/audit/plugins.d/auditeql.conf.
//
// Reads the record stream on standard input (a reader thread keeps auditd's
// queue moving), runs it through the pipeline, and sends alerts to syslog
// (and optionally an NDJSON file). It always starts: a configuration, rule or
// exception file with an error is left out, the rest runs, and a
// "configuration refused" alert repeats until a reload loads everything.
// SIGHUP reloads configuration, rules and exceptions (keeping the old set
// when anything fails to load), SIGUSR1 logs a statistics line, SIGTERM or
// end of input flushes and exits 0. auditd
// starts plugins with an empty environment: nothing here depends on PATH,
// HOME or the locale.
#include <string>

namespace auditeql::app {

int run_plugin(const std::string& config_path);

}  // namespace auditeql::app
