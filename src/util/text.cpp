#include "util/text.h"

#include <array>
#include <charconv>

namespace auditeql::util {
namespace {

// Hex digit values by byte, -1 for anything else: arguments and names are
// hex-encoded whenever they hold a space, so this runs on many execs.
constexpr auto kHexValue = [] {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int c = '0'; c <= '9'; ++c) table[c] = static_cast<int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) table[c] = static_cast<int8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) table[c] = static_cast<int8_t>(c - 'A' + 10);
  return table;
}();

}  // namespace

int hex_digit(char c) { return kHexValue[static_cast<unsigned char>(c)]; }

bool is_hex_string(std::string_view s) {
  if (s.empty() || s.size() % 2 != 0) return false;
  for (char c : s) {
    if (hex_digit(c) < 0) return false;
  }
  return true;
}

bool append_hex_decoded(std::string_view hex, std::string& out) {
  if (hex.size() % 2 != 0) return false;
  const size_t old_size = out.size();
  out.resize(old_size + hex.size() / 2);
  char* dst = out.data() + old_size;
  const auto* src = reinterpret_cast<const unsigned char*>(hex.data());
  int bad = 0;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = kHexValue[src[i]];
    const int lo = kHexValue[src[i + 1]];
    bad |= hi | lo;  // negative if either was not a hex digit
    *dst++ = static_cast<char>((hi << 4) | (lo & 0xf));
  }
  if (bad < 0) {
    out.resize(old_size);
    return false;
  }
  return true;
}

std::optional<int64_t> parse_int(std::string_view s, int base) {
  int64_t value = 0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), value, base);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

std::optional<uint64_t> parse_uint(std::string_view s, int base) {
  uint64_t value = 0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), value, base);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

std::string counted(uint64_t n, std::string_view singular, std::string_view plural) {
  std::string out = std::to_string(n);
  out += ' ';
  if (n == 1) {
    out += singular;
  } else if (!plural.empty()) {
    out += plural;
  } else {
    out += singular;
    out += 's';
  }
  return out;
}

}  // namespace auditeql::util
