#include "app/input_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

namespace auditeql::app {

InputReader::InputReader(int fd, size_t max_queued_bytes) : fd_(fd), max_queued_(max_queued_bytes) {}

InputReader::~InputReader() { stop(); }

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
  if (thread_.joinable()) thread_.join();
}

void InputReader::push(std::string bytes) {
  std::lock_guard lock(mutex_);
  if (queued_bytes_ + bytes.size() > max_queued_) {
    bytes_dropped_ += bytes.size();
    ++chunks_dropped_;
    resync_ = true;
    return;
  }
  bool gap = false;
  if (resync_) {
    // Resume at a line boundary; the rest of the cut line is dropped too.
    const size_t nl = bytes.find('\n');
    if (nl == std::string::npos) {
      bytes_dropped_ += bytes.size();
      return;
    }
    bytes_dropped_ += nl + 1;
    bytes.erase(0, nl + 1);
    resync_ = false;
    gap = true;
  }
  const bool was_empty = queue_.empty();
  const size_t before = queued_bytes_;
  queued_bytes_ += bytes.size();
  if (queued_bytes_ > peak_queued_) peak_queued_ = queued_bytes_;
  queue_.push_back({std::move(bytes), gap});
  // Wake the consumer for the first data and when a batch is full, not for every read.
  if (was_empty || (before < kBatchBytes && queued_bytes_ >= kBatchBytes)) ready_.notify_one();
}

size_t InputReader::drain(std::string& buffer, bool& ended) {
  size_t filled = 0;
  for (;;) {
    const ssize_t n = ::read(fd_, buffer.data() + filled, buffer.size() - filled);
    if (n > 0) {
      filled += static_cast<size_t>(n);
      if (filled == buffer.size()) return filled;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) ended = true;  // auditd closed the socket, or an error
    return filled;
  }
}

void InputReader::run() {
  constexpr size_t kChunk = 256 * 1024;
  std::string buffer(kChunk, '\0');
  // Non-blocking, so that one wake-up drains everything auditd has written.
  const int flags = ::fcntl(fd_, F_GETFL);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
  bool ended = false;
  for (;;) {
    // Once asked to stop, one last drain takes what auditd wrote before.
    const bool stopping = stop_;
    if (!stopping) {
      pollfd pfd{fd_, POLLIN, 0};
      const int ready = ::poll(&pfd, 1, 200);
      if (ready < 0 && errno != EINTR) break;
      if (ready <= 0) continue;
    }
    const size_t filled = drain(buffer, ended);
    if (filled > 0) {
      bytes_read_ += filled;
      push(std::string(buffer.data(), filled));
    }
    if (ended || stopping) break;
    // Let records gather instead of waking for each one, unless plenty came
    // at once: then auditd is busy and its socket must not fill.
    if (filled < kBusyDrainBytes) std::this_thread::sleep_for(kReadPause);
  }
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags);
  std::lock_guard lock(mutex_);
  ended_ = true;
  ready_.notify_one();
}

bool InputReader::take(std::deque<InputChunk>& out, std::chrono::milliseconds idle_timeout) {
  std::unique_lock lock(mutex_);
  if (queue_.empty() && !ended_) ready_.wait_for(lock, idle_timeout, [&] { return !queue_.empty() || ended_; });
  if (!queue_.empty() && !ended_ && queued_bytes_ < kBatchBytes) {
    ready_.wait_for(lock, kBatchWait, [&] { return queued_bytes_ >= kBatchBytes || ended_; });
  }
  if (queue_.empty()) return !ended_;
  out.swap(queue_);
  queue_.clear();
  queued_bytes_ = 0;
  return true;
}

}  // namespace auditeql::app
