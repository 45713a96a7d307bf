#pragma once
// Stages 4-6 wired together: each normalized event is checked against the
// rules that can match its kind; matches pass the throttle, become alerts
// and go to every sink.
//
// Sequence and sample rules (join rules) keep state between events: one
// eql::JoinMatcher per rule, fed the events that satisfy some of its
// criteria. The matchers keep handles, never events; the events an alert
// may still need (and whether each rule's exceptions match them) are kept
// here, by handle, while some matcher still refers to them. A copy of the
// event is cheaper than rendering its summary at once: most are dropped
// before any match completes.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "alerts/alert_builder.h"
#include "alerts/throttle.h"
#include "ecs/event.h"
#include "eql/join_query.h"
#include "rules/ruleset.h"
#include "sinks/sink.h"

namespace auditeql::app {

struct RuleTally {
  std::string name;
  uint64_t alerts = 0;
  uint64_t throttled = 0;
  uint64_t suppressed = 0;  // matched, but an exception applied
  uint64_t building_block = 0;  // alerts of a building-block rule kept out of the sinks
  // Sequence and sample rules: open sequences (samples: join keys) dropped
  // because maxspan passed or a rule run's window ended, and those dropped
  // to stay within the rule's share of join_max_events.
  bool join = false;
  uint64_t expired = 0;
  uint64_t evicted = 0;
};

// The state of the sequence and sample rules, all rules together.
struct JoinTotals {
  uint64_t rules = 0;         // join rules evaluated
  uint64_t completed = 0;     // sequences and samples completed (before exceptions and throttling)
  uint64_t expired = 0;       // open sequences past maxspan; sample keys past a rule run's window
  uint64_t evicted = 0;       // state dropped for the least recently used join keys, to stay within bounds
  uint64_t ended_by_until = 0;
  uint64_t late = 0;          // events older than one already offered to the same rule
  uint64_t keys = 0;          // join keys with state now
  uint64_t events_held = 0;   // events kept for the matches they may still be part of
  uint64_t memory_bytes = 0;  // estimate of the matchers' state and the events kept
};

struct DetectorOptions {
  alerts::AlertOptions alert;
  int64_t throttle_window_ms = 300000;
  // Elastic's building-block rules raise alerts that other rules build on;
  // auditeql runs no rule that reads alerts, so by default they are only counted.
  bool building_block_alerts = false;
  // The events the open sequences and samples of all join rules may hold
  // together. Each join rule gets an equal share (but at least what one of
  // its join keys can hold, runs=N included) for its join keys and their
  // events; beyond it, the least recently used keys' state is dropped.
  size_t join_max_events = 65536;
};

class Detector {
 public:
  Detector(std::shared_ptr<rules::Ruleset> ruleset, DetectorOptions options);
  ~Detector();

  void add_sink(sinks::AlertSink* sink) { sinks_.push_back(sink); }
  void set_sinks(std::vector<sinks::AlertSink*> sinks) { sinks_ = std::move(sinks); }
  // Events in causal order (normalize/event_order): their times may go
  // slightly backwards, which the join rules count as late.
  void on_event(const ecs::Event& event);
  // Moves the join rules' clock to `now_ms` (event time): a sequence
  // waiting for the time of a trailing missing stage ![...] to pass
  // completes, state past maxspan is freed. Live, from the idle tick, with
  // the wall clock less the time events may take to arrive.
  void advance_clock(int64_t now_ms);
  // End of input (replay): completes what was only waiting for time to pass.
  void finish();
  // SIGHUP with a good new rule set: later events use it (throttle windows
  // restart). A join rule whose id and query are unchanged keeps its open
  // sequences; the others start afresh.
  void replace_ruleset(std::shared_ptr<rules::Ruleset> ruleset);
  void reconfigure(DetectorOptions options);
  // Told about an alert still over the size limit after shortening (sent
  // anyway: a syslog daemon may cut it), at most once per rule per throttle
  // window of event time.
  using OversizedHandler = std::function<void(const rules::CompiledRule& rule, size_t bytes)>;
  void on_oversized(OversizedHandler handler) { on_oversized_ = std::move(handler); }

