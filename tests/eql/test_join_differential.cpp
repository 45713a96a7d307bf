// Randomized differential tests: small random event streams and queries,
// evaluated by the engine (JsonJoinEvaluator) and by brute-force references
// written here from Elasticsearch's definitions, not from the engine.
//
// Sequences. The engine keeps one slot per stage and key and updates it
// event by event. The reference instead enumerates, stage by stage, every
// partial sequence Elasticsearch's machine ever creates, as a closed-form
// condition on the whole stream (indices are positions in time order):
//
//   Live(0)   = every (e) with e matching stage 0, once per join key of e.
//   Live(j)   = p + (y) for p in Live(j-1) of key K ending at e, where
//               (1) y is the FIRST event after e matching stage j with key K,
//               (2) no other q in Live(j-1) of key K ends strictly between e and y,
//               (3) ts(y) - ts(first of p) <= maxspan, and
//               (4) no `until` event of key K lies in [e, y).
//   Completed = Live(last), one per last event (the first key of that
//               event), then filtered by the missing-event conditions.
//
// Why this is ES's state machine (SequenceMatcher + SequenceGroup): a
// partial sequence p of key K at stage j-1 sits in its group from e on.
// The first stage-j hit y of key K after e takes the newest partial sequence
// of the group older than y and drops every older one (trimBefore), whether
// the maxspan and until checks then pass or not. So p is taken by y exactly
// when no newer partial sequence q joined the group before y (2) -- else q,
// or a later one, is taken and p dropped -- and y is the first hit after e
// (1) -- else an earlier hit took p or something newer. ES's group keeps
// older sequences too, but by (1)-(2) they can never be taken; the engine's
// single slot is the same machine. `until` (4): the nearest until event
// before y, if at or after e (Ordinal.between is inclusive), rejects.
// Missing stages are ES's TumblingWindow.doCheckMissingEvents conditions,
// written out literally over the whole stream (the engine decides the
// trailing ones as time passes). The completed set is ordered by last event
// (a TreeSet on the last ordinal, which also keeps one per event).
//
// Samples. The reference re-runs SampleIterator.matchSamples' plain
// backtracking after each event on the key's lists (each filter's first
// F + M - 1 events) and returns the picks not returned before, up to M per
// key; the engine prunes its backtracking with a matching test instead.
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <functional>
#include <optional>
#include <random>

#include "join_test_support.h"

using namespace jointest;

