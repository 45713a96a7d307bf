#include "app/input_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace auditeql::app {

std::chrono::milliseconds read_pause(size_t read_bytes, std::chrono::microseconds since_last_read,
                                     std::chrono::milliseconds max_pause) {
  using std::chrono::milliseconds;
  if (read_bytes >= InputReader::kBusyReadBytes || max_pause.count() <= 0) return milliseconds(0);
  if (read_bytes == 0 || since_last_read.count() <= 0) return max_pause;
  // Time for kTargetDrainBytes to arrive at the rate just seen.
  const double us = static_cast<double>(InputReader::kTargetDrainBytes) * static_cast<double>(since_last_read.count()) /
                    static_cast<double>(read_bytes);
  const double ms = std::min(us / 1000.0, static_cast<double>(max_pause.count()));
  return milliseconds(static_cast<int64_t>(ms));
}

InputReader::InputReader(int fd, size_t max_queued_bytes, std::chrono::milliseconds max_pause)
    : fd_(fd), max_queued_(max_queued_bytes), max_pause_ms_(max_pause.count()) {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

InputReader::~InputReader() {
  stop();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void InputReader::start() {
  // Signals are for the main thread, which handles them between batches.
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  thread_ = std::thread([this] { run(); });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

void InputReader::stop() {
  stop_ = true;
  if (wake_fd_ >= 0) {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
  }
  if (thread_.joinable()) thread_.join();
}

void InputReader::push(const char* data, size_t size) {
  std::lock_guard lock(mutex_);
  if (size == 0) return;
  if (queued_bytes_ + size > max_queued_) {
    bytes_dropped_ += size;
    ++chunks_dropped_;
    mid_line_ = data[size - 1] != '\n';
    gap_pending_ = true;
    return;
  }
  if (mid_line_) {
    // The next chunk queued must start a line: drop the rest of the cut one.
    const auto* nl = static_cast<const char*>(std::memchr(data, '\n', size));
    const size_t cut = nl == nullptr ? size : static_cast<size_t>(nl - data) + 1;
    bytes_dropped_ += cut;
    data += cut;
    size -= cut;
    if (nl == nullptr) return;
    mid_line_ = false;
    if (size == 0) return;
  }
  const bool gap = gap_pending_;
  gap_pending_ = false;
  std::string bytes;
  if (!spares_.empty()) {
    bytes = std::move(spares_.back());
    spares_.pop_back();
  }
  bytes.assign(data, size);
  const size_t before = queued_bytes_;
  queued_bytes_ += size;
  if (queued_bytes_ > peak_queued_) peak_queued_ = queued_bytes_;
  queue_.push_back({std::move(bytes), gap});
  if (before < kBatchBytes && queued_bytes_ >= kBatchBytes) ready_.notify_one();
}

void InputReader::recycle(std::deque<InputChunk>& used) {
  {
    std::lock_guard lock(mutex_);
    for (auto& chunk : used) {
      if (spares_.size() >= kMaxSpareChunks) break;
      chunk.bytes.clear();
      spares_.push_back(std::move(chunk.bytes));
    }
  }
  used.clear();
}

void InputReader::wait_for_input() {
  pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  // Without an eventfd, look at stop_ five times a second.
  const int timeout_ms = wake_fd_ >= 0 ? -1 : 200;
  while (!stop_) {
    const int ready = ::poll(fds, wake_fd_ >= 0 ? 2 : 1, timeout_ms);
    if (ready > 0) return;
    if (ready < 0 && errno != EINTR) return;  // the read reports what is wrong
  }
}

bool InputReader::input_ready_now() const {
  pollfd pfd{fd_, POLLIN, 0};
  return ::poll(&pfd, 1, 0) != 0;  // an error is reported by the read
}

void InputReader::pause(std::chrono::milliseconds pause) {
  if (pause.count() <= 0 || stop_) return;
  if (wake_fd_ < 0) {
    std::this_thread::sleep_for(pause);
    return;
  }
  pollfd wake{wake_fd_, POLLIN, 0};
  ::poll(&wake, 1, static_cast<int>(pause.count()));
}

size_t InputReader::read_available(std::string& buffer, bool& ended) {
  for (;;) {
    const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    ++reads_;
    if (n > 0) return static_cast<size_t>(n);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) ended = true;  // auditd closed the socket, or an error
    return 0;
  }
}

void InputReader::run() {
  std::string buffer(kReadBufferBytes, '\0');
  // Non-blocking: the last read after stop() must not wait for more.
  const int flags = ::fcntl(fd_, F_GETFL);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
  bool ended = false;
  auto last_read = std::chrono::steady_clock::now();
  for (;;) {
    wait_for_input();
    // Once asked to stop, the reads go on until what auditd wrote before
    // has been taken, and no longer (the input may be blocking).
    const bool stopping = stop_;
    if (stopping && !input_ready_now()) break;
    const size_t filled = read_available(buffer, ended);
    const auto now = std::chrono::steady_clock::now();
    if (filled > 0) {
      bytes_read_ += filled;
      push(buffer.data(), filled);
    }
    if (ended) break;
    if (stopping) continue;
    pause(read_pause(filled, std::chrono::duration_cast<std::chrono::microseconds>(now - last_read),
                     std::chrono::milliseconds(max_pause_ms_.load())));
    last_read = now;
  }
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags);
  std::lock_guard lock(mutex_);
  ended_ = true;
  ready_.notify_one();
}

bool InputReader::take(std::deque<InputChunk>& out, std::chrono::milliseconds max_wait) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, max_wait, [&] { return queued_bytes_ >= kBatchBytes || ended_; });
  if (queue_.empty()) return !ended_;
  if (out.empty()) {
    out.swap(queue_);
  } else {
    for (auto& chunk : queue_) out.push_back(std::move(chunk));
  }
  queue_.clear();
  queued_bytes_ = 0;
  return true;
}

}  // namespace auditeql::app
