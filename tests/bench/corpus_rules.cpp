// Writes the single-event rules of the Elastic corpus (tests/data/*.jsonl) as
// auditeql YAML rule files, for benchmarking the engine with 318 rules loaded;
// with --join, its 80 sequence and 3 sample rules instead.
//
//   auditeql-corpus-rules [--join] tests/data/elastic-linux-eql-rules.jsonl OUT_DIR
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>

#include "util/json_value.h"
#include "util/json_writer.h"

namespace {

// A YAML double-quoted scalar: JSON string syntax is valid YAML.
std::string quoted(const std::string& s) {
  std::string out;
  auditeql::util::append_json_string(out, s);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const bool join = argc == 4 && std::string_view(argv[1]) == "--join";
  if (join) ++argv;
  if (argc != (join ? 4 : 3)) {
    std::cerr << "usage: auditeql-corpus-rules [--join] RULES.jsonl OUT_DIR\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 1;
  }
  std::filesystem::create_directories(argv[2]);
  std::string line;
  int written = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto rule = auditeql::util::parse_json(line);
    if ((rule.find("query_kind")->as_string() == "event") == join) continue;
    const std::string id = rule.find("rule_id")->as_string();
    std::ostringstream yaml;
    yaml << "id: " << quoted(id) << "\n"
         << "name: " << quoted(rule.find("name")->as_string()) << "\n"
         << "ruleset: elastic-corpus\n"
         << "schema: elastic\n"
         << "severity: " << rule.find("severity")->as_string() << "\n"
         << "risk_score: " << rule.find("risk_score")->as_int() << "\n"
         << "query: |2\n";
    std::istringstream query(rule.find("query")->as_string());
    std::string q;
    while (std::getline(query, q)) yaml << "  " << q << "\n";
    std::ofstream(std::filesystem::path(argv[2]) / (id + ".yaml")) << yaml.str();
    ++written;
  }
  std::cerr << "auditeql-corpus-rules: " << written << (join ? " sequence and sample" : " single-event")
            << " rules written to " << argv[2] << "\n";
  return 0;
}
