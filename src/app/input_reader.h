#pragma once
// Reads the plugin's standard input on its own thread into a bounded queue,
// so that auditd can always hand records over promptly: a plugin that stops
// reading fills auditd's queue ("queue to plugins is full - dropping event")
// and then slows every process on the host. If the pipeline falls behind
// for longer than the queue covers, whole chunks are dropped, counted and
// reported, and the stream resynchronizes at the next line.
//
// auditd writes one record per write(); waking up for each would cost more
// than processing it. So the reader drains everything available, then
// pauses kReadPause before looking again (not after a large drain: auditd's
// socket buffer holds only a few hundred records, and a full one stalls
// auditd), and the consumer takes the queue in batches (at most every
// kBatchWait, sooner when a lot has piled up). Records still reach the
// pipeline within tens of ms.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace auditeql::app {

struct InputChunk {
  std::string bytes;
  bool gap_before = false;  // input was dropped just before these bytes
};

class InputReader {
 public:
  InputReader(int fd, size_t max_queued_bytes);
  ~InputReader();
  InputReader(const InputReader&) = delete;
  InputReader& operator=(const InputReader&) = delete;

  void start();
  void stop();

  static constexpr std::chrono::milliseconds kReadPause{5};
  // A drain this large means auditd's socket was about half full (its send
  // buffer, ~208 KiB of kernel memory, holds roughly 170 records): read on.
  static constexpr size_t kBusyDrainBytes = 16 * 1024;
  static constexpr std::chrono::milliseconds kBatchWait{20};
  static constexpr size_t kBatchBytes = 64 * 1024;

  // Moves the queued chunks into `out`: waits up to `idle_timeout` for the
  // first data, then up to kBatchWait for kBatchBytes to gather. False once
  // the input has ended and everything was taken.
  bool take(std::deque<InputChunk>& out, std::chrono::milliseconds idle_timeout);

  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t bytes_dropped() const { return bytes_dropped_; }
  uint64_t chunks_dropped() const { return chunks_dropped_; }
  size_t peak_queued_bytes() const { return peak_queued_; }

 private:
  void run();
  // Reads until the socket is empty or `buffer` full; sets `ended` at end of input.
  size_t drain(std::string& buffer, bool& ended);
  void push(std::string bytes);

  int fd_;
  size_t max_queued_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<InputChunk> queue_;
  size_t queued_bytes_ = 0;
  std::atomic<size_t> peak_queued_{0};
  bool ended_ = false;
  bool resync_ = false;
  std::atomic<uint64_t> bytes_read_{0};
  std::atomic<uint64_t> bytes_dropped_{0};
  std::atomic<uint64_t> chunks_dropped_{0};
};

}  // namespace auditeql::app
