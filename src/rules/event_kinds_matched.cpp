#include "rules/event_kinds_matched.h"

#include <optional>

#include "ecs/fields.h"
#include "eql/compile.h"
#include "eql/error.h"
#include "eql/json_document.h"

namespace auditeql::rules {
namespace {

// The values a field has on every event of `kind` (none: it never has one),
// or nullopt when they vary from event to event. A name outside the field
// registry never has a value, as in EcsDocument.
std::optional<eql::FieldValues> fixed_values(std::string_view name, ecs::EventKind kind) {
  const auto id = ecs::find_event_field(name);
  if (!id) return eql::FieldValues::none();
  const ecs::EventField& field = ecs::event_field(*id);
  if ((field.kinds & ecs::kind_bit(kind)) == 0) return eql::FieldValues::none();
  if (field.for_kind != nullptr) return field.for_kind(kind);
  return std::nullopt;
}

// An event of one kind, as far as the kind fixes it. Only asked for fields
// fixed_values() knows.
class KindDocument final : public eql::Document {
 public:
  KindDocument(const eql::DynamicSchema& schema, ecs::EventKind kind) : schema_(schema), kind_(kind) {}
  eql::FieldValues get(eql::FieldId id) const override {
    return fixed_values(schema_.name(id), kind_).value_or(eql::FieldValues::none());
  }

 private:
  const eql::DynamicSchema& schema_;
  ecs::EventKind kind_;
};

// For each kind (one bit each): whether the expression may be true, and
// whether it may be false, on events of that kind.
struct Outcomes {
  ecs::KindMask may_be_true = ecs::kAllKinds;
  ecs::KindMask may_be_false = ecs::kAllKinds;
};

// A part of the condition that is not and/or/not decides on its own: it is
// compiled once and, for each kind that fixes every field it reads,
// evaluated on what the kind fixes.
Outcomes leaf_outcomes(const eql::ExprPtr& e) {
  eql::DynamicSchema schema;
  eql::CompiledCondition condition;
  try {
    condition = eql::compile_condition(eql::Condition{e}, schema);
  } catch (const eql::Error&) {
    return {};  // not a condition on its own: anything is possible
  }
  Outcomes out;
  for (size_t k = 0; k < ecs::kEventKindCount; ++k) {
    const auto kind = static_cast<ecs::EventKind>(k);
    bool fixed = true;
    for (const auto& use : condition.fields()) fixed = fixed && fixed_values(use.name, kind).has_value();
    if (!fixed) continue;
    const ecs::KindMask bit = ecs::kind_bit(kind);
    if (condition.matches(KindDocument(schema, kind))) {
      out.may_be_false &= ~bit;
    } else {
      out.may_be_true &= ~bit;
    }
  }
  return out;
}

Outcomes outcomes(const eql::ExprPtr& e) {
  if (!e) return {};
  if (const auto* l = e->as<eql::Logical>()) {
    const bool conjunction = l->op == eql::LogicalOp::And;
    // and: true only where every operand may be true, false where any may be; or: the reverse.
    Outcomes all{conjunction ? ecs::kAllKinds : 0, conjunction ? 0 : ecs::kAllKinds};
    for (const auto& operand : l->operands) {
      const Outcomes o = outcomes(operand);
      if (conjunction) {
        all.may_be_true &= o.may_be_true;
        all.may_be_false |= o.may_be_false;
      } else {
        all.may_be_true |= o.may_be_true;
        all.may_be_false &= o.may_be_false;
      }
    }
    return all;
  }
  if (const auto* n = e->as<eql::Not>()) {
    const Outcomes o = outcomes(n->operand);
    return {o.may_be_false, o.may_be_true};
  }
  return leaf_outcomes(e);
}

}  // namespace

eql::ExprPtr condition_for_kinds(const eql::ExprPtr& condition, ecs::KindMask kinds) {
  const auto* l = condition ? condition->as<eql::Logical>() : nullptr;
  if (l == nullptr) return condition;
  std::vector<eql::ExprPtr> kept;
  for (const auto& operand : l->operands) {
    if (l->op == eql::LogicalOp::Or && (outcomes(operand).may_be_true & kinds) == 0) continue;
    kept.push_back(condition_for_kinds(operand, kinds));
  }
  // An or none of whose branches can be true: false (an and keeps every operand).
  if (kept.empty()) return std::make_shared<const eql::Expr>(eql::Expr{condition->pos, eql::Literal{false}});
  if (kept.size() == 1) return kept.front();
  return std::make_shared<const eql::Expr>(eql::Expr{condition->pos, eql::Logical{l->op, std::move(kept)}});
}

ecs::KindMask kinds_matched(std::string_view category, const eql::ExprPtr& condition) {
  return ecs::kinds_of_category(category) & outcomes(condition).may_be_true;
}

}  // namespace auditeql::rules
