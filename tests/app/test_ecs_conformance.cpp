// Every event and every alert auditeql writes for the captured logs, checked
// field by field against ECS (support/ecs_conformance.h): the field exists,
// its JSON type fits the ECS type, arrays where ECS wants them, enumerated
// fields with allowed values.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "support/command.h"
#include "support/corpus.h"
#include "support/temp_dir.h"
#include "ecs/fields.h"
#include "support/ecs_conformance.h"
#include "util/json_value.h"

using namespace auditeql;
using testing::run_command;

namespace {

const std::string kBinary = AUDITEQL_BINARY;
const std::string kRules = std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules";
const std::string kTomlRules = std::string(AUDITEQL_FIXTURES_DIR) + "/toml/rules";

std::vector<std::string> captured_logs() {
  std::vector<std::string> logs;
  for (const auto& entry : std::filesystem::directory_iterator(testing::fixture("formats"))) {
    if (entry.path().extension() == ".log") logs.push_back(entry.path().string());
  }
  for (const auto& name : testing::scenario_names()) logs.push_back(testing::scenario_file(name, "audit.log").string());
  logs.push_back(testing::fixture("sample/boot-persistence-attacks.log").string());
  std::sort(logs.begin(), logs.end());
  return logs;
}

// Checks each NDJSON line; returns how many documents there were.
size_t check_documents(const std::string& ndjson, const std::string& where) {
  size_t documents = 0;
  for (const auto& line : testing::lines_of(ndjson)) {
    ++documents;
    const auto doc = util::parse_json(line);
    for (const auto& problem : testing::ecs_conformance_problems(doc)) BOOST_ERROR(where << ": " << problem);
  }
  return documents;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ecs_conformance)

BOOST_AUTO_TEST_CASE(every_event_of_the_captured_logs_conforms) {
  size_t events = 0;
  for (const auto& log : captured_logs()) {
    const auto r = run_command({kBinary, "events", "--audit-rules", "/dev/null", log});
    BOOST_TEST(r.exit_code == 0, log << ": " << r.err);
    events += check_documents(r.out, log);
  }
  BOOST_TEST_MESSAGE(events << " events checked");
  BOOST_TEST(events > 1000u);
}

BOOST_AUTO_TEST_CASE(every_alert_of_the_captured_logs_conforms) {
  size_t alerts = 0;
  for (const auto& log : captured_logs()) {
    const auto shipped = run_command({kBinary, "replay", "--rules", kRules, log});
    BOOST_TEST(shipped.exit_code == 0, log << ": " << shipped.err);
    alerts += check_documents(shipped.out, log);
  }
  // Elastic-format rules with authors, versions and a building block, shown.
  testing::TempDir dir;
  const auto config = dir.write("auditeql.yaml", "rule_directories: [" + kTomlRules +
                                                     "]\nexception_directories: []\nbuilding_block_alerts: true\n");
  const auto elastic = run_command({kBinary, "replay", "--config", config, testing::fixture("sample/boot-persistence-attacks.log").string()});
  BOOST_TEST(elastic.exit_code == 0, elastic.err);
  const size_t elastic_alerts = check_documents(elastic.out, "TOML rules");
  BOOST_TEST(elastic_alerts >= 2u);
  BOOST_TEST(elastic.out.find("\"author\":[") != std::string::npos, elastic.out);
  alerts += elastic_alerts;
  BOOST_TEST_MESSAGE(alerts << " alerts checked");
  BOOST_TEST(alerts >= 20u);
}

BOOST_AUTO_TEST_CASE(every_alert_of_a_sequence_or_sample_rule_conforms) {
  // Rules written for the test that fire on the captured attacks: an exec
  // and a file creation by the same process, in order and in any order.
  testing::TempDir dir;
  dir.write("rules/sequence.yaml", R"(id: 4c0e7a1e-0000-4000-8000-0000000ec5e1
name: Exec Then Creation
severity: medium
risk_score: 47
query: |
  sequence by host.id, process.entity_id with maxspan=30s
    [process where event.type == "start" and event.action == "exec"]
    [file where event.type == "creation"]
)");
  dir.write("rules/sample.yaml", R"(id: 4c0e7a1e-0000-4000-8000-0000000ec5e2
name: Exec And Creation
severity: medium
risk_score: 47
query: |
  sample by host.id, process.entity_id
    [process where event.type == "start"]
    [file where event.type == "creation"]
)");
  size_t sequences = 0, samples = 0;
  for (const auto& log : captured_logs()) {
    const auto r = run_command({kBinary, "replay", "--rules", dir.str() + "/rules", log});
    BOOST_TEST(r.exit_code == 0, log << ": " << r.err);
    check_documents(r.out, log);
    for (const auto& line : testing::lines_of(r.out)) {
      const auto doc = util::parse_json(line);
      const auto* own = doc.find("auditeql");
      if (own == nullptr) continue;
      if (const auto* s = own->find("sequence"); s != nullptr && !s->find("events")->as_array().empty()) ++sequences;
      if (const auto* s = own->find("sample"); s != nullptr && !s->find("events")->as_array().empty()) ++samples;
    }
  }
  BOOST_TEST_MESSAGE(sequences << " sequence and " << samples << " sample alerts checked");
  BOOST_TEST(sequences >= 1u);
  BOOST_TEST(samples >= 1u);
}

BOOST_AUTO_TEST_CASE(the_fields_command_lists_the_registry) {
  const auto r = run_command({kBinary, "fields"});
  BOOST_TEST(r.exit_code == 0, r.err);
  const auto lines = testing::lines_of(r.out);
  BOOST_TEST(lines.size() == ecs::event_fields().size());
  BOOST_TEST(r.out.find("process.args\tkeyword[]\tprocess, file, network and driver events\n") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("file.path\tkeyword\tfile events\n") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(the_checker_finds_what_does_not_conform) {
  const auto problems = [](const char* json) { return testing::ecs_conformance_problems(util::parse_json(json)); };
  BOOST_TEST(problems(R"({"@timestamp":"2026-11-23T06:05:18.753Z","ecs":{"version":"9.0.0"}})").empty());
  BOOST_TEST(problems(R"({"@timestamp":"x","ecs":{"version":"9.0.0"}})").size() == 1u);            // not a date
  BOOST_TEST(problems(R"({"@timestamp":"2026-11-23T06:05:18.753Z","ecs":{"version":"9.0.0"},"process":{"nmae":"x"}})")
                 .size() == 1u);                                                                        // no such field
  BOOST_TEST(problems(R"({"@timestamp":"2026-11-23T06:05:18.753Z","ecs":{"version":"9.0.0"},"process":{"pid":"1"}})")
                 .size() == 1u);                                                                        // a string for a long
  BOOST_TEST(problems(R"({"@timestamp":"2026-11-23T06:05:18.753Z","ecs":{"version":"9.0.0"},"event":{"category":"process"}})")
                 .size() == 1u);                                                                        // not an array
  BOOST_TEST(problems(R"({"@timestamp":"2026-11-23T06:05:18.753Z","ecs":{"version":"9.0.0"},"event":{"type":["exec"]}})")
                 .size() == 1u);                                                                        // not allowed
  BOOST_TEST(problems(R"({"@timestamp":"2026-11-23T06:05:18.753Z"})").size() == 1u);                  // no ecs.version
  // The events a sequence alert lists are ECS documents too.
  const auto listed = [&](const char* event) {
    return problems((std::string(R"({"@timestamp":"2026-11-23T06:05:18.753Z","ecs":{"version":"9.0.0"},)") +
                     R"("auditeql":{"sequence":{"event_count":1,"events":[)" + event + "]}}}")
                        .c_str());
  };
  BOOST_TEST(listed(R"({"process":{"pid":7},"event":{"category":["process"]}})").empty());
  const auto wrong = listed(R"({"process":{"pid":"7"},"event":{"category":"process"}})");
  BOOST_REQUIRE(wrong.size() == 2u);
  BOOST_TEST(wrong[0] == "auditeql.sequence.events[0].process.pid: a long field holds a non-number", wrong[0]);
  BOOST_TEST(wrong[1] == "auditeql.sequence.events[0].event.category: ECS normalizes it to an array, written as a "
                         "single value",
             wrong[1]);
}

BOOST_AUTO_TEST_SUITE_END()
