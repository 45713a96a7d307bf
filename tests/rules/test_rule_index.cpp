// The rule index only narrows which rules are evaluated: it must never hide
// a match. Checked on the analysis itself and, end to end, against
// evaluating every rule on every event of real captures.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

#include "eql/parser.h"
#include "rules/rule_index.h"
#include "rules/ruleset.h"
#include "support/corpus.h"
#include "util/json_value.h"

using namespace auditeql;

namespace {

std::optional<rules::RequiredValues> required(const std::string& condition, const char* field = "process.name") {
  const auto parsed = eql::parse_condition(condition);
  return rules::required_values(*parsed.root, field);
}

std::vector<std::string> v(std::initializer_list<const char*> items) { return {items.begin(), items.end()}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(rule_index)

BOOST_AUTO_TEST_CASE(requirements_found_in_conjunctions_and_all_branches_of_disjunctions) {
  auto r = required(R"(event.type == "start" and process.name in ("cp", "MV") and process.args : "/boot/*")");
  BOOST_REQUIRE(r);
  BOOST_TEST(r->values == v({"cp", "mv"}), boost::test_tools::per_element());  // folded
  r = required(R"(process.name : ("python*", "perl") or process.name == "ruby")");
  BOOST_REQUIRE(r);
  BOOST_TEST(r->values == v({"perl", "ruby"}), boost::test_tools::per_element());
  BOOST_TEST(r->prefixes == v({"python"}), boost::test_tools::per_element());
  r = required(R"(process.name == "x" and (process.name in ("a", "b", "x")))");
  BOOST_REQUIRE(r);
  BOOST_TEST(r->values == v({"x"}), boost::test_tools::per_element());  // the smallest conjunct
  r = required(R"(process.parent.name like~ "sshd" and true)", "process.parent.name");
  BOOST_REQUIRE(r);
  BOOST_TEST(r->values == v({"sshd"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(nothing_is_required_where_a_branch_escapes) {
  BOOST_TEST(!required(R"(process.name == "cp" or process.args == "x")"));
  BOOST_TEST(!required(R"(not process.name == "cp")"));
  BOOST_TEST(!required(R"(process.name != "cp")"));
  BOOST_TEST(!required(R"(process.name not in ("cp", "mv"))"));
  BOOST_TEST(!required(R"(process.name : "*sh")"));
  BOOST_TEST(!required(R"(process.name regex "cp")"));
  BOOST_TEST(!required(R"(process.executable == "/bin/cp")"));
  BOOST_TEST(!required(R"(startsWith(process.name, "cp"))"));
}

BOOST_AUTO_TEST_CASE(the_index_changes_no_verdict_of_the_elastic_corpus_on_real_captures) {
  rules::LoadedRules loaded;
  const std::string text = testing::read_file(std::string(AUDITEQL_TEST_DATA_DIR) + "/elastic-linux-eql-rules.jsonl");
  for (const auto& line : testing::lines_of_text(text)) {
    const auto doc = util::parse_json(line);
    if (doc.find("query_kind")->as_string() != "event") continue;
    rules::RuleDefinition r;
    r.id = r.name = doc.find("rule_id")->as_string();
    r.query = doc.find("query")->as_string();
    loaded.rules.push_back(std::move(r));
  }
  rules::Diagnostics d;
  auto set = rules::Ruleset::compile(loaded, d);
  BOOST_REQUIRE(set.size() == 318u);
  BOOST_TEST(set.indexed(ecs::EventKind::ProcessStart) > 150u);
  BOOST_TEST(set.indexed(ecs::EventKind::FileCreation) > 40u, set.indexed(ecs::EventKind::FileCreation));
  size_t events = 0, matches = 0;
  const auto check = [&](const ecs::Event& e, const std::string& where) {
    ++events;
    std::set<size_t> indexed, brute;
    set.evaluate(e, [&](const rules::CompiledRule& r) { indexed.insert(r.index); });
    const rules::EcsDocument doc(e);
    const auto category = ecs::event_category(e.kind);
    for (size_t i = 0; i < set.size(); ++i) {
      const auto& rule = set.rule(i);
      if (rule.query.applies_to(category) && rule.query.matches(doc)) brute.insert(i);
    }
    BOOST_TEST_REQUIRE((indexed == brute), where);
    matches += brute.size();
  };
  // Events built from the corpus's own string constants, so that many rules
  // match and the index has every chance to wrongly leave one out.
  std::vector<std::string> literals;
  for (const auto& rule : loaded.rules) {
    const std::string& q = rule.query;
    for (size_t at = q.find('"'); at != std::string::npos; at = q.find('"', at + 1)) {
      const size_t end = q.find('"', at + 1);
      if (end == std::string::npos) break;
      std::string lit = q.substr(at + 1, end - at - 1);
      lit.erase(std::remove(lit.begin(), lit.end(), '*'), lit.end());
      if (!lit.empty() && lit.size() < 80) literals.push_back(lit);
      at = end;
    }
  }
  for (size_t i = 0; i < literals.size(); ++i) {
    const std::string& a = literals[i];
    const std::string& b = literals[(i * 7 + 3) % literals.size()];
    for (const auto kind : {ecs::EventKind::ProcessStart, ecs::EventKind::FileCreation}) {
      ecs::Event e;
      e.kind = kind;
      e.host_name = "h";
      e.pid = 2;
      e.parent_pid = 1;
      e.process = ecs::make_process_image(a.front() == '/' ? a : "/usr/bin/" + a, {a, b, "-c", a + " " + b});
      e.parent = ecs::make_process_image(b.front() == '/' ? b : "/bin/" + b, {b, a});
      e.working_directory = "/tmp";
      e.uid = e.euid = e.gid = 0;
      if (kind != ecs::EventKind::ProcessStart) e.file_path = a.front() == '/' ? a : "/etc/" + a;
      check(e, "synthetic from '" + a + "'");
    }
  }
  for (const char* scenario : {"benign_kernel_install_apt", "benign_dracut_core_install_apt", "atk_unmkinitramfs_small_newc",
                               "benign_local_deb_postinst_writes_module"}) {
    const auto run = testing::run_pipeline(testing::read_file(testing::scenario_file(scenario, "audit.log")));
    for (const auto& e : run.events) check(e, std::string(scenario) + " event " + std::to_string(e.sequence));
  }
  BOOST_TEST_MESSAGE(events << " events, " << matches << " corpus rule matches, identical with and without the index");
  BOOST_TEST(matches > 200u);
}

BOOST_AUTO_TEST_SUITE_END()
