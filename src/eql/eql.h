// The EQL engine: parse Elasticsearch EQL queries and evaluate them against
// events: single-event queries per event, sequences and samples over a stream.
//
//   Query query = parse_query(R"(process where process.name : "cp*")");
//   CompiledQuery rule = compile(query, schema);   // once
//   if (rule.applies_to(category) && rule.matches(event)) ...   // per event
//
// Semantics are Elasticsearch's: `==`, `!=`, `in` are case-sensitive and
// exact (`*` is literal); `:` and `like~` are case-insensitive wildcard
// matches; `regex` matches the whole value; a multi-valued field satisfies a
// comparison when any of its values does; a comparison on a missing field is
// false and `!=` / `not in` are the negations of `==` / `in`.
//
// Headers:
//   eql/error.h          SourcePos, Error, format_error()
//   eql/ast.h            Query, Condition, Expr (the syntax tree)
//   eql/parser.h         parse_query(), parse_condition()
//   eql/values.h         FieldId, Schema, Scalar, FieldValues, Document
//   eql/compile.h        compile(), compile_condition(), CompiledQuery
//   eql/json_document.h  DynamicSchema, JsonDocument (events given as JSON)
//   eql/join_query.h     compile_join(): sequence and sample queries, join keys
//   eql/sequence.h       SequenceMatcher: sequences over a stream of events
//   eql/sample.h         SampleMatcher: samples over a stream of events
//   eql/json_join.h      JsonJoinEvaluator: sequences and samples over JSON events
#pragma once

#include "eql/ast.h"
#include "eql/compile.h"
#include "eql/error.h"
#include "eql/join_query.h"
#include "eql/json_document.h"
#include "eql/json_join.h"
#include "eql/parser.h"
#include "eql/sample.h"
#include "eql/sequence.h"
#include "eql/values.h"
