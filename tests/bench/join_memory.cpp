// Memory of the detector's join-rule state under churning join keys: not a
// test, a figure.
//
//   auditeql-join-memory [--events N] [--join-max-events N] [--catch-all N] RULES.jsonl
//
// Loads Elastic's sequence and sample rules (the jsonl of tests/data) and
// catch-all rules that open state for every exec and never complete (N
// sequences without maxspan, default 8, each for the execs of one pid
// modulo N and waiting for an exit code that never comes, so that each
// holds other events; and a sample waiting for a connection and a
// deletion), then feeds N events (default 1,000,000)
// straight to the detector: a new process for every exec (pids and
// process.entity_id never reused), each followed by some file creations,
// connections, uid changes or its end, one millisecond apart. Every tenth of
// the way it prints the resident set (now and peak), the join state (keys,
// events held, the detector's estimate of their bytes) and the counts of
// sequences expired and evicted: bounded memory shows as a flat line once
// the state is full.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "app/detector.h"
#include "rules/rule_loader.h"
#include "util/json_value.h"

using namespace auditeql;

namespace {

// VmRSS and VmHWM of this process, in KiB.
struct Rss {
  long now = 0, peak = 0;
};
Rss rss() {
  Rss r;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) r.now = std::stol(line.substr(6));
    if (line.rfind("VmHWM:", 0) == 0) r.peak = std::stol(line.substr(6));
  }
  return r;
}

rules::RuleDefinition rule(std::string id, std::string name, std::string query) {
  rules::RuleDefinition r;
  r.id = std::move(id);
  r.name = std::move(name);
  r.query = std::move(query);
  r.schema = rules::RuleSchema::Elastic;
  return r;
}

// The programs the execs run, with their parent: shells under web servers,
// downloaders, interpreters, binaries in /tmp, as Elastic's rules look for.
struct Program {
  const char* executable;
  std::vector<std::string> args;
  const char* parent;
};
const Program kPrograms[] = {
    {"/usr/bin/bash", {"bash", "-c", "id"}, "/usr/sbin/apache2"},
    {"/usr/bin/curl", {"curl", "-o", "/tmp/x", "http://203.0.113.7/x"}, "/usr/bin/bash"},
    {"/usr/bin/python3", {"python3", "-c", "import os"}, "/usr/bin/bash"},
    {"/tmp/.cache/x", {"/tmp/.cache/x"}, "/usr/bin/bash"},
    {"/usr/bin/base64", {"base64", "-d"}, "/usr/bin/bash"},
    {"/usr/bin/cat", {"cat", "/etc/passwd"}, "/usr/bin/sh"},
    {"/usr/sbin/unshare", {"unshare", "-r"}, "/usr/bin/bash"},
    {"/usr/bin/gcc", {"gcc", "-o", "/tmp/a", "a.c"}, "/usr/bin/make"},
};

std::vector<rules::RuleDefinition> join_rules(const char* jsonl, size_t catch_all) {
  std::ifstream in(jsonl);
  if (!in) throw std::runtime_error(std::string("cannot read ") + jsonl);
  std::vector<rules::RuleDefinition> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto doc = util::parse_json(line);
    if (doc.find("query_kind")->as_string() == "event") continue;
    out.push_back(rule(doc.find("rule_id")->as_string(), doc.find("name")->as_string(), doc.find("query")->as_string()));
  }
  for (size_t k = 0; k < catch_all; ++k) {
    out.push_back(rule("b0000000-0000-4000-8000-00000001" + std::to_string(1000 + k),
                       "Catch-all Sequence Without Maxspan " + std::to_string(k),
                       "sequence by host.id, process.entity_id\n"
                       "  [process where event.type == \"start\" and process.pid % " +
                           std::to_string(catch_all) + " == " + std::to_string(k) +
                           "]\n"
                           "  [process where event.action == \"end\" and process.exit_code == 99]"));
  }
  out.push_back(rule("b0000000-0000-4000-8000-00000000c0a2", "Catch-all Sample",
                     R"(sample by host.id, process.entity_id
                          [process where event.type == "start"]
                          [network where destination.port == 4444]
                          [file where event.type == "deletion"])"));
  return out;
}

class Stream {
 public:
  Stream() {
    for (const auto& p : kPrograms) {
      images_.push_back(ecs::make_process_image(p.executable, p.args));
      parents_.push_back(ecs::make_process_image(p.parent, {p.parent}));
    }
  }

