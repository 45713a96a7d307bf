#include <boost/test/unit_test.hpp>

#include "alerts/alert_builder.h"
#include "alerts/throttle.h"
#include "ecs/fields.h"
#include "rules/rule_loader.h"
#include "rules/ruleset.h"
#include "support/hand_made.h"
#include "util/json_value.h"

using namespace auditeql;

namespace {

// The shipped Boot File Copy rule, compiled.
struct BootRule {
  rules::Ruleset set;
  BootRule() {
    rules::Diagnostics d;
    rules::LoadedRules loaded;
    rules::load_rule_file(std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules/boot_file_copy.yaml", loaded, d);
    set = rules::Ruleset::compile(loaded, d);
    if (d.has_errors() || set.size() != 1) throw std::runtime_error(d.format());
  }
  const rules::CompiledRule& rule() const { return set.rule(0); }
};

ecs::Event cp_event(std::vector<std::string> args) {
  ecs::Event e;
  e.kind = ecs::EventKind::ProcessStart;
  e.time_ms = 1795413918753;
  e.host_name = "web1";
  e.pid = 1979;
  e.parent_pid = 1978;
  e.uid = e.euid = e.gid = e.egid = 0;
  e.user_name = e.effective_user_name = "root";
  e.process = ecs::make_process_image("/usr/bin/cp", std::move(args));
  e.parent = ecs::make_process_image("/usr/bin/bash", {"bash"});
  e.working_directory = "/tmp";
  e.sequence = 49358;
  e.key = "bp_exec";
  return e;
}

const auto at = testing::json_at;

}  // namespace

BOOST_AUTO_TEST_SUITE(alert_document)

BOOST_AUTO_TEST_CASE(an_alert_carries_rule_threat_and_event_fields_in_ecs_names) {
  BootRule boot;
  alerts::Alert alert;
  alerts::AlertBuilder().build(cp_event({"cp", "x", "/boot/"}), boot.rule(), 0, alert);
  BOOST_TEST(alert.json.find('\n') == std::string::npos);
  const auto doc = util::parse_json(alert.json);
  BOOST_TEST(at(doc, {"@timestamp"}).as_string() == "2026-11-23T06:05:18.753Z");
  BOOST_TEST(at(doc, {"event", "kind"}).as_string() == "alert");
  BOOST_TEST(at(doc, {"event", "category"}).as_array()[0].as_string() == "process");
  BOOST_TEST(at(doc, {"event", "severity"}).as_int() == 21);
  BOOST_TEST(at(doc, {"event", "risk_score"}).as_int() == 21);
  BOOST_TEST(at(doc, {"rule", "id"}).as_string() == "5bda8597-69a6-4b9e-87a2-69a7c963ea83");
  BOOST_TEST(at(doc, {"rule", "name"}).as_string() == "Boot File Copy");
  BOOST_TEST(!at(doc, {"rule", "description"}).as_string().empty());
  BOOST_TEST(at(doc, {"rule", "reference"}).as_array().size() == 2u);  // every reference, not the first
  BOOST_TEST(at(doc, {"rule", "reference"}).as_array()[1].as_string().rfind("https://github.com/", 0) == 0u);
  BOOST_TEST(at(doc, {"rule", "ruleset"}).as_string() == "boot-persistence");
  BOOST_TEST(at(doc, {"threat", "framework"}).as_string() == "MITRE ATT&CK");
  BOOST_TEST(at(doc, {"threat", "tactic", "id"}).as_array().size() == 3u);
  BOOST_TEST(at(doc, {"threat", "tactic", "name"}).as_array()[0].as_string() == "Persistence");
  BOOST_TEST(at(doc, {"threat", "technique", "id"}).as_array()[0].as_string() == "T1542");
  BOOST_TEST(at(doc, {"threat", "technique", "subtechnique", "id"}).as_array()[0].as_string() == "T1059.004");
  BOOST_TEST(at(doc, {"process", "name"}).as_string() == "cp");
  BOOST_TEST(at(doc, {"process", "args"}).as_array()[2].as_string() == "/boot/");
  BOOST_TEST(at(doc, {"process", "parent", "name"}).as_string() == "bash");
  BOOST_TEST(at(doc, {"host", "name"}).as_string() == "web1");
  BOOST_TEST(at(doc, {"user", "name"}).as_string() == "root");
  BOOST_TEST(at(doc, {"auditd", "sequence"}).as_int() == 49358);
  // The rule's tags describe the rule (and name other vendors' data
  // sources): they stay under the rule, not in the document's tags.
  BOOST_TEST(doc.find("tags") == nullptr);
  BOOST_TEST(at(doc, {"auditeql", "rule", "tags"}).as_array().size() == 10u);
  BOOST_TEST(doc.find("auditeql")->find("alerts_dropped_before") == nullptr);
  BOOST_TEST(alert.rule_id == "5bda8597-69a6-4b9e-87a2-69a7c963ea83");
  BOOST_TEST((alert.severity == rules::Severity::Low));
}

BOOST_AUTO_TEST_CASE(an_alert_names_its_sensor_schema_severity_and_identity) {
  BootRule boot;
  alerts::AlertBuilder builder;
  alerts::Alert first, second;
  builder.build(cp_event({"cp", "x", "/boot/"}), boot.rule(), 0, first);
  builder.build(cp_event({"cp", "x", "/boot/"}), boot.rule(), 0, second);
  const auto doc = util::parse_json(first.json);
  BOOST_TEST(at(doc, {"ecs", "version"}).as_string() == std::string(ecs::kEcsVersion));
  BOOST_TEST(at(doc, {"agent", "type"}).as_string() == "auditeql");
  BOOST_TEST(at(doc, {"event", "module"}).as_string() == "auditeql");
  BOOST_TEST(at(doc, {"event", "dataset"}).as_string() == "auditeql.alerts");
  BOOST_TEST(at(doc, {"log", "level"}).as_string() == "low");
  const std::string id = at(doc, {"event", "id"}).as_string();
  BOOST_TEST(id.size() == 36u);
  BOOST_TEST(id[14] == '4');  // a version 4 UUID
  BOOST_TEST(id != at(util::parse_json(second.json), {"event", "id"}).as_string());
  // event.created is when the alert was made (now), @timestamp when the event happened.
  BOOST_TEST(at(doc, {"event", "created"}).as_string() > std::string("2026-12"));
  BOOST_TEST(at(doc, {"@timestamp"}).as_string() == "2026-11-23T06:05:18.753Z");
}

BOOST_AUTO_TEST_CASE(an_alert_keeps_the_nested_attack_mapping_and_the_rule_s_version_license_and_authors) {
  BootRule boot;
  rules::CompiledRule rule = boot.rule();
  rule.definition.version = 7;
  rule.definition.license = "Elastic License v2";
  rule.definition.author = {"Elastic", "auditeql"};
  alerts::Alert alert;
  alerts::AlertBuilder().build(cp_event({"cp", "x", "/boot/"}), rule, 0, alert);
  const auto doc = util::parse_json(alert.json);
  BOOST_TEST(at(doc, {"rule", "version"}).as_string() == "7");
  BOOST_TEST(at(doc, {"rule", "license"}).as_string() == "Elastic License v2");
  BOOST_TEST(at(doc, {"rule", "author"}).as_array().size() == 2u);
  // Which technique belongs to which tactic, as the rule wrote it.
  const auto& mapping = at(doc, {"auditeql", "threat"}).as_array();
  BOOST_REQUIRE(mapping.size() == 3u);
  BOOST_TEST(at(mapping[1], {"tactic", "id"}).as_string() == "TA0002");
  BOOST_TEST(at(mapping[1], {"technique"}).as_array()[0].find("id")->as_string() == "T1059");
  BOOST_TEST(at(mapping[1], {"technique"}).as_array()[0].find("subtechnique")->as_array()[0].find("id")->as_string() ==
             "T1059.004");
  BOOST_TEST(mapping[2].find("technique") == nullptr);  // a tactic without techniques
}

BOOST_AUTO_TEST_CASE(a_shortened_argument_list_keeps_the_argument_the_rule_matched) {
  BootRule boot;
  alerts::AlertBuilder builder({8192});
  std::vector<std::string> args = {"cp"};
  for (int i = 1; i < 3001; ++i) args.push_back(i == 1503 ? "/boot/x" : "/tmp/file" + std::to_string(i));
  alerts::Alert alert;
  builder.build(cp_event(args), boot.rule(), 0, alert);
  BOOST_TEST(alert.json.size() <= 8192u);
  const auto doc = util::parse_json(alert.json);
  const auto& kept = at(doc, {"process", "args"}).as_array();
  bool has_match = false;
  for (const auto& a : kept) has_match = has_match || a.as_string() == "/boot/x";
  BOOST_TEST(has_match, alert.json);
  BOOST_TEST(kept.back().as_string().rfind("[...+", 0) == 0u);  // the arguments after it, counted
}

BOOST_AUTO_TEST_CASE(oversized_alerts_are_shortened_to_fit_and_stay_valid) {
  BootRule boot;
  alerts::AlertBuilder builder({8192});
  // A 128 KiB argument, and 3,000 arguments.
  std::vector<std::vector<std::string>> cases = {{"cp", std::string(131071, 'D'), "/boot/"}, {"cp"}};
  for (int i = 0; i < 3000; ++i) cases[1].push_back("/boot/file" + std::to_string(i));
  for (const auto& args : cases) {
    alerts::Alert alert;
    builder.build(cp_event(args), boot.rule(), 0, alert);
    BOOST_TEST(alert.json.size() <= 8192u);
    BOOST_TEST(alert.json.find('\n') == std::string::npos);
    const auto doc = util::parse_json(alert.json);
    BOOST_TEST(at(doc, {"process", "args_count"}).as_int() == static_cast<int64_t>(args.size()));
    BOOST_TEST(alert.json.find("[...+") != std::string::npos);  // the marker shows something was cut
    BOOST_TEST(at(doc, {"rule", "name"}).as_string() == "Boot File Copy");  // rule text is whole
  }
  BOOST_TEST(builder.truncated() == 2u);
}

BOOST_AUTO_TEST_CASE(an_alert_that_cannot_be_shortened_enough_is_counted) {
  BootRule boot;
  rules::CompiledRule rule = boot.rule();
  rule.definition.description.assign(20000, 'd');  // the rule's own text is never cut
  alerts::AlertBuilder builder({8192});
  alerts::Alert alert;
  builder.build(cp_event({"cp", "x", "/boot/"}), rule, 0, alert);
  BOOST_TEST(builder.oversized() == 1u);
  BOOST_TEST(builder.truncated() == 1u);
  BOOST_TEST(util::parse_json(alert.json).is_object());  // still one valid document
}

BOOST_AUTO_TEST_CASE(short_alerts_are_not_touched) {
  BootRule boot;
  alerts::Alert full, capped;
  const alerts::AlertStamp stamp{"0b1c2d3e-0000-4000-8000-000000000001", 1795413918900};
  alerts::AlertBuilder().build(cp_event({"cp", "x", "/boot/"}), boot.rule(), 0, stamp, full);
  alerts::AlertBuilder({8192}).build(cp_event({"cp", "x", "/boot/"}), boot.rule(), 0, stamp, capped);
  BOOST_TEST(full.json == capped.json);
}

BOOST_AUTO_TEST_CASE(an_inferred_file_path_is_marked_in_the_event_and_in_its_alert) {
  ecs::Event e = cp_event({"cp", "x", "/boot/"});
  e.kind = ecs::EventKind::FileCreation;
  e.file_path = "/boot/x";
  e.key = "bp_boot";
  const auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  std::string plain;
  ecs::append_event_json(plain, e);
  BOOST_TEST(util::parse_json(plain).find("auditeql") == nullptr);

  e.file_path_inferred = true;
  std::string event_json;
  ecs::append_event_json(event_json, e);
  BOOST_TEST(at(util::parse_json(event_json), {"auditeql", "file_path_inferred"}).as_bool());

  // With the throttle's count too: one auditeql object holding both.
  BootRule boot;
  alerts::Alert alert;
  alerts::AlertBuilder().build(e, boot.rule(), 7, alert);
  const auto doc = util::parse_json(alert.json);
  BOOST_TEST(count(alert.json, "\"auditeql\":") == 1u);
  BOOST_TEST(at(doc, {"auditeql", "file_path_inferred"}).as_bool());
  BOOST_TEST(at(doc, {"auditeql", "alerts_dropped_before"}).as_int() == 7);
  BOOST_TEST(at(doc, {"file", "path"}).as_string() == "/boot/x");
}

BOOST_AUTO_TEST_CASE(a_multibyte_character_is_never_split) {
  std::string out;
  util::append_json_string_capped(out, "\xc3\xa9\xc3\xa9\xc3\xa9", 3);
  BOOST_TEST(out == "\"\xc3\xa9[...+4 bytes]\"");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(throttle)

BOOST_AUTO_TEST_CASE(at_most_max_signals_per_window_then_the_count_of_dropped_ones) {
  alerts::Throttle t(300000);
  const int64_t t0 = 1795413900000;
  int emitted = 0;
  for (int i = 0; i < 150; ++i) emitted += t.admit(0, 100, t0 + i).emit ? 1 : 0;
  BOOST_TEST(emitted == 100);
  BOOST_TEST(t.dropped_total() == 50u);
  BOOST_TEST(t.dropped_pending(0) == 50u);
  // Other rules have their own budget.
  BOOST_TEST(t.admit(1, 100, t0 + 200).emit);
  // Next window: the first alert reports what the last one dropped.
  const auto next = t.admit(0, 100, t0 + 300000);
  BOOST_TEST(next.emit);
  BOOST_TEST(next.dropped_before == 50u);
  BOOST_TEST(t.admit(0, 100, t0 + 300001).dropped_before == 0u);
  BOOST_TEST(t.dropped_pending(0) == 0u);
}

BOOST_AUTO_TEST_CASE(a_quiet_window_carries_the_count_forward) {
  alerts::Throttle t(1000);
  BOOST_TEST(t.admit(0, 1, 0).emit);
  BOOST_TEST(!t.admit(0, 1, 10).emit);
  // Long silence, several windows later: the drop is still reported once.
  const auto later = t.admit(0, 1, 60000);
  BOOST_TEST(later.emit);
  BOOST_TEST(later.dropped_before == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
