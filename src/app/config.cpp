#include "app/config.h"

#include <unistd.h>

#include <filesystem>

#include "rules/rule_loader.h"
#include "rules/yaml_source.h"
#include "sinks/syslog_sink.h"

namespace auditeql::app {
namespace {

const std::vector<std::string> kConfigKeys = {
    "rule_directories", "exception_directories", "syslog_facility", "max_alert_bytes", "throttle_window_seconds",
    "alert_file",       "process_table_size",    "inode_map_size",  "proc_lookup",     "host_name",
    "watched_directories", "queue_bytes",         "max_read_pause_ms", "building_block_alerts"};

std::string executable_path() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.string();
}

}  // namespace

std::string shipped_rules_dir() {
  const std::string installed = AUDITEQL_INSTALLED_RULES_DIR;
  const std::string source = AUDITEQL_SOURCE_RULES_DIR;
  const std::string prefix = AUDITEQL_INSTALL_PREFIX;
  const std::string exe = executable_path();
  std::error_code ec;
  const bool installed_binary = !exe.empty() && exe.rfind(prefix + "/", 0) == 0;
  if (!installed_binary && std::filesystem::is_directory(source, ec)) return source;
  return installed;
}

Config default_config(const std::string& shipped) {
  Config c;
  c.rule_directories = {shipped, "/etc/auditeql/rules.d"};
  c.exception_directories = {"/etc/auditeql/exceptions.d"};
  c.watched_directories = {"/boot", "/usr/lib/dracut/modules.d", "/lib/dracut/modules.d"};
  c.syslog_facility_code = *sinks::parse_syslog_facility(c.syslog_facility);
  c.source = "(defaults)";
  return c;
}

Config load_config(const std::string& path, const std::string& shipped, rules::Diagnostics& d) {
  Config c = default_config(shipped);
  c.source = path;
  rules::YamlSource src;
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
  if (auto v = src.integer(root, "max_alert_bytes", 1024, 1 << 20, d)) c.max_alert_bytes = static_cast<size_t>(*v);
  if (auto v = src.integer(root, "throttle_window_seconds", 1, 86400, d)) c.throttle_window_seconds = *v;
  if (auto v = src.string(root, "alert_file", d)) c.alert_file = *v;
  if (auto v = src.integer(root, "process_table_size", 64, 1 << 24, d)) c.process_table_size = static_cast<size_t>(*v);
  if (auto v = src.integer(root, "inode_map_size", 64, 1 << 24, d)) c.inode_map_size = static_cast<size_t>(*v);
  if (auto v = src.boolean(root, "proc_lookup", d)) c.proc_lookup = *v;
  if (auto v = src.string(root, "host_name", d)) c.host_name = *v;
  if (auto v = src.integer(root, "queue_bytes", 1 << 20, int64_t{1} << 32, d)) c.queue_bytes = static_cast<size_t>(*v);
  if (auto v = src.integer(root, "max_read_pause_ms", 0, 50, d)) c.max_read_pause_ms = *v;
  if (auto v = src.boolean(root, "building_block_alerts", d)) c.building_block_alerts = *v;
  if (!c.alert_file.empty() && c.alert_file.front() != '/') {
    src.error(root["alert_file"], "alert_file must be an absolute path", d);
  }
  return c;
}

}  // namespace auditeql::app
