// Syntax tree of parsed EQL queries.
//
// Trees are immutable once parsed and shared through ExprPtr, so Query and
// Condition are cheap to copy. Every node records where it starts in the
// query text, which the compiler uses for its error messages.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "eql/error.h"

namespace auditeql::eql {

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

// A constant: null, true/false, an integer, a decimal or a string.
struct Literal {
  std::variant<std::monostate, bool, int64_t, double, std::string> value;

  bool is_null() const { return std::holds_alternative<std::monostate>(value); }
  const std::string* string() const { return std::get_if<std::string>(&value); }
};

// A field reference such as process.parent.name; `?process.name` sets optional.
struct Field {
  std::string name;  // dotted path, backticks removed
  bool optional = false;
};

enum class LogicalOp : uint8_t { And, Or };
struct Logical {
  LogicalOp op;
  std::vector<ExprPtr> operands;  // two or more; nested same-op chains are flattened
};

struct Not {
  ExprPtr operand;
};

enum class CompareOp : uint8_t { Eq, Ne, Lt, Le, Gt, Ge };
struct Comparison {
  CompareOp op;
  ExprPtr left;
  ExprPtr right;
};

// `value in (...)`, `in~`, `not in`, `not in~`.
struct InList {
  ExprPtr value;
  std::vector<ExprPtr> items;
  bool case_insensitive = false;
  bool negated = false;
};

// `like`, `like~`, `:`, `regex`, `regex~` against one or more string constants.
enum class PatternOp : uint8_t { Like, Regex };
struct PatternMatch {
  PatternOp op;
  bool case_insensitive = false;  // `like~`, `regex~` and `:`
  ExprPtr value;
  std::vector<ExprPtr> patterns;  // each a Literal; checked by the compiler
};

enum class ArithOp : uint8_t { Add, Sub, Mul, Div, Mod };
struct Arithmetic {
  ArithOp op;
  ExprPtr left;
  ExprPtr right;
};

// A function call; `startsWith~(...)` sets case_insensitive.
struct Call {
  std::string name;  // as written, without the `~`
  bool case_insensitive = false;
  std::vector<ExprPtr> args;
};

struct Expr {
  SourcePos pos;
  std::variant<Literal, Field, Logical, Not, Comparison, InList, PatternMatch, Arithmetic, Call> node;

  template <class T>
  const T* as() const {
    return std::get_if<T>(&node);
  }
};

// A bare boolean expression (the part after `where`, or a rule exception).
struct Condition {
  ExprPtr root;
};

// `CATEGORY where CONDITION`.
struct EventFilter {
  std::string category;  // "process", "file", ...; "any" for the `any` keyword
  SourcePos pos;
  Condition condition;

  bool any_category() const { return category == "any"; }
};

struct Duration {
  int64_t milliseconds = 0;
  std::string text;  // as written, e.g. "5m"
};

// One bracketed step of a sequence or sample.
struct Stage {
  SourcePos pos;
  EventFilter filter;
  std::vector<ExprPtr> by;       // per-stage join keys
  std::optional<uint64_t> runs;  // `with runs=N`
  bool missing = false;          // `![...]`: the event must not occur
};

// `| head 5`, `| tail 3`: parsed and kept, not evaluated.
struct Pipe {
  SourcePos pos;
  std::string name;
  std::vector<ExprPtr> args;
};

enum class QueryKind : uint8_t { Event, Sequence, Sample };
std::string_view to_string(QueryKind kind);

struct Query {
  QueryKind kind = QueryKind::Event;
  SourcePos pos;
  EventFilter event;                // Event queries
  std::vector<ExprPtr> by;          // `sequence by` / `sample by` keys shared by all stages
  std::optional<Duration> maxspan;  // `with maxspan=...` (sequences)
  std::vector<Stage> stages;        // sequences and samples
  std::optional<Stage> until;       // `until [...]` (sequences)
  std::vector<Pipe> pipes;
};

// A compact, unambiguous rendering of a tree, e.g.
//   (and (== process.name "cp") (not (in process.args ["-a" "-b"])))
// Used by tests and diagnostics; not meant to be parsed back.
std::string describe(const Expr& expr);
std::string describe(const Query& query);

}  // namespace auditeql::eql
