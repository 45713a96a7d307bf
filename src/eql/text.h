// Byte-level text helpers shared by the EQL matchers.
//
// Case-insensitive operations (`in~`, `like~`, `:`, `regex~`, `fn~()`) fold
// ASCII letters only: bytes >= 0x80 compare exactly. This keeps folding
// allocation-free and byte-length preserving; Elasticsearch also folds
// non-ASCII letters, so `"É" : "é"` is true there and false here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <cstring>
#include <string_view>

namespace auditeql::eql::text {

constexpr char fold(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr uint32_t fold(uint32_t c) {
  return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

inline std::string folded(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = fold(c);
  return out;
}

inline bool equal(std::string_view a, std::string_view b, bool fold_case) {
  if (a.size() != b.size()) return false;
  if (!fold_case) return a == b;
  for (size_t i = 0; i < a.size(); ++i) {
    if (fold(a[i]) != fold(b[i])) return false;
  }
  return true;
}

// Three-way comparison of fold(a) against b, where b is already folded.
inline int compare_folded(std::string_view a, std::string_view folded_b) {
  const size_t n = a.size() < folded_b.size() ? a.size() : folded_b.size();
  for (size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(fold(a[i]));
    const auto y = static_cast<unsigned char>(folded_b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == folded_b.size()) return 0;
  return a.size() < folded_b.size() ? -1 : 1;
}

inline bool starts_with(std::string_view s, std::string_view prefix, bool fold_case) {
  return s.size() >= prefix.size() && equal(s.substr(0, prefix.size()), prefix, fold_case);
}

inline bool ends_with(std::string_view s, std::string_view suffix, bool fold_case) {
  return s.size() >= suffix.size() && equal(s.substr(s.size() - suffix.size()), suffix, fold_case);
}

// Byte offset of the first occurrence of `needle` in `hay` at or after `from`.
// Case-insensitive candidates are found with memchr on the first byte (in
// both cases), then compared.
inline size_t find(std::string_view hay, std::string_view needle, size_t from, bool fold_case) {
  if (!fold_case) return hay.find(needle, from);
  if (needle.size() > hay.size() || from > hay.size() - needle.size()) return std::string_view::npos;
  if (needle.empty()) return from;
  const char lower = fold(needle[0]);
  const char upper = (lower >= 'a' && lower <= 'z') ? static_cast<char>(lower - 32) : lower;
  const size_t last = hay.size() - needle.size();
  const std::string_view rest = needle.substr(1);
  size_t i = from;
  while (i <= last) {
    const size_t span = last - i + 1;
    const char* base = hay.data() + i;
    const char* a = static_cast<const char*>(std::memchr(base, lower, span));
    const char* b = upper == lower ? nullptr : static_cast<const char*>(std::memchr(base, upper, a ? static_cast<size_t>(a - base) : span));
    const char* hit = b ? b : a;
    if (hit == nullptr) return std::string_view::npos;
    i = static_cast<size_t>(hit - hay.data());
    if (equal(hay.substr(i + 1, rest.size()), rest, true)) return i;
    ++i;
  }
  return std::string_view::npos;
}

constexpr bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Length in bytes of the UTF-8 sequence starting at s[i] (1 for stray or
// invalid bytes, so every byte string can be walked). A sequence is never
// taken for a code point above U+10FFFF: decode() must stay below the stray
// byte range, which the regex engine's `.` and negated classes end at.
inline size_t sequence_length(std::string_view s, size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  size_t want = 1;
  if (lead >= 0xC2 && lead <= 0xDF)
    want = 2;
  else if (lead >= 0xE0 && lead <= 0xEF)
    want = 3;
  else if (lead >= 0xF0 && lead <= 0xF4)
    want = 4;
  if (want == 1 || i + want > s.size()) return 1;
  for (size_t k = 1; k < want; ++k) {
    if (!is_continuation(s[i + k])) return 1;
  }
  const auto second = static_cast<unsigned char>(s[i + 1]);
  if (lead == 0xF4 && second > 0x8F) return 1;  // F4 90.. is above U+10FFFF
  // Overlong forms (E0 80..9F, F0 80..8F) would decode to a character with a
  // shorter encoding, even to ASCII: the byte-level prefilters rely on ASCII
  // characters coming only from ASCII bytes.
  if ((lead == 0xE0 && second < 0xA0) || (lead == 0xF0 && second < 0x90)) return 1;
  return want;
}

// Code point decoded at s[i]; stray bytes decode to 0x110000 + byte so they
// are distinct from every real character.
inline uint32_t decode(std::string_view s, size_t i, size_t length) {
  const auto lead = static_cast<unsigned char>(s[i]);
  if (length == 1) return lead < 0x80 ? lead : 0x110000u + lead;
  uint32_t cp = lead & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return cp;
}

// Number of characters (code points) in s.
inline size_t length(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); i += sequence_length(s, i)) ++count;
  return count;
}

// Byte offset of character index `chars` (clamped to s.size()).
inline size_t byte_offset(std::string_view s, size_t chars) {
  size_t i = 0;
  while (chars > 0 && i < s.size()) {
    i += sequence_length(s, i);
    --chars;
  }
  return i;
}

inline void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace auditeql::eql::text
