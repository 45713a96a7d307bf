#include "rules/rule_loader.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>

#include "rules/ruleset.h"
#include "rules/toml_rule.h"
#include "rules/yaml_source.h"

namespace auditeql::rules {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kRuleKeys = {"id",         "name",        "description", "ruleset", "severity",
                                            "risk_score", "max_signals", "enabled",     "tags",    "references",
                                            "threat",     "query",       "exceptions",  "version", "license",
                                            "author",      "schema"};
const std::vector<std::string> kExceptionKeys = {"rule_id", "description", "condition"};
const std::vector<std::string> kInlineExceptionKeys = {"description", "condition"};

std::optional<AttackReference> read_attack_reference(const YamlSource& src, const YAML::Node& node, const char* what,
                                                     Diagnostics& d) {
  if (!node.IsMap()) {
    src.error(node, std::string(what) + " must be a map with id, name and reference", d);
    return std::nullopt;
  }
  src.reject_unknown_keys(node, {"id", "name", "reference", "subtechnique"}, d);
  AttackReference ref;
  const auto id = src.string(node, "id", d);
  if (!id) {
    src.error(node, std::string(what) + " needs an id", d);
    return std::nullopt;
  }
  ref.id = *id;
  ref.name = src.string(node, "name", d).value_or("");
  ref.reference = src.string(node, "reference", d).value_or("");
  return ref;
}

bool read_threat(const YamlSource& src, const YAML::Node& list, std::vector<ThreatMapping>& out, Diagnostics& d) {
  if (!list.IsSequence()) {
    src.error(list, "'threat' must be a list of {framework, tactic, technique}", d);
    return false;
  }
  const size_t errors_before = d.error_count();
  for (const auto& entry : list) {
    if (!entry.IsMap()) {
      src.error(entry, "each threat entry must be a map", d);
      continue;
    }
    src.reject_unknown_keys(entry, {"framework", "tactic", "technique"}, d);
    ThreatMapping mapping;
    mapping.framework = src.string(entry, "framework", d).value_or("MITRE ATT&CK");
    if (!entry["tactic"]) {
      src.error(entry, "threat entry needs a tactic", d);
      continue;
    }
    if (auto tactic = read_attack_reference(src, entry["tactic"], "tactic", d)) mapping.tactic = *tactic;
    if (const YAML::Node techniques = entry["technique"]; techniques && !techniques.IsNull()) {
      if (!techniques.IsSequence()) {
        src.error(techniques, "'technique' must be a list", d);
        continue;
      }
      for (const auto& t : techniques) {
        auto technique = read_attack_reference(src, t, "technique", d);
        if (!technique) continue;
        AttackTechnique item{*technique, {}};
        if (const YAML::Node subs = t.IsMap() ? t["subtechnique"] : YAML::Node(); subs && !subs.IsNull()) {
          if (!subs.IsSequence()) {
            src.error(subs, "'subtechnique' must be a list", d);
          } else {
            for (const auto& s : subs) {
              if (auto sub = read_attack_reference(src, s, "subtechnique", d)) item.subtechniques.push_back(*sub);
            }
          }
        }
        mapping.techniques.push_back(std::move(item));
      }
    }
    out.push_back(std::move(mapping));
  }
  return d.error_count() == errors_before;
}

// An exception given as a string (just the condition) or as a map.
std::optional<ExceptionDefinition> read_exception(const YamlSource& src, const YAML::Node& node,
                                                  const std::vector<std::string>& keys, Diagnostics& d) {
  ExceptionDefinition ex;
  // Initialized, never assigned: assigning the invalid node that looking up
  // a missing key in a const map gives throws YAML::InvalidNode.
  const YAML::Node condition = node.IsMap() ? node["condition"] : node;
  if (node.IsMap()) {
    src.reject_unknown_keys(node, keys, d);
    if (std::find(keys.begin(), keys.end(), "rule_id") != keys.end()) {
      const auto rule_id = src.string(node, "rule_id", d);
      if (!rule_id || rule_id->empty()) {
        src.error(node, "exception needs a rule_id", d);
        return std::nullopt;
      }
      ex.rule_id = *rule_id;
    }
    ex.description = src.string(node, "description", d).value_or("");
  } else if (!node.IsScalar()) {
    src.error(node, "an exception must be a condition string or a map with a condition", d);
    return std::nullopt;
  }
  if (!condition || !condition.IsScalar() || condition.Scalar().find_first_not_of(" \t\r\n") == std::string::npos) {
    src.error(condition ? condition : node, "exception needs a non-empty EQL condition", d);
    return std::nullopt;
  }
  ex.condition = condition.Scalar();
  ex.where = src.text_position(condition);
  return ex;
}

void apply_rule_keys(const YamlSource& src, const YAML::Node& root, RuleDefinition& rule, Diagnostics& d) {
  if (auto v = src.string(root, "name", d)) rule.name = *v;
  if (auto v = src.string(root, "description", d)) rule.description = *v;
  if (auto v = src.string(root, "ruleset", d)) rule.ruleset = *v;
  if (auto v = src.string(root, "severity", d)) {
    if (auto severity = parse_severity(*v)) {
      rule.severity = *severity;
    } else {
      src.error(root["severity"], "severity must be low, medium, high or critical", d);
    }
  }
  if (auto v = src.integer(root, "risk_score", 0, 100, d)) rule.risk_score = static_cast<int>(*v);
  if (auto v = src.integer(root, "max_signals", 1, 1000000, d)) rule.max_signals = static_cast<int>(*v);
  if (auto v = src.boolean(root, "enabled", d)) rule.enabled = *v;
  if (auto v = src.string(root, "schema", d)) {
    if (*v == "ecs") {
      rule.schema = RuleSchema::Ecs;
    } else if (*v == "elastic") {
      rule.schema = RuleSchema::Elastic;
    } else {
      src.error(root["schema"], "schema must be ecs (the default) or elastic (the query is Elastic's, written for "
                                "Elastic Defend's, Auditd Manager's and Kubernetes audit fields too)", d);
    }
  }
  if (auto v = src.strings(root, "tags", d)) rule.tags = *v;
  if (auto v = src.strings(root, "references", d)) rule.references = *v;
  if (auto v = src.integer(root, "version", 1, INT32_MAX, d)) rule.version = static_cast<int>(*v);
  if (auto v = src.string(root, "license", d)) rule.license = *v;
  if (auto v = src.strings(root, "author", d)) rule.author = *v;
  if (const YAML::Node threat = root["threat"]; threat && !threat.IsNull()) {
    std::vector<ThreatMapping> mappings;
    if (read_threat(src, threat, mappings, d)) rule.threat = std::move(mappings);
  }
  if (const YAML::Node query = root["query"]) {
    if (!query.IsScalar() || query.Scalar().find_first_not_of(" \t\r\n") == std::string::npos) {
      src.error(query, "'query' must be a non-empty EQL query", d);
    } else {
      rule.query = query.Scalar();
      rule.query_where = src.text_position(query);
    }
  }
  if (const YAML::Node exceptions = root["exceptions"]; exceptions && !exceptions.IsNull()) {
    if (!exceptions.IsSequence()) {
      src.error(exceptions, "'exceptions' must be a list", d);
    } else {
      // Added to any the rule already has: a local file adds exceptions, it
      // does not silently drop the shipped ones.
      for (const auto& item : exceptions) {
        if (auto ex = read_exception(src, item, kInlineExceptionKeys, d)) {
          ex->rule_id = rule.id;
          rule.exceptions.push_back(std::move(*ex));
        }
      }
    }
  }
}

enum class FileKind { Yaml, Toml, Other };

FileKind file_kind(const fs::path& p) {
  const auto ext = p.extension().string();
  if (ext == ".yaml" || ext == ".yml") return FileKind::Yaml;
  if (ext == ".toml") return FileKind::Toml;
  return FileKind::Other;
}

bool refused(const std::string& path, bool require_root_owned, Diagnostics& d) {
  if (!require_root_owned) return false;
  const std::string problem = insecure_path_problem(path);
  if (problem.empty()) return false;
  d.error({path, 0, 0}, "refusing to load: " + problem);
  return true;
}

// The files of `dir` in name order that are of a kind in `read`. Everything
// else in it is reported: a rule left in the wrong place, or under the
// wrong name, must not be missed silently.
std::vector<std::string> files_in(const std::string& dir, const std::vector<FileKind>& read,
                                  bool require_root_owned, Diagnostics& d) {
  if (refused(dir, require_root_owned, d)) return {};
  const bool reads_toml = std::find(read.begin(), read.end(), FileKind::Toml) != read.end();
  const std::string expected = reads_toml ? "*.yaml, *.yml or *.toml" : "*.yaml or *.yml";
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (const auto& entry : fs::directory_iterator(dir, ec)) entries.push_back(entry);
  if (ec) d.error({dir, 0, 0}, "cannot list directory: " + ec.message());
  std::sort(entries.begin(), entries.end());
  std::vector<std::string> files;
  for (const auto& entry : entries) {
    const std::string path = entry.path().string();
    if (entry.is_directory(ec)) {
      d.warning({path, 0, 0}, "not read: a subdirectory (rule and exception directories are not read recursively)");
    } else if (std::find(read.begin(), read.end(), file_kind(entry.path())) == read.end()) {
      d.warning({path, 0, 0}, "not read: not a " + expected + " file");
    } else {
      files.push_back(path);
    }
  }
  return files;
}

bool directory_exists(const RuleDirectory& dir, Diagnostics& d) {
  std::error_code ec;
  if (fs::is_directory(dir.path, ec)) return true;
  if (!dir.optional) d.error({dir.path, 0, 0}, fs::exists(dir.path) ? "not a directory" : "no such directory");
  return false;
}

const std::vector<FileKind> kRuleFileKinds = {FileKind::Yaml, FileKind::Toml};
const std::vector<FileKind> kExceptionFileKinds = {FileKind::Yaml};

// The directories of rule files that `dir` stands for: itself, or for the
// root of a detection-rules checkout, the directories of it that hold Linux rules.
std::vector<std::string> rule_directories_of(const RuleDirectory& dir, bool require_root_owned, Diagnostics& d) {
  if (!is_detection_rules_checkout(dir.path)) return {dir.path};
  if (refused(dir.path, require_root_owned, d)) return {};
  std::vector<std::string> dirs;
  for (const char* relative : kCheckoutRuleDirectories) {
    const std::string path = (fs::path(dir.path) / relative).string();
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      dirs.push_back(path);
    } else {
      d.warning({path, 0, 0}, "not found in the detection-rules checkout " + dir.path);
    }
  }
  return dirs;
}

}  // namespace

