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

// What a rule's query compiles to, with the fields it names.
struct QueryForm {
  eql::Query parsed;                           // the rule index is built from its syntax tree
  std::vector<FieldReference> refs;            // every field named, in order (join rules: all criteria and keys)
  std::optional<eql::CompiledQuery> event;     // an event query
  std::shared_ptr<const eql::JoinQuery> join;  // a sequence or sample
  // Join rules, per criterion (stages in order, then `until`): the event
  // kinds it sees and the fields its condition and its join keys name.
  struct Criterion {
    ecs::KindMask kinds = 0;
    std::vector<FieldReference> condition;
    std::vector<FieldReference> keys;
  };
  std::vector<Criterion> criteria;
};

// The stages of a join query in the order compile_join lists its criteria.
std::vector<const eql::Stage*> join_stages(const eql::Query& query) {
  std::vector<const eql::Stage*> out;
  for (const auto& stage : query.stages) out.push_back(&stage);
  if (query.until) out.push_back(&*query.until);
  return out;
}

// Parses the rule's query, checks that every field it names (in a
// condition or a join key) is known, and compiles it. Errors are reported
// unless `d` is null; false then.
bool compile_query(const RuleDefinition& rule, EcsSchema& schema, QueryForm& out, Diagnostics* d) {
  Diagnostics ignored;
  Diagnostics& report = d != nullptr ? *d : ignored;
  const std::string label = "rule " + rule.id + " (" + rule.name + "): ";
  try {
    out.parsed = eql::parse_query(rule.query);
    const eql::Query& parsed = out.parsed;
    if (parsed.kind == eql::QueryKind::Event) {
      out.refs = field_references(*parsed.event.condition.root, ecs::kinds_of_category(parsed.event.category), rule.schema);
      if (!report_unknown_fields(out.refs, rule.query_where, label, report)) return false;
      out.event = eql::compile(parsed, schema);
      return true;
    }
    bool known = true;
    for (const eql::Stage* stage : join_stages(parsed)) {
      QueryForm::Criterion c;
      c.kinds = ecs::kinds_of_category(stage->filter.category);
      c.condition = field_references(*stage->filter.condition.root, c.kinds, rule.schema);
      std::vector<FieldReference> own_keys;
      for (const auto* keys : {&parsed.by, &stage->by}) {
        for (const eql::ExprPtr& key : *keys) {
          auto refs = field_references(*key, c.kinds, rule.schema);
          c.keys.insert(c.keys.end(), refs.begin(), refs.end());
          if (keys == &stage->by) own_keys.insert(own_keys.end(), refs.begin(), refs.end());
        }
      }
      known = report_unknown_fields(c.condition, rule.query_where, label, report) && known;
      // The query's own `by` keys are every stage's: reported once.
      known = report_unknown_fields(out.criteria.empty() ? c.keys : own_keys, rule.query_where, label, report) && known;
      out.refs.insert(out.refs.end(), c.condition.begin(), c.condition.end());
      out.refs.insert(out.refs.end(), c.keys.begin(), c.keys.end());
      out.criteria.push_back(std::move(c));
    }
    if (!known) return false;
    out.join = std::make_shared<const eql::JoinQuery>(eql::compile_join(parsed, schema));
    return true;
  } catch (const eql::Error& e) {
    report_at(rule.query_where, e.pos, label + e.detail, report);
    return false;
  }
}

// Exceptions only ever see the events of their rule's category (a join
// rule's: any event of its criteria, so "any").
std::string exception_category(const RuleDefinition* rule, EcsSchema& schema) {
  if (rule == nullptr || rule->status != RunStatus::Runs) return "any";
  QueryForm form;
  if (!compile_query(*rule, schema, form, nullptr) || !form.event) return "any";
  return std::string(form.event->category());
}

// A join rule's reach: every positive stage (not `until`, not a
// missing-event stage) must be able to match auditeql's events, and each of
// its join keys must be set on them (or be optional, `?field`, joining as
// null). It loses exclusions when a stage does. `blocking` is the first
// stage that cannot match, if any.
RuleReach join_reach(const eql::JoinQuery& join, const std::vector<QueryForm::Criterion>& criteria,
                     const eql::Query& parsed, const eql::Stage*& blocking) {
  const auto stages = join_stages(parsed);
  const auto positive = [&](size_t i) { return join.criteria()[i].role == eql::JoinCriterion::Role::Stage; };
  RuleReach reach;
  const auto add_never_set = [&](const std::vector<std::string>& names) {
    for (const auto& name : names) {
      if (std::find(reach.never_set.begin(), reach.never_set.end(), name) == reach.never_set.end()) {
        reach.never_set.push_back(name);
      }
    }
  };
  bool loses_exclusions = false;
  for (size_t i = 0; i < criteria.size(); ++i) {
    if (!positive(i)) continue;
    const QueryForm::Criterion& c = criteria[i];
    const RuleReach stage = reach_of(stages[i]->filter, c.condition);
    add_never_set(stage.never_set);
    reach.kinds |= stage.kinds;
    std::vector<std::string> keys;
    for (const auto& key : c.keys) {
      if (key.standing == FieldStanding::NeverSet && !key.optional) keys.push_back(key.name);
    }
    if (stage.verdict == RuleReach::Verdict::CannotFire || !keys.empty()) {
      reach.verdict = RuleReach::Verdict::CannotFire;
      reach.needs = stage.verdict == RuleReach::Verdict::CannotFire
                        ? stage.needs + " (stage " + std::to_string(i + 1) + ")"
                        : quoted_list(keys) + " to join on (stage " + std::to_string(i + 1) + ")";
      blocking = stages[i];
      return reach;
    }
    loses_exclusions = loses_exclusions || stage.verdict == RuleReach::Verdict::LosesExclusions;
  }
  if (loses_exclusions) reach.verdict = RuleReach::Verdict::LosesExclusions;
  return reach;
}

}  // namespace

