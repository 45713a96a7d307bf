// Sequence semantics, point by point, each row citing where Elasticsearch
// says or does it. "syntax" is the EQL syntax reference
// (docs/reference/query-languages/eql/eql-syntax.md); class names are in
// x-pack/plugin/eql/src/main/java/org/elasticsearch/xpack/eql/execution/.
#include <boost/test/unit_test.hpp>

#include "join_test_support.h"

using namespace jointest;

BOOST_AUTO_TEST_SUITE(sequence_semantics)

BOOST_AUTO_TEST_CASE(ordering_by_timestamp_then_tiebreaker) {
  check_cases({
      {"events are taken in @timestamp order, not input order",
       "LogicalPlanBuilder.visitEventFilter: ORDER BY timestamp ASC, tiebreaker ASC",
       "sequence [any where x == 1] [any where x == 2]", "t=5 x=2; t=1 x=1", "1 0"},
      {"equal timestamps are ordered by the tiebreaker field", "search/Ordinal.compareTo",
       "sequence [any where x == 1] [any where x == 2]", "t=1 tb=2 x=1; t=1 tb=1 x=2", "", "tb"},
      {"without a tiebreaker field, equal timestamps keep input order (implicit tiebreaker)",
       "search/Ordinal.compareTo (implicit tiebreaker)", "sequence [any where x == 1] [any where x == 2]",
       "t=1 tb=2 x=1; t=1 tb=1 x=2", "0 1"},
      {"an event without a tiebreaker comes after those with one", "search/Ordinal.compareTo: nulls last",
       "sequence [any where x == 1] [any where x == 2]", "t=1 x=2; t=1 tb=5 x=1", "1 0", "tb"},
      {"ISO-8601 and epoch-millisecond timestamps order together", "syntax: @timestamp is a date",
       "sequence [any where x == 1] [any where x == 2]",
       "t=2024-05-01T10:00:01Z x=1; t=2024-05-01T10:00:00.500+00:00 x=2; t=1714557602000 x=2", "0 2"},
      {"one event never fills two stages", "sequence/SequenceGroup.trimBefore: ordinal strictly before the hit",
       "sequence [any where true] [any where true]", "t=1", ""},
      {"two events at one timestamp do", "sequence/SequenceGroup.trimBefore",
       "sequence [any where true] [any where true]", "t=1; t=1", "0 1"},
  });
}

BOOST_AUTO_TEST_CASE(state_machine_keeps_the_most_recent_partial_sequence) {
  check_cases({
      {"the issue's example: each event offered to the stages from last to first",
       "syntax: How sequence queries handle matches",
       "sequence [any where serial <= 3] [any where true] [any where true]",
       "t=1 serial=1; t=2 serial=2; t=3 serial=3; t=4 serial=4; t=5 serial=5; t=6 serial=6", "0 1 2|1 2 3|2 3 4"},
      {"the documentation's example: one state machine per user.name",
       "syntax: How sequence queries handle matches (ids 1..11 are indices 0..10)",
       R"(sequence by user.name [any where p == "attrib"] [any where p == "bash"] [any where p == "cat"])",
       "t=1 user.name=root p=attrib; t=2 user.name=root p=attrib; t=3 user.name=elkbee p=bash;"
       "t=4 user.name=root p=bash; t=5 user.name=root p=bash; t=6 user.name=elkbee p=attrib;"
       "t=7 user.name=root p=attrib; t=8 user.name=elkbee p=bash; t=9 user.name=root p=cat;"
       "t=10 user.name=elkbee p=cat; t=11 user.name=root p=cat",
       "1 3 8|5 7 9"},
      {"a new first-stage match replaces the older candidate", "syntax: the most recent sequence overwrites the older one",
       "sequence [any where x == 1] [any where x == 2]", "t=1 x=1; t=2 x=1; t=3 x=2", "1 2"},
      {"the same holds at every stage", "sequence/SequenceMatcher.match: group.trimBefore keeps the latest",
       "sequence [any where x == 1] [any where x == 2] [any where x == 3]", "t=1 x=1; t=2 x=2; t=3 x=1; t=4 x=2; t=5 x=3",
       "2 3 4"},
      {"one event completes a sequence and starts the next", "sequence/SequenceMatcher.match",
       "sequence [any where x in (1, 2)] [any where x == 2]", "t=1 x=1; t=2 x=2; t=3 x=2", "0 1|1 2"},
      {"a completed sequence leaves the machine", "sequence/SequenceMatcher.match: the group is trimmed",
       "sequence [any where x == 1] [any where x == 2]", "t=1 x=1; t=2 x=2; t=3 x=2", "0 1"},
      {"categories select the events a stage sees", "LogicalPlanBuilder.visitEventFilter: event.category == CATEGORY",
       "sequence [process where true] [file where true]", "t=1 cat=file; t=2 cat=process; t=3 cat=[network,file]",
       "1 2"},
  });
}

