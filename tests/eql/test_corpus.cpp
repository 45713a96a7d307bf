// Every Elastic Linux EQL rule in tests/data parses; every single-event one
// compiles and evaluates; a few real rules give the expected verdicts.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "eql_test_support.h"
#include "rule_corpus.h"
#include "util/json_value.h"

using namespace auditeql::eql;
using auditeql::util::JsonValue;
using eqltest::load_rules;
using eqltest::Rule;
using eqltest::rule_named;

namespace {

constexpr const char* kProcessEvent = R"({
  "@timestamp": "2024-05-01T10:00:00Z",
  "host": {"os": {"type": "linux"}, "name": "h1", "ip": ["10.0.0.5"]},
  "event": {"category": ["process"], "type": ["start"], "action": "executed"},
  "process": {
    "name": "cpio", "executable": "/usr/bin/cpio", "pid": 4242,
    "args": ["cpio", "-H", "newc", "-o"], "args_count": 4,
    "command_line": "cpio -H newc -o", "working_directory": "/root",
    "parent": {"name": "bash", "executable": "/usr/bin/bash", "pid": 4000, "args": ["bash"]}
  },
  "user": {"id": "0", "name": "root"}
})";

constexpr const char* kFileEvent = R"({
  "host": {"os": {"type": "linux"}},
  "event": {"category": ["file"], "type": ["creation"], "action": "creation"},
  "file": {"path": "/usr/lib/dracut/modules.d/99evil/module-setup.sh", "name": "module-setup.sh", "extension": "sh"},
  "process": {"name": "cp", "executable": "/usr/bin/cp", "pid": 77}
})";

}  // namespace

BOOST_AUTO_TEST_SUITE(eql_corpus)

BOOST_AUTO_TEST_CASE(all_rules_parse_and_single_event_rules_compile) {
  const std::vector<Rule> rules = load_rules();
  BOOST_TEST(rules.size() == 401u);

  DynamicSchema schema;
  const JsonDocument empty = JsonDocument::parse("{}", schema);
  const JsonDocument process_event = JsonDocument::parse(kProcessEvent, schema);
  const JsonDocument file_event = JsonDocument::parse(kFileEvent, schema);

  std::map<std::string, int> parsed_by_kind;
  int parsed = 0, compiled = 0, sequence_refused = 0, sample_refused = 0;
  for (const Rule& rule : rules) {
    BOOST_TEST_CONTEXT("rule " << rule.file) {
      Query query;
      try {
        query = parse_query(rule.query);
      } catch (const Error& e) {
        BOOST_ERROR(format_error(e, rule.query, rule.file));
        continue;
      }
      ++parsed;
      ++parsed_by_kind[std::string(to_string(query.kind))];
      BOOST_TEST(std::string(to_string(query.kind)) == rule.kind);
      if (query.kind == QueryKind::Event) {
        BOOST_TEST(query.event.category == rule.categories.front());
      } else {
        BOOST_TEST(!query.stages.empty());
      }

      try {
        const CompiledQuery q = compile(query, schema);
        ++compiled;
        BOOST_TEST(q.category() == rule.categories.front());
        BOOST_TEST(!q.fields().empty());
        // None of these events is a hit for a real rule except the ones
        // checked below; what matters here is that evaluation runs.
        (void)q.matches(empty);
        (void)q.matches(process_event);
        (void)q.matches(file_event);
        BOOST_TEST(q.matches(empty) == false, "a rule matched an empty event");
      } catch (const Error& e) {
        const bool sequence = e.detail == "sequence queries are not evaluated yet";
        const bool sample = e.detail == "sample queries are not evaluated yet";
        sequence_refused += sequence;
        sample_refused += sample;
        if (!sequence && !sample) BOOST_ERROR(format_error(e, rule.query, rule.file));
      }
    }
  }
  std::cout << "EQL corpus: " << parsed << "/" << rules.size() << " queries parsed (" << parsed_by_kind["event"]
            << " event, " << parsed_by_kind["sequence"] << " sequence, " << parsed_by_kind["sample"] << " sample); "
            << compiled << " single-event queries compiled and evaluated; " << sequence_refused << " sequence and "
            << sample_refused << " sample queries refused as not evaluated yet; " << schema.size()
            << " distinct fields\n";
  BOOST_TEST(parsed == 401);
  BOOST_TEST(parsed_by_kind["event"] == 318);
  BOOST_TEST(parsed_by_kind["sequence"] == 80);
  BOOST_TEST(parsed_by_kind["sample"] == 3);
  BOOST_TEST(compiled == 318);
  BOOST_TEST(sequence_refused == 80);
  BOOST_TEST(sample_refused == 3);
}

BOOST_AUTO_TEST_CASE(seed_rules_give_expected_verdicts) {
  const std::vector<Rule> rules = load_rules();
  DynamicSchema schema;
  const CompiledQuery cpio =
      compile(parse_query(rule_named(rules, "persistence_extract_initramfs_via_cpio.toml").query), schema);
  const CompiledQuery dracut =
      compile(parse_query(rule_named(rules, "persistence_dracut_module_creation.toml").query), schema);

  BOOST_TEST(cpio.category() == "process");
  BOOST_TEST(cpio.matches(JsonDocument::parse(kProcessEvent, schema)) == true);
  // The same command under mkinitramfs is an expected system activity.
  std::string benign = kProcessEvent;
  benign.replace(benign.find("\"name\": \"bash\""), 14, "\"name\": \"mkinitramfs\"");
  BOOST_TEST(cpio.matches(JsonDocument::parse(benign, schema)) == false);
  // `--format=newc` is a single argument: neither "--format" nor "newc" is present.
  std::string joined = kProcessEvent;
  joined.replace(joined.find("[\"cpio\", \"-H\", \"newc\", \"-o\"]"), 28, "[\"cpio\", \"--format=newc\", \"-o\"]");
  BOOST_TEST(cpio.matches(JsonDocument::parse(joined, schema)) == false);

  BOOST_TEST(dracut.category() == "file");
  BOOST_TEST(dracut.matches(JsonDocument::parse(kFileEvent, schema)) == true);
  std::string by_dpkg = kFileEvent;
  by_dpkg.replace(by_dpkg.find("/usr/bin/cp\""), 12, "/usr/bin/dpkg\"");
  BOOST_TEST(dracut.matches(JsonDocument::parse(by_dpkg, schema)) == false);
}

BOOST_AUTO_TEST_SUITE_END()
