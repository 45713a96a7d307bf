// Sequence rules through the binary: `replay` alerts on a completed
// sequence and counts the join rules' state in its summary; `check` lists
// join rules with their shape and says when one can never match; the
// configuration's join_max_events is checked.
#include <boost/test/unit_test.hpp>

#include "support/command.h"
#include "support/temp_dir.h"
#include "util/json_value.h"

using namespace auditeql;
using testing::run_command;

namespace {

const std::string kBinary = AUDITEQL_BINARY;
const std::string kRules = std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules";
const std::string kSample = std::string(AUDITEQL_FIXTURES_DIR) + "/sample/boot-persistence-attacks.log";

// An exec, then a file creation by the same process within 5 s: the cp of
// the Boot File Copy attack in the sample log.
const std::string kSequenceRule = R"(id: 4c0e7a1e-0000-4000-8000-00000000e0e1
name: Exec Followed by a Boot File
severity: high
risk_score: 73
query: |
  sequence by process.pid with maxspan=5s
    [process where event.type == "start" and event.action == "exec"]
    [file where event.type == "creation" and file.path : "/boot/*"]
)";

const std::string kNeverRule = R"(id: 4c0e7a1e-0000-4000-8000-00000000e0e2
name: Joins On Threads
query: |
  sequence by process.thread.id with maxspan=5s
    [process where true]
    [file where true]
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_join_rules)

BOOST_AUTO_TEST_CASE(replay_alerts_on_a_sequence_and_summarizes_the_join_state) {
  testing::TempDir dir;
  dir.write("rules/seq.yaml", kSequenceRule);
  const auto r = run_command({kBinary, "replay", "--rules", kRules, "--rules", dir.str() + "/rules", kSample});
  BOOST_TEST(r.exit_code == 0, r.err);
  size_t sequences = 0, others = 0;
  for (const auto& line : testing::lines_of(r.out)) {
    const auto doc = util::parse_json(line);
    if (doc.find("rule")->find("id")->as_string() != "4c0e7a1e-0000-4000-8000-00000000e0e1") {
      ++others;
      continue;
    }
    ++sequences;
    BOOST_TEST(doc.find("file")->find("path")->as_string() == "/boot/evil.ko");
    const auto& events = doc.find("auditeql")->find("sequence")->find("events")->as_array();
    BOOST_REQUIRE(events.size() == 2u);
    BOOST_TEST(events[0].find("process")->find("name")->as_string() == "cp");
    BOOST_TEST(events[0].find("event")->find("action")->as_string() == "exec");
  }
  BOOST_TEST(sequences == 1u);
  BOOST_TEST(others == 6u);  // the five rules' alerts, as without the sequence rule
  BOOST_TEST(r.err.find("auditeql replay: 1 sequence or sample rule: 1 completed, ") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("Exec Followed by a Boot File (4c0e7a1e-0000-4000-8000-00000000e0e1): 1 alerts, ") !=
                 std::string::npos,
             r.err);
  BOOST_TEST(r.err.find(" expired") != std::string::npos, r.err);  // the other execs' sequences
}

BOOST_AUTO_TEST_CASE(check_lists_join_rules_with_their_shape) {
  testing::TempDir dir;
  dir.write("rules.d/seq.yaml", kSequenceRule);
  dir.write("rules.d/never.yaml", kNeverRule);
  dir.mkdir("exceptions.d");
  const auto config = dir.write("auditeql.yaml", "rule_directories: [" + kRules + ", " + dir.str() +
                                                     "/rules.d]\nexception_directories: [" + dir.str() +
                                                     "/exceptions.d]\njoin_max_events: 1024\n");
  const auto r = run_command({kBinary, "check", "--config", config});
  BOOST_TEST(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(r.out.find("rules: 7 enabled, 0 disabled") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("Exec Followed by a Boot File  [sequence of 2 stages, maxspan 5000 ms, high, risk 73, "
                        "0 exceptions]") != std::string::npos,
             r.out);
  BOOST_TEST(r.out.find("Joins On Threads  [sequence of 2 stages, maxspan 5000 ms, medium") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("    cannot fire: needs process.thread.id to join on (stage 1)") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("rules: 7 enabled, 0 disabled; 6 can fire, 0 lose exclusions, 1 cannot fire") != std::string::npos,
             r.out);
  // The warning, at the stage that blocks it.
  BOOST_TEST(r.err.find("(Joins On Threads): this stage: cannot fire: needs process.thread.id to join on") !=
                 std::string::npos,
             r.err);

  const auto bad = dir.write("bad.yaml", "join_max_events: 10\n");
  const auto b = run_command({kBinary, "check", "--config", bad});
  BOOST_TEST(b.exit_code == 2);
  BOOST_TEST(b.err.find(bad + ":1:18: error: 'join_max_events' must be between 256 and 16777216") != std::string::npos,
             b.err);
}

BOOST_AUTO_TEST_SUITE_END()
