#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "rules/rule_loader.h"
#include "rules/ruleset.h"
#include "loader_support.h"
#include "support/temp_dir.h"

using namespace auditeql;
using rules::Diagnostics;
using rules::LoadedRules;
using testing::load_dirs;
using testing::TempDir;

namespace {

const std::string kShipped = std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules";

const std::string kMinimalRule = R"(id: test-rule-1
name: Test Rule
severity: high
risk_score: 73
query: |
  process where process.name == "cp"
)";

bool has_message(const Diagnostics& d, const std::string& file, uint32_t line, uint32_t column,
                 const std::string& fragment) {
  for (const auto& item : d.all()) {
    if (item.where.file == file && item.where.line == line && item.where.column == column &&
        item.message.find(fragment) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rule_loader)

BOOST_AUTO_TEST_CASE(the_five_shipped_rules_load_with_their_metadata) {
  Diagnostics d;
  const auto loaded = load_dirs({kShipped}, {}, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_REQUIRE(loaded.rules.size() == 5u);
  std::map<std::string, const rules::RuleDefinition*> by_name;
  for (const auto& r : loaded.rules) by_name[r.name] = &r;
  const auto* boot = by_name.at("Boot File Copy");
  BOOST_TEST(boot->id == "5bda8597-69a6-4b9e-87a2-69a7c963ea83");
  BOOST_TEST((boot->severity == rules::Severity::Low));
  BOOST_TEST(boot->risk_score == 21);
  BOOST_TEST(boot->max_signals == 100);
  BOOST_TEST(boot->ruleset == "boot-persistence");
  BOOST_REQUIRE(boot->threat.size() == 3u);
  BOOST_TEST(boot->threat[0].tactic.id == "TA0003");
  BOOST_TEST(boot->threat[0].techniques.size() == 3u);
  BOOST_TEST(boot->threat[1].techniques[0].subtechniques[0].id == "T1059.004");
  BOOST_TEST(boot->query.find("process.args like~ \"/boot/*\"") != std::string::npos);
  BOOST_TEST(by_name.at("Initramfs Extraction via CPIO")->threat.size() == 1u);
  BOOST_TEST(by_name.at("Manual Dracut Execution")->query.find("\"/bin/sh -c if command -v mkinitcpio*\"") != std::string::npos);
  for (const auto& r : loaded.rules) {
    BOOST_TEST(r.version == 2);  // as Elastic's rule documents state
    BOOST_TEST(r.license == "Elastic License v2");
    BOOST_TEST((r.author == std::vector<std::string>{"Elastic"}));
    BOOST_TEST(!r.description.empty());
    BOOST_TEST(!r.references.empty());
    BOOST_TEST(r.tags.size() >= 8u);
  }
  Diagnostics compile_d;
  const auto set = rules::Ruleset::compile(loaded, compile_d);
  BOOST_TEST(!compile_d.has_errors(), compile_d.format());
  BOOST_TEST(set.size() == 5u);
  BOOST_TEST(compile_d.all().empty(), compile_d.format());  // no warning either: every field is set
  for (size_t i = 0; i < set.size(); ++i) BOOST_TEST(set.rule(i).reach.describe() == "can fire");
}

BOOST_AUTO_TEST_CASE(local_rules_override_or_disable_shipped_ones_by_id) {
  TempDir dir;
  dir.write("local/50-override.yaml", "id: 5bda8597-69a6-4b9e-87a2-69a7c963ea83\nseverity: high\nrisk_score: 80\n");
  dir.write("local/60-disable.yaml", "id: c5fc788c-7576-4a02-b3d6-d2c016eb85a6\nenabled: false\n");
  dir.write("local/70-new.yaml", kMinimalRule);
  Diagnostics d;
  const auto loaded = load_dirs({kShipped, dir.str() + "/local"}, {}, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_TEST(loaded.rules.size() == 6u);
  const auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST(set.size() == 5u);  // one disabled, one added
  BOOST_TEST(set.disabled().size() == 1u);
  for (size_t i = 0; i < set.size(); ++i) {
    const auto& def = set.rule(i).definition;
    if (def.name == "Boot File Copy") {
      BOOST_TEST((def.severity == rules::Severity::High));
      BOOST_TEST(def.risk_score == 80);
      BOOST_TEST(def.query.find("/boot/*") != std::string::npos);  // the rest is kept
    }
    BOOST_TEST(def.name != "Initramfs Unpacking via unmkinitramfs");
  }
}

BOOST_AUTO_TEST_CASE(broken_yaml_is_reported_with_its_position) {
  TempDir dir;
  const auto file = dir.write("rules/bad.yaml", "id: x\nname: [unclosed\nquery: y\n");
  Diagnostics d;
  const auto loaded = load_dirs({dir.str() + "/rules"}, {}, d);
  BOOST_TEST(d.has_errors());
  BOOST_TEST(loaded.rules.empty());
  BOOST_REQUIRE(!d.all().empty());
  BOOST_TEST(d.all()[0].where.file == file);
  BOOST_TEST(d.all()[0].where.line >= 2u);
  BOOST_TEST(d.format().find(file + ":") == 0u);
}

BOOST_AUTO_TEST_CASE(a_query_error_points_at_the_file_line_and_column_with_a_caret) {
  TempDir dir;
  const auto file = dir.write("rules/r.yaml", R"(id: broken-query
name: Broken
query: |
  process where process.name == "cp" and
    process.args like~ ("/boot/*",
    and true
)");
  Diagnostics d;
  // Found while loading: a file applies whole or not at all.
  auto loaded = load_dirs({dir.str() + "/rules"}, {}, d);
  BOOST_TEST(loaded.rules.empty());
  BOOST_REQUIRE(d.error_count() == 1u);
  const auto& diag = d.all().front();
  BOOST_TEST(diag.where.file == file);
  BOOST_TEST(diag.where.line == 6u);  // "    and true" (line 3 of the query)
  BOOST_TEST(diag.where.column == 5u);
  BOOST_TEST(diag.message.find("broken-query") != std::string::npos);
  const std::string text = diag.format();
  BOOST_TEST(text.find(file + ":6:5: error:") == 0u, text);
  BOOST_TEST(text.find("\n      and true\n      ^") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(sequence_rules_load_and_run) {
  TempDir dir;
  dir.write("rules/seq.yaml", R"(id: seq-1
name: Some Sequence
query: |
  sequence by process.pid with maxspan=1m
    [process where process.name == "a"]
    [process where process.name == "b"]
)");
  Diagnostics d;
  auto loaded = load_dirs({dir.str() + "/rules"}, {}, d);
  const auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST(d.all().empty(), d.format());
  BOOST_REQUIRE(set.size() == 1u);
  BOOST_TEST(set.rule(0).is_join());
  BOOST_TEST(set.join_rules().size() == 1u);
}

BOOST_AUTO_TEST_CASE(wrong_types_unknown_keys_and_missing_fields) {
  TempDir dir;
  const auto file = dir.write("rules/r.yaml", "id: r1\nname: R\nseverity: urgent\nrisk_score: 500\nenabeld: false\ntags: notalist\nquery: 'process where true'\n");
  dir.write("rules/s.yaml", "name: no id\nquery: x\n");
  dir.write("rules/t.yaml", "id: t1\nquery: 'process where true'\n");
  Diagnostics d;
  const auto loaded = load_dirs({dir.str() + "/rules"}, {}, d);
  BOOST_TEST(loaded.rules.empty());
  BOOST_TEST(has_message(d, file, 3, 11, "severity must be low, medium, high or critical"), d.format());
  BOOST_TEST(has_message(d, file, 4, 13, "between 0 and 100"), d.format());
  BOOST_TEST(has_message(d, file, 5, 1, "unknown key 'enabeld'"), d.format());
  BOOST_TEST(has_message(d, file, 6, 7, "must be a list"), d.format());
  BOOST_TEST(d.format().find("rule needs an 'id'") != std::string::npos);
  BOOST_TEST(d.format().find("rule t1 needs a 'name'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(exceptions_attach_to_their_rule_and_bad_ones_are_positioned) {
  TempDir dir;
  dir.write("ex/backup.yaml", R"(exceptions:
  - rule_id: 5bda8597-69a6-4b9e-87a2-69a7c963ea83
    description: the backup tool restores kernels
    condition: process.parent.executable == "/opt/backup/bin/restore"
  - rule_id: no-such-rule
    condition: process.name == "x"
)");
  Diagnostics d;
  auto loaded = load_dirs({kShipped}, {dir.str() + "/ex"}, d);
  BOOST_TEST(loaded.exceptions.size() == 2u);
  const auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_TEST(d.format().find("exception for unknown rule id no-such-rule") != std::string::npos);
  size_t with_exceptions = 0;
  for (size_t i = 0; i < set.size(); ++i) with_exceptions += set.rule(i).exceptions.size();
  BOOST_TEST(with_exceptions == 1u);

  TempDir bad;
  const auto file = bad.write("ex/broken.yaml", R"(- rule_id: 5bda8597-69a6-4b9e-87a2-69a7c963ea83
  condition: process.parent.executable == 
)");
  Diagnostics d2;
  auto loaded2 = load_dirs({kShipped}, {bad.str() + "/ex"}, d2);
  rules::Ruleset::compile(loaded2, d2);
  BOOST_TEST(d2.has_errors());
  const std::string text = d2.format();
  BOOST_TEST(text.find(file + ":2:") == 0u, text);
  BOOST_TEST(text.find("^") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(files_a_non_root_user_could_change_are_refused) {
  if (geteuid() != 0) {
    BOOST_TEST_MESSAGE("SKIPPED (not root): ownership checks only apply when running as root");
    return;
  }
  TempDir dir;
  const auto writable = dir.write("rules/open.yaml", kMinimalRule);
  chmod(writable.c_str(), 0666);
  const auto foreign = dir.write("rules2/foreign.yaml", kMinimalRule);
  BOOST_REQUIRE(chown(foreign.c_str(), 65534, 65534) == 0);
  rules::RuleSources sources;
  sources.require_root_owned = true;
  sources.rule_dirs = {{dir.str() + "/rules", false}, {dir.str() + "/rules2", false}};
  Diagnostics d;
  const auto loaded = rules::load_rule_sources(sources, d);
  BOOST_TEST(loaded.rules.empty());
  BOOST_TEST(d.format().find("open.yaml: error: refusing to load: writable by every user") != std::string::npos, d.format());
  BOOST_TEST(d.format().find("foreign.yaml: error: refusing to load: owned by uid 65534") != std::string::npos, d.format());
  chmod(dir.path().c_str(), 0777);
  Diagnostics d2;
  rules::load_rule_sources({{{dir.str(), false}}, {}, true}, d2);
  BOOST_TEST(d2.format().find("refusing to load: writable by every user") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_missing_directory_is_an_error_unless_optional) {
  Diagnostics d;
  rules::load_rule_sources({{{"/nonexistent/rules", false}}, {}, false}, d);
  BOOST_TEST(d.format().find("/nonexistent/rules: error: no such directory") != std::string::npos);
  Diagnostics d2;
  rules::load_rule_sources({{{"/nonexistent/rules", true}}, {}, false}, d2);
  BOOST_TEST(!d2.has_errors());
}

BOOST_AUTO_TEST_SUITE_END()
