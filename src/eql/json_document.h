// Events given as JSON, for the `auditeql eql` command and for tests.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "eql/values.h"
#include "util/json_value.h"

namespace auditeql::eql {

// A Schema that hands out ids on demand, in order of first request. Not
// thread-safe: compile queries and build documents from one thread.
class DynamicSchema : public Schema {
 public:
  FieldId resolve(std::string_view dotted_name) override;

  std::optional<FieldId> find(std::string_view dotted_name) const;
  const std::string& name(FieldId id) const { return names_.at(id); }
  const std::vector<std::string>& names() const { return names_; }
  size_t size() const { return names_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, FieldId, Hash, std::equal_to<>> ids_;
  std::vector<std::string> names_;
};

// A Document over a JSON object. Nested objects and dotted keys are the
// same thing: {"process":{"name":"cp"}} and {"process.name":"cp"} both give
// process.name = "cp". Arrays make multi-valued fields (arrays of objects
// spread their members, as Elasticsearch flattens them); nulls are absent
// values. Every leaf path gets an id from the schema, so queries compiled
// before or after the document was built see the same ids.
class JsonDocument : public Document {
 public:
  JsonDocument(std::shared_ptr<const util::JsonValue> event, DynamicSchema& schema);
  JsonDocument(util::JsonValue event, DynamicSchema& schema);

  // Parses `json_text` (throws util::JsonError).
  static JsonDocument parse(std::string_view json_text, DynamicSchema& schema);

  FieldValues get(FieldId field) const override;
  const util::JsonValue& json() const { return *root_; }

 private:
  void flatten(const util::JsonValue& value, std::string& path, DynamicSchema& schema,
               std::vector<std::pair<FieldId, Scalar>>& out);

  std::shared_ptr<const util::JsonValue> root_;        // owns the bytes the scalars point into
  std::vector<Scalar> values_;                         // grouped by field id
  std::vector<std::pair<uint32_t, uint32_t>> ranges_;  // per field id: [begin, end) in values_
};

}  // namespace auditeql::eql
