// `auditeql check`: validates the configuration, rules and exceptions the
// plugin would load, and says what they are. Any problem: exit 2.
#include <unistd.h>

#include <iostream>

#include "app/commands.h"
#include "app/config.h"
#include "app/options.h"
#include "app/rule_setup.h"
#include "util/text.h"

namespace auditeql::app {
namespace {

constexpr const char* kCheckIntro = R"(Usage: auditeql check [OPTIONS]

Loads the configuration (default /etc/auditeql/auditeql.yaml when it exists,
else the built-in defaults), the rules and the exceptions exactly as the
plugin would at start-up, reports every problem with its file, line and
column, and lists what was loaded.
)";

constexpr const char* kCheckOutro = "Exit status: 0 everything loads, 2 something does not.\n";

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out.empty() ? "(none)" : out;
}

// "process", or for a join rule "sequence of 3 stages, maxspan 5000 ms".
std::string shape(const rules::CompiledRule& rule) {
  if (!rule.is_join()) return std::string(rule.kind_label());
  size_t stages = 0;
  bool until = false;
  for (const auto& c : rule.join->criteria()) {
    if (c.role == eql::JoinCriterion::Role::Until) {
      until = true;
    } else {
      stages += c.runs;
    }
  }
  std::string out = std::string(rule.kind_label()) + " of " + util::counted(stages, "stage");
  if (until) out += " and until";
  if (const auto maxspan = rule.join->maxspan_ms()) out += ", maxspan " + std::to_string(*maxspan) + " ms";
  return out;
}

// What runs, what is switched off, and what was loaded but never runs.
void print_rules(const rules::Ruleset& set) {
  std::cout << "rules: " << set.size() << " enabled, " << set.disabled().size() << " disabled";
  if (const std::string summary = set.summary(); !summary.empty()) std::cout << "; " << summary;
  std::cout << "\n";
  for (size_t i = 0; i < set.size(); ++i) {
    const auto& rule = set.rule(i);
    const auto& def = rule.definition;
    std::cout << "  " << def.id << "  " << def.name << "  [" << shape(rule) << ", "
              << rules::to_string(def.severity) << ", risk " << def.risk_score << ", "
              << util::counted(rule.exceptions.size(), "exception") << (def.building_block ? ", building block" : "")
              << (def.maturity.empty() ? "" : ", " + def.maturity) << "]  " << def.file << "\n";
    std::cout << "    " << rule.reach.describe() << "\n";
  }
  for (const auto& id : set.disabled()) std::cout << "  " << id << "  (disabled)\n";
  for (const auto& rule : set.not_run()) {
    std::cout << "  " << rule.id << "  " << rule.name << "  (not run: " << rules::to_string(rule.status) << ", "
              << rule.detail << ")  " << rule.file << "\n";
  }
}

}  // namespace

int run_check(const std::vector<std::string>& args) {
  std::string config_path;
  CommandLine cli("check", kCheckIntro, kCheckOutro);
  const std::string config_help = std::string("the configuration to check (default: ") + kDefaultConfigPath + ")";
  cli.text("config", "FILE", &config_path, config_help.c_str());
  if (const auto status = cli.parse(args)) return *status;
  const std::string shipped = shipped_rules_dir();
  rules::Diagnostics config_diagnostics;
  const Config config = load_plugin_config(config_path.empty() ? kDefaultConfigPath : config_path, shipped,
                                           config_diagnostics);
  std::cout << "config: " << config.source << "\n";
  if (config_diagnostics.has_errors()) {
    std::cerr << config_diagnostics.format();
    std::cout << "FAILED: the configuration has " << util::counted(config_diagnostics.error_count(), "error") << "\n";
    return 2;
  }

  RuleSetup setup = load_ruleset(config.rule_directories, config.exception_directories, false, true);
  std::cout << "rule directories: " << join(config.rule_directories) << "\n";
  for (const auto& dir : config.rule_directories) {
    if (rules::is_detection_rules_checkout(dir)) std::cout << "  " << dir << ": a detection-rules checkout\n";
  }
  std::cout << "exception directories: " << join(config.exception_directories) << "\n";
  print_rules(*setup.ruleset);
  if (!setup.diagnostics.all().empty()) std::cerr << setup.diagnostics.format();
  if (setup.diagnostics.has_errors()) {
    // The plugin would run the rules listed above and raise a
    // "configuration refused" alert until the errors are fixed.
    std::cout << "FAILED: " << util::counted(setup.diagnostics.error_count(), "error") << "\n";
    return 2;
  }
  std::cout << "OK\n";
  return 0;
}

}  // namespace auditeql::app
