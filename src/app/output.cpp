#include "app/output.h"

#include <cerrno>
#include <unistd.h>

namespace auditeql::app {

void FdWriter::flush() {
  size_t done = 0;
  while (ok_ && done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      ok_ = false;
    }
  }
  buffer_.clear();
}

}  // namespace auditeql::app
