#include "rules/field_check.h"

#include <algorithm>
#include <map>
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

// What is known of a field for every event an analysis is about: nullopt
// when it varies from event to event, else its values (none: absent).
using FieldKnowledge = std::function<std::optional<eql::FieldValues>(std::string_view name)>;

// Serves the known values of the fields a leaf names, by their ids in `schema`.
class KnownDocument final : public eql::Document {
 public:
  KnownDocument(const eql::DynamicSchema& schema, const FieldKnowledge& known) : schema_(schema), known_(known) {}
  eql::FieldValues get(eql::FieldId id) const override {
    const auto values = known_(schema_.name(id));
    return values ? *values : eql::FieldValues::none();
  }

 private:
  const eql::DynamicSchema& schema_;
  const FieldKnowledge& known_;
};

// The truth of a condition on every event of which `known` tells: each part
// that reads only known fields is evaluated as Elasticsearch would, and the
// and/or/not around it are folded.
Truth truth_given(const eql::ExprPtr& e, const FieldKnowledge& known) {
  if (!e) return Truth::Unknown;
  if (const auto* l = e->as<eql::Logical>()) {
    const bool conjunction = l->op == eql::LogicalOp::And;
    bool all_decided = true;
    for (const auto& o : l->operands) {
      const Truth t = truth_given(o, known);
      if (t == Truth::Unknown) {
        all_decided = false;
      } else if ((t == Truth::True) != conjunction) {
        return t;  // a false conjunct, or a true disjunct, decides
      }
    }
    return all_decided ? (conjunction ? Truth::True : Truth::False) : Truth::Unknown;
  }
  if (const auto* n = e->as<eql::Not>()) {
    const Truth t = truth_given(n->operand, known);
    return t == Truth::Unknown ? t : (t == Truth::True ? Truth::False : Truth::True);
  }
  // Any other node decides on its own: it is known when every field it
  // reads is (or it reads none).
  bool varies = false;
  for_each_field(e, [&](const eql::Field& f, const eql::SourcePos&) { varies = varies || !known(f.name); });
  if (varies) return Truth::Unknown;
  try {
    eql::DynamicSchema schema;
    const eql::CompiledCondition c = eql::compile_condition(eql::Condition{e}, schema);
    return c.matches(KnownDocument(schema, known)) ? Truth::True : Truth::False;
  } catch (const eql::Error&) {
    return Truth::Unknown;  // not a condition on its own; reported elsewhere if at all
  }
}

// Whether every mention of `name` in `e` is negated (under `not`, `!=`,
// `not in`) or written `?name`: the field then only excludes events.
bool only_excludes(const eql::ExprPtr& e, std::string_view name, bool negated = false) {
  if (!e) return true;
  if (const auto* f = e->as<eql::Field>()) return f->name != name || negated || f->optional;
  if (const auto* n = e->as<eql::Not>()) return only_excludes(n->operand, name, !negated);
  bool flip = false;
  if (const auto* c = e->as<eql::Comparison>()) flip = c->op == eql::CompareOp::Ne;
  if (const auto* in = e->as<eql::InList>()) flip = in->negated;
  bool all = true;
  for_each_child(*e, [&](const eql::ExprPtr& child) { all = all && only_excludes(child, name, negated != flip); });
  return all;
}

