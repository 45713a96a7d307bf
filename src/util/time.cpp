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

std::string iso8601_ms(int64_t epoch_ms) {
  std::string out;
  append_iso8601_ms(out, epoch_ms);
  return out;
}

}  // namespace auditeql::util
