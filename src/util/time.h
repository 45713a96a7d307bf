#pragma once
#include <cstdint>
#include <string>

namespace auditeql::util {

// "2026-11-23T07:33:12.123Z" for milliseconds since the epoch (UTC).
void append_iso8601_ms(std::string& out, int64_t epoch_ms);
std::string iso8601_ms(int64_t epoch_ms);

}  // namespace auditeql::util
