// Compilation: positioned errors, field listing, and the function library
// checked against Elasticsearch's documented examples (constant-folded).
#include <boost/test/unit_test.hpp>
#include <string>

#include "eql_test_support.h"

using namespace auditeql::eql;
using eqltest::error_of;
using eqltest::matches;

namespace {

Error compile_error(std::string_view text) {
  return error_of([&] {
    DynamicSchema schema;
    compile(parse_query(text), schema);
  });
}

struct ErrorCase {
  const char* query;
  uint32_t line;
  uint32_t column;
  const char* message_part;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(eql_compile)

BOOST_AUTO_TEST_CASE(compile_errors_are_positioned) {
  const ErrorCase cases[] = {
      {"sequence [process where true] [file where true]", 1, 1, "sequence queries are not evaluated yet"},
      {"sample by host.id [process where true] [file where true]", 1, 1, "sample queries are not evaluated yet"},
      {"process where true | head 5", 1, 20, "pipes"},
      {"process where foo(process.name)", 1, 15, "unknown function 'foo'"},
      {"process where\n  startsWith(process.name)", 2, 3, "takes 2 arguments, got 1"},
      {"process where between(a)", 1, 15, "takes 3 to 4 arguments"},
      {"process where cidrMatch(a)", 1, 15, "at least 2 arguments"},
      {"process where length~(a) > 1", 1, 15, "no case-insensitive"},
      {"process where startsWith(process.name, 5)", 1, 40, "argument 2 of startsWith() must be a string"},
      {"process where add(\"1\", 2) == 3", 1, 19, "must be a number"},
      {"process where substring(a, 1.5) == \"x\"", 1, 28, "must be an integer"},
      {"process where cidrMatch(a, \"10.0.0.0/33\")", 1, 28, "invalid CIDR block"},
      {"process where cidrMatch(a, \"banana\")", 1, 28, "invalid CIDR block"},
      {"process where a regex \"a(b\"", 1, 23, "invalid regular expression"},
      {"process where a regex \"x{1001}\"", 1, 23, "repetition bound"},
      {"process where a regex \"(a{1000}){1000}\"", 1, 23, "too large"},
      {"process where \"abc\"", 1, 15, "expected a condition, found a string"},
      {"process where 42", 1, 15, "found a number"},
      {"process where length(process.name)", 1, 15, "returns a number, not a boolean"},
      {"process where a + 1", 1, 17, "not a condition"},
      {"process where a + \"x\" > 1", 1, 19, "needs numbers"},
  };
  for (const ErrorCase& c : cases) {
    BOOST_TEST_CONTEXT("query: " << c.query) {
      const Error e = compile_error(c.query);
      BOOST_TEST(e.pos.line == c.line);
      BOOST_TEST(e.pos.column == c.column);
      BOOST_TEST(e.detail.find(c.message_part) != std::string::npos, "message: " << e.detail);
    }
  }
}

BOOST_AUTO_TEST_CASE(fields_read_are_listed_once) {
  DynamicSchema schema;
  const CompiledQuery q = compile(parse_query(R"(process where process.name == "a" and
        ?process.working_directory == "b" and process.name : "c" and ?process.name != "d" and
        startsWith(?process.parent.name, "x") and ?only.optional == null)"),
                                  schema);
  const auto& fields = q.fields();
  BOOST_REQUIRE(fields.size() == 4u);
  BOOST_TEST(fields[0].name == "process.name");
  BOOST_TEST(fields[0].optional == false);  // mentioned without `?` too
  BOOST_TEST(fields[1].name == "process.working_directory");
  BOOST_TEST(fields[1].optional == true);
  BOOST_TEST(fields[2].name == "process.parent.name");
  BOOST_TEST(fields[3].name == "only.optional");
  BOOST_TEST(fields[3].optional == true);
  BOOST_TEST(schema.find("process.name").value() == fields[0].id);

  const CompiledQuery in = compile(parse_query("process where user.name in (process.parent.name, \"root\")"), schema);
  BOOST_REQUIRE(in.fields().size() == 2u);
  BOOST_TEST(in.fields()[0].name == "user.name");
  BOOST_TEST(in.fields()[1].name == "process.parent.name");
}

BOOST_AUTO_TEST_CASE(constant_conditions_fold) {
  DynamicSchema schema;
  BOOST_TEST(compile(parse_query("any where 1 < 2 and \"a\" : \"A\""), schema).fields().empty());
  BOOST_TEST(matches("1 < 2 and \"a\" : \"A\"", "{}") == true);
  BOOST_TEST(matches("false and missing == 1", "{}") == false);
  BOOST_TEST(matches("true or missing == 1", "{}") == true);
  BOOST_TEST(matches("\"x\" in (\"a\", missing, \"x\")", "{}") == true);
  BOOST_TEST(matches("not \"x\" in (\"a\")", "{}") == true);
}

// Elasticsearch's function reference examples, evaluated at compile time.
BOOST_AUTO_TEST_CASE(function_reference_examples) {
  const char* cases[] = {
      "add(4, 5) == 9",
      "add(4, 0.5) == 4.5",
      "add(-2, -2) == -4",
      "add(null, 4) == null",
      R"(between("C:\\Windows\\System32\\cmd.exe", "System32\\", ".exe") == "cmd")",
      R"(between("C:\\Windows\\System32\\cmd.exe", "system32\\", ".exe") == "")",
      R"(between~("C:\\Windows\\System32\\cmd.exe", "system32\\", ".exe") == "cmd")",
      R"(between("C:\\Windows\\System32\\cmd.exe", "\\", "\\", false) == "Windows")",
      R"(between("C:\\Windows\\System32\\cmd.exe", "\\", "\\", true) == "Windows\\System32")",
      R"(between("", "", "") == "")",
      R"(between(null, "a", "b") == null)",
      R"(cidrMatch("192.168.152.12", "192.168.0.0/16", "10.0.0.0/8"))",
      R"(not cidrMatch("192.168.152.12", "10.0.0.0/8", "10.128.0.0/9"))",
      R"(concat("process is ", "regsvr32.exe") == "process is regsvr32.exe")",
      R"(concat("regsvr32.exe", " ", 42) == "regsvr32.exe 42")",
      R"(concat("regsvr32.exe", " ", 42.5) == "regsvr32.exe 42.5")",
      R"(concat("regsvr32.exe", " ", true) == "regsvr32.exe true")",
      R"(concat(null, "x") == null)",
      "divide(4, 2) == 2",
      "divide(4, 3) == 1",
      "divide(4, 3.0) > 1.33 and divide(4, 3.0) < 1.34",
      "divide(0.5, 4) == 0.125",
      "divide(-4, -2) == 2",
      "divide(-7, 2) == -3",  // truncation toward zero, as in Java
      R"(endsWith("regsvr32.exe", ".exe"))",
      R"(not endsWith("regsvr32.exe", ".dll"))",
      R"(endsWith("", ""))",
      R"(indexOf("subdomain.example.com", ".") == 9)",
      R"(indexOf("subdomain.example.com", ".", 9) == 9)",
      R"(indexOf("subdomain.example.com", ".", 10) == 17)",
      R"(indexOf("subdomain.example.com", ".", -6) == 9)",
      R"(indexOf("", "") == 0)",
      R"(indexOf("subdomain.example.com", "", 10) == 10)",
      R"(indexOf("subdomain.example.com", "z") == null)",
      R"(indexOf("subdomain.example.com", ".", 30) == null)",
      R"(length("explorer.exe") == 12)",
      R"(length("") == 0)",
      "modulo(10, 6) == 4",
      "modulo(10, -6) == 4",
      "modulo(-10, -6) == -4",
      "modulo(10, 0.5) == 0",
      "multiply(0.25, 2) == 0.5",
      "multiply(-2, -2) == 4",
      R"(number("1337") == 1337)",
      R"(number("42.5") == 42.5)",
      R"(number("deadbeef", 16) == 3735928559)",
      R"(number("0xdeadbeef") == 3735928559)",
      R"(number("+1337") == 1337)",
      R"(number("-1337") == -1337)",
      R"(number("  1337  ") == 1337)",
      R"(number("0xdeadbeef", null) == 3735928559)",
      R"(number("not a number") == null)",
      R"(startsWith("regsvr32.exe", "regsvr32"))",
      R"(not startsWith("regsvr32.exe", "explorer"))",
      R"(startsWith~("REGSVR32.exe", "regsvr32"))",
      R"(string(42) == "42")",
      R"(string(42.5) == "42.5")",
      R"(string(true) == "true")",
      R"(string(1.0) == "1.0")",
      R"(stringContains("start regsvr32.exe", "regsvr32"))",
      R"(not stringContains("start regsvr32.exe", "explorer"))",
      R"(stringContains~("start REGSVR32.exe", "regsvr32"))",
      R"(substring("start regsvr32.exe", 6) == "regsvr32.exe")",
      R"(substring("start regsvr32.exe", 0, 5) == "start")",
      R"(substring("start regsvr32.exe", 6, 14) == "regsvr32")",
      R"(substring("start regsvr32.exe", -4) == ".exe")",
      R"(substring("start regsvr32.exe", -4, -1) == ".ex")",
      R"(substring("abc", 5) == "")",
      "subtract(10, 2) == 8",
      "subtract(10.5, 0.5) == 10",
      "subtract(-2, 4) == -6",
      "9223372036854775807 * 2 > 1e18",  // overflow continues in floating point
  };
  for (const char* c : cases) {
    BOOST_TEST_CONTEXT("condition: " << c) {
      BOOST_TEST(matches(c, "{}") == true);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
