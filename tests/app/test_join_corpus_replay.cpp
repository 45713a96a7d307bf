// Elastic's 80 sequence and 3 sample Linux rules (tests/data) load as rules
// besides the five shipped ones, and a replay of every capture evaluates
// them without error and without changing the five rules' alerts.
#include <boost/test/unit_test.hpp>

#include <set>
#include <tuple>

#include "app/detector.h"
#include "rules/rule_loader.h"
#include "support/corpus.h"
#include "support/ecs_conformance.h"
#include "support/hand_made.h"
#include "util/json_value.h"

using namespace auditeql;

namespace {

rules::LoadedRules shipped_rules() {
  rules::RuleSources sources;
  sources.rule_dirs.push_back({std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules", false});
  rules::Diagnostics d;
  auto loaded = rules::load_rule_sources(sources, d);
  if (d.has_errors()) throw std::runtime_error(d.format());
  return loaded;
}

// The corpus's sequence and sample rules, as Elastic wrote them.
std::vector<rules::RuleDefinition> corpus_join_rules() {
  const std::string text = testing::read_file(std::string(AUDITEQL_TEST_DATA_DIR) + "/elastic-linux-eql-rules.jsonl");
  std::vector<rules::RuleDefinition> out;
  for (const std::string& line : testing::lines_of_text(text)) {
    const auto doc = util::parse_json(line);
    if (doc.find("query_kind")->as_string() == "event") continue;
    rules::RuleDefinition r;
    r.id = doc.find("rule_id")->as_string();
    r.name = doc.find("name")->as_string();
    r.query = doc.find("query")->as_string();
    r.schema = rules::RuleSchema::Elastic;
    out.push_back(std::move(r));
  }
  return out;
}

struct Replayed {
  std::multiset<std::tuple<std::string, int64_t>> five;  // (rule id, auditd.sequence) of the five rules' alerts
  std::vector<std::string> join_alerts;
  app::JoinTotals totals;
};

Replayed replay(const std::vector<ecs::Event>& events, const std::shared_ptr<rules::Ruleset>& set,
                const std::set<std::string>& five_ids) {
  app::Detector detector(set, {});
  testing::CollectingSink sink;
  detector.add_sink(&sink);
  for (const auto& e : events) detector.on_event(e);
  detector.finish();
  Replayed out;
  for (const auto& json : sink.alerts) {
    const auto doc = util::parse_json(json);
    const std::string id = doc.find("rule")->find("id")->as_string();
    if (five_ids.count(id)) {
      out.five.emplace(id, doc.find("auditd")->find("sequence")->as_int());
    } else {
      out.join_alerts.push_back(json);
    }
  }
  out.totals = detector.join_totals();
  return out;
}

std::shared_ptr<rules::Ruleset> compile(rules::LoadedRules loaded, size_t& warnings) {
  rules::Diagnostics d;
  auto set = std::make_shared<rules::Ruleset>(rules::Ruleset::compile(std::move(loaded), d));
  BOOST_TEST(!d.has_errors(), d.format());
  warnings = d.all().size();
  return set;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(join_corpus_replay)

BOOST_AUTO_TEST_CASE(all_83_join_rules_load_evaluate_and_leave_the_five_rules_alerts_unchanged) {
  const rules::LoadedRules five = shipped_rules();
  std::set<std::string> five_ids;
  for (const auto& r : five.rules) five_ids.insert(r.id);
  BOOST_REQUIRE(five_ids.size() == 5u);

  size_t warnings = 0;
  const auto alone = compile(five, warnings);
  rules::LoadedRules loaded = five;
  for (auto& r : corpus_join_rules()) loaded.rules.push_back(std::move(r));
  const auto with_join = compile(loaded, warnings);
  BOOST_TEST(with_join->size() == 88u);
  size_t sequences = 0, samples = 0, can_fire = 0;
  for (size_t i = 0; i < with_join->size(); ++i) {
    const auto& rule = with_join->rule(i);
    if (!rule.is_join()) continue;
    (rule.join->is_sample() ? samples : sequences) += 1;
    can_fire += rule.reach.verdict != rules::RuleReach::Verdict::CannotFire;
  }
  BOOST_TEST(sequences == 80u);
  BOOST_TEST(samples == 3u);
  // Every join rule that can fire is evaluated (filed in the rule index).
  BOOST_TEST(with_join->join_rules().size() == can_fire);
  BOOST_TEST_MESSAGE("join rules evaluated: " << can_fire << " of 83");
  // The identity fields they join on (host.id, process.entity_id,
  // process.parent.entity_id) and the network events are produced: most run
  // (53 when the identity fields came).
  BOOST_TEST(can_fire >= 50u);

  std::vector<std::string> logs;
  for (const auto& scenario : testing::scenario_names()) logs.push_back(testing::scenario_file(scenario, "audit.log"));
  logs.push_back(testing::fixture("sample/boot-persistence-attacks.log"));
  uint64_t offered_keys = 0, five_alerts = 0;
  for (const auto& log : logs) {
    BOOST_TEST_CONTEXT(log) {
      const auto run = testing::run_pipeline(testing::read_file(log));
      const Replayed base = replay(run.events, alone, five_ids);
      const Replayed r = replay(run.events, with_join, five_ids);
      BOOST_TEST((r.five == base.five));
      for (const auto& json : r.join_alerts) {
        const auto problems = testing::ecs_conformance_problems(util::parse_json(json));
        BOOST_TEST(problems.empty(), (problems.empty() ? "" : problems.front()));
      }
      offered_keys += r.totals.keys + r.totals.completed + r.totals.expired + r.totals.evicted;
      five_alerts += base.five.size();
    }
  }
  BOOST_TEST(five_alerts > 20u);
  // The join rules did see events (keys opened, expired or completed).
  BOOST_TEST(offered_keys > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
