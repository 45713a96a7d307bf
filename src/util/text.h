#pragma once
// Small parsing helpers for audit record values.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace auditeql::util {

// Decodes upper- or lower-case hex ("6162" -> "ab") into `out` (appending).
// Returns false, leaving `out` unchanged, for odd lengths or non-hex digits.
bool append_hex_decoded(std::string_view hex, std::string& out);

bool is_hex_string(std::string_view s);

// The value of one hex digit (either case), -1 for any other byte.
int hex_digit(char c);

std::optional<int64_t> parse_int(std::string_view s, int base = 10);
std::optional<uint64_t> parse_uint(std::string_view s, int base = 10);

}  // namespace auditeql::util
