#pragma once
// `auditeql eql`'s input (NDJSON events, one per line) and its evaluation of
// sequence and sample queries, with the options of Elasticsearch's EQL
// search API that order events and bound results.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/options.h"
#include "eql/ast.h"
#include "eql/json_document.h"

namespace auditeql::app {

// The event lines of a file or standard input ("-"), read whole: blank
// lines are skipped, the others numbered from 0. Held in memory, because a
// query's field names are checked against the events before it runs.
class EventLines {
 public:
  // Reads `path`; an unreadable input is reported on standard error
  // (read_error() then), and the lines read before the error are kept.
  explicit EventLines(const std::string& path);
  // Calls on_event(index, line, line_number) for each event line.
  void each(const std::function<void(size_t index, std::string_view line, uint64_t line_number)>& on_event) const;
  bool read_error() const { return read_error_; }
  // Whether some event has a value for the dotted field `name`.
  bool has_field(std::string_view name) const;

 private:
  struct Line {
    std::string text;
    uint64_t number;
  };
  std::vector<Line> lines_;
  bool read_error_ = false;
  mutable std::optional<eql::DynamicSchema> fields_;  // every field name of the events, on first use
};

struct EqlJoinArgs {
  std::string timestamp_field = "@timestamp";
  std::string tiebreaker_field;
  std::optional<uint64_t> size;
  std::optional<uint64_t> max_samples_per_key;
};

// --timestamp-field, --tiebreaker-field, --size, --max-samples-per-key.
void add_eql_join_options(CommandLine& cli, EqlJoinArgs& args);

// Compiles `query` (a sequence or sample) and, unless check_only, evaluates
// it on `events`, printing one line per match: the 0-based indices of its
// events, separated by spaces. With check_only prints the query kind.
// Returns the exit status of `auditeql eql`.
int run_eql_join(const eql::Query& query, const std::string& query_text, const std::string& source_name,
                 const EqlJoinArgs& args, const EventLines& events, bool check_only);

}  // namespace auditeql::app
