#pragma once
// How compiled EQL sees a normalized event. Field names resolve once, at
// compile time, to ids: the index of the field in auditeql's field registry
// (ecs/fields.h) for the fields it sets, ids past the registry for any
// other name (those never have a value). Evaluating reads the event through
// the registry's readers.
#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include "ecs/event.h"
#include "ecs/fields.h"
#include "eql/values.h"

namespace auditeql::rules {

class EcsSchema : public eql::Schema {
 public:
  eql::FieldId resolve(std::string_view dotted_name) override;
  // Fields whose value follows from the event kind (host.os.type,
  // event.category...) are constant for a query whose category admits only
  // kinds that agree on them; fields set on none of its kinds are known to
  // be absent. Tests on both are decided at compile time.
  bool known_values(eql::FieldId field, std::string_view category, eql::FieldValues& out) const override;

  // Whether `id` names a field of the registry (else: a name auditeql never sets).
  static bool is_event_field(eql::FieldId id) { return id < ecs::event_fields().size(); }
  // The name `id` was resolved from.
  std::string_view name(eql::FieldId id) const;

 private:
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, eql::FieldId, NameHash, std::equal_to<>> other_ids_;
  std::vector<std::string> other_names_;
};

class EcsDocument : public eql::Document {
 public:
  explicit EcsDocument(const ecs::Event& event) : event_(event) {}
  eql::FieldValues get(eql::FieldId id) const override {
    if (!EcsSchema::is_event_field(id)) return eql::FieldValues::none();
    const ecs::EventField& field = ecs::event_field(id);
    if ((field.kinds & ecs::kind_bit(event_.kind)) == 0) return eql::FieldValues::none();
    return field.read(event_, scratch_[id]);
  }
  const ecs::Event& event() const { return event_; }

 private:
  const ecs::Event& event_;
  // One per registry field, so that values read at the same time (a
  // comparison of two fields) never share one. Left uninitialized: a
  // reader writes before it hands out a view.
  mutable std::array<ecs::FieldScratch, ecs::kMaxEventFields> scratch_;
};

}  // namespace auditeql::rules