  const rules::Ruleset& ruleset() const { return *ruleset_; }
  uint64_t events() const { return events_; }
  uint64_t alerts() const { return alerts_; }
  // Counters are totals since start: a reload does not reset them.
  uint64_t truncated() const { return builder_.truncated() + truncated_banked_; }
  uint64_t oversized() const { return builder_.oversized() + oversized_banked_; }
  uint64_t throttled() const { return throttle_.dropped_total() + throttled_banked_; }
  // Building-block alerts counted and not sent (building_block_alerts off).
  uint64_t building_block_alerts_withheld() const { return withheld_total_; }
  // Per rule id, across reloads.
  std::map<std::string, RuleTally> tally() const;
  // Counters since start, state now.
  JoinTotals join_totals() const;

 private:
  // One join rule's state.
  struct Join {
    uint64_t id = 0;  // unique for the detector's lifetime (HeldEvent::excepted_by)
    std::string rule_id;
    std::string query;  // the rule's query text: state carries over a reload only to the same query
    std::unique_ptr<eql::JoinMatcher> matcher;
  };
  // An event a matcher may still return.
  struct HeldEvent {
    ecs::Event event;
    std::vector<uint64_t> excepted_by;  // the Join ids of the rules whose exceptions match the event
    uint64_t collection = 0;            // the last drop_unreferenced_events() that found it referred to
  };
  struct JoinCounts {
    uint64_t completed = 0, expired = 0, evicted = 0, ended_by_until = 0, late = 0;
  };

  void build_joins(std::vector<std::unique_ptr<Join>> previous);
  void offer(const ecs::Event& event, const rules::CompiledRule& rule, eql::CriteriaMask mask,
             const eql::Document& document);
  // The alert of a completed match, unless the rule's exceptions match every event of it.
  void emit_join(const rules::CompiledRule& rule, const Join& join, const eql::JoinMatch& match);
  // Throttles, builds with `build` and sends an alert of `rule` at `time_ms`.
  void deliver(const rules::CompiledRule& rule, int64_t time_ms,
               const std::function<void(uint64_t dropped_before)>& build);
  void drop_unreferenced_events();
  static JoinCounts counts_of(const eql::JoinMatcher& matcher);
  // Adds the current rule set's counts to `into`, by rule id.
  void add_counts(std::map<std::string, RuleTally>& into) const;
  void note_oversized(const rules::CompiledRule& rule, int64_t time_ms);

  std::shared_ptr<rules::Ruleset> ruleset_;
  alerts::AlertBuilder builder_;
  alerts::Throttle throttle_;
  int64_t throttle_window_ms_;
  size_t join_max_events_;
  std::vector<sinks::AlertSink*> sinks_;
  alerts::Alert alert_;  // reused: its buffer keeps its capacity
  uint64_t events_ = 0;
  uint64_t alerts_ = 0;
  std::vector<uint64_t> emitted_;   // per rule index of the current ruleset
  std::vector<uint64_t> throttled_;
  std::vector<uint64_t> withheld_;  // building-block alerts not sent, per rule index
  uint64_t withheld_total_ = 0;
  bool building_block_alerts_ = false;
  std::map<std::string, RuleTally> banked_;  // counts of replaced rulesets
  uint64_t throttled_banked_ = 0;
  uint64_t truncated_banked_ = 0;  // of replaced alert builders
  uint64_t oversized_banked_ = 0;
  OversizedHandler on_oversized_;
  std::vector<int64_t> oversized_reported_ms_;  // per rule index: when last reported

  // Join rules.
  std::vector<std::unique_ptr<Join>> joins_;     // by rule index (null for event rules and unfiled join rules)
  JoinCounts join_banked_;                       // of matchers discarded at reloads
  std::map<std::string, JoinCounts> join_banked_by_rule_;
  std::unordered_map<eql::EventHandle, HeldEvent> held_;
  eql::EventHandle next_handle_ = 1;
  uint64_t next_join_id_ = 1;
  eql::EventHandle current_ = 0;  // the handle of the event being offered, 0 before it has one
  size_t collect_at_ = 0;         // held_ size that triggers the next drop_unreferenced_events()
  uint64_t collection_ = 0;       // drop_unreferenced_events() calls so far
  int64_t clock_ms_ = INT64_MIN;  // what advance_clock() last moved the matchers to
  std::vector<eql::JoinMatch> matches_;  // reused
  std::vector<eql::EventHandle> live_;   // reused
  std::vector<std::string> summaries_;  // reused: the strings keep their capacity
  std::vector<std::string_view> summary_views_;
};

}  // namespace auditeql::app
