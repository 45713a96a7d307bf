#include <boost/test/unit_test.hpp>
#include <string>

#include "util/json_value.h"

using auditeql::util::JsonError;
using auditeql::util::JsonValue;
using auditeql::util::parse_json;

BOOST_AUTO_TEST_SUITE(json_value)

BOOST_AUTO_TEST_CASE(parses_scalars) {
  BOOST_TEST(parse_json("null").is_null());
  BOOST_TEST(parse_json("true").as_bool() == true);
  BOOST_TEST(parse_json(" false ").as_bool() == false);
  BOOST_TEST(parse_json("0").as_int() == 0);
  BOOST_TEST(parse_json("-42").as_int() == -42);
  BOOST_TEST(parse_json("9223372036854775807").as_int() == INT64_MAX);
  BOOST_TEST(parse_json("-9223372036854775808").as_int() == INT64_MIN);
  BOOST_TEST(parse_json("1.5").as_double() == 1.5);
  BOOST_TEST(parse_json("-2.5e3").as_double() == -2500.0);
  BOOST_TEST(parse_json("1E2").is_double());
  BOOST_TEST(parse_json("\"hi\"").as_string() == "hi");
}

BOOST_AUTO_TEST_CASE(integers_too_large_for_int64_become_doubles) {
  const JsonValue v = parse_json("18446744073709551616");
  BOOST_TEST(v.is_double());
  BOOST_TEST(v.as_double() == 18446744073709551616.0);
}

BOOST_AUTO_TEST_CASE(objects_keep_insertion_order_and_find_returns_last_duplicate) {
  const JsonValue v = parse_json(R"({"z":1,"a":{"b":[1,2,{"c":null}]},"z":3})");
  const auto& members = v.as_object();
  BOOST_TEST(members.size() == 3u);
  BOOST_TEST(members[0].key == "z");
  BOOST_TEST(members[1].key == "a");
  BOOST_TEST(v.find("z")->as_int() == 3);
  BOOST_TEST(v.find("missing") == nullptr);
  const JsonValue& array = *v.find("a")->find("b");
  BOOST_TEST(array.as_array().size() == 3u);
  BOOST_TEST(array.as_array()[2].find("c")->is_null());
  BOOST_TEST(parse_json("[]").as_array().empty());
  BOOST_TEST(parse_json("{}").as_object().empty());
}

BOOST_AUTO_TEST_CASE(decodes_escapes_and_surrogate_pairs) {
  BOOST_TEST(parse_json(R"("a\"b\\c\/d\n\t\r\b\f")").as_string() == "a\"b\\c/d\n\t\r\b\f");
  BOOST_TEST(parse_json(R"("\u0041\u00e9\u20ac")").as_string() == "A\xC3\xA9\xE2\x82\xAC");
  BOOST_TEST(parse_json(R"("\ud83d\ude00")").as_string() == "\xF0\x9F\x98\x80");  // U+1F600
  BOOST_TEST(parse_json("\"caf\xC3\xA9\"").as_string() == "caf\xC3\xA9");         // raw UTF-8 passes
}

BOOST_AUTO_TEST_CASE(rejects_invalid_input_with_position) {
  const char* bad[] = {
      "",
      "   ",
      "nul",
      "tru",
      "01",
      "1.",
      ".5",
      "-",
      "+1",
      "1e",
      "[1,]",
      "[1 2]",
      "{\"a\"}",
      "{a:1}",
      "{\"a\":1,}",
      "\"abc",
      "\"a\\x\"",
      "\"\\ud83d\"",
      "\"\\ude00\"",
      "\"\\u12\"",
      "[1] 2",
      "'a'",
      "\"\x01\"",
      "\"\xC3\"",
      "\"\xC0\xAF\"",
      "\"\xED\xA0\x80\"",
      "NaN",
      "Infinity",
  };
  for (const char* text : bad) {
    BOOST_TEST_CONTEXT("input: " << text) {
      BOOST_CHECK_THROW(parse_json(text), JsonError);
    }
  }
}

BOOST_AUTO_TEST_CASE(error_reports_line_and_column) {
  try {
    parse_json("{\n  \"a\": 1,\n  \"b\": tru\n}");
    BOOST_FAIL("expected JsonError");
  } catch (const JsonError& e) {
    BOOST_TEST(e.line == 3u);
    BOOST_TEST(e.column == 8u);
    BOOST_TEST(e.offset == 19u);
    BOOST_TEST(std::string(e.what()).find("3:8") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(depth_limit_stops_hostile_nesting) {
  const std::string ok = std::string(256, '[') + std::string(256, ']');
  BOOST_CHECK_NO_THROW(parse_json(ok));
  const std::string deep = std::string(257, '[') + std::string(257, ']');
  BOOST_CHECK_THROW(parse_json(deep), JsonError);
  const std::string very_deep(1'000'000, '[');  // must fail cleanly, not crash
  BOOST_CHECK_THROW(parse_json(very_deep), JsonError);
}

BOOST_AUTO_TEST_CASE(dump_round_trips) {
  const std::string text = R"({"a":[1,-2.5,true,false,null],"b":"x\"y\n\u0001","c":{}})";
  const JsonValue v = parse_json(text);
  BOOST_TEST(v.dump() == R"({"a":[1,-2.5,true,false,null],"b":"x\"y\n\u0001","c":{}})");
  BOOST_TEST((parse_json(v.dump()) == v));
  BOOST_TEST(JsonValue(2.0).dump() == "2.0");
}

BOOST_AUTO_TEST_CASE(typed_access_checks_type) {
  const JsonValue v = parse_json("\"s\"");
  BOOST_CHECK_THROW(v.as_int(), std::logic_error);
  BOOST_CHECK_THROW(v.as_object(), std::logic_error);
  BOOST_TEST(parse_json("3").as_double() == 3.0);
}

BOOST_AUTO_TEST_SUITE_END()
