#include "util/json_value.h"

#include <charconv>
#include <cmath>
#include <utility>

namespace auditeql::util {

// ---------------------------------------------------------------------------
// JsonError

namespace {

std::string position_message(const std::string& detail, uint32_t line, uint32_t column) {
  return "JSON " + std::to_string(line) + ":" + std::to_string(column) + ": " + detail;
}

}  // namespace

JsonError::JsonError(std::string detail_text, size_t byte_offset, uint32_t line_number, uint32_t column_number)
    : std::runtime_error(position_message(detail_text, line_number, column_number)),
      detail(std::move(detail_text)),
      offset(byte_offset),
      line(line_number),
      column(column_number) {}

// ---------------------------------------------------------------------------
// JsonValue

JsonValue::JsonValue() = default;
JsonValue::JsonValue(std::nullptr_t) {}
JsonValue::JsonValue(bool value) : value_(value) {}
JsonValue::JsonValue(Int64Tag, int64_t value) : value_(value) {}
JsonValue::JsonValue(double value) : value_(value) {}
JsonValue::JsonValue(std::string value) : value_(std::move(value)) {}
JsonValue::JsonValue(std::string_view value) : value_(std::string(value)) {}
JsonValue::JsonValue(const char* value) : value_(std::string(value)) {}
JsonValue::JsonValue(Array value) : value_(std::move(value)) {}
JsonValue::JsonValue(Object value) : value_(std::move(value)) {}
JsonValue::JsonValue(const JsonValue&) = default;
JsonValue::JsonValue(JsonValue&&) noexcept = default;
JsonValue& JsonValue::operator=(const JsonValue&) = default;
JsonValue& JsonValue::operator=(JsonValue&&) noexcept = default;
JsonValue::~JsonValue() = default;

namespace {

[[noreturn]] void wrong_type(const char* wanted) {
  throw std::logic_error(std::string("JSON value is not ") + wanted);
}

}  // namespace

bool JsonValue::as_bool() const {
  if (!is_bool()) wrong_type("a boolean");
  return std::get<bool>(value_);
}

int64_t JsonValue::as_int() const {
  if (!is_int()) wrong_type("an integer");
  return std::get<int64_t>(value_);
}

double JsonValue::as_double() const {
  if (is_int()) return static_cast<double>(std::get<int64_t>(value_));
  if (!is_double()) wrong_type("a number");
  return std::get<double>(value_);
}

const std::string& JsonValue::as_string() const {
  if (!is_string()) wrong_type("a string");
  return std::get<std::string>(value_);
}

const JsonValue::Array& JsonValue::as_array() const {
  if (!is_array()) wrong_type("an array");
  return std::get<Array>(value_);
}

const JsonValue::Object& JsonValue::as_object() const {
  if (!is_object()) wrong_type("an object");
  return std::get<Object>(value_);
}

JsonValue::Array& JsonValue::as_array() {
  if (!is_array()) wrong_type("an array");
  return std::get<Array>(value_);
}

JsonValue::Object& JsonValue::as_object() {
  if (!is_object()) wrong_type("an object");
  return std::get<Object>(value_);
}

const JsonValue* JsonValue::find(std::string_view key) const {
  if (!is_object()) return nullptr;
  const Object& members = std::get<Object>(value_);
  for (auto it = members.rbegin(); it != members.rend(); ++it) {
    if (it->key == key) return &it->value;
  }
  return nullptr;
}

bool operator==(const JsonValue& a, const JsonValue& b) {
  return a.value_ == b.value_;
}

void JsonValue::dump_to(std::string& out) const {
  switch (type()) {
    case Type::Null:
      out += "null";
      break;
    case Type::Bool:
      out += std::get<bool>(value_) ? "true" : "false";
      break;
    case Type::Int:
      out += std::to_string(std::get<int64_t>(value_));
      break;
    case Type::Double: {
      const double d = std::get<double>(value_);
      if (!std::isfinite(d)) {  // JSON has no spelling for these
        out += "null";
        break;
      }
      char buffer[32];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
      std::string_view text(buffer, static_cast<size_t>(end - buffer));
      out += text;
      // Keep doubles recognisable as doubles when read back.
      if (text.find_first_of(".eE") == std::string_view::npos) out += ".0";
      break;
    }
    case Type::String:
      append_json_string(out, std::get<std::string>(value_));
      break;
    case Type::Array: {
      out.push_back('[');
      bool first = true;
      for (const JsonValue& item : std::get<Array>(value_)) {
        if (!first) out.push_back(',');
        first = false;
        item.dump_to(out);
      }
      out.push_back(']');
      break;
    }
    case Type::Object: {
      out.push_back('{');
      bool first = true;
      for (const JsonMember& member : std::get<Object>(value_)) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, member.key);
        out.push_back(':');
        member.value.dump_to(out);
      }
      out.push_back('}');
      break;
    }
  }
}

