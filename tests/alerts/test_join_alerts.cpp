// The alert of a sequence or sample: the last event's fields at the top
// level, the whole match under auditeql.sequence.* (auditeql.sample.*),
// and a list of events shortened visibly when the alert would be too long.
#include <boost/test/unit_test.hpp>

#include "alerts/alert_builder.h"
#include "alerts/event_summary.h"
#include "rules/ruleset.h"
#include "support/ecs_conformance.h"
#include "support/hand_made.h"
#include "util/json_value.h"

using namespace auditeql;

namespace {

struct JoinRule {
  rules::Ruleset set;
  explicit JoinRule(const std::string& query) {
    rules::LoadedRules loaded;
    loaded.rules.emplace_back();
    rules::RuleDefinition& r = loaded.rules.back();
    r.id = "a1b2c3d4-0000-4000-8000-000000000001";
    r.name = "Exec then creation";
    r.query = query;
    rules::Diagnostics d;
    set = rules::Ruleset::compile(std::move(loaded), d);
    if (d.has_errors() || set.size() != 1) throw std::runtime_error(d.format());
  }
  const rules::CompiledRule& rule() const { return set.rule(0); }
};

ecs::Event exec(int64_t pid, uint64_t serial, int64_t time_ms, const std::string& executable = "/tmp/.x/dropper") {
  return testing::process_start(pid, time_ms, executable, serial);
}

ecs::Event creation(int64_t pid, uint64_t serial, int64_t time_ms, const std::string& path) {
  return testing::file_creation(pid, time_ms, path, serial, "/tmp/.x/dropper");
}

// The summaries of `events`, and views of them as the builder takes them.
struct Summaries {
  std::vector<std::string> texts;
  std::vector<std::string_view> views;
  explicit Summaries(const std::vector<ecs::Event>& events) {
    for (const auto& e : events) alerts::render_event_summary(e, texts.emplace_back());
    views.assign(texts.begin(), texts.end());
  }
};

const auto at = testing::json_at;

const std::string kSequence = R"(sequence by process.pid with maxspan=5s
  [process where true] [file where file.path : "/boot/*"])";

}  // namespace

BOOST_AUTO_TEST_SUITE(join_alert)

BOOST_AUTO_TEST_CASE(the_last_event_is_at_the_top_level_and_the_match_under_auditeql_sequence) {
  JoinRule seq(kSequence);
  const std::vector<ecs::Event> events{exec(4242, 900, 1795413918000), creation(4242, 905, 1795413919500, "/boot/evil.ko")};
  const Summaries summaries(events);
  const std::vector<std::optional<std::string>> key{"4242"};
  alerts::Alert alert;
  alerts::AlertBuilder builder;
  builder.build_join(events.back(), seq.rule(), 0, {eql::QueryKind::Sequence, summaries.views, key}, alert);
  BOOST_TEST(alert.json.find('\n') == std::string::npos);
  const auto doc = util::parse_json(alert.json);
  const auto problems = testing::ecs_conformance_problems(doc);
  BOOST_TEST(problems.empty(), (problems.empty() ? "" : problems.front()));
  // Top level: the last event, as a single-event alert has its event.
  BOOST_TEST(at(doc, {"@timestamp"}).as_string() == "2026-11-23T06:05:19.500Z");
  BOOST_TEST(at(doc, {"event", "kind"}).as_string() == "alert");
  BOOST_TEST(at(doc, {"event", "action"}).as_string() == "creation");
  BOOST_TEST(at(doc, {"file", "path"}).as_string() == "/boot/evil.ko");
  BOOST_TEST(at(doc, {"auditd", "sequence"}).as_int() == 905);
  BOOST_TEST(at(doc, {"rule", "name"}).as_string() == "Exec then creation");
  // The match.
  const auto& match = at(doc, {"auditeql", "sequence"});
  BOOST_TEST(at(match, {"event_count"}).as_int() == 2);
  BOOST_TEST(match.find("events_omitted") == nullptr);
  BOOST_TEST(at(match, {"join_key"}).as_array().size() == 1u);
  BOOST_TEST(at(match, {"join_key"}).as_array()[0].as_string() == "4242");
  const auto& list = at(match, {"events"}).as_array();
  BOOST_REQUIRE(list.size() == 2u);
  BOOST_TEST(at(list[0], {"@timestamp"}).as_string() == "2026-11-23T06:05:18.000Z");
  BOOST_TEST(at(list[0], {"event", "action"}).as_string() == "exec");
  BOOST_TEST(at(list[0], {"event", "category"}).as_array()[0].as_string() == "process");
  BOOST_TEST(at(list[0], {"process", "pid"}).as_int() == 4242);
  BOOST_TEST(at(list[0], {"process", "executable"}).as_string() == "/tmp/.x/dropper");
  BOOST_TEST(at(list[0], {"process", "name"}).as_string() == "dropper");
  BOOST_TEST(at(list[0], {"auditd", "sequence"}).as_int() == 900);
  BOOST_TEST(list[0].find("file") == nullptr);
  BOOST_TEST(at(list[1], {"file", "path"}).as_string() == "/boot/evil.ko");
  BOOST_TEST(at(list[1], {"event", "type"}).as_array()[0].as_string() == "creation");
  // Only the summary's fields: no arguments, no parent, no user.
  BOOST_TEST(list[0].find("user") == nullptr);
  BOOST_TEST(at(list[0], {"process"}).find("args") == nullptr);
  BOOST_TEST(doc.find("auditeql")->find("sample") == nullptr);
}

