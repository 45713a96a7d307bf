#include "rules/ruleset.h"

#include <algorithm>
#include <map>

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

}  // namespace

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
    if (definition.status != RunStatus::Runs) {
      set.not_run_.push_back({definition.id, definition.name, definition.file, definition.status,
                              definition.status_detail});
      continue;
    }
    if (!definition.enabled) {
      set.disabled_.push_back(definition.id);
      continue;
    }
    auto rule = std::make_unique<CompiledRule>();
    const std::string label = "rule " + definition.id + " (" + definition.name + "): ";
    eql::Query query;
    try {
      query = eql::parse_query(definition.query);
      rule->query = eql::compile(query, schema);
    } catch (const eql::Error& e) {
      report_eql_error(e, definition.query_where, label, d);
      continue;
    }
    bool exceptions_ok = true;
    for (const auto& ex : definition.exceptions) {
      auto condition = compile_exception(ex, schema, rule->query.category(), d);
      if (!condition) {
        exceptions_ok = false;
        continue;
      }
      rule->exceptions.push_back({ex.description, std::move(*condition), ex.where.start});
    }
    if (!exceptions_ok) continue;
    for (const auto& use : rule->query.fields()) {
      if (!schema.is_known(use.id)) rule->unset_fields.push_back(use.name);
    }
    rule->definition = std::move(definition);
    rule->index = set.rules_.size();
    if (rule->definition.building_block) ++set.building_blocks_;
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

std::string Ruleset::summary() const {
  std::map<std::string, size_t> not_eql;  // by rule type
  size_t not_linux = 0, unsupported = 0;
  for (const auto& rule : not_run_) {
    if (rule.status == RunStatus::NotEql) ++not_eql[rule.detail];
    if (rule.status == RunStatus::NotLinux) ++not_linux;
    if (rule.status == RunStatus::Unsupported) ++unsupported;
  }
  std::vector<std::string> parts;
  if (building_blocks_ > 0) {
    parts.push_back(std::to_string(building_blocks_) + (building_blocks_ == 1 ? " building block" : " building blocks"));
  }
  std::string not_run;
  auto add = [&](size_t n, const std::string& what) {
    if (n > 0) not_run += (not_run.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  };
  std::string types;
  size_t not_eql_total = 0;
  for (const auto& [type, n] : not_eql) {
    types += (types.empty() ? "" : ", ") + type + " " + std::to_string(n);
    not_eql_total += n;
  }
  add(not_eql_total, "not EQL (" + types + ")");
  add(not_linux, "not for Linux");
  add(unsupported, "unsupported");
  if (!not_run.empty()) parts.push_back("not run: " + not_run);
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out;
}

}  // namespace auditeql::rules
