#include "sinks/file_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace auditeql::sinks {
namespace {

// Writes all of `data`; false on a real error.
bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

FileSink::FileSink(std::string path) : path_(std::move(path)) {
  fd_ = open_file();
  if (fd_ < 0) throw std::runtime_error(path_ + ": " + std::strerror(errno));
}

FileSink::~FileSink() {
  if (fd_ >= 0) ::close(fd_);
}

int FileSink::open_file() const {
  return ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
}

void FileSink::write(const alerts::Alert& alert) {
  line_.assign(alert.json);
  line_ += '\n';
  // One write() per alert: with O_APPEND the line lands whole.
  if (fd_ < 0 || !write_all(fd_, line_.data(), line_.size())) ++write_errors_;
}

void FileSink::reopen() {
  const int fd = open_file();
  if (fd < 0) {
    ++write_errors_;
    return;  // keep writing to the old file rather than losing alerts
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

void StreamSink::write(const alerts::Alert& alert) {
  buffer_ += alert.json;
  buffer_ += '\n';
  if (buffer_.size() >= 1 << 16) flush();
}

void StreamSink::flush() {
  if (!buffer_.empty() && ok_) ok_ = write_all(fd_, buffer_.data(), buffer_.size());
  buffer_.clear();
}

}  // namespace auditeql::sinks
