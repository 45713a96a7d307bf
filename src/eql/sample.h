// Sample queries evaluated as events arrive, with Elasticsearch's semantics
// (x-pack/plugin/eql .../execution/sample/SampleIterator): events that share
// their join keys, one per filter, in any order.
//
// Elasticsearch, for each join key, takes the first F + M - 1 events that
// match each of the F filters (M: max_samples_per_key, default 1) and picks
// distinct events for the filters by backtracking, filter by filter, each
// list in order; it returns the first M such picks. Here the lists grow as
// events arrive, and a key's pick is made as soon as one exists: the samples
// returned are those the same backtracking finds at that moment (later
// events can no longer change them). Up to M samples per key; after that
// the key stays quiet, until its window (if any) ends.
//
// The backtracking is pruned with a bipartite matching test, so it finds
// exactly ES's picks without exploring choices that cannot be completed.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "eql/join_query.h"

namespace auditeql::eql {

struct SampleOptions {
  size_t max_samples_per_key = 1;     // ES max_samples_per_key
  int64_t window_ms = 0;              // a key's state starts afresh this long after its first event (0: never)
  size_t max_keys = 4096;             // join keys with state; the least recently used go beyond
  size_t max_key_combinations = 256;  // keys one event may have per filter (multi-valued fields)
};

struct SampleStats {
  uint64_t events = 0;          // events offered
  uint64_t completed = 0;       // samples returned
  uint64_t windows_ended = 0;   // keys whose window ended and started afresh
  uint64_t evicted = 0;         // keys dropped at max_keys
  uint64_t keys_truncated = 0;  // events with more than max_key_combinations keys
};

class SampleMatcher final : public JoinMatcher {
 public:
  explicit SampleMatcher(std::shared_ptr<const JoinQuery> query, SampleOptions options = {});

  void offer(const Document& document, EventTime time, EventHandle handle, CriteriaMask matched,
             std::vector<JoinMatch>& out) override;
  // Samples do not wait for time: nothing to do.
  void advance_clock(int64_t, std::vector<JoinMatch>&) override {}
  void flush(std::vector<JoinMatch>&) override {}

  const JoinQuery& query() const override { return *query_; }
  size_t keys() const override { return index_.size(); }
  size_t memory_bytes() const override;
  void live_handles(std::vector<EventHandle>& out) const override;
  const SampleStats& stats() const { return stats_; }

 private:
  struct Candidate {
    EventHandle handle;
    Ordinal ordinal;
  };
  struct Entry {
    std::string key;
    int64_t started_ms = 0;
    std::vector<std::vector<Candidate>> lists;   // per filter, in arrival order
    std::vector<std::vector<uint64_t>> emitted;  // arrivals of the samples returned
    bool changed = false;
  };

  Entry& find_or_create(std::string_view key, int64_t now_ms);
  void add(Entry& entry, size_t filter, const Candidate& candidate);
  void pick(Entry& entry, std::vector<JoinMatch>& out);

  std::shared_ptr<const JoinQuery> query_;
  SampleOptions options_;
  size_t list_limit_;  // F + M - 1
  std::list<Entry> entries_;
  std::unordered_map<std::string_view, std::list<Entry>::iterator, detail::StringViewHash, std::equal_to<>> index_;
  JoinKeys keys_;
  uint64_t arrivals_ = 0;
  SampleStats stats_;
};

// The first `limit` ways to pick distinct items, one from each list, in
// the order of ES's backtracking (SampleIterator.matchSamples): positions
// into the lists. Items are compared by value.
std::vector<std::vector<size_t>> pick_distinct(const std::vector<std::vector<uint64_t>>& lists, size_t limit);

}  // namespace auditeql::eql
