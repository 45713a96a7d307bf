#include "app/eql_sequence_runner.h"

#include <charconv>
#include <fstream>
#include <iostream>
#include <optional>

#include "eql/eql.h"
#include "util/json_value.h"

namespace auditeql::app {

namespace {

std::optional<size_t> count(const std::string& text) {
  size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

void add_eql_join_options(ArgParser& parser, EqlJoinArgs& args) {
  parser.option("--timestamp-field", &args.timestamp_field);
  parser.option("--tiebreaker-field", &args.tiebreaker_field);
  parser.option("--size", &args.size);
  parser.option("--max-samples-per-key", &args.max_samples_per_key);
}

int run_eql_join(const eql::Query& query, const std::string& query_text, const std::string& source_name,
                 const EqlJoinArgs& args, const std::vector<std::string>& inputs, bool check_only) {
  eql::JsonJoinOptions options;
  options.timestamp_field = args.timestamp_field;
  options.tiebreaker_field = args.tiebreaker_field;
  const std::optional<size_t> size = count(args.size);
  const std::optional<size_t> per_key = count(args.max_samples_per_key);
  if (!size || !per_key || *per_key == 0 || options.timestamp_field.empty()) {
    std::cerr << "auditeql eql: --size takes a whole number, --max-samples-per-key a positive one, "
                 "--timestamp-field a field name\n";
    return 2;
  }
  options.size = *size;
  options.max_samples_per_key = *per_key;

  std::optional<eql::JsonJoinEvaluator> evaluator;
  try {
    evaluator.emplace(query, options);
  } catch (const eql::Error& e) {
    std::cerr << eql::format_error(e, query_text, source_name) << "\n";
    return 2;
  }
  if (check_only) {
    std::cout << eql::to_string(query.kind) << "\n";
    return 0;
  }

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
  size_t index = 0;
  uint64_t line_number = 0;
  std::string line;
  while (std::getline(*in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const size_t this_index = index++;
    try {
      auto event = eql::JsonDocument::parse(line, evaluator->schema());
      if (const auto error = evaluator->add(std::move(event), this_index)) {
        std::cerr << "auditeql eql: line " << line_number << ": event " << *error << "; left out\n";
        status = 1;
      }
    } catch (const util::JsonError& e) {
      std::cerr << "auditeql eql: line " << line_number << ", column " << e.column << ": not a JSON object: "
                << e.detail << "\n";
      status = 1;
    }
  }
  std::string out;
  for (const std::vector<size_t>& match : evaluator->run()) {
    for (size_t i = 0; i < match.size(); ++i) {
      if (i > 0) out += ' ';
      out += std::to_string(match[i]);
    }
    out += '\n';
  }
  std::cout << out << std::flush;
  return status;
}

}  // namespace auditeql::app
