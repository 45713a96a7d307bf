#include "app/config.h"

#include <filesystem>

#include "rules/kind_audit_rules.h"
#include "rules/rule_loader.h"
#include "rules/yaml_source.h"
#include "sinks/syslog_sink.h"

namespace auditeql::app {
namespace {

const std::vector<std::string> kConfigKeys = {
    "rule_directories", "exception_directories", "syslog_facility", "max_alert_bytes", "throttle_window_seconds",
    "alert_file",       "process_table_size",    "inode_map_size",  "proc_lookup",     "host_name",
    "watched_directories", "queue_bytes",         "max_read_pause_ms", "health_alert_interval_seconds",
    "building_block_alerts", "audit_rules_costly", "join_max_events"};

// A configuration has about a dozen keys: past this many problems the file is
// most likely not a configuration at all (an audit log given to the plugin
// by mistake), and every further line would only flood the terminal and syslog.
constexpr size_t kConfigProblemsShown = 5;

// Audit records, raw or from ausearch: "[node=N ]type=T msg=audit(...): ...".
bool looks_like_audit_records(const rules::YamlSource& src) {
  for (uint32_t n = 1; n <= 10; ++n) {
    const std::string text = src.line(n);
    std::string_view line = text;
    if (line.rfind("node=", 0) == 0) {
      const size_t space = line.find(' ');
      line = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    }
    if (line.rfind("type=", 0) == 0 && line.find(" msg=audit(") != std::string_view::npos) return true;
  }
  return false;
}

std::string executable_path() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.string();
}

// A binary of this build tree (the program, a test suite, a benchmark), not
// an installed copy: /proc/self/exe has its symlinks resolved, so the build
// directory is compared resolved too.
bool in_build_tree(const std::filesystem::path& executable) {
  std::error_code ec;
  const auto build = std::filesystem::weakly_canonical(AUDITEQL_BUILD_DIR, ec);
  if (ec) return false;
  const auto rel = executable.lexically_relative(build);
  return !rel.empty() && *rel.begin() != "..";
}

// audit_rules_costly: true (every class), false, or a list of class names
// and absolute directories.
std::optional<std::vector<std::string>> read_costly(const rules::YamlSource& src, const YAML::Node& root,
                                                    rules::Diagnostics& d) {
  const YAML::Node value = root["audit_rules_costly"];
  if (!value || value.IsNull()) return std::nullopt;
  if (value.IsScalar()) {
    const auto all = src.boolean(root, "audit_rules_costly", d);
    if (!all) return std::nullopt;
    std::vector<std::string> classes;
    if (*all) classes.assign(rules::cost_class_names().begin(), rules::cost_class_names().end());
    return classes;
  }
  auto items = src.strings(root, "audit_rules_costly", d);
  if (!items) return std::nullopt;
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string& item = (*items)[i];
    if (rules::parse_cost_class(item) || (!item.empty() && item.front() == '/')) continue;
    std::string names;
    for (const auto name : rules::cost_class_names()) names += (names.empty() ? "" : ", ") + std::string(name);
    src.error(value[i], "unknown audit_rules_costly entry '" + item + "' (" + names + ", or an absolute directory)",
              d);
    return std::nullopt;
  }
  return items;
}

}  // namespace

std::string shipped_rules_dir(const std::string& executable) {
  // Without /proc (an unusual chroot): where the configured prefix puts them.
  if (executable.empty()) return AUDITEQL_INSTALLED_RULES_DIR;
  const std::filesystem::path exe(executable);
  const std::string beside = (exe.parent_path() / AUDITEQL_RULES_FROM_BINARY).lexically_normal().string();
  std::error_code ec;
  if (std::filesystem::is_directory(beside, ec)) return beside;
  // Only a binary of the build tree falls back to the source tree: an
  // installed one whose rules are missing must say so, not load other rules.
  if (in_build_tree(exe) && std::filesystem::is_directory(AUDITEQL_SOURCE_RULES_DIR, ec)) {
    return AUDITEQL_SOURCE_RULES_DIR;
  }
  return beside;
}

std::string shipped_rules_dir() { return shipped_rules_dir(executable_path()); }

