#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

#include "app/input_reader.h"
#include "records/record_stream.h"

using namespace auditeql;
using namespace std::chrono_literals;

namespace {

// A pipe standing in for auditd's socket, and a reader on it. The reader is
// stopped before the pipe is closed; ends still open are closed on the way out.
struct PipeInput {
  int read_end = -1;
  int write_end = -1;
  std::optional<app::InputReader> reader;

  explicit PipeInput(size_t max_queued_bytes = 1 << 20) {
    int fds[2];
    BOOST_REQUIRE(pipe(fds) == 0);
    read_end = fds[0];
    write_end = fds[1];
    reader.emplace(read_end, max_queued_bytes);
  }
  ~PipeInput() {
    reader.reset();
    close_input();
    ::close(read_end);
  }
  void write_all(std::string_view bytes) const {
    BOOST_REQUIRE(::write(write_end, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  }
  void close_input() {
    if (write_end >= 0) ::close(write_end);
    write_end = -1;
  }
};

// Takes until the input has ended; the bytes, and whether a gap was marked.
std::string drain(app::InputReader& reader, bool& saw_gap) {
  std::string all;
  std::deque<app::InputChunk> chunks;
  while (reader.take(chunks, 200ms)) {
    for (auto& c : chunks) {
      saw_gap = saw_gap || c.gap_before;
      all += c.bytes;
    }
    reader.recycle(chunks);
  }
  return all;
}

// Takes until `size` bytes came (or a take found nothing for 100 ms).
std::string take_bytes(app::InputReader& reader, size_t size, std::deque<app::InputChunk>& chunks) {
  std::string got;
  while (got.size() < size && reader.take(chunks, 100ms)) {
    for (const auto& c : chunks) got += c.bytes;
    reader.recycle(chunks);
  }
  return got;
}

std::string numbered_records(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += "type=EOE msg=audit(1.2:" + std::to_string(i) + "):\n";
  return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(input_reader)

BOOST_AUTO_TEST_CASE(everything_written_is_read_and_end_of_input_is_reported) {
  PipeInput input;
  input.reader->start();
  const std::string sent = numbered_records(1000);
  input.write_all(sent);
  input.close_input();
  bool gap = false;
  BOOST_TEST(drain(*input.reader, gap) == sent);
  BOOST_TEST(!gap);
  BOOST_TEST(input.reader->bytes_dropped() == 0u);
}

BOOST_AUTO_TEST_CASE(a_full_queue_drops_input_and_resumes_at_a_line_start_without_losing_more) {
  // A queue of two reads or so (reads aim at kTargetDrainBytes), and a
  // consumer that only takes once input was dropped.
  PipeInput input(2 * app::InputReader::kTargetDrainBytes);
  app::InputReader& reader = *input.reader;
  reader.start();
  // 36-byte records written 1000 bytes at a time: drops cut lines anywhere.
  std::string sent;
  for (int i = 0; i < 8000; ++i) {
    char line[64];
    std::snprintf(line, sizeof line, "type=EOE msg=audit(1.000:%06d): \n", i);
    sent += line;
  }
  std::thread writer([&] {
    for (size_t done = 0; done < sent.size();) {
      const ssize_t n = ::write(input.write_end, sent.data() + done, std::min<size_t>(1000, sent.size() - done));
      if (n <= 0) break;
      done += static_cast<size_t>(n);
      std::this_thread::sleep_for(1ms);
    }
    input.close_input();
  });
  // The real record stage consumes the chunks, as in the plugin.
  std::vector<std::string> records;
  records::RecordStream stream([&](std::string_view run) {
    for (size_t at = 0; at < run.size();) {
      const size_t nl = run.find('\n', at);
      records.emplace_back(run.substr(at, nl - at));
      at = nl + 1;
    }
  });
  size_t gaps = 0, queued_bytes = 0, complete_lines_queued = 0, lines_in_run = 0;
  std::deque<app::InputChunk> chunks;
  for (;;) {
    const uint64_t dropped = reader.bytes_dropped();
    for (int i = 0; i < 100 && reader.bytes_dropped() == dropped; ++i) std::this_thread::sleep_for(1ms);
    const bool more = reader.take(chunks, 0ms);
    for (const auto& c : chunks) {
      if (c.gap_before) {
        ++gaps;
        // After a gap a chunk starts a line: it begins like every record.
        BOOST_TEST(c.bytes.rfind("type=EOE ", 0) == 0u);
        complete_lines_queued += lines_in_run;
        lines_in_run = 0;
        stream.discard_partial_line();
      }
      queued_bytes += c.bytes.size();
      lines_in_run += static_cast<size_t>(std::count(c.bytes.begin(), c.bytes.end(), '\n'));
      stream.feed(c.bytes);
    }
    reader.recycle(chunks);
    if (!more) break;
  }
  writer.join();
  complete_lines_queued += lines_in_run;
  stream.finish();
  BOOST_TEST_MESSAGE(gaps << " gaps, " << records.size() << " of 8000 records kept");
  BOOST_TEST(gaps > 0u);
  BOOST_TEST(reader.bytes_read() == sent.size());
  BOOST_TEST(queued_bytes + reader.bytes_dropped() == sent.size());
  // Every record kept is intact and in order; every complete line queued
  // comes out, none after a gap is skipped as well.
  BOOST_TEST(records.size() == complete_lines_queued);
  BOOST_TEST(records.size() > 0u);
  int previous = -1;
  for (const auto& r : records) {
    int serial = -1;
    BOOST_TEST_REQUIRE(std::sscanf(r.c_str(), "type=EOE msg=audit(1.000:%d):", &serial) == 1);
    char intact[64];
    std::snprintf(intact, sizeof intact, "type=EOE msg=audit(1.000:%06d):", serial);
    BOOST_TEST(r.rfind(intact, 0) == 0u);
    BOOST_TEST(serial > previous);
    previous = serial;
  }
}

BOOST_AUTO_TEST_CASE(the_pause_lets_a_target_amount_gather_at_the_rate_just_seen) {
  using app::InputReader;
  using std::chrono::microseconds;
  const auto pause = [](size_t bytes, microseconds since) {
    return app::read_pause(bytes, since, InputReader::kDefaultMaxPause).count();
  };
  const int64_t cap = InputReader::kDefaultMaxPause.count();
  // Quiet input, or a spurious wake-up: the longest pause.
  BOOST_TEST(pause(0, 10ms) == cap);
  BOOST_TEST(pause(200, 5s) == cap);
  // 16 KiB in 20 ms: another 20 ms. 16 KiB in 10 ms: 10 ms.
  BOOST_TEST(pause(16 * 1024, 20ms) == 20);
  BOOST_TEST(pause(16 * 1024, 10ms) == 10);
  // 20 KiB in 10 ms: filling fast, a short pause.
  BOOST_TEST(pause(20 * 1024, 10ms) == 8);
  // The socket was half full or more: auditd may block, read again at once.
  BOOST_TEST(pause(InputReader::kBusyReadBytes, 1s) == 0);
  BOOST_TEST(pause(InputReader::kReadBufferBytes, 10ms) == 0);
  // The pause never exceeds the cap, whatever the rate; a cap of 0 never pauses.
  for (size_t bytes : {0, 1, 100, 4096, 16384, 100000}) {
    for (microseconds since : {microseconds(1), microseconds(1ms), microseconds(40ms), microseconds(1s)}) {
      BOOST_TEST(pause(bytes, since) >= 0);
      BOOST_TEST(pause(bytes, since) <= cap);
      BOOST_TEST(app::read_pause(bytes, since, 5ms).count() <= 5);
      BOOST_TEST(app::read_pause(bytes, since, 0ms).count() == 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(stop_returns_promptly_while_waiting_for_input_and_keeps_what_came) {
  PipeInput input;
  input.reader->start();
  std::this_thread::sleep_for(50ms);  // the reader now waits in poll(), with no timeout
  const std::string line = "type=EOE msg=audit(1.2:3):\n";
  input.write_all(line);
  const auto before = std::chrono::steady_clock::now();
  input.reader->stop();  // whether the reader saw the line already or not, it keeps it
  const auto took = std::chrono::steady_clock::now() - before;
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(took).count() < 1000);
  bool gap = false;
  BOOST_TEST(drain(*input.reader, gap) == line);
}

BOOST_AUTO_TEST_CASE(after_stop_everything_already_written_is_read_and_no_more_waited_for) {
  PipeInput input;
  // The input stays open (no end of input): the reader must not wait for more.
  const std::string sent = numbered_records(1000);
  input.write_all(sent);
  input.reader->stop();   // asked to stop before it ever waited:
  input.reader->start();  // its only work is the last reads
  bool gap = false;
  BOOST_TEST(drain(*input.reader, gap) == sent);
}

BOOST_AUTO_TEST_CASE(take_appends_to_what_the_caller_still_holds) {
  PipeInput input;
  input.reader->start();
  const std::string line = "type=EOE msg=audit(1.2:3):\n";
  input.write_all(line);
  input.close_input();
  std::deque<app::InputChunk> chunks;
  chunks.push_back({"held\n", false});
  while (input.reader->take(chunks, 1s)) {
  }
  std::string got;
  for (const auto& c : chunks) got += c.bytes;
  BOOST_TEST(got == "held\n" + line);
}

BOOST_AUTO_TEST_CASE(a_trickle_of_records_is_read_in_batches_not_one_read_each) {
  PipeInput input;
  input.reader->start();
  // 200 records, one write each, 1 ms apart: like auditd during an exec storm.
  const auto began = std::chrono::steady_clock::now();
  const std::string sent = numbered_records(200);
  for (size_t at = 0; at < sent.size();) {
    const size_t end = sent.find('\n', at) + 1;
    input.write_all(std::string_view(sent).substr(at, end - at));
    at = end;
    std::this_thread::sleep_for(1ms);
  }
  input.close_input();
  bool gap = false;
  BOOST_TEST(drain(*input.reader, gap) == sent);
  const auto elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count();
  // At this rate each read is followed by the longest pause (20 ms). A
  // read per record would be 200, a read every 5 ms about 50; a slower
  // machine only lowers the count.
  BOOST_TEST_MESSAGE("reads for 200 records in " << elapsed_ms << " ms: " << input.reader->reads());
  BOOST_TEST(input.reader->reads() <= static_cast<uint64_t>(elapsed_ms / 10 + 5));
}

BOOST_AUTO_TEST_CASE(recycled_chunks_are_reused_for_later_reads) {
  PipeInput input;
  input.reader->start();
  std::deque<app::InputChunk> chunks;
  const std::string first(4000, 'a');  // beyond any small-string buffer
  input.write_all(first);
  BOOST_REQUIRE(take_bytes(*input.reader, first.size(), chunks) == first);
  BOOST_TEST(chunks.empty());
  // A write under PIPE_BUF arrives whole: the 4000 bytes were one chunk,
  // and a chunk built on its storage keeps that capacity.
  const std::string second(1000, 'b');
  input.write_all(second);
  std::string got;
  bool reused = true;
  while (got.size() < second.size() && input.reader->take(chunks, 100ms)) {
    for (const auto& c : chunks) {
      got += c.bytes;
      reused = reused && c.bytes.capacity() >= first.size();
    }
    input.reader->recycle(chunks);
  }
  BOOST_TEST(got == second);
  BOOST_TEST(reused);
}

BOOST_AUTO_TEST_SUITE_END()
