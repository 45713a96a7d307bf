#include "app/rule_setup.h"

#include "util/text.h"

namespace auditeql::app {

RuleSetup load_ruleset(const std::vector<std::string>& rule_dirs, const std::vector<std::string>& exception_dirs,
                       bool all_required, bool require_root_owned) {
  RuleSetup setup;
  rules::RuleSources sources;
  sources.require_root_owned = require_root_owned;
  for (size_t i = 0; i < rule_dirs.size(); ++i) {
    sources.rule_dirs.push_back({rule_dirs[i], !all_required && i > 0});
  }
  for (const auto& dir : exception_dirs) sources.exception_dirs.push_back({dir, !all_required});
  setup.loaded = rules::load_rule_sources(sources, setup.diagnostics);
  setup.ruleset = std::make_shared<rules::Ruleset>(rules::Ruleset::compile(setup.loaded, setup.diagnostics));
  return setup;
}

std::string describe_rules(const rules::Ruleset& ruleset) {
  const std::string summary = ruleset.summary();
  return util::counted(ruleset.size(), "rule") + (summary.empty() ? "" : " (" + summary + ")");
}

}  // namespace auditeql::app
