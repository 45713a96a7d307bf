#include "records/record_stream.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <stdexcept>
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

// A set of up to eight field names (three bytes or more) looked up by a
// field's first four bytes: a multiplicative hash, chosen at compile time
// so that no two distinct heads share a slot, makes the common miss one
// multiply and one compare. This runs for a few dozen fields of every exec.
class FieldNames {
 public:
  template <size_t N>
  constexpr explicit FieldNames(const std::string_view (&names)[N]) {
    static_assert(N <= kSlots / 2);
    for (size_t i = 0; i < N; ++i) {
      // A shorter name would be padded with '=' twice and never match.
      if (names[i].size() < 3) throw std::logic_error("a field name of under three bytes");
      names_[i] = names[i];
    }
    // Names with the same head (cap_fp, cap_fi...) next to each other.
    for (size_t i = 1; i < N; ++i) {
      for (size_t j = i; j > 0 && head_of(names_[j]) < head_of(names_[j - 1]); --j) std::swap(names_[j], names_[j - 1]);
    }
    for (multiplier_ = 0x9E3779B1u;; multiplier_ += 2) {
      uint32_t owner[kSlots] = {};  // head + 1 of the slot's owner, 0 if free
      bool distinct = true;
      for (size_t i = 0; i < N; ++i) {
        const uint32_t head = head_of(names_[i]), slot = slot_of(head);
        distinct = distinct && (owner[slot] == 0 || owner[slot] == head + 1);
        owner[slot] = head + 1;
      }
      if (distinct) break;
    }
    for (size_t i = 0; i < N; ++i) {
      Slot& slot = slots_[slot_of(head_of(names_[i]))];
      if (slot.end == 0) slot = {head_of(names_[i]), static_cast<uint8_t>(i), static_cast<uint8_t>(i)};
      slot.end = static_cast<uint8_t>(i + 1);
    }
  }

  // Whether `field` ("name=value...", at least 4 bytes) has one of the names.
  bool names_field(const char* field, size_t size) const {
    const uint32_t head = static_cast<uint32_t>(static_cast<unsigned char>(field[0])) |
                          static_cast<uint32_t>(static_cast<unsigned char>(field[1])) << 8 |
                          static_cast<uint32_t>(static_cast<unsigned char>(field[2])) << 16 |
                          static_cast<uint32_t>(static_cast<unsigned char>(field[3])) << 24;
    const Slot& slot = slots_[slot_of(head)];
    if (head != slot.head) return false;
    for (size_t i = slot.begin; i < slot.end; ++i) {
      const std::string_view name = names_[i];
      if (size <= name.size() || field[name.size()] != '=') continue;
      // The head covered the first four bytes (or all of a shorter name).
      size_t k = 4;
      while (k < name.size() && field[k] == name[k]) ++k;
      if (k >= name.size()) return true;
    }
    return false;
  }

 private:
  static constexpr uint32_t kSlots = 16;
  struct Slot {
    uint32_t head = 0;
    uint8_t begin = 0, end = 0;  // the names with this head
  };

  // The first four bytes as an integer, "tty=" for a name "tty" (as
  // names_field reads a field's).
  static constexpr uint32_t head_of(std::string_view text) {
    uint32_t head = 0;
    for (size_t k = 0; k < 4; ++k) {
      const char c = k < text.size() ? text[k] : '=';
      head |= static_cast<uint32_t>(static_cast<unsigned char>(c)) << (8 * k);
    }
    return head;
  }
  constexpr uint32_t slot_of(uint32_t head) const { return (head * multiplier_) >> 28; }

  std::string_view names_[kSlots / 2];
  Slot slots_[kSlots] = {};
  uint32_t multiplier_ = 0;
};

// Fields of SYSCALL and PATH records that the events stage does not read.
// libauparse allocates a node for each field it parses: these make up a
// third of the fields of an exec event. Names are at least three bytes.
constexpr std::string_view kUnreadSyscallList[] = {"auid", "suid", "fsuid", "sgid", "fsgid", "ses"};
constexpr std::string_view kUnreadPathList[] = {"ouid",   "ogid",   "rdev",     "cap_fp",
                                                "cap_fi", "cap_fe", "cap_fver", "cap_frootid"};
constexpr FieldNames kUnreadSyscallFields(kUnreadSyscallList);
constexpr FieldNames kUnreadPathFields(kUnreadPathList);

// The first ' ' in [p, end), or `end`. Fields are short (a dozen bytes):
// eight bytes at a time without a call beats memchr here.
const char* find_space(const char* p, const char* end) {
  if constexpr (std::endian::native == std::endian::little) {
    constexpr uint64_t kOnes = 0x0101010101010101u, kHighBits = 0x8080808080808080u, kSpaces = 0x2020202020202020u;
    for (; end - p >= 8; p += 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      word ^= kSpaces;  // a space becomes a zero byte
      // The lowest flagged byte is the first zero byte (flags above it may be false).
      const uint64_t zero_bytes = (word - kOnes) & ~word & kHighBits;
      if (zero_bytes != 0) return p + std::countr_zero(zero_bytes) / 8;
    }
  }
  while (p < end && *p != ' ') ++p;
  return p;
}

// Appends `fields` (" name=value name=value...", as after a record header)
// to `out` without the fields named in `unread`, keeping every other byte
// as it was. Returns whether a field was left out.
bool append_fields_without(std::string& out, std::string_view fields, const FieldNames& unread) {
  const char* const begin = fields.data();
  const char* const end = begin + fields.size();
  const char* copied = begin;
  for (const char* space = begin; space < end;) {
    const char* field = space + 1;
    const char* next = find_space(field, end);
    if (next - field >= 4 && unread.names_field(field, static_cast<size_t>(next - field))) {
      if (space > copied) out.append(copied, space);  // not between two left-out fields
      copied = next;
    }
    space = next;
  }
  out.append(copied, end);
  return copied != begin;
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
  const size_t at = sep == nullptr ? line.size() : static_cast<size_t>(static_cast<const char*>(sep) - line.data());
  bool shortened = sep != nullptr;
  const bool is_syscall = type == "SYSCALL";
  const FieldNames* unread = is_syscall ? &kUnreadSyscallFields : type == "PATH" ? &kUnreadPathFields : nullptr;
  if (unread != nullptr) {
    out_.append(line.substr(0, h.end));
    shortened |= append_fields_without(out_, line.substr(h.end, at - h.end), *unread);
  } else {
    out_.append(line.substr(0, at));
  }
  if (is_syscall && sep != nullptr) {
    if (const std::string_view uid = enriched_token(line.substr(at + 1), "UID="); !uid.empty()) {
      out_ += kEnrichedSeparator;
      out_.append(uid);
    }
  }
  out_ += '\n';
  if (shortened) ++stats_.compacted;
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
