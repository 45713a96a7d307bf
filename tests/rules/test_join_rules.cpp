// Sequence and sample rules in the rule set: each criterion filed in the
// rule index as single-event rules are, the criteria an event satisfies
// handed on as a mask, fields checked in every stage and join key, and
// rules that can never match on auditeql's events left out of the index.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "rules/rule_loader.h"
#include "rules/ruleset.h"
#include "support/hand_made.h"

using namespace auditeql;

namespace {

constexpr int64_t kTime = 1795413964349;
const auto rule = testing::rule_definition;

ecs::Event exec(const std::string& executable, int64_t pid) { return testing::process_start(pid, kTime, executable, 100); }
ecs::Event creation(const std::string& path, int64_t pid) { return testing::file_creation(pid, kTime, path, 100); }

struct Handed {
  std::string rule;
  eql::CriteriaMask mask;
};

// What evaluate() hands on for `event`: event rules that match, join rules with their masks.
std::vector<Handed> handed(rules::Ruleset& set, const ecs::Event& event) {
  std::vector<Handed> out;
  set.evaluate(
      event, [&](const rules::CompiledRule& r) { out.push_back({r.definition.id, 0}); },
      [&](const rules::CompiledRule& r, eql::CriteriaMask mask, const eql::Document&) {
        out.push_back({r.definition.id, mask});
      });
  return out;
}

std::string text(const std::vector<Handed>& h) {
  std::string out;
  for (const auto& x : h) out += (out.empty() ? "" : " ") + x.rule + (x.mask ? ":" + std::to_string(x.mask) : "");
  return out;
}

rules::Ruleset compile(std::vector<rules::RuleDefinition> definitions, rules::Diagnostics& d) {
  rules::LoadedRules loaded;
  loaded.rules = std::move(definitions);
  return rules::Ruleset::compile(std::move(loaded), d);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(join_rules)

BOOST_AUTO_TEST_CASE(each_criterion_is_filed_in_the_index_of_the_kinds_it_sees) {
  rules::Diagnostics d;
  auto set = compile({rule("seq", R"(sequence by process.pid with maxspan=5s
                                       [process where process.name == "cp"]
                                       [file where file.path : "/boot/*"]
                                       until [process where process.name in ("reboot", "halt")])"),
                      rule("single", R"(process where process.name == "cp")")},
                     d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_REQUIRE(set.size() == 2u);
  BOOST_TEST(set.rule(0).is_join());
  BOOST_TEST(set.rule(0).kind_label() == "sequence");
  BOOST_TEST(set.join_rules() == std::vector<size_t>{0});
  // Each criterion is filed under what it requires: the two process
  // criteria under names, the file one under a path prefix; none is
  // evaluated for every event.
  BOOST_TEST(set.indexed(ecs::EventKind::ProcessStart) == 3u);  // 2 criteria + the event rule
  BOOST_TEST(set.indexed(ecs::EventKind::FileCreation) == 1u);
  BOOST_TEST(text(handed(set, exec("/usr/bin/cp", 7))) == "seq:1 single");
  BOOST_TEST(text(handed(set, exec("/usr/sbin/reboot", 7))) == "seq:4");
  BOOST_TEST(text(handed(set, exec("/usr/bin/ls", 7))) == "");
  BOOST_TEST(text(handed(set, creation("/boot/x", 7))) == "seq:2");
  BOOST_TEST(text(handed(set, creation("/tmp/x", 7))) == "");
}

BOOST_AUTO_TEST_CASE(one_event_satisfying_several_criteria_is_handed_on_once_with_all_their_bits) {
  rules::Diagnostics d;
  auto set = compile({rule("a", R"(process where process.name == "a")"),
                      rule("seq", R"(sequence by process.pid [process where true] [any where process.name == "cp"]
                                       [process where process.name : "c*"])"),
                      rule("z", R"(process where process.name == "cp")")},
                     d);
  BOOST_TEST(!d.has_errors(), d.format());
  // Rule order is kept: the join rule's mask comes between the event rules.
  BOOST_TEST(text(handed(set, exec("/usr/bin/cp", 7))) == "seq:7 z");
  BOOST_TEST(text(handed(set, exec("/usr/bin/ls", 7))) == "seq:1");
  BOOST_TEST(text(handed(set, creation("/boot/cp", 7))) == "seq:2");
}

BOOST_AUTO_TEST_CASE(each_criterion_is_filed_only_under_the_event_kinds_it_can_match) {
  rules::Diagnostics d;
  // Shaped like Elastic's privilege escalation rules: stages that no
  // string field tells apart, but that only a uid change, or only an exec,
  // can satisfy.
  auto set = compile({rule("seq", R"(sequence by process.entity_id with maxspan=1m
                                       [process where event.type == "start" and process.args_count > 0]
                                       [process where event.action == "uid_change" and user.id == "0"]
                                       [process where true])")},
                     d);
  BOOST_TEST(!d.has_errors(), d.format());
  using K = ecs::EventKind;
  BOOST_TEST(set.unindexed(K::ProcessStart) == 2u);  // the first and last stages
  BOOST_TEST(set.unindexed(K::UidChange) == 2u);     // the last two
  BOOST_TEST(set.unindexed(K::ProcessEnd) == 1u);    // the last one
  BOOST_TEST(set.unindexed(K::FileCreation) == 0u);  // none: file events are not in the category
  ecs::Event uid_change = exec("/usr/bin/su", 7);
  uid_change.kind = K::UidChange;
  BOOST_TEST(text(handed(set, exec("/usr/bin/su", 7))) == "seq:5");
  BOOST_TEST(text(handed(set, uid_change)) == "seq:6");
}

BOOST_AUTO_TEST_CASE(samples_are_filed_like_sequences) {
  rules::Diagnostics d;
  auto set = compile({rule("smp", R"(sample by process.pid [file where file.name == "a"] [file where file.name == "b"])")}, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_TEST(set.rule(0).kind_label() == "sample");
  BOOST_TEST(set.indexed(ecs::EventKind::FileCreation) == 2u);
  BOOST_TEST(text(handed(set, creation("/x/b", 1))) == "smp:2");
}

BOOST_AUTO_TEST_CASE(fields_are_checked_in_every_stage_and_join_key) {
  rules::Diagnostics d;
  auto set = compile({rule("bad-stage", R"(sequence [process where true] [file where file.pth == "x"])"),
                      rule("bad-key", R"(sequence by process.pdi [process where true] [file where true])"),
                      rule("bad-stage-key", R"(sequence [process where true] by process.pid [file where true] by file.pth)"),
                      rule("good", R"(sequence by process.pid [process where true] [file where true])")},
                     d);
  BOOST_TEST(set.size() == 1u);
  BOOST_TEST(set.rule(0).definition.id == "good");
  BOOST_TEST(d.error_count() == 3u, d.format());
  const std::string text = d.format();
  BOOST_TEST(text.find("rule bad-stage (bad-stage): unknown field 'file.pth' (did you mean 'file.path'?)") !=
                 std::string::npos,
             text);
  BOOST_TEST(text.find("rule bad-key (bad-key): unknown field 'process.pdi'") != std::string::npos, text);
  BOOST_TEST(text.find("rule bad-stage-key (bad-stage-key): unknown field 'file.pth'") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(a_join_rule_that_cannot_fire_is_loaded_but_left_out_of_the_index) {
  rules::Diagnostics d;
  auto set = compile({rule("never-key", R"(sequence by process.thread.id [process where true] [file where true])"),
                      rule("network-end", R"(sequence by process.pid [process where true] [network where event.type == "end"])"),
                      rule("no-kind", R"(sequence by process.pid [process where true] [authentication where true])"),
                      rule("never-cond", R"(sequence by process.pid
                          [process where process.thread.id == 1] [file where true])"),
                      rule("optional-key", R"(sequence by ?process.thread.id [process where true] [file where true])"),
                      rule("exclusion", R"(sequence by process.pid [process where not process.thread.id == 1]
                          [file where true])"),
                      rule("host", R"(sequence by host.id, process.entity_id [process where true] [file where true])")},
                     d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_REQUIRE(set.size() == 7u);
  using Verdict = rules::RuleReach::Verdict;
  const auto reach = [&](size_t i) { return set.rule(i).reach.describe(); };
  BOOST_TEST(reach(0) == "cannot fire: needs process.thread.id to join on (stage 1)");
  BOOST_TEST(reach(1) == "cannot fire: needs network events with event.type end (stage 2)");
  BOOST_TEST(reach(2) == "cannot fire: needs authentication events (stage 2)");
  BOOST_TEST(reach(3) == "cannot fire: needs process.thread.id (stage 1)");
  for (size_t i = 0; i < 4; ++i) BOOST_TEST((set.rule(i).reach.verdict == Verdict::CannotFire), i);
  // `?process.thread.id` joins as null when it has no value.
  BOOST_TEST((set.rule(4).reach.verdict == Verdict::CanFire));
  BOOST_TEST((set.rule(5).reach.verdict == Verdict::LosesExclusions));
  BOOST_TEST(reach(5) == "can fire, but loses exclusions (never has process.thread.id)");
  // Every event carries the identity fields Elastic's rules join on.
  BOOST_TEST(reach(6) == "can fire");
  BOOST_TEST(set.join_rules() == (std::vector<size_t>{4, 5, 6}));
  // One warning for each rule that reads a field auditeql never sets or
  // cannot fire, at the stage that blocks it.
  BOOST_TEST(d.all().size() == 6u, d.format());
  BOOST_TEST(d.format().find("rule network-end (network-end): this stage: cannot fire: needs network events") !=
                 std::string::npos,
             d.format());
  // Only the rules that can fire see events.
  BOOST_TEST(text(handed(set, exec("/usr/bin/cp", 7))) == "optional-key:1 exclusion:1 host:1");
}

BOOST_AUTO_TEST_CASE(exceptions_of_a_join_rule_see_every_kind_its_stages_see) {
  rules::LoadedRules loaded;
  loaded.rules = {rule("seq", R"(sequence by process.pid [process where true] [file where true])")};
  rules::ExceptionDefinition on_file;
  on_file.rule_id = "seq";
  on_file.condition = R"(file.path == "/tmp/ok")";
  rules::ExceptionDefinition on_process;
  on_process.rule_id = "seq";
  on_process.condition = R"(process.name == "backup")";
  loaded.exceptions = {on_file, on_process};
  rules::Diagnostics d;
  auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_REQUIRE(set.rule(0).exceptions.size() == 2u);
  BOOST_TEST(rules::Ruleset::excepted(set.rule(0), rules::EcsDocument(creation("/tmp/ok", 1))));
  BOOST_TEST(rules::Ruleset::excepted(set.rule(0), rules::EcsDocument(exec("/opt/backup", 1))));
  BOOST_TEST(!rules::Ruleset::excepted(set.rule(0), rules::EcsDocument(exec("/usr/bin/cp", 1))));
  // Matches are counted by the caller, which decides on the exceptions.
  set.count_join_match(0, true);
  set.count_join_match(0, false);
  BOOST_TEST(set.counters(0).matches == 2u);
  BOOST_TEST(set.counters(0).suppressed == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