namespace {

struct Ev {
  int64_t ts = 0;
  int x = 0;
  int u = 0;
  int key = 0;  // 0 none, 1 "a", 2 "b", 3 ["a","b"]
};

struct Cond {
  std::string text;
  std::function<bool(const Ev&)> test;
};

const std::vector<Cond>& conditions() {
  static const std::vector<Cond> kConds = {
      {"x == 1", [](const Ev& e) { return e.x == 1; }},
      {"x == 2", [](const Ev& e) { return e.x == 2; }},
      {"x == 3", [](const Ev& e) { return e.x == 3; }},
      {"x in (1, 2)", [](const Ev& e) { return e.x == 1 || e.x == 2; }},
      {"x != 3", [](const Ev& e) { return e.x != 3; }},
      {"x >= 2", [](const Ev& e) { return e.x >= 2; }},
      {"true", [](const Ev&) { return true; }},
  };
  return kConds;
}

enum class KeyMode { None, SequenceBy, OptionalBy, StageBy };

// An event's join keys in ES's order; "-" stands for null.
std::vector<std::string> keys_of(const Ev& e, KeyMode mode) {
  if (mode == KeyMode::None) return {""};
  switch (e.key) {
    case 1:
      return {"a"};
    case 2:
      return {"b"};
    case 3:
      return {"a", "b"};
    default:
      return mode == KeyMode::OptionalBy ? std::vector<std::string>{"-"} : std::vector<std::string>{};
  }
}

bool has_key(const Ev& e, KeyMode mode, const std::string& key) {
  const auto keys = keys_of(e, mode);
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::string events_to_json(const std::vector<Ev>& events, std::vector<std::string>& out) {
  std::string shown;
  for (const Ev& e : events) {
    std::string json = "{\"@timestamp\":" + std::to_string(e.ts) + ",\"x\":" + std::to_string(e.x) +
                       ",\"u\":" + std::to_string(e.u);
    if (e.key == 1) json += ",\"k\":\"a\"";
    if (e.key == 2) json += ",\"k\":\"b\"";
    if (e.key == 3) json += ",\"k\":[\"a\",\"b\"]";
    out.push_back(json + "}");
    shown += out.back() + "\n";
  }
  return shown;
}

std::vector<Ev> random_events(std::mt19937& rng, size_t min_count, size_t max_count) {
  std::uniform_int_distribution<size_t> count(min_count, max_count);
  std::uniform_int_distribution<int> step(0, 5), x(1, 3), percent(0, 99);
  std::vector<Ev> events(count(rng));
  int64_t ts = 0;
  for (Ev& e : events) {
    const int s = step(rng);
    ts += s <= 1 ? 0 : s - 1;  // ties are common
    e.ts = ts;
    e.x = x(rng);
    e.u = percent(rng) < 15;
    const int k = percent(rng);
    e.key = k < 12 ? 0 : k < 24 ? 3 : k < 62 ? 1 : 2;
  }
  return events;
}

// ---------------------------------------------------------------------------
// Sequences

struct Stage {
  size_t cond;
  int runs = 1;
  bool missing = false;
};

struct SeqQuery {
  std::vector<Stage> stages;
  std::optional<size_t> until;
  std::optional<int64_t> maxspan;
  KeyMode mode = KeyMode::None;

  std::string text() const {
    std::string q = "sequence";
    if (mode == KeyMode::SequenceBy) q += " by k";
    if (mode == KeyMode::OptionalBy) q += " by ?k";
    if (maxspan) q += " with maxspan=" + std::to_string(*maxspan) + "ms";
    const std::string by = mode == KeyMode::StageBy ? " by k" : "";
    for (const Stage& s : stages) {
      q += std::string(s.missing ? " ![" : " [") + "any where " + conditions()[s.cond].text + "]" + by;
      if (s.runs > 1) q += " with runs=" + std::to_string(s.runs);
    }
    if (until) q += " until [any where u == 1]" + by;
    return q;
  }
};

SeqQuery random_sequence(std::mt19937& rng) {
  std::uniform_int_distribution<int> percent(0, 99), stages(1, 4), cond(0, static_cast<int>(conditions().size()) - 1);
  SeqQuery q;
  q.mode = static_cast<KeyMode>(percent(rng) % 4);
  if (percent(rng) < 55) q.maxspan = std::vector<int64_t>{1, 3, 6, 12}[percent(rng) % 4];
  const int n = stages(rng);
  int total = 0;
  bool positive = false;
  for (int i = 0; i < n; ++i) {
    Stage s{static_cast<size_t>(cond(rng))};
    s.runs = percent(rng) < 15 ? 2 + percent(rng) % 2 : 1;
    s.missing = q.maxspan && percent(rng) < 25;
    positive = positive || !s.missing;
    total += s.runs;
    q.stages.push_back(s);
  }
  if (!positive) q.stages.back().missing = false;
  if (total < 2) q.stages.front().runs = 2;
  if (percent(rng) < 25) q.until = 0;
  return q;
}

Matches brute_force(const SeqQuery& q, const std::vector<Ev>& ev) {
  struct Position {
    size_t cond;
    bool missing;
  };
  std::vector<Position> positions;
  for (const Stage& s : q.stages)
    for (int r = 0; r < s.runs; ++r) positions.push_back({s.cond, s.missing});
  std::vector<size_t> positive;  // positions of the positive stages
  for (size_t p = 0; p < positions.size(); ++p)
    if (!positions[p].missing) positive.push_back(p);
  const auto matches = [&](size_t position, size_t e) { return conditions()[positions[position].cond].test(ev[e]); };

  struct Partial {
    std::string key;
    std::vector<size_t> events;
  };
  std::vector<std::vector<Partial>> live(positive.size());
  for (size_t e = 0; e < ev.size(); ++e)
    if (matches(positive[0], e))
      for (const std::string& k : keys_of(ev[e], q.mode)) live[0].push_back({k, {e}});
  for (size_t j = 1; j < positive.size(); ++j) {
    for (const Partial& p : live[j - 1]) {
      const size_t e = p.events.back();
      std::optional<size_t> y;
      for (size_t i = e + 1; i < ev.size() && !y; ++i)
        if (matches(positive[j], i) && has_key(ev[i], q.mode, p.key)) y = i;
      if (!y) continue;
      bool newer = false;
      for (const Partial& other : live[j - 1])
        newer = newer || (other.key == p.key && other.events.back() > e && other.events.back() < *y);
      if (newer) continue;
      if (q.maxspan && ev[*y].ts - ev[p.events.front()].ts > *q.maxspan) continue;
      bool until = false;
      for (size_t i = e; i < *y && q.until; ++i)
        until = until || (ev[i].u == 1 && has_key(ev[i], q.mode, p.key));
      if (until) continue;
      Partial next = p;
      next.events.push_back(*y);
      live[j].push_back(next);
    }
  }
  // One completed sequence per last event: the one of its first key.
  std::vector<Partial> completed;
  for (size_t last = 0; last < ev.size(); ++last) {
    for (const std::string& k : keys_of(ev[last], q.mode)) {
      const auto it = std::find_if(live.back().begin(), live.back().end(), [&](const Partial& p) {
        return p.key == k && p.events.back() == last;
      });
      if (it != live.back().end()) {
        completed.push_back(*it);
        break;
      }
    }
  }
  // TumblingWindow.doCheckMissingEvents.
  const bool missing_first = positions.front().missing, missing_last = positions.back().missing;
  const auto bigger = [&](std::optional<int64_t> from, std::optional<int64_t> to) {
    return !from || !to || to.value() - from.value() > q.maxspan.value_or(0);
  };
  Matches result;
  for (const Partial& s : completed) {
    std::optional<int64_t> leading, trailing;
    bool discarded = false;
    for (size_t p = 0; p < positions.size(); ++p) {
      if (!positions[p].missing) continue;
      const bool is_leading = p < positive.front(), is_trailing = p > positive.back();
      size_t before = 0;  // the positive stages before p
      while (before < positive.size() && positive[before] < p) ++before;
      for (size_t i = 0; i < ev.size(); ++i) {
        if (!conditions()[positions[p].cond].test(ev[i]) || !has_key(ev[i], q.mode, s.key)) continue;
        if (is_leading) {
          if (ev[i].ts < ev[s.events.front()].ts) leading = std::max(leading.value_or(ev[i].ts), ev[i].ts);
        } else if (is_trailing) {
          if (ev[i].ts > ev[s.events.back()].ts) trailing = std::min(trailing.value_or(ev[i].ts), ev[i].ts);
        } else if (ev[i].ts > ev[s.events[before - 1]].ts && ev[i].ts < ev[s.events[before]].ts) {
          discarded = true;
        }
      }
    }
    if (discarded) continue;
    const int64_t start = ev[s.events.front()].ts, end = ev[s.events.back()].ts;
    if ((!trailing && !leading) || (!leading && missing_first) || (!trailing && missing_last) ||
        (missing_first && missing_last && bigger(leading, trailing)) ||
        (missing_first && !missing_last && bigger(leading, end)) ||
        (!missing_first && missing_last && bigger(start, trailing)))
      result.push_back(s.events);
  }
  return result;  // already ordered by last event
}

// ---------------------------------------------------------------------------
// Samples

struct SampleQuery {
  std::vector<size_t> filters;
  KeyMode mode = KeyMode::SequenceBy;
  size_t per_key = 1;

  std::string text() const {
    std::string q = "sample";
    if (mode == KeyMode::SequenceBy) q += " by k";
    if (mode == KeyMode::OptionalBy) q += " by ?k";
    for (const size_t f : filters) {
      q += " [any where " + conditions()[f].text + "]";
      if (mode == KeyMode::StageBy) q += " by k";
    }
    return q;
  }
};

// SampleIterator.match, as written.
void es_match(size_t level, const std::vector<std::vector<size_t>>& lists, std::vector<std::vector<size_t>>& result,
              std::vector<size_t>& partial, size_t limit) {
  for (const size_t o : lists[level]) {
    if (std::find(partial.begin(), partial.end(), o) != partial.end()) continue;
    partial.push_back(o);
    if (level + 1 == lists.size()) {
      result.push_back(partial);
      if (result.size() == limit) return;
    } else {
      es_match(level + 1, lists, result, partial, limit);
      if (result.size() == limit) return;
    }
    partial.pop_back();
  }
}

Matches brute_force(const SampleQuery& q, const std::vector<Ev>& ev) {
  const size_t filters = q.filters.size(), limit = filters + q.per_key - 1;
  struct KeyState {
    std::vector<std::vector<size_t>> lists;
    std::vector<std::vector<size_t>> emitted;
  };
  std::vector<std::pair<std::string, KeyState>> keys;
  const auto state = [&](const std::string& k) -> KeyState& {
    for (auto& [name, s] : keys)
      if (name == k) return s;
    keys.emplace_back(k, KeyState{std::vector<std::vector<size_t>>(filters), {}});
    return keys.back().second;
  };
  Matches result;
  for (size_t e = 0; e < ev.size(); ++e) {
    // The event's keys in the order first seen (filters in order, each
    // filter's keys in order); only those whose lists took the event pick.
    std::vector<std::string> seen, grown;
    for (size_t f = 0; f < filters; ++f) {
      if (!conditions()[q.filters[f]].test(ev[e])) continue;
      for (const std::string& k : keys_of(ev[e], q.mode)) {
        if (std::find(seen.begin(), seen.end(), k) == seen.end()) seen.push_back(k);
        KeyState& s = state(k);
        if (s.emitted.size() >= q.per_key || s.lists[f].size() >= limit) continue;
        if (std::find(s.lists[f].begin(), s.lists[f].end(), e) != s.lists[f].end()) continue;
        s.lists[f].push_back(e);
        grown.push_back(k);
      }
    }
    for (const std::string& k : seen) {
      if (std::find(grown.begin(), grown.end(), k) == grown.end()) continue;
      KeyState& s = state(k);
      if (std::any_of(s.lists.begin(), s.lists.end(), [](const auto& l) { return l.empty(); })) continue;
      std::vector<std::vector<size_t>> picks;
      std::vector<size_t> partial;
      es_match(0, s.lists, picks, partial, q.per_key);
      for (const auto& pick : picks) {
        if (s.emitted.size() >= q.per_key) break;
        if (std::find(s.emitted.begin(), s.emitted.end(), pick) != s.emitted.end()) continue;
        s.emitted.push_back(pick);
        result.push_back(pick);
      }
    }
  }
  return result;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(join_differential)

BOOST_AUTO_TEST_CASE(sequences_match_the_brute_force_reference) {
  std::mt19937 rng(20260514);
  size_t nonempty = 0;
  constexpr int kCases = 6000;
  for (int i = 0; i < kCases; ++i) {
    const SeqQuery q = random_sequence(rng);
    const std::vector<Ev> events = random_events(rng, 3, 12);
    std::vector<std::string> json;
    const std::string shown = events_to_json(events, json);
    const Matches expected = brute_force(q, events);
    nonempty += !expected.empty();
    BOOST_TEST_CONTEXT("case " << i << ": " << q.text() << "\n" << shown) {
      BOOST_TEST(text(run(q.text(), json)) == text(expected));
    }
  }
  // The generator must exercise matching, not only its absence.
  BOOST_TEST(nonempty > kCases / 3, nonempty << " of " << kCases << " cases had matches");
}

BOOST_AUTO_TEST_CASE(samples_match_the_brute_force_reference) {
  std::mt19937 rng(777);
  std::uniform_int_distribution<int> percent(0, 99), filters(2, 4),
      cond(0, static_cast<int>(conditions().size()) - 1);
  size_t nonempty = 0;
  constexpr int kCases = 3000;
  for (int i = 0; i < kCases; ++i) {
    SampleQuery q;
    q.mode = static_cast<KeyMode>(1 + percent(rng) % 3);
    q.per_key = 1 + percent(rng) % 3;
    const int n = filters(rng);
    for (int f = 0; f < n; ++f) q.filters.push_back(static_cast<size_t>(cond(rng)));
    const std::vector<Ev> events = random_events(rng, 2, 12);
    std::vector<std::string> json;
    const std::string shown = events_to_json(events, json);
    const Matches expected = brute_force(q, events);
    nonempty += !expected.empty();
    JsonJoinOptions options = unlimited();
    options.max_samples_per_key = q.per_key;
    BOOST_TEST_CONTEXT("case " << i << ": " << q.text() << " (max_samples_per_key " << q.per_key << ")\n" << shown) {
      BOOST_TEST(text(run(q.text(), json, options)) == text(expected));
    }
  }
  BOOST_TEST(nonempty > kCases / 3, nonempty << " of " << kCases << " cases had matches");
}

BOOST_AUTO_TEST_CASE(pruned_backtracking_picks_what_plain_backtracking_picks) {
  std::mt19937 rng(99);
  std::uniform_int_distribution<int> lists(1, 5), length(0, 6), item(0, 6), limit(1, 6);
  for (int i = 0; i < 20000; ++i) {
    std::vector<std::vector<uint64_t>> values(static_cast<size_t>(lists(rng)));
    std::vector<std::vector<size_t>> as_size(values.size());
    for (size_t l = 0; l < values.size(); ++l) {
      const int n = length(rng);
      for (int k = 0; k < n; ++k) {
        const auto v = static_cast<uint64_t>(item(rng));
        if (std::find(values[l].begin(), values[l].end(), v) != values[l].end()) continue;  // ES lists hold distinct hits
        values[l].push_back(v);
        as_size[l].push_back(v);
      }
    }
    const auto wanted = static_cast<size_t>(limit(rng));
    std::vector<std::vector<size_t>> expected;
    std::vector<size_t> partial;
    if (std::none_of(as_size.begin(), as_size.end(), [](const auto& l) { return l.empty(); }))
      es_match(0, as_size, expected, partial, wanted);
    std::vector<std::vector<size_t>> got;
    for (const auto& positions : pick_distinct(values, wanted)) {
      auto& one = got.emplace_back();
      for (size_t l = 0; l < positions.size(); ++l) one.push_back(values[l][positions[l]]);
    }
    BOOST_TEST_REQUIRE((got == expected), "case " << i);
  }
}

BOOST_AUTO_TEST_SUITE_END()
