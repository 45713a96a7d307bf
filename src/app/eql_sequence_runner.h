#pragma once
// `auditeql eql` for sequence and sample queries: the options of the EQL
// search API that order events and bound results, and the evaluation.
#include <string>
#include <vector>

#include "app/args.h"
#include "eql/ast.h"

namespace auditeql::app {

struct EqlJoinArgs {
  std::string timestamp_field = "@timestamp";
  std::string tiebreaker_field;
  std::string size = "10";
  std::string max_samples_per_key = "1";
};

// --timestamp-field, --tiebreaker-field, --size, --max-samples-per-key.
void add_eql_join_options(ArgParser& parser, EqlJoinArgs& args);

// Compiles `query` (a sequence or sample) and, unless check_only, evaluates
// it on the NDJSON events of inputs[0] (or standard input), printing one line
// per match: the 0-based indices of its events, separated by spaces. With
// check_only prints the query kind. Returns the exit status of `auditeql eql`.
int run_eql_join(const eql::Query& query, const std::string& query_text, const std::string& source_name,
                 const EqlJoinArgs& args, const std::vector<std::string>& inputs, bool check_only);

}  // namespace auditeql::app
