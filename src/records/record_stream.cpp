#include "records/record_stream.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <optional>
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

// Appends to `out` the tokens of an enriched tail ("ARCH=x86_64 ... UID=\"root\"
// EUID=\"root\" ...") that start with one of `names` ("UID=", matched at a
// token start so that AUID= is not taken for UID=), in the tail's order, the
// first after `separator` and the others after a space. One pass over the
// tail, ended once every name is found.
void append_enriched_tokens(std::string& out, std::string_view tail, const std::vector<std::string>& names,
                            char separator) {
  size_t found = 0;
  for (size_t pos = 0; pos < tail.size() && found < names.size();) {
    const size_t end = std::min(tail.find(' ', pos), tail.size());
    const std::string_view token = tail.substr(pos, end - pos);
    for (const auto& name : names) {
      if (token.substr(0, name.size()) != name) continue;
      out += found == 0 ? separator : ' ';
      out.append(token);
      ++found;
      break;
    }
    pos = end + 1;
  }
}

// A set of field names, looked up by a field's text ("name=value ..."):
// the first two bytes of a name pick its slot by a multiplicative hash, and
// the few names of a slot are tried in place, each by its first two bytes,
// its '=' and the bytes between. No scan to the '=' first: this runs for
// every field of the SYSCALL and PATH records of every exec.
class FieldNameSet {
 public:
  explicit FieldNameSet(std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::erase_if(names, [](const std::string& n) { return n.empty() || n.size() > kMaxName; });
    // Each slot's names next to each other (a slot may hold several pairs:
    // each name carries its own).
    std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
      return slot_of(pair_of(a.data(), a.size())) < slot_of(pair_of(b.data(), b.size()));
    });
    for (size_t i = 0; i < names.size(); ++i) {
      const uint32_t pair = pair_of(names[i].data(), names[i].size());
      Slot& slot = slots_[slot_of(pair)];
      if (slot.end == 0) slot.begin = static_cast<uint16_t>(i);
      slot.end = static_cast<uint16_t>(i + 1);
      names_.push_back({{}, static_cast<uint8_t>(names[i].size()), pair});
      std::memcpy(names_.back().text, names[i].data(), names[i].size());
    }
  }

  enum class Lookup : uint8_t { NotAField, Absent, Present };
  // Whether the token `field` (`size` bytes, "name=value") is a field with
  // one of the names; NotAField when it has no "name=" (the rest of a value
  // that holds a space, or the empty token between two spaces).
  Lookup find(const char* field, size_t size) const {
    if (size >= 2) {
      const uint32_t pair = static_cast<uint32_t>(static_cast<unsigned char>(field[0])) << 8 |
                            static_cast<unsigned char>(field[1]);
      const Slot& slot = slots_[slot_of(pair)];
      for (size_t i = slot.begin; i < slot.end; ++i) {
        const Name& name = names_[i];
        if (name.pair != pair || size <= name.length || field[name.length] != '=') continue;
        size_t k = 2;  // the pair matched (a one-byte name's second byte is its '=')
        while (k < name.length && field[k] == name.text[k]) ++k;
        if (k >= name.length) return Lookup::Present;
      }
    }
    // Not one of the names: a field of another name, or no field at all.
    const size_t limit = std::min(size, kMaxName + 1);
    for (size_t k = 1; k < limit; ++k) {
      if (field[k] == '=') return Lookup::Absent;
    }
    return Lookup::NotAField;
  }

 private:
  static constexpr size_t kMaxName = 31;
  static constexpr uint32_t kSlotBits = 8;
  static constexpr uint32_t kSlots = 1u << kSlotBits;
  struct Slot {
    uint16_t begin = 0, end = 0;
  };
  struct Name {
    char text[kMaxName];
    uint8_t length;
    uint32_t pair;  // other pairs may share its slot
  };
  // The first two bytes; a one-byte name's second is its '='.
  static uint32_t pair_of(const char* text, size_t length) {
    const auto byte = [&](size_t k) { return k < length ? static_cast<uint32_t>(static_cast<unsigned char>(text[k])) : uint32_t{'='}; };
    return byte(0) << 8 | byte(1);
  }
  // Fibonacci hashing: the few dozen pairs of a record's names spread well.
  static uint32_t slot_of(uint32_t pair) { return (pair * 0x9E3779B1u) >> (32 - kSlotBits); }

  std::vector<Name> names_;
  Slot slots_[kSlots] = {};
};

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
// to `out` with only the fields named in `read`, keeping every byte of them
// as it was; a token without "name=" goes with the field before it. Returns
// whether a field was left out.
bool append_fields_within(std::string& out, std::string_view fields, const FieldNameSet& read) {
  const char* const begin = fields.data();
  const char* const end = begin + fields.size();
  const char* copied = begin;
  bool keeping = true;
  for (const char* space = begin; space < end;) {
    const char* field = space + 1;
    const char* next = find_space(field, end);
    const auto found = read.find(field, static_cast<size_t>(next - field));
    if (found != FieldNameSet::Lookup::NotAField) keeping = found == FieldNameSet::Lookup::Present;
    if (!keeping) {
      if (space > copied) out.append(copied, space);  // not between two left-out fields
      copied = next;
    }
    space = next;
  }
  out.append(copied, end);
  return copied != begin;
}

}  // namespace

