#include "rules/toml_rule.h"

// toml++ (Debian's libtomlplusplus): a complete TOML 1.0 parser that keeps
// the source position of every key and value.
#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <optional>

#include "rules/source_text.h"

namespace auditeql::rules {
namespace {

using Keys = std::vector<std::string_view>;

const Keys kRuleKeys = {"rule_id", "name",       "description", "severity", "risk_score",          "tags",
                        "threat",  "references", "max_signals", "version",  "license",             "author",
                        "enabled", "type",       "language",    "query",    "building_block_type"};

const Keys kIgnoredRuleKeys = {
    // When and over which indices Elastic's scheduler runs the query.
    "from", "to", "interval", "index", "data_view_id", "timestamp_override", "timestamp_field", "tiebreaker_field",
    // Kibana's investigation aids and bookkeeping.
    "note", "setup", "false_positives", "investigation_fields", "related_integrations", "required_fields", "revision",
    "timeline_id", "timeline_title", "meta", "output_index", "actions", "response_actions", "throttle",
    "rule_name_override", "threat_mappings",
    // Alert handling done Kibana's way: auditeql has max_signals, its throttle
    // window, its own exceptions, and the rule's fixed severity and risk score.
    "alert_suppression", "severity_mapping", "risk_score_mapping", "exceptions_list",
    // Kibana query filters: an EQL rule runs without them, with a warning.
    "filters",
    // Settings of rule types auditeql does not run.
    "new_terms", "threshold", "anomaly_threshold", "machine_learning_job_id", "threat_index", "threat_query",
    "threat_mapping", "threat_filters", "threat_language", "threat_indicator_path", "concurrent_searches",
    "items_per_search",
    // Read only to refuse the rules that use it (see RunStatus::Unsupported).
    "event_category_override"};

const Keys kMetadataKeys = {"maturity", "creation_date", "updated_date", "os_type_list"};
const Keys kIgnoredMetadataKeys = {"integration",      "min_stack_version",       "min_stack_comments",
                                   "bypass_bbr_timing", "deprecation_date",        "comments",
                                   "promotion",         "query_schema_validation", "related_endpoint_rules",
                                   "extended"};
const Keys kFileKeys = {"metadata", "rule"};
const Keys kIgnoredFileKeys = {"transform"};  // investigation-guide query templates

bool contains(const Keys& keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// The byte offset of 1-based character `column` in `line` (UTF-8).
size_t byte_offset(std::string_view line, uint32_t column) {
  size_t i = 0;
  for (uint32_t c = 1; c < column && i < line.size(); ++c) {
    ++i;
    while (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xc0) == 0x80) ++i;
  }
  return i;
}

// A parsed TOML file kept with its text, so that every value can be traced
// back to its position and shown with its line.
class TomlFile {
 public:
  bool load(const std::string& path, Diagnostics& d) {
    if (!text_.read(path, d)) return false;
    try {
      root_ = toml::parse(std::string_view(text_.text()), std::string_view(path));
    } catch (const toml::parse_error& e) {
      text_.error(span(e.source()), "invalid TOML: " + std::string(e.description()), d);
      return false;
    }
    return true;
  }

  const std::string& path() const { return text_.path(); }
  const toml::table& root() const { return root_; }

  SourceSpan span(const toml::source_region& region) const {
    return {text_.path(), static_cast<uint32_t>(region.begin.line), static_cast<uint32_t>(region.begin.column)};
  }
  SourceSpan span(const toml::node& node) const { return span(node.source()); }

  void error(const toml::node& node, const std::string& message, Diagnostics& d) const {
    text_.error(span(node), message, d);
  }
  void error(const SourceSpan& where, const std::string& message, Diagnostics& d) const {
    text_.error(where, message, d);
  }
  void warning(const SourceSpan& where, const std::string& message, Diagnostics& d) const {
    text_.warning(where, message, d);
  }

  // table[key] when it is a T; nothing when it is missing or of another
  // type (reported: "'key' must be <what>").
  template <class T>
  std::optional<T> value(const toml::table& table, std::string_view key, const char* what, Diagnostics& d) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    if (auto v = node->value_exact<T>()) return v;
    error(*node, "'" + std::string(key) + "' must be " + what, d);
    return std::nullopt;
  }

