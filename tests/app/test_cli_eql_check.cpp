#include <boost/test/unit_test.hpp>

#include "support/command.h"
#include "support/temp_dir.h"

using namespace auditeql;
using testing::run_command;

namespace {

const std::string kBinary = AUDITEQL_BINARY;

const std::string kEvents =
    R"({"event":{"category":["process"]},"process":{"name":"cpio","args":["cpio","-H","newc"]}})" "\n"
    R"({"event.category":"process","process.name":"cpio","process.args":["cpio","--format=newc"]})" "\n"
    "\n"
    R"({"event":{"category":["file"]},"process":{"name":"cpio","args":["cpio","-H","newc"]}})" "\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_eql)

BOOST_AUTO_TEST_CASE(prints_index_and_verdict_per_event) {
  const auto r = run_command(
      {kBinary, "eql", "--query", R"(process where process.args in ("-H", "--format") and process.args == "newc")"},
      kEvents);
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "0\ttrue\n1\tfalse\n2\tfalse\n");  // the file event is not in the category
}

BOOST_AUTO_TEST_CASE(check_prints_the_query_kind) {
  const auto event = run_command({kBinary, "eql", "--check", "--query", "process where true"});
  BOOST_TEST(event.out == "event\nas a rule: evaluated; can fire\n");
  const auto seq = run_command({kBinary, "eql", "--check", "--query",
                                "sequence by host.id with maxspan=1m [process where true] [file where true]"});
  BOOST_TEST(seq.exit_code == 0);
  BOOST_TEST(seq.out.rfind("sequence\nas a rule: ", 0) == 0u, seq.out);
  const auto sample = run_command({kBinary, "eql", "--check", "--query", "sample by host.id [process where true] [file where true]"});
  BOOST_TEST(sample.out.rfind("sample\nas a rule: ", 0) == 0u, sample.out);
  // --check compiles sequences and samples: an invalid one is refused.
  const auto refused = run_command(
      {kBinary, "eql", "--check", "--query", "sequence [process where true] ![file where true] [file where true]"});
  BOOST_TEST(refused.exit_code == 2);
  BOOST_TEST(refused.err.find("needs 'with maxspan=...'") != std::string::npos, refused.err);
}

BOOST_AUTO_TEST_CASE(a_query_that_does_not_parse_exits_2_with_a_caret) {
  testing::TempDir dir;
  const auto file = dir.write("q.eql", "process where\n  process.name == \"cp\" and\n  process.args like~ (\"a\",\n");
  const auto r = run_command({kBinary, "eql", "--query-file", file}, kEvents);
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find(file + ":") == 0u, r.err);
  BOOST_TEST(r.err.find("^") != std::string::npos);
  BOOST_TEST(r.out.empty());
}

BOOST_AUTO_TEST_CASE(invalid_event_lines_are_reported_and_the_rest_evaluated) {
  const auto r = run_command({kBinary, "eql", "--query", R"(any where process.name == "cpio")"},
                             "{\"process\":{\"name\":\"cpio\"}}\nnot json\n{\"process\":{\"name\":\"cp\"}}\n");
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.out == "0\ttrue\n2\tfalse\n");
  BOOST_TEST(r.err.find("line 2") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_check)