// What is known of a field on events of one kind: the registry's
// kind-constant values, absent when it is set on no such event (or is one
// of `never_set`), else unknown.
std::optional<eql::FieldValues> known_on_kind(std::string_view name, ecs::EventKind kind,
                                              const std::vector<std::string>& never_set) {
  if (std::find(never_set.begin(), never_set.end(), name) != never_set.end()) return eql::FieldValues::none();
  const auto id = ecs::find_event_field(name);
  if (!id) return std::nullopt;
  const ecs::EventField& field = ecs::event_field(*id);
  if ((field.kinds & ecs::kind_bit(kind)) == 0) return eql::FieldValues::none();
  if (field.for_kind != nullptr) return field.for_kind(kind);
  return std::nullopt;
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

ecs::KindMask kinds_matched(const eql::EventFilter& filter, const std::vector<std::string>& never_set) {
  ecs::KindMask kinds = 0;
  const ecs::KindMask candidates = ecs::kinds_of_category(filter.category);
  for (size_t k = 0; k < ecs::kEventKindCount; ++k) {
    if ((candidates & (ecs::KindMask{1} << k)) == 0) continue;
    const auto kind = static_cast<ecs::EventKind>(k);
    const FieldKnowledge known = [&](std::string_view name) { return known_on_kind(name, kind, never_set); };
    if (truth_given(filter.condition.root, known) != Truth::False) kinds |= ecs::KindMask{1} << k;
  }
  return kinds;
}

bool only_excludes_events(const eql::ExprPtr& condition, std::string_view field) {
  return only_excludes(condition, field);
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

namespace auditeql::rules {
namespace {

// The values a condition asks of event.type and event.action, as
// "event.action in (a, b)": the event kinds it needs, for people.
std::string classification_asked(const eql::ExprPtr& condition) {
  std::map<std::string, std::vector<std::string>> asked;
  const std::function<void(const eql::ExprPtr&, bool)> walk = [&](const eql::ExprPtr& e, bool negated) {
    if (!e) return;
    if (const auto* n = e->as<eql::Not>()) return walk(n->operand, !negated);
    const auto field_name = [](const eql::ExprPtr& x) -> std::string {
      const auto* f = x ? x->as<eql::Field>() : nullptr;
      return f != nullptr && (f->name == "event.type" || f->name == "event.action") ? f->name : std::string();
    };
    const auto add = [&](const std::string& field, const std::vector<eql::ExprPtr>& values) {
      for (const auto& v : values) {
        const auto* lit = v ? v->as<eql::Literal>() : nullptr;
        if (lit != nullptr && lit->string() != nullptr) asked[field].push_back(*lit->string());
      }
    };
    if (!negated) {
      if (const auto* c = e->as<eql::Comparison>(); c != nullptr && c->op == eql::CompareOp::Eq) {
        if (const auto name = field_name(c->left); !name.empty()) add(name, {c->right});
      } else if (const auto* in = e->as<eql::InList>(); in != nullptr && !in->negated) {
        if (const auto name = field_name(in->value); !name.empty()) add(name, in->items);
      } else if (const auto* p = e->as<eql::PatternMatch>()) {
        if (const auto name = field_name(p->value); !name.empty()) add(name, p->patterns);
      }
    }
    if (e->as<eql::Logical>() != nullptr) for_each_child(*e, [&](const eql::ExprPtr& child) { walk(child, negated); });
  };
  walk(condition, false);
  std::string out;
  for (auto& [field, values] : asked) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    out += (out.empty() ? "" : " and ") + field + (values.size() == 1 ? " " : " in (");
    for (size_t i = 0; i < values.size(); ++i) out += (i == 0 ? "" : ", ") + values[i];
    if (values.size() > 1) out += ")";
  }
  return out.empty() ? "the event.type and event.action it tests" : out;
}

}  // namespace

RuleReach reach_of(const eql::EventFilter& filter, const std::vector<FieldReference>& refs) {
  RuleReach reach;
  for (const auto& ref : refs) {
    if (ref.standing == FieldStanding::NeverSet &&
        std::find(reach.never_set.begin(), reach.never_set.end(), ref.name) == reach.never_set.end()) {
      reach.never_set.push_back(ref.name);
    }
  }
  reach.kinds = kinds_matched(filter, reach.never_set);
  if (reach.kinds == 0) {
    reach.verdict = RuleReach::Verdict::CannotFire;
    if (ecs::kinds_of_category(filter.category) == 0) {
      reach.needs = filter.category + " events";
    } else if (kinds_matched(filter, {}) == 0) {
      reach.needs = filter.category + " events with " + classification_asked(filter.condition.root);
    } else {
      std::vector<std::string> required;
      for (const auto& name : reach.never_set) {
        if (!only_excludes_events(filter.condition.root, name)) required.push_back(name);
      }
      const auto& list = required.empty() ? reach.never_set : required;
      for (size_t i = 0; i < list.size(); ++i) reach.needs += (i == 0 ? "" : ", ") + list[i];
    }
    return reach;
  }
  if (reach.never_set.empty()) return reach;
  bool exclusions_only = true;
  for (const auto& name : reach.never_set) exclusions_only = exclusions_only && only_excludes_events(filter.condition.root, name);
  reach.verdict = exclusions_only ? RuleReach::Verdict::LosesExclusions : RuleReach::Verdict::CanFire;
  return reach;
}

std::string RuleReach::describe() const {
  std::string fields;
  for (size_t i = 0; i < never_set.size(); ++i) fields += (i == 0 ? "" : ", ") + never_set[i];
  switch (verdict) {
    case Verdict::CanFire:
      return never_set.empty() ? "can fire" : "can fire (never has " + fields + ", so the conditions on it never hold)";
    case Verdict::LosesExclusions: return "can fire, but loses exclusions (never has " + fields + ")";
    case Verdict::CannotFire: return "cannot fire: needs " + needs;
  }
  return "";
}

}  // namespace auditeql::rules
