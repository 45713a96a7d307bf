#include "rules/field_check.h"

#include <algorithm>
#include <optional>

#include "ecs/fields.h"
#include "ecs/schema.h"
#include "eql/compile.h"
#include "eql/json_document.h"

namespace auditeql::rules {
namespace {

template <class Visit>
void for_each_child(const eql::Expr& e, Visit&& visit) {
  std::visit(
      [&](const auto& node) {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, eql::Logical>) {
          for (const auto& o : node.operands) visit(o);
        } else if constexpr (std::is_same_v<T, eql::Not>) {
          visit(node.operand);
        } else if constexpr (std::is_same_v<T, eql::Comparison> || std::is_same_v<T, eql::Arithmetic>) {
          visit(node.left);
          visit(node.right);
        } else if constexpr (std::is_same_v<T, eql::InList>) {
          visit(node.value);
          for (const auto& i : node.items) visit(i);
        } else if constexpr (std::is_same_v<T, eql::PatternMatch>) {
          visit(node.value);
          for (const auto& p : node.patterns) visit(p);
        } else if constexpr (std::is_same_v<T, eql::Call>) {
          for (const auto& a : node.args) visit(a);
        }
      },
      e.node);
}

template <class OnField>
void for_each_field(const eql::ExprPtr& e, OnField&& on_field) {
  if (!e) return;
  if (const auto* f = e->as<eql::Field>()) {
    on_field(*f, e->pos);
    return;
  }
  for_each_child(*e, [&](const eql::ExprPtr& child) { for_each_field(child, on_field); });
}

// Which of Elastic's schemas beyond ECS has `name`, if any.
std::string_view elastic_schema_of(std::string_view name) {
  for (const auto schema : ecs::kElasticSchemas) {
    if (ecs::find_field(schema, name) != nullptr) return ecs::to_string(schema);
  }
  return {};
}

FieldReference judge(std::string name, const eql::SourcePos& pos, bool optional, ecs::KindMask kinds,
                     RuleSchema schema) {
  FieldReference ref{std::move(name), pos, optional, FieldStanding::Unknown, {}};
  if (const auto id = ecs::find_event_field(ref.name)) {
    ref.standing = (ecs::event_field(*id).kinds & kinds) != 0 ? FieldStanding::Set : FieldStanding::NeverSet;
    return ref;
  }
  if (ecs::find_field(ecs::Schema::Ecs, ref.name) != nullptr) {
    ref.standing = FieldStanding::NeverSet;
    return ref;
  }
  const std::string_view elastic = elastic_schema_of(ref.name);
  if (!elastic.empty() && schema == RuleSchema::Elastic) {
    ref.standing = FieldStanding::NeverSet;
  } else if (optional) {
    ref.standing = FieldStanding::NeverSet;  // `?name`: Elasticsearch reads an unmapped field as null
  } else {
    ref.elastic_schema = elastic;
  }
  return ref;
}

// Optimal string alignment distance, capped: whether a and b are at most one edit apart.
bool one_edit_apart(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;  // equal, or b has one more at the end
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;  // one changed
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i) == b.substr(i + 1);  // one added to b
}

std::string_view parent_of(std::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : name.substr(0, dot);
}

// Every name auditeql knows: the registry's and ECS's.
template <class Visit>
void for_each_known_name(Visit&& visit) {
  for (const auto& f : ecs::event_fields()) visit(f.name);
  for (const auto& f : ecs::ecs_fields()) visit(f.name);
}

enum class Truth : uint8_t { False, True, Unknown };

class EmptyDocument final : public eql::Document {
 public:
  eql::FieldValues get(eql::FieldId) const override { return eql::FieldValues::none(); }
};

