// Sample semantics, each row citing Elasticsearch: "syntax" is the EQL
// syntax reference, SampleIterator and SampleQueryRequest are in
// x-pack/plugin/eql/.../execution/{sample,assembler}.
#include <boost/test/unit_test.hpp>

#include "join_test_support.h"

using namespace jointest;

namespace {

// The lists' items picked by pick_distinct, e.g. "1 4 5|1 5 4".
std::string picks(const std::vector<std::vector<uint64_t>>& lists, size_t limit) {
  std::string out;
  for (const auto& positions : pick_distinct(lists, limit)) {
    if (!out.empty()) out += '|';
    for (size_t f = 0; f < positions.size(); ++f) out += (f ? " " : "") + std::to_string(lists[f][positions[f]]);
  }
  return out;
}

// A SampleMatcher for `sample by h [any where a == "1"] [any where b == "1"]`.
struct SampleFixture {
  explicit SampleFixture(SampleOptions options)
      : compiled(std::make_shared<JoinQuery>(
            compile_join(parse_query(R"(sample by h [any where a == "1"] [any where b == "1"])"), schema))),
        matcher(compiled, options) {}

  // Offers an event of key `h` with `field` set to "1".
  void offer(int64_t ts, const std::string& h, const char* field, EventHandle handle) {
    MapDocument doc(schema);
    doc.set("h", h).set(field, "1");
    matcher.offer(doc, EventTime{ts, std::nullopt}, handle, compiled->matching(doc, {}), out);
  }

