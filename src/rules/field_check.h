#pragma once
// What auditeql makes of the fields a query or an exception names, checked
// when rules load so that a mistake fails closed: a name in no schema
// auditeql knows is an error (Elasticsearch rejects it as an unknown
// column), a known field that auditeql never sets is reported with what it
// does to the rule, and an exception that depends on such a field is
// refused (it would suppress every alert of its rule, or none).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ecs/event.h"
#include "eql/ast.h"
#include "rules/rule.h"

namespace auditeql::rules {

enum class FieldStanding : uint8_t {
  Set,       // a registry field that events of the query's kinds can have
  NeverSet,  // a known field those events never have (an ECS field auditeql does not fill, file.path in a
             // process query, or an unknown name written `?name`, which Elasticsearch reads as null)
  Unknown,   // in no schema the rule is written against: a typo, or another sensor's field
};

struct FieldReference {
  std::string name;
  eql::SourcePos pos;
  bool optional = false;
  FieldStanding standing = FieldStanding::Set;
  // For an Unknown field of Elastic's schemas (in a rule written for ECS): which one.
  std::string_view elastic_schema;
};

// Every field `expr` names, in order of appearance, judged for a query that
// sees events of `kinds` and is written against `schema`.
std::vector<FieldReference> field_references(const eql::Expr& expr, ecs::KindMask kinds,
                                             RuleSchema schema = RuleSchema::Ecs);

// A known field name one edit away from `name` (a letter added, dropped,
// changed or two swapped), or one whose last part starts with `name`'s
// (`process.parent.exe`): "" when there is none or more than one.
std::string suggest_field(std::string_view name);

// The kinds of events (among those of its category) on which a filter can
// be true, given what the field registry knows of each kind (the constant
// event.category/type/action, the fields set) and that the fields of
// `never_set` are absent.
ecs::KindMask kinds_matched(const eql::EventFilter& filter, const std::vector<std::string>& never_set);

// Whether every mention of `field` in `condition` only excludes events: it
// is negated (`not`, `!=`, `not in`) or written `?field`.
bool only_excludes_events(const eql::ExprPtr& condition, std::string_view field);

// Whether a rule can fire on the events auditeql produces, which no other
// tool tells: Elastic's rules read fields and event kinds a given sensor may
// never have.
struct RuleReach {
  enum class Verdict : uint8_t {
    CanFire,          // every field it reads can be set on events it sees
    LosesExclusions,  // can fire, but fields auditeql never sets appear only in what it excludes
    CannotFire,       // needs an event kind or a field auditeql never produces
  };
  Verdict verdict = Verdict::CanFire;
  ecs::KindMask kinds = 0;             // the kinds of events it can match
  std::vector<std::string> never_set;  // known fields it reads that those events never have
  std::string needs;                   // CannotFire: what it would need
  // "can fire", "can fire, but loses exclusions (...)", "cannot fire: needs ..."
  std::string describe() const;
};

// The reach of an event filter (a rule's query, or one stage of a
// sequence) whose fields are `refs` (field_references of its condition).
RuleReach reach_of(const eql::EventFilter& filter, const std::vector<FieldReference>& refs);

// "an unknown field 'x' (did you mean 'y'?)" and friends, for diagnostics.
std::string describe_unknown_field(const FieldReference& field);

// "process events", "file events", "process and file events".
std::string describe_kinds(ecs::KindMask kinds);

}  // namespace auditeql::rules
