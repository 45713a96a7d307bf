#include "eql/sequence.h"

#include <algorithm>

namespace auditeql::eql {

SequenceMatcher::SequenceMatcher(std::shared_ptr<const JoinQuery> query, SequenceOptions options)
    : query_(std::move(query)), options_(options) {
  if (options_.max_keys == 0) options_.max_keys = 1;
  maxspan_ms_ = query_->maxspan_ms().value_or(0);
  const auto& criteria = query_->criteria();
  missing_kind_.assign(criteria.size(), MissingKind::None);
  missing_gap_.assign(criteria.size(), 0);
  std::vector<size_t> positives_before(criteria.size(), 0);
  for (size_t c = 0; c < criteria.size(); ++c) {
    positives_before[c] = positive_.size();
    if (criteria[c].role != JoinCriterion::Role::Stage) continue;
    for (uint32_t r = 0; r < criteria[c].runs; ++r) positive_.push_back(c);
  }
  for (size_t c = 0; c < criteria.size(); ++c) {
    if (criteria[c].role != JoinCriterion::Role::Missing) continue;
    if (positives_before[c] == 0) {
      missing_kind_[c] = MissingKind::Leading;
      has_leading_ = true;
    } else if (positives_before[c] == positive_.size()) {
      missing_kind_[c] = MissingKind::Trailing;
      has_trailing_ = true;
    } else {
      missing_kind_[c] = MissingKind::Middle;
      missing_gap_[c] = positives_before[c] - 1;
    }
  }
}

// ---------------------------------------------------------------------------
// Keys and their state

SequenceMatcher::Entry* SequenceMatcher::find(std::string_view key) {
  const auto it = index_.find(key);
  return it == index_.end() ? nullptr : &*it->second;
}

SequenceMatcher::Entry& SequenceMatcher::find_or_create(std::string_view key) {
  if (const auto it = index_.find(key); it != index_.end()) return *it->second;
  if (index_.size() >= options_.max_keys) drop(std::prev(entries_.end()), stats_.evicted);
  entries_.emplace_front();
  Entry& entry = entries_.front();
  entry.key.assign(key);
  entry.touched_ms = clock_ms_;
  entry.slots.resize(positive_.size() - 1);
  index_.emplace(entry.key, entries_.begin());
  return entry;
}

void SequenceMatcher::touch(Entry& entry) {
  entry.touched_ms = std::max(entry.touched_ms, clock_ms_);
  const auto it = index_.find(entry.key)->second;
  entries_.splice(entries_.begin(), entries_, it);
}

void SequenceMatcher::drop(std::list<Entry>::iterator it, uint64_t& counter) {
  size_t sequences = it->awaiting.size();
  for (const Awaiting& a : it->awaiting) stored_ -= a.sequence.events.size();
  for (const Partial& slot : it->slots) {
    sequences += static_cast<bool>(slot);
    stored_ -= slot.events.size();
  }
  counter += sequences;
  open_ -= sequences;
  index_.erase(std::string_view(it->key));
  entries_.erase(it);
}

void SequenceMatcher::forget(Partial& sequence) {
  if (!sequence) return;
  stored_ -= sequence.events.size();
  --open_;
  sequence = Partial();
}

// Beyond max_events, whole keys go, least recently used first (never the
// one the last event touched: it is at the front).
void SequenceMatcher::enforce_event_budget() {
  while (stored_ > options_.max_events && entries_.size() > 1) drop(std::prev(entries_.end()), stats_.evicted);
}

const JoinKeys& SequenceMatcher::keys_for(size_t criterion, const Document& document) {
  if (keys_criterion_ != criterion) {
    keys_.build(query_->criteria()[criterion], document, options_.max_key_combinations);
    if (keys_.truncated()) ++stats_.keys_truncated;
    keys_criterion_ = criterion;
  }
  return keys_;
}

// ---------------------------------------------------------------------------
// Events

void SequenceMatcher::offer(const Document& document, EventTime time, EventHandle handle, CriteriaMask matched,
                            std::vector<JoinMatch>& out) {
  ++stats_.events;
  const Ordinal ordinal{time.timestamp_ms, time.tiebreaker.value_or(0), time.tiebreaker.has_value(), arrivals_++};
  if (seen_any_ && ordinal < newest_) {
    ++stats_.late;
  } else {
    newest_ = ordinal;
    seen_any_ = true;
  }
  advance_clock(time.timestamp_ms, out);
  keys_criterion_ = SIZE_MAX;
  if (matched == 0) return;
  const auto& criteria = query_->criteria();
  const auto has = [matched](size_t c) { return (matched >> c) & 1U; };

  // Missing stages first: every check on them compares timestamps strictly,
  // so an event never rules out a sequence it is itself part of.
  for (size_t c = 0; c < criteria.size(); ++c) {
    if (has(c) && missing_kind_[c] != MissingKind::None) {
      keys_for(c, document);
      record_missing(c, time.timestamp_ms);
    }
  }
  // Positive stages from last to first: the event takes a sequence to its
  // next stage before it starts or advances one at an earlier stage.
  for (size_t stage = positive_.size(); stage-- > 0;) {
    const size_t c = positive_[stage];
    if (!has(c)) continue;
    const JoinKeys& keys = keys_for(c, document);
    for (size_t k = 0; k < keys.size(); ++k) {
      if (stage == 0) {
        start(keys[k], handle, ordinal, out);
      } else {
        advance(stage, keys[k], handle, ordinal, out);
      }
    }
  }
  // `until` last: it ends the sequences the event itself advanced (ES:
  // an until event at a sequence's last ordinal is "between" it and the next).
  for (size_t c = 0; c < criteria.size(); ++c) {
    if (has(c) && criteria[c].role == JoinCriterion::Role::Until) {
      const JoinKeys& keys = keys_for(c, document);
      for (size_t k = 0; k < keys.size(); ++k) end_by_until(keys[k], ordinal);
    }
  }
  enforce_event_budget();
}

void SequenceMatcher::record_missing(size_t criterion, int64_t timestamp_ms) {
  for (size_t k = 0; k < keys_.size(); ++k) {
    const std::string_view key = keys_[k];
    switch (missing_kind_[criterion]) {
      case MissingKind::Leading: {
        Entry& entry = find_or_create(key);
        if (!entry.leading_latest_ms || timestamp_ms > *entry.leading_latest_ms) {
          entry.leading_before_ms = entry.leading_latest_ms;
          entry.leading_latest_ms = timestamp_ms;
        } else if (timestamp_ms < *entry.leading_latest_ms &&
                   (!entry.leading_before_ms || timestamp_ms > *entry.leading_before_ms)) {
          entry.leading_before_ms = timestamp_ms;
        }
        touch(entry);
        break;
      }
      case MissingKind::Middle: {
        Entry* entry = find(key);
        if (!entry) break;
        Partial& slot = entry->slots[missing_gap_[criterion]];
        if (slot && slot.last.timestamp_ms < timestamp_ms && (slot.gap_missing_ms == kNoTime || timestamp_ms < slot.gap_missing_ms))
          slot.gap_missing_ms = timestamp_ms;
        break;
      }
      case MissingKind::Trailing: {
        Entry* entry = find(key);
        if (!entry) break;
        auto& awaiting = entry->awaiting;
        const auto ruled_out = [&](const Awaiting& a) {
          return a.sequence.last.timestamp_ms < timestamp_ms && timestamp_ms <= a.deadline_ms;
        };
        const auto removed = std::remove_if(awaiting.begin(), awaiting.end(), ruled_out);
        const auto count = static_cast<size_t>(awaiting.end() - removed);
        for (auto it = removed; it != awaiting.end(); ++it) stored_ -= it->sequence.events.size();
        awaiting.erase(removed, awaiting.end());
        stats_.rejected_missing += count;
        open_ -= count;
        break;
      }
      case MissingKind::None:
        break;
    }
  }
}

void SequenceMatcher::start(std::string_view key, EventHandle handle, const Ordinal& ordinal,
                            std::vector<JoinMatch>& out) {
  Partial sequence;
  sequence.events.push_back(handle);
  sequence.last = ordinal;
  sequence.start_ms = ordinal.timestamp_ms;
  if (has_leading_) {
    // ES looks for the newest leading event strictly before the start.
    if (const Entry* entry = find(key); entry && entry->leading_latest_ms) {
      if (*entry->leading_latest_ms < sequence.start_ms) {
        sequence.leading_ms = *entry->leading_latest_ms;
      } else if (entry->leading_before_ms && *entry->leading_before_ms < sequence.start_ms) {
        sequence.leading_ms = *entry->leading_before_ms;
      }
    }
  }
  if (positive_.size() == 1) {
    complete(key, std::move(sequence), out);
    return;
  }
  Entry& entry = find_or_create(key);
  place(entry.slots[0], std::move(sequence));
  touch(entry);
}

// A stage keeps its most recent partial sequence: a newer one replaces it,
// one made by a late event does not (ES would later take the newer one).
void SequenceMatcher::place(Partial& slot, Partial sequence) {
  if (slot) {
    if (sequence.last < slot.last) return;
    ++stats_.replaced;
    forget(slot);
  }
  ++open_;
  stored_ += sequence.events.size();
  slot = std::move(sequence);
}

void SequenceMatcher::advance(size_t stage, std::string_view key, EventHandle handle, const Ordinal& ordinal,
                              std::vector<JoinMatch>& out) {
  Entry* entry = find(key);
  if (!entry) return;
  Partial& previous = entry->slots[stage - 1];
  // Only a sequence that ends before the event (ES: SequenceGroup.trimBefore).
  if (!previous || !(previous.last < ordinal)) return;
  Partial sequence = std::move(previous);
  previous = Partial();
  --open_;
  stored_ -= sequence.events.size();
  touch(*entry);
  const int64_t now_ms = ordinal.timestamp_ms;
  if (maxspan_ms_ > 0 && now_ms - sequence.start_ms > maxspan_ms_) {
    ++stats_.expired;
    return;
  }
  if (sequence.gap_missing_ms != kNoTime) {
    sequence.doomed = sequence.doomed || sequence.gap_missing_ms < now_ms;
    sequence.gap_missing_ms = kNoTime;
  }
  sequence.events.push_back(handle);
  sequence.last = ordinal;
  if (stage + 1 == positive_.size()) {
    complete(key, std::move(sequence), out);
    return;
  }
  place(entry->slots[stage], std::move(sequence));
}

void SequenceMatcher::end_by_until(std::string_view key, const Ordinal& ordinal) {
  Entry* entry = find(key);
  if (!entry) return;
  for (Partial& slot : entry->slots) {
    if (slot && !(ordinal < slot.last)) {
      forget(slot);
      ++stats_.ended_by_until;
    }
  }
}

void SequenceMatcher::complete(std::string_view key, Partial sequence, std::vector<JoinMatch>& out) {
  const Ordinal& last = sequence.last;
  // ES keeps completed sequences in a set ordered by their last event: one
  // event completes at most one sequence, the first (in key order) to get there.
  if (last.arrival == last_completion_arrival_) {
    ++stats_.duplicates;
    return;
  }
  last_completion_arrival_ = last.arrival;
  if (sequence.doomed) {
    ++stats_.rejected_missing;
    return;
  }
  // TumblingWindow.doCheckMissingEvents, with L the newest leading event
  // before the start and T the first trailing event after the end.
  const int64_t last_ms = last.timestamp_ms;
  const bool leading = sequence.leading_ms != kNoTime;
  if (has_leading_ && !has_trailing_ && leading && last_ms - sequence.leading_ms <= maxspan_ms_) {
    ++stats_.rejected_missing;
    return;
  }
  if (has_trailing_) {
    std::optional<int64_t> deadline;
    if (!has_leading_) {
      deadline = sequence.start_ms + maxspan_ms_;  // accepted iff T - start > maxspan
    } else if (leading) {
      deadline = sequence.leading_ms + maxspan_ms_;  // accepted iff no L, or T - L > maxspan
    }
    if (deadline && *deadline > last_ms && *deadline >= clock_ms_) {
      Entry& entry = find_or_create(key);
      stored_ += sequence.events.size();
      entry.awaiting.push_back(Awaiting{std::move(sequence), *deadline});
      ++open_;
      touch(entry);
      due_.emplace(*deadline, std::string(key));
      return;
    }
  }
  emit(key, sequence, out);
}

void SequenceMatcher::emit(std::string_view key, Partial& sequence, std::vector<JoinMatch>& out) {
  out.push_back(JoinMatch{std::move(sequence.events), sequence.last, std::string(key)});
  ++stats_.completed;
}

// ---------------------------------------------------------------------------
// Time

void SequenceMatcher::advance_clock(int64_t now_ms, std::vector<JoinMatch>& out) {
  if (now_ms <= clock_ms_) return;
  clock_ms_ = now_ms;
  release_due(now_ms, false, out);
  sweep(now_ms);
}

void SequenceMatcher::flush(std::vector<JoinMatch>& out) { release_due(0, true, out); }

void SequenceMatcher::release_due(int64_t now_ms, bool everything, std::vector<JoinMatch>& out) {
  while (!due_.empty() && (everything || due_.top().first < now_ms)) {
    const std::string key = due_.top().second;
    due_.pop();
    Entry* entry = find(key);
    if (!entry) continue;
    auto& awaiting = entry->awaiting;
    for (size_t i = 0; i < awaiting.size();) {
      if (everything || awaiting[i].deadline_ms < now_ms) {
        stored_ -= awaiting[i].sequence.events.size();
        emit(key, awaiting[i].sequence, out);
        awaiting.erase(awaiting.begin() + static_cast<std::ptrdiff_t>(i));
        --open_;
      } else {
        ++i;
      }
    }
  }
}

// With maxspan, a key whose newest state is older than maxspan can no longer
// advance or rule anything out (sequences waiting on a trailing stage were
// released just before: their deadline is at most maxspan after the start).
void SequenceMatcher::sweep(int64_t now_ms) {
  if (maxspan_ms_ == 0) return;
  while (!entries_.empty() && entries_.back().touched_ms < now_ms - maxspan_ms_)
    drop(std::prev(entries_.end()), stats_.expired);
}

// ---------------------------------------------------------------------------
// Introspection

size_t SequenceMatcher::memory_bytes() const {
  constexpr size_t kListNode = 2 * sizeof(void*);
  constexpr size_t kHashNode = sizeof(void*) + sizeof(std::string_view) + sizeof(void*) + sizeof(size_t);
  constexpr size_t kMallocOverhead = 16;
  size_t bytes = sizeof(*this) + index_.bucket_count() * sizeof(void*);
  const auto sequence_bytes = [](const Partial& p) {
    return p.events.capacity() == 0 ? 0 : p.events.capacity() * sizeof(EventHandle) + kMallocOverhead;
  };
  for (const Entry& entry : entries_) {
    bytes += sizeof(Entry) + kListNode + kHashNode + 2 * kMallocOverhead;
    if (entry.key.capacity() > 15) bytes += entry.key.capacity() + 1 + kMallocOverhead;
    bytes += entry.slots.capacity() * sizeof(Partial) + kMallocOverhead;
    bytes += entry.awaiting.capacity() * sizeof(Awaiting);
    for (const Partial& slot : entry.slots) bytes += sequence_bytes(slot);
    for (const Awaiting& a : entry.awaiting) bytes += sequence_bytes(a.sequence);
  }
  bytes += due_.size() * (sizeof(Due) + 32);
  return bytes;
}

void SequenceMatcher::live_handles(std::vector<EventHandle>& out) const {
  for (const Entry& entry : entries_) {
    for (const Partial& slot : entry.slots) out.insert(out.end(), slot.events.begin(), slot.events.end());
    for (const Awaiting& a : entry.awaiting) out.insert(out.end(), a.sequence.events.begin(), a.sequence.events.end());
  }
}

}  // namespace auditeql::eql
