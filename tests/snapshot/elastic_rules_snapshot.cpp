// Loads a snapshot of Elastic's detection-rules repository the way a
// rule_directories entry naming a checkout does, and fails unless every TOML
// file in it loads without error as exactly one rule and every rule that
// runs here compiles (sequences and samples included). Prints the totals:
// rules that run (and how many are building blocks), rules that do not run
// and why, and what compiling the runnable ones reports, with whether each
// can fire on auditeql's events (not a failure here: a rule may need what no
// auditd sensor sees).
//
//   elastic_rules_snapshot DIR     exit 0 loaded, 1 not, 77 no snapshot (skipped)
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "rules/rule_loader.h"
#include "rules/ruleset.h"

using namespace auditeql;
namespace fs = std::filesystem;

namespace {

size_t toml_files_under(const std::string& root) {
  size_t n = 0;
  for (const char* dir : rules::kCheckoutRuleDirectories) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::path(root) / dir, ec)) {
      if (entry.path().extension() == ".toml") ++n;
    }
  }
  return n;
}

// "rule ID (NAME): sequence queries ..." -> "sequence queries ..."
std::string reason(const std::string& message) {
  const size_t at = message.find("): ");
  return at == std::string::npos ? message : message.substr(at + 3);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: elastic_rules_snapshot DIR\n";
    return 2;
  }
  const std::string root = argv[1];
  if (!rules::is_detection_rules_checkout(root)) {
    std::cout << "SKIPPED: elastic_rules_snapshot: no detection-rules snapshot at " << root
              << " (it lives outside the repository; configure with -DAUDITEQL_SHARED_DIR=DIR to point at it)\n";
    return 77;
  }

  rules::Diagnostics load_d;
  const auto loaded = rules::load_rule_sources({{{root, false}}, {}, false}, load_d);
  const size_t files = toml_files_under(root);
  std::set<std::string> ids;
  for (const auto& rule : loaded.rules) ids.insert(rule.id);

  std::map<std::string, size_t> not_eql;
  size_t runs = 0, building_blocks = 0, not_linux = 0, unsupported = 0;
  for (const auto& rule : loaded.rules) {
    switch (rule.status) {
      case rules::RunStatus::Runs:
        ++runs;
        building_blocks += rule.building_block ? 1 : 0;
        break;
      case rules::RunStatus::NotEql: ++not_eql[rule.status_detail]; break;
      case rules::RunStatus::NotLinux: ++not_linux; break;
      case rules::RunStatus::Unsupported: ++unsupported; break;
    }
  }

  rules::Diagnostics compile_d;
  const auto set = rules::Ruleset::compile(loaded, compile_d);
  std::map<std::string, size_t> compile_problems;
  for (const auto& item : compile_d.all()) ++compile_problems[reason(item.message)];
  size_t reading_unset = 0;
  std::map<std::string, size_t> reach;  // verdict (and what a rule that cannot fire needs) -> rules
  size_t join_reach[3] = {0, 0, 0};     // sequence and sample rules, by verdict
  for (size_t i = 0; i < set.size(); ++i) {
    const auto& r = set.rule(i).reach;
    reading_unset += r.never_set.empty() ? 0 : 1;
    if (set.rule(i).is_join()) ++join_reach[static_cast<size_t>(r.verdict)];
    switch (r.verdict) {
      case rules::RuleReach::Verdict::CanFire: ++reach["can fire"]; break;
      case rules::RuleReach::Verdict::LosesExclusions: ++reach["can fire, but loses exclusions"]; break;
      case rules::RuleReach::Verdict::CannotFire: ++reach["cannot fire: needs " + r.needs]; break;
    }
  }

  std::cout << "snapshot: " << root << "\n"
            << "files: " << files << " .toml in " << loaded.directories.size() << " directories, " << loaded.files.size()
            << " read, " << loaded.rules.size() << " rules (" << ids.size() << " distinct ids)\n"
            << "EQL rules that run: " << runs << " (" << building_blocks << " building blocks)\n"
            << "not EQL:";
  size_t not_eql_total = 0;
  for (const auto& [type, n] : not_eql) {
    std::cout << " " << type << " " << n;
    not_eql_total += n;
  }
  std::cout << " (" << not_eql_total << ")\n"
            << "not for Linux: " << not_linux << "\n"
            << "unsupported: " << unsupported << "\n"

            << "compiled: " << set.size() << " of " << runs << " (" << reading_unset
            << " read fields auditeql never sets)\n";
  for (const auto& [verdict, n] : reach) std::cout << "  " << n << " " << verdict << "\n";
  std::cout << "sequence and sample rules: " << join_reach[0] + join_reach[1] + join_reach[2] << " ("
            << join_reach[0] << " can fire, " << join_reach[1] << " lose exclusions, " << join_reach[2]
            << " cannot fire)\n";
  for (const auto& [why, n] : compile_problems) std::cout << "  " << n << " x " << why << "\n";

  const bool loads = !load_d.has_errors() && loaded.files.size() == files && loaded.rules.size() == files &&
                     ids.size() == files;
  const bool compiles = !compile_d.has_errors() && set.size() + set.disabled().size() == runs;
  if (!load_d.all().empty()) std::cout << load_d.format();
  if (compile_d.has_errors()) std::cout << compile_d.format();
  const bool ok = loads && compiles;
  std::cout << (ok ? "OK: every file loads and every rule that runs compiles\n"
                   : !loads ? "FAILED: not every file loads as one rule\n"
                            : "FAILED: not every rule that runs compiles\n");
  return ok ? 0 : 1;
}
