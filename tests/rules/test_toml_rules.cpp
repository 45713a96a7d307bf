// Elastic's detection-rules TOML files: what is mapped, what is ignored or
// warned about, which rules never run, positions of errors, overrides and
// exceptions by rule_id, and the rule directory walk (checkouts included).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <map>

#include "rules/rule_loader.h"
#include "rules/ruleset.h"
#include "rules/toml_rule.h"
#include "support/corpus.h"
#include "loader_support.h"
#include "support/temp_dir.h"

using namespace auditeql;
using rules::Diagnostics;
using rules::LoadedRules;
using rules::RunStatus;
using testing::load_dirs;
using testing::TempDir;

namespace {

const std::string kFixtures = std::string(AUDITEQL_FIXTURES_DIR) + "/toml/rules";
const std::string kFindmnt = kFixtures + "/discovery_findmnt.toml";
const std::string kFindmntId = "eb800e91-1ba7-4f52-b85e-85f2d70b7d3b";
const std::string kGzipBbrId = "d873baa9-8174-44c8-aa9a-274bdc4c96c6";

const rules::RuleDefinition& by_id(const LoadedRules& loaded, const std::string& id) {
  const auto it = std::find_if(loaded.rules.begin(), loaded.rules.end(), [&](const auto& r) { return r.id == id; });
  BOOST_REQUIRE_MESSAGE(it != loaded.rules.end(), "no rule " + id);
  return *it;
}

const rules::Diagnostic* find_diagnostic(const Diagnostics& d, const std::string& fragment) {
  for (const auto& item : d.all()) {
    if (item.message.find(fragment) != std::string::npos) return &item;
  }
  return nullptr;
}

// An Elastic-style rule file with `rule_keys` added to a minimal [rule].
std::string rule_file(const std::string& rule_keys, const std::string& query = "process where process.name == \"ls\"") {
  return "[metadata]\nmaturity = \"production\"\n\n[rule]\nrule_id = \"704d3983-6d35-4e28-9689-fe55f1bf51bd\"\n"
         "name = \"Test\"\ntype = \"eql\"\nlanguage = \"eql\"\nseverity = \"low\"\nrisk_score = 21\n"
         "tags = [\"OS: Linux\"]\n" +
         rule_keys + "query = '''\n" + query + "\n'''\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(toml_rules)

BOOST_AUTO_TEST_CASE(every_mapped_rule_key_is_read) {
  Diagnostics d;
  LoadedRules loaded;
  rules::load_rule_file(kFindmnt, loaded, d);
  BOOST_TEST(d.all().empty(), d.format());  // ignored keys (from, index, note, setup, ...) draw nothing
  BOOST_REQUIRE(loaded.rules.size() == 1u);
  const auto& rule = loaded.rules[0];
  BOOST_TEST(rule.id == kFindmntId);
  BOOST_TEST(rule.name == "Mount Discovery via findmnt (test)");
  BOOST_TEST(rule.description.find("A test rule in Elastic's format: findmnt lists") == 0u, rule.description);
  BOOST_TEST((rule.severity == rules::Severity::Medium));
  BOOST_TEST(rule.risk_score == 47);
  BOOST_TEST(rule.max_signals == 7);
  BOOST_TEST(rule.version == 3);
  BOOST_TEST(rule.license == "Elastic License v2");
  BOOST_TEST((rule.author == std::vector<std::string>{"auditeql tests", "Example Author"}));
  BOOST_TEST(rule.tags.size() == 5u);
  BOOST_TEST(rule.tags[1] == "OS: Linux");
  BOOST_TEST((rule.references == std::vector<std::string>{"https://example.com/findmnt", "https://example.com/mounts"}));
  BOOST_TEST(rule.maturity == "production");
  BOOST_TEST(rule.creation_date == "2026/01/12");
  BOOST_TEST(rule.updated_date == "2026/03/30");
  BOOST_TEST(rule.type == "eql");
  BOOST_TEST(rule.language == "eql");
  BOOST_TEST(!rule.building_block);
  BOOST_TEST((rule.status == RunStatus::Runs));
  BOOST_TEST(rule.enabled);
  BOOST_TEST(rule.file == kFindmnt);
  BOOST_TEST(rule.query.find("process where host.os.type == \"linux\"") == 0u, rule.query);
  BOOST_TEST(rule.query.find("not process.parent.name in (\"systemd\", \"udisksd\")\n") != std::string::npos);

  BOOST_REQUIRE(rule.threat.size() == 2u);
  const auto& discovery = rule.threat[0];
  BOOST_TEST(discovery.framework == "MITRE ATT&CK");
  BOOST_TEST(discovery.tactic.id == "TA0007");
  BOOST_TEST(discovery.tactic.name == "Discovery");
  BOOST_TEST(discovery.tactic.reference == "https://attack.mitre.org/tactics/TA0007/");
  BOOST_REQUIRE(discovery.techniques.size() == 2u);
  BOOST_TEST(discovery.techniques[0].technique.id == "T1082");
  BOOST_TEST(discovery.techniques[0].subtechniques.empty());
  BOOST_TEST(discovery.techniques[1].technique.name == "Command and Scripting Interpreter");
  BOOST_REQUIRE(discovery.techniques[1].subtechniques.size() == 1u);
  BOOST_TEST(discovery.techniques[1].subtechniques[0].id == "T1059.004");
  BOOST_TEST(discovery.techniques[1].subtechniques[0].reference == "https://attack.mitre.org/techniques/T1059/004/");
  BOOST_TEST(rule.threat[1].tactic.id == "TA0002");
  BOOST_TEST(rule.threat[1].techniques.empty());
}

BOOST_AUTO_TEST_CASE(the_fixture_directory_loads_each_kind_of_rule) {
  Diagnostics d;
  const auto loaded = load_dirs({kFixtures}, {}, d);
  BOOST_TEST(d.all().empty(), d.format());
  BOOST_TEST(loaded.rules.size() == 5u);
  BOOST_TEST(by_id(loaded, kGzipBbrId).building_block);
  const auto& new_terms = by_id(loaded, "9f08fb87-5b5d-470a-9a16-5337a2c36dba");
  BOOST_TEST((new_terms.status == RunStatus::NotEql));
  BOOST_TEST(new_terms.status_detail == "new_terms");
  const auto& esql = by_id(loaded, "358e3560-e1b0-4b42-95f4-9df2485185bc");
  BOOST_TEST((esql.status == RunStatus::NotEql));
  BOOST_TEST(esql.status_detail == "esql");
  const auto& windows = by_id(loaded, "5b45bb5c-bb29-4cf7-9bf0-e6481455db31");
  BOOST_TEST((windows.status == RunStatus::NotLinux));
  BOOST_TEST(windows.status_detail == "tagged OS: Windows");

  const auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_TEST(set.size() == 2u);  // findmnt and the building block
  BOOST_TEST(set.building_blocks() == 1u);
  BOOST_TEST(set.not_run().size() == 3u);
  BOOST_TEST(set.summary() == "1 building block; not run: 2 not EQL (esql 1, new_terms 1), 1 not for Linux");
}

BOOST_AUTO_TEST_CASE(other_rule_types_and_query_languages_never_run) {
  TempDir dir;
  dir.write("rules/a.toml", "[rule]\nrule_id = \"a\"\nname = \"KQL\"\ntype = \"query\"\nlanguage = \"kuery\"\n"
                            "tags = [\"OS: Linux\"]\nquery = \"event.category:process and process.name:ls\"\n");
  dir.write("rules/b.toml", "[rule]\nrule_id = \"b\"\nname = \"ML\"\ntype = \"machine_learning\"\n"
                            "anomaly_threshold = 50\nmachine_learning_job_id = \"job\"\ntags = [\"OS: Linux\"]\n");
  dir.write("rules/c.toml", "[rule]\nrule_id = \"c\"\nname = \"EQL type, other language\"\ntype = \"eql\"\n"
                            "language = \"lucene\"\ntags = [\"OS: Linux\"]\nquery = \"x\"\n");
  dir.write("rules/d.toml", "[rule]\nrule_id = \"d\"\nname = \"Threshold\"\ntype = \"threshold\"\nlanguage = \"kuery\"\n"
                            "tags = [\"OS: Linux\"]\nquery = \"event.category:process\"\n"
                            "[rule.threshold]\nfield = [\"host.id\"]\nvalue = 10\n");
  Diagnostics d;
  auto loaded = load_dirs({dir.str() + "/rules"}, {}, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_REQUIRE(loaded.rules.size() == 4u);
  std::map<std::string, std::string> detail;
  for (const auto& r : loaded.rules) {
    BOOST_TEST((r.status == RunStatus::NotEql), r.id);
    detail[r.id] = r.status_detail;
  }
  BOOST_TEST(detail["a"] == "query");
  BOOST_TEST(detail["b"] == "machine_learning");
  BOOST_TEST(detail["c"] == "eql in lucene");
  BOOST_TEST(detail["d"] == "threshold");
  const auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST(set.size() == 0u);
  BOOST_TEST(set.not_run().size() == 4u);
  // KQL is never parsed as EQL: the only error is that nothing would run.
  BOOST_TEST(d.error_count() == 1u, d.format());
  BOOST_TEST(d.format().find("no enabled rule") != std::string::npos, d.format());
}

BOOST_AUTO_TEST_CASE(only_rules_tagged_for_linux_run) {
  TempDir dir;
  dir.write("rules/mac.toml", rule_file("").replace(rule_file("").find("OS: Linux"), 9, "OS: macOS"));
  dir.write("rules/none.toml", rule_file("").replace(rule_file("").find("tags = [\"OS: Linux\"]"), 20, "tags = []"));
  dir.write("rules/listed.toml", "[metadata]\nos_type_list = [\"linux\"]\n\n[rule]\nrule_id = \"listed\"\n"
                                 "name = \"By os_type_list\"\ntype = \"eql\"\nlanguage = \"eql\"\n"
                                 "query = \"process where true\"\n");
  Diagnostics d;
  const auto loaded = load_dirs({dir.str() + "/rules"}, {}, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_REQUIRE(loaded.rules.size() == 2u);  // mac.toml and none.toml share their rule_id: one overrides
  BOOST_TEST((by_id(loaded, "listed").status == RunStatus::Runs));
  const auto& other = by_id(loaded, "704d3983-6d35-4e28-9689-fe55f1bf51bd");
  BOOST_TEST((other.status == RunStatus::NotLinux));
  BOOST_TEST(other.status_detail == "no OS tag");  // none.toml, read after mac.toml
}

BOOST_AUTO_TEST_CASE(building_block_type_marks_the_rule_and_only_default_is_valid) {
  TempDir dir;
  const auto good = dir.write("good/r.toml", rule_file("building_block_type = \"default\"\n"));
  const auto bad = dir.write("bad/r.toml", rule_file("building_block_type = \"sometimes\"\n"));
  Diagnostics d;
  const auto loaded = load_dirs({dir.str() + "/good"}, {}, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_REQUIRE(loaded.rules.size() == 1u);
  BOOST_TEST(loaded.rules[0].building_block);
  Diagnostics d2;
  const auto refused = load_dirs({dir.str() + "/bad"}, {}, d2);
  BOOST_TEST(refused.rules.empty());
  const auto* e = find_diagnostic(d2, "building_block_type must be \"default\"");
  BOOST_REQUIRE(e != nullptr);
  BOOST_TEST(e->where.file == bad);
  BOOST_TEST(e->where.line == 12u);
  BOOST_TEST(e->where.column == 23u);
}

BOOST_AUTO_TEST_CASE(a_toml_syntax_error_is_positioned_with_a_caret) {
  TempDir dir;
  const auto file = dir.write("rules/r.toml", "[rule]\nrule_id = \"x\"\nname = \"Sé\" trailing\n");
  Diagnostics d;
  const auto loaded = load_dirs({dir.str() + "/rules"}, {}, d);
  BOOST_TEST(loaded.rules.empty());
  BOOST_REQUIRE(d.error_count() == 1u);
  const std::string text = d.format();
  // Column 13 counts characters: "é" is one.
  BOOST_TEST(text.find(file + ":3:13: error: invalid TOML: ") == 0u, text);
  BOOST_TEST(text.find("\n  name = \"Sé\" trailing\n              ^\n") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(query_errors_point_into_the_multi_line_string) {
  TempDir dir;
  // The query starts on line 13, the line after query = '''.
  const auto file = dir.write("rules/r.toml", rule_file("", "process where process.name == \"ls\" and\n  process.args == )"));
  // Queries are compiled as their file loads (a file applies whole or not
  // at all), so the error comes from loading, followed by "not loaded".
  Diagnostics d;
  auto loaded = load_dirs({dir.str() + "/rules"}, {}, d);
  BOOST_REQUIRE(d.error_count() == 1u);
  BOOST_TEST(loaded.rules.empty());
  const auto& e = d.all().front();
  BOOST_TEST(e.where.file == file);
  BOOST_TEST(e.where.line == 14u, d.format());  // the query's second line
  BOOST_TEST(e.where.column == 19u, d.format());
  BOOST_TEST(e.message.find("704d3983-6d35-4e28-9689-fe55f1bf51bd (Test)") != std::string::npos);

  TempDir dir2;
  const auto file2 = dir2.write("rules/r.toml", rule_file("", "process where process.name ==  and true"));
  Diagnostics d2;
  load_dirs({dir2.str() + "/rules"}, {}, d2);
  BOOST_REQUIRE(d2.error_count() == 1u);
  const std::string text = d2.all().front().format();
  BOOST_TEST(text.find(file2 + ":13:32: error:") == 0u, text);
  BOOST_TEST(text.find("\n  process where process.name ==  and true\n  " + std::string(31, ' ') + "^") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(single_line_and_same_line_queries_are_positioned_too) {
  TempDir dir;
  const auto file = dir.write("rules/r.toml", "[rule]\nrule_id = \"x\"\nname = \"X\"\ntype = \"eql\"\n"
                                              "tags = [\"OS: Linux\"]\nquery = \"process where ==\"\n");
  const auto file2 = dir.write("rules2/r.toml", "[rule]\nrule_id = \"y\"\nname = \"Y\"\ntype = \"eql\"\n"
                                                "tags = [\"OS: Linux\"]\nquery = '''process where true and\n  ==\n'''\n");
  Diagnostics d;
  load_dirs({dir.str() + "/rules", dir.str() + "/rules2"}, {}, d);
  BOOST_REQUIRE(d.error_count() == 2u);
  BOOST_TEST(d.format().find(file + ":6:24: error:") != std::string::npos, d.format());
  BOOST_TEST(d.format().find(file2 + ":7:3: error:") != std::string::npos, d.format());
}

BOOST_AUTO_TEST_CASE(unknown_keys_warn_where_they_are_and_the_rule_still_loads) {
  TempDir dir;
  const auto file = dir.write("rules/r.toml", rule_file("rsik_score = 50\n") + "[rule.threat_typo]\nx = 1\n"
                                                                               "[metadata_extra]\ny = 2\n");
  Diagnostics d;
  const auto loaded = load_dirs({dir.str() + "/rules"}, {}, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_TEST(loaded.rules.size() == 1u);
  const auto* typo = find_diagnostic(d, "unknown key 'rsik_score' in [rule]");
  BOOST_REQUIRE(typo != nullptr);
  BOOST_TEST((typo->level == rules::Diagnostic::Level::Warning));
  BOOST_TEST(typo->where.line == 12u);
  BOOST_TEST(typo->where.column == 1u);
  BOOST_TEST(find_diagnostic(d, "unknown key 'threat_typo' in [rule]") != nullptr, d.format());
  BOOST_TEST(find_diagnostic(d, "unknown key 'metadata_extra' in the file") != nullptr, d.format());
  BOOST_TEST(d.all().size() == 3u, d.format());
}

BOOST_AUTO_TEST_CASE(the_ignored_keys_are_documented_and_draw_no_warning) {
  const auto& ignored = rules::toml_ignored_rule_keys();
  for (const char* key : {"from", "interval", "timestamp_override", "index", "note", "setup"}) {
    BOOST_TEST((std::find(ignored.begin(), ignored.end(), key) != ignored.end()), key);
  }
  // Every ignored key is named in the man page, so that the list there is exact.
  const std::string man = testing::read_file(std::string(AUDITEQL_SOURCE_DIR) + "/packaging/man/auditeql.yaml.5");
  for (const auto key : ignored) BOOST_TEST(man.find(std::string(key)) != std::string::npos, key);
  for (const auto key : rules::toml_ignored_metadata_keys()) BOOST_TEST(man.find(std::string(key)) != std::string::npos, key);
}

BOOST_AUTO_TEST_CASE(wrong_types_and_missing_keys_are_errors) {
  TempDir dir;
  const auto file = dir.write("a/r.toml", "[rule]\nrule_id = \"x\"\nname = \"X\"\ntype = \"eql\"\nrisk_score = \"high\"\n"
                                          "tags = \"OS: Linux\"\nmax_signals = 0\nauthor = [1]\nquery = \"process where true\"\n");
  dir.write("b/r.toml", "[rule]\nname = \"no id\"\n");
  dir.write("c/r.toml", "[rule]\nrule_id = \"c\"\ntags = [\"OS: Linux\"]\ntype = \"eql\"\n");
  dir.write("d/r.toml", "[rule]\nrule_id = \"d\"\nname = \"D\"\ntags = [\"OS: Linux\"]\n");
  dir.write("e/r.toml", "[metadata]\nmaturity = \"production\"\n");
  Diagnostics d;
  const auto loaded = load_dirs({dir.str() + "/a", dir.str() + "/b", dir.str() + "/c", dir.str() + "/d", dir.str() + "/e"}, {}, d);
  BOOST_TEST(loaded.rules.empty(), d.format());
  const auto* risk = find_diagnostic(d, "'risk_score' must be a whole number");
  BOOST_REQUIRE(risk != nullptr);
  BOOST_TEST(risk->where.file == file);
  BOOST_TEST(risk->where.line == 5u);
  BOOST_TEST(risk->where.column == 14u);
  BOOST_TEST(find_diagnostic(d, "'tags' must be a list of strings") != nullptr);
  BOOST_TEST(find_diagnostic(d, "'max_signals' must be between 1 and 1000000") != nullptr);
  BOOST_TEST(find_diagnostic(d, "each item of 'author' must be a string") != nullptr);
  BOOST_TEST(find_diagnostic(d, "rule needs a 'rule_id'") != nullptr);
  BOOST_TEST(find_diagnostic(d, "rule c needs a 'name'") != nullptr);
  BOOST_TEST(find_diagnostic(d, "rule c needs a non-empty EQL 'query'") != nullptr);
  BOOST_TEST(find_diagnostic(d, "rule d needs a 'type'") != nullptr);
  BOOST_TEST(find_diagnostic(d, "it has no [rule] table") != nullptr);
}

BOOST_AUTO_TEST_CASE(a_setting_auditeql_cannot_honour_keeps_the_rule_from_running) {
  TempDir dir;
  dir.write("rules/r.toml", rule_file("event_category_override = \"event.type\"\n"));
  Diagnostics d;
  auto loaded = load_dirs({dir.str() + "/rules"}, {}, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_REQUIRE(loaded.rules.size() == 1u);
  BOOST_TEST((loaded.rules[0].status == RunStatus::Unsupported));
  BOOST_TEST(loaded.rules[0].status_detail == "event_category_override");
  const auto* warned = find_diagnostic(d, "does not run: auditeql does not support event_category_override");
  BOOST_REQUIRE(warned != nullptr);
  BOOST_TEST((warned->level == rules::Diagnostic::Level::Warning));
  BOOST_TEST(warned->where.line == 12u);
  const auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST(set.size() == 0u);
  BOOST_TEST(set.summary() == "not run: 1 unsupported");

  TempDir filtered;
  filtered.write("rules/r.toml", rule_file("filters = []\n"));
  Diagnostics d2;
  auto loaded2 = load_dirs({filtered.str() + "/rules"}, {}, d2);
  BOOST_TEST(!d2.has_errors(), d2.format());
  BOOST_TEST((loaded2.rules.at(0).status == RunStatus::Runs));
  BOOST_TEST(find_diagnostic(d2, "its Kibana 'filters' are not applied") != nullptr, d2.format());
}

BOOST_AUTO_TEST_CASE(yaml_overrides_apply_to_toml_rules_by_rule_id_key_by_key) {
  TempDir dir;
  dir.write("local/50-findmnt.yaml", "id: " + kFindmntId + "\nseverity: critical\nrisk_score: 99\n");
  dir.write("local/60-bbr-off.yaml", "id: " + kGzipBbrId + "\nenabled: false\n");
  Diagnostics d;
  const auto loaded = load_dirs({kFixtures, dir.str() + "/local"}, {}, d);
  BOOST_TEST(!d.has_errors(), d.format());
  const auto& findmnt = by_id(loaded, kFindmntId);
  BOOST_TEST((findmnt.severity == rules::Severity::Critical));
  BOOST_TEST(findmnt.risk_score == 99);
  BOOST_TEST(findmnt.max_signals == 7);  // the rest is the TOML file's
  BOOST_TEST(findmnt.version == 3);
  BOOST_TEST(findmnt.threat.size() == 2u);
  BOOST_TEST(findmnt.query.find("findmnt") != std::string::npos);
  BOOST_TEST(findmnt.file == dir.str() + "/local/50-findmnt.yaml");
  const auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST(set.size() == 1u);
  BOOST_TEST((set.disabled() == std::vector<std::string>{kGzipBbrId}));
}

BOOST_AUTO_TEST_CASE(exception_files_apply_to_toml_rules_by_rule_id) {
  TempDir dir;
  dir.write("ex/findmnt.yaml", "- rule_id: " + kFindmntId + "\n  condition: process.parent.name == \"lsblk\"\n");
  Diagnostics d;
  auto loaded = load_dirs({kFixtures}, {dir.str() + "/ex"}, d);
  const auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_TEST(d.all().empty(), d.format());  // not "exception for unknown rule id"
  size_t found = 0;
  for (size_t i = 0; i < set.size(); ++i) {
    if (set.rule(i).definition.id == kFindmntId) found = set.rule(i).exceptions.size();
  }
  BOOST_TEST(found == 1u);
}

BOOST_AUTO_TEST_CASE(yaml_rules_carry_version_license_and_author) {
  TempDir dir;
  dir.write("rules/r.yaml", "id: y1\nname: Y\nversion: 4\nlicense: Elastic License v2\nauthor: [Elastic, Someone]\n"
                            "query: process where true\n");
  Diagnostics d;
  const auto loaded = load_dirs({dir.str() + "/rules"}, {}, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_REQUIRE(loaded.rules.size() == 1u);
  BOOST_TEST(loaded.rules[0].version == 4);
  BOOST_TEST(loaded.rules[0].license == "Elastic License v2");
  BOOST_TEST((loaded.rules[0].author == std::vector<std::string>{"Elastic", "Someone"}));
}

BOOST_AUTO_TEST_CASE(every_file_a_rule_directory_does_not_read_is_reported) {
  TempDir dir;
  dir.write("rules/a.yaml", "id: a\nname: A\nquery: process where true\n");
  dir.write("rules/README.md", "notes\n");
  dir.write("rules/b.yaml.dpkg-old", "id: b\n");
  dir.write("rules/sub/c.yaml", "id: c\nname: C\nquery: process where true\n");
  dir.write("ex/rule.toml", rule_file(""));
  Diagnostics d;
  const auto loaded = load_dirs({dir.str() + "/rules"}, {dir.str() + "/ex"}, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_TEST(loaded.rules.size() == 1u);
  BOOST_TEST(d.all().size() == 4u, d.format());
  BOOST_TEST(d.format().find(dir.str() + "/rules/README.md: warning: not read: not a *.yaml, *.yml or *.toml file") != std::string::npos, d.format());
  BOOST_TEST(d.format().find(dir.str() + "/rules/b.yaml.dpkg-old: warning: not read") != std::string::npos, d.format());
  BOOST_TEST(d.format().find(dir.str() + "/rules/sub: warning: not read: a subdirectory") != std::string::npos, d.format());
  BOOST_TEST(d.format().find(dir.str() + "/ex/rule.toml: warning: not read: not a *.yaml or *.yml file") != std::string::npos, d.format());
}

BOOST_AUTO_TEST_CASE(a_detection_rules_checkout_root_reads_its_linux_rule_directories) {
  TempDir checkout;
  const std::string findmnt = testing::read_file(kFindmnt);
  const std::string windows = testing::read_file(kFixtures + "/execution_windows_only.toml");
  checkout.write("pyproject.toml", "[project]\nname = \"detection_rules\"\n");
  checkout.write("rules/README.md", "rules\n");
  checkout.write("rules/linux/discovery_findmnt.toml", findmnt);
  checkout.write("rules/cross-platform/execution_windows_only.toml", windows);
  checkout.write("rules/cross-platform/bbr.toml", testing::read_file(kFixtures + "/discovery_gzip_bbr.toml"));
  checkout.write("rules/windows/other.toml", "this is not even TOML [");
  checkout.write("rules/_deprecated/old.toml", "neither [");
  checkout.write("rules_building_block/.gitkeep", "");
  checkout.write("rules_building_block/new_terms.toml", testing::read_file(kFixtures + "/collection_new_terms.toml"));
  Diagnostics d;
  const auto loaded = load_dirs({checkout.str()}, {}, d);
  BOOST_TEST(rules::is_detection_rules_checkout(checkout.str()));
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_TEST(loaded.rules.size() == 4u);
  BOOST_TEST((loaded.directories == std::vector<std::string>{checkout.str() + "/rules/linux",
                                                             checkout.str() + "/rules/cross-platform",
                                                             checkout.str() + "/rules_building_block"}));
  // Only the placeholder is reported: the checkout's other directories and
  // files are not rule directories.
  BOOST_TEST(d.all().size() == 1u, d.format());
  BOOST_TEST(d.format().find("rules_building_block/.gitkeep: warning: not read") != std::string::npos, d.format());
  const auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST(set.size() == 2u);
  BOOST_TEST(set.summary() == "1 building block; not run: 1 not EQL (new_terms 1), 1 not for Linux");

  TempDir partial;
  partial.write("rules/linux/discovery_findmnt.toml", findmnt);
  Diagnostics d2;
  const auto loaded2 = load_dirs({partial.str()}, {}, d2);
  BOOST_TEST(loaded2.rules.size() == 1u);
  BOOST_TEST(!d2.has_errors(), d2.format());
  BOOST_TEST(d2.format().find("rules/cross-platform: warning: not found in the detection-rules checkout") != std::string::npos, d2.format());
}

BOOST_AUTO_TEST_SUITE_END()