  std::optional<std::string> string(const toml::table& table, std::string_view key, Diagnostics& d) const {
    return value<std::string>(table, key, "a string", d);
  }

  std::optional<bool> boolean(const toml::table& table, std::string_view key, Diagnostics& d) const {
    return value<bool>(table, key, "true or false", d);
  }

  std::optional<int64_t> integer(const toml::table& table, std::string_view key, int64_t min, int64_t max,
                                 Diagnostics& d) const {
    const auto n = value<int64_t>(table, key, "a whole number", d);
    if (n && (*n < min || *n > max)) {
      error(*table.get(key), "'" + std::string(key) + "' must be between " + std::to_string(min) + " and " +
                                 std::to_string(max), d);
      return std::nullopt;
    }
    return n;
  }

  std::optional<std::vector<std::string>> strings(const toml::table& table, std::string_view key,
                                                  Diagnostics& d) const {
    const toml::node* value = table.get(key);
    if (value == nullptr) return std::nullopt;
    const toml::array* array = value->as_array();
    if (array == nullptr) {
      error(*value, "'" + std::string(key) + "' must be a list of strings", d);
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (const toml::node& item : *array) {
      if (!item.is_string()) {
        error(item, "each item of '" + std::string(key) + "' must be a string", d);
        return std::nullopt;
      }
      out.push_back(item.as_string()->get());
    }
    return out;
  }

  // Keys neither used nor known to be ignored: most likely a typo.
  void warn_unknown_keys(const toml::table& table, const Keys& used, const Keys& ignored, std::string_view where,
                         Diagnostics& d) const {
    for (auto&& [key, value] : table) {
      if (contains(used, key.str()) || contains(ignored, key.str())) continue;
      text_.warning(span(key.source()), "unknown key '" + std::string(key.str()) + "' in " + std::string(where) +
                                            " (not used; a typo?)", d);
    }
  }

  // Where the text of a string value starts. TOML drops the newline right
  // after the opening ''' or """, so a multi-line query's text starts at the
  // next line's first column and maps to the file line for line. (Escapes in
  // a """ string would shift later columns; Elastic writes queries as ''').
  TextPosition text_position(const toml::node& value) const {
    TextPosition where;
    where.start = span(value);
    const std::string line = text_.line(where.start.line);
    const std::string_view rest = std::string_view(line).substr(std::min(byte_offset(line, where.start.column), line.size()));
    if (rest.starts_with("'''") || rest.starts_with("\"\"\"")) {
      if (rest.size() == 3) {
        where.start.line += 1;
        where.start.column = 1;
      } else {
        where.start.column += 3;
      }
    } else if (rest.starts_with('\'') || rest.starts_with('"')) {
      where.start.column += 1;
    }
    return where;
  }

 private:
  SourceText text_;
  toml::table root_;
};

std::optional<AttackReference> read_attack_reference(const TomlFile& file, const toml::node& node, const char* what,
                                                     const Keys& keys, Diagnostics& d) {
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    file.error(node, std::string(what) + " must be a table with id, name and reference", d);
    return std::nullopt;
  }
  file.warn_unknown_keys(*table, keys, {}, what, d);
  AttackReference ref;
  const auto id = file.string(*table, "id", d);
  if (!id) {
    file.error(node, std::string(what) + " needs an id", d);
    return std::nullopt;
  }
  ref.id = *id;
  ref.name = file.string(*table, "name", d).value_or("");
  ref.reference = file.string(*table, "reference", d).value_or("");
  return ref;
}

// The items of table[key] when it is an array of tables (missing: empty).
std::vector<const toml::node*> list_of(const TomlFile& file, const toml::table& table, std::string_view key,
                                       Diagnostics& d) {
  std::vector<const toml::node*> items;
  const toml::node* value = table.get(key);
  if (value == nullptr) return items;
  const toml::array* array = value->as_array();
  if (array == nullptr) {
    file.error(*value, "'" + std::string(key) + "' must be a list of tables", d);
    return items;
  }
  for (const toml::node& item : *array) items.push_back(&item);
  return items;
}

std::vector<ThreatMapping> read_threat(const TomlFile& file, const toml::table& rule, Diagnostics& d) {
  std::vector<ThreatMapping> out;
  for (const toml::node* entry_node : list_of(file, rule, "threat", d)) {
    const toml::table* entry = entry_node->as_table();
    if (entry == nullptr) {
      file.error(*entry_node, "each threat entry must be a table", d);
      continue;
    }
    file.warn_unknown_keys(*entry, {"framework", "tactic", "technique"}, {}, "a threat entry", d);
    ThreatMapping mapping;
    mapping.framework = file.string(*entry, "framework", d).value_or("MITRE ATT&CK");
    const toml::node* tactic = entry->get("tactic");
    if (tactic == nullptr) {
      file.error(*entry_node, "threat entry needs a tactic", d);
      continue;
    }
    if (auto ref = read_attack_reference(file, *tactic, "tactic", {"id", "name", "reference"}, d)) mapping.tactic = *ref;
    for (const toml::node* t : list_of(file, *entry, "technique", d)) {
      auto technique = read_attack_reference(file, *t, "technique", {"id", "name", "reference", "subtechnique"}, d);
      if (!technique) continue;
      AttackTechnique item{*technique, {}};
      for (const toml::node* s : list_of(file, *t->as_table(), "subtechnique", d)) {
        if (auto sub = read_attack_reference(file, *s, "subtechnique", {"id", "name", "reference"}, d)) {
          item.subtechniques.push_back(*sub);
        }
      }
      mapping.techniques.push_back(std::move(item));
    }
    out.push_back(std::move(mapping));
  }
  return out;
}

void read_metadata(const TomlFile& file, const toml::table* metadata, RuleDefinition& rule,
                   std::vector<std::string>& os_types, Diagnostics& d) {
  if (metadata == nullptr) return;
  file.warn_unknown_keys(*metadata, kMetadataKeys, kIgnoredMetadataKeys, "[metadata]", d);
  rule.maturity = file.string(*metadata, "maturity", d).value_or("");
  rule.creation_date = file.string(*metadata, "creation_date", d).value_or("");
  rule.updated_date = file.string(*metadata, "updated_date", d).value_or("");
  os_types = file.strings(*metadata, "os_type_list", d).value_or(std::vector<std::string>{});
}

std::string os_tags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& tag : tags) {
    if (tag.rfind("OS: ", 0) == 0) out += (out.empty() ? "" : ", ") + tag;
  }
  return out.empty() ? "no OS tag" : "tagged " + out;
}

