// Sequence and sample rules in the detector: one alert per completed match,
// throttled per rule, exceptions applied to the whole match as Elastic
// documents them, state bounded and counted (expired, evicted), trailing
// missing stages completed by the clock, state kept across a reload.
#include <boost/test/unit_test.hpp>

#include <set>

#include "app/detector.h"
#include "rules/rule_loader.h"
#include "support/corpus.h"
#include "support/ecs_conformance.h"
#include "support/hand_made.h"
#include "util/json_value.h"

using namespace auditeql;

namespace {

const auto rule = testing::rule_definition;

std::shared_ptr<rules::Ruleset> ruleset(std::vector<rules::RuleDefinition> definitions,
                                        std::vector<rules::ExceptionDefinition> exceptions = {}) {
  rules::LoadedRules loaded;
  loaded.rules = std::move(definitions);
  loaded.exceptions = std::move(exceptions);
  rules::Diagnostics d;
  auto set = std::make_shared<rules::Ruleset>(rules::Ruleset::compile(std::move(loaded), d));
  if (d.has_errors()) throw std::runtime_error(d.format());
  return set;
}

struct Harness {
  std::unique_ptr<app::Detector> detector;
  testing::CollectingSink sink;
  explicit Harness(std::shared_ptr<rules::Ruleset> set, app::DetectorOptions options = {}) {
    detector = std::make_unique<app::Detector>(std::move(set), options);
    detector->add_sink(&sink);
  }
  void feed(const std::vector<ecs::Event>& events) {
    for (const auto& e : events) detector->on_event(e);
  }
};

constexpr int64_t kT0 = 1795413918000;
uint64_t g_serial = 1000;

ecs::Event exec(int64_t pid, int64_t time_ms, const std::string& executable = "/tmp/.x/dropper") {
  return testing::process_start(pid, time_ms, executable, ++g_serial);
}

ecs::Event creation(int64_t pid, int64_t time_ms, const std::string& path) {
  return testing::file_creation(pid, time_ms, path, ++g_serial, "/tmp/.x/dropper");
}

const std::string kDropperThenBoot = R"(sequence by process.pid with maxspan=5s
  [process where process.name == "dropper"]
  [file where file.path : "/boot/*"])";

util::JsonValue parsed(const std::string& json) { return util::parse_json(json); }

