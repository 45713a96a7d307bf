// Memory of the sequence and sample state under churning join keys.
//
//   auditeql-sequence-memory [--events N] [--max-keys N] [--max-events N]
//
// Feeds N events (default 1,000,000) through matchers shaped like Elastic's
// Linux rules, the join key changing all the time (a new process per event,
// a new source address every 25 or 60 failures), and (but for the runs=60
// rule, complete after 60 failures) no match completing: the worst case for
// state, since every event opens a sequence or a sample.
// Prints, per matcher, the peak of memory_bytes(), the keys held, the
// sequences expired and evicted, and the time per event; then the peak RSS.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "eql/eql.h"

using namespace auditeql::eql;

namespace {

// An event with a handful of string fields.
class FlatDocument : public Document {
 public:
  void clear() { fields_.clear(); }
  void set(FieldId id, std::string value) { fields_.emplace_back(id, std::move(value)); }
  FieldValues get(FieldId id) const override {
    for (const auto& [field, value] : fields_)
      if (field == id) return FieldValues::of(std::string_view(value));
    return FieldValues::none();
  }

 private:
  std::vector<std::pair<FieldId, std::string>> fields_;
};

struct Scenario {
  const char* name;
  const char* query;
  const char* category;
  // Fills the event for event number i (the join key changes every event).
  void (*fill)(FlatDocument& doc, DynamicSchema& schema, uint64_t i);
  int64_t step_ms;
};

void telnet(FlatDocument& doc, DynamicSchema& schema, uint64_t i) {
  doc.set(schema.resolve("process.entity_id"), "entity-" + std::to_string(i));
  doc.set(schema.resolve("process.name"), "telnet");
}

void connection(FlatDocument& doc, DynamicSchema& schema, uint64_t i) {
  doc.set(schema.resolve("host.id"), "4f0c2d4e9a7b4d2c8e1f6a3b5c7d9e0f");
  doc.set(schema.resolve("process.entity_id"), "entity-" + std::to_string(i));
  doc.set(schema.resolve("process.executable"), "/tmp/x");
}

void failures(FlatDocument& doc, DynamicSchema& schema, uint64_t address) {
  doc.set(schema.resolve("host.id"), "4f0c2d4e9a7b4d2c8e1f6a3b5c7d9e0f");
  doc.set(schema.resolve("source.ip"), "10." + std::to_string(address >> 16 & 255) + "." +
                                           std::to_string(address >> 8 & 255) + "." + std::to_string(address & 255));
  doc.set(schema.resolve("user.name"), "root");
  doc.set(schema.resolve("event.outcome"), "failure");
}

// N failures per address before moving on: every address fills the N stages.
void failures25(FlatDocument& doc, DynamicSchema& schema, uint64_t i) { failures(doc, schema, i / 25); }
void failures60(FlatDocument& doc, DynamicSchema& schema, uint64_t i) { failures(doc, schema, i / 60); }

void meterpreter(FlatDocument& doc, DynamicSchema& schema, uint64_t i) {
  doc.set(schema.resolve("host.id"), "4f0c2d4e9a7b4d2c8e1f6a3b5c7d9e0f");
  doc.set(schema.resolve("process.pid"), std::to_string(i / 4));
  doc.set(schema.resolve("user.id"), "0");
  static const char* paths[] = {"/etc/machine-id", "/etc/passwd", "/proc/net/route", "/proc/net/ipv6_route"};
  doc.set(schema.resolve("file.path"), paths[i % 4]);  // four of the five files per process
}

const Scenario kScenarios[] = {
    {"sequence by entity, no maxspan (Telnet rules)",
     R"(sequence by process.entity_id [process where process.name == "telnet"] [network where process.name == "telnet"])",
     "process", telnet, 1},
    {"sequence by host, entity with maxspan=5s (Network Connection Followed by File Creation)",
     R"(sequence by host.id, process.entity_id with maxspan=5s
        [network where process.executable like "/tmp/*"] [file where true])",
     "network", connection, 1},
    {"sequence with runs=25 and maxspan=15s (Potential Successful SSH Brute Force)",
     R"(sequence by host.id, source.ip, user.name with maxspan=15s
        [authentication where event.outcome == "failure"] with runs=25
        [authentication where event.outcome == "success"])",
     "authentication", failures25, 1},
    {"sequence with runs=60 and maxspan=30s (Potential External Linux SSH Brute Force)",
     R"(sequence by host.id, source.ip, user.name with maxspan=30s
        [authentication where event.outcome == "failure"] with runs=60)",
     "authentication", failures60, 1},
    {"sample of five files by host, pid, user (Potential Meterpreter Reverse Shell)",
     R"(sample by host.id, process.pid, user.id
        [file where file.path == "/etc/machine-id"] [file where file.path == "/etc/passwd"]
        [file where file.path == "/proc/net/route"] [file where file.path == "/proc/net/ipv6_route"]
        [file where file.path == "/proc/net/if_inet6"])",
     "file", meterpreter, 1},
};

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t events = 1'000'000;
  SequenceOptions defaults;
  size_t max_keys = defaults.max_keys, max_events = defaults.max_events;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--events") == 0) events = std::stoull(argv[i + 1]);
    if (std::strcmp(argv[i], "--max-keys") == 0) max_keys = std::stoull(argv[i + 1]);
    if (std::strcmp(argv[i], "--max-events") == 0) max_events = std::stoull(argv[i + 1]);
  }
  std::printf("%llu events per matcher, max_keys %zu, max_events %zu, join keys churning\n",
              static_cast<unsigned long long>(events), max_keys, max_events);
  for (const Scenario& scenario : kScenarios) {
    DynamicSchema schema;
    auto query = std::make_shared<const JoinQuery>(compile_join(parse_query(scenario.query), schema));
    SequenceOptions sequence_options;
    sequence_options.max_keys = max_keys;
    sequence_options.max_events = max_events;
    SampleOptions sample_options;
    sample_options.max_keys = max_keys;
    std::unique_ptr<SequenceMatcher> sequence;
    std::unique_ptr<SampleMatcher> sample;
    if (query->is_sample()) {
      sample = std::make_unique<SampleMatcher>(query, sample_options);
    } else {
      sequence = std::make_unique<SequenceMatcher>(query, sequence_options);
    }
    FlatDocument doc;
    std::vector<JoinMatch> out;
    const std::string_view categories[] = {scenario.category};
    size_t peak_bytes = 0;
    const auto started = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < events; ++i) {
      doc.clear();
      scenario.fill(doc, schema, i);
      const EventTime time{1'714'557'600'000 + static_cast<int64_t>(i) * scenario.step_ms, static_cast<int64_t>(i)};
      const CriteriaMask mask = query->matching(doc, categories);
      if (sequence) {
        sequence->offer(doc, time, i, mask, out);
      } else {
        sample->offer(doc, time, i, mask, out);
      }
      if (i % 4096 == 0 || i + 1 == events)
        peak_bytes = std::max(peak_bytes, sequence ? sequence->memory_bytes() : sample->memory_bytes());
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("\n%s\n", scenario.name);
    if (sequence) {
      const SequenceStats& s = sequence->stats();
      std::printf("  peak state %.2f MiB (%.0f bytes per key); at the end %zu keys, %zu open sequences, %zu handles\n",
                  static_cast<double>(peak_bytes) / 1048576.0,
                  static_cast<double>(peak_bytes) / static_cast<double>(std::max<size_t>(sequence->keys(), 1)),
                  sequence->keys(), sequence->open_sequences(), sequence->stored_events());
      std::printf("  sequences: %llu replaced, %llu expired (maxspan), %llu evicted (max_keys, max_events), %zu matches\n",
                  static_cast<unsigned long long>(s.replaced), static_cast<unsigned long long>(s.expired),
                  static_cast<unsigned long long>(s.evicted), out.size());
    } else {
      const SampleStats& s = sample->stats();
      std::printf("  peak state %.2f MiB (%.0f bytes per key), %zu keys at the end\n",
                  static_cast<double>(peak_bytes) / 1048576.0,
                  static_cast<double>(peak_bytes) / static_cast<double>(std::max<size_t>(sample->keys(), 1)),
                  sample->keys());
      std::printf("  keys evicted (max_keys): %llu, %zu matches\n", static_cast<unsigned long long>(s.evicted),
                  out.size());
    }
    std::printf("  %.0f ns per event (building the event included)\n", seconds * 1e9 / static_cast<double>(events));
  }
  std::printf("\npeak RSS of the process: %.1f MiB\n", static_cast<double>(peak_rss_kib()) / 1024.0);
  return 0;
}
