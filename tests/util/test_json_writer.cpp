#include <boost/test/unit_test.hpp>

#include "util/json_value.h"
#include "util/json_writer.h"

using auditeql::util::append_json_string;
using auditeql::util::JsonWriter;
using auditeql::util::parse_json;

namespace {

std::string quoted(std::string_view bytes) {
  std::string out;
  append_json_string(out, bytes);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_writer)

BOOST_AUTO_TEST_CASE(plain_ascii_is_copied) {
  BOOST_TEST(quoted("/usr/bin/cp") == "\"/usr/bin/cp\"");
  BOOST_TEST(quoted("") == "\"\"");
}

BOOST_AUTO_TEST_CASE(quotes_backslashes_and_controls_are_escaped) {
  BOOST_TEST(quoted("a\"b\\c") == "\"a\\\"b\\\\c\"");
  BOOST_TEST(quoted("new\nline\r\t") == "\"new\\nline\\r\\t\"");
  BOOST_TEST(quoted(std::string_view("\x01\x1d\x7f", 3)) == "\"\\u0001\\u001d\\u007f\"");
  BOOST_TEST(quoted(std::string_view("a\0b", 3)) == "\"a\\u0000b\"");
}

BOOST_AUTO_TEST_CASE(valid_utf8_is_kept_invalid_bytes_become_replacement_characters) {
  BOOST_TEST(quoted("\xc3\xbcn\xc3\xaf\xe6\x97\xa5") == "\"\xc3\xbcn\xc3\xaf\xe6\x97\xa5\"");
  BOOST_TEST(quoted("a\xff" "b") == "\"a\\ufffdb\"");
  BOOST_TEST(quoted("\xc3") == "\"\\ufffd\"");                 // truncated sequence
  BOOST_TEST(quoted("\xc0\xaf") == "\"\\ufffd\\ufffd\"");      // overlong '/'
  BOOST_TEST(quoted("\xed\xa0\x80") == "\"\\ufffd\\ufffd\\ufffd\"");  // UTF-16 surrogate
  BOOST_TEST(quoted("\xf4\x90\x80\x80") == "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // above U+10FFFF
}

BOOST_AUTO_TEST_CASE(javascript_line_separators_are_escaped) {
  BOOST_TEST(quoted("a\xe2\x80\xa8" "b\xe2\x80\xa9") == "\"a\\u2028b\\u2029\"");
}

BOOST_AUTO_TEST_CASE(every_byte_value_gives_one_line_of_parseable_json) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  const std::string json = quoted(all);
  BOOST_TEST(json.find('\n') == std::string::npos);
  BOOST_TEST(json.find('\r') == std::string::npos);
  const auto parsed = parse_json(json);
  BOOST_TEST(parsed.is_string());
  // The 128 ASCII bytes survive exactly.
  BOOST_TEST(parsed.as_string().substr(0, 128) == all.substr(0, 128));
}

BOOST_AUTO_TEST_CASE(writer_places_commas_and_nesting) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("a", int64_t{1});
  w.key("b");
  w.begin_array();
  w.string("x");
  w.begin_object();
  w.end_object();
  w.number(uint64_t{18446744073709551615ull});
  w.end_array();
  w.key("c");
  w.begin_object();
  w.field("d", true);
  w.key("e");
  w.null();
  w.end_object();
  w.field("f", "g");
  w.end_object();
  BOOST_TEST(out == R"({"a":1,"b":["x",{},18446744073709551615],"c":{"d":true,"e":null},"f":"g"})");
  BOOST_CHECK_NO_THROW(parse_json(out));
}

BOOST_AUTO_TEST_CASE(hostile_key_and_value_cannot_forge_fields) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("arg", "x\",\"rule.name\":\"forged");
  w.end_object();
  const auto doc = parse_json(out);
  BOOST_TEST(doc.as_object().size() == 1u);
  BOOST_TEST(doc.find("rule.name") == nullptr);
  BOOST_TEST(doc.find("arg")->as_string() == "x\",\"rule.name\":\"forged");
}

BOOST_AUTO_TEST_SUITE_END()