BOOST_AUTO_TEST_CASE(join_keys) {
  check_cases({
      {"one state machine per join key", "syntax: by keyword", "sequence by k [any where x == 1] [any where x == 2]",
       "t=1 k=a x=1; t=2 k=b x=1; t=3 k=a x=2; t=4 k=b x=2", "0 2|1 3"},
      {"per-stage keys join positionally, across fields", "syntax: by keyword (user.name, file.path / process.executable)",
       "sequence [any where x == 1] by u, p [any where x == 2] by u, e",
       "t=1 u=root p=/a x=1; t=2 u=root e=/b x=2; t=3 u=root e=/a x=2", "0 2"},
      {"sequence by keys come first, then the stage's own", "LogicalPlanBuilder.keyedFilter: combine(joinKeys, by)",
       "sequence by u [any where x == 1] by p [any where x == 2] by e",
       "t=1 u=root p=/a x=1; t=2 u=root e=/b x=2; t=3 u=root e=/a x=2", "0 2"},
      {"a missing key value leaves the event out", "syntax: Optional by fields (a join key must be non-null)",
       "sequence by k [any where x == 1] [any where x == 2]", "t=1 x=1; t=2 x=2", ""},
      {"an optional key (?k) joins null with null", "syntax: Optional by fields",
       "sequence by ?k [any where x == 1] [any where x == 2]", "t=1 x=1; t=2 x=2", "0 1"},
      {"... but not with a value", "syntax: Optional by fields", "sequence by ?k [any where x == 1] [any where x == 2]",
       "t=1 x=1; t=2 k=a x=2", ""},
      {"a multi-valued key joins on each value", "sequence/TumblingWindow.wrapValues: extractJoinKeys (PR #89965)",
       "sequence by k [any where x == 1] [any where x == 2]", "t=1 k=[a,b] x=1; t=2 k=b x=2", "0 1"},
      {"several multi-valued keys join on their cartesian product", "sequence/TumblingWindow: extractJoinKeys",
       "sequence by k, j [any where x == 1] [any where x == 2]", "t=1 k=[a,b] j=[c,d] x=1; t=2 k=b j=d x=2", "0 1"},
      {"one event completes at most one sequence (the first key)",
       "sequence/SequenceMatcher.completed: a TreeSet ordered by the last event's ordinal",
       "sequence by k [any where x == 1] [any where x == 2]", "t=1 k=a x=1; t=2 k=b x=1; t=3 k=[b,a] x=2", "1 2"},
      {"numbers join with their text, as a keyword field indexes them", "syntax: join keys are field values",
       "sequence by k [any where x == 1] [any where x == 2]", R"(t=1 k=5 x=1; t=2 k="5" x=2)", "0 1"},
      {"... exactly", "syntax: join keys are field values", "sequence by k [any where x == 1] [any where x == 2]",
       R"(t=1 k=5 x=1; t=2 k="05" x=2)", ""},
  });
  BOOST_TEST(compile_error("sequence [any where true] by a [any where true] by a, b") ==
             "inconsistent number of join keys: the first stage has 1 of its own, this one 2");
  BOOST_TEST(compile_error("sequence by string(a) [any where true] [any where true]") ==
             "join keys must be field names (Elasticsearch joins on fields only)");
  BOOST_TEST(compile_error("sequence by a [any where true] [any where true] until [any where true] by b") != "");
}

BOOST_AUTO_TEST_CASE(maxspan_from_first_to_last_event) {
  check_cases({
      {"a sequence exactly maxspan long matches", "sequence/SequenceMatcher.exceedsMaxSpan: delta > maxspan",
       "sequence with maxspan=10ms [any where x == 1] [any where x == 2]", "t=0 x=1; t=10 x=2", "0 1"},
      {"one millisecond more does not", "sequence/SequenceMatcher.exceedsMaxSpan",
       "sequence with maxspan=10ms [any where x == 1] [any where x == 2]", "t=0 x=1; t=11 x=2", ""},
      {"the span is from the first event, not the previous one",
       "syntax: with maxspan (starting at the first event's timestamp)",
       "sequence with maxspan=10ms [any where x == 1] [any where x == 2] [any where x == 3]",
       "t=0 x=1; t=8 x=2; t=15 x=3", ""},
      {"units", "syntax: with maxspan (time units)", "sequence with maxspan=1s [any where x == 1] [any where x == 2]",
       "t=0 x=1; t=1000 x=2; t=1500 x=1; t=2501 x=2", "0 1"},
      {"without maxspan a sequence stays open", "sequence/SequenceMatcher: maxSpan -1 never exceeds",
       "sequence [any where x == 1] [any where x == 2]", "t=0 x=1; t=864000000 x=2", "0 1"},
  });
  BOOST_TEST(compile_error("sequence with maxspan=0s [any where true] [any where true]") == "maxspan must be at least 1ms");
}

