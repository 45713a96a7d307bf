// Sequence and sample queries over events given as JSON, the way the
// Elasticsearch EQL search API runs them over an index: for `auditeql eql`
// and for tests. Events are evaluated in ES's order (timestamp field, then
// tiebreaker field, then input order) whatever order they were given in.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eql/json_document.h"
#include "eql/join_query.h"
#include "eql/sample.h"
#include "eql/sequence.h"

namespace auditeql::eql {

// Named after the EQL search API's parameters.
struct JsonJoinOptions {
  std::string timestamp_field = "@timestamp";     // ISO-8601 text or epoch milliseconds
  std::string tiebreaker_field;                   // empty: none; values must be integers
  std::string event_category_field = "event.category";
  size_t size = 10;                               // matches returned at most
  size_t max_samples_per_key = 1;
  SequenceOptions sequence;
  SampleOptions sample;
};

// The time of an event from its fields (ES: the timestamp and tiebreaker
// fields); an error message when they cannot order it.
struct EventTimeOrError {
  std::optional<EventTime> time;
  std::string error;
};
EventTimeOrError event_time(const Document& event, FieldId timestamp, std::optional<FieldId> tiebreaker,
                            std::string_view timestamp_name, std::string_view tiebreaker_name);

class JsonJoinEvaluator {
 public:
  // Throws Error when the query does not compile.
  JsonJoinEvaluator(const Query& query, JsonJoinOptions options);

  DynamicSchema& schema() { return *schema_; }
  const JoinQuery& query() const { return *query_; }

  // Adds an event; `input_index` is what matches report for it. Returns an
  // error message (and leaves the event out) when it has no usable time.
  std::optional<std::string> add(JsonDocument event, size_t input_index);

  // Evaluates the events added, in ES's order. Each match lists input
  // indices: a sequence's events in order, a sample's in filter order.
  // Sequences come sorted by their last event, as ES returns them; samples
  // in the order they completed. At most options.size matches.
  std::vector<std::vector<size_t>> run();

  // After run(): the matcher's counters.
  const SequenceStats* sequence_stats() const;
  const SampleStats* sample_stats() const;

 private:
  struct Pending {
    JsonDocument document;
    EventTime time;
    size_t input_index;
  };

  JsonJoinOptions options_;
  std::unique_ptr<DynamicSchema> schema_;
  std::shared_ptr<const JoinQuery> query_;
  FieldId timestamp_;
  std::optional<FieldId> tiebreaker_;
  FieldId category_;
  std::vector<Pending> events_;
  std::unique_ptr<JoinMatcher> matcher_;
};

}  // namespace auditeql::eql
