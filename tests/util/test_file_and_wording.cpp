#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include "support/temp_dir.h"
#include "util/file.h"
#include "util/text.h"

using namespace auditeql::util;

BOOST_AUTO_TEST_SUITE(file_and_wording)

BOOST_AUTO_TEST_CASE(counts_take_the_noun_in_the_right_number) {
  BOOST_TEST(counted(0, "alert") == "0 alerts");
  BOOST_TEST(counted(1, "alert") == "1 alert");
  BOOST_TEST(counted(2, "process start") == "2 process starts");
  BOOST_TEST(counted(1, "entry", "entries") == "1 entry");
  BOOST_TEST(counted(3, "entry", "entries") == "3 entries");
}

BOOST_AUTO_TEST_CASE(read_file_says_why_it_failed) {
  auditeql::testing::TempDir dir;
  std::string error;
  BOOST_TEST(!read_file(dir.str(), error).has_value());
  BOOST_TEST(error == "Is a directory");
  BOOST_TEST(!read_file(dir.str() + "/none", error).has_value());
  BOOST_TEST(error == "No such file or directory");
  const std::string content = std::string(200000, 'x') + "\nend";
  BOOST_TEST(read_file(dir.write("f", content), error).value() == content);
}

BOOST_AUTO_TEST_CASE(read_lines_joins_lines_across_reads_and_keeps_a_last_line_without_newline) {
  auditeql::testing::TempDir dir;
  const std::string long_line(150000, 'y');  // spans several 64 KiB reads
  const auto path = dir.write("lines", "a\n\n" + long_line + "\nlast");
  const int fd = ::open(path.c_str(), O_RDONLY);
  BOOST_REQUIRE(fd >= 0);
  std::vector<std::string> lines;
  std::string error;
  BOOST_TEST(read_lines(fd, [&](std::string_view line) { lines.emplace_back(line); }, error));
  ::close(fd);
  BOOST_REQUIRE(lines.size() == 4u);
  BOOST_TEST(lines[0] == "a");
  BOOST_TEST(lines[1].empty());
  BOOST_TEST(lines[2] == long_line);
  BOOST_TEST(lines[3] == "last");

  const int dir_fd = ::open(dir.str().c_str(), O_RDONLY);
  BOOST_TEST(!read_lines(dir_fd, [](std::string_view) {}, error));
  BOOST_TEST(error == "Is a directory");
  ::close(dir_fd);
}

BOOST_AUTO_TEST_SUITE_END()
