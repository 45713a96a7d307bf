#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace auditeql::util {

// "2026-11-23T07:33:12.123Z" for milliseconds since the epoch (UTC).
void append_iso8601_ms(std::string& out, int64_t epoch_ms);
std::string iso8601_ms(int64_t epoch_ms);

// Milliseconds since the epoch for an ISO-8601 date or date-time as
// Elasticsearch's strict_date_optional_time reads it: YYYY-MM-DD, then
// optionally THH:MM, :SS, a fraction (1 to 9 digits, cut to milliseconds)
// and a zone (Z, +HH, +HHMM or +HH:MM; none means UTC). nullopt otherwise.
std::optional<int64_t> parse_iso8601_ms(std::string_view text);

}  // namespace auditeql::util
