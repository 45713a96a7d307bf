#include "app/input_reader.h"

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
  queued_bytes_ += bytes.size();
  if (queued_bytes_ > peak_queued_) peak_queued_ = queued_bytes_;
  queue_.push_back({std::move(bytes), gap});
  ready_.notify_one();
}

void InputReader::run() {
  constexpr size_t kChunk = 64 * 1024;
  std::string buffer(kChunk, '\0');
  while (!stop_) {
    pollfd pfd{fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, 200);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;  // end of input (auditd closed the socket) or a read error
    bytes_read_ += static_cast<uint64_t>(n);
    push(buffer.substr(0, static_cast<size_t>(n)));
  }
  std::lock_guard lock(mutex_);
  ended_ = true;
  ready_.notify_one();
}

bool InputReader::take(std::deque<InputChunk>& out, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (queue_.empty() && !ended_) ready_.wait_for(lock, timeout, [&] { return !queue_.empty() || ended_; });
  if (queue_.empty()) return !ended_;
  out.swap(queue_);
  queue_.clear();
  queued_bytes_ = 0;
  return true;
}

}  // namespace auditeql::app
