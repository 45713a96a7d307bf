#include "eql/json_document.h"

#include <algorithm>

namespace auditeql::eql {

FieldId DynamicSchema::resolve(std::string_view dotted_name) {
  if (const auto found = ids_.find(dotted_name); found != ids_.end()) return found->second;
  const auto id = static_cast<FieldId>(names_.size());
  names_.emplace_back(dotted_name);
  ids_.emplace(std::string(dotted_name), id);
  return id;
}

std::optional<FieldId> DynamicSchema::find(std::string_view dotted_name) const {
  if (const auto found = ids_.find(dotted_name); found != ids_.end()) return found->second;
  return std::nullopt;
}

JsonDocument::JsonDocument(util::JsonValue event, DynamicSchema& schema)
    : JsonDocument(std::make_shared<const util::JsonValue>(std::move(event)), schema) {}

JsonDocument::JsonDocument(std::shared_ptr<const util::JsonValue> event, DynamicSchema& schema)
    : root_(std::move(event)) {
  std::vector<std::pair<FieldId, Scalar>> leaves;
  std::string path;
  flatten(*root_, path, schema, leaves);
  // Group values by field, keeping document order within a field.
  std::stable_sort(leaves.begin(), leaves.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  FieldId max_id = 0;
  for (const auto& leaf : leaves) max_id = std::max(max_id, leaf.first);
  ranges_.assign(leaves.empty() ? 0 : max_id + 1, {0, 0});
  values_.reserve(leaves.size());
  for (size_t k = 0; k < leaves.size(); ++k) {
    const FieldId id = leaves[k].first;
    if (k == 0 || leaves[k - 1].first != id) ranges_[id].first = static_cast<uint32_t>(k);
    ranges_[id].second = static_cast<uint32_t>(k + 1);
    values_.push_back(leaves[k].second);
  }
}

JsonDocument JsonDocument::parse(std::string_view json_text, DynamicSchema& schema) {
  return JsonDocument(util::parse_json(json_text), schema);
}

void JsonDocument::flatten(const util::JsonValue& value, std::string& path, DynamicSchema& schema,
                           std::vector<std::pair<FieldId, Scalar>>& out) {
  using Type = util::JsonValue::Type;
  switch (value.type()) {
    case Type::Object:
      for (const util::JsonMember& member : value.as_object()) {
        const size_t length = path.size();
        if (!path.empty()) path += '.';
        path += member.key;
        flatten(member.value, path, schema, out);
        path.resize(length);
      }
      return;
    case Type::Array:
      for (const util::JsonValue& item : value.as_array()) flatten(item, path, schema, out);
      return;
    case Type::Null:
      return;
    default:
      break;
  }
  if (path.empty()) return;  // a bare scalar document has no field names
  const FieldId id = schema.resolve(path);
  switch (value.type()) {
    case Type::Bool:
      out.emplace_back(id, Scalar::boolean(value.as_bool()));
      break;
    case Type::Int:
      out.emplace_back(id, Scalar::integer(value.as_int()));
      break;
    case Type::Double:
      out.emplace_back(id, Scalar::decimal(value.as_double()));
      break;
    case Type::String:
      out.emplace_back(id, Scalar::string(value.as_string()));
      break;
    default:
      break;
  }
}

FieldValues JsonDocument::get(FieldId field) const {
  if (field >= ranges_.size()) return FieldValues::none();
  const auto [begin, end] = ranges_[field];
  return FieldValues::of(std::span<const Scalar>(values_.data() + begin, end - begin));
}

}  // namespace auditeql::eql
