// `auditeql replay` end to end through the binary: every scenario capture
// raises exactly the alerts its expected.json lists.
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

#include "support/command.h"
#include "support/temp_dir.h"
#include "util/json_value.h"

using namespace auditeql;
using testing::run_command;

namespace {

const std::string kBinary = AUDITEQL_BINARY;
const std::string kRules = std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules";
const std::string kAuditRules = std::string(AUDITEQL_SOURCE_DIR) + "/rules.d/auditeql.rules";
const std::string kDracutRule = "dc765fb2-0c99-4e57-8c11-dafdf1992b66";

const std::map<std::string, std::string> kRuleIds = {
    {"boot_file_copy", "5bda8597-69a6-4b9e-87a2-69a7c963ea83"},
    {"initramfs_extraction_via_cpio", "17b3fcd1-90fb-4f5d-858c-dc1d998fa368"},
    {"dracut_module_creation", "dc765fb2-0c99-4e57-8c11-dafdf1992b66"},
    {"initramfs_unpacking_via_unmkinitramfs", "c5fc788c-7576-4a02-b3d6-d2c016eb85a6"},
    {"manual_dracut_execution", "834ee026-f9f9-4ec7-b5e0-7fbfe84765f4"},
};

// (rule id, serial, file path or "") of each alert.
using AlertKey = std::tuple<std::string, int64_t, std::string>;

std::multiset<AlertKey> alerts_of(const std::string& ndjson) {
  std::multiset<AlertKey> keys;
  for (const auto& line : testing::lines_of(ndjson)) {
    const auto doc = util::parse_json(line);
    const auto* file = doc.find("file");
    keys.emplace(doc.find("rule")->find("id")->as_string(), doc.find("auditd")->find("sequence")->as_int(),
                 file ? file->find("path")->as_string() : "");
  }
  return keys;
}

std::multiset<AlertKey> expected_alerts(const std::string& scenario) {
  const auto expected = util::parse_json(testing::read_file(testing::scenario_file(scenario, "expected.json")));
  std::multiset<AlertKey> keys;
  for (const auto& member : expected.find("expected")->as_object()) {
    for (const auto& a : member.value.find("alerts")->as_array()) {
      const auto* path = a.find("file.path");
      keys.emplace(kRuleIds.at(member.key), a.find("serial")->as_int(), path ? path->as_string() : "");
    }
  }
  return keys;
}

std::string describe(const std::multiset<AlertKey>& keys) {
  std::string out;
  for (const auto& [rule, serial, path] : keys) out += rule + "@" + std::to_string(serial) + (path.empty() ? "" : ":" + path) + " ";
  return out.empty() ? "(none)" : out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_replay)

BOOST_AUTO_TEST_CASE(every_scenario_raises_exactly_the_expected_alerts) {
  size_t total = 0;
  for (const auto& scenario : testing::scenario_names()) {
    // The shipped audit rules named, so that the host's own rules.d cannot matter.
    const auto r = run_command({kBinary, "replay", "--rules", kRules, "--audit-rules", kAuditRules,
                                testing::scenario_file(scenario, "audit.log").string()});
    BOOST_TEST(r.exit_code == 0, scenario << ": " << r.err);
    const auto got = alerts_of(r.out);
    const auto want = expected_alerts(scenario);
    BOOST_TEST((got == want), scenario << ": got " << describe(got) << "; expected " << describe(want));
    total += got.size();
  }
  BOOST_TEST(total == 22u);  // the alerts all expected.json files list together
}

BOOST_AUTO_TEST_CASE(benign_kernel_and_dracut_installs_raise_nothing) {
  for (const char* scenario : {"benign_kernel_install_apt", "benign_dracut_core_install_apt"}) {
    const auto r = run_command({kBinary, "replay", "--rules", kRules, testing::scenario_file(scenario, "audit.log").string()});
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.out.empty(), scenario << " alerted: " << r.out.substr(0, 400));
    BOOST_TEST(r.err.find("0 alerts") != std::string::npos, r.err);
  }
}

