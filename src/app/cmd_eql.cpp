// `auditeql eql`: one EQL query against ECS events given as NDJSON, to try a
// rule or an exception on sample events before deploying it.
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/args.h"
#include "app/commands.h"
#include "app/eql_sequence_runner.h"
#include "eql/eql.h"
#include "util/json_value.h"

namespace auditeql::app {
namespace {

constexpr const char* kEqlUsage = R"(Usage: auditeql eql (--query QUERY | --query-file FILE) [--check] [EVENTS|-]

Evaluates one EQL query (Elasticsearch semantics) on ECS events, one JSON
object per line (nested objects or dotted keys), and prints for each event
"<index><TAB>true" or "<index><TAB>false", counting events from 0. Events whose
event.category does not include the query's category do not match.

  auditeql events audit.log | auditeql eql --query 'process where process.name == "cpio"'

A sequence or sample query prints one line per match instead: the indices of
its events separated by spaces (a sequence's in order, a sample's in the order
of its filters). Events are ordered as Elasticsearch orders them, by the
timestamp field, then the tiebreaker field, then input order.

Options:
  --query QUERY       the query text
  --query-file FILE   read the query from FILE
  --check             only parse the query (and compile a sequence or
                      sample) and print its kind (event, sequence or sample)
  --timestamp-field F      sequences, samples: the event time, ISO-8601 or
                           epoch milliseconds (default @timestamp)
  --tiebreaker-field F     orders events with equal timestamps (integers)
  --size N                 print at most N matches (default 10)
  --max-samples-per-key N  samples per join key (default 1)
  --help              show this help

Exit status: 0 success, 1 an event line was not valid JSON or input was
unreadable, 2 the query does not parse or cannot be evaluated.
)";

const char* kind_name(eql::QueryKind kind) {
  switch (kind) {
    case eql::QueryKind::Event: return "event";
    case eql::QueryKind::Sequence: return "sequence";
    case eql::QueryKind::Sample: return "sample";
  }
  return "event";
}

bool read_text(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

bool in_category(const eql::CompiledQuery& query, const eql::Document& event, eql::FieldId category) {
  if (query.any_category()) return true;
  const eql::FieldValues values = event.get(category);
  for (size_t i = 0; i < values.size(); ++i) {
    const eql::Scalar v = values.at(i);
    if (v.kind == eql::Scalar::Kind::String && query.applies_to(v.s)) return true;
  }
  return false;
}

}  // namespace

int run_eql(const std::vector<std::string>& args) {
  bool help = false, check_only = false;
  std::string query_text, query_file;
  std::vector<std::string> inputs;
  ArgParser parser;
  parser.flag("--help", &help);
  parser.flag("--check", &check_only);
  parser.option("--query", &query_text);
  parser.option("--query-file", &query_file);
  EqlJoinArgs join;
  add_eql_join_options(parser, join);
  std::string error;
  if (!parser.parse(args, inputs, error)) {
    std::cerr << "auditeql eql: " << error << "\n" << kEqlUsage;
    return 2;
  }
  if (help) {
    std::cout << kEqlUsage;
    return 0;
  }
  if (query_text.empty() == query_file.empty() || inputs.size() > 1) {
    std::cerr << "auditeql eql: give exactly one of --query and --query-file, and at most one input\n" << kEqlUsage;
    return 2;
  }
  std::string source_name = "<query>";
  if (!query_file.empty()) {
    if (!read_text(query_file, query_text)) {
      std::cerr << "auditeql eql: cannot read " << query_file << "\n";
      return 2;
    }
    source_name = query_file;
  }

  eql::Query query;
  try {
    query = eql::parse_query(query_text);
  } catch (const eql::Error& e) {
    std::cerr << eql::format_error(e, query_text, source_name) << "\n";
    return 2;
  }
  if (query.kind != eql::QueryKind::Event) return run_eql_join(query, query_text, source_name, join, inputs, check_only);
  if (check_only) {
    std::cout << kind_name(query.kind) << "\n";
    return 0;
  }
  eql::DynamicSchema schema;
  eql::CompiledQuery compiled;
  try {
    compiled = eql::compile(query, schema);
  } catch (const eql::Error& e) {
    std::cerr << eql::format_error(e, query_text, source_name) << "\n";
    return 2;
  }
  const eql::FieldId category = schema.resolve("event.category");

  std::ifstream file;
  std::istream* in = &std::cin;
  if (!inputs.empty() && inputs[0] != "-") {
    file.open(inputs[0], std::ios::binary);
    if (!file) {
      std::cerr << "auditeql eql: cannot read " << inputs[0] << "\n";
      return 1;
    }
    in = &file;
  }
  int status = 0;
  uint64_t index = 0, line_number = 0;
  std::string line;
  std::string out;
  while (std::getline(*in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const uint64_t this_index = index++;
    try {
      const auto event = eql::JsonDocument::parse(line, schema);
      const bool match = in_category(compiled, event, category) && compiled.matches(event);
      out += std::to_string(this_index) + (match ? "\ttrue\n" : "\tfalse\n");
    } catch (const util::JsonError& e) {
      std::cerr << "auditeql eql: line " << line_number << ", column " << e.column << ": not a JSON object: "
                << e.detail << "\n";
      status = 1;
    }
    if (out.size() > 65536) {
      std::cout << out;
      out.clear();
    }
  }
  std::cout << out << std::flush;
  return status;
}

}  // namespace auditeql::app
