#pragma once
// Loading and compiling the rule set from directories, shared by replay,
// check and the plugin (start-up and SIGHUP).
#include <memory>
#include <string>
#include <vector>

#include "rules/diagnostics.h"
#include "rules/rule_loader.h"
#include "rules/ruleset.h"

namespace auditeql::app {

struct RuleSetup {
  // What loaded, always set: with errors, the rules of every file that
  // loaded (see rules/rule_loader.h for what a refused file costs).
  std::shared_ptr<rules::Ruleset> ruleset;
  rules::Diagnostics diagnostics;
  rules::LoadedRules loaded;                // what was read, for `check`
};

// Rule directories after the first are optional (local additions may not
// exist); the first (shipped rules) and explicitly given ones must.
RuleSetup load_ruleset(const std::vector<std::string>& rule_dirs, const std::vector<std::string>& exception_dirs,
                       bool all_required, bool require_root_owned);

// "12 rules", or "12 rules (3 building blocks; not run: 2 not EQL (esql 2))":
// the rules that run, and what was loaded but does not run (`check` lists it).
std::string describe_rules(const rules::Ruleset& ruleset);

}  // namespace auditeql::app
