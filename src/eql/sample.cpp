#include "eql/sample.h"

#include <algorithm>
#include <utility>

namespace auditeql::eql {

namespace {

// Backtracking over the lists in ES's order, skipping any choice after which
// the remaining lists cannot all get distinct items (Kuhn's augmenting paths).
class Picker {
 public:
  Picker(const std::vector<std::vector<uint64_t>>& lists, size_t limit) : limit_(limit) {
    std::vector<uint64_t> values;
    for (const auto& list : lists) values.insert(values.end(), list.begin(), list.end());
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (const auto& list : lists) {
      std::vector<size_t>& items = lists_.emplace_back();
      for (const uint64_t v : list)
        items.push_back(static_cast<size_t>(std::lower_bound(values.begin(), values.end(), v) - values.begin()));
    }
    used_.assign(values.size(), 0);
    seen_.assign(values.size(), 0);
    owner_.assign(values.size(), -1);
  }

  std::vector<std::vector<size_t>> run() {
    if (limit_ > 0 && !lists_.empty() && feasible(0)) descend(0);
    return std::move(results_);
  }

 private:
  void descend(size_t level) {
    const std::vector<size_t>& items = lists_[level];
    for (size_t pos = 0; pos < items.size() && results_.size() < limit_; ++pos) {
      const size_t item = items[pos];
      if (used_[item]) continue;
      used_[item] = 1;
      partial_.push_back(pos);
      if (level + 1 == lists_.size()) {
        results_.push_back(partial_);
      } else if (feasible(level + 1)) {
        descend(level + 1);
      }
      partial_.pop_back();
      used_[item] = 0;
    }
  }

  // Can lists[from..] all get distinct unused items?
  bool feasible(size_t from) {
    std::fill(owner_.begin(), owner_.end(), -1);
    for (size_t list = from; list < lists_.size(); ++list) {
      std::fill(seen_.begin(), seen_.end(), 0);
      if (!augment(list)) return false;
    }
    return true;
  }

  bool augment(size_t list) {
    for (const size_t item : lists_[list]) {
      if (used_[item] || seen_[item]) continue;
      seen_[item] = 1;
      if (owner_[item] < 0 || augment(static_cast<size_t>(owner_[item]))) {
        owner_[item] = static_cast<int64_t>(list);
        return true;
      }
    }
    return false;
  }

