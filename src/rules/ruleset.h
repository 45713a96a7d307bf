#pragma once
// Stage 4: the compiled rules, indexed by the event kinds they can match.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ecs/event.h"
#include "eql/compile.h"
#include "rules/diagnostics.h"
#include "rules/field_check.h"
#include "rules/ecs_document.h"
#include "rules/rule.h"
#include "rules/rule_index.h"
#include "rules/rule_loader.h"

namespace auditeql::rules {

struct CompiledException {
  std::string description;
  eql::CompiledCondition condition;
  SourceSpan where;
};

struct CompiledRule {
  RuleDefinition definition;
  eql::CompiledQuery query;
  std::vector<CompiledException> exceptions;
  RuleReach reach;                        // whether it can fire on what auditeql produces
  size_t index = 0;                       // position in the ruleset
};

// A loaded rule that never runs (RunStatus other than Runs).
struct NotRunRule {
  std::string id;
  std::string name;
  std::string file;
  RunStatus status = RunStatus::NotEql;
  std::string detail;
};

struct RuleCounters {
  uint64_t matches = 0;     // events the query matched
  uint64_t suppressed = 0;  // ... of which an exception then suppressed
};

// Whether `rule` compiles as Ruleset::compile would compile it: its query
// (checked when the rule is enabled or the file being loaded set it; a
// disabled rule may keep an inherited query unchecked) and each exception in
// the query's category. Errors go to `diagnostics`. The loader checks every
// rule file with it before applying the file, so that a file applies whole or
// not at all.
bool rule_compiles(const RuleDefinition& rule, bool query_set, Diagnostics& diagnostics);
// Whether exception `ex` compiles for `rule` (null: no rule has its id).
bool exception_compiles(const ExceptionDefinition& ex, const RuleDefinition* rule, Diagnostics& diagnostics);

class Ruleset {
 public:
  Ruleset() = default;

  // Compiles the enabled rules that can run here and attaches the
  // exceptions; the others are listed by not_run(). Problems go to
  // `diagnostics`: errors for a query that does not parse or names an
  // unknown field, a sequence query, an exception that names an unknown
  // field or depends on one auditeql never sets, no enabled rule at all;
  // warnings for a rule that reads fields auditeql never sets (saying
  // whether it can still match) and an exception for an unknown rule. A rule
  // whose query does not compile is left out; a refused exception is left
  // out of its rule (which alerts without it); everything else is kept.
  static Ruleset compile(LoadedRules loaded, Diagnostics& diagnostics);

  // Calls on_match(rule) for every enabled rule that matches `event` and
  // that no exception of the rule suppresses.
  template <class OnMatch>
  void evaluate(const ecs::Event& event, OnMatch&& on_match) {
    const EcsDocument document(event);
    RuleIndex& index = by_kind_[static_cast<size_t>(event.kind)];
    for (const uint32_t i : index.candidates(document)) {
      CompiledRule& rule = *rules_[i];
      if (!rule.query.matches(document)) continue;
      ++counters_[i].matches;
      if (suppressed(rule, document)) {
        ++counters_[i].suppressed;
        continue;
      }
      on_match(static_cast<const CompiledRule&>(rule));
    }
  }

  size_t size() const { return rules_.size(); }
  // Rules filed under field values (evaluated only for events with them), per event kind.
  size_t indexed(ecs::EventKind kind) const { return by_kind_[static_cast<size_t>(kind)].indexed(); }
  const CompiledRule& rule(size_t i) const { return *rules_[i]; }
  const RuleCounters& counters(size_t i) const { return counters_[i]; }
  const std::vector<std::string>& disabled() const { return disabled_; }
  const std::vector<NotRunRule>& not_run() const { return not_run_; }
  size_t building_blocks() const { return building_blocks_; }
  // "3 building blocks; not run: 2 not EQL (esql 1, new_terms 1), 1 not for Linux", "" when there are none.
  std::string summary() const;

 private:
  static bool suppressed(const CompiledRule& rule, const EcsDocument& document);

  std::vector<std::unique_ptr<CompiledRule>> rules_;  // stable addresses for alerts
  std::vector<RuleCounters> counters_;
  RuleIndex by_kind_[ecs::kEventKindCount];  // per ecs::EventKind: the rules that can match it
  std::vector<std::string> disabled_;  // ids of rules switched off
  std::vector<NotRunRule> not_run_;
  size_t building_blocks_ = 0;
  std::shared_ptr<EcsSchema> schema_;
};

}  // namespace auditeql::rules
