// Lexer and parser: structure of parsed queries and positioned syntax errors.
#include <boost/test/unit_test.hpp>
#include <string>

#include "eql/lexer.h"
#include "eql_test_support.h"

using namespace auditeql::eql;
using eqltest::error_of;

namespace {

std::string cond(std::string_view text) {
  return describe(*parse_condition(text).root);
}
std::string query(std::string_view text) {
  return describe(parse_query(text));
}

Error parse_error(std::string_view text) {
  return error_of([&] { parse_query(text); });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(eql_parser)

BOOST_AUTO_TEST_CASE(event_query_structure) {
  const Query q = parse_query(R"(process where process.name == "cp" and event.type in ("start", "info"))");
  BOOST_TEST(static_cast<int>(q.kind) == static_cast<int>(QueryKind::Event));
  BOOST_TEST(q.event.category == "process");
  BOOST_TEST(!q.event.any_category());
  BOOST_TEST(describe(*q.event.condition.root) == R"((and (== process.name "cp") (in event.type ["start" "info"])))");
  BOOST_TEST(parse_query("any where true").event.any_category());
  BOOST_TEST(parse_query(R"("my-category" where true)").event.category == "my-category");
}

BOOST_AUTO_TEST_CASE(operator_precedence_and_flattening) {
  BOOST_TEST(cond("a == 1 or b == 2 and not c == 3") == "(or (== a 1) (and (== b 2) (not (== c 3))))");
  BOOST_TEST(cond("(a == 1 or b == 2) and c == 3") == "(and (or (== a 1) (== b 2)) (== c 3))");
  BOOST_TEST(cond("a == 1 and (b == 2 and c == 3) and d == 4") == "(and (== a 1) (== b 2) (== c 3) (== d 4))");
  BOOST_TEST(cond("not x in (1, 2)") == "(not (in x [1 2]))");
  BOOST_TEST(cond("x not in (1, 2)") == "(not-in x [1 2])");
  BOOST_TEST(cond("x not in~ (\"A\")") == "(not-in~ x [\"A\"])");
  BOOST_TEST(cond("not not x") == "(not (not x))");
  BOOST_TEST(cond("a + b * c - 1 > 2") == "(> (- (+ a (* b c)) 1) 2)");
  BOOST_TEST(cond("-5 < -x") == "(< -5 (- 0 x))");
}

BOOST_AUTO_TEST_CASE(all_operators) {
  BOOST_TEST(cond("a != 1") == "(!= a 1)");
  BOOST_TEST(cond("a <= 1.5") == "(<= a 1.5)");
  BOOST_TEST(cond("a >= 2e3") == "(>= a 2000.0)");
  BOOST_TEST(cond("a < .5") == "(< a 0.5)");
  BOOST_TEST(cond("a > -1") == "(> a -1)");
  BOOST_TEST(cond("a : \"x*\"") == R"((like~ a ["x*"]))");
  BOOST_TEST(cond("a : (\"x\", \"y*\")") == R"((like~ a ["x" "y*"]))");
  BOOST_TEST(cond("a like \"x\"") == R"((like a ["x"]))");
  BOOST_TEST(cond("a like~ (\"a*\", \"b*\")") == R"((like~ a ["a*" "b*"]))");
  BOOST_TEST(cond("a regex \"x.*\"") == R"((regex a ["x.*"]))");
  BOOST_TEST(cond("a regex~ (\"a\", \"b\")") == R"((regex~ a ["a" "b"]))");
  BOOST_TEST(cond("a in~ (\"x\")") == R"((in~ a ["x"]))");
  BOOST_TEST(cond("a in \"x\"") == R"((in a ["x"]))");  // lenient: single value
  BOOST_TEST(cond("a == null and b == true and c != false") == "(and (== a null) (== b true) (!= c false))");
}

BOOST_AUTO_TEST_CASE(keywords_are_case_insensitive) {
  BOOST_TEST(query("process WHERE a == 1 AND NOT b == 2 Or c IN (3)") ==
             "process where (or (and (== a 1) (not (== b 2))) (in c [3]))");
  BOOST_TEST(cond("a LIKE~ \"x\"") == R"((like~ a ["x"]))");
}

BOOST_AUTO_TEST_CASE(field_names) {
  BOOST_TEST(cond("@timestamp > 0") == "(> @timestamp 0)");
  BOOST_TEST(cond("process.pe.original_file_name == \"x\"") == R"((== process.pe.original_file_name "x"))");
  BOOST_TEST(cond("_under.score_1 == 1") == "(== _under.score_1 1)");
  BOOST_TEST(cond("?process.working_directory == null") == "(== ?process.working_directory null)");
  BOOST_TEST(cond("`kubernetes.audit.user.extra.authentication.kubernetes.io/pod-name` != null") ==
             "(!= kubernetes.audit.user.extra.authentication.kubernetes.io/pod-name null)");
  BOOST_TEST(cond("a.`b-c`.d == 1") == "(== a.b-c.d 1)");
  BOOST_TEST(cond("`my``field` == 1") == "(== my`field 1)");
  BOOST_TEST(cond("event.sequence > 1") == "(> event.sequence 1)");  // keywords fine after a dot
  BOOST_TEST(cond("?`x y` == 1") == "(== ?x y 1)");
}

BOOST_AUTO_TEST_CASE(strings_escapes_and_raw_strings) {
  const auto value_of = [](std::string_view text) {
    return *parse_condition(std::string("x == ") + std::string(text))
                .root->as<Comparison>()
                ->right->as<Literal>()
                ->string();
  };
  BOOST_TEST(value_of(R"("a\nb\tc\rd\\e\"f")") == "a\nb\tc\rd\\e\"f");
  BOOST_TEST(value_of(R"("\u{41}\u{e9}\u{0001F600}")") == "A\xC3\xA9\xF0\x9F\x98\x80");
  BOOST_TEST(value_of(R"("""C:\Windows\*.exe""")") == R"(C:\Windows\*.exe)");
  BOOST_TEST(value_of(R"("""say "hi" \n""")") == R"(say "hi" \n)");
  BOOST_TEST(value_of(R"(""""quoted"""")") == "\"quoted\"");  // quotes next to the delimiters belong to the value
  BOOST_TEST(value_of(R"("")") == "");
  BOOST_TEST(value_of(R"("""""")") == "");
  BOOST_TEST(value_of("\"caf\xC3\xA9\"") == "caf\xC3\xA9");
}

BOOST_AUTO_TEST_CASE(comments) {
  BOOST_TEST(query("process where // trailing comment\n  a == 1 /* inline */ and /* multi\nline */ b == 2") ==
             "process where (and (== a 1) (== b 2))");
  BOOST_TEST(query("/* leading */ process where /* nested /* inner */ still comment */ true") == "process where true");
  BOOST_TEST(query("process where a == \"// not a comment\"") == R"(process where (== a "// not a comment"))");
  BOOST_TEST(query("process where a == \"/* not a comment */\"") == R"(process where (== a "/* not a comment */"))");
}

BOOST_AUTO_TEST_CASE(function_calls) {
  BOOST_TEST(cond("startsWith~(process.name, \"x\")") == R"((startsWith~ process.name "x"))");
  BOOST_TEST(cond("cidrmatch(destination.ip, \"10.0.0.0/8\", \"::1\")") ==
             R"((cidrmatch destination.ip "10.0.0.0/8" "::1"))");
  BOOST_TEST(cond("length(string(x)) > 3") == "(> (length (string x)) 3)");
  BOOST_TEST(cond("f()") == "(f)");
}

BOOST_AUTO_TEST_CASE(sequence_structure) {
  const Query q = parse_query(R"(
        sequence by host.id, process.entity_id with maxspan=30s
          [process where event.type == "start"] by process.pid
          [file where true] by process.parent.pid with runs=3
          ![network where true]
        until [process where event.type == "end"]
    )");
  BOOST_TEST(static_cast<int>(q.kind) == static_cast<int>(QueryKind::Sequence));
  BOOST_REQUIRE(q.maxspan.has_value());
  BOOST_TEST(q.maxspan->milliseconds == 30000);
  BOOST_TEST(q.maxspan->text == "30s");
  BOOST_TEST(q.by.size() == 2u);
  BOOST_REQUIRE(q.stages.size() == 3u);
  BOOST_TEST(q.stages[0].filter.category == "process");
  BOOST_TEST(describe(*q.stages[0].by[0]) == "process.pid");
  BOOST_TEST(q.stages[1].runs.value_or(0) == 3u);
  BOOST_TEST(q.stages[2].missing);
  BOOST_REQUIRE(q.until.has_value());
  BOOST_TEST(q.until->filter.category == "process");
  BOOST_TEST(parse_query("sequence with maxspan=5m [a where true] [b where true]").maxspan->milliseconds == 300000);
  BOOST_TEST(parse_query("sequence with maxspan=500ms [a where true] [b where true]").maxspan->milliseconds == 500);
  BOOST_TEST(parse_query("sequence with maxspan=1.5h [a where true] [b where true]").maxspan->milliseconds == 5400000);
  BOOST_TEST(parse_query("sequence [a where true] [b where true]").maxspan.has_value() == false);
  // One stage repeated with runs is a valid sequence.
  const Query runs = parse_query("sequence by host.id [authentication where true] with runs = 60");
  BOOST_REQUIRE(runs.stages.size() == 1u);
  BOOST_TEST(runs.stages[0].runs.value_or(0) == 60u);
}

BOOST_AUTO_TEST_CASE(sample_structure) {
  const Query q = parse_query("sample by host.id, process.pid [process where true] [network where true] by x");
  BOOST_TEST(static_cast<int>(q.kind) == static_cast<int>(QueryKind::Sample));
  BOOST_TEST(q.by.size() == 2u);
  BOOST_TEST(q.stages.size() == 2u);
  BOOST_TEST(q.stages[1].by.size() == 1u);
}

BOOST_AUTO_TEST_CASE(pipes_are_parsed) {
  const Query q = parse_query("process where true | head 5 | tail 2");
  BOOST_REQUIRE(q.pipes.size() == 2u);
  BOOST_TEST(q.pipes[0].name == "head");
  BOOST_TEST(describe(*q.pipes[1].args[0]) == "2");
}

BOOST_AUTO_TEST_CASE(lexer_positions_count_characters) {
  const auto tokens = tokenize("a\n  \"\xC3\xA9\xC3\xA9\" b");
  BOOST_REQUIRE(tokens.size() == 4u);
  BOOST_TEST(tokens[1].pos.line == 2u);
  BOOST_TEST(tokens[1].pos.column == 3u);
  BOOST_TEST(tokens[2].pos.column == 8u);  // two 2-byte characters count as two columns
  BOOST_TEST(tokens[2].pos.offset == 11u);
}

struct ErrorCase {
  const char* text;
  uint32_t line;
  uint32_t column;
  const char* message_part;
};

BOOST_AUTO_TEST_CASE(syntax_errors_are_positioned) {
  const ErrorCase cases[] = {
      {"process where a == 'x'", 1, 20, "single-quoted"},
      {"process where a == ?\"x\"", 1, 20, "raw strings"},
      {"process where a == \"bad \\d escape\"", 1, 25, "invalid escape"},
      {"process where a == \"\\u{zz}\"", 1, 21, "unicode escape"},
      {"process where a == \"unterminated", 1, 20, "unterminated string"},
      {"process where a == \"\"\"raw\nstring\"\"\"", 1, 20, "unterminated raw string"},
      {"process where a = 1", 1, 17, "'=' is not an EQL operator"},
      {"process where a < b < c", 1, 21, "chained"},
      {"process where a not like \"x\"", 1, 17, "'not' can only precede 'in'"},
      {"process where a == ", 1, 20, "expected a value"},
      {"process where (a == 1", 1, 15, "unclosed '('"},  // at the '(' left open, not the end
      {"process where f(a\n\n", 1, 16, "unclosed '('"},
      {"sequence [a where true]\n  [b where c in (1, 2)\n", 2, 3, "unclosed '['"},
      {"process where a ==\n  \n", 1, 19, "expected a value"},  // on the line of the last token
      {"process where a in ()", 1, 21, "empty list"},
      {"process where a like b", 1, 22, "string pattern"},
      {"process a == 1", 1, 9, "'where'"},
      {"where a == 1", 1, 1, "event category"},
      {"process where a == 1 b", 1, 22, "after the end"},
      {"process where a == 1 /* open", 1, 22, "unterminated /*"},
      {"process where a # 1", 1, 17, "unexpected character"},
      {"process where and", 1, 15, "keyword 'and'"},
      {"process where a.", 1, 17, "after '.'"},
      {"process where ?1", 1, 16, "field name after '?'"},
      {"process where `unterminated", 1, 15, "unterminated `quoted`"},
      {"process where 99999999999999999999 > 1", 1, 15, "too large"},
      {"sequence [a where true]", 1, 24, "at least two"},
      {"sequence with maxspan=5 [a where true] [b where true]", 1, 23, "time unit"},
      {"sequence with maxspan=5y [a where true] [b where true]", 1, 24, "unknown time unit"},
      {"sequence with maxspan=5m by x [a where true] [b where true]", 1, 26, "'by' before"},
      {"sequence [a where true] with runs=0 [b where true]", 1, 35, "positive integer"},
      {"sample by x [a where true] with runs=2 [b where true]", 1, 13, "only allowed in sequences"},
      {"sample ![a where true] [b where true]", 1, 8, "missing-event"},
      {"join [a where true] [b where true]", 1, 1, "join"},
      {"process where descendant of [process where true]", 1, 26, "lineage"},
  };
  for (const ErrorCase& c : cases) {
    BOOST_TEST_CONTEXT("query: " << c.text) {
      const Error e = parse_error(c.text);
      BOOST_TEST(e.pos.line == c.line);
      BOOST_TEST(e.pos.column == c.column);
      BOOST_TEST(e.detail.find(c.message_part) != std::string::npos, "message: " << e.detail);
    }
  }
}

BOOST_AUTO_TEST_CASE(error_three_lines_into_a_query_reports_line_three) {
  const std::string text = "process where\n  process.name == \"cp\" and\n  process.args ==== \"x\"";
  const Error e = parse_error(text);
  BOOST_TEST(e.pos.line == 3u);
  BOOST_TEST(e.pos.column == 18u);
  BOOST_TEST(format_error(e, text, "rule.eql") ==
             "rule.eql:3:18: error: expected a value (field, literal or function call), found '=='\n"
             "  process.args ==== \"x\"\n"
             "                 ^");
  // Embedded at line 10, column 8 of a YAML file: only line 1 gets the column shift.
  BOOST_TEST(format_error(e, text, "rules.yaml", 9, 7).rfind("rules.yaml:12:18: error:", 0) == 0);
  const Error first = parse_error("process where a = 1");
  BOOST_TEST(format_error(first, "process where a = 1", "r.yaml", 9, 7).rfind("r.yaml:10:24: error:", 0) == 0);
}

BOOST_AUTO_TEST_CASE(format_error_aligns_caret_after_tabs_and_utf8) {
  const std::string text = "process where\n\tx == \"\xC3\xA9\" = 1";
  const Error e = parse_error(text);
  BOOST_TEST(e.pos.line == 2u);
  BOOST_TEST(e.pos.column == 11u);
  BOOST_TEST(format_error(e, text, "q") == "q:2:11: error: " + e.detail + "\n\tx == \"\xC3\xA9\" = 1\n\t         ^");
}

BOOST_AUTO_TEST_CASE(hostile_nesting_fails_cleanly) {
  const std::string deep = "process where " + std::string(100000, '(') + "true" + std::string(100000, ')');
  const Error e = parse_error(deep);
  BOOST_TEST(e.detail.find("nested") != std::string::npos);
  const std::string nots = "process where " + [] {
    std::string s;
    for (int i = 0; i < 50000; ++i) s += "not ";
    return s;
  }() + "true";
  BOOST_TEST(parse_error(nots).detail.find("nested") != std::string::npos);
  std::string sum = "process where 1";
  for (int i = 0; i < 100000; ++i) sum += " + 1";
  BOOST_TEST(parse_error(sum + " > 0").detail.find("nested") != std::string::npos);
  const std::string ok = "process where " + std::string(150, '(') + "true" + std::string(150, ')');
  BOOST_CHECK_NO_THROW(parse_query(ok));
}

BOOST_AUTO_TEST_CASE(parse_condition_for_exceptions) {
  BOOST_TEST(describe(*parse_condition(R"(process.parent.executable == "/opt/x")").root) ==
             R"((== process.parent.executable "/opt/x"))");
  const Error e = error_of([] { parse_condition("a == 1 )"); });
  BOOST_TEST(e.pos.column == 8u);
}

BOOST_AUTO_TEST_SUITE_END()
