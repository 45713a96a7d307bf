// Helpers for the sequence and sample tests: events in a compact notation,
// evaluation through JsonJoinEvaluator, matches as text.
//
// Events are separated by ';', fields by spaces: `t=5 k=a x=1; t=6 k=[a,b]`.
// `t` is @timestamp, `cat` is event.category; a value is a number when it
// looks like one, `[a,b]` an array, `null` null, `"5"` the string 5, and
// anything else a string. Matches are written "0 1 2|1 2 3": each match's
// input indices, matches separated by '|'.
#pragma once

#include <boost/test/unit_test.hpp>
#include <cctype>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "eql/eql.h"

namespace jointest {

using namespace auditeql::eql;
using Matches = std::vector<std::vector<size_t>>;

inline std::string json_value(std::string_view v) {
  if (v == "null") return "null";
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return std::string(v);
  if (v.size() >= 2 && v.front() == '[' && v.back() == ']') {
    std::string out = "[";
    std::string_view inner = v.substr(1, v.size() - 2);
    size_t start = 0;
    while (start <= inner.size()) {
      const size_t comma = inner.find(',', start);
      const std::string_view item = inner.substr(start, comma == std::string_view::npos ? inner.npos : comma - start);
      if (out.size() > 1) out += ',';
      out += json_value(item);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    return out + "]";
  }
  bool number = !v.empty();
  for (size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    number = number && (std::isdigit(static_cast<unsigned char>(c)) || (i == 0 && c == '-' && v.size() > 1));
  }
  if (number) return std::string(v);
  return "\"" + std::string(v) + "\"";
}

// One event in the compact notation, as a JSON object.
inline std::string event_json(std::string_view fields) {
  std::string out = "{";
  std::istringstream in{std::string(fields)};
  std::string field;
  while (in >> field) {
    const size_t eq = field.find('=');
    BOOST_REQUIRE_MESSAGE(eq != std::string::npos, "bad field " << field);
    std::string name = field.substr(0, eq);
    if (name == "t") name = "@timestamp";
    if (name == "cat") name = "event.category";
    if (out.size() > 1) out += ',';
    out += "\"" + name + "\":" + json_value(std::string_view(field).substr(eq + 1));
  }
  return out + "}";
}

inline std::vector<std::string> events_json(std::string_view events) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < events.size()) {
    size_t end = events.find(';', start);
    if (end == std::string_view::npos) end = events.size();
    const std::string_view one = events.substr(start, end - start);
    if (one.find_first_not_of(' ') != std::string_view::npos) out.push_back(event_json(one));
    start = end + 1;
  }
  return out;
}

inline JsonJoinOptions unlimited() {
  JsonJoinOptions options;
  options.size = SIZE_MAX;
  return options;
}

// Evaluates `query` over the events as the EQL search API would.
inline Matches run(std::string_view query, const std::vector<std::string>& events,
                   JsonJoinOptions options = unlimited()) {
  JsonJoinEvaluator evaluator(parse_query(query), options);
  for (size_t i = 0; i < events.size(); ++i) {
    const auto error = evaluator.add(JsonDocument::parse(events[i], evaluator.schema()), i);
    BOOST_REQUIRE_MESSAGE(!error, "event " << i << ": " << *error);
  }
  return evaluator.run();
}

inline std::string text(const Matches& matches) {
  std::string out;
  for (const auto& match : matches) {
    if (!out.empty()) out += '|';
    for (size_t i = 0; i < match.size(); ++i) out += (i ? " " : "") + std::to_string(match[i]);
  }
  return out;
}

inline std::string run_text(std::string_view query, std::string_view events, JsonJoinOptions options = unlimited()) {
  return text(run(query, events_json(events), options));
}

// The message compile_join() throws for `query` ("" when it compiles).
inline std::string compile_error(std::string_view query) {
  DynamicSchema schema;
  try {
    compile_join(parse_query(query), schema);
  } catch (const Error& e) {
    return e.detail;
  }
  return "";
}

// A table row: what ES does, where that comes from, and a case showing it.
struct Case {
  std::string_view point;     // the semantic point
  std::string_view source;    // where Elasticsearch says or does so
  std::string_view query;
  std::string_view events;    // compact notation
  std::string_view expected;  // matches as text
  std::string_view tiebreaker = "";
};

inline void check_cases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.point << " [" << c.source << "]\n  " << c.query << "\n  events: " << c.events) {
      JsonJoinOptions options = unlimited();
      options.tiebreaker_field = std::string(c.tiebreaker);
      BOOST_TEST(run_text(c.query, c.events, options) == c.expected);
    }
  }
}

// A Document over a few fields, for feeding matchers directly.
class MapDocument : public Document {
 public:
  explicit MapDocument(Schema& schema) : schema_(schema) {}
  MapDocument& set(std::string_view field, std::string value) {
    strings_.emplace_back(schema_.resolve(field), std::move(value));
    return *this;
  }
  FieldValues get(FieldId id) const override {
    for (const auto& [field, value] : strings_) {
      if (field == id) return FieldValues::of(std::string_view(value));
    }
    return FieldValues::none();
  }

 private:
  Schema& schema_;
  std::vector<std::pair<FieldId, std::string>> strings_;
};

}  // namespace jointest
