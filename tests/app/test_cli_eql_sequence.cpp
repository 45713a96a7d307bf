// `auditeql eql` with sequence and sample queries: one line per match, the
// input indices of its events; the EQL search API's ordering and bounding
// options.
#include <boost/test/unit_test.hpp>

#include "support/command.h"
#include "support/temp_dir.h"

using namespace auditeql;
using testing::run_command;

namespace {

const std::string kBinary = AUDITEQL_BINARY;

std::string numbered(int count, const std::string& extra = "") {
  std::string out;
  for (int i = 1; i <= count; ++i)
    out += R"({"@timestamp":)" + std::to_string(i) + R"(,"event":{"category":"process"},"serial":)" +
           std::to_string(i) + extra + "}\n";
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_eql_sequence)

BOOST_AUTO_TEST_CASE(prints_the_indices_of_each_match_in_sequence_order) {
  const auto r = run_command(
      {kBinary, "eql", "--query", "sequence [process where serial <= 3] [process where true] [process where true]"},
      numbered(6));
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "0 1 2\n1 2 3\n2 3 4\n");
}

BOOST_AUTO_TEST_CASE(reads_a_file_and_orders_by_timestamp) {
  testing::TempDir dir;
  const auto events = dir.write("events.ndjson",
                                R"({"@timestamp":"2024-05-01T10:00:05Z","event":{"category":"file"},"k":"a"})" "\n"
                                "\n"
                                R"({"@timestamp":"2024-05-01T10:00:01.250Z","event":{"category":"process"},"k":"a"})" "\n");
  const auto r = run_command({kBinary, "eql", "--query", "sequence by k [process where true] [file where true]", events});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "1 0\n");
}

BOOST_AUTO_TEST_CASE(timestamp_and_tiebreaker_fields) {
  const std::string events = R"({"t":5000,"tb":2,"event":{"category":"process"},"x":1})" "\n"
                             R"({"t":5000,"tb":1,"event":{"category":"process"},"x":2})" "\n"
                             R"({"t":"1970-01-01T00:00:05.000Z","tb":3,"event":{"category":"process"},"x":2})" "\n";
  const std::string query = "sequence [process where x == 1] [process where x == 2]";
  const auto by_input = run_command({kBinary, "eql", "--timestamp-field", "t", "--query", query}, events);
  BOOST_TEST(by_input.out == "0 1\n", by_input.err);
  const auto by_tb =
      run_command({kBinary, "eql", "--timestamp-field", "t", "--tiebreaker-field", "tb", "--query", query}, events);
  BOOST_TEST(by_tb.exit_code == 0, by_tb.err);
  BOOST_TEST(by_tb.out == "0 2\n");
}

BOOST_AUTO_TEST_CASE(size_bounds_the_matches) {
  const std::string query = "sequence [process where true] [process where true]";
  // ES's default size is 10.
  BOOST_TEST(run_command({kBinary, "eql", "--query", query}, numbered(30)).out ==
             "0 1\n1 2\n2 3\n3 4\n4 5\n5 6\n6 7\n7 8\n8 9\n9 10\n");
  BOOST_TEST(run_command({kBinary, "eql", "--size", "2", "--query", query}, numbered(30)).out == "0 1\n1 2\n");
  const auto bad = run_command({kBinary, "eql", "--size", "lots", "--query", query}, numbered(3));
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(bad.out.empty());
}

BOOST_AUTO_TEST_CASE(samples_print_events_in_filter_order) {
  const std::string events = R"({"@timestamp":1,"event":{"category":"network"},"host":"h","n":1})" "\n"
                             R"({"@timestamp":2,"event":{"category":"process"},"host":"h","n":2})" "\n"
                             R"({"@timestamp":3,"event":{"category":"network"},"host":"h","n":3})" "\n";
  const std::string query = "sample by host [process where true] [network where true]";
  BOOST_TEST(run_command({kBinary, "eql", "--query", query}, events).out == "1 0\n");
  BOOST_TEST(run_command({kBinary, "eql", "--max-samples-per-key", "2", "--query", query}, events).out ==
             "1 0\n1 2\n");
}

BOOST_AUTO_TEST_CASE(check_reports_the_kind_and_whether_auditeql_runs_it_as_a_rule) {
  const auto seq = run_command({kBinary, "eql", "--check", "--query", "sequence by process.pid with maxspan=1m "
                                                                      "[process where true] ![file where true]"});
  BOOST_TEST(seq.exit_code == 0, seq.err);
  BOOST_TEST(seq.out == "sequence\nas a rule: evaluated as events arrive; can fire\n");
  const auto sample = run_command({kBinary, "eql", "--check", "--query", "sample by process.pid [process where true] [file where true]"});
  BOOST_TEST(sample.out == "sample\nas a rule: evaluated as events arrive; can fire\n");
  // Valid EQL that auditeql's events can never satisfy: said, not refused.
  const auto registry = run_command({kBinary, "eql", "--check", "--query", "sequence by process.pid [process where true] [registry where true]"});
  BOOST_TEST(registry.exit_code == 0, registry.err);
  BOOST_TEST(registry.out ==
             "sequence\nas a rule: loads, but cannot fire: needs registry events (stage 2)\n");
  const auto thread = run_command({kBinary, "eql", "--check", "--query",
                                   "sequence by process.thread.id [process where true] [file where true]"});
  BOOST_TEST(thread.out == "sequence\nas a rule: loads, but cannot fire: needs process.thread.id to join on (stage 1)\n");
  const auto without = run_command({kBinary, "eql", "--check", "--query",
                                    "sample by process.pid [process where process.thread.id != 1] [file where true]"});
  BOOST_TEST(without.out ==
             "sample\nas a rule: evaluated as events arrive; can fire, but loses exclusions (never has process.thread.id)\n");
  // The identity fields Elastic's rules join on are set on every event.
  const auto identity = run_command({kBinary, "eql", "--check", "--query",
                                     "sequence by host.id, process.entity_id [process where true] [file where true]"});
  BOOST_TEST(identity.out == "sequence\nas a rule: evaluated as events arrive; can fire\n");
}

BOOST_AUTO_TEST_CASE(events_without_a_usable_timestamp_are_reported_and_left_out) {
  const std::string events = R"({"event":{"category":"process"}})" "\n"
                             "not json\n" +
                             numbered(2);
  const auto r = run_command({kBinary, "eql", "--query", "sequence [process where true] [process where true]"}, events);
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.out == "2 3\n");
  BOOST_TEST(r.err.find("line 1: event has no @timestamp") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("line 2, column 1: not a JSON object") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(a_query_that_does_not_compile_exits_2) {
  const auto r = run_command({kBinary, "eql", "--query", "sequence [process where true] by a [file where true]"},
                             numbered(2));
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find("inconsistent number of join keys") != std::string::npos, r.err);
  BOOST_TEST(r.out.empty());
}

BOOST_AUTO_TEST_SUITE_END()
