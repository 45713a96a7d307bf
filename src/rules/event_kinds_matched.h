#pragma once
// Which kinds of event a query can match at all, from what each kind fixes:
// a process start is always event.category "process", event.type "start",
// event.action "exec", and never has file.path. Used to derive the audit
// rules a rule set needs (rules/audit_rule_plan.h): a rule that tests
// `event.action == "connection_attempted"` needs connect records, one that
// tests `event.type == "deletion"` needs unlink records, and a rule written
// for another sensor's action names needs none.
#include <string_view>

#include "ecs/event.h"
#include "eql/ast.h"

namespace auditeql::rules {

// The kinds of `category`'s events (ecs::kinds_of_category) for which
// `condition` is not known to be false. For each kind, the parts of the
// condition that read only fields the kind fixes (those the field registry
// gives a per-kind value, such as event.category/type/action, and those it
// never sets on that kind, which have no value) are evaluated as
// Elasticsearch would; and/or/not fold around them; anything else may be
// true. So the answer may include a kind the condition cannot really match,
// never leave out one it can.
ecs::KindMask kinds_matched(std::string_view category, const eql::ExprPtr& condition);

// `condition` as it reads on events of `kinds`: the branches of its
// disjunctions that cannot be true on any of them (by the analysis above)
// left out. `any where (event.category == "file" and file.path : "/etc/*")
// or (event.category == "process" and ...)` reads, on file events, as its
// first branch. Equivalent to `condition` on those events.
eql::ExprPtr condition_for_kinds(const eql::ExprPtr& condition, ecs::KindMask kinds);

}  // namespace auditeql::rules
