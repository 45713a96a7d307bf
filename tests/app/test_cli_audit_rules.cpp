// `auditeql audit-rules` through the binary, and the shipped audit rules
// file: it is the command's output for the shipped rules and configuration,
// and the package scripts agree with it.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <regex>
#include <set>

#include "support/command.h"
#include "support/temp_dir.h"

using namespace auditeql;
using testing::run_command;

namespace {

const std::string kBinary = AUDITEQL_BINARY;
const std::string kSource = AUDITEQL_SOURCE_DIR;
const std::string kFixtureRules = std::string(AUDITEQL_FIXTURES_DIR) + "/audit_rules/rules";

// Comment text with its line breaks undone, to look for a phrase.
std::string flat(const std::string& text) { return std::regex_replace(text, std::regex("\n##\\s+"), " "); }

bool has_line(const std::string& text, const std::string& line) {
  const auto lines = testing::lines_of_text(text);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// A configuration in a directory of the test's own: the command refuses one
// a user other than root could change, as the plugin does.
std::string config_file(const testing::TempDir& dir, const std::string& text) {
  return dir.write("auditeql.yaml", text);
}

// The paths of `pattern`'s first group in every line of `text`, each once.
std::set<std::string> captured(const std::string& text, const std::regex& pattern) {
  std::set<std::string> out;
  for (const auto& line : testing::lines_of_text(text)) {
    std::smatch m;
    if (std::regex_search(line, m, pattern)) out.insert(m[1]);
  }
  return out;
}

std::set<std::string> words(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.insert(w);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_audit_rules)

BOOST_AUTO_TEST_CASE(the_shipped_audit_rules_file_is_the_output_for_the_shipped_rules_and_configuration) {
  testing::TempDir dir;
  const auto config = config_file(dir, testing::read_file(kSource + "/conf/auditeql.yaml"));
  const auto r = run_command({kBinary, "audit-rules", "--config", config, "--rules", kSource + "/conf/rules",
                              "--no-check-directories"});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST((r.out == testing::read_file(kSource + "/rules.d/auditeql.rules")),
             "rules.d/auditeql.rules is out of date: regenerate it with `cmake --build build --target "
             "update_audit_rules` (README, The audit rules)");
}

BOOST_AUTO_TEST_CASE(the_package_scripts_create_the_watched_directories_and_unload_the_keys_of_the_shipped_file) {
  const std::string rules = testing::read_file(kSource + "/rules.d/auditeql.rules");
  const auto watched = captured(rules, std::regex("^-w (\\S+) "));
  BOOST_REQUIRE(!watched.empty());
  const std::string postinst = testing::read_file(kSource + "/packaging/debian/postinst");
  std::smatch m;
  BOOST_REQUIRE(std::regex_search(postinst, m, std::regex("\nWATCHED=\"([^\"]*)\"")));
  BOOST_TEST((words(m[1]) == watched), "packaging/debian/postinst WATCHED: " << m[1]);
  const std::string spec = testing::read_file(kSource + "/packaging/rpm/auditeql.spec");
  BOOST_REQUIRE(std::regex_search(spec, m, std::regex("\nfor dir in ([^;]*); do")));
  BOOST_TEST((words(m[1]) == watched), "packaging/rpm/auditeql.spec %post: " << m[1]);
  // The plugin walks the same directories when it starts.
  const auto configured = captured(testing::read_file(kSource + "/conf/auditeql.yaml"), std::regex("^  - (/\\S+)$"));
  BOOST_TEST(std::includes(configured.begin(), configured.end(), watched.begin(), watched.end()));

  // Keys: the shipped file's are removed by name, any other auditeql key
  // (aeql_*, from a regenerated file) by what the kernel lists.
  const auto keys = captured(rules, std::regex("-k (\\S+)$"));
  const std::string postrm = testing::read_file(kSource + "/packaging/debian/postrm");
  BOOST_REQUIRE(std::regex_search(postrm, m, std::regex("\nKEYS=\"([^\"]*)\"")));
  for (const auto& key : keys) {
    BOOST_TEST((words(m[1]).count(key) == 1 || key.rfind("aeql_", 0) == 0), key << " is not unloaded by postrm");
  }
  BOOST_TEST(postrm.find("aeql_") != std::string::npos);
  BOOST_TEST(spec.find("aeql_") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(derives_watches_and_comments_out_what_is_costly_or_missing) {
  testing::TempDir dir;
  dir.mkdir("present");
  dir.write("rules/files.yaml", "id: f1\nname: Files Here (test)\nquery: |\n  file where event.type == \"creation\" and "
                                "file.path : (\"" + dir.str() + "/present/*\", \"" + dir.str() + "/absent/*\")\n");
  // The directories are under /tmp, a busy tree: opted in, so that only their existence decides.
  const auto config = config_file(dir, "rule_directories: [" + dir.str() + "/rules]\nwatched_directories: []\n"
                                       "audit_rules_costly: [busy_directories]\n");
  const auto r = run_command({kBinary, "audit-rules", "--config", config});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(has_line(r.out, "-w " + dir.str() + "/present -p wa -k aeql_w" + std::regex_replace(dir.str(), std::regex("/"), "_") + "_present"), r.out);
  BOOST_TEST(r.out.find("#-w " + dir.str() + "/absent -p wa") != std::string::npos, r.out);
  BOOST_TEST(flat(r.out).find("Written in here: busy_directories.") != std::string::npos);
  BOOST_TEST(r.err.find("1 watch written, 1 commented out") != std::string::npos, r.err);

  const auto unchecked = run_command({kBinary, "audit-rules", "--config", config, "--no-check-directories"});
  BOOST_TEST(unchecked.exit_code == 0, unchecked.err);
  BOOST_TEST(unchecked.out.find("\n-w " + dir.str() + "/absent -p wa") != std::string::npos, unchecked.out);
}

BOOST_AUTO_TEST_CASE(test_rules_in_elastic_toml_and_auditeql_yaml) {
  testing::TempDir dir;
  const auto config = config_file(dir, "rule_directories: [" + kFixtureRules + "]\nwatched_directories: [/boot]\n");
  const auto r = run_command({kBinary, "audit-rules", "--config", config});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(has_line(r.out, "-w /etc -p wa -k aeql_w_etc"), r.out);
  BOOST_TEST(has_line(r.out, "#-w /home -p wa -k aeql_w_home"));
  BOOST_TEST(has_line(r.out, "#-w /usr/lib -p wa -k aeql_w_usr_lib"));
  BOOST_TEST(has_line(r.out, "-a always,exit -F path=/usr/bin/sudo -F perm=wa -k aeql_w_usr_bin_sudo"));
  BOOST_TEST(has_line(r.out, "-w /boot -p wa -k bp_boot"));
  BOOST_TEST(has_line(r.out, "## /boot: watched_directories (auditeql.yaml)."));
  BOOST_TEST(has_line(r.out, "#-a always,exit -F arch=b64 -S openat -F a2&0x40 -F success=1 -k aeql_file"));
  BOOST_TEST(has_line(r.out, "##   Python Path File Anywhere (test): file creations anywhere."));
  BOOST_TEST(has_line(r.out, "##   Auditd Manager Action Only (test)"));
  BOOST_TEST(r.err.find("auditeql audit-rules: 11 rules served;") != std::string::npos, r.err);

  // Opting in: every class, or a list of them.
  const auto all = config_file(dir, "rule_directories: [" + kFixtureRules + "]\naudit_rules_costly: true\n");
  const auto a = run_command({kBinary, "audit-rules", "--config", all});
  BOOST_TEST(a.exit_code == 0, a.err);
  BOOST_TEST(has_line(a.out, "-a always,exit -F arch=b64 -S openat -F a2&0x40 -F success=1 -k aeql_file"));
  BOOST_TEST(has_line(a.out, "-w /home -p wa -k aeql_w_home"));
  BOOST_TEST(has_line(a.out, "-w /usr/lib -p wa -k aeql_w_usr_lib"));
}

BOOST_AUTO_TEST_CASE(a_bad_costly_entry_is_a_positioned_configuration_error) {
  testing::TempDir dir;
  const auto config = config_file(dir, "audit_rules_costly: [network, nettwork]\n");
  const auto r = run_command({kBinary, "audit-rules", "--config", config});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err.find(config + ":1:31: error: unknown audit_rules_costly entry 'nettwork'") != std::string::npos, r.err);
  const auto flag = config_file(dir, "audit_rules_costly: sometimes\n");
  BOOST_TEST(run_command({kBinary, "audit-rules", "--config", flag}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(rules_that_do_not_load_are_listed_and_make_it_fail) {
  testing::TempDir dir;
  dir.write("rules/good.yaml", "id: g1\nname: Good (test)\nquery: 'file where file.path : \"/etc/cron.d/*\"'\n");
  const auto bad = dir.write("rules/bad.yaml", "id: b1\nname: Bad (test)\nquery: 'file where file.path = \"/x\"'\n");
  const auto config = config_file(dir, "rule_directories: [" + dir.str() + "/rules]\n");
  const auto r = run_command({kBinary, "audit-rules", "--config", config});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find(bad + ":3:") != std::string::npos, r.err);
  // The file still serves the rule that loaded, and says what is missing.
  BOOST_TEST(has_line(r.out, "-w /etc/cron.d -p wa -k aeql_w_etc_cron.d"), r.out);
  BOOST_TEST(r.out.find("rules that did not load") != std::string::npos);
  BOOST_TEST(flat(r.out).find("`auditeql check` lists the errors") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_command_is_in_the_usage) {
  const auto r = run_command({kBinary, "--help"});
  BOOST_TEST(r.out.find("audit-rules") != std::string::npos);
  const auto h = run_command({kBinary, "audit-rules", "--help"});
  BOOST_TEST(h.exit_code == 0);
  BOOST_TEST(h.out.find("--no-check-directories") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
