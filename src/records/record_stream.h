#pragma once
// Stage 1: raw bytes -> audit record lines.
//
// Splits input into lines, bounds their length, and keeps only lines that look
// like audit records ("[node=NAME ]type=T msg=audit(SEC.MS:SERIAL): ..."), so
// that everything handed downstream is something libauparse can group. What is
// dropped is counted, never silently lost.
#include <cstdint>
#include <functional>
#include <string>
#include <memory>
#include <string_view>
#include <vector>

namespace auditeql::records {

struct RecordStats {
  uint64_t lines = 0;      // lines seen, including dropped ones
  uint64_t records = 0;    // lines passed downstream
  uint64_t blank = 0;      // empty lines (not counted as skipped)
  uint64_t malformed = 0;  // no audit record header
  uint64_t oversized = 0;  // longer than the line limit
  uint64_t binary = 0;     // NUL bytes inside the line
  uint64_t compacted = 0;  // records left out or shortened by set_compaction()

  uint64_t skipped() const { return malformed + oversized + binary; }
};

enum class LineVerdict { Record, Blank, Malformed, Binary };

// Where the parts of a record's header are, as byte offsets into its line.
struct RecordHeader {
  size_t type_begin = 0;  // after "type="
  size_t type_end = 0;
  size_t end = 0;         // after "msg=audit(SEC.MS:SERIAL):"
};

// Classifies one line (without its '\n'). A trailing '\r' is tolerated.
LineVerdict classify_line(std::string_view line, RecordHeader* header = nullptr);
// The same for a line known to hold no NUL byte (the caller checked its whole buffer).
LineVerdict classify_text_line(std::string_view line, RecordHeader* header = nullptr);

// Receives accepted records: one or more whole lines, each ending in '\n',
// pointing into the caller's buffer or, when compacting, into a compacted
// copy (valid until return).
using RecordHandler = std::function<void(std::string_view records)>;
// Told about each dropped line, for diagnostics (line number counts from 1).
using DropHandler = std::function<void(uint64_t line_number, LineVerdict why, std::string_view head)>;

// What the stages after this one read of the records, so that the record
// stage can leave the rest out before libauparse parses it (libauparse
// allocates a node for every field it parses). Given by the stage that reads
// the records (events::AuparseGrouper::records_read()), wired in by the
// caller; this stage knows nothing of what is read or why.
struct RecordNeeds {
  struct TypeFields {
    std::string type;                 // "SYSCALL"
    std::vector<std::string> fields;  // the only fields read; the others are left out
    std::vector<std::string> enriched;  // the only tokens read of the ENRICHED tail (after \x1d)
  };
  std::vector<std::string> unread_types;  // records nothing reads: left out
  // Records read for nothing but the end of their event (PROCTITLE): each
  // becomes the EOE record that marks the end just as well.
  std::vector<std::string> end_of_event_types;
  // Records whose fields are read selectively. Any other type is passed on
  // whole, but for its ENRICHED tail.
  std::vector<TypeFields> selective;
};

class RecordStream {
 public:
  static constexpr size_t kDefaultMaxLine = 1 << 20;  // 1 MiB

  explicit RecordStream(RecordHandler on_record, size_t max_line = kDefaultMaxLine);

  void set_drop_handler(DropHandler on_drop) { on_drop_ = std::move(on_drop); }

  // Leave out what `needs` says no later stage reads, so that libauparse
  // does not parse it. Records are then handed on as a compacted copy
  // instead of in place.
  void set_compaction(const RecordNeeds& needs);

  // Feeds any number of bytes; complete lines are handled before returning.
  // Consecutive valid lines are handed on as one run (in place unless compacting).
  void feed(std::string_view bytes);
  // End of input: a last line without '\n' (a truncated file) is still handled.
  void finish();
  // Input was lost before the next bytes: the line in progress is incomplete
  // and is dropped (counted as malformed) instead of being glued to what
  // follows. The next bytes must start a line: whoever lost the input
  // resumes at a line boundary (the plugin's input reader does), so that no
  // intact record after the gap is skipped too.
  void discard_partial_line();

  const RecordStats& stats() const { return stats_; }

 private:
  // Checks one line (without '\n'); true when it is a record to pass on.
  bool accept(std::string_view line, bool may_hold_nul, RecordHeader& header);
  // Hands on the completed line held in partial_ (if it is a record) and clears it.
  void emit_partial_line();
  void count_oversized_line();
  // Appends an accepted record to out_, compacted.
  void append_compacted(std::string_view line, const RecordHeader& header);
  void drop(LineVerdict why, std::string_view line);
  // A record that cannot be passed on in place (reassembled or with '\r').
  void emit_copy(std::string_view line);

  RecordHandler on_record_;
  DropHandler on_drop_;
  size_t max_line_;
  std::string partial_;       // bytes of a line split across feed() calls
  std::string scratch_;
  std::string out_;           // compacted records of one feed()
  bool compact_ = false;
  class Compaction;
  std::shared_ptr<const Compaction> compaction_;
  bool discarding_ = false;   // inside an oversized line, waiting for its '\n'
  RecordStats stats_;
};

// Reads `fd` to end of file into `stream` (retrying on EINTR). Returns false
// and sets `error` on a read error.
bool read_fd_into(int fd, RecordStream& stream, std::string& error);

}  // namespace auditeql::records
