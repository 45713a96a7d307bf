// Sequence queries evaluated as events arrive, with Elasticsearch's
// semantics (x-pack/plugin/eql .../execution/sequence: SequenceMatcher,
// KeyToSequences, TumblingWindow). src/eql/SEMANTICS.md ("Sequences") lists
// every decision; tests/eql/test_sequence_*.cpp pin them down.
//
// The state machine, per join key: one slot per positive stage but the last,
// each holding the most recent partial sequence that reached that stage. An
// event is offered to the stages from last to first, so that it can complete
// or advance a sequence it did not itself start; a match of the first stage
// starts a sequence and replaces the older one in slot 0; a match of stage
// k takes the sequence in slot k-1 if it is older than the event, checks
// maxspan (first to last event), and moves it on. `until` drops the open
// sequences of its keys. Missing-event stages `![...]` are checked the way
// TumblingWindow checks them once a sequence completes; a trailing one holds
// the sequence back until its time has passed.
//
//   SequenceMatcher m(std::make_shared<JoinQuery>(compile_join(query, schema)));
//   for each event:  m.offer(doc, {ts_ms, serial}, handle, m.query().matching(doc, categories), matches);
//   at the end:      m.flush(matches);
//
// Memory is bounded: state exists only for keys with an open sequence (or a
// recent leading missing-stage event), at most options.max_keys of them,
// least recently used evicted first; with maxspan a key is freed once its
// newest state is older than maxspan; and the event handles held by all
// open sequences are bounded by options.max_events, evicting the least
// recently used keys. Per event the matcher keeps only its handle (8 bytes),
// and only while it is part of an open sequence.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "eql/join_query.h"

namespace auditeql::eql {

struct SequenceOptions {
  size_t max_keys = 4096;             // join keys with state; the least recently used go beyond
  size_t max_events = 262144;         // event handles held by open sequences, all keys together
                                      // (runs=N holds N(N+1)/2 per key); least recently used keys go beyond
  size_t max_key_combinations = 256;  // keys one event may have per stage (multi-valued fields)
};

struct SequenceStats {
  uint64_t events = 0;            // events offered
  uint64_t late = 0;              // ... that came after an event they precede (see SEMANTICS.md)
  uint64_t completed = 0;         // matches returned
  uint64_t replaced = 0;          // open sequences overwritten by a newer one at the same stage
  uint64_t expired = 0;           // open sequences dropped because maxspan passed
  uint64_t ended_by_until = 0;    // open sequences dropped by an `until` event
  uint64_t evicted = 0;           // open sequences dropped with their key at max_keys or max_events
  uint64_t rejected_missing = 0;  // completed sequences a missing-event stage ruled out
  uint64_t duplicates = 0;        // further completions by one event (ES keeps the first)
  uint64_t keys_truncated = 0;    // events with more than max_key_combinations keys
};

class SequenceMatcher final : public JoinMatcher {
 public:
  explicit SequenceMatcher(std::shared_ptr<const JoinQuery> query, SequenceOptions options = {});

  void offer(const Document& document, EventTime time, EventHandle handle, CriteriaMask matched,
             std::vector<JoinMatch>& out) override;
  // Sequences waiting for a trailing missing stage whose time has passed
  // complete, keys whose maxspan has passed are freed. The clock never goes
  // back; an event older than it is still evaluated.
  void advance_clock(int64_t now_ms, std::vector<JoinMatch>& out) override;
  // Sequences waiting for a trailing missing stage complete.
  void flush(std::vector<JoinMatch>& out) override;

  const JoinQuery& query() const override { return *query_; }
  size_t keys() const override { return index_.size(); }
  size_t memory_bytes() const override;
  void live_handles(std::vector<EventHandle>& out) const override;
  const SequenceStats& stats() const { return stats_; }
  size_t open_sequences() const { return open_; }
  size_t stored_events() const { return stored_; }

 private:
  static constexpr int64_t kNoTime = INT64_MIN;
  struct Partial {  // empty when events is
    std::vector<EventHandle> events;   // positive stages matched so far
    Ordinal last;                      // of the newest event
    int64_t start_ms = 0;
    int64_t leading_ms = kNoTime;      // newest leading missing-stage event before the start
    int64_t gap_missing_ms = kNoTime;  // first middle missing-stage event after the newest event
    bool doomed = false;               // a middle missing stage occurred: rejected on completion
    explicit operator bool() const { return !events.empty(); }
  };
  struct Awaiting {  // complete but for a trailing missing stage
    Partial sequence;
    int64_t deadline_ms;  // a trailing event up to here rules it out
  };
  struct Entry {
    std::string key;
    int64_t touched_ms = 0;
    std::vector<Partial> slots;                 // per positive stage but the last
    std::optional<int64_t> leading_latest_ms;   // newest leading missing-stage event
    std::optional<int64_t> leading_before_ms;   // newest one strictly before that
    std::vector<Awaiting> awaiting;
  };
  enum class MissingKind : uint8_t { None, Leading, Middle, Trailing };

  Entry* find(std::string_view key);
  Entry& find_or_create(std::string_view key);
  void touch(Entry& entry);
  void drop(std::list<Entry>::iterator it, uint64_t& counter);
  void forget(Partial& sequence);  // empties a slot it no longer needs
  void place(Partial& slot, Partial sequence);
  void enforce_event_budget();
  const JoinKeys& keys_for(size_t criterion, const Document& document);

  void record_missing(size_t criterion, int64_t timestamp_ms);
  void start(std::string_view key, EventHandle handle, const Ordinal& ordinal, std::vector<JoinMatch>& out);
  void advance(size_t stage, std::string_view key, EventHandle handle, const Ordinal& ordinal,
               std::vector<JoinMatch>& out);
  void end_by_until(std::string_view key, const Ordinal& ordinal);
  void complete(std::string_view key, Partial sequence, std::vector<JoinMatch>& out);
  void emit(std::string_view key, Partial& sequence, std::vector<JoinMatch>& out);
  void release_due(int64_t now_ms, bool everything, std::vector<JoinMatch>& out);
  void sweep(int64_t now_ms);

  std::shared_ptr<const JoinQuery> query_;
  SequenceOptions options_;
  // The expanded stages (runs repeated): criterion of each positive stage,
  // and each criterion's place among missing stages.
  std::vector<size_t> positive_;
  std::vector<MissingKind> missing_kind_;
  std::vector<size_t> missing_gap_;  // middle: the slot of the positive stage before it
  bool has_leading_ = false;
  bool has_trailing_ = false;
  int64_t maxspan_ms_ = 0;  // 0: none

  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator, detail::StringViewHash, std::equal_to<>> index_;
  using Due = std::pair<int64_t, std::string>;  // deadline, key
  std::priority_queue<Due, std::vector<Due>, std::greater<>> due_;
  size_t open_ = 0;    // partial sequences in slots plus awaiting ones
  size_t stored_ = 0;  // event handles they hold

  JoinKeys keys_;
  size_t keys_criterion_ = SIZE_MAX;  // whose keys keys_ holds for the current event
  Ordinal newest_;
  bool seen_any_ = false;
  int64_t clock_ms_ = INT64_MIN;
  uint64_t arrivals_ = 0;
  uint64_t last_completion_arrival_ = UINT64_MAX;
  SequenceStats stats_;
};

}  // namespace auditeql::eql
