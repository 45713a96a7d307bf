#include "eql/wildcard.h"

#include "eql/text.h"

namespace auditeql::eql {

namespace {
constexpr size_t kNoMatch = std::string_view::npos;
}

WildcardPattern::WildcardPattern(std::string_view pattern, bool fold_case)
    : pattern_(fold_case ? text::folded(pattern) : std::string(pattern)), fold_(fold_case) {
  Segment current;
  for (size_t i = 0; i < pattern_.size(); ++i) {
    const char c = pattern_[i];
    if (c == '*') {
      literal_ = false;
      has_star_ = true;
      current.length = i - current.begin;
      segments_.push_back(current);
      current = Segment{i + 1, 0, false};
    } else if (c == '?') {
      literal_ = false;
      if (!current.has_any_char) current.literal_prefix = i - current.begin;
      current.has_any_char = true;
    }
  }
  current.length = pattern_.size() - current.begin;
  segments_.push_back(current);
}

// Matches segment `s` at value[at...]; returns the offset just past it.
size_t WildcardPattern::match_at(std::string_view value, size_t at, const Segment& s) const {
  const std::string_view seg = segment_text(s);
  if (!s.has_any_char) {
    if (at > value.size() || value.size() - at < seg.size()) return kNoMatch;
    return text::equal(value.substr(at, seg.size()), seg, fold_) ? at + seg.size() : kNoMatch;
  }
  for (const char p : seg) {
    if (at >= value.size()) return kNoMatch;
    if (p == '?') {
      at += text::sequence_length(value, at);
    } else {
      if ((fold_ ? text::fold(value[at]) : value[at]) != p) return kNoMatch;
      ++at;
    }
  }
  return at;
}

// Latest start >= from at which `s` matches up to the end of the value.
size_t WildcardPattern::find_suffix_start(std::string_view value, size_t from, const Segment& s) const {
  if (!s.has_any_char) {
    if (value.size() < s.length || value.size() - s.length < from) return kNoMatch;
    const size_t start = value.size() - s.length;
    return match_at(value, start, s) == value.size() ? start : kNoMatch;
  }
  // `?` spans a variable number of bytes, so walk character boundaries.
  size_t found = kNoMatch;
  for (size_t start = from; start <= value.size();) {
    if (match_at(value, start, s) == value.size()) found = start;
    if (start == value.size()) break;
    start += text::sequence_length(value, start);
  }
  return found;
}

// Leftmost occurrence of `s` starting at or after `from` and ending by
// `limit`; returns the offset just past it.
size_t WildcardPattern::find_segment(std::string_view value, size_t from, size_t limit, const Segment& s) const {
  if (s.length == 0) return from;
  if (!s.has_any_char) {
    const size_t hit = text::find(value.substr(0, limit), segment_text(s), from, fold_);
    return hit == kNoMatch ? kNoMatch : hit + s.length;
  }
  const std::string_view window = value.substr(0, limit);
  const std::string_view prefix = std::string_view(pattern_).substr(s.begin, s.literal_prefix);
  for (size_t start = from; start < limit; start += text::sequence_length(value, start)) {
    // Jump to where the part before the first `?` occurs: a plain search,
    // instead of trying the segment at every position.
    if (!prefix.empty()) {
      start = text::find(window, prefix, start, fold_);
      if (start == kNoMatch) return kNoMatch;
    }
    const size_t end = match_at(window, start, s);
    if (end != kNoMatch) return end;
  }
  return kNoMatch;
}

bool WildcardPattern::matches(std::string_view value) const {
  if (!has_star_) return match_at(value, 0, segments_.front()) == value.size();

  // Glob with stars: the first segment is anchored at the start, the last
  // at the end, and each middle one taken at its leftmost fit in between;
  // leftmost is always safe because a star can absorb whatever is skipped.
  const size_t prefix_end = match_at(value, 0, segments_.front());
  if (prefix_end == kNoMatch) return false;
  const size_t suffix_start = find_suffix_start(value, prefix_end, segments_.back());
  if (suffix_start == kNoMatch) return false;
  size_t pos = prefix_end;
  for (size_t i = 1; i + 1 < segments_.size(); ++i) {
    pos = find_segment(value, pos, suffix_start, segments_[i]);
    if (pos == kNoMatch) return false;
  }
  return true;
}

}  // namespace auditeql::eql