std::vector<int64_t> listed_serials(const util::JsonValue& alert, const char* kind = "sequence") {
  std::vector<int64_t> out;
  for (const auto& e : alert.find("auditeql")->find(kind)->find("events")->as_array()) {
    out.push_back(e.find("auditd")->find("sequence")->as_int());
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(join_detector)

BOOST_AUTO_TEST_CASE(a_completed_sequence_raises_one_alert_with_its_events) {
  Harness h(ruleset({rule("seq", kDropperThenBoot)}));
  const ecs::Event start = exec(10, kT0);
  const ecs::Event other = exec(11, kT0 + 100, "/usr/bin/ls");
  const ecs::Event drop = creation(10, kT0 + 1000, "/boot/evil.ko");
  const ecs::Event elsewhere = creation(12, kT0 + 1100, "/boot/other");
  h.feed({start, other, drop, elsewhere});
  BOOST_REQUIRE(h.sink.alerts.size() == 1u);
  const auto doc = parsed(h.sink.alerts[0]);
  BOOST_TEST(testing::ecs_conformance_problems(doc).empty());
  BOOST_TEST(doc.find("rule")->find("id")->as_string() == "seq");
  BOOST_TEST(doc.find("file")->find("path")->as_string() == "/boot/evil.ko");
  BOOST_TEST(listed_serials(doc) == (std::vector<int64_t>{static_cast<int64_t>(start.sequence),
                                                           static_cast<int64_t>(drop.sequence)}),
             boost::test_tools::per_element());
  const auto tally = h.detector->tally();
  BOOST_TEST(tally.at("seq").alerts == 1u);
  BOOST_TEST(tally.at("seq").join);
  const app::JoinTotals totals = h.detector->join_totals();
  BOOST_TEST(totals.rules == 1u);
  BOOST_TEST(totals.completed == 1u);
}

BOOST_AUTO_TEST_CASE(beyond_maxspan_nothing_alerts_and_the_sequence_is_counted_as_expired) {
  Harness h(ruleset({rule("seq", kDropperThenBoot)}));
  h.feed({exec(10, kT0), creation(10, kT0 + 5001, "/boot/evil.ko")});
  BOOST_TEST(h.sink.alerts.empty());
  BOOST_TEST(h.detector->join_totals().expired == 1u);
  BOOST_TEST(h.detector->tally().at("seq").expired == 1u);
  // Exactly maxspan still matches.
  h.feed({exec(20, kT0 + 10000), creation(20, kT0 + 15000, "/boot/evil.ko")});
  BOOST_TEST(h.sink.alerts.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_key_past_maxspan_is_freed_by_the_clock_alone) {
  Harness h(ruleset({rule("seq", kDropperThenBoot)}));
  h.feed({exec(10, kT0), exec(11, kT0 + 1)});
  BOOST_TEST(h.detector->join_totals().keys == 2u);
  BOOST_TEST(h.detector->join_totals().events_held == 2u);
  h.detector->advance_clock(kT0 + 6000);
  BOOST_TEST(h.detector->join_totals().keys == 0u);
  BOOST_TEST(h.detector->join_totals().expired == 2u);
  // The events no matcher refers to any more go at the next collection
  // (when the store has doubled, or at the end of input).
  h.detector->finish();
  BOOST_TEST(h.detector->join_totals().events_held == 0u);
}

BOOST_AUTO_TEST_CASE(join_rules_are_throttled_per_rule_like_the_others) {
  auto definition = rule("seq", kDropperThenBoot);
  definition.max_signals = 2;
  Harness h(ruleset({definition}), {{}, 60000});
  for (int i = 0; i < 3; ++i) h.feed({exec(100 + i, kT0 + i * 10), creation(100 + i, kT0 + i * 10 + 5, "/boot/x")});
  BOOST_TEST(h.sink.alerts.size() == 2u);
  BOOST_TEST(h.detector->tally().at("seq").throttled == 1u);
  // The next window's first alert says how many were dropped.
  h.feed({exec(200, kT0 + 70000), creation(200, kT0 + 70001, "/boot/x")});
  BOOST_REQUIRE(h.sink.alerts.size() == 3u);
  BOOST_TEST(parsed(h.sink.alerts[2]).find("auditeql")->find("alerts_dropped_before")->as_int() == 1);
}

BOOST_AUTO_TEST_CASE(an_exception_suppresses_a_match_only_when_it_matches_every_event_of_it) {
  rules::ExceptionDefinition on_dropper;  // matches both events of pid 10's sequence
  on_dropper.rule_id = "seq";
  on_dropper.condition = R"(process.executable == "/tmp/.x/dropper" and process.pid == 10)";
  rules::ExceptionDefinition on_file;  // matches only the file event of pid 20's
  on_file.rule_id = "seq";
  on_file.condition = R"(file.path == "/boot/allowed")";
  Harness h(ruleset({rule("seq", kDropperThenBoot)}, {on_dropper, on_file}));
  h.feed({exec(10, kT0), creation(10, kT0 + 1, "/boot/x")});
  BOOST_TEST(h.sink.alerts.empty());
  h.feed({exec(20, kT0 + 10), creation(20, kT0 + 11, "/boot/allowed")});
  BOOST_TEST(h.sink.alerts.size() == 1u);
  const auto tally = h.detector->tally();
  BOOST_TEST(tally.at("seq").suppressed == 1u);
  BOOST_TEST(tally.at("seq").alerts == 1u);
}

BOOST_AUTO_TEST_CASE(without_maxspan_state_is_capped_and_the_least_recently_used_keys_are_evicted) {
  app::DetectorOptions options;
  options.join_max_events = 256;
  Harness h(ruleset({rule("seq", R"(sequence by process.pid [process where true] [file where true])")}), options);
  for (int pid = 1; pid <= 10000; ++pid) h.feed({exec(pid, kT0 + pid)});
  const app::JoinTotals totals = h.detector->join_totals();
  BOOST_TEST(totals.keys == 256u);
  BOOST_TEST(totals.evicted == 10000u - 256u);
  BOOST_TEST(totals.events_held <= 1024u + 256u);  // live ones, and at most 1024 dropped ones not yet collected
  BOOST_TEST(h.detector->tally().at("seq").evicted == 10000u - 256u);
  // The most recently used keys are still there.
  h.feed({creation(10000, kT0 + 20000, "/x"), creation(1, kT0 + 20001, "/x")});
  BOOST_TEST(h.sink.alerts.size() == 1u);
}

BOOST_AUTO_TEST_CASE(state_stays_bounded_under_churning_keys) {
  app::DetectorOptions options;
  options.join_max_events = 4096;
  Harness h(ruleset({rule("a", R"(sequence by process.pid [process where true] [file where true])"),
                     rule("b", R"(sequence by process.pid with maxspan=1m [process where true] [process where true]
                                   [file where true])"),
                     rule("c", R"(sample by process.pid [process where true] [file where file.name == "z"])")}),
            options);
  uint64_t peak_held = 0, peak_memory = 0;
  for (int i = 1; i <= 200000; ++i) {
    h.detector->on_event(exec(i, kT0 + i));
    if (i % 1000 == 0) {
      const app::JoinTotals t = h.detector->join_totals();
      peak_held = std::max(peak_held, t.events_held);
      peak_memory = std::max(peak_memory, t.memory_bytes);
    }
  }
  // Each rule's share of 4096 holds the most recent execs, the same ones
  // for all three; up to half as many again wait for the next collection.
  const uint64_t referenced = 4096u / 3;
  BOOST_TEST_MESSAGE("peak events held: " << peak_held);
  BOOST_TEST(peak_held <= referenced + referenced / 2 + 1);
  BOOST_TEST(peak_memory < 8u << 20, peak_memory);
  BOOST_TEST(h.detector->join_totals().evicted > 150000u);
}

BOOST_AUTO_TEST_CASE(a_trailing_missing_stage_completes_when_its_time_has_passed) {
  Harness h(ruleset({rule("seq", R"(sequence by process.pid with maxspan=2s
      [process where process.name == "dropper"] [file where true] ![process where process.name == "cleanup"])")}));
  const ecs::Event drop = creation(10, kT0 + 500, "/boot/x");
  h.feed({exec(10, kT0), drop, exec(20, kT0 + 600), creation(20, kT0 + 700, "/y")});
  BOOST_TEST(h.sink.alerts.empty());  // a cleanup may still come
  h.feed({exec(20, kT0 + 1500, "/usr/bin/cleanup")});  // rules out pid 20's
  h.detector->advance_clock(kT0 + 2001);
  BOOST_REQUIRE(h.sink.alerts.size() == 1u);
  const auto doc = parsed(h.sink.alerts[0]);
  // The last event is at the top level although the alert came later.
  BOOST_TEST(doc.find("auditd")->find("sequence")->as_int() == static_cast<int64_t>(drop.sequence));
  BOOST_TEST(doc.find("file")->find("path")->as_string() == "/boot/x");
  // At the end of input, what only waited for time completes.
  h.feed({exec(30, kT0 + 5000), creation(30, kT0 + 5001, "/z")});
  BOOST_TEST(h.sink.alerts.size() == 1u);
  h.detector->finish();
  BOOST_TEST(h.sink.alerts.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_sample_alerts_with_its_events_in_filter_order) {
  Harness h(ruleset({rule("smp", R"(sample by process.pid [file where file.name == "a"] [file where file.name == "b"])")}));
  const ecs::Event b = creation(7, kT0, "/tmp/b");
  const ecs::Event a = creation(7, kT0 + 1, "/tmp/a");
  h.feed({b, creation(8, kT0 + 1, "/tmp/a"), a});
  BOOST_REQUIRE(h.sink.alerts.size() == 1u);
  const auto doc = parsed(h.sink.alerts[0]);
  BOOST_TEST(listed_serials(doc, "sample") == (std::vector<int64_t>{static_cast<int64_t>(a.sequence),
                                                                      static_cast<int64_t>(b.sequence)}),
             boost::test_tools::per_element());
  BOOST_TEST(doc.find("file")->find("path")->as_string() == "/tmp/a");  // the event that completed it
  BOOST_TEST(testing::ecs_conformance_problems(doc).empty());
}

BOOST_AUTO_TEST_CASE(a_reload_keeps_the_open_sequences_of_unchanged_rules) {
  Harness h(ruleset({rule("seq", kDropperThenBoot), rule("other", kDropperThenBoot)}));
  h.feed({exec(10, kT0)});
  // "other" changes its query: its state starts afresh.
  auto changed = rule("other", R"(sequence by process.pid with maxspan=6s
    [process where process.name == "dropper"] [file where file.path : "/boot/*"])");
  h.detector->replace_ruleset(ruleset({rule("seq", kDropperThenBoot), changed}));
  h.feed({creation(10, kT0 + 1000, "/boot/x")});
  BOOST_REQUIRE(h.sink.alerts.size() == 1u);
  BOOST_TEST(parsed(h.sink.alerts[0]).find("rule")->find("id")->as_string() == "seq");
  BOOST_TEST(h.detector->join_totals().rules == 2u);
}

BOOST_AUTO_TEST_CASE(a_building_block_join_rule_is_counted_not_sent) {
  auto definition = rule("bb", kDropperThenBoot);
  definition.building_block = true;
  Harness h(ruleset({definition}));
  h.feed({exec(10, kT0), creation(10, kT0 + 1, "/boot/x")});
  BOOST_TEST(h.sink.alerts.empty());
  BOOST_TEST(h.detector->building_block_alerts_withheld() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