std::string insecure_path_problem(const std::string& path) {
  if (geteuid() != 0) return {};  // only root's view matters: the plugin runs as root
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return {};
  if (st.st_uid != 0) return "owned by uid " + std::to_string(st.st_uid) + ", not root";
  if ((st.st_mode & S_IWOTH) != 0) {
    char mode[8];
    snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return std::string("writable by every user (mode ") + mode + ")";
  }
  if ((st.st_mode & S_IWGRP) != 0 && st.st_gid != 0) {
    return "writable by group " + std::to_string(st.st_gid);
  }
  return {};
}

bool is_detection_rules_checkout(const std::string& dir) {
  std::error_code ec;
  return fs::is_directory(fs::path(dir) / "rules" / "linux", ec);
}

void merge_rule(LoadedRules& into, const std::string& id, bool sets_query, Diagnostics& d, size_t errors_before,
                const std::function<void(RuleDefinition& rule, bool is_override)>& apply) {
  auto existing = std::find_if(into.rules.begin(), into.rules.end(), [&](const RuleDefinition& r) { return r.id == id; });
  const bool is_override = existing != into.rules.end();
  RuleDefinition rule = is_override ? *existing : RuleDefinition{};
  rule.id = id;
  apply(rule, is_override);
  if (d.error_count() == errors_before) rule_compiles(rule, sets_query, d);
  if (d.error_count() != errors_before) {
    // The file applies whole or not at all: a refused override leaves the
    // rule as it was (a refused `enabled: false` leaves it enabled).
    if (is_override) {
      d.warning({rule.file, 0, 0}, "not applied: rule " + rule.id + " (" + existing->name +
                                       ") keeps its definition from " + existing->file);
    } else {
      d.warning({rule.file, 0, 0}, "not loaded: rule " + rule.id + " does not run");
    }
    return;
  }
  if (is_override) {
    *existing = std::move(rule);
  } else {
    into.rules.push_back(std::move(rule));
  }
}

