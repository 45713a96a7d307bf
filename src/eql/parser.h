// Parsing EQL text into syntax trees.
#pragma once

#include <string_view>

#include "eql/ast.h"

namespace auditeql::eql {

// A whole query: `CATEGORY where COND`, `sequence ...` or `sample ...`,
// optionally followed by pipes. Throws Error (with the position of the
// offending token) on invalid syntax.
Query parse_query(std::string_view text);

// A bare boolean condition, as used for rule exceptions, e.g.
// `process.parent.executable == "/opt/x"`. Throws Error.
Condition parse_condition(std::string_view text);

// Deepest nesting of parentheses, `not`s, unary signs and calls the parser
// accepts, so that hostile input cannot exhaust the stack.
inline constexpr int kMaxExpressionDepth = 200;

}  // namespace auditeql::eql
