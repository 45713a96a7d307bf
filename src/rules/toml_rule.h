#pragma once
// Reads rule files in the TOML format of Elastic's detection-rules
// repository (rules/linux/*.toml and the like), as published.
//
// [rule] keys auditeql uses: rule_id, name, description, severity,
// risk_score, tags, threat, references, max_signals, version, license,
// author, enabled, building_block_type, type, language and query. [metadata]:
// maturity, creation_date, updated_date and os_type_list. The keys listed by
// toml_ignored_rule_keys() and toml_ignored_metadata_keys() are accepted and
// not used; any other key draws a warning, so that a typo is seen.
//
// A rule not tagged "OS: Linux" is loaded as NotLinux; a rule of another type
// or query language as NotEql; neither ever runs.
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule_loader.h"

namespace auditeql::rules {

// Loads one TOML rule file into `into`, as load_rule_file does for YAML: a
// rule_id already loaded is overridden key by key.
void load_toml_rule_file(const std::string& path, LoadedRules& into, Diagnostics& diagnostics);

// Keys of [rule] that only matter to Elastic's scheduler, to Kibana or to
// rule types auditeql does not run.
const std::vector<std::string_view>& toml_ignored_rule_keys();
// Keys of [metadata] that only matter to Elastic's release tooling.
const std::vector<std::string_view>& toml_ignored_metadata_keys();

}  // namespace auditeql::rules