  size_t limit_;
  std::vector<std::vector<size_t>> lists_;
  std::vector<char> used_, seen_;
  std::vector<int64_t> owner_;
  std::vector<size_t> partial_;
  std::vector<std::vector<size_t>> results_;
};

}  // namespace

std::vector<std::vector<size_t>> pick_distinct(const std::vector<std::vector<uint64_t>>& lists, size_t limit) {
  return Picker(lists, limit).run();
}

SampleMatcher::SampleMatcher(std::shared_ptr<const JoinQuery> query, SampleOptions options)
    : query_(std::move(query)), options_(options) {
  if (options_.max_keys == 0) options_.max_keys = 1;
  if (options_.max_samples_per_key == 0) options_.max_samples_per_key = 1;
  list_limit_ = query_->criteria().size() + options_.max_samples_per_key - 1;
}

SampleMatcher::Entry& SampleMatcher::find_or_create(std::string_view key, int64_t now_ms) {
  if (const auto it = index_.find(key); it != index_.end()) {
    Entry& entry = *it->second;
    entries_.splice(entries_.begin(), entries_, it->second);
    if (options_.window_ms > 0 && now_ms - entry.started_ms > options_.window_ms) {
      ++stats_.windows_ended;
      entry.started_ms = now_ms;
      entry.emitted.clear();
      for (auto& list : entry.lists) list.clear();
    }
    return entry;
  }
  if (index_.size() >= options_.max_keys) {
    ++stats_.evicted;
    index_.erase(std::string_view(entries_.back().key));
    entries_.pop_back();
  }
  entries_.emplace_front();
  Entry& entry = entries_.front();
  entry.key.assign(key);
  entry.started_ms = now_ms;
  entry.lists.resize(query_->criteria().size());
  index_.emplace(entry.key, entries_.begin());
  return entry;
}

void SampleMatcher::offer(const Document& document, EventTime time, EventHandle handle, CriteriaMask matched,
                          std::vector<JoinMatch>& out) {
  ++stats_.events;
  const Candidate candidate{handle, Ordinal{time.timestamp_ms, time.tiebreaker.value_or(0),
                                            time.tiebreaker.has_value(), arrivals_++}};
  if (matched == 0) return;
  // The event's keys per filter, grouped by key so that an event matching
  // several filters under one key is in all their lists before picking.
  std::vector<std::pair<std::string, size_t>> keyed;  // key, filter
  for (size_t f = 0; f < query_->criteria().size(); ++f) {
    if (!((matched >> f) & 1U)) continue;
    keys_.build(query_->criteria()[f], document, options_.max_key_combinations);
    if (keys_.truncated()) ++stats_.keys_truncated;
    for (size_t k = 0; k < keys_.size(); ++k) keyed.emplace_back(std::string(keys_[k]), f);
  }
  std::vector<bool> done(keyed.size(), false);
  for (size_t i = 0; i < keyed.size(); ++i) {
    if (done[i]) continue;
    Entry& entry = find_or_create(keyed[i].first, time.timestamp_ms);
    for (size_t j = i; j < keyed.size(); ++j) {
      if (done[j] || keyed[j].first != keyed[i].first) continue;
      done[j] = true;
      add(entry, keyed[j].second, candidate);
    }
    if (entry.changed) pick(entry, out);
  }
}

void SampleMatcher::add(Entry& entry, size_t filter, const Candidate& candidate) {
  if (entry.emitted.size() >= options_.max_samples_per_key) return;
  std::vector<Candidate>& list = entry.lists[filter];
  if (list.size() >= list_limit_) return;
  for (const Candidate& c : list) {
    if (c.ordinal.arrival == candidate.ordinal.arrival) return;
  }
  list.push_back(candidate);
  entry.changed = true;
}

void SampleMatcher::pick(Entry& entry, std::vector<JoinMatch>& out) {
  entry.changed = false;
  for (const auto& list : entry.lists) {
    if (list.empty()) return;
  }
  std::vector<std::vector<uint64_t>> arrivals(entry.lists.size());
  for (size_t f = 0; f < entry.lists.size(); ++f) {
    for (const Candidate& c : entry.lists[f]) arrivals[f].push_back(c.ordinal.arrival);
  }
  for (const std::vector<size_t>& positions : pick_distinct(arrivals, options_.max_samples_per_key)) {
    std::vector<uint64_t> sample(positions.size());
    for (size_t f = 0; f < positions.size(); ++f) sample[f] = arrivals[f][positions[f]];
    if (std::find(entry.emitted.begin(), entry.emitted.end(), sample) != entry.emitted.end()) continue;
    JoinMatch match;
    for (size_t f = 0; f < positions.size(); ++f) {
      const Candidate& c = entry.lists[f][positions[f]];
      match.events.push_back(c.handle);
      if (f == 0 || match.last < c.ordinal) match.last = c.ordinal;
    }
    match.key = entry.key;
    out.push_back(std::move(match));
    ++stats_.completed;
    entry.emitted.push_back(std::move(sample));
    if (entry.emitted.size() >= options_.max_samples_per_key) break;
  }
  if (entry.emitted.size() >= options_.max_samples_per_key) {
    // Done until the window ends: the lists are no longer needed.
    for (auto& list : entry.lists) std::vector<Candidate>().swap(list);
  }
}

size_t SampleMatcher::memory_bytes() const {
  constexpr size_t kListNode = 2 * sizeof(void*);
  constexpr size_t kHashNode = sizeof(void*) + sizeof(std::string_view) + sizeof(void*) + sizeof(size_t);
  size_t bytes = sizeof(*this) + index_.bucket_count() * sizeof(void*);
  for (const Entry& entry : entries_) {
    bytes += sizeof(Entry) + kListNode + kHashNode;
    if (entry.key.capacity() > 15) bytes += entry.key.capacity() + 1;
    bytes += entry.lists.capacity() * sizeof(std::vector<Candidate>);
    for (const auto& list : entry.lists) bytes += list.capacity() * sizeof(Candidate);
    bytes += entry.emitted.capacity() * sizeof(std::vector<uint64_t>);
    for (const auto& sample : entry.emitted) bytes += sample.capacity() * sizeof(uint64_t);
  }
  return bytes;
}

void SampleMatcher::live_handles(std::vector<EventHandle>& out) const {
  for (const Entry& entry : entries_) {
    for (const auto& list : entry.lists) {
      for (const Candidate& c : list) out.push_back(c.handle);
    }
  }
}

}  // namespace auditeql::eql
