#include "eql/scalar_ops.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "eql/text.h"

namespace auditeql::eql::detail {

std::optional<Number> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const char* first = text.data();
  const char* last = first + text.size();
  // Digits (with an optional '-') first: the cheap common case for ids,
  // ports and pids that sensors report as strings.
  int64_t integer = 0;
  auto [int_end, int_ec] = std::from_chars(first, last, integer);
  if (int_ec == std::errc() && int_end == last) return Number::of(integer);
  // Quick reject: a number must start with a digit, '-' or '.'.
  const char c = text.front();
  if (!((c >= '0' && c <= '9') || c == '-' || c == '.')) return std::nullopt;
  double decimal = 0;
  auto [end, ec] = std::from_chars(first, last, decimal, std::chars_format::general);
  if (ec != std::errc() || end != last) return std::nullopt;
  if (!std::isfinite(decimal)) return std::nullopt;
  return Number::of(decimal);
}

std::optional<Number> to_number(const Scalar& value) {
  switch (value.kind) {
    case Scalar::Kind::Int:
      return Number::of(value.i);
    case Scalar::Kind::Double:
      return Number::of(value.d);
    case Scalar::Kind::String:
      return parse_number(value.s);
    default:
      return std::nullopt;
  }
}

std::optional<int> compare_numbers(const Number& a, const Number& b) {
  if (a.is_int && b.is_int) return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
  const double x = a.as_double(), y = b.as_double();
  if (std::isnan(x) || std::isnan(y)) return std::nullopt;
  return x < y ? -1 : (x > y ? 1 : 0);
}

namespace {

bool is_bool_text(std::string_view s, bool value, bool fold_case) {
  return text::equal(s, value ? "true" : "false", fold_case);
}

}  // namespace

bool scalars_equal(const Scalar& a, const Scalar& b, bool fold_case) {
  using K = Scalar::Kind;
  if (a.is_null() || b.is_null()) return false;
  if (a.kind == K::String && b.kind == K::String) return text::equal(a.s, b.s, fold_case);
  if (a.kind == K::Bool && b.kind == K::Bool) return a.b == b.b;
  if (a.kind == K::Bool && b.kind == K::String) return is_bool_text(b.s, a.b, fold_case);
  if (a.kind == K::String && b.kind == K::Bool) return is_bool_text(a.s, b.b, fold_case);
  if (a.kind == K::Bool || b.kind == K::Bool) return false;
  // At least one side is a number; the other is a number or a string.
  const auto x = to_number(a), y = to_number(b);
  if (!x || !y) return false;
  const auto order = compare_numbers(*x, *y);
  return order && *order == 0;
}

std::optional<int> scalars_order(const Scalar& a, const Scalar& b) {
  using K = Scalar::Kind;
  if (a.is_null() || b.is_null()) return std::nullopt;
  if (a.kind == K::String && b.kind == K::String) {
    const int c = a.s.compare(b.s);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (a.kind == K::Bool && b.kind == K::Bool) return a.b == b.b ? 0 : (a.b ? 1 : -1);
  if (a.kind == K::Bool || b.kind == K::Bool) return std::nullopt;
  const auto x = to_number(a), y = to_number(b);
  if (!x || !y) return std::nullopt;
  return compare_numbers(*x, *y);
}

bool compare_scalars(const Scalar& a, CompareOp op, const Scalar& b, bool fold_case) {
  switch (op) {
    case CompareOp::Eq:
      return scalars_equal(a, b, fold_case);
    case CompareOp::Ne:
      return !a.is_null() && !b.is_null() && !scalars_equal(a, b, fold_case);
    default:
      break;
  }
  const auto order = scalars_order(a, b);
  if (!order) return false;
  switch (op) {
    case CompareOp::Lt:
      return *order < 0;
    case CompareOp::Le:
      return *order <= 0;
    case CompareOp::Gt:
      return *order > 0;
    case CompareOp::Ge:
      return *order >= 0;
    default:
      return false;
  }
}

std::string_view format_double(double value, TextBuffer& buffer) {
  char* const begin = buffer.bytes;
  char* const end = buffer.bytes + sizeof buffer.bytes;
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  const double magnitude = std::fabs(value);
  // Java prints plain decimals for 1e-3 <= |x| < 1e7 and E-notation
  // otherwise, always with at least one fractional digit.
  if (magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
    auto [last, ec] = std::to_chars(begin, end - 2, value, std::chars_format::fixed);
    std::string_view text(begin, static_cast<size_t>(last - begin));
    if (text.find('.') == std::string_view::npos) {
      *last++ = '.';
      *last++ = '0';
    }
    return std::string_view(begin, static_cast<size_t>(last - begin));
  }
  char scientific[40];
  auto [last, ec] = std::to_chars(scientific, scientific + sizeof scientific, value, std::chars_format::scientific);
  const std::string_view sci(scientific, static_cast<size_t>(last - scientific));
  const size_t e = sci.find('e');
  std::string_view mantissa = sci.substr(0, e);
  std::string_view exponent = sci.substr(e + 1);
  char* out = begin;
  std::memcpy(out, mantissa.data(), mantissa.size());
  out += mantissa.size();
  if (mantissa.find('.') == std::string_view::npos) {
    *out++ = '.';
    *out++ = '0';
  }
  *out++ = 'E';
  if (!exponent.empty() && exponent.front() == '-') {
    *out++ = '-';
    exponent.remove_prefix(1);
  } else if (!exponent.empty() && exponent.front() == '+') {
    exponent.remove_prefix(1);
  }
  while (exponent.size() > 1 && exponent.front() == '0') exponent.remove_prefix(1);
  std::memcpy(out, exponent.data(), exponent.size());
  out += exponent.size();
  return std::string_view(begin, static_cast<size_t>(out - begin));
}

std::optional<std::string_view> scalar_text(const Scalar& value, TextBuffer& buffer) {
  switch (value.kind) {
    case Scalar::Kind::Null:
      return std::nullopt;
    case Scalar::Kind::String:
      return value.s;
    case Scalar::Kind::Bool:
      return value.b ? std::string_view("true") : std::string_view("false");
    case Scalar::Kind::Int: {
      auto [last, ec] = std::to_chars(buffer.bytes, buffer.bytes + sizeof buffer.bytes, value.i);
      return std::string_view(buffer.bytes, static_cast<size_t>(last - buffer.bytes));
    }
    case Scalar::Kind::Double:
      return format_double(value.d, buffer);
  }
  return std::nullopt;
}

void append_scalar_text(std::string& out, const Scalar& value) {
  TextBuffer buffer;
  if (const auto text = scalar_text(value, buffer)) out += *text;
}

CompareOp mirror(CompareOp op) {
  switch (op) {
    case CompareOp::Lt:
      return CompareOp::Gt;
    case CompareOp::Le:
      return CompareOp::Ge;
    case CompareOp::Gt:
      return CompareOp::Lt;
    case CompareOp::Ge:
      return CompareOp::Le;
    default:
      return op;
  }
}

}  // namespace auditeql::eql::detail