BOOST_AUTO_TEST_CASE(a_sample_goes_under_auditeql_sample_and_a_null_key_is_left_out) {
  JoinRule smp(R"(sample by ?host.id [process where true] [file where true])");
  const std::vector<ecs::Event> events{exec(1, 1, 1795413918000), creation(2, 2, 1795413918001, "/x")};
  const Summaries summaries(events);
  const std::vector<std::optional<std::string>> key{std::nullopt};
  alerts::Alert alert;
  alerts::AlertBuilder().build_join(events.back(), smp.rule(), 0, {eql::QueryKind::Sample, summaries.views, key}, alert);
  const auto doc = util::parse_json(alert.json);
  BOOST_TEST(testing::ecs_conformance_problems(doc).empty());
  BOOST_TEST(at(doc, {"auditeql", "sample", "event_count"}).as_int() == 2);
  BOOST_TEST(at(doc, {"auditeql", "sample", "events"}).as_array().size() == 2u);
  BOOST_TEST(doc.find("auditeql")->find("sample")->find("join_key") == nullptr);
  BOOST_TEST(doc.find("auditeql")->find("sequence") == nullptr);
}

BOOST_AUTO_TEST_CASE(a_long_match_lists_its_first_and_last_events_and_says_how_many_it_left_out) {
  JoinRule seq(R"(sequence by process.pid with maxspan=1m [process where true] with runs=59 [file where true])");
  std::vector<ecs::Event> events;
  for (int i = 0; i < 59; ++i) events.push_back(exec(77, 1000 + i, 1795413918000 + i, "/usr/bin/" + std::string(40, 'a' + i % 26)));
  events.push_back(creation(77, 2000, 1795413919000, "/boot/x"));
  const Summaries summaries(events);
  const std::vector<std::optional<std::string>> key{"77"};
  alerts::AlertBuilder builder({8000});
  alerts::Alert alert;
  builder.build_join(events.back(), seq.rule(), 0, {eql::QueryKind::Sequence, summaries.views, key}, alert);
  BOOST_TEST(alert.json.size() <= 8000u);
  BOOST_TEST(builder.truncated() == 1u);
  BOOST_TEST(builder.oversized() == 0u);
  const auto doc = util::parse_json(alert.json);
  BOOST_TEST(testing::ecs_conformance_problems(doc).empty());
  const auto& match = at(doc, {"auditeql", "sequence"});
  const auto& list = at(match, {"events"}).as_array();
  const int64_t omitted = at(match, {"events_omitted"}).as_int();
  BOOST_TEST(at(match, {"event_count"}).as_int() == 60);
  BOOST_TEST(omitted > 0);
  BOOST_TEST(static_cast<int64_t>(list.size()) + omitted == 60);
  BOOST_TEST(list.size() >= 10u);  // as many as fit, not just two
  // The first half of what is kept from the start, the rest from the end.
  BOOST_TEST(at(list.front(), {"auditd", "sequence"}).as_int() == 1000);
  BOOST_TEST(at(list.back(), {"auditd", "sequence"}).as_int() == 2000);
  BOOST_TEST(at(list[1], {"auditd", "sequence"}).as_int() == 1001);
  // The rule's text and the last event's fields are whole: only the list was shortened.
  BOOST_TEST(alert.json.find("[...+") == std::string::npos);
  // With room for everything, nothing is left out.
  alerts::Alert whole;
  alerts::AlertBuilder({1 << 20}).build_join(events.back(), seq.rule(), 0,
                                              {eql::QueryKind::Sequence, summaries.views, key}, whole);
  BOOST_TEST(at(util::parse_json(whole.json), {"auditeql", "sequence", "events"}).as_array().size() == 60u);
}

BOOST_AUTO_TEST_CASE(a_huge_last_event_still_leaves_room_for_the_first_and_last_events) {
  JoinRule seq(kSequence);
  std::vector<ecs::Event> events{exec(5, 1, 1795413918000), creation(5, 2, 1795413918001, "/boot/" + std::string(20000, 'p'))};
  const Summaries summaries(events);
  BOOST_TEST(summaries.texts[1].size() < alerts::kSummaryStringBytes + 400);  // the path cut in the summary
  const std::vector<std::optional<std::string>> key{"5"};
  alerts::AlertBuilder builder({4096});
  alerts::Alert alert;
  builder.build_join(events.back(), seq.rule(), 0, {eql::QueryKind::Sequence, summaries.views, key}, alert);
  BOOST_TEST(alert.json.size() <= 4096u);
  const auto doc = util::parse_json(alert.json);
  BOOST_TEST(at(doc, {"auditeql", "sequence", "events"}).as_array().size() == 2u);
  BOOST_TEST(at(doc, {"file", "path"}).as_string().find("[...+") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
