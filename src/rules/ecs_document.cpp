#include "rules/ecs_document.h"

namespace auditeql::rules {
namespace {

bool same_values(const eql::FieldValues& a, const eql::FieldValues& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const eql::Scalar x = a.at(i), y = b.at(i);
    if (x.kind != y.kind || x.s != y.s || x.i != y.i || x.b != y.b || x.d != y.d) return false;
  }
  return true;
}

}  // namespace

eql::FieldId EcsSchema::resolve(std::string_view dotted_name) {
  if (const auto id = ecs::find_event_field(dotted_name)) return *id;
  if (const auto it = other_ids_.find(dotted_name); it != other_ids_.end()) return it->second;
  const auto id = static_cast<eql::FieldId>(ecs::event_fields().size() + other_names_.size());
  other_names_.emplace_back(dotted_name);
  other_ids_.emplace(std::string(dotted_name), id);
  return id;
}

std::string_view EcsSchema::name(eql::FieldId id) const {
  const size_t registry = ecs::event_fields().size();
  if (id < registry) return ecs::event_field(id).name;
  return id - registry < other_names_.size() ? std::string_view(other_names_[id - registry]) : std::string_view();
}

bool EcsSchema::known_values(eql::FieldId id, std::string_view category, eql::FieldValues& out) const {
  if (!is_event_field(id)) return false;  // decided by the caller's validation, not folded here
  const ecs::EventField& field = ecs::event_field(id);
  const ecs::KindMask kinds = ecs::kinds_of_category(category) & field.kinds;
  if (kinds == 0) {
    out = eql::FieldValues::none();
    return true;
  }
  if (field.for_kind == nullptr) return false;
  bool first = true;
  for (size_t k = 0; k < ecs::kEventKindCount; ++k) {
    if ((kinds & (ecs::KindMask{1} << k)) == 0) continue;
    const eql::FieldValues v = field.for_kind(static_cast<ecs::EventKind>(k));
    if (first) {
      out = v;
      first = false;
    } else if (!same_values(out, v)) {
      return false;
    }
  }
  return true;
}

}  // namespace auditeql::rules