Config default_config(const std::string& shipped) {
  Config c;
  c.rule_directories = {shipped, "/etc/auditeql/rules.d"};
  c.exception_directories = {"/etc/auditeql/exceptions.d"};
  c.watched_directories = {"/boot", "/usr/lib/dracut/modules.d", "/lib/dracut/modules.d"};
  c.syslog_facility_code = *sinks::parse_syslog_facility(c.syslog_facility);
  c.source = "(defaults)";
  return c;
}

namespace {

Config read_config(rules::YamlSource& src, const std::string& path, const std::string& shipped, rules::Diagnostics& d) {
  Config c = default_config(shipped);
  c.source = path;
  if (!src.load(path, d)) return c;
  const YAML::Node& root = src.root();
  if (root.IsNull()) return c;  // an empty file keeps every default
  if (!root.IsMap()) {
    src.error(root, "the configuration must be a map of key: value", d);
    return c;
  }
  src.reject_unknown_keys(root, kConfigKeys, d);
  if (auto v = src.strings(root, "rule_directories", d)) c.rule_directories = *v;
  if (auto v = src.strings(root, "exception_directories", d)) c.exception_directories = *v;
  if (auto v = src.strings(root, "watched_directories", d)) c.watched_directories = *v;
  if (auto v = src.string(root, "syslog_facility", d)) {
    if (auto code = sinks::parse_syslog_facility(*v)) {
      c.syslog_facility = *v;
      c.syslog_facility_code = *code;
    } else {
      src.error(root["syslog_facility"], "unknown syslog facility '" + *v + "' (authpriv, auth, daemon, user, local0..local7)", d);
    }
  }
  if (auto v = src.integer(root, "max_alert_bytes", kMinAlertBytes, kMaxAlertBytes, d)) c.max_alert_bytes = static_cast<size_t>(*v);
  if (auto v = src.integer(root, "throttle_window_seconds", 1, 86400, d)) c.throttle_window_seconds = *v;
  if (auto v = src.string(root, "alert_file", d)) c.alert_file = *v;
  if (auto v = src.integer(root, "process_table_size", 64, 1 << 24, d)) c.process_table_size = static_cast<size_t>(*v);
  if (auto v = src.integer(root, "inode_map_size", 64, 1 << 24, d)) c.inode_map_size = static_cast<size_t>(*v);
  if (auto v = src.boolean(root, "proc_lookup", d)) c.proc_lookup = *v;
  if (auto v = src.string(root, "host_name", d)) c.host_name = *v;
  if (auto v = src.integer(root, "queue_bytes", 1 << 20, int64_t{1} << 32, d)) c.queue_bytes = static_cast<size_t>(*v);
  if (auto v = src.integer(root, "max_read_pause_ms", 0, 50, d)) c.max_read_pause_ms = *v;
  if (auto v = src.integer(root, "health_alert_interval_seconds", 1, 86400, d)) c.health_alert_interval_seconds = *v;
  if (auto v = src.boolean(root, "building_block_alerts", d)) c.building_block_alerts = *v;
  if (auto v = src.integer(root, "join_max_events", 256, 1 << 24, d)) c.join_max_events = static_cast<size_t>(*v);
  if (auto v = read_costly(src, root, d)) c.audit_rules_costly = *v;
  if (!c.alert_file.empty() && c.alert_file.front() != '/') {
    src.error(root["alert_file"], "alert_file must be an absolute path", d);
    c.alert_file.clear();
  }
  return c;
}

}  // namespace

Config load_config(const std::string& path, const std::string& shipped, rules::Diagnostics& d) {
  rules::YamlSource src;
  rules::Diagnostics found;
  Config c = read_config(src, path, shipped, found);
  d.append_first(found, kConfigProblemsShown);
  if (found.has_errors() && looks_like_audit_records(src)) {
    d.note({path, 0, 0}, "this looks like an audit log, not a configuration; to run it through the rules: auditeql replay " + path);
  }
  return c;
}

Config load_plugin_config(const std::string& path, const std::string& shipped, rules::Diagnostics& d) {
  if (const std::string problem = rules::insecure_path_problem(path); !problem.empty()) {
    d.error({path, 0, 0}, "refusing to load: " + problem + " (running with the default configuration)");
    // Read anyway: its other problems (a directory, bad keys) are worth
    // reporting in the same pass.
    load_config(path, shipped, d);
    return default_config(shipped);
  }
  std::error_code ec;
  if (path == kDefaultConfigPath && !std::filesystem::exists(path, ec)) return default_config(shipped);
  return load_config(path, shipped, d);
}

}  // namespace auditeql::app
