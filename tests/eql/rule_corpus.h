// Elastic's Linux EQL rules, as tests/data/elastic-linux-eql-rules.jsonl
// lists them (401 rules: 318 event queries, 80 sequences, 3 samples).
#pragma once

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "util/json_value.h"

namespace eqltest {

struct Rule {
  std::string file;  // the TOML file it comes from, e.g. rules/linux/....toml
  std::string name;
  std::string kind;  // event, sequence or sample
  std::vector<std::string> categories;
  std::string query;
};

inline std::vector<Rule> load_rules() {
  using auditeql::util::JsonValue;
  std::ifstream in(std::string(AUDITEQL_TEST_DATA_DIR) + "/elastic-linux-eql-rules.jsonl");
  BOOST_REQUIRE_MESSAGE(in, "cannot open tests/data/elastic-linux-eql-rules.jsonl");
  std::vector<Rule> rules;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const JsonValue record = auditeql::util::parse_json(line);
    Rule rule;
    rule.file = record.find("file")->as_string();
    rule.name = record.find("name")->as_string();
    rule.kind = record.find("query_kind")->as_string();
    for (const JsonValue& c : record.find("event_categories")->as_array()) rule.categories.push_back(c.as_string());
    rule.query = record.find("query")->as_string();
    rules.push_back(std::move(rule));
  }
  return rules;
}

// The rule whose file name ends with `file_suffix`.
inline const Rule& rule_named(const std::vector<Rule>& rules, std::string_view file_suffix) {
  for (const Rule& r : rules) {
    if (r.file.size() >= file_suffix.size() &&
        r.file.compare(r.file.size() - file_suffix.size(), file_suffix.size(), file_suffix) == 0)
      return r;
  }
  BOOST_FAIL("rule not found: " << file_suffix);
  throw std::logic_error("unreachable");
}

}  // namespace eqltest
