// `auditeql audit-rules`: prints the augenrules file that serves the rules
// the plugin would load (rules/audit_rule_plan.h).
#include <sys/stat.h>

#include <iostream>
#include <set>

#include "app/commands.h"
#include "app/config.h"
#include "app/options.h"
#include "app/rule_setup.h"
#include "rules/audit_rule_plan.h"
#include "util/path.h"
#include "util/text.h"

namespace auditeql::app {
namespace {

constexpr const char* kAuditRulesIntro = R"(Usage: auditeql audit-rules [OPTIONS]

Prints the audit rules (augenrules format) that the enabled rules need: exec
and fork records, watches on the fixed directories and files that file rules
test, and syscall rules for the other kinds of event some rule can match.
Costly lines are written commented out, with the rules that need them, unless
audit_rules_costly in the configuration opts in. The rules and the
configuration are loaded as the plugin loads them (default configuration
/etc/auditeql/auditeql.yaml when it exists, else the built-in defaults).

  auditeql audit-rules > /etc/audit/rules.d/auditeql.rules && augenrules --load
)";

constexpr const char* kAuditRulesOutro =
    "Exit status: 0 success; 2 usage or configuration error (nothing printed), or rules that did not load (the file "
    "is printed for the rules that did, and lists the others).\n";

rules::PathState path_state(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return rules::PathState::Missing;
  return S_ISDIR(st.st_mode) ? rules::PathState::Directory : rules::PathState::NotDirectory;
}

rules::AuditRuleOptions options_of(const Config& config, bool check_directories) {
  rules::AuditRuleOptions options;
  for (const auto& item : config.audit_rules_costly) {
    if (const auto cost = rules::parse_cost_class(item)) {
      options.costly.push_back(*cost);
    } else {
      options.costly_directories.push_back(util::normalize_path(item));
    }
  }
  options.extra_watches = config.watched_directories;
  if (check_directories) options.path_state = path_state;
  return options;
}

// Enabled rules that were loaded but do not run (a query the rule set
// refused), for the listing at the end of the file.
std::vector<std::string> not_loaded(const RuleSetup& setup) {
  std::set<std::string> running;
  for (size_t i = 0; i < setup.ruleset->size(); ++i) running.insert(setup.ruleset->rule(i).definition.id);
  std::vector<std::string> out;
  for (const auto& rule : setup.loaded.rules) {
    if (rule.enabled && rule.status == rules::RunStatus::Runs && running.count(rule.id) == 0) {
      out.push_back(rule.name + " (" + rule.id + ")");
    }
  }
  if (setup.diagnostics.has_errors()) {
    out.push_back("and the rules of any file refused for an error: `auditeql check` lists the errors");
  }
  return out;
}

std::string summary(const rules::AuditRulePlan& plan) {
  size_t loaded = 0, commented = 0;
  for (const auto& w : plan.watches) (w.state == rules::AuditRuleWatch::State::Loaded ? loaded : commented)++;
  size_t sections_loaded = 0;
  for (const auto& s : plan.sections) sections_loaded += s.loaded ? 1 : 0;
  return "auditeql audit-rules: " + util::counted(plan.rules, "rule") + " served; " +
         util::counted(loaded, "watch", "watches") + " written, " + std::to_string(commented) + " commented out; " +
         util::counted(plan.sections.size(), "syscall section") + " beyond exec and fork (" +
         std::to_string(plan.sections.size() - sections_loaded) + " commented out); " +
         util::counted(plan.unplaced.size(), "rule") + " with no fixed directory, " +
         std::to_string(plan.matching_nothing.size()) + " matching no event kind\n";
}

}  // namespace

int run_audit_rules(const std::vector<std::string>& args) {
  std::string config_path;
  std::vector<std::string> rule_dirs;
  bool unchecked = false;
  CommandLine cli("audit-rules", kAuditRulesIntro, kAuditRulesOutro);
  const std::string config_help = std::string("the configuration (default: ") + kDefaultConfigPath + ")";
  cli.text("config", "FILE", &config_path, config_help.c_str())
      .texts("rules", "DIR", &rule_dirs,
             "load rules from DIR instead of the configuration's rule directories (repeatable; later directories "
             "override earlier ones by rule id)")
      .flag("no-check-directories", &unchecked,
            "do not look at this host's file system: write every watch as if its directory existed (a file for "
            "other hosts, whose watched directories must exist when the rules load). By default a watch whose "
            "directory is missing here is written commented out.");
  if (const auto status = cli.parse(args)) return *status;

  const std::string shipped = shipped_rules_dir();
  rules::Diagnostics config_diagnostics;
  Config config = load_plugin_config(config_path.empty() ? kDefaultConfigPath : config_path, shipped,
                                     config_diagnostics);
  if (config_diagnostics.has_errors()) {
    std::cerr << config_diagnostics.format();
    return 2;
  }
  if (!rule_dirs.empty()) config.rule_directories = rule_dirs;
  // Exceptions only narrow what a rule matches: they need no audit rule. The
  // configuration's directories are loaded as the plugin loads them; named
  // ones must exist and are read whoever owns them, as by replay.
  const RuleSetup setup = load_ruleset(config.rule_directories, {}, !rule_dirs.empty(), rule_dirs.empty());
  // The errors only: warnings (fields auditeql never sets) are `check`'s business.
  for (const auto& d : setup.diagnostics.all()) {
    if (d.level == rules::Diagnostic::Level::Error) std::cerr << d.format();
  }

  std::vector<rules::ServedRule> served;
  for (size_t i = 0; i < setup.ruleset->size(); ++i) {
    const auto& definition = setup.ruleset->rule(i).definition;
    served.push_back({definition.name, definition.query});
  }
  rules::AuditRulePlan plan = rules::plan_audit_rules(served, options_of(config, !unchecked));
  plan.not_loaded = not_loaded(setup);
  std::cout << rules::render_audit_rules(plan) << std::flush;
  std::cerr << summary(plan);
  if (setup.diagnostics.has_errors()) {
    std::cerr << "auditeql audit-rules: " << util::counted(setup.diagnostics.error_count(), "error")
              << " while loading the rules: the file serves the rules that loaded\n";
    return 2;
  }
  return std::cout ? 0 : 1;
}

}  // namespace auditeql::app
