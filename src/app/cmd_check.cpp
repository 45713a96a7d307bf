// `auditeql check`: validates the configuration, rules and exceptions the
// plugin would load, and says what they are. Any problem: exit 2.
#include <unistd.h>

#include <iostream>

#include "app/args.h"
#include "app/commands.h"
#include "app/config.h"
#include "app/rule_setup.h"

namespace auditeql::app {
namespace {

constexpr const char* kCheckUsage = R"(Usage: auditeql check [--config FILE]

Loads the configuration (default /etc/auditeql/auditeql.yaml when it exists,
else the built-in defaults), the rules and the exceptions exactly as the
plugin would at start-up, reports every problem with its file, line and
column, and lists what was loaded.

Exit status: 0 everything loads, 2 something does not.
)";

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out.empty() ? "(none)" : out;
}

}  // namespace

int run_check(const std::vector<std::string>& args) {
  bool help = false;
  std::string config_path;
  std::vector<std::string> extra;
  ArgParser parser;
  parser.flag("--help", &help);
  parser.option("--config", &config_path);
  std::string error;
  if (!parser.parse(args, extra, error) || !extra.empty()) {
    std::cerr << "auditeql check: " << (error.empty() ? "unexpected argument " + extra.front() : error) << "\n"
              << kCheckUsage;
    return 2;
  }
  if (help) {
    std::cout << kCheckUsage;
    return 0;
  }
  const std::string shipped = shipped_rules_dir();
  rules::Diagnostics config_diagnostics;
  const Config config = load_plugin_config(config_path.empty() ? kDefaultConfigPath : config_path, shipped,
                                           config_diagnostics);
  std::cout << "config: " << config.source << "\n";
  if (config_diagnostics.has_errors()) {
    std::cerr << config_diagnostics.format();
    std::cout << "FAILED: the configuration has " << config_diagnostics.error_count() << " error(s)\n";
    return 2;
  }

  RuleSetup setup = load_ruleset(config.rule_directories, config.exception_directories, false, true);
  std::cout << "rule directories: " << join(config.rule_directories) << "\n";
  std::cout << "exception directories: " << join(config.exception_directories) << "\n";
  const auto& set = *setup.ruleset;
  std::cout << "rules: " << set.size() << " enabled, " << set.disabled().size() << " disabled\n";
  for (size_t i = 0; i < set.size(); ++i) {
    const auto& rule = set.rule(i);
    std::cout << "  " << rule.definition.id << "  " << rule.definition.name << "  ["
              << rule.query.category() << ", " << rules::to_string(rule.definition.severity) << ", risk "
              << rule.definition.risk_score << ", " << rule.exceptions.size() << " exceptions]  "
              << rule.definition.file << "\n";
    if (!rule.unset_fields.empty()) {
      std::cout << "    note: reads fields auditeql never sets: " << join(rule.unset_fields) << "\n";
    }
  }
  for (const auto& id : set.disabled()) std::cout << "  " << id << "  (disabled)\n";
  if (!setup.diagnostics.all().empty()) std::cerr << setup.diagnostics.format();
  if (setup.diagnostics.has_errors()) {
    // The plugin would run the rules listed above and raise a
    // "configuration refused" alert until the errors are fixed.
    std::cout << "FAILED: " << setup.diagnostics.error_count() << " error(s)\n";
    return 2;
  }
  std::cout << "OK\n";
  return 0;
}

}  // namespace auditeql::app
