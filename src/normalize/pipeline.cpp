#include "normalize/pipeline.h"

namespace auditeql::normalize {

EventPipeline::EventPipeline(PipelineOptions options, Handler on_event)
    : normalizer_(options.normalizer, std::move(on_event)),
      order_(options.order, [this](events::AuditEvent& ev) { normalizer_.process(ev); }),
      // libauparse's parsing and the later stages take turns per batch of
      // records rather than per event: each stage's code stays in cache.
      grouper_([this](events::AuditEvent& ev) { order_.hold(ev); }),
      records_(
          [this](std::string_view records) {
            grouper_.feed(records);
            order_.release_due();
          },
          options.max_line) {
  if (options.compaction) records_.set_compaction(*options.compaction);
}

void EventPipeline::feed(std::string_view bytes) { records_.feed(bytes); }

void EventPipeline::end_of_file() { records_.finish(); }

void EventPipeline::idle(int64_t now_wall_ms) {
  grouper_.age_events();
  order_.release_due();
  order_.tick(now_wall_ms);
}

void EventPipeline::finish() {
  records_.finish();
  grouper_.flush();
  order_.flush();
}

PipelineStats EventPipeline::stats() const {
  return PipelineStats{records_.stats(), grouper_.stats(), order_.stats(), normalizer_.stats()};
}

}  // namespace auditeql::normalize