  // Event i: every fifth is an exec of a new process; the four after it
  // belong to that process.
  const ecs::Event& next(uint64_t i) {
    const uint64_t process = i / 5;
    const size_t program = process % std::size(kPrograms);
    ecs::Event& e = event_;
    e = ecs::Event{};
    e.time_ms = 1'714'557'600'000 + static_cast<int64_t>(i);
    e.host_name = "bench";
    e.host_id = "4f0c2d4e9a7b4d2c8e1f6a3b5c7d9e0f";
    e.sequence = i + 1;
    e.pid = 1000 + static_cast<int64_t>(process);
    e.entity_id = {process + 1, 0x9e3779b97f4a7c15ULL * (process + 1)};
    e.parent_pid = 1;
    e.parent_entity_id = {0, 1};
    e.process = images_[program];
    e.parent = parents_[program];
    e.working_directory = "/tmp";
    e.uid = e.euid = e.gid = e.egid = 33;
    e.user_name = e.effective_user_name = "www-data";
    e.result = "success";
    switch (i % 5) {
      case 0: e.kind = ecs::EventKind::ProcessStart; break;
      case 1:
      case 2:
        e.kind = ecs::EventKind::FileCreation;
        e.file_path = "/tmp/.x" + std::to_string(i % 977);
        break;
      case 3:
        e.kind = ecs::EventKind::ConnectionAttempted;
        e.destination_ip = "203.0.113." + std::to_string(process % 250);
        e.destination_port = 443;
        e.network_type = "ipv4";
        e.network_transport = "tcp";
        break;
      default:
        if (process % 2 == 0) {
          e.kind = ecs::EventKind::UidChange;
          e.uid = e.euid = 0;
          e.user_name = e.effective_user_name = "root";
        } else {
          e.kind = ecs::EventKind::ProcessEnd;
          e.exit_code = 0;
        }
    }
    return e;
  }

 private:
  std::vector<ecs::ProcessImagePtr> images_, parents_;
  ecs::Event event_;
};

class CountingSink final : public sinks::AlertSink {
 public:
  void write(const alerts::Alert&) override { ++alerts; }
  uint64_t alerts = 0;
};

}  // namespace

int main(int argc, char** argv) {
  uint64_t events = 1'000'000;
  app::DetectorOptions options;
  const char* jsonl = nullptr;
  size_t catch_all = 8;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--events") == 0 && i + 1 < argc) {
      events = std::stoull(argv[++i]);
    } else if (std::strcmp(argv[i], "--join-max-events") == 0 && i + 1 < argc) {
      options.join_max_events = std::stoull(argv[++i]);
    } else if (std::strcmp(argv[i], "--catch-all") == 0 && i + 1 < argc) {
      catch_all = std::stoull(argv[++i]);
    } else {
      jsonl = argv[i];
    }
  }
  if (jsonl == nullptr) {
    std::cerr << "usage: auditeql-join-memory [--events N] [--join-max-events N] [--catch-all N] RULES.jsonl\n";
    return 2;
  }
  rules::LoadedRules loaded;
  loaded.rules = join_rules(jsonl, catch_all);
  rules::Diagnostics d;
  auto set = std::make_shared<rules::Ruleset>(rules::Ruleset::compile(std::move(loaded), d));
  if (d.has_errors()) {
    std::cerr << d.format();
    return 1;
  }
  app::Detector detector(set, options);
  CountingSink sink;
  detector.add_sink(&sink);
  std::printf("%zu join rules loaded, %zu evaluated; join_max_events %zu; %llu events, a new process every 5\n",
              set->size(), set->join_rules().size(), options.join_max_events,
              static_cast<unsigned long long>(events));
  std::printf("%9s %9s %9s %8s %8s %11s %9s %9s %9s %7s\n", "events", "RSS KiB", "peak KiB", "keys", "held",
              "state KiB", "completed", "expired", "evicted", "alerts");
  Stream stream;
  const auto started = std::chrono::steady_clock::now();
  const uint64_t step = std::max<uint64_t>(1, events / 10);
  for (uint64_t i = 0; i < events; ++i) {
    detector.on_event(stream.next(i));
    if ((i + 1) % step != 0 && i + 1 != events) continue;
    const app::JoinTotals t = detector.join_totals();
    const Rss r = rss();
    std::printf("%9llu %9ld %9ld %8llu %8llu %11llu %9llu %9llu %9llu %7llu\n", static_cast<unsigned long long>(i + 1),
                r.now, r.peak, static_cast<unsigned long long>(t.keys),
                static_cast<unsigned long long>(t.events_held), static_cast<unsigned long long>(t.memory_bytes / 1024),
                static_cast<unsigned long long>(t.completed), static_cast<unsigned long long>(t.expired),
                static_cast<unsigned long long>(t.evicted), static_cast<unsigned long long>(sink.alerts));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const app::JoinTotals t = detector.join_totals();
  std::printf("peak RSS %.1f MiB; %llu expired, %llu evicted, %llu completed; %.2f us per event\n",
              static_cast<double>(rss().peak) / 1024.0, static_cast<unsigned long long>(t.expired),
              static_cast<unsigned long long>(t.evicted), static_cast<unsigned long long>(t.completed),
              seconds * 1e6 / static_cast<double>(events));
  return 0;
}
