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

std::optional<rules::Requirement> required(const std::string& condition) {
  const auto parsed = eql::parse_condition(condition);
  return rules::requirement(*parsed.root);
}

std::vector<std::string> v(std::initializer_list<const char*> items) { return {items.begin(), items.end()}; }

// The one field requirement of `r`, which must have exactly one.
const rules::FieldRequirement& only(const std::optional<rules::Requirement>& r, rules::IndexedField field) {
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST_REQUIRE(r->any_of.size() == 1u);
  BOOST_TEST_REQUIRE((r->any_of.front().field == field));
  return r->any_of.front();
}

using F = rules::IndexedField;

}  // namespace

BOOST_AUTO_TEST_SUITE(rule_index)

BOOST_AUTO_TEST_CASE(requirements_found_in_conjunctions_and_all_branches_of_disjunctions) {
  auto r = required(R"(event.type == "start" and process.name in ("cp", "MV") and process.args : "/boot/*")");
  BOOST_TEST(only(r, F::ProcessName).values == v({"cp", "mv"}), boost::test_tools::per_element());  // folded
  r = required(R"(process.name : ("python*", "perl", "*.cgi") or process.name == "ruby")");
  BOOST_TEST(only(r, F::ProcessName).values == v({"perl", "ruby"}), boost::test_tools::per_element());
  BOOST_TEST(only(r, F::ProcessName).prefixes == v({"python"}), boost::test_tools::per_element());
  BOOST_TEST(only(r, F::ProcessName).suffixes == v({".cgi"}), boost::test_tools::per_element());
  r = required(R"(process.name == "x" and (process.name in ("a", "b", "x")))");
  BOOST_TEST(only(r, F::ProcessName).values == v({"x"}), boost::test_tools::per_element());  // the smallest conjunct
  r = required(R"(process.parent.name like~ "sshd" and true)");
  BOOST_TEST(only(r, F::ParentName).values == v({"sshd"}), boost::test_tools::per_element());
  // The longer pinned end of a pattern; `?` is a wildcard too.
  r = required(R"(file.path : ("/etc/*.conf", "/e*/systemd/*.service", "/boot/?nitrd*"))");
  BOOST_TEST(only(r, F::FilePath).prefixes == v({"/boot/", "/etc/"}), boost::test_tools::per_element());
  BOOST_TEST(only(r, F::FilePath).suffixes == v({".service"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_regular_expression_requires_its_literal_prefix) {
  auto r = required(R"q(process.executable regex~ """/var/run/\w+\.(pid|lock)""")q");
  BOOST_TEST(only(r, F::ProcessExecutable).prefixes == v({"/var/run/"}), boost::test_tools::per_element());
  r = required(R"q(process.name regex ("python3?", "perl.*", "rub+y", "ab{0,2}c", "x(a|b)"))q");
  BOOST_TEST(only(r, F::ProcessName).prefixes == v({"a", "perl", "python", "rub", "x"}), boost::test_tools::per_element());
  BOOST_TEST(!required(R"q(process.name regex "ab|cd")q"));          // either branch
  BOOST_TEST(!required(R"q(process.name regex "[(]x|ab")q"));        // `(` in a class opens nothing
  BOOST_TEST(!required(R"q(process.name regex "a\\(b|c")q"));       // nor does an escaped one
  BOOST_TEST(!required(R"q(process.name regex ".*cp")q"));
  BOOST_TEST(!required(R"q(process.name regex "a?b")q"));
}

BOOST_AUTO_TEST_CASE(branches_on_different_fields_give_alternatives) {
  const auto r = required(R"(process.args == "--yolo" or (process.name : "codex*" and process.args == "-x") or
                             process.parent.executable == "/usr/bin/node")");
  BOOST_REQUIRE(r);
  BOOST_TEST(r->any_of.size() == 3u);
  BOOST_REQUIRE(r->on(F::ProcessArgs));
  BOOST_TEST(r->on(F::ProcessArgs)->values == v({"--yolo"}), boost::test_tools::per_element());
  BOOST_REQUIRE(r->on(F::ProcessName));
  BOOST_TEST(r->on(F::ProcessName)->prefixes == v({"codex"}), boost::test_tools::per_element());
  BOOST_REQUIRE(r->on(F::ParentExecutable));
  BOOST_TEST(r->on(F::ParentExecutable)->values == v({"/usr/bin/node"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_name_is_preferred_to_arguments_unless_much_larger) {
  auto r = required(R"(process.name in ("a", "b", "c") and process.args == "-c")");
  BOOST_TEST(only(r, F::ProcessName).values == v({"a", "b", "c"}), boost::test_tools::per_element());
  r = required(R"(process.name in ("a", "b", "c", "d", "e") and process.args == "-c")");
  BOOST_TEST(only(r, F::ProcessArgs).values == v({"-c"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(nothing_is_required_where_a_branch_escapes) {
  BOOST_TEST(!required(R"(process.name == "cp" or process.command_line == "x")"));
  BOOST_TEST(!required(R"(not process.name == "cp")"));
  BOOST_TEST(!required(R"(process.name != "cp")"));
  BOOST_TEST(!required(R"(process.name not in ("cp", "mv"))"));
  BOOST_TEST(!required(R"(process.name : "*sh*")"));
  BOOST_TEST(!required(R"(process.name : ("cp", "*"))"));
  BOOST_TEST(!required(R"(process.name == process.parent.name)"));
  BOOST_TEST(!required(R"(process.working_directory == "/tmp")"));
  BOOST_TEST(!required(R"(startsWith(process.name, "cp"))"));
}

BOOST_AUTO_TEST_CASE(affix_trees_find_every_affix_of_a_value_folded) {
  rules::AffixTree prefixes(rules::AffixTree::End::Start), suffixes(rules::AffixTree::End::Finish);
  prefixes.add("/tmp/", 1);
  prefixes.add("/t", 2);
  prefixes.add("/usr/", 3);
  suffixes.add(".sh", 4);
  suffixes.add("h", 5);
  std::vector<uint32_t> out;
  prefixes.collect("/TMP/x.sh", out);
  suffixes.collect("/TMP/x.SH", out);
  BOOST_TEST(out == std::vector<uint32_t>({2, 1, 5, 4}), boost::test_tools::per_element());
  out.clear();
  prefixes.collect("/tm", out);
  suffixes.collect("sh.", out);
  prefixes.collect("", out);
  BOOST_TEST(out == std::vector<uint32_t>({2}), boost::test_tools::per_element());
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
  BOOST_TEST_MESSAGE("indexed: " << set.indexed(ecs::EventKind::ProcessStart) << " process rules, "
                                 << set.indexed(ecs::EventKind::FileCreation) << " file rules");
  BOOST_TEST(set.indexed(ecs::EventKind::ProcessStart) >= 225u);
  BOOST_TEST(set.indexed(ecs::EventKind::FileCreation) >= 65u);
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
