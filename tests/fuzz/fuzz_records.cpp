// fuzz_records: raw audit log bytes through the whole detection path.
//
//   bytes -> RecordStream -> AuparseGrouper -> EventOrder -> Normalizer
//         (normalize::EventPipeline) -> Ruleset (the five shipped rules)
//         -> AlertBuilder (max_bytes 8000, and unlimited)
//
// Input layout: two control bytes, then the log.
//   byte 0, bits 0-1  chunking: 0 one feed, 1 fixed chunks of byte1+1 bytes,
//                     2 pseudo-random chunks of 1..2*byte1+2 bytes, 3 of 1..8 bytes
//           bit 2     declare an input gap (input_gap()) at some chunk boundaries
//           bit 3     end_of_file() at some chunk boundaries (files read in a row)
//           bit 4     small line limit (256 + 16*byte1 bytes) instead of 1 MiB
//           bit 5     small process table, inode map and reorder buffer
//           bit 6     alerts say some alerts were throttled before them
//   byte 1            chunk size / pseudo-random seed / line limit
//
// Invariants (abort() when broken):
//   - every alert is one line of valid JSON with only the alert's own
//     top-level keys, and the 8000-byte one fits in 8000 bytes;
//   - the capped alert is byte-identical to the unlimited one when that fits;
//   - the record counters add up;
//   without gaps and end-of-file marks, how the bytes are chunked changes
//   nothing:
//   - RecordStream passes on the same record lines, with the same counters,
//     as for one feed;
//   - when the records of each event are contiguous, no serial comes back
//     later and event times never go backwards, the events (as ECS JSON) and
//     alerts equal those of one feed.
//     (libauparse delivers events that share a serial, as in overlapping
//     logs, in an order that depends on its feed boundaries.)
//
// AUDITEQL_FUZZ_VERBOSE=1 prints what each input produced.
#include <libaudit.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alert.h"
#include "alerts/alert_builder.h"
#include "ecs/fields.h"
#include "fuzz_support.h"
#include "normalize/pipeline.h"
#include "rules/rule_loader.h"
#include "rules/ruleset.h"

#ifndef AUDITEQL_FUZZ_RULES_DIR
#error "AUDITEQL_FUZZ_RULES_DIR (the shipped rules, conf/rules) must be defined"
#endif

using namespace auditeql;

