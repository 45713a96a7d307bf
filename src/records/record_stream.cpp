#include "records/record_stream.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>
#include <vector>

namespace auditeql::records {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool consume(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

bool consume_digits(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && is_digit(s[n])) ++n;
  if (n == 0 || n > 20) return false;
  s.remove_prefix(n);
  return true;
}

bool is_type_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '[' || c == ']';
}

}  // namespace

LineVerdict classify_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return LineVerdict::Blank;
  if (line.find('\0') != std::string_view::npos) return LineVerdict::Binary;
  std::string_view s = line;
  if (consume(s, "node=")) {
    const size_t space = s.find(' ');
    if (space == 0 || space == std::string_view::npos) return LineVerdict::Malformed;
    s.remove_prefix(space + 1);
  }
  if (!consume(s, "type=")) return LineVerdict::Malformed;
  size_t n = 0;
  while (n < s.size() && is_type_char(s[n])) ++n;
  if (n == 0) return LineVerdict::Malformed;
  s.remove_prefix(n);
  if (!consume(s, " msg=audit(") || !consume_digits(s) || !consume(s, ".") || !consume_digits(s) ||
      !consume(s, ":") || !consume_digits(s) || !consume(s, "):")) {
    return LineVerdict::Malformed;
  }
  return LineVerdict::Record;
}

RecordStream::RecordStream(RecordHandler on_record, size_t max_line)
    : on_record_(std::move(on_record)), max_line_(max_line) {}

void RecordStream::drop(LineVerdict why, std::string_view line) {
  switch (why) {
    case LineVerdict::Malformed: ++stats_.malformed; break;
    case LineVerdict::Binary: ++stats_.binary; break;
    default: break;
  }
  if (on_drop_) on_drop_(stats_.lines, why, line.substr(0, 80));
}

void RecordStream::handle_line(std::string_view line) {
  ++stats_.lines;
  const LineVerdict verdict = classify_line(line);
  if (verdict == LineVerdict::Blank) {
    ++stats_.blank;
    return;
  }
  if (verdict != LineVerdict::Record) {
    drop(verdict, line);
    return;
  }
  if (line.back() == '\r') line.remove_suffix(1);
  ++stats_.records;
  on_record_(line);
}

void RecordStream::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const size_t nl = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, nl);
    if (discarding_) {
      if (nl == std::string_view::npos) return;
      discarding_ = false;
    } else if (partial_.size() + piece.size() > max_line_) {
      ++stats_.lines;
      ++stats_.oversized;
      if (on_drop_) on_drop_(stats_.lines, LineVerdict::Malformed, "(line longer than the limit)");
      partial_.clear();
      discarding_ = nl == std::string_view::npos;
      if (discarding_) return;
    } else if (nl == std::string_view::npos) {
      partial_.append(piece);
      return;
    } else if (partial_.empty()) {
      handle_line(piece);
    } else {
      partial_.append(piece);
      handle_line(partial_);
      partial_.clear();
    }
    bytes.remove_prefix(nl + 1);
  }
}

void RecordStream::finish() {
  if (!partial_.empty()) {
    handle_line(partial_);
    partial_.clear();
  }
  discarding_ = false;
}

void RecordStream::discard_partial_line() {
  if (!partial_.empty()) {
    ++stats_.lines;
    ++stats_.malformed;
    partial_.clear();
  }
  // The next bytes start in the middle of some line: skip to its end.
  discarding_ = true;
}

bool read_fd_into(int fd, RecordStream& stream, std::string& error) {
  std::vector<char> buffer(256 * 1024);
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      stream.feed(std::string_view(buffer.data(), static_cast<size_t>(n)));
    } else if (n == 0) {
      stream.finish();
      return true;
    } else if (errno != EINTR) {
      error = std::strerror(errno);
      stream.finish();
      return false;
    }
  }
}

}  // namespace auditeql::records
