#include "rules/ruleset.h"

#include <algorithm>

#include "eql/parser.h"

namespace auditeql::rules {
namespace {

void report_eql_error(const eql::Error& e, const TextPosition& where, const std::string& prefix, Diagnostics& d) {
  const SourceSpan at = where.at(e.pos.line, e.pos.column);
  d.error(at, prefix + e.detail, read_source_line(at.file, at.line));
}

std::optional<eql::CompiledCondition> compile_exception(const ExceptionDefinition& ex, EcsSchema& schema,
                                                        std::string_view category, Diagnostics& d) {
  try {
    return eql::compile_condition(eql::parse_condition(ex.condition), schema, category);
  } catch (const eql::Error& e) {
    report_eql_error(e, ex.where, "exception for rule " + ex.rule_id + ": ", d);
    return std::nullopt;
  }
}

// The rule's query, compiled; `parsed` keeps the syntax tree the rule index
// is built from. Errors are reported unless `d` is null.
std::optional<eql::CompiledQuery> compile_query(const RuleDefinition& rule, EcsSchema& schema, eql::Query& parsed,
                                                Diagnostics* d) {
  try {
    parsed = eql::parse_query(rule.query);
    return eql::compile(parsed, schema);
  } catch (const eql::Error& e) {
    if (d != nullptr) report_eql_error(e, rule.query_where, "rule " + rule.id + " (" + rule.name + "): ", *d);
    return std::nullopt;
  }
}

// Exceptions only ever see the events of their rule's category.
std::string exception_category(const RuleDefinition* rule, EcsSchema& schema) {
  if (rule == nullptr) return "any";
  eql::Query parsed;
  const auto query = compile_query(*rule, schema, parsed, nullptr);
  return query ? std::string(query->category()) : std::string("any");
}

}  // namespace

bool rule_compiles(const RuleDefinition& rule, bool query_set, Diagnostics& d) {
  EcsSchema schema;
  const size_t errors_before = d.error_count();
  std::string category = "any";
  if (rule.enabled || query_set) {
    eql::Query parsed;
    const auto query = compile_query(rule, schema, parsed, &d);
    if (!query) return false;
    category = query->category();
  } else {
    category = exception_category(&rule, schema);
  }
  for (const auto& ex : rule.exceptions) compile_exception(ex, schema, category, d);
  return d.error_count() == errors_before;
}

bool exception_compiles(const ExceptionDefinition& ex, const RuleDefinition* rule, Diagnostics& d) {
  EcsSchema schema;
  return compile_exception(ex, schema, exception_category(rule, schema), d).has_value();
}

bool Ruleset::suppressed(const CompiledRule& rule, const EcsDocument& document) {
  for (const auto& ex : rule.exceptions) {
    if (ex.condition.matches(document)) return true;
  }
  return false;
}

Ruleset Ruleset::compile(LoadedRules loaded, Diagnostics& d) {
  Ruleset set;
  set.schema_ = std::make_shared<EcsSchema>();
  EcsSchema& schema = *set.schema_;

  // Exceptions from exception files join their rule's own.
  for (auto& ex : loaded.exceptions) {
    auto rule = std::find_if(loaded.rules.begin(), loaded.rules.end(),
                             [&](const RuleDefinition& r) { return r.id == ex.rule_id; });
    if (rule == loaded.rules.end()) {
      // Still compiled, so that a mistake in it is reported now, not when
      // the rule id is fixed.
      compile_exception(ex, schema, "any", d);
      d.warning(ex.where.start, "exception for unknown rule id " + ex.rule_id + " (it matches nothing)",
                read_source_line(ex.where.start.file, ex.where.start.line));
      continue;
    }
    rule->exceptions.push_back(std::move(ex));
  }

  for (auto& definition : loaded.rules) {
    if (!definition.enabled) {
      set.disabled_.push_back(definition.id);
      continue;
    }
    auto rule = std::make_unique<CompiledRule>();
    eql::Query query;
    auto compiled = compile_query(definition, schema, query, &d);
    if (!compiled) continue;
    rule->query = std::move(*compiled);
    // An exception that does not compile is left out and the rule runs
    // without it: more alerts, never fewer. (The loader already refuses the
    // whole file of such an exception; this covers rule sets built by hand.)
    for (const auto& ex : definition.exceptions) {
      if (auto condition = compile_exception(ex, schema, rule->query.category(), d)) {
        rule->exceptions.push_back({ex.description, std::move(*condition), ex.where.start});
      }
    }
    for (const auto& use : rule->query.fields()) {
      if (!schema.is_known(use.id)) rule->unset_fields.push_back(use.name);
    }
    rule->definition = std::move(definition);
    rule->index = set.rules_.size();
    const auto index = static_cast<uint32_t>(set.rules_.size());
    const eql::Expr* condition = query.event.condition.root.get();
    if (rule->query.applies_to("process")) set.by_kind_[static_cast<size_t>(ecs::EventKind::ProcessStart)].add(index, condition);
    if (rule->query.applies_to("file")) {
      set.by_kind_[static_cast<size_t>(ecs::EventKind::FileCreation)].add(index, condition);
      set.by_kind_[static_cast<size_t>(ecs::EventKind::FileRename)].add(index, condition);
    }
    set.rules_.push_back(std::move(rule));
    set.counters_.emplace_back();
  }
  return set;
}

}  // namespace auditeql::rules