namespace {

constexpr size_t kCappedBytes = 8000;

rules::Ruleset& shipped_rules() {
  static rules::Ruleset* set = [] {
    rules::Diagnostics d;
    rules::RuleSources sources;
    sources.rule_dirs.push_back({AUDITEQL_FUZZ_RULES_DIR, false});
    auto* s = new rules::Ruleset(rules::Ruleset::compile(rules::load_rule_sources(sources, d), d));
    if (d.has_errors() || s->size() != 5) {
      fuzz::fail("the shipped rules do not load", d.format() + " (" + std::to_string(s->size()) + " rules)");
    }
    return s;
  }();
  return *set;
}

// xorshift32: deterministic chunk sizes from a one-byte seed.
struct Rng {
  uint32_t state;
  explicit Rng(uint8_t seed) : state(0x9e3779b9u ^ (uint32_t{seed} * 0x01000193u)) {
    if (state == 0) state = 1;
  }
  uint32_t next() {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  }
};

struct Outcome {
  std::vector<std::string> events;  // ECS JSON of each normalized event
  std::vector<std::string> alerts;  // unlimited alerts, in order
  normalize::PipelineStats stats;
};

struct Settings {
  uint8_t flags = 0;
  uint8_t param = 0;
  int chunking() const { return flags & 3; }
  bool gaps() const { return flags & 4; }
  bool eofs() const { return flags & 8; }
  bool small_lines() const { return flags & 16; }
  bool small_tables() const { return flags & 32; }
  bool throttled() const { return flags & 64; }
};

// Calls feed(chunk, last, rng) for the pieces of `log` that `chunking` cuts.
template <class Feed>
void for_each_chunk(std::string_view log, const Settings& s, int chunking, Feed&& feed) {
  Rng rng(s.param);
  size_t at = 0;
  while (at < log.size()) {
    size_t n = log.size() - at;
    switch (chunking) {
      case 1: n = size_t{s.param} + 1; break;
      case 2: n = 1 + rng.next() % (2 * size_t{s.param} + 2); break;
      case 3: n = 1 + rng.next() % 8; break;
      default: break;
    }
    if (n > log.size() - at) n = log.size() - at;
    at += n;
    feed(log.substr(at - n, n), at == log.size(), rng);
  }
}

size_t max_line(const Settings& s) {
  return s.small_lines() ? 256 + 16 * size_t{s.param} : records::RecordStream::kDefaultMaxLine;
}

// The record lines RecordStream passes on, one per '\n'-terminated line
// whatever the handler's batching, and its counters.
struct RecordRun {
  std::string lines;
  records::RecordStats stats;
};

RecordRun run_records(std::string_view log, const Settings& s, int chunking) {
  RecordRun out;
  records::RecordStream stream(
      [&](std::string_view records) {
        out.lines.append(records);
        if (records.empty() || records.back() != '\n') out.lines += '\n';
      },
      max_line(s));
  for_each_chunk(log, s, chunking, [&](std::string_view chunk, bool, Rng&) { stream.feed(chunk); });
  stream.finish();
  out.stats = stream.stats();
  return out;
}

// True when the records of each event (node, serial) are contiguous, no
// serial comes back after another one and no event repeats a record type
// other than PATH and EXECVE: what the kernel writes.
bool events_contiguous(std::string_view lines) {
  std::set<std::string> seen;
  std::set<std::string> types;  // of the current event, as libaudit numbers them
  std::string current;
  uint64_t last_millis = 0;
  while (!lines.empty()) {
    const size_t nl = lines.find('\n');
    const std::string_view line = lines.substr(0, nl);
    lines.remove_prefix(nl == std::string_view::npos ? lines.size() : nl + 1);
    const size_t open = line.find("msg=audit(");
    const size_t colon = line.find(':', open);
    const size_t close = line.find(')', colon);
    if (open == std::string_view::npos || colon == std::string_view::npos || close == std::string_view::npos) {
      return false;
    }
    // "[node=N ]type=T msg=audit(TIME:SERIAL)" -> N '\0' SERIAL; the time is
    // left out so that one serial with two times also counts as a repeat.
    std::string key;
    if (line.substr(0, 5) == "node=") key = std::string(line.substr(5, line.find(' ') - 5));
    key += '\0';
    key.append(line.substr(colon + 1, close - colon - 1));
    // Record types as libauparse reads them: case-insensitive names, numbers
    // and UNKNOWN[n] (SYSCALL, syscall, 1300, UNKNOWN[1300] are one type).
    const size_t type_at = line.find("type=") + 5;
    std::string type(line.substr(type_at, line.find(' ', type_at) - type_at));
    const int number = audit_name_to_msg_type(type.c_str());
    if (number >= 0) type = std::to_string(number);
    // Record time as written (seconds.millis); compared as numbers below.
    const std::string_view stamp = line.substr(open + 10, colon - open - 10);
    const size_t dot = stamp.find('.');
    if (dot == std::string_view::npos || dot == 0 || stamp.size() - dot != 4 || dot > 12 ||
        stamp.find_first_not_of("0123456789.") != std::string_view::npos) {
      return false;
    }
    const uint64_t millis = std::stoull(std::string(stamp.substr(0, dot))) * 1000 + std::stoull(std::string(stamp.substr(dot + 1)));
    if (key != current) {
      if (!seen.insert(key).second) return false;
      // libauparse completes in-flight events by record time; when time runs
      // backwards, which ones it completes first depends on where a feed ends.
      if (millis < last_millis) return false;
      last_millis = millis;
      current = std::move(key);
      types.clear();
    }
    if (number == AUDIT_PATH || number == AUDIT_EXECVE) continue;
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!types.insert(type).second) return false;
  }
  return true;
}

