#pragma once
// Reads the plugin's standard input on its own thread into a bounded queue,
// so that auditd can always hand records over promptly: a plugin that stops
// reading fills auditd's queue ("queue to plugins is full - dropping event")
// and then slows every process on the host. If the pipeline falls behind
// for longer than the queue covers, whole chunks are dropped, counted and
// reported, and the stream resynchronizes at the next line.
//
// auditd writes one record per blocking write() to a stream socketpair.
// Waking up for each record would cost far more than processing it (on a
// VM a wake-up costs tens of microseconds), so after each read the reader
// sleeps until about kTargetDrainBytes should have gathered at the rate it
// just saw, at most max_read_pause_ms (auditeql.yaml). The socket holds ~280
// records (33-60 KB for typical records) before auditd's write() blocks,
// and then auditd's own queue (q_depth, 2000 by default) fills for the rest
// of the pause. The cap trades CPU for that queue's headroom: on a 2-vCPU
// VM, an exec storm with 20 ms cost 14 % of auditd's CPU and peaked at
// 554-1,126 queued records of 2,000; with 5 ms, 22 % and 109-201.
//
// The consumer does not need to keep pace with auditd, only to keep the
// queue bounded, so it takes work in larger batches: when kBatchBytes have
// gathered, or when its own wait ends.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace auditeql::app {

struct InputChunk {
  std::string bytes;
  bool gap_before = false;  // input was dropped just before these bytes
};

// How long to let input gather after a read of `read_bytes` that came
// `since_last_read` after the previous one, at most `max_pause`. Pure, so
// it is tested alone.
std::chrono::milliseconds read_pause(size_t read_bytes, std::chrono::microseconds since_last_read,
                                     std::chrono::milliseconds max_pause);

class InputReader {
 public:
  InputReader(int fd, size_t max_queued_bytes, std::chrono::milliseconds max_pause = kDefaultMaxPause);
  ~InputReader();
  InputReader(const InputReader&) = delete;
  InputReader& operator=(const InputReader&) = delete;

  void start();
  // Takes effect after the current pause (a reload may change it).
  void set_max_pause(std::chrono::milliseconds max_pause) { max_pause_ms_ = max_pause.count(); }
  // Applies to the next chunk read; what is queued already stays queued.
  void set_max_queued_bytes(size_t max_queued_bytes) {
    std::lock_guard lock(mutex_);
    max_queued_ = max_queued_bytes;
  }
  // Reads what is already in the input, then ends the thread.
  void stop();

  static constexpr std::chrono::milliseconds kDefaultMaxPause{20};
  // Under half of what the socket holds for the smallest records.
  static constexpr size_t kTargetDrainBytes = 16 * 1024;
  // A read this large found the socket half full or more: auditd's write()
  // may be about to block, so read again without a pause.
  static constexpr size_t kBusyReadBytes = 2 * kTargetDrainBytes;
  static constexpr size_t kReadBufferBytes = 256 * 1024;
  static constexpr size_t kBatchBytes = 64 * 1024;

  // Appends the queued chunks to `out` once kBatchBytes are queued, the
  // input has ended, or `max_wait` has passed (then whatever is queued,
  // possibly nothing). False once the input has ended and everything was taken.
  bool take(std::deque<InputChunk>& out, std::chrono::milliseconds max_wait);
  // Takes back chunks whose bytes were used, and clears `used`: later reads
  // reuse their storage instead of allocating (and glibc trimming the
  // reader's arena, which costs page faults on every regrowth).
  void recycle(std::deque<InputChunk>& used);
  static constexpr size_t kMaxSpareChunks = 8;

  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t bytes_dropped() const { return bytes_dropped_; }
  uint64_t chunks_dropped() const { return chunks_dropped_; }
  uint64_t reads() const { return reads_; }
  size_t peak_queued_bytes() const { return peak_queued_; }

 private:
  void run();
  // Blocks until the input is readable or stop() was called.
  void wait_for_input();
  // Whether a read would return at once (data, end of input or an error).
  bool input_ready_now() const;
  // Sleeps for `pause` unless stop() is called meanwhile.
  void pause(std::chrono::milliseconds pause);
  // One read of everything available (a stream socket or pipe hands over
  // all it holds, up to the buffer size); sets `ended` at end of input.
  size_t read_available(std::string& buffer, bool& ended);
  void push(const char* data, size_t size);

  int fd_;
  int wake_fd_ = -1;  // eventfd: stop() wakes the reader from poll()
  size_t max_queued_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> max_pause_ms_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<InputChunk> queue_;
  std::vector<std::string> spares_;  // emptied chunk storage, at most kMaxSpareChunks
  size_t queued_bytes_ = 0;
  std::atomic<size_t> peak_queued_{0};
  bool ended_ = false;
  bool mid_line_ = false;     // input was dropped and its last byte was not '\n'
  bool gap_pending_ = false;  // input was dropped since the last queued chunk
  std::atomic<uint64_t> bytes_read_{0};
  std::atomic<uint64_t> bytes_dropped_{0};
  std::atomic<uint64_t> chunks_dropped_{0};
  std::atomic<uint64_t> reads_{0};
};

}  // namespace auditeql::app
