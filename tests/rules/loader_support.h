#pragma once
// Loading rule and exception directories in the rules suites.
#include <string>
#include <vector>

#include "rules/rule_loader.h"

namespace auditeql::testing {

// Every directory required (a missing one is an error).
inline rules::LoadedRules load_dirs(const std::vector<std::string>& rule_dirs,
                                    const std::vector<std::string>& exception_dirs, rules::Diagnostics& d) {
  rules::RuleSources sources;
  for (const auto& r : rule_dirs) sources.rule_dirs.push_back({r, false});
  for (const auto& e : exception_dirs) sources.exception_dirs.push_back({e, false});
  return rules::load_rule_sources(sources, d);
}

}  // namespace auditeql::testing