Outcome run(std::string_view log, const Settings& s, int chunking, bool marks) {
  rules::Ruleset& ruleset = shipped_rules();
  alerts::AlertBuilder capped({kCappedBytes});
  alerts::AlertBuilder unlimited({0});
  alerts::Alert alert, whole;
  Outcome out;

  normalize::PipelineOptions options;
  options.normalizer.host_name = "fuzzhost";
  if (s.small_tables()) {
    options.normalizer.process_table_capacity = 64;
    options.normalizer.inode_map_capacity = 64;
    options.order.max_pending = 4;
  } else {
    // Still small: the default capacities make each run allocate megabytes.
    options.normalizer.process_table_capacity = 4096;
    options.normalizer.inode_map_capacity = 4096;
  }
  options.max_line = max_line(s);
  options.compaction = events::AuparseGrouper::records_read();

  normalize::EventPipeline pipeline(options, [&](const ecs::Event& event) {
    std::string json;
    ecs::append_event_json(json, event);
    fuzz::check_event_json(json);
    out.events.push_back(std::move(json));
    ruleset.evaluate(event, [&](const rules::CompiledRule& rule) {
      const uint64_t dropped = s.throttled() ? event.sequence % 7 : 0;
      unlimited.build(event, rule, dropped, fuzz::kFixedStamp, whole);
      fuzz::check_alert(whole, 0, false);
      capped.build(event, rule, dropped, fuzz::kFixedStamp, alert);
      fuzz::check_alert(alert, kCappedBytes, true);
      if (whole.json.size() <= kCappedBytes) {
        fuzz::check(alert.json == whole.json, "capped alert differs from the unlimited one that fits",
                    alert.json + "\n  vs\n  " + whole.json);
      }
      fuzz::check(alert.rule_id == rule.definition.id && whole.rule_id == rule.definition.id, "alert rule id");
      out.alerts.push_back(whole.json);
    });
  });

  for_each_chunk(log, s, chunking, [&](std::string_view chunk, bool last, Rng& rng) {
    pipeline.feed(chunk);
    if (marks && !last) {
      const uint32_t r = rng.next();
      if (s.gaps() && r % 16 == 0) pipeline.input_gap();
      if (s.eofs() && (r >> 8) % 16 == 0) pipeline.end_of_file();
    }
  });
  pipeline.end_of_file();
  pipeline.finish();
  out.stats = pipeline.stats();

  const auto& r = out.stats.records;
  fuzz::check(r.records + r.blank + r.skipped() == r.lines, "record counters do not add up",
              "lines " + std::to_string(r.lines) + " records " + std::to_string(r.records) + " blank " +
                  std::to_string(r.blank) + " skipped " + std::to_string(r.skipped()));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  shipped_rules();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  Settings s;
  s.flags = data[0];
  s.param = data[1];
  const std::string_view log(reinterpret_cast<const char*>(data) + 2, size - 2);

  const Outcome chunked = run(log, s, s.chunking(), true);
  static const bool verbose = std::getenv("AUDITEQL_FUZZ_VERBOSE") != nullptr;
  if (verbose) {
    std::fprintf(stderr, "fuzz_records: flags 0x%02x param %u: %zu records, %zu events, %zu alerts\n", s.flags,
                 unsigned{s.param}, static_cast<size_t>(chunked.stats.records.records), chunked.events.size(),
                 chunked.alerts.size());
  }
  if (s.chunking() != 0 && !s.gaps() && !s.eofs()) {
    const RecordRun whole = run_records(log, s, 0);
    const RecordRun pieces = run_records(log, s, s.chunking());
    if (whole.lines != pieces.lines) {
      size_t i = 0;
      while (i < whole.lines.size() && i < pieces.lines.size() && whole.lines[i] == pieces.lines[i]) ++i;
      fuzz::fail("chunking changed the record lines",
                 "first difference at byte " + std::to_string(i) + " of " + std::to_string(whole.lines.size()) +
                     " (one feed) / " + std::to_string(pieces.lines.size()) + " (chunked)");
    }
    const auto& a = whole.stats;
    const auto& b = pieces.stats;
    fuzz::check(a.lines == b.lines && a.records == b.records && a.blank == b.blank && a.malformed == b.malformed &&
                    a.oversized == b.oversized && a.binary == b.binary,
                "chunking changed the record counters");
    if (!events_contiguous(whole.lines)) return 0;
    const Outcome one = run(log, s, 0, false);
    if (one.events != chunked.events) {
      std::string detail = std::to_string(one.events.size()) + " events in one feed, " +
                           std::to_string(chunked.events.size()) + " chunked";
      for (size_t i = 0; i < one.events.size() && i < chunked.events.size(); ++i) {
        if (one.events[i] != chunked.events[i]) {
          detail += "; first difference at event " + std::to_string(i) + ":\n  " + one.events[i] + "\n  " +
                    chunked.events[i];
          break;
        }
      }
      fuzz::fail("chunking changed the normalized events", detail);
    }
    fuzz::check(one.alerts == chunked.alerts, "chunking changed the alerts");
  }
  return 0;
}