Truth truth_without(const eql::ExprPtr& e, const std::function<bool(std::string_view)>& absent) {
  if (!e) return Truth::Unknown;
  if (const auto* l = e->as<eql::Logical>()) {
    const bool conjunction = l->op == eql::LogicalOp::And;
    bool all_decided = true;
    for (const auto& o : l->operands) {
      const Truth t = truth_without(o, absent);
      if (t == Truth::Unknown) {
        all_decided = false;
      } else if ((t == Truth::True) != conjunction) {
        return t;  // a false conjunct, or a true disjunct, decides
      }
    }
    return all_decided ? (conjunction ? Truth::True : Truth::False) : Truth::Unknown;
  }
  if (const auto* n = e->as<eql::Not>()) {
    const Truth t = truth_without(n->operand, absent);
    return t == Truth::Unknown ? t : (t == Truth::True ? Truth::False : Truth::True);
  }
  // Any other node decides on its own: it is known when every field it
  // reads is absent (or it reads none).
  bool depends_on_present_field = false;
  for_each_field(e, [&](const eql::Field& f, const eql::SourcePos&) {
    depends_on_present_field = depends_on_present_field || !absent(f.name);
  });
  if (depends_on_present_field) return Truth::Unknown;
  try {
    eql::DynamicSchema schema;
    const eql::CompiledCondition c = eql::compile_condition(eql::Condition{e}, schema);
    return c.matches(EmptyDocument()) ? Truth::True : Truth::False;
  } catch (const eql::Error&) {
    return Truth::Unknown;  // not a condition on its own; reported elsewhere if at all
  }
}

}  // namespace

std::vector<FieldReference> field_references(const eql::Expr& expr, ecs::KindMask kinds, RuleSchema schema) {
  std::vector<FieldReference> out;
  const auto on_field = [&](const eql::Field& f, const eql::SourcePos& pos) {
    out.push_back(judge(f.name, pos, f.optional, kinds, schema));
  };
  if (const auto* f = expr.as<eql::Field>()) {
    on_field(*f, expr.pos);
  } else {
    for_each_child(expr, [&](const eql::ExprPtr& child) { for_each_field(child, on_field); });
  }
  return out;
}

std::string suggest_field(std::string_view name) {
  const std::string_view parent = parent_of(name);
  const auto last_of = [](std::string_view n, std::string_view p) { return p.empty() ? n : n.substr(p.size() + 1); };
  const std::string_view last = last_of(name, parent);
  std::vector<std::string_view> close, extended;
  for_each_known_name([&](std::string_view known) {
    if (known == name) return;
    if (one_edit_apart(name, known)) {
      close.push_back(known);
    } else if (!last.empty() && parent_of(known) == parent && last_of(known, parent).starts_with(last)) {
      extended.push_back(known);
    }
  });
  // The registry's names are ECS's too: the same name may come twice.
  for (auto* list : {&close, &extended}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
  if (close.size() == 1) return std::string(close.front());
  if (close.empty() && extended.size() == 1) return std::string(extended.front());
  return {};
}

bool can_match_without(const eql::ExprPtr& condition, const std::function<bool(std::string_view)>& absent) {
  return truth_without(condition, absent) != Truth::False;
}

std::string describe_unknown_field(const FieldReference& field) {
  std::string text = "unknown field '" + field.name + "'";
  if (!field.elastic_schema.empty()) {
    return text + " (a field of " + std::string(field.elastic_schema) +
           " that auditeql does not set; a rule written for Elastic's schemas says `schema: elastic`)";
  }
  if (const std::string s = suggest_field(field.name); !s.empty()) text += " (did you mean '" + s + "'?)";
  return text;
}

std::string describe_kinds(ecs::KindMask kinds) {
  std::vector<std::string_view> categories;
  for (size_t k = 0; k < ecs::kEventKindCount; ++k) {
    if ((kinds & (ecs::KindMask{1} << k)) == 0) continue;
    const std::string_view c = ecs::classification(static_cast<ecs::EventKind>(k)).category;
    if (std::find(categories.begin(), categories.end(), c) == categories.end()) categories.push_back(c);
  }
  if (categories.empty()) return "any event auditeql produces";
  std::string text;
  for (size_t i = 0; i < categories.size(); ++i) {
    if (i > 0) text += i + 1 == categories.size() ? " and " : ", ";
    text += categories[i];
  }
  return text + " events";
}

}  // namespace auditeql::rules
