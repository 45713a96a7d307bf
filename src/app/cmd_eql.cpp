// `auditeql eql`: one EQL query against ECS events given as NDJSON, to try a
// rule or an exception on sample events before deploying it.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>

#include "app/commands.h"
#include "app/eql_sequence_runner.h"
#include "app/options.h"
#include "eql/eql.h"
#include "rules/field_check.h"
#include "rules/ruleset.h"
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

A sequence or sample query prints one line per match instead: the indices of
its events separated by spaces (a sequence's in order, a sample's in the order
of its filters). Events are ordered as Elasticsearch orders them, by the
timestamp field, then the tiebreaker field, then input order.

  auditeql events audit.log | auditeql eql --query 'process where process.name == "cpio"'
)";

constexpr const char* kEqlOutro = R"(Field names must be known: ECS, the fields auditeql sets, Elastic Defend's and
Auditd Manager's (`?name` excepted, which Elasticsearch reads as null when the
field does not exist).

Exit status: 0 success, 1 an event line was not valid JSON or input was
unreadable, 2 the query does not parse, names an unknown field or cannot be
evaluated.
)";

// Every condition of the query: the event filter, or each stage and `until`.
std::vector<const eql::Condition*> conditions_of(const eql::Query& query) {
  if (query.kind == eql::QueryKind::Event) return {&query.event.condition};
  std::vector<const eql::Condition*> out;
  for (const auto& stage : query.stages) out.push_back(&stage.filter.condition);
  if (query.until) out.push_back(&query.until->filter.condition);
  return out;
}

// An unknown field is an error, as in Elasticsearch ("Unknown column"). A
// name is known when it is a field of the schemas Elastic's rules are
// written for, or, as the index mapping is in Elasticsearch, when one of the
// events has it (null when there are no events: --check).
void check_field_names(const eql::Query& query, const EventLines* events) {
  for (const eql::Condition* condition : conditions_of(query)) {
    for (const auto& ref : rules::field_references(*condition->root, ecs::kAllKinds, rules::RuleSchema::Elastic)) {
      if (ref.standing != rules::FieldStanding::Unknown || (events != nullptr && events->has_field(ref.name))) continue;
      throw eql::Error(ref.pos, rules::describe_unknown_field(ref) + (events != nullptr ? ", and no event has it" : ""));
    }
  }
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

// Prints "<index>\t<verdict>" per event line of `events`. 1 when a line is
// not a JSON object, else 0.
int evaluate(const eql::CompiledQuery& compiled, eql::DynamicSchema& schema, const EventLines& events) {
  const eql::FieldId category = schema.resolve("event.category");
  int status = 0;
  std::string out;
  events.each([&](size_t index, std::string_view line, uint64_t line_number) {
    try {
      const auto event = eql::JsonDocument::parse(line, schema);
      const bool match = in_category(compiled, event, category) && compiled.matches(event);
      out += std::to_string(index) + (match ? "\ttrue\n" : "\tfalse\n");
    } catch (const util::JsonError& e) {
      std::cerr << "auditeql eql: line " << line_number << ", column " << e.column << ": not a JSON object: "
                << e.detail << "\n";
      status = 1;
    }
    if (out.size() > 65536) {
      std::cout << out;
      out.clear();
    }
  });
  std::cout << out << std::flush;
  return status;
}

// Whether auditeql would evaluate the query as a rule (one of Elastic's,
// its schemas known), and whether it can then match the events auditeql
// makes: one line for --check.
std::string as_a_rule(const std::string& query_text) {
  rules::LoadedRules loaded;
  loaded.rules.emplace_back();
  rules::RuleDefinition& rule = loaded.rules.back();
  rule.id = rule.name = "query";
  rule.query = query_text;
  rule.schema = rules::RuleSchema::Elastic;
  rules::Diagnostics d;
  const rules::Ruleset set = rules::Ruleset::compile(std::move(loaded), d);
  if (set.size() != 1) {
    return "as a rule: refused (" + (d.all().empty() ? std::string("no reason given") : d.all().front().message) + ")";
  }
  const rules::CompiledRule& compiled = set.rule(0);
  if (compiled.reach.verdict == rules::RuleReach::Verdict::CannotFire) {
    return "as a rule: loads, but " + compiled.reach.describe();
  }
  return std::string("as a rule: evaluated") + (compiled.is_join() ? " as events arrive" : "") + "; " +
         compiled.reach.describe();
}

}  // namespace

int run_eql(const std::vector<std::string>& args) {
  bool check_only = false;
  std::string query_text, query_file;
  std::vector<std::string> inputs;
  EqlJoinArgs join;
  CommandLine cli("eql", kEqlIntro, kEqlOutro);
  cli.text("query", "QUERY", &query_text, "the query text")
      .text("query-file", "FILE", &query_file, "read the query from FILE")
      .flag("check", &check_only,
            "only check the query (parse and compile it, no events read) and print its kind: event, sequence or "
            "sample; then whether auditeql evaluates it as a rule, and whether it can match auditeql's events");
  add_eql_join_options(cli, join);
  cli.arguments(&inputs, 1);
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

  eql::Query query;
  std::optional<EventLines> events;
  try {
    query = eql::parse_query(query_text);
    if (!check_only) events.emplace(inputs.empty() ? "-" : inputs.front());
    check_field_names(query, events ? &*events : nullptr);
  } catch (const eql::Error& e) {
    std::cerr << eql::format_error(e, query_text, source_name) << "\n";
    return 2;
  }
  if (!events) events.emplace("/dev/null");
  if (query.kind != eql::QueryKind::Event) {
    const int status = run_eql_join(query, query_text, source_name, join, *events, check_only);
    if (check_only && status == 0) std::cout << as_a_rule(query_text) << "\n";
    return status;
  }

  eql::DynamicSchema schema;
  eql::CompiledQuery compiled;
  try {
    compiled = eql::compile(query, schema);
  } catch (const eql::Error& e) {
    std::cerr << eql::format_error(e, query_text, source_name) << "\n";
    return 2;
  }
  if (check_only) {
    std::cout << eql::to_string(query.kind) << "\n" << as_a_rule(query_text) << "\n";
    return 0;
  }
  const int status = evaluate(compiled, schema, *events);
  return events->read_error() ? 1 : status;
}

}  // namespace auditeql::app
