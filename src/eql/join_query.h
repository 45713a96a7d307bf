// Sequence and sample queries compiled for evaluation over a stream of events.
//
// A join query is a list of criteria (the bracketed `[CATEGORY where ...]`
// filters, plus `until` for sequences), each with its join keys: the
// `sequence by` / `sample by` fields followed by the criterion's own `by`
// fields, joined positionally. This header holds what SequenceMatcher
// (eql/sequence.h) and SampleMatcher (eql/sample.h) share: the compiled
// query, the order of events (Ordinal), the encoding of join keys and the
// matches they return. Nothing here knows ECS: events are eql::Documents.
//
// Evaluation is split in two so that a caller can file each criterion's
// condition in its own index (rules::RuleIndex) and only test an event
// against the criteria it can match:
//   1. the caller decides which criteria an event satisfies, as a bit mask
//      (JoinQuery::matching() does it the plain way: category, then condition);
//   2. the matcher reads the event's join keys and updates its state.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "eql/ast.h"
#include "eql/compile.h"
#include "eql/values.h"

namespace auditeql::eql {

// Where an event stands in Elasticsearch's order: @timestamp, then the
// tiebreaker field (at equal timestamps an event without a tiebreaker comes
// after those with one: ES sorts nulls last), then the order of arrival
// (ES's implicit tiebreaker, the document order). Matchers fill `arrival`.
struct Ordinal {
  int64_t timestamp_ms = 0;
  int64_t tiebreaker = 0;
  bool has_tiebreaker = false;
  uint64_t arrival = 0;

  friend bool operator<(const Ordinal& a, const Ordinal& b) {
    if (a.timestamp_ms != b.timestamp_ms) return a.timestamp_ms < b.timestamp_ms;
    if (a.has_tiebreaker != b.has_tiebreaker) return a.has_tiebreaker;
    if (a.has_tiebreaker && a.tiebreaker != b.tiebreaker) return a.tiebreaker < b.tiebreaker;
    return a.arrival < b.arrival;
  }
  friend bool operator==(const Ordinal& a, const Ordinal& b) { return !(a < b) && !(b < a); }
};

// The time of one event as the caller knows it.
struct EventTime {
  int64_t timestamp_ms = 0;
  std::optional<int64_t> tiebreaker;  // for audit events, auditd.sequence (the record serial)
};

// The caller's name for an event (an input index, a slot in its own store).
// Matchers keep handles and ordinals, never events.
using EventHandle = uint64_t;

// Bit i: the event satisfies JoinQuery::criteria()[i].
using CriteriaMask = uint64_t;
constexpr size_t kMaxCriteria = 64;

struct JoinKeyField {
  FieldId id = 0;
  std::string name;
  bool optional = false;  // `?field`: a missing value joins as null
};

struct JoinCriterion {
  enum class Role : uint8_t {
    Stage,    // a bracketed filter of a sequence or a sample
    Missing,  // `![...]`: a sequence stage that must not occur
    Until,    // `until [...]`: ends the open sequences of its keys
  };
  Role role = Role::Stage;
  EventFilter filter;               // as parsed: category and condition AST (for a rule index)
  CompiledQuery query;              // category(), applies_to(), matches()
  std::vector<JoinKeyField> keys;   // `by` keys of the query, then the criterion's own
  uint32_t runs = 1;                // `with runs=N`: N consecutive stages
  SourcePos pos;
};

class JoinQuery {
 public:
  QueryKind kind() const { return kind_; }
  bool is_sample() const { return kind_ == QueryKind::Sample; }
  // Stages in query order, then `until` (sequences) if present.
  const std::vector<JoinCriterion>& criteria() const { return criteria_; }
  std::optional<int64_t> maxspan_ms() const { return maxspan_ms_; }
  size_t key_count() const { return key_count_; }

  // The criteria `document` satisfies, testing each criterion whose category
  // is one of `event_categories` (or `any`). Callers with a rule index test
  // only the candidates instead and build the mask themselves.
  CriteriaMask matching(const Document& document, std::span<const std::string_view> event_categories) const;

