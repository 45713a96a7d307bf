#include "util/text.h"

#include <charconv>

namespace auditeql::util {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

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
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_digit(hex[i]);
    const int lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      out.resize(old_size);
      return false;
    }
    out[old_size + i / 2] = static_cast<char>((hi << 4) | lo);
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

}  // namespace auditeql::util
