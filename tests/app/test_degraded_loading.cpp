// What the plugin runs with when part of its configuration is refused: the
// rules of every file that loaded, never fewer alerts from what did load.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "app/config.h"
#include "app/health.h"
#include "support/ecs_conformance.h"
#include "app/rule_setup.h"
#include "support/temp_dir.h"
#include "util/json_value.h"

using namespace auditeql;
using testing::TempDir;

namespace {

const std::string kShipped = std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules";
const std::string kBootFileCopy = "5bda8597-69a6-4b9e-87a2-69a7c963ea83";

const rules::CompiledRule* find_rule(const rules::Ruleset& set, const std::string& id) {
  for (size_t i = 0; i < set.size(); ++i) {
    if (set.rule(i).definition.id == id) return &set.rule(i);
  }
  return nullptr;
}

bool mentions(const rules::Diagnostics& d, const std::string& file, const std::string& fragment) {
  for (const auto& item : d.all()) {
    if (item.where.file == file && item.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

app::RuleSetup load(const TempDir& dir) {
  return app::load_ruleset({kShipped, dir.str() + "/rules.d"}, {dir.str() + "/exceptions.d"}, false, true);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(degraded_loading)

BOOST_AUTO_TEST_CASE(a_refused_override_leaves_the_shipped_rule_as_it_was) {
  TempDir dir;
  // Would switch the rule off, but has an error elsewhere: refused whole.
  const auto disable = dir.write("rules.d/50-off.yaml", "id: " + kBootFileCopy + "\nenabled: false\nseverity: urgent\n");
  // Would replace the query by one that does not compile.
  const auto requery = dir.write("rules.d/60-query.yaml", "id: " + kBootFileCopy + "\nquery: 'process where ('\n");
  const auto setup = load(dir);
  BOOST_TEST(setup.diagnostics.error_count() == 2u, setup.diagnostics.format());
  BOOST_TEST(setup.ruleset->size() == 5u);
  BOOST_TEST(setup.ruleset->disabled().empty());
  const auto* rule = find_rule(*setup.ruleset, kBootFileCopy);
  BOOST_REQUIRE(rule != nullptr);
  BOOST_TEST(rule->definition.file == kShipped + "/boot_file_copy.yaml");
  BOOST_TEST(rule->definition.query.find("/boot/*") != std::string::npos);
  BOOST_TEST((rule->definition.severity == rules::Severity::Low));
  BOOST_TEST(mentions(setup.diagnostics, disable, "not applied: rule " + kBootFileCopy), setup.diagnostics.format());
  BOOST_TEST(mentions(setup.diagnostics, requery, "not applied: rule " + kBootFileCopy), setup.diagnostics.format());
}

BOOST_AUTO_TEST_CASE(an_override_after_a_refused_one_applies_on_what_loaded_before) {
  TempDir dir;
  dir.write("rules.d/50-bad.yaml", "id: " + kBootFileCopy + "\nseverity: critical\nrisk_score: 500\n");
  dir.write("rules.d/60-good.yaml", "id: " + kBootFileCopy + "\nrisk_score: 80\n");
  const auto setup = load(dir);
  BOOST_TEST(setup.diagnostics.error_count() == 1u, setup.diagnostics.format());
  const auto* rule = find_rule(*setup.ruleset, kBootFileCopy);
  BOOST_REQUIRE(rule != nullptr);
  BOOST_TEST(rule->definition.risk_score == 80);
  BOOST_TEST((rule->definition.severity == rules::Severity::Low));  // 50-bad.yaml's severity did not leak through
}

BOOST_AUTO_TEST_CASE(a_rule_whose_query_does_not_compile_is_left_out_and_the_others_run) {
  TempDir dir;
  const auto bad = dir.write("rules.d/bad.yaml", "id: local-bad\nname: Bad\nquery: 'process where process.name = \"x\"'\n");
  dir.write("rules.d/good.yaml", "id: local-good\nname: Good\nquery: 'process where process.name == \"x\"'\n");
  // A new rule whose only problem is an inline exception: refused too.
  dir.write("rules.d/bad-exception.yaml",
            "id: local-bad-ex\nname: Bad Ex\nquery: 'process where true'\nexceptions: ['process.name ==']\n");
  const auto setup = load(dir);
  BOOST_TEST(setup.diagnostics.error_count() == 2u, setup.diagnostics.format());
  BOOST_TEST(setup.ruleset->size() == 6u);
  BOOST_TEST(find_rule(*setup.ruleset, "local-good") != nullptr);
  BOOST_TEST(find_rule(*setup.ruleset, "local-bad") == nullptr);
  BOOST_TEST(find_rule(*setup.ruleset, "local-bad-ex") == nullptr);
  BOOST_TEST(mentions(setup.diagnostics, bad, "not loaded: rule local-bad does not run"), setup.diagnostics.format());
}

BOOST_AUTO_TEST_CASE(a_refused_exception_file_applies_none_of_its_exceptions) {
  TempDir dir;
  dir.mkdir("rules.d");
  // One good exception and one broken one: neither applies.
  const auto mixed = dir.write("exceptions.d/mixed.yaml", "- rule_id: " + kBootFileCopy +
                                                              "\n  condition: process.parent.name == \"backup\"\n"
                                                              "- rule_id: " + kBootFileCopy +
                                                              "\n  condition: process.name == \n");
  dir.write("exceptions.d/other.yaml",
            "- rule_id: " + kBootFileCopy + "\n  condition: process.parent.name == \"restore\"\n");
  const auto setup = load(dir);
  BOOST_TEST(setup.diagnostics.error_count() == 1u, setup.diagnostics.format());
  const auto* rule = find_rule(*setup.ruleset, kBootFileCopy);
  BOOST_REQUIRE(rule != nullptr);
  BOOST_TEST(rule->exceptions.size() == 1u);  // other.yaml's
  BOOST_TEST(mentions(setup.diagnostics, mixed, "none of the exceptions in this file apply"), setup.diagnostics.format());
}

BOOST_AUTO_TEST_CASE(files_others_can_write_are_refused_without_touching_the_shipped_rules) {
  if (geteuid() != 0) {
    BOOST_TEST_MESSAGE("SKIPPED (not root): the ownership checks apply to root only");
    return;
  }
  TempDir dir;
  chmod(dir.path().c_str(), 0755);
  const auto off = dir.write("rules.d/50-off.yaml", "id: " + kBootFileCopy + "\nenabled: false\n");
  chmod(off.c_str(), 0666);
  const auto ex = dir.write("exceptions.d/all.yaml", "- rule_id: " + kBootFileCopy + "\n  condition: 'true'\n");
  chmod(ex.c_str(), 0664);
  BOOST_REQUIRE(chown(ex.c_str(), 0, 65534) == 0);
  const auto setup = load(dir);
  BOOST_TEST(setup.diagnostics.error_count() == 2u, setup.diagnostics.format());
  const auto* rule = find_rule(*setup.ruleset, kBootFileCopy);
  BOOST_REQUIRE(rule != nullptr);
  BOOST_TEST(rule->exceptions.empty());
  BOOST_TEST(mentions(setup.diagnostics, off, "writable by every user"), setup.diagnostics.format());
  BOOST_TEST(mentions(setup.diagnostics, ex, "writable by group 65534"), setup.diagnostics.format());
}

BOOST_AUTO_TEST_CASE(a_configuration_key_with_an_error_keeps_its_default_and_the_others_apply) {
  TempDir dir;
  const auto path = dir.write("auditeql.yaml", "host_name: sensor-7\nmax_alert_bytes: lots\nalert_file: relative.ndjson\n"
                                               "process_table_size: 4096\nsyslog_facility: kernel\nhealth_alert_interval_seconds: 5\n"
                                               "rule_directories: [" + kShipped + ", /nonexistent]\n");
  rules::Diagnostics d;
  const auto config = app::load_plugin_config(path, kShipped, d);
  BOOST_TEST(d.error_count() == 3u, d.format());
  const app::Config defaults = app::default_config(kShipped);
  BOOST_TEST(config.host_name == "sensor-7");
  BOOST_TEST(config.process_table_size == 4096u);
  BOOST_TEST(config.health_alert_interval_seconds == 5);
  BOOST_TEST(config.rule_directories.size() == 2u);
  BOOST_TEST(config.rule_directories[1] == "/nonexistent");
  BOOST_TEST(config.max_alert_bytes == defaults.max_alert_bytes);
  BOOST_TEST(config.alert_file.empty());
  BOOST_TEST(config.syslog_facility == defaults.syslog_facility);
  BOOST_TEST(config.syslog_facility_code == defaults.syslog_facility_code);

  const auto broken = dir.write("broken.yaml", "host_name: [unclosed\n");
  rules::Diagnostics d2;
  const auto fallback = app::load_plugin_config(broken, kShipped, d2);
  BOOST_TEST(d2.has_errors());
  BOOST_TEST(fallback.rule_directories == defaults.rule_directories);
  BOOST_TEST(fallback.host_name.empty());
}

BOOST_AUTO_TEST_CASE(a_configuration_file_others_can_write_gives_the_defaults) {
  if (geteuid() != 0) {
    BOOST_TEST_MESSAGE("SKIPPED (not root): the ownership checks apply to root only");
    return;
  }
  TempDir dir;
  chmod(dir.path().c_str(), 0755);
  const auto path = dir.write("auditeql.yaml", "rule_directories: [/tmp/attacker]\nexception_directories: [/tmp/attacker]\n");
  chmod(path.c_str(), 0646);
  rules::Diagnostics d;
  const auto config = app::load_plugin_config(path, kShipped, d);
  BOOST_TEST(d.error_count() == 1u);
  BOOST_TEST(d.format().find("refusing to load: writable by every user") != std::string::npos, d.format());
  BOOST_TEST(config.rule_directories == app::default_config(kShipped).rule_directories);
  BOOST_TEST(config.exception_directories == app::default_config(kShipped).exception_directories);
}

BOOST_AUTO_TEST_CASE(refused_files_group_the_errors_by_file) {
  rules::Diagnostics d;
  d.error({"/etc/a.yaml", 3, 7}, "first");
  d.warning({"/etc/a.yaml", 0, 0}, "a warning is not a refusal");
  d.error({"/etc/b.yaml", 0, 0}, "refusing to load: owned by uid 1000, not root");
  d.error({"/etc/a.yaml", 9, 1}, "second");
  d.warning({"/etc/c.yaml", 1, 1}, "only a warning");
  const auto files = app::refused_files(d);
  BOOST_REQUIRE(files.size() == 2u);
  BOOST_TEST(files[0].path == "/etc/a.yaml");
  BOOST_TEST(files[0].error == "3:7: first");
  BOOST_TEST(files[0].errors == 2u);
  BOOST_TEST(files[1].path == "/etc/b.yaml");
  BOOST_TEST(files[1].error == "refusing to load: owned by uid 1000, not root");
}

BOOST_AUTO_TEST_CASE(a_refused_alert_is_one_line_of_json_whatever_the_file_and_error_hold) {
  app::RefusedFile file;
  file.path = "/etc/auditeql/rules.d/a\nb\"},\"rule\":{\"name\":\"forged\"}\x1d\xff\xfe.yaml";
  file.error = "3:1: unknown key '" + std::string(20000, 'k') + "\n\r\x01\"'";
  file.errors = 2;
  app::RefusedContext context;
  context.host_name = "web1";
  context.time_ms = 1795413900000;
  context.since_ms = 1795413800000;
  context.rules_running = 5;
  context.refused_files = 3;
  alerts::Alert alert;
  for (const size_t max_bytes : {size_t{0}, size_t{8000}, size_t{1856}}) {
    app::build_refused_alert(file, context, max_bytes, alert);
    BOOST_TEST(alert.json.find('\n') == std::string::npos);
    if (max_bytes > 0) BOOST_TEST(alert.json.size() <= max_bytes);
    const auto doc = util::parse_json(alert.json);
    BOOST_TEST(doc.find("event")->find("kind")->as_string() == "alert");
    BOOST_TEST(doc.find("rule")->find("name")->as_string() == app::kRefusedRuleName);
    BOOST_TEST(doc.find("rule")->as_object().size() == 4u);
    for (const auto& problem : testing::ecs_conformance_problems(doc, app::refused_alert_own_fields())) {
      BOOST_ERROR(problem);
    }
    BOOST_TEST(doc.find("ecs")->find("version")->as_string() == std::string(ecs::kEcsVersion));
    BOOST_TEST(doc.find("event")->find("id")->as_string().size() == 36u);
    BOOST_TEST(doc.find("host")->find("name")->as_string() == "web1");
    BOOST_TEST(doc.find("auditeql")->find("refused_files")->as_int() == 3);
    BOOST_TEST(doc.find("auditeql")->find("rules_running")->as_int() == 5);
    BOOST_TEST(doc.find("auditeql")->find("refused_at")->as_string() == "start");
    const std::string path = doc.find("file")->find("path")->as_string();
    BOOST_TEST(path.rfind("/etc/auditeql/rules.d/a\nb\"}", 0) == 0u, path);
    BOOST_TEST(doc.find("error")->find("message")->as_string().rfind("3:1: unknown key 'kkk", 0) == 0u);
  }
  BOOST_TEST((alert.severity == rules::Severity::High));
}

BOOST_AUTO_TEST_SUITE_END()
