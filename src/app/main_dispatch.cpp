#include <iostream>

#include <unistd.h>

#include "app/commands.h"
#include "app/config.h"
#include "app/options.h"
#include "app/plugin.h"

namespace auditeql::app {

const char* const kVersion = AUDITEQL_VERSION;

namespace {

constexpr const char* kUsage = R"(Usage: auditeql [COMMAND] [ARGS]...

Detects Linux boot persistence by evaluating Elastic Security EQL rules on the
auditd record stream.

Commands:
  plugin               run as the auditd plugin (the default without a
                       command; `auditeql /PATH` is the same as
                       `auditeql plugin --config /PATH`)
  replay [FILE|-]...   replay recorded audit logs through the rules; alerts
                       as NDJSON on standard output
  events [FILE|-]...   print normalized ECS events (processes, files,
                       network connections...) as NDJSON
  eql [EVENTS|-]       evaluate one EQL query on ECS events (NDJSON)
  check                validate the configuration, rules and exceptions, and
                       say whether each rule can fire
  fields               list the fields auditeql sets on its events
  audit-rules          print the audit rules the loaded rules need
  --help               show this help
  --version            show the version

Run `auditeql COMMAND --help` for the options of a command.
)";

constexpr const char* kPluginIntro = R"(Usage: auditeql [plugin] [OPTIONS] [FILE]

Runs as an auditd plugin: reads the audit record stream on standard input and
sends alerts to syslog (and to alert_file when configured). auditd starts it
from /etc/audit/plugins.d/auditeql.conf with the configuration path as its
only argument (FILE, the same as --config FILE). Default configuration:
/etc/auditeql/auditeql.yaml.

Signals: SIGHUP reloads the configuration, rules and exceptions (keeping the
previous set if anything fails to load); SIGUSR1 logs a statistics line;
SIGTERM (or the end of input) processes what is pending and exits 0.
)";

}  // namespace

int run_plugin_command(const std::vector<std::string>& args) {
  std::string config_path;
  std::vector<std::string> rest;
  CommandLine cli("plugin", kPluginIntro);
  cli.text("config", "FILE", &config_path, "the configuration to run with").arguments(&rest, 1);
  if (const auto status = cli.parse(args)) return *status;
  if (!rest.empty() && !config_path.empty()) return cli.usage_error("expected at most one configuration file");
  if (!rest.empty()) config_path = rest.front();
  if (config_path.empty()) config_path = kDefaultConfigPath;
  if (isatty(STDIN_FILENO)) {
    std::cerr << "auditeql: plugin mode, reading audit records from standard input (auditd starts it this way; "
                 "see auditeql --help for the other commands)\n";
  }
  return run_plugin(config_path);
}

int run_main(const std::vector<std::string>& args) {
  // What auditd runs: no arguments, or the configuration path as the only one.
  if (args.empty()) return run_plugin_command({});
  if (args.size() == 1 && !args[0].empty() && args[0].front() == '/') return run_plugin_command(args);
  const std::string& command = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "auditeql " << kVersion << "\n";
    return 0;
  }
  if (command == "plugin") return run_plugin_command(rest);
  if (command == "events") return run_events(rest);
  if (command == "replay") return run_replay(rest);
  if (command == "eql") return run_eql(rest);
  if (command == "check") return run_check(rest);
  if (command == "fields") return run_fields(rest);
  if (command == "audit-rules") return run_audit_rules(rest);
  std::cerr << "auditeql: unknown command '" << command << "'\n" << kUsage;
  return 2;
}

}  // namespace auditeql::app