BOOST_AUTO_TEST_CASE(the_bundled_sample_fires_all_five_rules) {
  const auto r = run_command({kBinary, "replay", "--rules", kRules,
                              std::string(AUDITEQL_FIXTURES_DIR) + "/sample/boot-persistence-attacks.log"});
  BOOST_TEST(r.exit_code == 0);
  std::set<std::string> rules;
  for (const auto& [rule, serial, path] : alerts_of(r.out)) rules.insert(rule);
  BOOST_TEST(rules.size() == 5u);
}

BOOST_AUTO_TEST_CASE(an_exception_directory_suppresses_exactly_what_it_names) {
  testing::TempDir dir;
  dir.write("ex/restore.yaml", R"(- rule_id: dc765fb2-0c99-4e57-8c11-dafdf1992b66
  description: mkdir of our own module is fine
  condition: process.name == "mkdir" and file.path == "/usr/lib/dracut/modules.d/98evil"
)");
  const auto log = testing::scenario_file("atk_dracut_mod_cp", "audit.log").string();
  const auto without = run_command({kBinary, "replay", "--rules", kRules, log});
  const auto with = run_command({kBinary, "replay", "--rules", kRules, "--exceptions", dir.str() + "/ex", log});
  BOOST_TEST(with.exit_code == 0, with.err);
  const auto a = alerts_of(without.out);
  const auto b = alerts_of(with.out);
  BOOST_TEST(a.size() == 2u);
  BOOST_REQUIRE(b.size() == 1u);
  BOOST_TEST(std::get<2>(*b.begin()) == "/lib/dracut/modules.d/98evil/module-setup.sh");
  BOOST_TEST(with.err.find("1 suppressed by exceptions") != std::string::npos, with.err);
}

BOOST_AUTO_TEST_CASE(a_local_override_can_switch_a_rule_off) {
  testing::TempDir dir;
  dir.write("local/off.yaml", "id: 5bda8597-69a6-4b9e-87a2-69a7c963ea83\nenabled: false\n");
  const auto log = testing::scenario_file("atk_boot_cp_into", "audit.log").string();
  const auto r = run_command({kBinary, "replay", "--rules", kRules, "--rules", dir.str() + "/local", log});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out.empty());
}

BOOST_AUTO_TEST_CASE(a_broken_exception_file_stops_replay_with_its_position) {
  testing::TempDir dir;
  const auto file = dir.write("ex/bad.yaml", "- rule_id: x\n  condition: process.name ==\n");
  const auto r = run_command({kBinary, "replay", "--rules", kRules, "--exceptions", dir.str() + "/ex",
                              testing::scenario_file("atk_boot_cp_into", "audit.log").string()});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find(file + ":2:") != std::string::npos, r.err);
  BOOST_TEST(r.out.empty());
}

BOOST_AUTO_TEST_CASE(ausearch_raw_output_on_stdin_is_the_incident_workflow) {
  // ausearch --raw appends a bare \x1d to records without enrichment.
  std::string raw;
  for (const auto& line : testing::lines_of(testing::read_file(testing::scenario_file("atk_boot_cp_into", "audit.log")))) {
    raw += line;
    if (line.find('\x1d') == std::string::npos) raw += '\x1d';
    raw += '\n';
  }
  const auto r = run_command({kBinary, "replay", "--rules", kRules, "-"}, raw);
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST((alerts_of(r.out) == expected_alerts("atk_boot_cp_into")));
}