// Whether the rule runs here, and if not, why.
void classify(const toml::table& table, const std::vector<std::string>& os_types, RuleDefinition& rule) {
  const bool for_linux = std::find(rule.tags.begin(), rule.tags.end(), "OS: Linux") != rule.tags.end() ||
                         std::find(os_types.begin(), os_types.end(), "linux") != os_types.end();
  rule.status = RunStatus::Runs;
  rule.status_detail.clear();
  if (!for_linux) {
    rule.status = RunStatus::NotLinux;
    rule.status_detail = os_tags(rule.tags);
  } else if (rule.type != "eql" || rule.language != "eql") {
    rule.status = RunStatus::NotEql;
    rule.status_detail = rule.type != "eql" ? rule.type : "eql in " + (rule.language.empty() ? "no language" : rule.language);
  } else if (table.contains("event_category_override")) {
    // It makes another field play event.category's part: the query would not
    // mean what it says against auditeql's events.
    rule.status = RunStatus::Unsupported;
    rule.status_detail = "event_category_override";
  }
}

// The keys every rule type shares with auditeql's YAML rules.
void read_common_keys(const TomlFile& file, const toml::table& table, RuleDefinition& rule, Diagnostics& d) {
  if (auto v = file.string(table, "name", d)) rule.name = *v;
  if (auto v = file.string(table, "description", d)) rule.description = *v;
  if (auto v = file.string(table, "severity", d)) {
    if (auto severity = parse_severity(*v)) {
      rule.severity = *severity;
    } else {
      file.error(*table.get("severity"), "severity must be low, medium, high or critical", d);
    }
  }
  if (auto v = file.integer(table, "risk_score", 0, 100, d)) rule.risk_score = static_cast<int>(*v);
  if (auto v = file.integer(table, "max_signals", 1, 1000000, d)) rule.max_signals = static_cast<int>(*v);
  if (auto v = file.integer(table, "version", 1, INT32_MAX, d)) rule.version = static_cast<int>(*v);
  if (auto v = file.boolean(table, "enabled", d)) rule.enabled = *v;
  if (auto v = file.string(table, "license", d)) rule.license = *v;
  if (auto v = file.strings(table, "author", d)) rule.author = *v;
  if (auto v = file.strings(table, "tags", d)) rule.tags = *v;
  if (auto v = file.strings(table, "references", d)) rule.references = *v;
  if (table.contains("threat")) rule.threat = read_threat(file, table, d);
}