BOOST_AUTO_TEST_CASE(a_good_configuration_is_listed) {
  testing::TempDir dir;
  dir.mkdir("rules.d");
  dir.mkdir("exceptions.d");
  const auto config = dir.write("auditeql.yaml", "rule_directories: [" + std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules, " +
                                                     dir.str() + "/rules.d]\nexception_directories: [" + dir.str() +
                                                     "/exceptions.d]\nsyslog_facility: local3\nmax_read_pause_ms: 0\n");
  const auto r = run_command({kBinary, "check", "--config", config});
  BOOST_TEST(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(r.out.find("rules: 5 enabled, 0 disabled") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("Boot File Copy") != std::string::npos);
  BOOST_TEST(r.out.find("OK") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(configuration_errors_are_positioned_and_fatal) {
  testing::TempDir dir;
  const auto config = dir.write("auditeql.yaml", "syslog_facility: kernel\nmax_alert_bytes: lots\nthrottle_windw: 5\n"
                                                 "max_read_pause_ms: 500\n");
  const auto r = run_command({kBinary, "check", "--config", config});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find(config + ":1:18: error: unknown syslog facility 'kernel'") != std::string::npos, r.err);
  BOOST_TEST(r.err.find(config + ":2:18: error: 'max_alert_bytes' must be a whole number") != std::string::npos, r.err);
  BOOST_TEST(r.err.find(config + ":3:1: error: unknown key 'throttle_windw'") != std::string::npos, r.err);
  BOOST_TEST(r.err.find(config + ":4:20: error: 'max_read_pause_ms' must be between 0 and 50") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(elastic_rules_that_never_run_are_listed_with_the_reason) {
  testing::TempDir dir;
  const std::string fixtures = std::string(AUDITEQL_FIXTURES_DIR) + "/toml/rules";
  // A detection-rules checkout, as the one-line configuration change adds it.
  dir.write("detection-rules/rules/linux/discovery_findmnt.toml", testing::read_file(fixtures + "/discovery_findmnt.toml"));
  for (const char* name : {"discovery_gzip_bbr.toml", "collection_new_terms.toml", "execution_esql.toml",
                           "execution_windows_only.toml"}) {
    dir.write(std::string("detection-rules/rules/cross-platform/") + name, testing::read_file(fixtures + "/" + name));
  }
  dir.mkdir("detection-rules/rules_building_block");
  const auto config = dir.write("auditeql.yaml", "rule_directories: [" + std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules, " +
                                                     dir.str() + "/detection-rules]\nexception_directories: []\n");
  const auto r = run_command({kBinary, "check", "--config", config});
  BOOST_TEST(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(r.err.empty(), r.err);
  BOOST_TEST(r.out.find(dir.str() + "/detection-rules: a detection-rules checkout") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("rules: 7 enabled, 0 disabled; 1 building block; not run: 2 not EQL (esql 1, new_terms 1), "
                        "1 not for Linux\n") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("Compression Utility Started (test building block)  [process, low, risk 21, 0 exceptions, "
                        "building block, production]") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("5b45bb5c-bb29-4cf7-9bf0-e6481455db31  Command Shell Started (test windows)  (not run: not a "
                        "Linux rule, tagged OS: Windows)") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("9f08fb87-5b5d-470a-9a16-5337a2c36dba  First Archiver Parent (test new terms)  (not run: not an "
                        "EQL rule, new_terms)") != std::string::npos, r.out);

  const auto bad = dir.write("bad.yaml", "building_block_alerts: sometimes\n");
  const auto b = run_command({kBinary, "check", "--config", bad});
  BOOST_TEST(b.exit_code == 2);
  BOOST_TEST(b.err.find(bad + ":1:24: error: 'building_block_alerts' must be true or false") != std::string::npos, b.err);
}

BOOST_AUTO_TEST_CASE(a_broken_rule_is_an_error_never_a_silent_skip) {
  testing::TempDir dir;
  const auto rule = dir.write("rules.d/broken.yaml", "id: b1\nname: Broken\nquery: 'process where process.name = \"x\"'\n");
  const auto config = dir.write("auditeql.yaml", "rule_directories: [" + std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules, " +
                                                     dir.str() + "/rules.d]\nexception_directories: []\n");
  const auto r = run_command({kBinary, "check", "--config", config});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find(rule + ":3:") != std::string::npos, r.err);
  BOOST_TEST(r.out.find("FAILED") != std::string::npos);
  // What the plugin would run meanwhile: the rules of every file that loaded.
  BOOST_TEST(r.out.find("rules: 5 enabled, 0 disabled") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_SUITE_END()