  DynamicSchema schema;
  std::shared_ptr<JoinQuery> compiled;
  SampleMatcher matcher;
  std::vector<JoinMatch> out;
};

JsonJoinOptions per_key(size_t samples) {
  JsonJoinOptions options = unlimited();
  options.max_samples_per_key = samples;
  return options;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sample_semantics)

BOOST_AUTO_TEST_CASE(samples_join_events_in_any_order) {
  check_cases({
      {"events sharing the join key, listed in filter order", "syntax: Samples (events are listed in filter order)",
       "sample by h [any where a == 1] [any where b == 1]", "t=1 h=x b=1; t=2 h=x a=1", "1 0"},
      {"time plays no part", "syntax: Samples (no chronological ordering)",
       "sample by h [any where a == 1] [any where b == 1]", "t=5 h=x a=1; t=900000000 h=x b=1", "0 1"},
      {"each filter gets a different event", "SampleIterator.matchSamples: partial.contains(o) == false",
       "sample by h [any where a == 1] [any where b == 1]", "t=1 h=x a=1 b=1", ""},
      {"... so a second event completes it", "SampleIterator.matchSamples",
       "sample by h [any where a == 1] [any where b == 1]", "t=1 h=x a=1 b=1; t=2 h=x b=1", "0 1"},
      {"one sample per key by default", "EqlSearchRequest: max_samples_per_key defaults to 1",
       "sample by h [any where a == 1] [any where b == 1]", "t=1 h=x a=1; t=2 h=x b=1; t=3 h=x a=1; t=4 h=x b=1", "0 1"},
      {"keys apart", "syntax: Samples (join keys)", "sample by h [any where a == 1] [any where b == 1]",
       "t=1 h=x a=1; t=2 h=y b=1; t=3 h=y a=1", "2 1"},
      {"per-filter keys join positionally", "SampleQueryRequest.multipleKeyPairs: keys by position",
       "sample [any where a == 1] by p [any where b == 1] by q", "t=1 p=z a=1; t=2 q=z b=1; t=3 p=w b=1", "0 1"},
      {"a missing key leaves the event out", "SampleQueryRequest.withCompositeAggregation: missingBucket only if optional",
       "sample by h [any where a == 1] [any where b == 1]", "t=1 a=1; t=2 b=1", ""},
      {"an optional key joins null with null", "SampleQueryRequest.singleKeyPair: mustNot(exists) for optional keys",
       "sample by ?h [any where a == 1] [any where b == 1]", "t=1 a=1; t=2 b=1; t=3 h=x b=1", "0 1"},
      {"a multi-valued key joins on each value", "composite terms aggregation: one bucket per value",
       "sample by h [any where a == 1] [any where b == 1]", "t=1 h=[x,y] a=1; t=2 h=y b=1", "0 1"},
      {"three filters, the backtracking's first pick", "SampleIterator.matchSamples",
       "sample by h [any where a == 1] [any where b == 1] [any where c == 1]",
       "t=1 h=x a=1 b=1 c=1; t=2 h=x a=1 b=1; t=3 h=x c=1", "0 1 2"},
  });
}

BOOST_AUTO_TEST_CASE(max_samples_per_key) {
  // SampleQueryRequest.singleKeyPair: each filter's first F + M - 1 events;
  // matchSamples returns up to M picks. As events arrive, each key's picks
  // are made as soon as they exist (SEMANTICS.md).
  BOOST_TEST(run_text("sample by h [any where a == 1] [any where b == 1]",
                      "t=1 h=x a=1; t=2 h=x a=1; t=3 h=x b=1; t=4 h=x b=1", per_key(2)) == "0 2|1 2");
  BOOST_TEST(run_text("sample by h [any where a == 1] [any where b == 1]",
                      "t=1 h=x a=1; t=2 h=x b=1; t=3 h=x a=1; t=4 h=x b=1; t=5 h=x a=1", per_key(3)) == "0 1|2 1|0 3");
}

BOOST_AUTO_TEST_CASE(backtracking_picks_as_elasticsearch_does) {
  // The examples in SampleIterator.matchSamples' comment.
  BOOST_TEST(picks({{1, 2, 3}, {4, 5}, {4, 5, 3}}, 1) == "1 4 5");
  BOOST_TEST(picks({{1, 1}, {1, 1, 1}, {1, 1, 3}}, 1) == "");
  // In order: first list first, each list in order.
  BOOST_TEST(picks({{1, 2, 3}, {4, 5}, {4, 5, 3}}, 4) == "1 4 5|1 4 3|1 5 4|1 5 3");
  BOOST_TEST(picks({{1}, {1, 2}}, 5) == "1 2");
  BOOST_TEST(picks({{7}, {7}}, 5) == "");
}

BOOST_AUTO_TEST_CASE(a_window_starts_a_key_afresh) {
  SampleOptions options;
  options.window_ms = 100;
  SampleFixture f(options);
  f.offer(0, "x", "a", 0);
  f.offer(50, "x", "b", 1);
  f.offer(60, "x", "a", 2);  // the key already gave its sample
  f.offer(90, "x", "b", 3);
  BOOST_TEST(f.out.size() == 1u);
  f.offer(200, "x", "a", 4);  // a new window: 0 and 1 are forgotten
  BOOST_TEST(f.out.size() == 1u);
  f.offer(250, "x", "b", 5);
  BOOST_REQUIRE(f.out.size() == 2u);
  BOOST_TEST(f.out[1].events[0] == 4u);
  BOOST_TEST(f.out[1].events[1] == 5u);
  BOOST_TEST(f.matcher.stats().windows_ended == 1u);
}

BOOST_AUTO_TEST_CASE(the_key_cap_evicts_the_least_recently_used) {
  SampleOptions options;
  options.max_keys = 100;
  SampleFixture f(options);
  for (int i = 0; i < 10000; ++i) f.offer(i, "host-" + std::to_string(i), "a", static_cast<EventHandle>(i));
  BOOST_TEST(f.matcher.keys() == 100u);
  BOOST_TEST(f.matcher.stats().evicted == 9900u);
  BOOST_TEST(f.out.empty());
  std::vector<EventHandle> live;
  f.matcher.live_handles(live);
  BOOST_TEST(live.size() == 100u);
}

BOOST_AUTO_TEST_SUITE_END()
