// The command line as a new user meets it: a forgotten `replay`, a directory
// where a file belongs, numbers with stray characters, a query left open at
// the end of a YAML block, counts of one.
#include <boost/test/unit_test.hpp>

#include "support/command.h"
#include "support/corpus.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"

using namespace auditeql;
using testing::run_command;

namespace {

const std::string kBinary = AUDITEQL_BINARY;
const std::string kRules = std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules";

size_t count_of(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

size_t line_count(const std::string& text) { return count_of(text, "\n"); }

// A test-owned copy of the sample capture: the plugin refuses files that
// root does not own, and the source tree may belong to anyone.
std::string copy_of_sample_log(const testing::TempDir& dir) {
  return dir.write("audit.log", testing::read_file(testing::fixture("sample/boot-persistence-attacks.log")));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_edges)

// `auditeql /var/log/audit/audit.log` (replay forgotten) takes the log for a
// configuration: a few errors, how many more there were, and what was meant.
BOOST_AUTO_TEST_CASE(an_audit_log_given_as_the_configuration_gives_a_few_errors_and_a_hint) {
  testing::TempDir dir;
  const std::string log = copy_of_sample_log(dir);
  const size_t records = line_count(testing::read_file(log));
  BOOST_REQUIRE(records > 100u);

  // The plugin still starts (with the default configuration: a content
  // error never takes detection away) and ends with its empty input.
  const auto plugin = run_command({kBinary, log});
  BOOST_TEST(plugin.exit_code == 0);
  const size_t shown = count_of(plugin.err, ": error: unknown key 'type=");
  BOOST_TEST(shown >= 1u);
  BOOST_TEST(shown <= 5u, plugin.err);
  BOOST_TEST(plugin.err.find(log + ": note: " + std::to_string(records - shown) + " more errors not shown") !=
                 std::string::npos,
             plugin.err);
  BOOST_TEST(plugin.err.find("auditeql replay " + log) != std::string::npos, plugin.err);
  BOOST_TEST(line_count(plugin.err) < 40u, plugin.err);

  const auto check = run_command({kBinary, "check", "--config", log});
  BOOST_TEST(check.exit_code == 2);
  BOOST_TEST(count_of(check.err, ": error: unknown key") <= 5u, check.err);
  BOOST_TEST(check.err.find("auditeql replay " + log) != std::string::npos, check.err);
  // Every error still counts.
  BOOST_TEST(check.out.find("the configuration has " + std::to_string(records) + " errors") != std::string::npos,
             check.out);
}

BOOST_AUTO_TEST_CASE(a_short_audit_log_with_a_node_prefix_still_gets_the_hint) {
  testing::TempDir dir;
  const std::string records = testing::exec_records(
      {.serial = 1, .pid = 2, .ppid = 1, .exe = "/usr/bin/cp", .argv = {"cp", "a", "/boot/"}, .path0 = "/usr/bin/cp"});
  const std::string log = dir.write("ausearch.out", "node=web01 " + records);
  const auto r = run_command({kBinary, "check", "--config", log});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find("not shown") == std::string::npos, r.err);
  BOOST_TEST(r.err.find("looks like an audit log") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(a_configuration_with_many_typos_is_capped_without_the_audit_hint) {
  testing::TempDir dir;
  std::string text;
  for (int i = 0; i < 8; ++i) text += "typo" + std::to_string(i) + ": 1\n";
  const auto config = dir.write("auditeql.yaml", text);
  const auto r = run_command({kBinary, "check", "--config", config});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(count_of(r.err, ": error: unknown key 'typo") == 5u, r.err);
  BOOST_TEST(r.err.find(config + ": note: 3 more errors not shown") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("audit log") == std::string::npos, r.err);
  BOOST_TEST(r.out.find("the configuration has 8 errors") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(eql_on_a_directory_is_an_error_with_the_reason) {
  testing::TempDir dir;
  const auto r = run_command({kBinary, "eql", "--query", "process where true", dir.str()});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("cannot read " + dir.str() + ": Is a directory") != std::string::npos, r.err);
  BOOST_TEST(r.out.empty());

  const auto missing = run_command({kBinary, "eql", "--query", "process where true", dir.str() + "/none"});
  BOOST_TEST(missing.exit_code == 1);
  BOOST_TEST(missing.err.find("No such file or directory") != std::string::npos, missing.err);
}

BOOST_AUTO_TEST_CASE(unreadable_files_are_named_with_the_reason_in_every_command) {
  testing::TempDir dir;
  const auto check = run_command({kBinary, "check", "--config", dir.str()});
  BOOST_TEST(check.exit_code == 2);
  BOOST_TEST(check.err.find(dir.str() + ": error: cannot read file: Is a directory") != std::string::npos, check.err);
  BOOST_TEST(check.out.find("config: " + dir.str() + "\n") != std::string::npos, check.out);
  BOOST_TEST(check.out.find("(defaults)") == std::string::npos, check.out);

  const auto missing = run_command({kBinary, "check", "--config", dir.str() + "/none.yaml"});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(missing.err.find("cannot read file: No such file or directory") != std::string::npos, missing.err);

  const auto replay = run_command({kBinary, "replay", "--config", dir.str(), "-"});
  BOOST_TEST(replay.exit_code == 2);
  BOOST_TEST(replay.err.find("cannot read file: Is a directory") != std::string::npos, replay.err);

  const auto query_file = run_command({kBinary, "eql", "--query-file", dir.str()});
  BOOST_TEST(query_file.exit_code == 2);
  BOOST_TEST(query_file.err.find("cannot read " + dir.str() + ": Is a directory") != std::string::npos, query_file.err);
}

BOOST_AUTO_TEST_CASE(numbers_are_whole_and_in_range) {
  for (const std::string bad : {"12abc", "-1", "2047", "1048577", "", " 2048", "0x800", "99999999999999999999999"}) {
    BOOST_TEST_CONTEXT("--max-alert-bytes '" << bad << "'") {
      const auto r = run_command({kBinary, "replay", "--rules", kRules, "--max-alert-bytes", bad, "-"});
      BOOST_TEST(r.exit_code == 2);
      BOOST_TEST(r.err.find("'--max-alert-bytes' must be a whole number from 2048 to 1048576") != std::string::npos,
                 r.err);
      BOOST_TEST(r.out.empty());
    }
  }
  for (const std::string good : {"2048", "1048576"}) {
    const auto r = run_command({kBinary, "replay", "--rules", kRules, "--max-alert-bytes=" + good, "-"});
    BOOST_TEST(r.exit_code == 0, good << ": " << r.err);
  }
}

BOOST_AUTO_TEST_CASE(options_are_declared_once_and_parsed_strictly) {
  const auto help = run_command({kBinary, "replay", "--help"});
  BOOST_TEST(help.exit_code == 0);
  for (const char* option : {"--rules DIR", "--exceptions DIR", "--config FILE", "--host-name NAME",
                             "--max-alert-bytes N", "(N: 2048 to 1048576)", "--help"}) {
    BOOST_TEST(help.out.find(option) != std::string::npos, option);
  }
  const auto eql_help = run_command({kBinary, "eql", "--help"});
  for (const char* option : {"--query QUERY", "--query-file FILE", "--check"}) {
    BOOST_TEST(eql_help.out.find(option) != std::string::npos, option);
  }
  // Names are spelled out in full, given once, and flags take no value.
  const auto abbreviated = run_command({kBinary, "replay", "--max-alert", "2048", "-"});
  BOOST_TEST(abbreviated.exit_code == 2);
  BOOST_TEST(abbreviated.err.find("unknown option --max-alert") != std::string::npos, abbreviated.err);
  const auto twice = run_command({kBinary, "check", "--config", "/a", "--config", "/b"});
  BOOST_TEST(twice.exit_code == 2);
  BOOST_TEST(twice.err.find("more than once") != std::string::npos, twice.err);
  const auto flag_value = run_command({kBinary, "eql", "--check=yes", "--query", "process where true"});
  BOOST_TEST(flag_value.exit_code == 2);
  const auto missing_value = run_command({kBinary, "events", "--host-name"});
  BOOST_TEST(missing_value.exit_code == 2);
  BOOST_TEST(missing_value.err.find("--host-name") != std::string::npos, missing_value.err);
  const auto extra = run_command({kBinary, "check", "stray"});
  BOOST_TEST(extra.exit_code == 2);
  BOOST_TEST(extra.err.find("unexpected argument 'stray'") != std::string::npos, extra.err);
}

BOOST_AUTO_TEST_CASE(option_forms_that_keep_working) {
  const auto log = testing::scenario_file("atk_boot_cp_into", "audit.log").string();
  const auto spaced = run_command({kBinary, "replay", "--rules", kRules, "--host-name", "h1", log});
  const auto joined = run_command({kBinary, "replay", "--rules=" + kRules, "--host-name=h1", "--", log});
  BOOST_TEST(spaced.exit_code == 0, spaced.err);
  BOOST_TEST(!spaced.out.empty());
  BOOST_TEST(testing::without_alert_stamps(joined.out) == testing::without_alert_stamps(spaced.out));
  // After "--" everything is a file, even what looks like an option.
  const auto dashed = run_command({kBinary, "events", "--", "--host-name"});
  BOOST_TEST(dashed.exit_code == 1);
  BOOST_TEST(dashed.err.find("--host-name: No such file or directory") != std::string::npos, dashed.err);
  // The plugin's forms: one configuration, as --config or as the argument, not both.
  const auto both = run_command({kBinary, "plugin", "--config", "/a", "/b"});
  BOOST_TEST(both.exit_code == 2);
  const auto plugin_help = run_command({kBinary, "plugin", "--help"});
  BOOST_TEST(plugin_help.exit_code == 0);
  BOOST_TEST(plugin_help.out.find("--config FILE") != std::string::npos, plugin_help.out);
}

BOOST_AUTO_TEST_CASE(an_unclosed_bracket_at_the_end_of_a_block_query_points_at_the_bracket) {
  struct Case {
    std::string query_lines;   // the block's lines, indented by two
    std::string bracket_line;  // the line holding the bracket left open
    char bracket;
  };
  const std::vector<Case> cases = {
      {"  process where process.name == \"cpio\" and\n  (process.args == \"-i\" or\n   process.args == \"-id\"\n",
       "  (process.args == \"-i\" or", '('},
      {"  sequence by process.entity_id\n    [process where true]\n    [file where file.path in (\"/boot/a\", \"/boot/b\")\n",
       "    [file where file.path in (\"/boot/a\", \"/boot/b\")", '['},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.query_lines) {
      testing::TempDir dir;
      const std::string text = "id: edge-1\nname: Edge\nseverity: low\nquery: |\n" + c.query_lines;
      const auto file = dir.write("rules/edge.yaml", text);
      size_t line = 1;
      const size_t line_start = text.find(c.bracket_line + "\n");
      BOOST_REQUIRE(line_start != std::string::npos);
      for (size_t i = 0; i < line_start; ++i) line += text[i] == '\n';
      const size_t column = c.bracket_line.find(c.bracket) + 1;

      const auto r = run_command({kBinary, "replay", "--rules", dir.str() + "/rules", "-"});
      BOOST_TEST(r.exit_code == 2);
      const std::string where = file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": error: ";
      const size_t at = r.err.find(where);
      BOOST_TEST_REQUIRE(at != std::string::npos, r.err);
      BOOST_TEST(r.err.find(std::string("unclosed '") + c.bracket + "'", at) != std::string::npos, r.err);
      const std::string caret = "\n  " + c.bracket_line + "\n  " + std::string(column - 1, ' ') + "^\n";
      BOOST_TEST(r.err.find(caret, at) != std::string::npos, r.err);
    }
  }
}

BOOST_AUTO_TEST_CASE(counts_of_one_are_singular) {
  testing::TempDir dir;
  const auto config = dir.write("auditeql.yaml", "typo: 1\n");
  const auto check = run_command({kBinary, "check", "--config", config});
  BOOST_TEST(check.out.find("FAILED: the configuration has 1 error\n") != std::string::npos, check.out);

  dir.write("rules/broken.yaml", "id: b1\nname: Broken\nquery: 'process where'\n");
  const auto replay = run_command({kBinary, "replay", "--rules", dir.str() + "/rules", "-"});
  BOOST_TEST(replay.exit_code == 2);
  BOOST_TEST(replay.err.find("rules failed to load (1 error)") != std::string::npos, replay.err);

  const auto events = run_command(
      {kBinary, "events", "-"},
      testing::exec_records({.serial = 7, .pid = 20, .ppid = 1, .exe = "/usr/bin/true", .argv = {"true"}, .path0 = "/usr/bin/true"}));
  BOOST_TEST(events.exit_code == 0, events.err);
  BOOST_TEST(events.err.find(", 1 event; 1 process start, 0 file creations") != std::string::npos, events.err);
  BOOST_TEST(events.err.find("1 unknown parent\n") != std::string::npos, events.err);
}

// What the normalizer counts but makes no event of is in the summary: the
// syscall capture's ln, ln -s and mkfifo (key sc_create, not a boot-persistence
// watch), and nothing about accepts when there were none.
BOOST_AUTO_TEST_CASE(the_summary_names_what_made_no_event) {
  const auto events = run_command(
      {kBinary, "events", std::string(AUDITEQL_FIXTURES_DIR) + "/formats/i_file_creation_syscall.log"});
  BOOST_TEST(events.exit_code == 0, events.err);
  BOOST_TEST(events.err.find(", 3 links or device nodes not reported") != std::string::npos, events.err);
  BOOST_TEST(events.err.find("accept") == std::string::npos, events.err);
}

// A rule naming a field no schema has fails `check` and `replay` with its
// position, instead of loading and never firing.
BOOST_AUTO_TEST_CASE(check_and_replay_refuse_a_rule_with_an_unknown_field) {
  testing::TempDir dir;
  const auto rule = dir.write("rules/typo.yaml", "id: typo\nname: Typo\nquery: 'process where process.nmae == \"cp\"'\n");
  dir.write("rules/ok.yaml", "id: ok\nname: Ok\nquery: 'process where process.name == \"cp\"'\n");
  const auto config = dir.write("auditeql.yaml", "rule_directories: [" + dir.str() + "/rules]\nexception_directories: []\n");
  const auto check = run_command({kBinary, "check", "--config", config});
  BOOST_TEST(check.exit_code == 2);
  BOOST_TEST(check.err.find(rule + ":3:23: error: rule typo (Typo): unknown field 'process.nmae' (did you mean "
                                   "'process.name'?)") != std::string::npos,
             check.err);
  BOOST_TEST(check.out.find("FAILED: 1 error") != std::string::npos, check.out);
  const auto replay = run_command({kBinary, "replay", "--config", config, "/dev/null"});
  BOOST_TEST(replay.exit_code == 2);
  BOOST_TEST(replay.err.find("unknown field 'process.nmae'") != std::string::npos, replay.err);
}

// Elasticsearch rejects a query naming a field that is not in the index
// ("Unknown column"): --check knows the schemas, an evaluation also the
// fields its events have.
BOOST_AUTO_TEST_CASE(eql_refuses_unknown_field_names) {
  const auto typo = run_command({kBinary, "eql", "--check", "--query", R"(process where process.nmae == "cp")"});
  BOOST_TEST(typo.exit_code == 2);
  BOOST_TEST(typo.err.find("<query>:1:15: error: unknown field 'process.nmae' (did you mean 'process.name'?)") !=
                 std::string::npos,
             typo.err);
  BOOST_TEST(typo.out.empty());
  // Elastic Defend's and Auditd Manager's fields are known; `?name` may be anything.
  for (const char* known : {"process where process.Ext.effective_parent.name == \"x\"",
                            "process where auditd.data.a0 == \"1\"", "process where ?no.such.field == null"}) {
    const auto r = run_command({kBinary, "eql", "--check", "--query", known});
    BOOST_TEST(r.exit_code == 0, known << ": " << r.err);
  }
  // With events, a field one of them has is known, as in an index mapping.
  const std::string events = "{\"event\":{\"category\":\"process\"},\"serial\":3}\n";
  const auto seen = run_command({kBinary, "eql", "--query", "process where serial == 3"}, events);
  BOOST_TEST(seen.exit_code == 0, seen.err);
  BOOST_TEST(seen.out == "0\ttrue\n");
  const auto unseen = run_command({kBinary, "eql", "--query", "process where serail == 3"}, events);
  BOOST_TEST(unseen.exit_code == 2);
  BOOST_TEST(unseen.err.find("unknown field 'serail'") != std::string::npos, unseen.err);
  BOOST_TEST(unseen.out.empty());
}

BOOST_AUTO_TEST_CASE(eql_check_compiles_the_query) {
  const auto regex = run_command({kBinary, "eql", "--check", "--query", R"(process where process.name regex "a[")"});
  BOOST_TEST(regex.exit_code == 2);
  BOOST_TEST(regex.err.find("<query>:1:34: error: invalid regular expression") != std::string::npos, regex.err);
  BOOST_TEST(regex.out.empty());

  const auto function = run_command({kBinary, "eql", "--check", "--query", "process where nosuch(process.name)"});
  BOOST_TEST(function.exit_code == 2);
  BOOST_TEST(function.err.find("unknown function 'nosuch'") != std::string::npos, function.err);

  const auto stage = run_command({kBinary, "eql", "--check", "--query",
                                  R"(sequence [process where true] [file where file.path regex "("])"});
  BOOST_TEST(stage.exit_code == 2);
  BOOST_TEST(stage.err.find("invalid regular expression") != std::string::npos, stage.err);

  const auto sequence = run_command({kBinary, "eql", "--check", "--query", "sequence [process where true] [file where true]"});
  BOOST_TEST(sequence.exit_code == 0);
  BOOST_TEST(sequence.out == "sequence\nas a rule: evaluated as events arrive; can fire\n");
  BOOST_TEST(sequence.err.empty(), sequence.err);  // sequences are evaluated

  const auto event = run_command({kBinary, "eql", "--check", "--query", "process where process.name : \"cp*\""});
  BOOST_TEST(event.exit_code == 0);
  BOOST_TEST(event.out == "event\nas a rule: evaluated; can fire\n");
  BOOST_TEST(event.err.empty(), event.err);
}

BOOST_AUTO_TEST_SUITE_END()
