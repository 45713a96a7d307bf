// Wildcard patterns for EQL's `like`, `like~` and `:`.
//
// `*` matches any run of characters (including none) and `?` exactly one
// character (one UTF-8 code point). Every other character, backslash
// included, stands for itself: Elasticsearch EQL has no escape character in
// wildcard patterns. The pattern must cover the whole value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace auditeql::eql {

class WildcardPattern {
 public:
  // With fold_case the pattern is lower-cased here, once, and values are
  // folded while matching (ASCII letters only, see text.h).
  WildcardPattern(std::string_view pattern, bool fold_case);

  bool matches(std::string_view value) const;

  // True when the pattern has no `*` or `?` (plain equality).
  bool is_literal() const { return literal_; }
  const std::string& pattern() const { return pattern_; }

 private:
  // A run of the pattern between two `*`.
  struct Segment {
    size_t begin = 0;
    size_t length = 0;
    bool has_any_char = false;  // contains `?`
    size_t literal_prefix = 0;  // bytes before the first `?`
  };

  std::string_view segment_text(const Segment& s) const { return std::string_view(pattern_).substr(s.begin, s.length); }
  size_t match_at(std::string_view value, size_t at, const Segment& s) const;
  size_t find_suffix_start(std::string_view value, size_t from, const Segment& s) const;
  size_t find_segment(std::string_view value, size_t from, size_t limit, const Segment& s) const;

  std::string pattern_;
  bool fold_;
  bool literal_ = true;
  bool has_star_ = false;
  std::vector<Segment> segments_;
};

}  // namespace auditeql::eql
