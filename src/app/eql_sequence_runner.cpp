#include "app/eql_sequence_runner.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "eql/eql.h"
#include "util/file.h"
#include "util/json_value.h"

namespace auditeql::app {

EventLines::EventLines(const std::string& path) {
  int fd = STDIN_FILENO;
  const std::string name = path == "-" ? "standard input" : path;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      std::cerr << "auditeql eql: cannot read " << name << ": " << std::strerror(errno) << "\n";
      read_error_ = true;
      return;
    }
  }
  uint64_t line_number = 0;
  std::string error;
  const bool read_all = util::read_lines(
      fd,
      [&](std::string_view line) {
        ++line_number;
        if (line.find_first_not_of(" \t\r") != std::string_view::npos) lines_.push_back({std::string(line), line_number});
      },
      error);
  if (fd != STDIN_FILENO) ::close(fd);
  if (!read_all) {
    std::cerr << "auditeql eql: cannot read " << name << ": " << error << "\n";
    read_error_ = true;
  }
}

void EventLines::each(const std::function<void(size_t, std::string_view, uint64_t)>& on_event) const {
  for (size_t i = 0; i < lines_.size(); ++i) on_event(i, lines_[i].text, lines_[i].number);
}

bool EventLines::has_field(std::string_view name) const {
  if (!fields_) {
    fields_.emplace();
    for (const auto& line : lines_) {
      try {
        eql::JsonDocument::parse(line.text, *fields_);
      } catch (const util::JsonError&) {
        // reported when the events are evaluated
      }
    }
  }
  return fields_->find(name).has_value();
}

void add_eql_join_options(CommandLine& cli, EqlJoinArgs& args) {
  cli.text("timestamp-field", "FIELD", &args.timestamp_field,
           "sequences, samples: the event time, ISO-8601 or epoch milliseconds (default @timestamp)")
      .text("tiebreaker-field", "FIELD", &args.tiebreaker_field, "orders events with equal timestamps (integers)")
      .number("size", "N", &args.size, 0, UINT32_MAX, "print at most N matches (default 10)")
      .number("max-samples-per-key", "N", &args.max_samples_per_key, 1, UINT32_MAX,
              "samples per join key (default 1)");
}

int run_eql_join(const eql::Query& query, const std::string& query_text, const std::string& source_name,
                 const EqlJoinArgs& args, const EventLines& events, bool check_only) {
  eql::JsonJoinOptions options;
  options.timestamp_field = args.timestamp_field;
  options.tiebreaker_field = args.tiebreaker_field;
  if (options.timestamp_field.empty()) {
    std::cerr << "auditeql eql: --timestamp-field needs a field name\n";
    return 2;
  }
  options.size = args.size.value_or(10);
  options.max_samples_per_key = args.max_samples_per_key.value_or(1);

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

  int status = 0;
  events.each([&](size_t index, std::string_view line, uint64_t line_number) {
    try {
      auto event = eql::JsonDocument::parse(line, evaluator->schema());
      if (const auto error = evaluator->add(std::move(event), index)) {
        std::cerr << "auditeql eql: line " << line_number << ": event " << *error << "; left out\n";
        status = 1;
      }
    } catch (const util::JsonError& e) {
      std::cerr << "auditeql eql: line " << line_number << ", column " << e.column << ": not a JSON object: "
                << e.detail << "\n";
      status = 1;
    }
  });
  if (events.read_error()) return 1;
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
