#include "util/time.h"

#include <ctime>

namespace auditeql::util {
namespace {

void append_digits(std::string& out, int64_t value, int width) {
  char buf[20];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 && n < 20);
  for (int i = n; i < width; ++i) out += '0';
  while (n > 0) out += buf[--n];
}

}  // namespace

void append_iso8601_ms(std::string& out, int64_t epoch_ms) {
  int64_t seconds = epoch_ms / 1000;
  int64_t millis = epoch_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  const time_t t = static_cast<time_t>(seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  append_digits(out, tm.tm_year + 1900, 4);
  out += '-';
  append_digits(out, tm.tm_mon + 1, 2);
  out += '-';
  append_digits(out, tm.tm_mday, 2);
  out += 'T';
  append_digits(out, tm.tm_hour, 2);
  out += ':';
  append_digits(out, tm.tm_min, 2);
  out += ':';
  append_digits(out, tm.tm_sec, 2);
  out += '.';
  append_digits(out, millis, 3);
  out += 'Z';
}

namespace {

// Reads exactly `width` digits at `at`.
bool read_digits(std::string_view text, size_t& at, size_t width, int64_t& value) {
  if (at + width > text.size()) return false;
  value = 0;
  for (size_t i = 0; i < width; ++i) {
    const char c = text[at + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  at += width;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

std::optional<int64_t> parse_iso8601_ms(std::string_view text) {
  size_t at = 0;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (!read_digits(text, at, 4, year) || at >= text.size() || text[at++] != '-' || !read_digits(text, at, 2, month) ||
      at >= text.size() || text[at++] != '-' || !read_digits(text, at, 2, day))
    return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] + (month == 2 && leap(year))) return std::nullopt;
  if (at < text.size() && text[at] == 'T') {
    ++at;
    if (!read_digits(text, at, 2, hour) || at >= text.size() || text[at++] != ':' || !read_digits(text, at, 2, minute))
      return std::nullopt;
    if (at < text.size() && text[at] == ':') {
      ++at;
      if (!read_digits(text, at, 2, second)) return std::nullopt;
      if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
        ++at;
        size_t digits = 0;
        for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
          if (digits < 3) millis = millis * 10 + (text[at] - '0');
        }
        if (digits == 0 || digits > 9) return std::nullopt;
        for (size_t d = digits; d < 3; ++d) millis *= 10;
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  }
  int64_t offset_minutes = 0;
  if (at < text.size()) {
    const char sign = text[at++];
    if (sign == 'Z' && at == text.size()) {
      // UTC
    } else if (sign == '+' || sign == '-') {
      int64_t oh = 0, om = 0;
      if (!read_digits(text, at, 2, oh)) return std::nullopt;
      const bool colon = at < text.size() && text[at] == ':';
      if (colon) ++at;
      if ((colon || at < text.size()) && !read_digits(text, at, 2, om)) return std::nullopt;
      if (at != text.size() || oh > 18 || om > 59) return std::nullopt;
      offset_minutes = (sign == '+' ? 1 : -1) * (oh * 60 + om);
    } else {
      return std::nullopt;
    }
  }
  const int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
                          offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::string iso8601_ms(int64_t epoch_ms) {
  std::string out;
  append_iso8601_ms(out, epoch_ms);
  return out;
}

}  // namespace auditeql::util