BOOST_AUTO_TEST_CASE(elastic_toml_rules_fire_and_building_block_alerts_are_only_counted_unless_asked_for) {
  const std::string toml_rules = std::string(AUDITEQL_FIXTURES_DIR) + "/toml/rules";
  const std::string sample = std::string(AUDITEQL_FIXTURES_DIR) + "/sample/boot-persistence-attacks.log";
  const std::string findmnt = "eb800e91-1ba7-4f52-b85e-85f2d70b7d3b", gzip_bbr = "d873baa9-8174-44c8-aa9a-274bdc4c96c6";
  auto rule_ids = [](const std::string& out) {
    std::multiset<std::string> ids;
    for (const auto& [rule, serial, path] : alerts_of(out)) ids.insert(rule);
    return ids;
  };
  const auto r = run_command({kBinary, "replay", "--rules", toml_rules, sample});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST((rule_ids(r.out) == std::multiset<std::string>{findmnt}), r.out);
  BOOST_TEST(r.err.find("(" + gzip_bbr + "): 0 alerts, 1 building-block alerts not shown") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("checked against 2 rules (1 building block; not run: 2 not EQL (esql 1, new_terms 1), "
                        "1 not for Linux)") != std::string::npos, r.err);

  testing::TempDir dir;
  const auto config = dir.write("auditeql.yaml", "rule_directories: [" + toml_rules +
                                                     "]\nexception_directories: []\nbuilding_block_alerts: true\n");
  const auto with = run_command({kBinary, "replay", "--config", config, sample});
  BOOST_TEST(with.exit_code == 0, with.err);
  BOOST_TEST((rule_ids(with.out) == std::multiset<std::string>{findmnt, gzip_bbr}), with.out);
  BOOST_TEST(with.err.find("building-block alerts not shown") == std::string::npos, with.err);
}

// A rule in Elastic's format, shaped like its systemd persistence rules (which
// exclude dpkg but not systemctl). `systemctl enable` links the unit into a
// .wants directory; Elastic Defend reports no file event for a link, so the
// only matches of the cron and logrotate install are the unit files dpkg
// renamed into place.
BOOST_AUTO_TEST_CASE(enabling_a_unit_raises_no_file_creation_alert) {
  testing::TempDir dir;
  const std::string rule_id = "2f0f6c3e-5d0e-4b8e-9a51-6a1d2c9b7e10";
  dir.write("rules/persistence_systemd_unit_test.toml",
            "[metadata]\nmaturity = \"production\"\n\n[rule]\nrule_id = \"" + rule_id +
                "\"\nname = \"Systemd Unit File Written (test)\"\n"
                "description = \"A test rule in Elastic's format.\"\ntype = \"eql\"\nlanguage = \"eql\"\n"
                "severity = \"low\"\nrisk_score = 21\ntags = [\"OS: Linux\"]\nquery = '''\n"
                "file where host.os.type == \"linux\" and event.action in (\"rename\", \"creation\") and\n"
                "  file.path : (\"/etc/systemd/system/*\", \"/lib/systemd/system/*\") and file.extension == \"service\"\n"
                "'''\n");
  const auto r = run_command({kBinary, "replay", "--rules", (dir.path() / "rules").string(),
                              testing::scenario_file("benign_apt_install_cron_logrotate", "audit.log").string()});
  BOOST_TEST(r.exit_code == 0, r.err);
  std::set<std::string> paths;
  for (const auto& [rule, serial, path] : alerts_of(r.out)) {
    BOOST_TEST(rule == rule_id);
    paths.insert(path);
  }
  BOOST_TEST((paths == std::set<std::string>{"/lib/systemd/system/cron.service", "/lib/systemd/system/logrotate.service"}),
             r.out);
}

// The converse of the above: a link made under the boot-persistence bundle's
// own watches (key bp_dracut) is a creation, so that `ln -s` planting a dracut
// module stays a Dracut Module Creation alert, as it was before links stopped
// being creations elsewhere.
BOOST_AUTO_TEST_CASE(a_link_planted_in_the_dracut_tree_raises_dracut_module_creation) {
  const auto r = run_command({kBinary, "replay", "--rules", kRules, "--audit-rules", kAuditRules,
                              std::string(AUDITEQL_FIXTURES_DIR) + "/formats/i_file_creation_watch.log"});
  BOOST_TEST(r.exit_code == 0, r.err);
  std::set<std::string> dracut_paths;
  for (const auto& [rule, serial, path] : alerts_of(r.out)) {
    if (rule == kDracutRule) dracut_paths.insert(path);
  }
  const std::string m = "/usr/lib/dracut/modules.d/";
  for (const std::string name : {"sym.sh", "hard.sh", "fifo"}) BOOST_TEST(dracut_paths.count(m + name) == 1u, name);
  BOOST_TEST(dracut_paths.size() == 15u, describe(alerts_of(r.out)));
}

