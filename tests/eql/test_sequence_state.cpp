// SequenceMatcher fed directly, as the detector will feed it: its bounds
// (maxspan expiry, until, the key cap), streaming (late events, trailing
// missing stages held back until their time passes) and what it exposes for
// a rule index.
#include <boost/test/unit_test.hpp>

#include "join_test_support.h"

using namespace jointest;

namespace {

struct Fixture {
  explicit Fixture(std::string_view query, SequenceOptions options = {})
      : compiled(std::make_shared<JoinQuery>(compile_join(parse_query(query), schema))), matcher(compiled, options) {}

  // Offers an event with fields `k` and `x`, matching the criteria it satisfies.
  std::vector<JoinMatch> offer(int64_t ts, std::string k, std::string x, EventHandle handle) {
    MapDocument doc(schema);
    if (!k.empty()) doc.set("k", k);
    doc.set("x", std::move(x));
    return offer(doc, ts, handle);
  }
  std::vector<JoinMatch> offer_json(std::string_view json, int64_t ts, EventHandle handle) {
    return offer(JsonDocument::parse(json, schema), ts, handle);
  }
  std::vector<JoinMatch> offer(const Document& doc, int64_t ts, EventHandle handle) {
    std::vector<JoinMatch> out;
    matcher.offer(doc, EventTime{ts, std::nullopt}, handle, compiled->matching(doc, {}), out);
    return out;
  }

