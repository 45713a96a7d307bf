#pragma once
// Buffered writing to a file descriptor (stdout for NDJSON output).
#include <string>
#include <string_view>

namespace auditeql::app {

class FdWriter {
 public:
  explicit FdWriter(int fd, size_t buffer_size = 1 << 16) : fd_(fd), limit_(buffer_size) { buffer_.reserve(limit_); }
  ~FdWriter() { flush(); }
  FdWriter(const FdWriter&) = delete;
  FdWriter& operator=(const FdWriter&) = delete;

  // A line of text; '\n' is appended.
  void line(std::string_view text) {
    buffer_.append(text);
    buffer_ += '\n';
    if (buffer_.size() >= limit_) flush();
  }
  void flush();
  // False once a write failed (reader gone, disk full): stop producing.
  bool ok() const { return ok_; }

 private:
  int fd_;
  size_t limit_;
  std::string buffer_;
  bool ok_ = true;
};

}  // namespace auditeql::app