BOOST_AUTO_TEST_CASE(runs_repeat_a_stage) {
  check_cases({
      {"runs=3 is three stages", "syntax: with runs statement", "sequence [any where x == 1] with runs=3 [any where x == 2]",
       "t=1 x=1; t=2 x=1; t=3 x=1; t=4 x=2", "0 1 2 3"},
      {"two runs are not enough", "syntax: with runs statement",
       "sequence [any where x == 1] with runs=3 [any where x == 2]", "t=1 x=1; t=2 x=1; t=3 x=2", ""},
      {"the most recent runs win", "syntax: with runs (equivalent to repeated stages)",
       "sequence [any where x == 1] with runs=3 [any where x == 2]", "t=1 x=1; t=2 x=1; t=3 x=1; t=4 x=1; t=5 x=1; t=6 x=2",
       "2 3 4 5"},
      {"runs with keys", "syntax: with runs and by", "sequence by k [any where x == 1] with runs=2 [any where x == 2]",
       "t=1 k=a x=1; t=2 k=b x=1; t=3 k=a x=1; t=4 k=a x=2", "0 2 3"},
      {"a single stage with runs=2 is a sequence", "syntax: with runs statement",
       "sequence by k [any where x == 1] with runs=2", "t=1 k=a x=1; t=2 k=b x=1; t=3 k=a x=1", "0 2"},
  });
  BOOST_TEST(compile_error("sequence [any where true] with runs=101 [any where true]") == "runs must be between 1 and 100");
}

BOOST_AUTO_TEST_CASE(until_ends_open_sequences) {
  check_cases({
      {"the documentation's example: A,B and A,B,C match, A,C,B does not", "syntax: until keyword",
       R"(sequence by id [any where v == "A"] [any where v == "B"] until [any where v == "C"])",
       "t=1 id=1 v=A; t=2 id=1 v=B; t=3 id=2 v=A; t=4 id=2 v=B; t=5 id=2 v=C; t=6 id=3 v=A; t=7 id=3 v=C; t=8 id=3 v=B",
       "0 1|2 3"},
      {"an until event at a sequence's own event ends it", "search/Ordinal.between is inclusive",
       "sequence by id [any where a == 1] [any where b == 1] until [any where u == 1]",
       "t=1 id=1 a=1 u=1; t=2 id=1 b=1", ""},
      {"an until event at the completing event does not", "sequence/UntilGroup.before: strictly before the hit",
       "sequence by id [any where a == 1] [any where b == 1] until [any where u == 1]", "t=1 id=1 a=1; t=2 id=1 b=1 u=1",
       "0 1"},
      {"until only ends the sequences of its keys", "sequence/KeyToSequences.until",
       "sequence by id [any where a == 1] [any where b == 1] until [any where u == 1]",
       "t=1 id=1 a=1; t=2 id=2 u=1; t=3 id=1 b=1", "0 2"},
      {"an until event before the sequence starts does nothing", "sequence/SequenceMatcher.match: until between",
       "sequence by id [any where a == 1] [any where b == 1] until [any where u == 1]",
       "t=1 id=1 u=1; t=2 id=1 a=1; t=3 id=1 b=1", "1 2"},
  });
}

