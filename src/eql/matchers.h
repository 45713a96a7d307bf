// Prebuilt tests of one value against query constants (internal).
//
// Each matcher is built once at compile time (constants folded, patterns and
// regexes compiled, CIDRs parsed) and then answers test(value) without
// allocating. Values handed to test() are never null.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "eql/cidr.h"
#include "eql/regex.h"
#include "eql/scalar_ops.h"
#include "eql/values.h"
#include "eql/wildcard.h"

namespace auditeql::eql::detail {

class Matcher {
 public:
  virtual ~Matcher() = default;
  virtual bool test(const Scalar& value) const = 0;
  // Rough relative price of one test, for ordering conjuncts (see AllOf).
  virtual int cost() const { return 1; }
};

// Exact membership of strings; folded (and stored lower-case) for `~` forms.
// Small sets are scanned, larger ones binary-searched.
class StringSet {
 public:
  StringSet() = default;
  StringSet(std::vector<std::string> values, bool fold_case);

  bool contains(std::string_view value) const;
  bool empty() const { return sorted_.empty(); }
  size_t size() const { return sorted_.size(); }

 private:
  static constexpr size_t kScanLimit = 8;
  // Most probes are not in the set: the lengths and (folded) first bytes
  // of the members reject them before any string is compared.
  bool might_contain(std::string_view value) const;

  std::vector<std::string> sorted_;
  bool fold_ = false;
  uint64_t lengths_ = 0;          // bit n: a member of length n (n < 63); bit 63: any longer
  uint64_t first_bytes_[4] = {};  // bit b: a member starting with byte b (folded)
  bool has_empty_ = false;
};

// A constant the compiler folded, owning its string bytes.
struct Constant {
  Scalar::Kind kind = Scalar::Kind::Null;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string s;

  Scalar view() const;
  static Constant of(const Scalar& value);
};

// `==` / `in` / `in~` against constants.
class EqualsMatcher final : public Matcher {
 public:
  EqualsMatcher(const std::vector<Constant>& constants, bool fold_case);
  bool test(const Scalar& value) const override;

 private:
  StringSet strings_;
  std::vector<Number> numbers_;                          // numeric constants
  std::vector<Number> numbers_from_strings_;             // string constants that spell a number
  bool has_true_ = false, has_false_ = false;            // bool constants
  bool strings_include_bool_words_[2] = {false, false};  // "false", "true" among the strings
  bool fold_;
};

// `<`, `<=`, `>`, `>=` against one constant.
class OrderMatcher final : public Matcher {
 public:
  OrderMatcher(CompareOp op, Constant constant);
  bool test(const Scalar& value) const override;

 private:
  CompareOp op_;
  Constant constant_;
};

// `like`, `like~`, `:`: literal patterns go to a set, the rest are globs.
class LikeMatcher final : public Matcher {
 public:
  LikeMatcher(const std::vector<std::string>& patterns, bool fold_case);
  bool test(const Scalar& value) const override;
  int cost() const override { return 2 + static_cast<int>(globs_.size()); }

 private:
  StringSet exact_;
  std::vector<WildcardPattern> globs_;
  // Globs that start with a literal byte are only tried on values starting
  // with it (folded); the rest (leading `*` or `?`) on every value.
  std::vector<uint32_t> by_first_byte_[256];
  std::vector<uint32_t> unanchored_;
  bool fold_ = false;
};

// `regex`, `regex~`.
class RegexMatcher final : public Matcher {
 public:
  explicit RegexMatcher(std::vector<Regex> regexes) : regexes_(std::move(regexes)) {}
  bool test(const Scalar& value) const override;
  int cost() const override { return 20 * static_cast<int>(regexes_.size()); }

 private:
  std::vector<Regex> regexes_;
};

// cidrMatch(field, "10.0.0.0/8", ...) with constant blocks.
class CidrMatcher final : public Matcher {
 public:
  explicit CidrMatcher(std::vector<CidrBlock> blocks) : blocks_(std::move(blocks)) {}
  bool test(const Scalar& value) const override;
  int cost() const override { return 2; }

 private:
  std::vector<CidrBlock> blocks_;
};

// A value is a boolean true.
class TruthMatcher final : public Matcher {
 public:
  bool test(const Scalar& value) const override { return value.kind == Scalar::Kind::Bool && value.b; }
};

}  // namespace auditeql::eql::detail
