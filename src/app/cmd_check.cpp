// `auditeql check`: validates the configuration, rules and exceptions the
// plugin would load, and says what they are. Any problem: exit 2.
#include <unistd.h>

#include <filesystem>
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

// What runs, what is switched off, and what was loaded but never runs.
void print_rules(const rules::Ruleset& set) {
  std::cout << "rules: " << set.size() << " enabled, " << set.disabled().size() << " disabled";
  if (const std::string summary = set.summary(); !summary.empty()) std::cout << "; " << summary;
  std::cout << "\n";
  for (size_t i = 0; i < set.size(); ++i) {
    const auto& rule = set.rule(i);
    const auto& def = rule.definition;
    std::cout << "  " << def.id << "  " << def.name << "  [" << rule.query.category() << ", "
              << rules::to_string(def.severity) << ", risk " << def.risk_score << ", " << rule.exceptions.size()
              << " exceptions" << (def.building_block ? ", building block" : "")
              << (def.maturity.empty() ? "" : ", " + def.maturity) << "]  " << def.file << "\n";
    if (!rule.unset_fields.empty()) {
      std::cout << "    note: reads fields auditeql never sets: " << join(rule.unset_fields) << "\n";
    }
  }
  for (const auto& id : set.disabled()) std::cout << "  " << id << "  (disabled)\n";
  for (const auto& rule : set.not_run()) {
    std::cout << "  " << rule.id << "  " << rule.name << "  (not run: " << rules::to_string(rule.status) << ", "
              << rule.detail << ")  " << rule.file << "\n";
  }
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
  Config config = default_config(shipped);
  std::error_code ec;
  if (!config_path.empty() || std::filesystem::exists(kDefaultConfigPath, ec)) {
    if (config_path.empty()) config_path = kDefaultConfigPath;
    if (const std::string problem = rules::insecure_path_problem(config_path); !problem.empty()) {
      config_diagnostics.error({config_path, 0, 0}, "refusing to load: " + problem);
    } else {
      config = load_config(config_path, shipped, config_diagnostics);
    }
  }
  std::cout << "config: " << config.source << "\n";
  if (config_diagnostics.has_errors()) {
    std::cerr << config_diagnostics.format();
    std::cout << "FAILED: the configuration has " << config_diagnostics.error_count() << " error(s)\n";
    return 2;
  }

  RuleSetup setup = load_ruleset(config.rule_directories, config.exception_directories, false, true);
  std::cout << "rule directories: " << join(config.rule_directories) << "\n";
  for (const auto& dir : config.rule_directories) {
    if (rules::is_detection_rules_checkout(dir)) std::cout << "  " << dir << ": a detection-rules checkout\n";
  }
  std::cout << "exception directories: " << join(config.exception_directories) << "\n";
  if (setup.ruleset) print_rules(*setup.ruleset);
  if (!setup.diagnostics.all().empty()) std::cerr << setup.diagnostics.format();
  if (setup.diagnostics.has_errors()) {
    std::cout << "FAILED: " << setup.diagnostics.error_count() << " error(s)\n";
    return 2;
  }
  std::cout << "OK\n";
  return 0;
}

}  // namespace auditeql::app
