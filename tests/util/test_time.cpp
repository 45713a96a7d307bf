#include <boost/test/unit_test.hpp>
#include <optional>
#include <string_view>

#include "util/time.h"

using auditeql::util::iso8601_ms;
using auditeql::util::parse_iso8601_ms;

BOOST_AUTO_TEST_SUITE(time_parsing)

BOOST_AUTO_TEST_CASE(iso8601_as_elasticsearch_strict_date_optional_time_reads_it) {
  struct Case {
    std::string_view text;
    std::optional<int64_t> ms;
  };
  const Case cases[] = {
      {"1970-01-01", 0},
      {"2024-05-01T10:00:02Z", 1714557602000},
      {"2024-05-01T10:00:02.5Z", 1714557602500},
      {"2024-05-01T10:00:02.123456789Z", 1714557602123},  // cut to milliseconds
      {"2024-05-01T10:00:02.123", 1714557602123},         // no zone: UTC
      {"2024-05-01T10:00", 1714557600000},
      {"2024-05-01T12:00:02+02:00", 1714557602000},
      {"2024-05-01T12:00:02+0200", 1714557602000},
      {"2024-05-01T07:30:02-02:30", 1714557602000},
      {"2024-05-01T12:00:02+02", 1714557602000},
      {"2024-02-29T00:00:00Z", 1709164800000},
      {"1969-12-31T23:59:59.999Z", -1},
      {"2023-02-29T00:00:00Z", std::nullopt},
      {"2024-13-01", std::nullopt},
      {"2024-05-01T24:00:00Z", std::nullopt},
      {"2024-05-01 10:00:00", std::nullopt},
      {"2024-05-01T10:00:02.Z", std::nullopt},
      {"2024-05-01T10:00:02Zjunk", std::nullopt},
      {"2024-05-01T10:00:02+02:", std::nullopt},
      {"1714557602000", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.text) {
      const std::optional<int64_t> got = parse_iso8601_ms(c.text);
      BOOST_TEST(got.has_value() == c.ms.has_value());
      if (got && c.ms) BOOST_TEST(*got == *c.ms);
    }
  }
}

BOOST_AUTO_TEST_CASE(parsing_reads_back_what_formatting_writes) {
  for (const int64_t ms : {int64_t{0}, int64_t{1714557602123}, int64_t{-86400001}, int64_t{4102444800999}})
    BOOST_TEST(parse_iso8601_ms(iso8601_ms(ms)).value_or(-42) == ms);
}

BOOST_AUTO_TEST_SUITE_END()
