// Helpers shared by the EQL test files.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "eql/eql.h"

namespace eqltest {

using namespace auditeql::eql;

// Compiles `condition` and evaluates it on the JSON event.
inline bool matches(std::string_view condition, std::string_view event_json) {
  DynamicSchema schema;
  const CompiledCondition compiled = compile_condition(parse_condition(condition), schema);
  const JsonDocument doc = JsonDocument::parse(event_json, schema);
  return compiled.matches(doc);
}

// Same for a whole event query (category ignored, as CompiledQuery does).
inline bool query_matches(std::string_view query, std::string_view event_json) {
  DynamicSchema schema;
  const CompiledQuery compiled = compile(parse_query(query), schema);
  const JsonDocument doc = JsonDocument::parse(event_json, schema);
  return compiled.matches(doc);
}

// The message of the Error that `action` throws ("" if it does not throw).
template <class Action>
Error error_of(Action action) {
  try {
    action();
  } catch (const Error& e) {
    return e;
  }
  return Error(SourcePos{0, 0, 0}, "");
}

// A hand-built document whose multi-valued string fields are served as
// spans over std::string, the way the sensor's own events will be.
class VectorDocument : public Document {
 public:
  explicit VectorDocument(Schema& schema) : schema_(schema) {}

  void set(std::string_view field, std::vector<std::string> values) {
    strings_[schema_.resolve(field)] = std::move(values);
  }
  void set(std::string_view field, int64_t value) { ints_[schema_.resolve(field)] = value; }

  FieldValues get(FieldId id) const override {
    if (auto it = strings_.find(id); it != strings_.end())
      return FieldValues::of(std::span<const std::string>(it->second));
    if (auto it = ints_.find(id); it != ints_.end()) return FieldValues::of(it->second);
    return FieldValues::none();
  }

 private:
  Schema& schema_;
  std::map<FieldId, std::vector<std::string>> strings_;
  std::map<FieldId, int64_t> ints_;
};

}  // namespace eqltest