std::string_view CompiledRule::kind_label() const {
  return join ? eql::to_string(join->kind()) : query.category();
}

bool CompiledRule::passes_a_test_of(eql::FieldId field, const eql::Scalar& value) const {
  if (!join) return query.condition().passes_a_test_of(field, value);
  for (const auto& c : join->criteria()) {
    if (c.role == eql::JoinCriterion::Role::Stage && c.query.condition().passes_a_test_of(field, value)) return true;
  }
  return false;
}

bool rule_compiles(const RuleDefinition& rule, bool query_set, Diagnostics& d) {
  // A rule that never runs here (another rule type, another OS) is listed,
  // not compiled: its query need not even be EQL.
  if (rule.status != RunStatus::Runs) return true;
  EcsSchema schema;
  const size_t errors_before = d.error_count();
  std::string category = "any";
  if (rule.enabled || query_set) {
    QueryForm form;
    if (!compile_query(rule, schema, form, &d)) return false;
    if (form.event) category = std::string(form.event->category());
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

bool Ruleset::suppressed(const CompiledRule& rule, const eql::Document& document) {
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
    QueryForm form;
    if (!compile_query(definition, schema, form, &d)) continue;
    const std::string category = form.event ? std::string(form.event->category()) : std::string("any");
    // An exception that is refused is left out and the rule runs without
    // it: more alerts, never fewer. (The loader already refuses the whole
    // file of such an exception; this covers rule sets built by hand.)
    for (const auto& ex : definition.exceptions) {
      if (auto condition = compile_exception(ex, schema, category, definition.schema, d)) {
        rule->exceptions.push_back({ex.description, std::move(*condition), ex.where.start});
      }
    }
    const std::string label = "rule " + definition.id + " (" + definition.name + "): ";
    if (form.event) {
      rule->query = std::move(*form.event);
      rule->reach = reach_of(form.parsed.event, form.refs);
      // Said once per rule: the check command, replay and the plugin's log
      // show it. A rule that needs a whole kind of event auditeql does not
      // produce is only counted (check lists it).
      const bool produced = ecs::kinds_of_category(form.parsed.event.category) != 0;
      if (const FieldReference* never = first_never_set(form.refs); never != nullptr && produced) {
        report_at(definition.query_where, never->pos,
                  label + "reads " + quoted_list(rule->reach.never_set) + ", which auditeql never sets on " +
                      describe_kinds(ecs::kinds_of_category(form.parsed.event.category)) + ": " +
                      rule->reach.describe(),
                  d, Diagnostic::Level::Warning);
      }
    } else {
      rule->join = form.join;
      const eql::Stage* blocking = nullptr;
      rule->reach = join_reach(*rule->join, form.criteria, form.parsed, blocking);
      if (blocking != nullptr) {
        report_at(definition.query_where, blocking->pos, label + "this stage: " + rule->reach.describe(), d,
                  Diagnostic::Level::Warning);
      } else if (const FieldReference* never = first_never_set(form.refs)) {
        report_at(definition.query_where, never->pos,
                  label + "reads " + quoted_list(rule->reach.never_set) +
                      ", which auditeql never sets on the events its stages see: " + rule->reach.describe(),
                  d, Diagnostic::Level::Warning);
      }
    }
    rule->definition = std::move(definition);
    rule->index = set.rules_.size();
    if (rule->definition.building_block) ++set.building_blocks_;
    const auto index = static_cast<uint32_t>(set.rules_.size());
    // Each query is filed only under the kinds of events it can match (its
    // category, narrowed by the event.type and event.action it tests and the
    // fields each kind has), so that a stage waiting for a uid change is not
    // tested against every exec.
    if (!rule->is_join()) {
      set.file(index, kWholeQuery, rule->reach.kinds, form.parsed.event.condition.root.get());
    } else if (rule->reach.verdict != RuleReach::Verdict::CannotFire) {
      // A join rule that cannot fire is left out of the index: it would
      // only hold partial sequences that can never complete.
      const auto& criteria = rule->join->criteria();
      for (size_t c = 0; c < criteria.size(); ++c) {
        const ecs::KindMask kinds = kinds_matched(criteria[c].filter, never_set_names(form.criteria[c].condition));
        set.file(index, static_cast<uint8_t>(c), kinds, criteria[c].filter.condition.root.get());
      }
      set.join_rules_.push_back(index);
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

void Ruleset::file(uint32_t rule, uint8_t criterion, ecs::KindMask kinds, const eql::Expr* condition) {
  const auto entry = static_cast<uint32_t>(entries_.size());
  entries_.push_back({rule, criterion});
  for (size_t k = 0; k < ecs::kEventKindCount; ++k) {
    if ((kinds & (ecs::KindMask{1} << k)) != 0) by_kind_[k].add(entry, condition);
  }
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
