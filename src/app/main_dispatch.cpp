#include <iostream>

#include "app/commands.h"

namespace auditeql::app {

const char* const kVersion = AUDITEQL_VERSION;

namespace {

constexpr const char* kUsage = R"(Usage: auditeql [COMMAND] [ARGS]...

Detects Linux boot persistence by evaluating Elastic Security EQL rules on the
auditd record stream.

Commands:
  replay [FILE|-]...   replay recorded audit logs through the rules; alerts
                       as NDJSON on standard output
  events [FILE|-]...   print normalized ECS events (process starts, file
                       creations, renames) as NDJSON
  eql --query Q [FILE|-]
                       evaluate one EQL query on ECS events (NDJSON)
  check [--config F]   validate the configuration, rules and exceptions
  --help               show this help
  --version            show the version

Run `auditeql COMMAND --help` for the options of a command.
)";

}  // namespace

int run_main(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << kUsage;
    return 2;
  }
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
  if (command == "events") return run_events(rest);
  if (command == "replay") return run_replay(rest);
  if (command == "eql") return run_eql(rest);
  if (command == "check") return run_check(rest);
  std::cerr << "auditeql: unknown command '" << command << "'\n" << kUsage;
  return 2;
}

}  // namespace auditeql::app