BOOST_AUTO_TEST_CASE(missing_event_stages) {
  const char* middle = "sequence by k with maxspan=1m [any where a == 1] ![any where m == 1] [any where b == 1]";
  const char* leading = "sequence by k with maxspan=10ms ![any where l == 1] [any where a == 1] [any where b == 1]";
  const char* trailing = "sequence by k with maxspan=10ms [any where a == 1] [any where b == 1] ![any where z == 1]";
  const char* both = "sequence by k with maxspan=10ms ![any where l == 1] [any where a == 1] ![any where z == 1]";
  check_cases({
      {"a missing-stage event between its neighbours rules the sequence out",
       "syntax: Missing events; TumblingWindow.doCheckMissingEvents", middle, "t=1 k=x a=1; t=2 k=x m=1; t=3 k=x b=1", ""},
      {"no such event: match", "syntax: Missing events", middle, "t=1 k=x a=1; t=3 k=x b=1", "0 1"},
      {"a missing-stage event of another key does not count", "TumblingWindow.addKeyFilter", middle,
       "t=1 k=x a=1; t=2 k=y m=1; t=3 k=x b=1", "0 2"},
      {"at a neighbour's timestamp it is not between",
       "TumblingWindow.prepareQueryForMissingEvents: range gt previous, lt next", middle,
       "t=1 k=x a=1; t=1 k=x m=1; t=3 k=x b=1; t=4 k=x a=1; t=5 k=x m=1; t=5 k=x b=1", "0 2|3 5"},
      {"a ruled-out sequence still takes its stage's place (checked once complete)",
       "SequenceMatcher.tryComplete: toCheckForMissing",
       "sequence by k with maxspan=1m [any where a == 1] ![any where m == 1] [any where b == 1] [any where c == 1]",
       "t=0 k=x a=1; t=1 k=x b=1; t=2 k=x a=1; t=3 k=x m=1; t=4 k=x b=1; t=5 k=x c=1", ""},
      {"leading: an event within maxspan before the last event rules it out",
       "TumblingWindow.doCheckMissingEvents: lastLeading", leading, "t=0 k=x l=1; t=5 k=x a=1; t=8 k=x b=1", ""},
      {"leading: one longer before does not", "TumblingWindow.doCheckMissingEvents", leading,
       "t=0 k=x l=1; t=11 k=x a=1; t=12 k=x b=1", "1 2"},
      {"leading: only events strictly before the first", "prepareQueryForMissingEvents: range lt start", leading,
       "t=5 k=x l=1; t=5 k=x a=1; t=8 k=x b=1", "1 2"},
      {"leading: the newest one before the first counts", "prepareQueryForMissingEvents: sort DESC, size 1", leading,
       "t=2 k=x l=1; t=5 k=x l=1; t=5 k=x a=1; t=8 k=x b=1", ""},
      {"trailing: an event within maxspan of the first rules it out", "TumblingWindow.doCheckMissingEvents: firstTrailing",
       trailing, "t=0 k=x a=1; t=2 k=x b=1; t=10 k=x z=1", ""},
      {"trailing: one later does not", "TumblingWindow.doCheckMissingEvents", trailing,
       "t=0 k=x a=1; t=2 k=x b=1; t=11 k=x z=1", "0 1"},
      {"trailing: none at all", "TumblingWindow.doCheckMissingEvents", trailing, "t=0 k=x a=1; t=2 k=x b=1", "0 1"},
      {"trailing: only events strictly after the last", "prepareQueryForMissingEvents: range gt last", trailing,
       "t=0 k=x a=1; t=2 k=x b=1; t=2 k=x z=1", "0 1"},
      {"leading and trailing: no leading event, match", "doCheckMissingEvents: lastLeading == null && missing(0)",
       both, "t=3 k=x a=1; t=5 k=x z=1", "0"},
      {"leading and trailing within maxspan of each other: no match", "doCheckMissingEvents: T - L > maxspan", both,
       "t=0 k=x l=1; t=3 k=x a=1; t=9 k=x z=1", ""},
      {"leading and trailing further apart: match", "doCheckMissingEvents: T - L > maxspan", both,
       "t=0 k=x l=1; t=3 k=x a=1; t=11 k=x z=1", "1"},
      {"the documentation's example: logons not followed by a logoff within 5s", "syntax: Missing events",
       "sequence by host, user with maxspan=5s [any where code == 4624] ![any where code == 4647]",
       "t=0 host=h user=u code=4624; t=3000 host=h user=u code=4647; t=10000 host=h user=v code=4624", "2"},
  });
  BOOST_TEST(compile_error("sequence [any where true] ![any where true] [any where true]") ==
             "a sequence with missing-event stages ![...] needs 'with maxspan=...'");
  BOOST_TEST(compile_error("sequence with maxspan=1s ![any where true] ![any where true]") ==
             "a sequence needs at least one stage that is not a missing-event stage ![...]");
}

BOOST_AUTO_TEST_CASE(size_bounds_the_results_first_by_last_event) {
  // ES returns the first `size` sequences, ordered by their last event.
  JsonJoinOptions options = unlimited();
  options.size = 1;
  BOOST_TEST(run_text("sequence by k [any where x == 1] [any where x == 2]",
                      "t=1 k=a x=1; t=2 k=b x=1; t=3 k=b x=2; t=4 k=a x=2", options) == "1 2");
  BOOST_TEST(compile_error("sequence [any where true] [any where true] | head 1") ==
             "pipes ('| head') are not evaluated yet");
}

BOOST_AUTO_TEST_SUITE_END()
