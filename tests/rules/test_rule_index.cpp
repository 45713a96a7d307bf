// The rule index only narrows which rules are evaluated: it must never hide
// a match. Checked on the analysis itself and, end to end, against
// evaluating every rule on every event of real captures.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <set>

#include "eql/parser.h"
#include "eql/regex.h"
#include "eql/text.h"
#include "eql/wildcard.h"
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

// `pattern` as an EQL string literal: quotes and backslashes escaped, so
// that any regular expression fits (a raw string cannot end in a quote).
std::string eql_string(std::string_view pattern) {
  std::string out = "\"";
  for (const char c : pattern) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

std::optional<rules::Requirement> required_by_regex(std::string_view pattern) {
  return required("process.name regex " + eql_string(pattern));
}

// Whether `value` meets `r` the way the index checks it: folded, equal to
// one of the values or starting or ending with one of the affixes. No
// requirement at all admits everything.
bool admits(const std::optional<rules::Requirement>& r, std::string_view value) {
  if (!r) return true;
  const rules::FieldRequirement* f = r->on(F::ProcessName);
  if (f == nullptr) return false;
  const std::string folded = eql::text::folded(value);
  const std::string_view text(folded);
  for (const auto& x : f->values) {
    if (text == x) return true;
  }
  for (const auto& p : f->prefixes) {
    if (text.substr(0, p.size()) == p) return true;
  }
  for (const auto& s : f->suffixes) {
    if (text.size() >= s.size() && text.substr(text.size() - s.size()) == s) return true;
  }
  return false;
}

ecs::Event process_named(const std::string& name) {
  ecs::Event e;
  e.kind = ecs::EventKind::ProcessStart;
  e.host_name = "h";
  e.pid = 2;
  e.parent_pid = 1;
  e.process = ecs::make_process_image(name, {name});  // no slash: the name is the whole executable
  e.uid = e.euid = e.gid = e.egid = 0;
  return e;
}

// Whether a one-rule set `process where CONDITION` alerts, through its index,
// on a process called `name`.
bool alerts(const std::string& condition, const std::string& name) {
  rules::LoadedRules loaded;
  rules::RuleDefinition r;
  r.id = r.name = "r";
  r.query = "process where " + condition;
  loaded.rules.push_back(std::move(r));
  rules::Diagnostics d;
  auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST_REQUIRE(set.size() == 1u, condition);
  bool alerted = false;
  set.evaluate(process_named(name), [&](const rules::CompiledRule&) { alerted = true; });
  return alerted;
}

// A deterministic generator, the same on every platform.
struct Lcg {
  uint32_t state;
  uint32_t operator()(size_t bound) {
    state = state * 1103515245u + 12345u;
    return (state >> 8) % static_cast<uint32_t>(bound);
  }
};

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
    r.schema = rules::RuleSchema::Elastic;
    loaded.rules.push_back(std::move(r));
  }
  rules::Diagnostics d;
  auto set = rules::Ruleset::compile(loaded, d);
  BOOST_REQUIRE(set.size() == 318u);
  using K = ecs::EventKind;
  BOOST_TEST_MESSAGE("indexed: " << set.indexed(K::ProcessStart) << " process rules, " << set.indexed(K::FileCreation)
                                 << " file rules; evaluated for every exec " << set.unindexed(K::ProcessStart)
                                 << ", file creation " << set.unindexed(K::FileCreation) << ", uid change "
                                 << set.unindexed(K::UidChange) << ", process end " << set.unindexed(K::ProcessEnd)
                                 << "; filed for uid change " << set.indexed(K::UidChange) << ", process end "
                                 << set.indexed(K::ProcessEnd));
  BOOST_TEST(set.indexed(K::ProcessStart) >= 175u);
  BOOST_TEST(set.indexed(K::FileCreation) >= 45u);
  // Few are evaluated for every event, and the rules on process starts
  // (event.type start, or fields only an exec has) are not filed for the
  // other process events at all (filed by category: 231 + 11 for each).
  BOOST_TEST(set.unindexed(K::ProcessStart) <= 6u);
  BOOST_TEST(set.unindexed(K::FileCreation) <= 1u);
  BOOST_TEST(set.indexed(K::UidChange) + set.unindexed(K::UidChange) <= 20u);
  BOOST_TEST(set.indexed(K::ProcessEnd) + set.unindexed(K::ProcessEnd) <= 20u);
  size_t events = 0, matches = 0;
  const auto check = [&](const ecs::Event& e, const std::string& where) {
    ++events;
    std::set<size_t> indexed, brute;
    set.evaluate(e, [&](const rules::CompiledRule& r) { indexed.insert(r.index); });
    const rules::EcsDocument doc(e);
    const auto category = ecs::classification(e.kind).category;
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
      e.uid = e.euid = e.gid = e.egid = 0;
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

BOOST_AUTO_TEST_CASE(a_bracket_first_in_a_class_hides_no_top_level_alternation) {
  // `]` right after `[` or `[^` is a member, so the class runs on to the next
  // `]`; the `(` or `"` inside it opens nothing and the `|` splits the whole
  // expression: "cd" alone matches, so "ab" must not be required.
  for (const char* pattern : {"ab[](]|cd", "ab[]\"]|cd", "ab[^](]|cd"}) {
    BOOST_TEST_CONTEXT("pattern " << pattern) {
      BOOST_TEST(eql::Regex::compile(pattern, false).nfa_matches("cd"));
      BOOST_TEST(!required_by_regex(pattern));
      BOOST_TEST(alerts("process.name regex " + eql_string(pattern), "cd"));
    }
  }
  // Without the alternation the class and its prefix are still seen.
  BOOST_TEST(only(required_by_regex("ab[](]x"), F::ProcessName).prefixes == v({"ab"}), boost::test_tools::per_element());
}

namespace {

// `pattern` matches `value`, requires exactly the prefix `prefix` (which
// `value` has), and a rule with it alerts on `value`.
void check_prefix_admits(const char* pattern, const char* value, const char* prefix) {
  BOOST_TEST_CONTEXT("pattern " << pattern) {
    BOOST_TEST(eql::Regex::compile(pattern, false).nfa_matches(value));
    BOOST_TEST(only(required_by_regex(pattern), F::ProcessName).prefixes == v({prefix}), boost::test_tools::per_element());
    BOOST_TEST(alerts("process.name regex " + eql_string(pattern), value));
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_optional_multibyte_character_is_left_out_of_the_prefix_whole) {
  // The quantifier applies to the character, all its bytes: "ab" matches,
  // and a prefix keeping the lead byte of the é ("ab\xC3") would hide it.
  for (const char* pattern : {"ab\xC3\xA9?", "ab\xC3\xA9*", "ab\xC3\xA9{0,2}"}) check_prefix_admits(pattern, "ab", "ab");
  // A required multi-byte character stays in the prefix.
  BOOST_TEST(only(required_by_regex("ab\xC3\xA9+"), F::ProcessName).prefixes == v({"ab\xC3\xA9"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_quantifier_stacked_on_a_plus_makes_the_atom_optional) {
  // Lucene reads `b+?` as `(b+)?` (no lazy quantifiers): zero b's match,
  // so only "a" is required.
  for (const char* pattern : {"ab+?", "ab+*", "ab+{0,1}"}) check_prefix_admits(pattern, "a", "a");
  // `b+` needs a b, which the prefix keeps.
  BOOST_TEST(only(required_by_regex("ab+"), F::ProcessName).prefixes == v({"ab"}), boost::test_tools::per_element());
}

namespace {

// Random regular expressions, as trees so that values matching them can be
// drawn by walking the same tree: most random strings match nothing, and a
// hidden match can only show on a value that matches.
struct Atom {
  const char* text;
  std::vector<const char*> samples;  // values for it, mostly matching
};
const Atom kAtoms[] = {
    {"a", {"a", "A", "\xE0\x81\xA1"}},  // the last an overlong 'a', which is no 'a'
    {"b", {"b", "B"}},
    {"A", {"A", "a", "\xE0\x81\x81"}},
    {"\xC3\xA9", {"\xC3\xA9", "\xC3"}},  // é; the lead byte alone does not match it
    {".", {"x", "\xC3\xA9", "|", "\xE0\x80\xB1"}},
    {"[a\\]]", {"a", "]"}},
    {"[(]", {"("}},
    {"[]x]", {"]", "x"}},
    {"[](]", {"]", "("}},
    {"[^](]", {"x", "|", "]"}},
    {"[]\"]", {"]", "\""}},
    {"\\|", {"|"}},
    {"\\(", {"("}},
    {"\"ab\"", {"ab"}},
    {"\"a|b\"", {"a|b"}},
    {"#", {"", "#"}},
    {"@", {"", "ab", "@\xC3\xA9"}},
};

constexpr size_t kPlainAtoms = 4;  // the first four

struct Quantifier {
  const char* text;
  uint32_t min, max;  // repetitions drawn for samples (unbounded ones stop at 3)
};
// Stacked ones as Lucene reads them: `b+?` is `(b+)?`.
const Quantifier kQuantifiers[] = {{"", 1, 1},     {"", 1, 1},     {"", 1, 1},   {"?", 0, 1},
                                   {"*", 0, 3},    {"+", 1, 3},    {"{0,2}", 0, 2}, {"{2}", 2, 2},
                                   {"+?", 0, 3},   {"+*", 0, 3},   {"+{0,1}", 0, 3}};

struct Piece;
using Branches = std::vector<std::vector<Piece>>;  // alternatives, each a sequence
struct Piece {
  const Atom* atom = nullptr;  // or else a group of:
  Branches group;
  const Quantifier* quantifier = nullptr;
};

Branches random_branches(Lcg& next, int depth) {
  Branches out(next(4) == 0 ? 2 : 1);
  for (auto& sequence : out) {
    const uint32_t length = next(depth == 0 ? 5 : 3) + (depth == 0 ? 1 : 0);
    for (uint32_t k = 0; k < length; ++k) {
      Piece p;
      if (depth < 2 && next(6) == 0) {
        p.group = random_branches(next, depth + 1);
      } else {
        // Plain characters often, so that many patterns have a literal prefix.
        p.atom = &kAtoms[next(3) != 0 ? next(kPlainAtoms) : next(std::size(kAtoms))];
      }
      p.quantifier = &kQuantifiers[next(std::size(kQuantifiers))];
      sequence.push_back(std::move(p));
    }
  }
  return out;
}

void render(const Branches& branches, std::string& out) {
  for (size_t i = 0; i < branches.size(); ++i) {
    if (i > 0) out += '|';
    for (const Piece& p : branches[i]) {
      if (p.atom != nullptr) {
        out += p.atom->text;
      } else {
        out += '(';
        render(p.group, out);
        out += ')';
      }
      out += p.quantifier->text;
    }
  }
}

void sample(const Branches& branches, Lcg& next, std::string& out) {
  for (const Piece& p : branches[next(branches.size())]) {
    const uint32_t times = p.quantifier->min + next(p.quantifier->max - p.quantifier->min + 1);
    for (uint32_t t = 0; t < times; ++t) {
      if (p.atom != nullptr) {
        out += p.atom->samples[next(p.atom->samples.size())];
      } else {
        sample(p.group, next, out);
      }
    }
  }
}

// Whether the index, given only the rule `condition`, offers it for a
// process called `value`.
bool indexed_as_candidate(const eql::Expr& condition, const std::string& value) {
  rules::RuleIndex index;
  index.add(0, &condition);
  return !index.candidates(process_named(value)).empty();
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_random_pattern_has_a_requirement_that_hides_one_of_its_matches) {
  // Differential: whenever the matcher itself accepts a value, the derived
  // requirement, and the index filed under it, must admit that value too.
  // The atoms are the tricky ones: classes with `]`, `(`, `"` and `|`,
  // escapes, quoted strings, multi-byte characters, stacked quantifiers;
  // the values include stray and overlong bytes.
  const auto start = std::chrono::steady_clock::now();
  Lcg next{20240611};
  size_t patterns = 0, rejected = 0, accepted = 0, constrained = 0, hidden = 0, hidden_by_index = 0, with_requirement = 0;
  for (int p = 0; p < 10000; ++p) {
    const Branches tree = random_branches(next, 0);
    std::string pattern;
    render(tree, pattern);
    const bool ci = next(2) == 1;
    ++patterns;
    std::optional<eql::Regex> regex;
    try {
      regex.emplace(eql::Regex::compile(pattern, ci));
    } catch (const eql::RegexError&) {
      ++rejected;
      continue;
    }
    const auto condition = eql::parse_condition(std::string("process.name ") + (ci ? "regex~ " : "regex ") + eql_string(pattern));
    const auto requirement = rules::requirement(*condition.root);
    with_requirement += requirement.has_value();
    for (int t = 0; t < 12; ++t) {
      std::string value;
      if (t < 9) {
        sample(tree, next, value);
      } else {  // a few values from anywhere
        for (uint32_t n = next(5); n > 0; --n) {
          const Atom& a = kAtoms[next(std::size(kAtoms))];
          value += a.samples[next(a.samples.size())];
        }
      }
      if (!regex->nfa_matches(value)) continue;
      ++accepted;
      constrained += requirement.has_value();
      if (!admits(requirement, value) && ++hidden <= 10) {
        BOOST_TEST_MESSAGE("hidden: " << pattern << (ci ? " (ci)" : "") << " on '" << value << "'");
      }
      if (!indexed_as_candidate(*condition.root, value)) ++hidden_by_index;
    }
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  BOOST_TEST_MESSAGE(patterns << " regex patterns (" << rejected << " rejected, " << with_requirement << " with a requirement), "
                              << accepted << " matching values (" << constrained << " under a requirement), " << ms << " ms");
  BOOST_TEST(hidden == 0u);
  BOOST_TEST(hidden_by_index == 0u);
  BOOST_TEST(rejected < patterns / 2);  // generation is not mostly invalid,
  BOOST_TEST(with_requirement > 1000u);  // many patterns get a requirement,
  BOOST_TEST(constrained > 3000u);       // checked on many values that match
}

BOOST_AUTO_TEST_CASE(no_random_wildcard_has_a_requirement_that_hides_one_of_its_matches) {
  // The same for `like`, `like~` and `:`, whose requirement is a value, the
  // literal head or the literal tail of the pattern.
  const char* tokens[] = {"*", "*", "?", "a", "b", "A", "\xC3\xA9", "ab", "\\"};
  const char* anything[] = {"a", "B", "x", "\xC3\xA9", "\\", "\xE0\x81\x81", "\xE2\x82\xAC"};
  const char* one_character[] = {"a", "x", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
  struct Operator {
    const char* text;
    bool fold;
  };
  const Operator operators[] = {{"like", false}, {"like~", true}, {":", true}};
  Lcg next{777};
  size_t accepted = 0, hidden = 0, hidden_by_index = 0, with_requirement = 0;
  for (int p = 0; p < 2000; ++p) {
    std::vector<const char*> pieces(next(6));
    std::string pattern;
    for (auto& piece : pieces) pattern += piece = tokens[next(std::size(tokens))];
    const Operator& op = operators[next(std::size(operators))];
    const eql::WildcardPattern glob(pattern, op.fold);
    const auto condition = eql::parse_condition(std::string("process.name ") + op.text + " " + eql_string(pattern));
    const auto requirement = rules::requirement(*condition.root);
    with_requirement += requirement.has_value();
    for (int t = 0; t < 8; ++t) {
      std::string value;
      for (const char* piece : pieces) {
        if (piece == std::string_view("*")) {
          for (uint32_t n = next(3); n > 0; --n) value += anything[next(std::size(anything))];
        } else if (piece == std::string_view("?")) {
          value += one_character[next(std::size(one_character))];
        } else {
          std::string literal = piece;
          if (next(3) == 0) {
            for (char& c : literal) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          }
          value += literal;
        }
      }
      // An event never has an empty name (the field registry reads "" as
      // absent), so no rule can match one, through the index or not.
      if (!glob.matches(value) || value.empty()) continue;
      ++accepted;
      if (!admits(requirement, value) && ++hidden <= 10) {
        BOOST_TEST_MESSAGE("hidden: " << op.text << " '" << pattern << "' on '" << value << "'");
      }
      if (!indexed_as_candidate(*condition.root, value)) ++hidden_by_index;
    }
  }
  BOOST_TEST_MESSAGE(accepted << " matching values of random wildcards");
  BOOST_TEST(hidden == 0u);
  BOOST_TEST(hidden_by_index == 0u);
  BOOST_TEST(with_requirement > 500u);
  BOOST_TEST(accepted > 5000u);
}

BOOST_AUTO_TEST_SUITE_END()