// type, language, query and building_block_type; false when the type is missing.
bool read_query_keys(const TomlFile& file, const toml::table& table, RuleDefinition& rule, Diagnostics& d) {
  rule.building_block = false;
  if (auto v = file.string(table, "building_block_type", d)) {
    if (*v == "default") {
      rule.building_block = true;
    } else {
      file.error(*table.get("building_block_type"), "building_block_type must be \"default\"", d);
    }
  }
  const auto type = file.string(table, "type", d);
  if (type) rule.type = *type;
  rule.language = file.string(table, "language", d).value_or(rule.type == "eql" ? "eql" : "");
  if (const toml::node* query = table.get("query")) {
    if (auto text = file.string(table, "query", d)) {
      rule.query = *text;
      rule.query_where = file.text_position(*query);
    }
  }
  return type.has_value();
}

void apply_rule(const TomlFile& file, const toml::table& table, const toml::table* metadata, RuleDefinition& rule,
                Diagnostics& d) {
  rule.file = file.path();
  file.warn_unknown_keys(table, kRuleKeys, kIgnoredRuleKeys, "[rule]", d);
  read_common_keys(file, table, rule, d);
  const bool has_type = read_query_keys(file, table, rule, d);
  std::vector<std::string> os_types;
  read_metadata(file, metadata, rule, os_types, d);
  classify(table, os_types, rule);

  // A TOML file is a whole rule, even when it overrides one loaded before.
  const SourceSpan at = file.span(table);
  const std::string label = "rule " + rule.id;
  if (!table.contains("name") || rule.name.empty()) file.error(at, label + " needs a 'name'", d);
  if (!has_type) file.error(at, label + " needs a 'type' (eql, query, new_terms, esql, ...)", d);
  if (rule.status == RunStatus::Runs && rule.query.find_first_not_of(" \t\r\n") == std::string::npos) {
    file.error(at, label + " needs a non-empty EQL 'query'", d);
  }
  if (rule.status == RunStatus::Unsupported) {
    file.warning(file.span(*table.get("event_category_override")),
                 label + " does not run: auditeql does not support event_category_override", d);
  }
  if (rule.status == RunStatus::Runs && table.contains("filters")) {
    file.warning(file.span(*table.get("filters")),
                 label + ": its Kibana 'filters' are not applied, so it may alert on events Elastic's would not", d);
  }
}

}  // namespace

const std::vector<std::string_view>& toml_ignored_rule_keys() { return kIgnoredRuleKeys; }
const std::vector<std::string_view>& toml_ignored_metadata_keys() { return kIgnoredMetadataKeys; }

void load_toml_rule_file(const std::string& path, LoadedRules& into, Diagnostics& d) {
  into.files.push_back(path);
  TomlFile file;
  if (!file.load(path, d)) return;
  const size_t errors_before = d.error_count();
  const toml::table& root = file.root();
  file.warn_unknown_keys(root, kFileKeys, kIgnoredFileKeys, "the file", d);
  const toml::table* table = root["rule"].as_table();
  if (table == nullptr) {
    d.error({path, 0, 0}, "not a detection-rules file: it has no [rule] table");
    return;
  }
  const toml::table* metadata = root["metadata"].as_table();
  if (metadata == nullptr && root.contains("metadata")) file.error(*root.get("metadata"), "[metadata] must be a table", d);
  const auto id = file.string(*table, "rule_id", d);
  if (!id || id->empty()) {
    file.error(*table, "rule needs a 'rule_id'", d);
    return;
  }
  merge_rule(into, *id, true, d, errors_before, [&](RuleDefinition& rule, bool) {
    apply_rule(file, *table, metadata, rule, d);
    // Written for Elastic Defend's (and Auditd Manager's) fields, as published.
    rule.schema = RuleSchema::Elastic;
  });
}

}  // namespace auditeql::rules
