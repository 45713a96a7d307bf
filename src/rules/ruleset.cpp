#include "rules/ruleset.h"

#include <algorithm>
#include <map>

#include "eql/join_query.h"
#include "eql/parser.h"
#include "rules/field_check.h"

namespace auditeql::rules {
namespace {

void report_at(const TextPosition& where, const eql::SourcePos& pos, const std::string& message, Diagnostics& d,
               Diagnostic::Level level = Diagnostic::Level::Error) {
  const SourceSpan at = where.at(pos.line, pos.column);
  if (level == Diagnostic::Level::Error) {
    d.error(at, message, read_source_line(at.file, at.line));
  } else {
    d.warning(at, message, read_source_line(at.file, at.line));
  }
}

// Reports every field of `refs` that no schema knows; true when there was none.
bool report_unknown_fields(const std::vector<FieldReference>& refs, const TextPosition& where,
                           const std::string& prefix, Diagnostics& d) {
  bool ok = true;
  for (const auto& ref : refs) {
    if (ref.standing != FieldStanding::Unknown) continue;
    report_at(where, ref.pos, prefix + describe_unknown_field(ref), d);
    ok = false;
  }
  return ok;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

std::vector<std::string> never_set_names(const std::vector<FieldReference>& refs) {
  std::vector<std::string> names;
  for (const auto& ref : refs) {
    if (ref.standing == FieldStanding::NeverSet && std::find(names.begin(), names.end(), ref.name) == names.end()) {
      names.push_back(ref.name);
    }
  }
  return names;
}

const FieldReference* first_never_set(const std::vector<FieldReference>& refs) {
  for (const auto& ref : refs) {
    if (ref.standing == FieldStanding::NeverSet) return &ref;
  }
  return nullptr;
}

// An exception is refused when it names an unknown field or depends on one
// its rule's events never have: it would then suppress every alert of the
// rule, or none, whatever the event.
std::optional<eql::CompiledCondition> compile_exception(const ExceptionDefinition& ex, EcsSchema& schema,
                                                        std::string_view category, RuleSchema rule_schema,
                                                        Diagnostics& d) {
  const std::string prefix = "exception for rule " + ex.rule_id + ": ";
  try {
    const eql::Condition condition = eql::parse_condition(ex.condition);
    const ecs::KindMask kinds = ecs::kinds_of_category(category);
    const auto refs = field_references(*condition.root, kinds, rule_schema);
    if (!report_unknown_fields(refs, ex.where, prefix, d)) return std::nullopt;
    if (const FieldReference* never = first_never_set(refs)) {
      report_at(ex.where, never->pos,
                prefix + "refused: it depends on " + quoted_list(never_set_names(refs)) +
                    ", which auditeql never sets on " + describe_kinds(kinds) +
                    ", so it would match every event or none",
                d);
      return std::nullopt;
    }
    return eql::compile_condition(condition, schema, category);
  } catch (const eql::Error& e) {
    report_at(ex.where, e.pos, prefix + e.detail, d);
    return std::nullopt;
  }
}

std::vector<const eql::EventFilter*> join_filters(const eql::Query& query) {
  std::vector<const eql::EventFilter*> out;
  for (const auto& stage : query.stages) out.push_back(&stage.filter);
  if (query.until) out.push_back(&query.until->filter);
  return out;
}

// Parses the rule's query into `parsed` (the rule index is built from its
// syntax tree), checks that every field it names is known (its field
// references go to `refs`) and compiles it: an event query into the
// result, a sequence or sample only to check it. Errors are reported
// unless `d` is null; nullopt then, and for a sequence or sample.
std::optional<eql::CompiledQuery> compile_query(const RuleDefinition& rule, EcsSchema& schema, eql::Query& parsed,
                                                std::vector<FieldReference>& refs, Diagnostics* d) {
  Diagnostics ignored;
  Diagnostics& out = d != nullptr ? *d : ignored;
  const std::string label = "rule " + rule.id + " (" + rule.name + "): ";
  try {
    parsed = eql::parse_query(rule.query);
    if (parsed.kind == eql::QueryKind::Event) {
      refs = field_references(*parsed.event.condition.root, ecs::kinds_of_category(parsed.event.category), rule.schema);
      if (!report_unknown_fields(refs, rule.query_where, label, out)) return std::nullopt;
      return eql::compile(parsed, schema);
    }
    bool known = true;
    for (const auto* filter : join_filters(parsed)) {
      const auto stage_refs =
          field_references(*filter->condition.root, ecs::kinds_of_category(filter->category), rule.schema);
      known = report_unknown_fields(stage_refs, rule.query_where, label, out) && known;
    }
    if (known) eql::compile_join(parsed, schema);
    return std::nullopt;
  } catch (const eql::Error& e) {
    report_at(rule.query_where, e.pos, label + e.detail, out);
    return std::nullopt;
  }
}

// Exceptions only ever see the events of their rule's category.
std::string exception_category(const RuleDefinition* rule, EcsSchema& schema) {
  if (rule == nullptr || rule->status != RunStatus::Runs) return "any";
  eql::Query parsed;
  std::vector<FieldReference> refs;
  const auto query = compile_query(*rule, schema, parsed, refs, nullptr);
  return query ? std::string(query->category()) : std::string("any");
}

}  // namespace

bool rule_compiles(const RuleDefinition& rule, bool query_set, Diagnostics& d) {
  // A rule that never runs here (another rule type, another OS) is listed,
  // not compiled: its query need not even be EQL.
  if (rule.status != RunStatus::Runs) return true;
  EcsSchema schema;
  const size_t errors_before = d.error_count();
  std::string category = "any";
  if (rule.enabled || query_set) {
    eql::Query parsed;
    std::vector<FieldReference> refs;
    const auto query = compile_query(rule, schema, parsed, refs, &d);
    if (d.error_count() != errors_before) return false;
    category = query ? std::string(query->category()) : std::string("any");
  } else {
    category = exception_category(&rule, schema);
  }
  for (const auto& ex : rule.exceptions) compile_exception(ex, schema, category, rule.schema, d);
  return d.error_count() == errors_before;
}

bool exception_compiles(const ExceptionDefinition& ex, const RuleDefinition* rule, Diagnostics& d) {
  EcsSchema schema;
  return compile_exception(ex, schema, exception_category(rule, schema), rule ? rule->schema : RuleSchema::Ecs, d)
      .has_value();
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
      compile_exception(ex, schema, "any", RuleSchema::Ecs, d);
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
    eql::Query query;
    std::vector<FieldReference> refs;
    const size_t errors_before = d.error_count();
    auto compiled = compile_query(definition, schema, query, refs, &d);
    if (!compiled) {
      if (d.error_count() == errors_before) {
        report_at(definition.query_where, query.pos,
                  "rule " + definition.id + " (" + definition.name + "): " + std::string(eql::to_string(query.kind)) +
                      " rules are not evaluated yet",
                  d);
      }
      continue;
    }
    rule->query = std::move(*compiled);
    // An exception that is refused is left out and the rule runs without
    // it: more alerts, never fewer. (The loader already refuses the whole
    // file of such an exception; this covers rule sets built by hand.)
    for (const auto& ex : definition.exceptions) {
      if (auto condition = compile_exception(ex, schema, rule->query.category(), definition.schema, d)) {
        rule->exceptions.push_back({ex.description, std::move(*condition), ex.where.start});
      }
    }
    const std::string label = "rule " + definition.id + " (" + definition.name + "): ";
    rule->reach = reach_of(query.event, refs);
    // Said once per rule: the check command, replay and the plugin's log
    // show it. A rule that needs a whole kind of event auditeql does not
    // produce is only counted (check lists it).
    const bool produced = ecs::kinds_of_category(query.event.category) != 0;
    if (const FieldReference* never = first_never_set(refs); never != nullptr && produced) {
      report_at(definition.query_where, never->pos,
                label + "reads " + quoted_list(rule->reach.never_set) + ", which auditeql never sets on " +
                    describe_kinds(ecs::kinds_of_category(query.event.category)) + ": " + rule->reach.describe(),
                d, Diagnostic::Level::Warning);
    }
    rule->definition = std::move(definition);
    rule->index = set.rules_.size();
    if (rule->definition.building_block) ++set.building_blocks_;
    const auto index = static_cast<uint32_t>(set.rules_.size());
    const eql::Expr* condition = query.event.condition.root.get();
    for (size_t k = 0; k < ecs::kEventKindCount; ++k) {
      if (rule->query.applies_to(ecs::classification(static_cast<ecs::EventKind>(k)).category)) {
        set.by_kind_[k].add(index, condition);
      }
    }
    set.rules_.push_back(std::move(rule));
    set.counters_.emplace_back();
  }
  if (set.rules_.empty() && !d.has_errors()) {
    d.error({}, "no enabled rule: auditeql would detect nothing (" + std::to_string(set.disabled_.size()) +
                    " disabled, none in the rule directories otherwise)");
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
  // Whether each rule can fire on what auditeql produces (`check` says it
  // rule by rule); only worth a line when some cannot, or lose exclusions.
  size_t reach[3] = {0, 0, 0};
  for (const auto& rule : rules_) ++reach[static_cast<size_t>(rule->reach.verdict)];
  if (reach[1] + reach[2] > 0) {
    parts.push_back(std::to_string(reach[0]) + " can fire, " + std::to_string(reach[1]) + " lose exclusions, " +
                    std::to_string(reach[2]) + " cannot fire");
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
