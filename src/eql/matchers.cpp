#include "eql/matchers.h"

#include <algorithm>

#include "eql/text.h"

namespace auditeql::eql::detail {

// ---------------------------------------------------------------------------
// StringSet

StringSet::StringSet(std::vector<std::string> values, bool fold_case) : sorted_(std::move(values)), fold_(fold_case) {
  if (fold_) {
    for (std::string& v : sorted_) v = text::folded(v);
  }
  std::sort(sorted_.begin(), sorted_.end());
  sorted_.erase(std::unique(sorted_.begin(), sorted_.end()), sorted_.end());
  for (const std::string& v : sorted_) {
    lengths_ |= uint64_t{1} << std::min<size_t>(v.size(), 63);
    if (v.empty()) {
      has_empty_ = true;
      continue;
    }
    const auto b = static_cast<unsigned char>(v[0]);  // already folded
    first_bytes_[b >> 6] |= uint64_t{1} << (b & 63);
  }
}

bool StringSet::might_contain(std::string_view value) const {
  if (!((lengths_ >> std::min<size_t>(value.size(), 63)) & 1)) return false;
  if (value.empty()) return has_empty_;
  const auto b = static_cast<unsigned char>(fold_ ? text::fold(value[0]) : value[0]);
  return (first_bytes_[b >> 6] >> (b & 63)) & 1;
}

bool StringSet::contains(std::string_view value) const {
  if (!might_contain(value)) return false;
  if (sorted_.size() <= kScanLimit) {
    for (const std::string& candidate : sorted_) {
      if (candidate.size() == value.size() &&
          (fold_ ? text::compare_folded(value, candidate) == 0 : candidate == value))
        return true;
    }
    return false;
  }
  if (!fold_) return std::binary_search(sorted_.begin(), sorted_.end(), value, std::less<>{});
  // Stored strings are folded; fold the probe on the fly while comparing.
  auto below = [](const std::string& element, std::string_view probe) {
    return text::compare_folded(probe, element) > 0;
  };
  const auto it = std::lower_bound(sorted_.begin(), sorted_.end(), value, below);
  return it != sorted_.end() && text::compare_folded(value, *it) == 0;
}

// ---------------------------------------------------------------------------
// Constant

Scalar Constant::view() const {
  switch (kind) {
    case Scalar::Kind::Null:
      return Scalar::null();
    case Scalar::Kind::Bool:
      return Scalar::boolean(b);
    case Scalar::Kind::Int:
      return Scalar::integer(i);
    case Scalar::Kind::Double:
      return Scalar::decimal(d);
    case Scalar::Kind::String:
      return Scalar::string(s);
  }
  return Scalar::null();
}

Constant Constant::of(const Scalar& value) {
  Constant c;
  c.kind = value.kind;
  c.b = value.b;
  c.i = value.i;
  c.d = value.d;
  c.s = std::string(value.s);
  return c;
}

// ---------------------------------------------------------------------------
// EqualsMatcher

EqualsMatcher::EqualsMatcher(const std::vector<Constant>& constants, bool fold_case) : fold_(fold_case) {
  std::vector<std::string> strings;
  for (const Constant& c : constants) {
    switch (c.kind) {
      case Scalar::Kind::String:
        strings.push_back(c.s);
        if (const auto n = parse_number(c.s)) numbers_from_strings_.push_back(*n);
        if (text::equal(c.s, "true", fold_case)) strings_include_bool_words_[1] = true;
        if (text::equal(c.s, "false", fold_case)) strings_include_bool_words_[0] = true;
        break;
      case Scalar::Kind::Int:
        numbers_.push_back(Number::of(c.i));
        break;
      case Scalar::Kind::Double:
        numbers_.push_back(Number::of(c.d));
        break;
      case Scalar::Kind::Bool:
        (c.b ? has_true_ : has_false_) = true;
        break;
      case Scalar::Kind::Null:
        break;  // handled by the compiler as a missing-value test
    }
  }
  strings_ = StringSet(std::move(strings), fold_case);
}

namespace {

bool contains_number(const std::vector<Number>& numbers, const Number& n) {
  for (const Number& candidate : numbers) {
    const auto order = compare_numbers(candidate, n);
    if (order && *order == 0) return true;
  }
  return false;
}

}  // namespace

bool EqualsMatcher::test(const Scalar& value) const {
  switch (value.kind) {
    case Scalar::Kind::String:
      if (strings_.contains(value.s)) return true;
      if (!numbers_.empty()) {
        if (const auto n = parse_number(value.s); n && contains_number(numbers_, *n)) return true;
      }
      if (has_true_ && text::equal(value.s, "true", fold_)) return true;
      if (has_false_ && text::equal(value.s, "false", fold_)) return true;
      return false;
    case Scalar::Kind::Int:
    case Scalar::Kind::Double: {
      const Number n = value.kind == Scalar::Kind::Int ? Number::of(value.i) : Number::of(value.d);
      return contains_number(numbers_, n) || contains_number(numbers_from_strings_, n);
    }
    case Scalar::Kind::Bool:
      return (value.b ? has_true_ : has_false_) || strings_include_bool_words_[value.b ? 1 : 0];
    case Scalar::Kind::Null:
      return false;
  }
  return false;
}

// ---------------------------------------------------------------------------
// The rest

OrderMatcher::OrderMatcher(CompareOp op, Constant constant) : op_(op), constant_(std::move(constant)) {}

bool OrderMatcher::test(const Scalar& value) const {
  return compare_scalars(value, op_, constant_.view(), false);
}

LikeMatcher::LikeMatcher(const std::vector<std::string>& patterns, bool fold_case) : fold_(fold_case) {
  std::vector<std::string> exact;
  for (const std::string& p : patterns) {
    WildcardPattern glob(p, fold_case);
    if (glob.is_literal()) {
      exact.push_back(p);
      continue;
    }
    const auto index = static_cast<uint32_t>(globs_.size());
    const std::string& folded = glob.pattern();  // folded when fold_case
    if (!folded.empty() && folded[0] != '*' && folded[0] != '?') {
      by_first_byte_[static_cast<unsigned char>(folded[0])].push_back(index);
    } else {
      unanchored_.push_back(index);
    }
    globs_.push_back(std::move(glob));
  }
  exact_ = StringSet(std::move(exact), fold_case);
}

bool LikeMatcher::test(const Scalar& value) const {
  TextBuffer buffer;
  const auto text = scalar_text(value, buffer);
  if (!text) return false;
  if (exact_.contains(*text)) return true;
  if (!text->empty()) {
    const auto first = static_cast<unsigned char>(fold_ ? text::fold((*text)[0]) : (*text)[0]);
    for (const uint32_t i : by_first_byte_[first]) {
      if (globs_[i].matches(*text)) return true;
    }
  }
  for (const uint32_t i : unanchored_) {
    if (globs_[i].matches(*text)) return true;
  }
  return false;
}

bool RegexMatcher::test(const Scalar& value) const {
  TextBuffer buffer;
  const auto text = scalar_text(value, buffer);
  if (!text) return false;
  for (const Regex& regex : regexes_) {
    if (regex.matches(*text)) return true;
  }
  return false;
}

bool CidrMatcher::test(const Scalar& value) const {
  if (value.kind != Scalar::Kind::String) return false;
  const auto address = parse_ip(value.s);
  if (!address) return false;
  for (const CidrBlock& block : blocks_) {
    if (block.contains(*address)) return true;
  }
  return false;
}

}  // namespace auditeql::eql::detail
