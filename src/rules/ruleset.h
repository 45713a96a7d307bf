#pragma once
// Stage 4: the compiled rules, indexed by the event kinds they can match.
//
// Event rules match one event. Join rules (sequences and samples) match
// several; the rule set only decides which of a join rule's criteria an
// event satisfies (a bit mask) and hands the event on: the state of each
// join rule (eql::JoinMatcher) lives with the caller, which also keeps what
// it needs of the events. Every criterion is filed in the same rule index
// as the event rules, so an event is only tested against the criteria it
// can match.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ecs/event.h"
#include "eql/compile.h"
#include "eql/join_query.h"
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
  eql::CompiledQuery query;                    // event rules
  std::shared_ptr<const eql::JoinQuery> join;  // sequence and sample rules (null for event rules)
  std::vector<CompiledException> exceptions;
  RuleReach reach;                        // whether it can fire on what auditeql produces
  size_t index = 0;                       // position in the ruleset

  bool is_join() const { return join != nullptr; }
  // "sequence" or "sample" for a join rule, else the query's category.
  std::string_view kind_label() const;
  // Whether `value` of `field` passes one of the tests the query (any of a
  // join rule's criteria) makes on the field's own values.
  bool passes_a_test_of(eql::FieldId field, const eql::Scalar& value) const;
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
  uint64_t matches = 0;     // events the query matched (join rules: sequences and samples completed)
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
  // unknown field (in a condition or a join key), an exception that names
  // an unknown field or depends on one auditeql never sets, no enabled rule
  // at all; warnings for a rule that reads fields auditeql never sets
  // (saying whether it can still match) and an exception for an unknown
  // rule. A rule whose query does not compile is left out; a refused
  // exception is left out of its rule (which alerts without it); everything
  // else is kept.
  static Ruleset compile(LoadedRules loaded, Diagnostics& diagnostics);

  // Calls on_match(rule) for every enabled event rule that matches `event`
  // and that no exception of the rule suppresses, and on_join(rule, mask,
  // document) for every join rule with criteria the event satisfies (bit i
  // of `mask`: rule.join->criteria()[i]), in rule order. Exceptions of a
  // join rule apply to whole matches (join_excepted()), not here.
  template <class OnMatch, class OnJoin>
  void evaluate(const ecs::Event& event, OnMatch&& on_match, OnJoin&& on_join) {
    const EcsDocument document(event);
    RuleIndex& index = by_kind_[static_cast<size_t>(event.kind)];
    // A rule's entries are consecutive: a join rule's mask is complete when
    // the candidates move past them.
    uint32_t join_rule = kNoRule;
    eql::CriteriaMask mask = 0;
    const auto hand_on = [&] {
      if (mask != 0) on_join(static_cast<const CompiledRule&>(*rules_[join_rule]), mask, document);
      mask = 0;
    };
    for (const uint32_t e : index.candidates(document)) {
      const IndexEntry entry = entries_[e];
      const CompiledRule& rule = *rules_[entry.rule];
      if (entry.rule != join_rule) {
        hand_on();
        join_rule = entry.rule;
      }
      if (entry.criterion != kWholeQuery) {
        if (rule.join->criteria()[entry.criterion].query.matches(document)) mask |= eql::CriteriaMask{1} << entry.criterion;
        continue;
      }
      if (!rule.query.matches(document)) continue;
      ++counters_[entry.rule].matches;
      if (suppressed(rule, document)) {
        ++counters_[entry.rule].suppressed;
        continue;
      }
      on_match(rule);
    }
    hand_on();
  }
  // Event rules only (join rules see the event but cannot complete).
  template <class OnMatch>
  void evaluate(const ecs::Event& event, OnMatch&& on_match) {
    evaluate(event, std::forward<OnMatch>(on_match), [](const CompiledRule&, eql::CriteriaMask, const eql::Document&) {});
  }

  // Whether an exception of `rule` matches `document` (for a join rule: one
  // of the events of a match; see join_excepted()).
  static bool excepted(const CompiledRule& rule, const eql::Document& document) { return suppressed(rule, document); }
  // Counts a completed sequence or sample of join rule `rule`, and whether
  // its exceptions suppressed it.
  void count_join_match(size_t rule, bool suppressed_by_exception) {
    ++counters_[rule].matches;
    counters_[rule].suppressed += suppressed_by_exception;
  }
  // The join rules that are evaluated (filed in the index), by rule index.
  const std::vector<size_t>& join_rules() const { return join_rules_; }

  size_t size() const { return rules_.size(); }
  // Rules filed under field values (evaluated only for events with them), per event kind.
  size_t indexed(ecs::EventKind kind) const { return by_kind_[static_cast<size_t>(kind)].indexed(); }
  // Rules (and join criteria) evaluated for every event of a kind.
  size_t unindexed(ecs::EventKind kind) const { return by_kind_[static_cast<size_t>(kind)].unindexed(); }
  const CompiledRule& rule(size_t i) const { return *rules_[i]; }
  const RuleCounters& counters(size_t i) const { return counters_[i]; }
  const std::vector<std::string>& disabled() const { return disabled_; }
  const std::vector<NotRunRule>& not_run() const { return not_run_; }
  size_t building_blocks() const { return building_blocks_; }
  // "3 building blocks; not run: 2 not EQL (esql 1, new_terms 1), 1 not for Linux", "" when there are none.
  std::string summary() const;

 private:
  static bool suppressed(const CompiledRule& rule, const eql::Document& document);
  // Files an index entry under each event kind of `kinds`.
  void file(uint32_t rule, uint8_t criterion, ecs::KindMask kinds, const eql::Expr* condition);

  // What an index entry stands for: an event rule's query, or one
  // criterion of a join rule.
  static constexpr uint8_t kWholeQuery = UINT8_MAX;
  static constexpr uint32_t kNoRule = UINT32_MAX;
  struct IndexEntry {
    uint32_t rule;
    uint8_t criterion;  // kWholeQuery, or an index into rule.join->criteria() (< eql::kMaxCriteria)
  };

  std::vector<std::unique_ptr<CompiledRule>> rules_;  // stable addresses for alerts
  std::vector<RuleCounters> counters_;
  std::vector<IndexEntry> entries_;          // by index entry id, in rule order
  std::vector<size_t> join_rules_;
  RuleIndex by_kind_[ecs::kEventKindCount];  // per ecs::EventKind: the entries that can match it
  std::vector<std::string> disabled_;  // ids of rules switched off
  std::vector<NotRunRule> not_run_;
  size_t building_blocks_ = 0;
  std::shared_ptr<EcsSchema> schema_;
};

}  // namespace auditeql::rules
