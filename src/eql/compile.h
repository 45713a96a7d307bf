// Compiling parsed queries into matchers that run against documents.
//
// Compilation does all the work that does not depend on an event: field
// names become FieldIds (through the Schema), constants are folded,
// `~` constants lower-cased, wildcard patterns and regexes compiled, CIDRs
// parsed, large `in` lists sorted for binary search. matches() then only
// reads field values and compares; it does not parse and, apart from
// functions that build long strings (concat), does not allocate.
//
// Compiled objects are immutable and cheap to copy (shared), and matches()
// may be called from several threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "eql/ast.h"
#include "eql/values.h"

namespace auditeql::eql {

namespace detail {
struct Program;
}

// A field a compiled query reads. `optional` is true when every mention of
// it was written `?field`.
struct FieldUse {
  FieldId id = 0;
  std::string name;
  bool optional = false;
};

// A compiled boolean condition.
class CompiledCondition {
 public:
  CompiledCondition() = default;  // matches nothing

  bool matches(const Document& document) const;

  // Fields read by the condition, in order of first mention, each once.
  const std::vector<FieldUse>& fields() const;

  // Whether `value`, as a value of `field`, passes one of the tests the
  // condition makes on that field's own values (`process.args == "x"`,
  // `process.args : "*.ko"`; not those inside function calls). An alert
  // shortening a long argument list keeps such values.
  bool passes_a_test_of(FieldId field, const Scalar& value) const;

 private:
  friend CompiledCondition compile_condition(const Condition& condition, Schema& schema, std::string_view category);
  std::shared_ptr<const detail::Program> program_;
};

// A compiled single-event query (`CATEGORY where CONDITION`).
class CompiledQuery {
 public:
  // "process", "file", "network", ... or "any". matches() does not look at
  // the event's category: callers index queries by category (an `any`
  // query applies to every event) and only run the ones that apply.
  std::string_view category() const { return category_; }
  bool any_category() const { return category_ == "any"; }
  bool applies_to(std::string_view event_category) const { return any_category() || event_category == category_; }

  bool matches(const Document& document) const { return condition_.matches(document); }
  const std::vector<FieldUse>& fields() const { return condition_.fields(); }
  const CompiledCondition& condition() const { return condition_; }

 private:
  friend CompiledQuery compile_filter(const EventFilter& filter, Schema& schema);
  std::string category_;
  CompiledCondition condition_;
};

// Compiles an event query. Throws Error for sequence and sample queries
// ("sequence queries are not evaluated yet", "sample queries are not
// evaluated yet": they compile with compile_join() in eql/join_query.h),
// pipes, unknown functions, wrong argument counts or literal types, invalid
// regexes or CIDR blocks and non-boolean conditions, each at the position of
// the offending piece of the query.
CompiledQuery compile(const Query& query, Schema& schema);

// Compiles one `CATEGORY where CONDITION` filter (an event query's, or one
// stage of a sequence or sample). Throws Error.
CompiledQuery compile_filter(const EventFilter& filter, Schema& schema);

// Compiles a bare condition (rule exceptions, sequence stages). Throws Error.
// `category` is the event category the condition will only ever see (a
// rule's exceptions see its rule's); the schema may know constant fields for it.
CompiledCondition compile_condition(const Condition& condition, Schema& schema, std::string_view category = "any");

}  // namespace auditeql::eql
