#include <boost/test/unit_test.hpp>

#include <syslog.h>

#include <filesystem>

#include "sinks/file_sink.h"
#include "sinks/syslog_sink.h"
#include "support/corpus.h"
#include "support/temp_dir.h"

using namespace auditeql;

namespace {

alerts::Alert alert(std::string json) {
  alerts::Alert a;
  a.json = std::move(json);
  return a;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sinks_suite)

BOOST_AUTO_TEST_CASE(severity_maps_to_syslog_priority) {
  BOOST_TEST(sinks::syslog_priority(rules::Severity::Low) == LOG_NOTICE);
  BOOST_TEST(sinks::syslog_priority(rules::Severity::Medium) == LOG_WARNING);
  BOOST_TEST(sinks::syslog_priority(rules::Severity::High) == LOG_ERR);
  BOOST_TEST(sinks::syslog_priority(rules::Severity::Critical) == LOG_CRIT);
}

BOOST_AUTO_TEST_CASE(facilities_by_name) {
  BOOST_TEST(sinks::parse_syslog_facility("authpriv").value() == LOG_AUTHPRIV);
  BOOST_TEST(sinks::parse_syslog_facility("local5").value() == LOG_LOCAL5);
  BOOST_TEST(!sinks::parse_syslog_facility("AUTHPRIV").has_value());
  BOOST_TEST(!sinks::parse_syslog_facility("kern").has_value());
}

BOOST_AUTO_TEST_CASE(file_sink_appends_lines_and_reopens_after_rotation) {
  testing::TempDir dir;
  const std::string path = dir.str() + "/alerts.ndjson";
  dir.write("alerts.ndjson", "{\"earlier\":1}\n");
  sinks::FileSink sink(path);
  sink.write(alert("{\"a\":1}"));
  std::filesystem::rename(path, path + ".1");  // logrotate
  sink.write(alert("{\"a\":2}"));              // still goes to the rotated file
  sink.reopen();                                // SIGHUP
  sink.write(alert("{\"a\":3}"));
  BOOST_TEST(testing::read_file(path + ".1") == "{\"earlier\":1}\n{\"a\":1}\n{\"a\":2}\n");
  BOOST_TEST(testing::read_file(path) == "{\"a\":3}\n");
  BOOST_TEST(sink.write_errors() == 0u);
}

BOOST_AUTO_TEST_CASE(file_sink_refuses_an_unopenable_path_and_a_symlink) {
  BOOST_CHECK_THROW(sinks::FileSink("/nonexistent/dir/alerts.ndjson"), std::runtime_error);
  testing::TempDir dir;
  const auto target = dir.write("target", "");
  std::filesystem::create_symlink(target, dir.path() / "link");
  BOOST_CHECK_THROW(sinks::FileSink(dir.str() + "/link"), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
