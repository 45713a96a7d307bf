#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include "app/input_reader.h"

using namespace auditeql;
using namespace std::chrono_literals;

namespace {

std::string drain(app::InputReader& reader, bool& saw_gap) {
  std::string all;
  std::deque<app::InputChunk> chunks;
  while (reader.take(chunks, 200ms)) {
    for (auto& c : chunks) {
      saw_gap = saw_gap || c.gap_before;
      all += c.bytes;
    }
    chunks.clear();
  }
  return all;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(input_reader)

BOOST_AUTO_TEST_CASE(everything_written_is_read_and_end_of_input_is_reported) {
  int fds[2];
  BOOST_REQUIRE(pipe(fds) == 0);
  app::InputReader reader(fds[0], 1 << 20);
  reader.start();
  std::string sent;
  for (int i = 0; i < 1000; ++i) sent += "type=EOE msg=audit(1.2:" + std::to_string(i) + "):\n";
  BOOST_REQUIRE(write(fds[1], sent.data(), sent.size()) == static_cast<ssize_t>(sent.size()));
  close(fds[1]);
  bool gap = false;
  BOOST_TEST(drain(reader, gap) == sent);
  BOOST_TEST(!gap);
  BOOST_TEST(reader.bytes_dropped() == 0u);
  reader.stop();
  close(fds[0]);
}

BOOST_AUTO_TEST_CASE(a_full_queue_drops_whole_lines_and_says_so) {
  int fds[2];
  BOOST_REQUIRE(pipe(fds) == 0);
  app::InputReader reader(fds[0], 4096);  // tiny queue, nobody taking
  reader.start();
  std::string line(99, 'x');
  line += '\n';
  std::string sent;
  for (int i = 0; i < 2000; ++i) sent += line;
  std::thread writer([&] {
    size_t done = 0;
    while (done < sent.size()) {
      const ssize_t n = write(fds[1], sent.data() + done, std::min<size_t>(1000, sent.size() - done));
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    close(fds[1]);
  });
  writer.join();
  std::this_thread::sleep_for(100ms);
  bool gap = false;
  const std::string got = drain(reader, gap);
  BOOST_TEST(reader.bytes_dropped() > 0u);
  BOOST_TEST(reader.bytes_read() == sent.size());
  BOOST_TEST(got.size() + reader.bytes_dropped() == sent.size());
  // What got through is whole lines only.
  BOOST_TEST(got.size() % line.size() == 0u);
  BOOST_TEST(got.find_first_not_of("x\n") == std::string::npos);
  reader.stop();
  close(fds[0]);
}

BOOST_AUTO_TEST_SUITE_END()