BOOST_AUTO_TEST_CASE(a_module_the_log_cannot_place_is_inferred_from_the_watch_and_marked) {
  const auto log = testing::scenario_file("atk_dracut_mod_tar_existing_dir_no_diropen", "audit.log").string();
  const auto inferred_alerts = [](const std::string& ndjson) {
    std::set<std::string> paths;
    for (const auto& line : testing::lines_of(ndjson)) {
      const auto doc = util::parse_json(line);
      const auto* mark = doc.find("auditeql") ? doc.find("auditeql")->find("file_path_inferred") : nullptr;
      if (mark && mark->as_bool()) paths.insert(doc.find("file")->find("path")->as_string());
    }
    return paths;
  };
  // By default: the host's rules.d, then the bundled rules (-w /usr/lib/dracut/modules.d -k bp_dracut).
  const auto by_default = run_command({kBinary, "replay", log});
  BOOST_TEST(by_default.exit_code == 0, by_default.err);
  BOOST_TEST((inferred_alerts(by_default.out) == std::set<std::string>{"/usr/lib/dracut/modules.d/95evil",
                                                                      "/usr/lib/dracut/modules.d/95evil/module-setup.sh"}));
  BOOST_TEST(by_default.err.find("2 paths inferred from audit keys") != std::string::npos, by_default.err);

  // The rules the log was recorded with, named: their watch is used.
  testing::TempDir dir;
  const auto lib = dir.write("lib.rules", "-w /lib/dracut/modules.d -p wa -k bp_dracut\n");
  const auto named = run_command({kBinary, "replay", "--audit-rules", lib, log});
  BOOST_TEST((inferred_alerts(named.out) == std::set<std::string>{"/lib/dracut/modules.d/95evil",
                                                                 "/lib/dracut/modules.d/95evil/module-setup.sh"}));

  // No watch for the key: relative names, no alert, and the summary says so.
  const auto none = run_command({kBinary, "replay", "--audit-rules", "/dev/null", log});
  BOOST_TEST(none.exit_code == 0, none.err);
  BOOST_TEST(none.out.empty());
  BOOST_TEST(none.err.find("2 unresolved paths") != std::string::npos, none.err);

  // A rules file that cannot be read stops replay before any output.
  const auto missing = run_command({kBinary, "replay", "--audit-rules", dir.str() + "/missing.rules", log});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(missing.err.find("missing.rules: No such file or directory") != std::string::npos, missing.err);
  BOOST_TEST(missing.out.empty());
}

BOOST_AUTO_TEST_CASE(with_the_directory_open_rule_the_log_alone_places_the_module) {
  const auto r = run_command({kBinary, "replay", "--audit-rules", "/dev/null",
                              testing::scenario_file("atk_dracut_mod_tar_existing_dir", "audit.log").string()});
  BOOST_TEST(r.exit_code == 0, r.err);
  const auto alerts = alerts_of(r.out);
  BOOST_TEST(alerts.size() == 2u);
  for (const auto& [rule, serial, path] : alerts) {
    BOOST_TEST(rule == kDracutRule);
    BOOST_TEST(path.rfind("/usr/lib/dracut/modules.d/95evil", 0) == 0u, path);
  }
  BOOST_TEST(r.out.find("file_path_inferred") == std::string::npos);
  BOOST_TEST(r.err.find("inferred") == std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(without_rules_options_the_source_tree_rules_are_used_from_a_build) {
  const auto r = run_command({kBinary, "replay", testing::scenario_file("atk_boot_cp_into", "audit.log").string()});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(alerts_of(r.out).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
