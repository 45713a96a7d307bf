#include "records/record_stream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>
#include <vector>

namespace auditeql::records {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_type_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '[' || c == ']';
}

constexpr char kEnrichedSeparator = '\x1d';

// The token `NAME...` of an enriched tail ("ARCH=x86_64 ... UID=\"root\" ..."),
// matched at a token start so that AUID= is not taken for UID=; empty if absent.
std::string_view enriched_token(std::string_view tail, std::string_view name) {
  for (size_t pos = 0; pos < tail.size();) {
    const size_t end = std::min(tail.find(' ', pos), tail.size());
    const std::string_view token = tail.substr(pos, end - pos);
    if (token.substr(0, name.size()) == name) return token;
    pos = end + 1;
  }
  return {};
}

}  // namespace

LineVerdict classify_line(std::string_view line, RecordHeader* header) {
  if (std::memchr(line.data(), '\0', line.size()) != nullptr) return LineVerdict::Binary;
  return classify_text_line(line, header);
}

LineVerdict classify_text_line(std::string_view line, RecordHeader* header) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return LineVerdict::Blank;
  const char* p = line.data();
  const char* const end = p + line.size();
  const auto literal = [&](const char* text, size_t n) {
    if (static_cast<size_t>(end - p) < n || std::memcmp(p, text, n) != 0) return false;
    p += n;
    return true;
  };
  const auto digits = [&] {
    const char* start = p;
    while (p < end && is_digit(*p)) ++p;
    return p > start && p - start <= 20;
  };
  if (literal("node=", 5)) {
    const char* space = static_cast<const char*>(std::memchr(p, ' ', static_cast<size_t>(end - p)));
    if (space == nullptr || space == p) return LineVerdict::Malformed;
    p = space + 1;
  }
  if (!literal("type=", 5)) return LineVerdict::Malformed;
  const char* type = p;
  while (p < end && is_type_char(*p)) ++p;
  if (p == type) return LineVerdict::Malformed;
  const char* type_end = p;
  if (!literal(" msg=audit(", 11) || !digits() || !literal(".", 1) || !digits() || !literal(":", 1) || !digits() ||
      !literal("):", 2)) {
    return LineVerdict::Malformed;
  }
  if (header != nullptr) {
    header->type_begin = static_cast<size_t>(type - line.data());
    header->type_end = static_cast<size_t>(type_end - line.data());
    header->end = static_cast<size_t>(p - line.data());
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

bool RecordStream::accept(std::string_view line, bool may_hold_nul, RecordHeader& header) {
  ++stats_.lines;
  const LineVerdict verdict = may_hold_nul ? classify_line(line, &header) : classify_text_line(line, &header);
  if (verdict == LineVerdict::Record) {
    ++stats_.records;
    return true;
  }
  if (verdict == LineVerdict::Blank) {
    ++stats_.blank;
  } else {
    drop(verdict, line);
  }
  return false;
}

void RecordStream::append_compacted(std::string_view line, const RecordHeader& h) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const std::string_view type = line.substr(h.type_begin, h.type_end - h.type_begin);
  if (type == "BPRM_FCAPS") {
    ++stats_.compacted;
    return;
  }
  if (type == "PROCTITLE") {
    ++stats_.compacted;
    out_.append(line.substr(0, h.type_begin));  // "[node=NAME ]type="
    out_ += "EOE";
    out_.append(line.substr(h.type_end, h.end - h.type_end));  // " msg=audit(...):"
    out_ += '\n';
    return;
  }
  // The ENRICHED tail after \x1d repeats raw fields in readable form, and
  // libauparse would parse every token of it. Only the user name (UID=) is
  // read downstream, and it must come from the log, not this host's user
  // database: keep that one token of a SYSCALL record, drop the rest.
  const void* sep = std::memchr(line.data() + h.end, kEnrichedSeparator, line.size() - h.end);
  if (sep == nullptr) {
    out_.append(line);
    out_ += '\n';
    return;
  }
  ++stats_.compacted;
  const size_t at = static_cast<size_t>(static_cast<const char*>(sep) - line.data());
  out_.append(line.substr(0, at));
  if (type == "SYSCALL") {
    if (const std::string_view uid = enriched_token(line.substr(at + 1), "UID="); !uid.empty()) {
      out_ += kEnrichedSeparator;
      out_.append(uid);
    }
  }
  out_ += '\n';
}