void load_rule_file(const std::string& path, LoadedRules& into, Diagnostics& d) {
  if (file_kind(path) == FileKind::Toml) {
    load_toml_rule_file(path, into, d);
    return;
  }
  into.files.push_back(path);
  YamlSource src;
  if (!src.load(path, d)) return;
  const YAML::Node& root = src.root();
  if (!root.IsMap()) {
    src.error(root, "a rule file must be a map with at least id, name and query", d);
    return;
  }
  const size_t errors_before = d.error_count();
  src.reject_unknown_keys(root, kRuleKeys, d);
  const auto id = src.string(root, "id", d);
  if (!id || id->empty()) {
    src.error(root, "rule needs an 'id'", d);
    return;
  }
  merge_rule(into, *id, static_cast<bool>(root["query"]), d, errors_before, [&](RuleDefinition& rule, bool is_override) {
    rule.file = path;
    apply_rule_keys(src, root, rule, d);
    if (!is_override) {
      if (rule.name.empty()) src.error(root, "rule " + rule.id + " needs a 'name'", d);
      if (rule.query.empty() && !root["query"]) src.error(root, "rule " + rule.id + " needs a 'query'", d);
    }
  });
}

void load_exception_file(const std::string& path, LoadedRules& into, Diagnostics& d) {
  into.files.push_back(path);
  YamlSource src;
  if (!src.load(path, d)) return;
  const size_t errors_before = d.error_count();
  const YAML::Node root = src.root();
  if (root.IsMap()) src.reject_unknown_keys(root, {"exceptions"}, d);
  // Initialized, never assigned: yaml-cpp's Node assignment rewrites the
  // document node instead of rebinding the variable.
  const YAML::Node list = root.IsMap() ? root["exceptions"] : root;
  if (!list || list.IsNull()) return;  // an empty file is fine
  if (!list.IsSequence()) {
    src.error(list, "expected a list of exceptions ({rule_id, condition, description})", d);
    return;
  }
  std::vector<ExceptionDefinition> exceptions;
  for (const auto& item : list) {
    if (!item.IsMap()) {
      src.error(item, "each exception must be a map with rule_id and condition", d);
      continue;
    }
    auto ex = read_exception(src, item, kExceptionKeys, d);
    if (!ex) continue;
    const auto rule = std::find_if(into.rules.begin(), into.rules.end(),
                                   [&](const RuleDefinition& r) { return r.id == ex->rule_id; });
    exception_compiles(*ex, rule == into.rules.end() ? nullptr : &*rule, d);
    exceptions.push_back(std::move(*ex));
  }
  if (d.error_count() != errors_before) {
    // All or nothing, like a rule file: its rules alert without any of them.
    d.warning({path, 0, 0}, "not applied: none of the exceptions in this file apply");
    return;
  }
  for (auto& ex : exceptions) into.exceptions.push_back(std::move(ex));
}

LoadedRules load_rule_sources(const RuleSources& sources, Diagnostics& d) {
  LoadedRules loaded;
  const bool root_only = sources.require_root_owned;
  for (const auto& dir : sources.rule_dirs) {
    if (!directory_exists(dir, d)) continue;
    for (const auto& path : rule_directories_of(dir, root_only, d)) {
      loaded.directories.push_back(path);
      for (const auto& file : files_in(path, kRuleFileKinds, root_only, d)) {
        if (!refused(file, root_only, d)) load_rule_file(file, loaded, d);
      }
    }
  }
  for (const auto& dir : sources.exception_dirs) {
    if (!directory_exists(dir, d)) continue;
    for (const auto& file : files_in(dir.path, kExceptionFileKinds, root_only, d)) {
      if (!refused(file, root_only, d)) load_exception_file(file, loaded, d);
    }
  }
  return loaded;
}

}  // namespace auditeql::rules