std::string JsonValue::dump() const {
  std::string out;
  dump_to(out);
  return out;
}

// ---------------------------------------------------------------------------
// Parser

namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  JsonValue parse_document() {
    skip_whitespace();
    if (at_end()) fail("empty input, expected a JSON value");
    JsonValue value = parse_value(0);
    skip_whitespace();
    if (!at_end()) fail("unexpected data after the JSON value");
    return value;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  [[noreturn]] void fail(const std::string& detail) const { fail_at(pos_, detail); }

  [[noreturn]] void fail_at(size_t offset, const std::string& detail) const {
    // Positions are only needed on failure, so they are computed here
    // rather than tracked while scanning.
    uint32_t line = 1;
    uint32_t column = 1;
    const size_t end = offset < text_.size() ? offset : text_.size();
    for (size_t i = 0; i < end; ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw JsonError(detail, offset, line, column);
  }

  void skip_whitespace() {
    while (!at_end()) {
      const char c = peek();
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }

  void expect_literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) fail("invalid literal");
    pos_ += word.size();
  }

  JsonValue parse_value(int depth) {
    if (at_end()) fail("unexpected end of input, expected a value");
    switch (peek()) {
      case '{':
        return parse_object(depth + 1);
      case '[':
        return parse_array(depth + 1);
      case '"':
        return JsonValue(parse_string());
      case 't':
        expect_literal("true");
        return JsonValue(true);
      case 'f':
        expect_literal("false");
        return JsonValue(false);
      case 'n':
        expect_literal("null");
        return JsonValue();
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return parse_number();
        fail("unexpected character, expected a value");
    }
  }

  void check_depth(int depth) const {
    if (depth > kMaxJsonDepth) fail("nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }

  JsonValue parse_array(int depth) {
    check_depth(depth);
    ++pos_;  // '['
    JsonValue::Array items;
    skip_whitespace();
    if (!at_end() && peek() == ']') {
      ++pos_;
      return JsonValue(std::move(items));
    }
    while (true) {
      skip_whitespace();
      items.push_back(parse_value(depth));
      skip_whitespace();
      if (at_end()) fail("unterminated array");
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        return JsonValue(std::move(items));
      }
      fail("expected ',' or ']' in array");
    }
  }

  JsonValue parse_object(int depth) {
    check_depth(depth);
    ++pos_;  // '{'
    JsonValue::Object members;
    skip_whitespace();
    if (!at_end() && peek() == '}') {
      ++pos_;
      return JsonValue(std::move(members));
    }
    while (true) {
      skip_whitespace();
      if (at_end() || peek() != '"') fail("expected a string key in object");
      std::string key = parse_string();
      skip_whitespace();
      if (at_end() || peek() != ':') fail("expected ':' after object key");
      ++pos_;
      skip_whitespace();
      JsonValue value = parse_value(depth);
      members.push_back(JsonMember{std::move(key), std::move(value)});
      skip_whitespace();
      if (at_end()) fail("unterminated object");
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return JsonValue(std::move(members));
      }
      fail("expected ',' or '}' in object");
    }
  }

  JsonValue parse_number() {
    const size_t start = pos_;
    bool integral = true;
    if (peek() == '-') ++pos_;
    if (at_end()) fail("invalid number");
    if (peek() == '0') {
      ++pos_;
    } else if (peek() >= '1' && peek() <= '9') {
      while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
    } else {
      fail("invalid number");
    }
    if (!at_end() && peek() == '.') {
      integral = false;
      ++pos_;
      if (at_end() || peek() < '0' || peek() > '9') fail("expected digits after decimal point");
      while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      integral = false;
      ++pos_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      if (at_end() || peek() < '0' || peek() > '9') fail("expected digits in exponent");
      while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (integral) {
      int64_t value = 0;
      auto [ptr, ec] = std::from_chars(first, last, value);
      if (ec == std::errc() && ptr == last) return JsonValue(value);
      // Too large for int64: fall through to a double, as most JSON
      // consumers would.
    }
    double value = 0;
    auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec == std::errc::result_out_of_range) fail_at(start, "number out of range");
    if (ec != std::errc() || ptr != last) fail_at(start, "invalid number");
    return JsonValue(value);
  }

  static void append_utf8(std::string& out, uint32_t code_point) {
    if (code_point < 0x80) {
      out.push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
      out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else if (code_point < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    }
  }

  uint32_t parse_hex4() {
    if (text_.size() - pos_ < 4) fail("truncated \\u escape");
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_ + i];
      value <<= 4;
      if (c >= '0' && c <= '9')
        value |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        value |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        value |= static_cast<uint32_t>(c - 'A' + 10);
      else
        fail_at(pos_ + i, "invalid hex digit in \\u escape");
    }
    pos_ += 4;
    return value;
  }

  void parse_unicode_escape(std::string& out) {
    const size_t escape_start = pos_ - 2;  // at the backslash
    uint32_t code_point = parse_hex4();
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
      if (text_.substr(pos_, 2) != "\\u") fail_at(escape_start, "unpaired high surrogate in \\u escape");
      pos_ += 2;
      const uint32_t low = parse_hex4();
      if (low < 0xDC00 || low > 0xDFFF) fail_at(escape_start, "invalid low surrogate in \\u escape");
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
    } else if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
      fail_at(escape_start, "unpaired low surrogate in \\u escape");
    }
    append_utf8(out, code_point);
  }

  // Copies one UTF-8 encoded character starting at pos_, rejecting
  // malformed, overlong and surrogate encodings.
  void copy_utf8_sequence(std::string& out) {
    const auto lead = static_cast<unsigned char>(peek());
    size_t length = 0;
    uint32_t code_point = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code_point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code_point = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      fail("invalid UTF-8 in string");
    }
    if (text_.size() - pos_ < length) fail("truncated UTF-8 sequence in string");
    for (size_t i = 1; i < length; ++i) {
      const auto byte = static_cast<unsigned char>(text_[pos_ + i]);
      if ((byte & 0xC0) != 0x80) fail("invalid UTF-8 in string");
      code_point = (code_point << 6) | (byte & 0x3F);
    }
    const bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (overlong || surrogate || code_point > 0x10FFFF) fail("invalid UTF-8 in string");
    out.append(text_.data() + pos_, length);
    pos_ += length;
  }

  std::string parse_string() {
    const size_t start = pos_;
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      // Copy the longest run of bytes that need no attention in one go.
      const size_t run_start = pos_;
      while (!at_end()) {
        const auto byte = static_cast<unsigned char>(peek());
        if (byte == '"' || byte == '\\' || byte < 0x20 || byte >= 0x80) break;
        ++pos_;
      }
      out.append(text_.data() + run_start, pos_ - run_start);
      if (at_end()) fail_at(start, "unterminated string");
      const auto byte = static_cast<unsigned char>(peek());
      if (byte == '"') {
        ++pos_;
        return out;
      }
      if (byte < 0x20) fail("control character in string (must be escaped)");
      if (byte >= 0x80) {
        copy_utf8_sequence(out);
        continue;
      }
      // Backslash escape.
      ++pos_;
      if (at_end()) fail_at(start, "unterminated string");
      const char escape = peek();
      ++pos_;
      switch (escape) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u':
          parse_unicode_escape(out);
          break;
        default:
          fail_at(pos_ - 2, "invalid escape sequence in string");
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

JsonValue parse_json(std::string_view text) {
  return Parser(text).parse_document();
}

}  // namespace auditeql::util
