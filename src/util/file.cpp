#include "util/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace auditeql::util {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads from `fd` until end of file, handing each chunk to `on_chunk`.
template <typename OnChunk>
bool read_chunks(int fd, OnChunk&& on_chunk, std::string& error) {
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      on_chunk(std::string_view(buffer, static_cast<size_t>(n)));
    } else if (n == 0) {
      return true;
    } else if (errno != EINTR) {
      error = std::strerror(errno);
      return false;
    }
  }
}

}  // namespace

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::string content;
  if (!read_chunks(fd.get(), [&](std::string_view chunk) { content.append(chunk); }, error)) return std::nullopt;
  return content;
}

bool read_lines(int fd, const std::function<void(std::string_view)>& on_line, std::string& error) {
  std::string pending;
  const bool ok = read_chunks(
      fd,
      [&](std::string_view chunk) {
        size_t start = 0;
        for (size_t nl = chunk.find('\n'); nl != std::string_view::npos; nl = chunk.find('\n', start)) {
          if (pending.empty()) {
            on_line(chunk.substr(start, nl - start));
          } else {
            pending.append(chunk.substr(start, nl - start));
            on_line(pending);
            pending.clear();
          }
          start = nl + 1;
        }
        pending.append(chunk.substr(start));
      },
      error);
  if (!pending.empty()) on_line(pending);
  return ok;
}

}  // namespace auditeql::util
