// A small, strict JSON document model and parser.
//
// parse_json() accepts exactly RFC 8259 JSON (UTF-8, no comments, no trailing
// commas) and builds a JsonValue tree. Objects keep their members in input
// order; integers that fit in int64 stay integers, everything else numeric is
// a double. Nesting is limited so hostile input cannot exhaust the stack.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/json_writer.h"

namespace auditeql::util {

// Thrown by parse_json(); carries where the input went wrong.
class JsonError : public std::runtime_error {
 public:
  JsonError(std::string detail, size_t offset, uint32_t line, uint32_t column);

  std::string detail;  // what is wrong, without the position
  size_t offset;       // byte offset into the input
  uint32_t line;       // 1-based
  uint32_t column;     // 1-based, in bytes
};

struct JsonMember;

class JsonValue {
 public:
  enum class Type : uint8_t { Null, Bool, Int, Double, String, Array, Object };
  using Array = std::vector<JsonValue>;
  using Object = std::vector<JsonMember>;  // insertion order, duplicates kept

  JsonValue();
  JsonValue(std::nullptr_t);
  JsonValue(bool value);
  template <std::integral T>
  requires(!std::same_as<T, bool>) JsonValue(T value) : JsonValue(Int64Tag{}, static_cast<int64_t>(value)) {}
  JsonValue(double value);
  JsonValue(std::string value);
  JsonValue(std::string_view value);
  JsonValue(const char* value);
  JsonValue(Array value);
  JsonValue(Object value);

  JsonValue(const JsonValue&);
  JsonValue(JsonValue&&) noexcept;
  JsonValue& operator=(const JsonValue&);
  JsonValue& operator=(JsonValue&&) noexcept;
  ~JsonValue();

  Type type() const { return static_cast<Type>(value_.index()); }
  bool is_null() const { return type() == Type::Null; }
  bool is_bool() const { return type() == Type::Bool; }
  bool is_int() const { return type() == Type::Int; }
  bool is_double() const { return type() == Type::Double; }
  bool is_number() const { return is_int() || is_double(); }
  bool is_string() const { return type() == Type::String; }
  bool is_array() const { return type() == Type::Array; }
  bool is_object() const { return type() == Type::Object; }

  // Typed access; each throws std::logic_error when the type does not match.
  bool as_bool() const;
  int64_t as_int() const;
  double as_double() const;  // also accepts integers
  const std::string& as_string() const;
  const Array& as_array() const;
  const Object& as_object() const;
  Array& as_array();
  Object& as_object();

  // Member lookup on objects: the last member with that key (as JavaScript
  // would see it), or nullptr when absent or when this is not an object.
  const JsonValue* find(std::string_view key) const;

  // Compact serialisation (no whitespace); strings are escaped so that the
  // output is valid JSON again.
  std::string dump() const;
  void dump_to(std::string& out) const;

  friend bool operator==(const JsonValue& a, const JsonValue& b);

 private:
  struct Int64Tag {};
  JsonValue(Int64Tag, int64_t value);

  std::variant<std::monostate, bool, int64_t, double, std::string, Array, Object> value_;
};

struct JsonMember {
  std::string key;
  JsonValue value;

  friend bool operator==(const JsonMember&, const JsonMember&) = default;
};

// Deepest array/object nesting parse_json() accepts.
inline constexpr int kMaxJsonDepth = 256;

// Parses one JSON text (surrounding whitespace allowed). Throws JsonError.
JsonValue parse_json(std::string_view text);

// append_json_string() (quoting for serialization) lives in util/json_writer.h.

}  // namespace auditeql::util