 private:
  friend JoinQuery compile_join(const Query& query, Schema& schema);
  QueryKind kind_ = QueryKind::Sequence;
  std::vector<JoinCriterion> criteria_;
  std::optional<int64_t> maxspan_ms_;
  size_t key_count_ = 0;
};

// Compiles a sequence or sample query. Throws Error (at the offending place)
// for event queries, pipes, join keys that are not fields, criteria with
// different numbers of join keys, `runs` outside 1..100, missing-event
// stages without maxspan or without any positive stage, a maxspan of zero,
// more than kMaxCriteria criteria, and anything compile_condition() rejects.
JoinQuery compile_join(const Query& query, Schema& schema);

// The join keys one event has for one criterion. A multi-valued key field
// gives one key per value and several give their cartesian product, in
// Elasticsearch's order (TumblingWindow: the first field varies fastest).
// A field without a value gives no key at all (ES only joins on non-null
// values) unless it is optional (`?field`), then its value is null. Values
// compare as the text a keyword field would index: strings as they are,
// numbers in shortest form (5.0 is "5"), booleans "true"/"false".
// Each key is one opaque byte string; reuse one JoinKeys to avoid allocating.
class JoinKeys {
 public:
  // Returns how many keys the event has (0: none); stops at max_keys and
  // sets truncated().
  size_t build(const JoinCriterion& criterion, const Document& document, size_t max_keys);

  size_t size() const { return ends_.size(); }
  std::string_view operator[](size_t i) const;
  bool truncated() const { return truncated_; }

 private:
  std::string buffer_;
  std::vector<uint32_t> ends_;
  std::vector<FieldValues> values_;
  std::vector<size_t> digits_;
  std::string text_;
  bool truncated_ = false;
};

// The values of an encoded key, in key order; nullopt for a null value.
std::vector<std::optional<std::string>> decode_join_key(std::string_view key);

// One completed sequence or sample.
struct JoinMatch {
  // Sequences: the events of the positive stages, in order (a missing-event
  // stage has none). Samples: one event per criterion, in query order.
  std::vector<EventHandle> events;
  Ordinal last;     // of the event that completed the match
  std::string key;  // encoded join key; decode_join_key() gives its values
};

// The state of one sequence or sample query over a stream of events: what a
// rule keeps between events. SequenceMatcher and SampleMatcher implement it;
// make_join_matcher() picks the one a query needs.
class JoinMatcher {
 public:
  virtual ~JoinMatcher() = default;

  // Offers one event that satisfies the criteria in `matched` (bit i:
  // query().criteria()[i]); reads `document` for its join keys only, during
  // the call, and keeps nothing of it but `handle`. Appends the matches the
  // event completes to `out`. Events that match no criterion need not be
  // offered (offering them only moves a sequence's clock).
  virtual void offer(const Document& document, EventTime time, EventHandle handle, CriteriaMask matched,
                     std::vector<JoinMatch>& out) = 0;
  // Moves the clock without an event (live input that went quiet).
  virtual void advance_clock(int64_t now_ms, std::vector<JoinMatch>& out) = 0;
  // End of input: completes what was only waiting for time to pass.
  virtual void flush(std::vector<JoinMatch>& out) = 0;

  virtual const JoinQuery& query() const = 0;
  // Join keys with state, and an estimate of the heap the state uses.
  virtual size_t keys() const = 0;
  virtual size_t memory_bytes() const = 0;
  // Handles of the events the state still refers to (for a caller that keeps
  // per-event data outside and wants to drop what no match can return).
  virtual void live_handles(std::vector<EventHandle>& out) const = 0;
};

struct SequenceOptions;
struct SampleOptions;
std::unique_ptr<JoinMatcher> make_join_matcher(std::shared_ptr<const JoinQuery> query,
                                               const SequenceOptions& sequence, const SampleOptions& sample);

namespace detail {
// Lets a map keyed by string_view (into its own entries) be searched with
// any string_view.
struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
}  // namespace detail

}  // namespace auditeql::eql
