#pragma once
// Stage 4 input: detection rules and exceptions as written in auditeql's YAML
// or in Elastic's detection-rules TOML.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace auditeql::rules {

enum class Severity : uint8_t { Low, Medium, High, Critical };

std::optional<Severity> parse_severity(std::string_view text);
const char* to_string(Severity severity);
// Elastic's numeric scale for a severity label (low 21 ... critical 99).
int severity_score(Severity severity);

// Where a value came from, for error messages ("FILE:LINE:COL").
struct SourceSpan {
  std::string file;
  uint32_t line = 0;    // 1-based; 0 when unknown
  uint32_t column = 0;  // 1-based
};

// Where a multi-line text value (a query, a condition) starts in its file,
// so that a position inside the text can be turned into a file position.
struct TextPosition {
  SourceSpan start;
  bool block = false;   // YAML `|` / `>` block: every line is indented by `indent`
  uint32_t indent = 0;

  // The file position of (line, column) of the text, both 1-based.
  SourceSpan at(uint32_t line, uint32_t column) const;
};

struct AttackReference {
  std::string id;         // TA0003, T1542, T1059.004
  std::string name;
  std::string reference;  // https://attack.mitre.org/...
};

struct AttackTechnique {
  AttackReference technique;
  std::vector<AttackReference> subtechniques;
};

struct ThreatMapping {
  std::string framework = "MITRE ATT&CK";
  AttackReference tactic;
  std::vector<AttackTechnique> techniques;
};

// The field names a rule is written against. ECS and the fields auditeql
// sets are always known; Elastic's own rules also read Elastic Defend's and
// Auditd Manager's fields, which a rule written for auditeql names only by
// mistake (and is refused for, like any unknown name).
enum class RuleSchema : uint8_t { Ecs, Elastic };

// An EQL condition that, when true for an event, stops one rule from alerting on it.
struct ExceptionDefinition {
  std::string rule_id;
  std::string description;
  std::string condition;
  TextPosition where;  // of the condition text
};

// Whether a loaded rule is evaluated. Elastic's rule files include rules
// auditeql never runs; they are loaded, counted and listed, not refused.
enum class RunStatus : uint8_t {
  Runs,
  NotEql,       // another rule type (query, new_terms, esql, threshold, ...) or query language
  NotLinux,     // an Elastic rule not tagged "OS: Linux"
  Unsupported,  // an EQL rule using a setting auditeql cannot honour
};

const char* to_string(RunStatus status);

struct RuleDefinition {
  std::string id;
  std::string name;
  std::string description;
  std::string ruleset = "local";
  Severity severity = Severity::Medium;
  int risk_score = 47;
  int max_signals = 100;
  bool enabled = true;
  std::vector<std::string> tags;
  std::vector<std::string> references;
  std::vector<ThreatMapping> threat;
  std::string query;
  TextPosition query_where;
  RuleSchema schema = RuleSchema::Ecs;
  std::vector<ExceptionDefinition> exceptions;
  std::string file;        // the file that defined it (the last override, if any)

  // Elastic's `building_block_type`: evaluated like any rule, but its alerts
  // are building blocks for other rules, kept out of the sinks unless the
  // configuration asks for them.
  bool building_block = false;
  int version = 0;         // 0: not given
  std::string license;
  std::vector<std::string> author;
  // Elastic's [metadata]: maturity (production, development, ...) and dates, "" when not given.
  std::string maturity;
  std::string creation_date;
  std::string updated_date;
  // Elastic's rule type and query language; every YAML rule is EQL.
  std::string type = "eql";
  std::string language = "eql";
  RunStatus status = RunStatus::Runs;
  std::string status_detail;  // why it does not run: the type, the tags, the setting
};

}  // namespace auditeql::rules
