#include "eql/functions.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include "eql/cidr.h"
#include "eql/scalar_ops.h"
#include "eql/text.h"

namespace auditeql::eql::detail {

namespace {

// ---------------------------------------------------------------------------
// Argument helpers

// Text of an argument whose bytes must outlive this call (the result may
// point into it): strings are used in place, anything else is spelled into
// `scratch`.
std::optional<std::string_view> lasting_text(const Scalar& value, std::string& scratch) {
  if (value.kind == Scalar::Kind::String) return value.s;
  TextBuffer buffer;
  const auto text = scalar_text(value, buffer);
  if (!text) return std::nullopt;
  scratch.assign(*text);
  return std::string_view(scratch);
}

std::optional<int64_t> to_integer(const Scalar& value) {
  const auto n = to_number(value);
  if (!n) return std::nullopt;
  if (n->is_int) return n->i;
  if (std::trunc(n->d) != n->d || std::fabs(n->d) > 9.0e18) return std::nullopt;
  return static_cast<int64_t>(n->d);
}

bool any_null(std::span<const Scalar> args) {
  for (const Scalar& a : args) {
    if (a.is_null()) return true;
  }
  return false;
}

size_t find_last(std::string_view hay, std::string_view needle, bool fold_case) {
  if (needle.size() > hay.size()) return std::string_view::npos;
  for (size_t i = hay.size() - needle.size() + 1; i-- > 0;) {
    if (text::equal(hay.substr(i, needle.size()), needle, fold_case)) return i;
  }
  return std::string_view::npos;
}

// ---------------------------------------------------------------------------
// Arithmetic

enum class Arith { Add, Sub, Mul, Div, Mod };

Scalar arithmetic(std::span<const Scalar> args, Arith op) {
  const auto a = to_number(args[0]);
  const auto b = to_number(args[1]);
  if (!a || !b) return Scalar::null();
  if (a->is_int && b->is_int) {
    const int64_t x = a->i, y = b->i;
    int64_t r = 0;
    switch (op) {
      case Arith::Add:
        if (!__builtin_add_overflow(x, y, &r)) return Scalar::integer(r);
        break;
      case Arith::Sub:
        if (!__builtin_sub_overflow(x, y, &r)) return Scalar::integer(r);
        break;
      case Arith::Mul:
        if (!__builtin_mul_overflow(x, y, &r)) return Scalar::integer(r);
        break;
      case Arith::Div:  // integer division truncates, as in Java
        if (y == 0) return Scalar::null();
        if (!(x == std::numeric_limits<int64_t>::min() && y == -1)) return Scalar::integer(x / y);
        break;
      case Arith::Mod:  // the sign follows the dividend, as in Java
        if (y == 0) return Scalar::null();
        return Scalar::integer(y == -1 ? 0 : x % y);
    }
    // Overflow: carry on in floating point rather than wrap around.
  }
  const double x = a->as_double(), y = b->as_double();
  switch (op) {
    case Arith::Add:
      return Scalar::decimal(x + y);
    case Arith::Sub:
      return Scalar::decimal(x - y);
    case Arith::Mul:
      return Scalar::decimal(x * y);
    case Arith::Div:
      return y == 0 ? Scalar::null() : Scalar::decimal(x / y);
    case Arith::Mod:
      return y == 0 ? Scalar::null() : Scalar::decimal(std::fmod(x, y));
  }
  return Scalar::null();
}

Scalar fn_add(std::span<const Scalar> args, bool, std::string&) {
  return arithmetic(args, Arith::Add);
}
Scalar fn_subtract(std::span<const Scalar> args, bool, std::string&) {
  return arithmetic(args, Arith::Sub);
}
Scalar fn_multiply(std::span<const Scalar> args, bool, std::string&) {
  return arithmetic(args, Arith::Mul);
}
Scalar fn_divide(std::span<const Scalar> args, bool, std::string&) {
  return arithmetic(args, Arith::Div);
}
Scalar fn_modulo(std::span<const Scalar> args, bool, std::string&) {
  return arithmetic(args, Arith::Mod);
}

// ---------------------------------------------------------------------------
// Strings

// between(source, left, right[, greedy]): the text after the first `left`
// and before the next (or, greedy, the last) `right`; "" when either is
// missing.
Scalar fn_between(std::span<const Scalar> args, bool fold_case, std::string& scratch) {
  if (any_null(args.first(3))) return Scalar::null();
  bool greedy = false;
  if (args.size() > 3 && args[3].kind == Scalar::Kind::Bool) greedy = args[3].b;
  TextBuffer left_buffer, right_buffer;
  const auto source = lasting_text(args[0], scratch);
  const auto left = scalar_text(args[1], left_buffer);
  const auto right = scalar_text(args[2], right_buffer);
  if (!source || !left || !right) return Scalar::null();
  const size_t found = text::find(*source, *left, 0, fold_case);
  if (found == std::string_view::npos) return Scalar::string({});
  const size_t start = found + left->size();
  const size_t end = greedy ? find_last(*source, *right, fold_case) : text::find(*source, *right, start, fold_case);
  if (end == std::string_view::npos || end < start) return Scalar::string({});
  return Scalar::string(source->substr(start, end - start));
}

Scalar fn_cidr_match(std::span<const Scalar> args, bool, std::string&) {
  if (any_null(args)) return Scalar::null();
  TextBuffer buffer;
  const auto ip_text = scalar_text(args[0], buffer);
  const auto address = ip_text ? parse_ip(*ip_text) : std::nullopt;
  if (!address) return Scalar::boolean(false);
  for (const Scalar& cidr : args.subspan(1)) {
    TextBuffer cidr_buffer;
    const auto cidr_text = scalar_text(cidr, cidr_buffer);
    const auto block = cidr_text ? parse_cidr(*cidr_text) : std::nullopt;
    if (block && block->contains(*address)) return Scalar::boolean(true);
  }
  return Scalar::boolean(false);
}

Scalar fn_concat(std::span<const Scalar> args, bool, std::string& scratch) {
  if (any_null(args)) return Scalar::null();
  scratch.clear();
  for (const Scalar& a : args) append_scalar_text(scratch, a);
  return Scalar::string(scratch);
}

// Shared shape of startsWith / endsWith / stringContains.
template <bool (*Test)(std::string_view, std::string_view, bool)>
Scalar string_predicate(std::span<const Scalar> args, bool fold_case, std::string&) {
  if (any_null(args)) return Scalar::null();
  TextBuffer a_buffer, b_buffer;
  const auto a = scalar_text(args[0], a_buffer);
  const auto b = scalar_text(args[1], b_buffer);
  return Scalar::boolean(Test(*a, *b, fold_case));
}

bool starts_with(std::string_view s, std::string_view p, bool fold) {
  return text::starts_with(s, p, fold);
}
bool ends_with(std::string_view s, std::string_view p, bool fold) {
  return text::ends_with(s, p, fold);
}
bool contains(std::string_view s, std::string_view p, bool fold) {
  return text::find(s, p, 0, fold) != std::string_view::npos;
}

// indexOf(source, substring[, start]): character position of the first
// occurrence at or after start (negative start counts as 0), else null.
Scalar fn_index_of(std::span<const Scalar> args, bool fold_case, std::string&) {
  if (any_null(args)) return Scalar::null();
  TextBuffer s_buffer, sub_buffer;
  const auto source = scalar_text(args[0], s_buffer);
  const auto needle = scalar_text(args[1], sub_buffer);
  int64_t start = 0;
  if (args.size() > 2) {
    const auto given = to_integer(args[2]);
    if (!given) return Scalar::null();
    start = *given < 0 ? 0 : *given;
  }
  const auto chars = static_cast<int64_t>(text::length(*source));
  if (start > chars) return Scalar::null();
  const size_t from = text::byte_offset(*source, static_cast<size_t>(start));
  const size_t hit = text::find(*source, *needle, from, fold_case);
  if (hit == std::string_view::npos) return Scalar::null();
  return Scalar::integer(static_cast<int64_t>(text::length(source->substr(0, hit))));
}

Scalar fn_length(std::span<const Scalar> args, bool, std::string&) {
  TextBuffer buffer;
  const auto s = scalar_text(args[0], buffer);
  if (!s) return Scalar::null();
  return Scalar::integer(static_cast<int64_t>(text::length(*s)));
}

// number(text[, base]): integers in base 10 (or 16 with a 0x prefix, or the
// given base), else decimals; surrounding whitespace ignored; null when the
// text is not a number.
Scalar fn_number(std::span<const Scalar> args, bool, std::string&) {
  const Scalar& input = args[0];
  if (input.is_null()) return Scalar::null();
  if (input.is_number()) return input;
  if (input.kind != Scalar::Kind::String) return Scalar::null();
  int base = 0;  // 0: decide from the text
  if (args.size() > 1 && !args[1].is_null()) {
    const auto given = to_integer(args[1]);
    if (!given || *given < 2 || *given > 36) return Scalar::null();
    base = static_cast<int>(*given);
  }
  std::string_view s = input.s;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  bool negative = false;
  std::string_view digits = s;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if ((base == 0 || base == 16) && digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  }
  const int radix = base == 0 ? 10 : base;
  uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, radix);
  if (!digits.empty() && ec == std::errc() && end == digits.data() + digits.size()) {
    if (!negative && magnitude <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return Scalar::integer(static_cast<int64_t>(magnitude));
    if (negative && magnitude <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1)
      return Scalar::integer(static_cast<int64_t>(0 - magnitude));
  }
  if (base != 0) return Scalar::null();
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  const auto n = parse_number(s);
  return n ? n->to_scalar() : Scalar::null();
}

Scalar fn_string(std::span<const Scalar> args, bool, std::string& scratch) {
  const auto text = lasting_text(args[0], scratch);
  return text ? Scalar::string(*text) : Scalar::null();
}

// substring(source, start[, end]): Python slice semantics on characters.
Scalar fn_substring(std::span<const Scalar> args, bool, std::string& scratch) {
  if (args[0].is_null() || args[1].is_null()) return Scalar::null();
  const auto source = lasting_text(args[0], scratch);
  const auto start_arg = to_integer(args[1]);
  if (!source || !start_arg) return Scalar::null();
  const auto chars = static_cast<int64_t>(text::length(*source));
  int64_t start = *start_arg;
  int64_t end = chars;
  if (args.size() > 2 && !args[2].is_null()) {
    const auto end_arg = to_integer(args[2]);
    if (!end_arg) return Scalar::null();
    end = *end_arg;
  }
  if (start < 0) start += chars;
  if (start < 0) start = 0;
  if (end < 0) end += chars;
  if (end < 0) end = 0;
  if (end > chars) end = chars;
  if (start >= end) return Scalar::string({});
  const size_t begin_byte = text::byte_offset(*source, static_cast<size_t>(start));
  const size_t end_byte = text::byte_offset(*source, static_cast<size_t>(end));
  return Scalar::string(source->substr(begin_byte, end_byte - begin_byte));
}

// ---------------------------------------------------------------------------
// The table

constexpr int kVariadic = -1;
using T = StaticType;

const std::array<FunctionSpec, 16> kFunctions = {{
    {"add", 2, 2, false, T::Number, "NN", fn_add},
    {"between", 3, 4, true, T::String, "SSSB", fn_between},
    {"cidrMatch", 2, kVariadic, false, T::Bool, "SS", fn_cidr_match},
    {"concat", 1, kVariadic, false, T::String, "*", fn_concat},
    {"divide", 2, 2, false, T::Number, "NN", fn_divide},
    {"endsWith", 2, 2, true, T::Bool, "SS", string_predicate<ends_with>},
    {"indexOf", 2, 3, true, T::Number, "SSI", fn_index_of},
    {"length", 1, 1, false, T::Number, "S", fn_length},
    {"modulo", 2, 2, false, T::Number, "NN", fn_modulo},
    {"multiply", 2, 2, false, T::Number, "NN", fn_multiply},
    {"number", 1, 2, false, T::Number, "SI", fn_number},
    {"startsWith", 2, 2, true, T::Bool, "SS", string_predicate<starts_with>},
    {"string", 1, 1, false, T::String, "*", fn_string},
    {"stringContains", 2, 2, true, T::Bool, "SS", string_predicate<contains>},
    {"substring", 2, 3, false, T::String, "SII", fn_substring},
    {"subtract", 2, 2, false, T::Number, "NN", fn_subtract},
}};

const FunctionSpec& by_name(std::string_view name) {
  return *find_function(name);
}

}  // namespace

const FunctionSpec* find_function(std::string_view name) {
  for (const FunctionSpec& spec : kFunctions) {
    if (text::equal(spec.name, name, true)) return &spec;
  }
  return nullptr;
}

const FunctionSpec& add_function() {
  return by_name("add");
}
const FunctionSpec& subtract_function() {
  return by_name("subtract");
}
const FunctionSpec& multiply_function() {
  return by_name("multiply");
}
const FunctionSpec& divide_function() {
  return by_name("divide");
}
const FunctionSpec& modulo_function() {
  return by_name("modulo");
}

std::string function_names() {
  std::string out;
  for (const FunctionSpec& spec : kFunctions) {
    if (!out.empty()) out += ", ";
    out += spec.name;
  }
  return out;
}

}  // namespace auditeql::eql::detail
