// `auditeql eql`: one EQL query against ECS events given as NDJSON, to try a
// rule or an exception on sample events before deploying it.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "app/commands.h"
#include "app/options.h"
#include "eql/eql.h"
#include "util/file.h"
#include "util/json_value.h"

namespace auditeql::app {
namespace {

constexpr const char* kEqlIntro = R"(Usage: auditeql eql [OPTIONS] [EVENTS|-]

Evaluates one EQL query (Elasticsearch semantics), given with --query or
--query-file, on ECS events, one JSON object per line (nested objects or
dotted keys), and prints for each event "<index><TAB>true" or
"<index><TAB>false", counting events from 0. Events whose event.category does
not include the query's category do not match.

  auditeql events audit.log | auditeql eql --query 'process where process.name == "cpio"'
)";

constexpr const char* kEqlOutro = R"(Exit status: 0 success, 1 an event line was not valid JSON or input was
unreadable, 2 the query does not parse or cannot be evaluated.
)";

// The schema queries are compiled against and events are read with: any
// field name is accepted for now. Validating names (against the ECS field
// registry) belongs here, the one place that picks it.
using EventSchema = eql::DynamicSchema;

// Sequences and samples parse and their stages compile, but auditeql has no
// engine that evaluates them yet; this is the one place that says so.
std::string not_evaluated_yet(eql::QueryKind kind) {
  return "note: auditeql cannot evaluate " + std::string(eql::to_string(kind)) +
         " queries yet (their stages were checked)";
}

// Everything --check can find out without events: the query parses, its
// functions exist with the right arguments, its regexes and CIDR blocks are
// valid. Throws eql::Error.
void check_compiles(const eql::Query& query, EventSchema& schema) {
  if (query.kind == eql::QueryKind::Event) {
    eql::compile(query, schema);
    return;
  }
  for (const auto& stage : query.stages) {
    eql::compile_condition(stage.filter.condition, schema, stage.filter.category);
  }
  if (query.until) eql::compile_condition(query.until->filter.condition, schema, query.until->filter.category);
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

// Prints "<index>\t<verdict>" per event line of `fd`. 1 when a line is not
// a JSON object or the input cannot be read, else 0.
int evaluate(const eql::CompiledQuery& compiled, EventSchema& schema, int fd, const std::string& input_name) {
  const eql::FieldId category = schema.resolve("event.category");
  int status = 0;
  uint64_t index = 0, line_number = 0;
  std::string out;
  std::string error;
  const bool read_all = util::read_lines(
      fd,
      [&](std::string_view line) {
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
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
      },
      error);
  std::cout << out << std::flush;
  if (!read_all) {
    std::cerr << "auditeql eql: cannot read " << input_name << ": " << error << "\n";
    return 1;
  }
  return status;
}

}  // namespace

int run_eql(const std::vector<std::string>& args) {
  bool check_only = false;
  std::string query_text, query_file;
  std::vector<std::string> inputs;
  CommandLine cli("eql", kEqlIntro, kEqlOutro);
  cli.text("query", "QUERY", &query_text, "the query text")
      .text("query-file", "FILE", &query_file, "read the query from FILE")
      .flag("check", &check_only,
            "only check the query (parse and compile it, no events read) and print its kind: event, sequence or "
            "sample")
      .arguments(&inputs, 1);
  if (const auto status = cli.parse(args)) return *status;
  if (query_text.empty() == query_file.empty()) return cli.usage_error("give exactly one of --query and --query-file");

  std::string source_name = "<query>";
  if (!query_file.empty()) {
    std::string error;
    auto text = util::read_file(query_file, error);
    if (!text) {
      std::cerr << "auditeql eql: cannot read " << query_file << ": " << error << "\n";
      return 2;
    }
    query_text = std::move(*text);
    source_name = query_file;
  }

  EventSchema schema;
  eql::Query query;
  eql::CompiledQuery compiled;
  try {
    query = eql::parse_query(query_text);
    if (check_only) {
      check_compiles(query, schema);
    } else {
      compiled = eql::compile(query, schema);
    }
  } catch (const eql::Error& e) {
    std::cerr << eql::format_error(e, query_text, source_name) << "\n";
    return 2;
  }
  if (check_only) {
    std::cout << eql::to_string(query.kind) << "\n";
    if (query.kind != eql::QueryKind::Event) std::cerr << not_evaluated_yet(query.kind) << "\n";
    return 0;
  }

  const std::string input = inputs.empty() ? "-" : inputs.front();
  if (input == "-") return evaluate(compiled, schema, STDIN_FILENO, "standard input");
  const int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::cerr << "auditeql eql: cannot read " << input << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  const int status = evaluate(compiled, schema, fd, input);
  ::close(fd);
  return status;
}

}  // namespace auditeql::app
