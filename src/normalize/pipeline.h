#pragma once
// The first three stages wired together: bytes -> records -> audit events ->
// (ordered) -> normalized ECS events. Used by every command and the plugin.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "ecs/event.h"
#include "events/auparse_grouper.h"
#include "normalize/event_order.h"
#include "normalize/normalizer.h"
#include "records/record_stream.h"

namespace auditeql::normalize {

struct PipelineOptions {
  NormalizerOptions normalizer;
  OrderOptions order;
  size_t max_line = records::RecordStream::kDefaultMaxLine;
  // What the record stage may leave out before libauparse parses it: set by
  // the caller to what the events stage reads (AuparseGrouper::records_read());
  // none by default, every record passed on whole.
  std::optional<records::RecordNeeds> compaction;
};

struct PipelineStats {
  records::RecordStats records;
  events::EventStats events;
  OrderStats order;
  NormalizeStats normalized;
};

class EventPipeline {
 public:
  using Handler = std::function<void(const ecs::Event&)>;

  EventPipeline(PipelineOptions options, Handler on_event);

  // Raw input bytes, any chunking.
  void feed(std::string_view bytes);
  // End of one input file: a last unterminated line is still a record.
  void end_of_file();
  // Bytes were lost before the next feed(): resynchronize at the next line.
  void input_gap() { records_.discard_partial_line(); }
  // Live streams, when input is idle: complete stale events by the wall
  // clock and release held ones.
  void idle(int64_t now_wall_ms);
  // End of all input: every pending event is completed and delivered.
  void finish();

  Normalizer& normalizer() { return normalizer_; }
  records::RecordStream& record_stream() { return records_; }
  PipelineStats stats() const;

 private:
  Normalizer normalizer_;
  EventOrder order_;
  events::AuparseGrouper grouper_;
  records::RecordStream records_;
};

}  // namespace auditeql::normalize