void RecordStream::emit_copy(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  scratch_.assign(line);
  scratch_ += '\n';
  on_record_(scratch_);
}

void RecordStream::feed(std::string_view bytes) {
  // First finish a line begun in an earlier call (or skip the rest of an
  // oversized one).
  if (discarding_ || !partial_.empty()) {
    const size_t nl = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, nl);
    if (discarding_) {
      if (nl == std::string_view::npos) return;
      discarding_ = false;
    } else if (partial_.size() + piece.size() > max_line_) {
      count_oversized_line();
      partial_.clear();
      discarding_ = nl == std::string_view::npos;
      if (discarding_) return;
    } else {
      partial_.append(piece);
      if (nl == std::string_view::npos) return;
      emit_partial_line();
    }
    bytes.remove_prefix(nl + 1);
  }
  // Then whole lines, passed on in runs straight from `bytes`. One scan of
  // the whole buffer for NUL bytes spares each line its own.
  const bool may_hold_nul = std::memchr(bytes.data(), '\0', bytes.size()) != nullptr;
  size_t run_start = 0, run_end = 0, pos = 0;
  RecordHeader header;
  const auto flush_run = [&] {
    if (run_end > run_start) on_record_(bytes.substr(run_start, run_end - run_start));
  };
  if (compact_) out_.clear();
  while (pos < bytes.size()) {
    const char* nl_ptr = static_cast<const char*>(std::memchr(bytes.data() + pos, '\n', bytes.size() - pos));
    if (nl_ptr == nullptr) break;
    const size_t nl = static_cast<size_t>(nl_ptr - bytes.data());
    const std::string_view line = bytes.substr(pos, nl - pos);
    if (line.size() > max_line_) {
      flush_run();
      count_oversized_line();
      run_start = run_end = nl + 1;
    } else if (!accept(line, may_hold_nul, header)) {
      flush_run();
      run_start = run_end = nl + 1;
    } else if (compact_) {
      append_compacted(line, header);
    } else if (line.back() == '\r') {
      flush_run();
      emit_copy(line);
      run_start = run_end = nl + 1;
    } else {
      run_end = nl + 1;
    }
    pos = nl + 1;
  }
  flush_run();
  if (compact_ && !out_.empty()) on_record_(out_);
  // Keep an unfinished last line for the next call.
  const std::string_view rest = bytes.substr(pos);
  if (rest.size() > max_line_) {
    count_oversized_line();
    discarding_ = true;
  } else {
    partial_.assign(rest);
  }
}

void RecordStream::finish() {
  if (!partial_.empty()) emit_partial_line();
  discarding_ = false;
}

void RecordStream::count_oversized_line() {
  ++stats_.lines;
  ++stats_.oversized;
  if (on_drop_) on_drop_(stats_.lines, LineVerdict::Malformed, "(line longer than the limit)");
}

void RecordStream::emit_partial_line() {
  RecordHeader header;
  if (accept(partial_, true, header)) {
    if (compact_) {
      out_.clear();
      append_compacted(partial_, header);
      if (!out_.empty()) on_record_(out_);
    } else {
      emit_copy(partial_);
    }
  }
  partial_.clear();
}

void RecordStream::discard_partial_line() {
  if (!partial_.empty()) {
    ++stats_.lines;
    ++stats_.malformed;
    partial_.clear();
  }
  // Also ends an oversized line being skipped: what comes next is a new line.
  discarding_ = false;
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