  DynamicSchema schema;
  std::shared_ptr<JoinQuery> compiled;
  SequenceMatcher matcher;
};

std::string handles(const std::vector<JoinMatch>& matches) {
  Matches m;
  for (const JoinMatch& match : matches) {
    auto& one = m.emplace_back();
    for (const EventHandle e : match.events) one.push_back(e);
  }
  return text(m);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sequence_state)

BOOST_AUTO_TEST_CASE(maxspan_frees_the_state_of_quiet_keys) {
  Fixture f(R"(sequence by k with maxspan=10ms [any where x == "1"] [any where x == "2"])");
  for (int i = 0; i < 100; ++i) f.offer(i, "key" + std::to_string(i), "1", static_cast<EventHandle>(i));
  BOOST_TEST(f.matcher.keys() <= 11u);  // keys touched in the last 10 ms
  BOOST_TEST(f.matcher.open_sequences() == f.matcher.keys());
  BOOST_TEST(f.matcher.stats().expired == 100 - f.matcher.open_sequences());
  f.offer(1000, "other", "0", 1000);
  BOOST_TEST(f.matcher.keys() == 0u);
  BOOST_TEST(f.matcher.stats().expired == 100u);
}

BOOST_AUTO_TEST_CASE(a_late_second_stage_event_expires_the_sequence) {
  Fixture f(R"(sequence by k with maxspan=10ms [any where x == "1"] [any where x == "2"])");
  f.offer(0, "a", "1", 0);
  BOOST_TEST(f.offer(11, "a", "2", 1).empty());
  BOOST_TEST(f.matcher.stats().expired == 1u);
  BOOST_TEST(f.matcher.open_sequences() == 0u);
}

BOOST_AUTO_TEST_CASE(without_maxspan_the_key_cap_evicts_the_least_recently_used) {
  SequenceOptions options;
  options.max_keys = 2;
  Fixture f(R"(sequence by k [any where x == "1"] [any where x == "2"] [any where x == "3"])", options);
  f.offer(1, "a", "1", 0);
  f.offer(2, "b", "1", 1);
  f.offer(3, "a", "2", 2);  // a is now the most recently used
  f.offer(4, "c", "1", 3);  // evicts b
  BOOST_TEST(f.matcher.keys() == 2u);
  BOOST_TEST(f.matcher.stats().evicted == 1u);
  BOOST_TEST(f.offer(5, "b", "2", 4).empty());
  BOOST_TEST(handles(f.offer(6, "a", "3", 5)) == "0 2 5");
}

BOOST_AUTO_TEST_CASE(memory_stays_bounded_under_churning_keys) {
  // 200,000 events, each of a new key, none ever completing: the state
  // holds at most max_keys keys, however long the stream.
  SequenceOptions options;
  options.max_keys = 1000;
  Fixture f(R"(sequence by k [any where x == "1"] [any where x == "2"])", options);
  size_t peak_bytes = 0;
  for (int i = 0; i < 200000; ++i) {
    f.offer(i, "process-entity-" + std::to_string(i), "1", static_cast<EventHandle>(i));
    if (i % 1000 == 999) peak_bytes = std::max(peak_bytes, f.matcher.memory_bytes());
  }
  BOOST_TEST(f.matcher.keys() == 1000u);
  BOOST_TEST(f.matcher.stats().evicted == 199000u);
  BOOST_TEST(peak_bytes < 1000u * 512u, "peak " << peak_bytes << " bytes for 1000 keys");
  BOOST_TEST(f.matcher.stored_events() == 1000u);
  std::vector<EventHandle> live;
  f.matcher.live_handles(live);
  BOOST_TEST(live.size() == 1000u);
  BOOST_TEST(*std::min_element(live.begin(), live.end()) == 199000u);
}

BOOST_AUTO_TEST_CASE(the_event_budget_bounds_long_runs) {
  // [..] with runs=10 holds 1 + 2 + ... + 10 = 55 handles per key once its
  // ten stages are full; a budget of 200 keeps three such keys.
  SequenceOptions options;
  options.max_events = 200;
  Fixture f(R"(sequence by k [any where x == "1"] with runs=10 [any where x == "2"])", options);
  for (int key = 0; key < 20; ++key) {
    for (int i = 0; i < 10; ++i) {
      f.offer(key * 10 + i, "key" + std::to_string(key), "1", static_cast<EventHandle>(key * 10 + i));
      BOOST_TEST(f.matcher.stored_events() <= 200u);
    }
  }
  BOOST_TEST(f.matcher.keys() == 3u);
  BOOST_TEST(f.matcher.stored_events() == 165u);
  BOOST_TEST(f.matcher.stats().evicted == 17u * 10u);
  // The newest key still completes.
  BOOST_TEST(handles(f.offer(1000, "key19", "2", 1000)) == "190 191 192 193 194 195 196 197 198 199 1000");
}

BOOST_AUTO_TEST_CASE(until_frees_the_open_sequences_of_its_keys) {
  Fixture f(R"(sequence by k [any where x == "1"] [any where x == "2"] [any where x == "3"] until [any where x == "stop"])");
  f.offer(1, "a", "1", 0);
  f.offer(2, "a", "2", 1);
  f.offer(3, "a", "1", 2);
  BOOST_TEST(f.matcher.open_sequences() == 2u);
  f.offer(4, "a", "stop", 3);
  BOOST_TEST(f.matcher.open_sequences() == 0u);
  BOOST_TEST(f.matcher.stats().ended_by_until == 2u);
}

BOOST_AUTO_TEST_CASE(an_event_older_than_the_open_sequence_cannot_extend_it) {
  // Input that is not in time order is evaluated as it comes; an event
  // cannot take a sequence that ends after it to its next stage.
  Fixture f(R"(sequence by k [any where x == "1"] [any where x == "2"])");
  f.offer(10, "a", "1", 0);
  BOOST_TEST(f.offer(5, "a", "2", 1).empty());
  BOOST_TEST(f.matcher.stats().late == 1u);
  f.offer(7, "a", "1", 2);  // late too: does not replace the newer candidate
  BOOST_TEST(f.matcher.stats().late == 2u);
  BOOST_TEST(handles(f.offer(11, "a", "2", 3)) == "0 3");
}

BOOST_AUTO_TEST_CASE(a_trailing_missing_stage_holds_the_match_until_its_time_has_passed) {
  Fixture f(R"(sequence by k with maxspan=10ms [any where x == "1"] [any where x == "2"] ![any where x == "3"])");
  f.offer(0, "a", "1", 0);
  BOOST_TEST(f.offer(2, "a", "2", 1).empty());
  BOOST_TEST(f.matcher.open_sequences() == 1u);
  BOOST_TEST(f.offer(10, "b", "0", 2).empty());  // a trailing event could still come at 10
  std::vector<JoinMatch> out;
  f.matcher.advance_clock(11, out);
  BOOST_TEST(handles(out) == "0 1");
  BOOST_TEST(f.matcher.open_sequences() == 0u);

  f.offer(20, "a", "1", 3);
  f.offer(22, "a", "2", 4);
  BOOST_TEST(f.offer(25, "a", "3", 5).empty());
  BOOST_TEST(f.matcher.stats().rejected_missing == 1u);
  out.clear();
  f.matcher.flush(out);
  BOOST_TEST(out.empty());
}

BOOST_AUTO_TEST_CASE(keys_beyond_the_combination_cap_are_left_out_and_counted) {
  SequenceOptions options;
  options.max_key_combinations = 3;
  Fixture f("sequence by k, j [any where x == 1] [any where x == 2]", options);
  f.offer_json(R"({"k":["a","b"],"j":["c","d"],"x":1})", 0, 0);  // keys ac, bc, ad; bd left out
  BOOST_TEST(f.matcher.stats().keys_truncated == 1u);
  BOOST_TEST(f.matcher.keys() == 3u);
  BOOST_TEST(f.offer_json(R"({"k":"b","j":"d","x":2})", 1, 1).empty());
  const std::vector<JoinMatch> out = f.offer_json(R"({"k":"a","j":"d","x":2})", 2, 2);
  BOOST_TEST(handles(out) == "0 2");
  BOOST_TEST((decode_join_key(out.front().key) == std::vector<std::optional<std::string>>{"a", "d"}));
}

BOOST_AUTO_TEST_CASE(criteria_expose_their_condition_and_category_for_a_rule_index) {
  DynamicSchema schema;
  const JoinQuery q = compile_join(
      parse_query("sequence by host.id with maxspan=5s [process where process.name == \"sh\"] by process.entity_id "
                  "![file where true] by process.entity_id [network where true] by process.parent.entity_id "
                  "until [process where event.type == \"end\"] by process.entity_id"),
      schema);
  BOOST_REQUIRE(q.criteria().size() == 4u);
  BOOST_TEST(q.criteria()[0].filter.category == "process");
  BOOST_TEST(describe(*q.criteria()[0].filter.condition.root) == R"((== process.name "sh"))");
  BOOST_TEST(q.criteria()[0].query.category() == "process");
  BOOST_TEST((q.criteria()[1].role == JoinCriterion::Role::Missing));
  BOOST_TEST((q.criteria()[3].role == JoinCriterion::Role::Until));
  BOOST_TEST(q.criteria()[2].keys.size() == 2u);
  BOOST_TEST(q.criteria()[2].keys[1].name == "process.parent.entity_id");
  BOOST_TEST(q.maxspan_ms().value_or(0) == 5000);
  // matching() tests a criterion only on events of its category.
  MapDocument doc(schema);
  doc.set("process.name", "sh");
  const std::string_view process[] = {"process"};
  const std::string_view file[] = {"file"};
  BOOST_TEST(q.matching(doc, process) == 0b0001u);
  BOOST_TEST(q.matching(doc, file) == 0b0010u);
}

BOOST_AUTO_TEST_SUITE_END()
