#pragma once
// Small text helpers: parsing audit record values, wording counts.
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

// A count with its noun in the right number: counted(1, "alert") is
// "1 alert", counted(2, "alert") "2 alerts"; `plural` for nouns that do not
// just take an "s" (counted(2, "entry", "entries")).
std::string counted(uint64_t n, std::string_view singular, std::string_view plural = {});

}  // namespace auditeql::util
