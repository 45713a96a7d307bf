// Field names fail closed: a name in no schema auditeql knows is an error at
// its position (with a suggestion), a known field auditeql never sets is
// reported with what it does to the rule, and an exception depending on one
// is refused. Elasticsearch rejects an unknown column; a misspelt field in
// an exception would otherwise switch its rule off.
#include <boost/test/unit_test.hpp>

#include "rules/field_check.h"
#include "rules/loader_support.h"
#include "rules/ruleset.h"
#include "support/temp_dir.h"

using namespace auditeql;
using rules::Diagnostics;
using testing::TempDir;

namespace {

std::string rule_yaml(const std::string& id, const std::string& query, const std::string& extra = "") {
  return "id: " + id + "\nname: Rule " + id + "\n" + extra + "query: |\n  " + query + "\n";
}

struct Loaded {
  rules::LoadedRules loaded;
  Diagnostics d;
  rules::Ruleset set;
};

Loaded load(TempDir& dir, bool with_exceptions = false) {
  Loaded out;
  out.loaded = testing::load_dirs({dir.str() + "/rules"}, with_exceptions ? std::vector<std::string>{dir.str() + "/ex"}
                                                                           : std::vector<std::string>{},
                                  out.d);
  out.set = rules::Ruleset::compile(out.loaded, out.d);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(field_validation)

BOOST_AUTO_TEST_CASE(a_misspelt_field_in_a_rule_is_an_error_at_its_position_with_a_suggestion) {
  TempDir dir;
  const auto file = dir.write("rules/typo.yaml", rule_yaml("typo", R"(process where process.nmae == "cp")"));
  dir.write("rules/ok.yaml", rule_yaml("ok", R"(process where process.name == "cp")"));
  auto r = load(dir);
  BOOST_TEST(r.d.error_count() == 1u, r.d.format());
  const std::string text = r.d.format();
  BOOST_TEST(text.find(file + ":4:17: error: rule typo (Rule typo): unknown field 'process.nmae' "
                              "(did you mean 'process.name'?)\n    process where process.nmae == \"cp\"\n"
                              "                  ^") == 0u,
             text);
  BOOST_TEST(r.set.size() == 1u);  // the other rule still loads
}

BOOST_AUTO_TEST_CASE(a_misspelt_field_in_an_exception_is_an_error_not_a_silent_switch_off) {
  TempDir dir;
  dir.write("rules/cpio.yaml", rule_yaml("cpio", R"(process where process.name == "cpio")"));
  const auto ex = dir.write("ex/e.yaml", "- rule_id: cpio\n  condition: process.parent.exe != \"/usr/bin/bash\"\n");
  auto r = load(dir, true);
  BOOST_TEST(r.d.has_errors());
  BOOST_TEST(r.d.format().find(ex + ":2:14: error: exception for rule cpio: unknown field 'process.parent.exe' "
                                    "(did you mean 'process.parent.executable'?)") != std::string::npos,
             r.d.format());
  // The rule runs without the refused exception file: more alerts, never fewer.
  BOOST_REQUIRE(r.set.size() == 1u);
  BOOST_TEST(r.set.rule(0).exceptions.empty());
}

BOOST_AUTO_TEST_CASE(an_exception_on_a_field_auditeql_never_sets_is_refused) {
  TempDir dir;
  dir.write("rules/cpio.yaml", rule_yaml("cpio", R"(process where process.name == "cpio")"));
  // Known ECS fields, but never on auditeql's process events: the
  // exception would match every event (not ...) or none.
  const auto ex = dir.write("ex/e.yaml",
                            "- rule_id: cpio\n  condition: not container.id == \"abc\"\n"
                            "- rule_id: cpio\n  condition: file.path == \"/x\"\n");
  auto r = load(dir, true);
  BOOST_TEST(r.d.error_count() == 2u, r.d.format());
  BOOST_TEST(r.d.format().find("refused: it depends on container.id, which auditeql never sets on process events, "
                               "so it would match every event or none") != std::string::npos,
             r.d.format());
  BOOST_TEST(r.d.format().find("refused: it depends on file.path") != std::string::npos, r.d.format());
}

BOOST_AUTO_TEST_CASE(a_rule_reading_fields_auditeql_never_sets_is_warned_about_once_with_its_verdict) {
  TempDir dir;
  dir.write("rules/a.yaml", rule_yaml("excl", R"(process where process.name == "sh" and not container.id : "*")"));
  dir.write("rules/b.yaml", rule_yaml("needs", R"(process where process.name == "sh" and container.id == "x" and container.id != "y")"));
  dir.write("rules/c.yaml", rule_yaml("branch", R"(process where process.name == "sh" or container.id == "x")"));
  auto r = load(dir);
  BOOST_TEST(!r.d.has_errors(), r.d.format());
  BOOST_TEST(r.d.all().size() == 3u, r.d.format());  // one warning per rule
  std::map<std::string, std::string> verdict;
  for (size_t i = 0; i < r.set.size(); ++i) verdict[r.set.rule(i).definition.id] = r.set.rule(i).reach.describe();
  BOOST_TEST(verdict["excl"] == "can fire, but loses exclusions (never has container.id)");
  BOOST_TEST(verdict["needs"] == "cannot fire: needs container.id");
  BOOST_TEST(verdict["branch"] == "can fire (never has container.id, so the conditions on it never hold)");
  BOOST_TEST(r.d.format().find("warning: rule needs (Rule needs): reads container.id, which auditeql never sets on "
                               "process events: cannot fire: needs container.id") != std::string::npos,
             r.d.format());
}

BOOST_AUTO_TEST_CASE(rules_that_need_an_event_kind_auditeql_does_not_produce_are_told_so) {
  TempDir dir;
  dir.write("rules/net.yaml", rule_yaml("iam", R"(iam where user.name == "x")"));
  dir.write("rules/kind.yaml", rule_yaml("kind", R"(process where event.type == "denied" and process.name == "sh")"));
  dir.write("rules/run.yaml", rule_yaml("run", R"(process where event.type == "start" and process.name == "sh")"));
  auto r = load(dir);
  BOOST_TEST(!r.d.has_errors(), r.d.format());
  std::map<std::string, std::string> verdict;
  for (size_t i = 0; i < r.set.size(); ++i) verdict[r.set.rule(i).definition.id] = r.set.rule(i).reach.describe();
  BOOST_TEST(verdict["iam"] == "cannot fire: needs iam events");
  BOOST_TEST(verdict["kind"] == "cannot fire: needs process events with event.type denied");
  BOOST_TEST(verdict["run"] == "can fire");
  BOOST_TEST(r.set.summary().find("1 can fire, 0 lose exclusions, 2 cannot fire") != std::string::npos, r.set.summary());
}

BOOST_AUTO_TEST_CASE(elastic_defend_fields_are_known_to_rules_written_for_elastic_s_schema_only) {
  TempDir dir;
  const std::string query = R"(file where file.Ext.header_bytes : "7f454c46*")";
  dir.write("rules/ecs.yaml", rule_yaml("ecs", query));
  dir.write("rules/elastic.yaml", rule_yaml("elastic", query, "schema: elastic\n"));
  dir.write("rules/optional.yaml", rule_yaml("optional", R"(process where ?no.such.field == null and process.name == "x")"));
  auto r = load(dir);
  BOOST_TEST(r.d.error_count() == 1u, r.d.format());
  BOOST_TEST(r.d.format().find("rule ecs (Rule ecs): unknown field 'file.Ext.header_bytes' (a field of Elastic "
                               "Defend that auditeql does not set; a rule written for Elastic's schemas says "
                               "`schema: elastic`)") != std::string::npos,
             r.d.format());
  BOOST_REQUIRE(r.set.size() == 2u);  // elastic and optional
}

BOOST_AUTO_TEST_CASE(no_enabled_rule_is_an_error) {
  TempDir dir;
  dir.write("rules/off.yaml", rule_yaml("off", R"(process where true)", "enabled: false\n"));
  auto r = load(dir);
  BOOST_TEST(r.d.error_count() == 1u, r.d.format());
  BOOST_TEST(r.d.format().find("no enabled rule: auditeql would detect nothing") != std::string::npos, r.d.format());
}

BOOST_AUTO_TEST_CASE(suggestions_are_for_one_edit_or_a_shortened_last_part_only) {
  BOOST_TEST(rules::suggest_field("process.nmae") == "process.name");     // swapped
  BOOST_TEST(rules::suggest_field("process.nam") == "process.name");      // dropped
  BOOST_TEST(rules::suggest_field("process.namex") == "process.name");    // added
  BOOST_TEST(rules::suggest_field("process.parent.exe") == "process.parent.executable");
  BOOST_TEST(rules::suggest_field("zzz.qqq") == "");
}

BOOST_AUTO_TEST_SUITE_END()