// RecordNeeds turned into what append_compacted() looks up per record.
class RecordStream::Compaction {
 public:
  enum class Action : uint8_t { Whole, Drop, EndOfEvent, Select };
  struct TypeRule {
    std::string type;
    Action action = Action::Whole;
    std::optional<FieldNameSet> fields;  // Select: the fields kept
    std::vector<std::string> enriched;   // the ENRICHED tokens kept ("UID=")
  };

  explicit Compaction(const RecordNeeds& needs) {
    for (const auto& t : needs.unread_types) rules_.push_back({t, Action::Drop, std::nullopt, {}});
    for (const auto& t : needs.end_of_event_types) rules_.push_back({t, Action::EndOfEvent, std::nullopt, {}});
    for (const auto& t : needs.selective) {
      TypeRule rule{t.type, t.fields.empty() ? Action::Whole : Action::Select, std::nullopt, {}};
      if (!t.fields.empty()) rule.fields.emplace(t.fields);
      for (const auto& token : t.enriched) rule.enriched.push_back(token + "=");
      rules_.push_back(std::move(rule));
    }
  }

  // The rule for a record type; a type nobody named is passed on whole
  // (but for its ENRICHED tail).
  const TypeRule& rule_for(std::string_view type) const {
    for (const auto& r : rules_) {
      if (r.type == type) return r;
    }
    return whole_;
  }

 private:
  std::vector<TypeRule> rules_;
  TypeRule whole_;
};

void RecordStream::set_compaction(const RecordNeeds& needs) {
  compaction_ = std::make_shared<const Compaction>(needs);
  compact_ = true;
}

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
  const Compaction::TypeRule& rule = compaction_->rule_for(type);
  if (rule.action == Compaction::Action::Drop) {
    ++stats_.compacted;
    return;
  }
  if (rule.action == Compaction::Action::EndOfEvent) {
    ++stats_.compacted;
    out_.append(line.substr(0, h.type_begin));  // "[node=NAME ]type="
    out_ += "EOE";
    out_.append(line.substr(h.type_end, h.end - h.type_end));  // " msg=audit(...):"
    out_ += '\n';
    return;
  }
  // The ENRICHED tail after \x1d repeats raw fields in readable form, and
  // libauparse would parse every token of it: only the tokens asked for
  // stay (a SYSCALL record's UID=, the user name as the logging host knew it).
  const void* sep = std::memchr(line.data() + h.end, kEnrichedSeparator, line.size() - h.end);
  const size_t at = sep == nullptr ? line.size() : static_cast<size_t>(static_cast<const char*>(sep) - line.data());
  bool shortened = sep != nullptr;
  if (rule.action == Compaction::Action::Select) {
    out_.append(line.substr(0, h.end));
    shortened |= append_fields_within(out_, line.substr(h.end, at - h.end), *rule.fields);
  } else {
    out_.append(line.substr(0, at));
  }
  if (sep != nullptr && !rule.enriched.empty()) {
    append_enriched_tokens(out_, line.substr(at + 1), rule.enriched, kEnrichedSeparator);
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
