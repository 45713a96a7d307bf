// Comparison and conversion rules for EQL values (internal).
//
// The rules, in one place:
//  - null never equals or orders against anything (comparisons are false);
//  - two strings compare byte-wise (ASCII-folded for the `~` forms);
//  - two numbers compare numerically (int64 exactly, otherwise as doubles);
//  - a string against a number compares numerically when the whole string
//    is a number ("22" == 22), otherwise it is simply unequal/unordered;
//  - a bool equals the strings "true" / "false"; bools order false < true;
//  - anything else is unequal and unordered.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "eql/ast.h"
#include "eql/values.h"

namespace auditeql::eql::detail {

struct Number {
  bool is_int = true;
  int64_t i = 0;
  double d = 0;

  static Number of(int64_t v) { return {true, v, static_cast<double>(v)}; }
  static Number of(double v) { return {false, 0, v}; }
  double as_double() const { return is_int ? static_cast<double>(i) : d; }
  Scalar to_scalar() const { return is_int ? Scalar::integer(i) : Scalar::decimal(d); }
};

// The whole of `text` as a decimal integer or floating-point number
// (optional leading '-', no spaces, no '+', no hex).
std::optional<Number> parse_number(std::string_view text);

// Numbers as they are, numeric strings parsed; nullopt otherwise.
std::optional<Number> to_number(const Scalar& value);

// -1 / 0 / 1, or nullopt for NaN.
std::optional<int> compare_numbers(const Number& a, const Number& b);

bool scalars_equal(const Scalar& a, const Scalar& b, bool fold_case);

// Three-way order, nullopt when the two cannot be ordered.
std::optional<int> scalars_order(const Scalar& a, const Scalar& b);

// Whether `a op b` holds under the rules above.
bool compare_scalars(const Scalar& a, CompareOp op, const Scalar& b, bool fold_case);

// Text of a value for string operations (like, regex, functions): strings
// as they are, numbers and bools spelled out in `buffer`. nullopt for null.
struct TextBuffer {
  char bytes[48];
};
std::optional<std::string_view> scalar_text(const Scalar& value, TextBuffer& buffer);

// Appends the text of a non-null value to `out`.
void append_scalar_text(std::string& out, const Scalar& value);

// Doubles spelled the way Elasticsearch (Java) prints them: 42.5, 1.0, 1.0E21.
std::string_view format_double(double value, TextBuffer& buffer);

CompareOp mirror(CompareOp op);  // a op b  <=>  b mirror(op) a

}  // namespace auditeql::eql::detail
