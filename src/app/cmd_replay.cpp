// `auditeql replay`: the whole pipeline over recorded audit logs; alerts as
// NDJSON on stdout, exactly as the plugin would have raised them.
#include <unistd.h>

#include <iostream>
#include <sstream>

#include "app/audit_rules.h"
#include "app/commands.h"
#include "app/config.h"
#include "app/detector.h"
#include "app/input.h"
#include "app/options.h"
#include "app/rule_setup.h"
#include "normalize/pipeline.h"
#include "sinks/file_sink.h"
#include "util/host.h"
#include "util/text.h"

namespace auditeql::app {
namespace {

constexpr const char* kReplayIntro = R"(Usage: auditeql replay [OPTIONS] [FILE|-]...

Replays raw audit records (audit.log, or `ausearch --raw` output) through the
rules and prints each alert as one line of ECS JSON on standard output: the
alerts the plugin would have raised live. A summary (events, alerts per rule,
skipped records, unknown parents, inferred paths) goes to standard error.

  ausearch --raw -ts today | auditeql replay -
)";

constexpr const char* kReplayOutro = "Exit status: 0 success, 1 an input could not be read, 2 usage or rule errors.\n";

std::string summary(const Detector& detector, const normalize::PipelineStats& stats) {
  std::ostringstream out;
  out << "auditeql replay: " << describe(stats) << "\n";
  out << "auditeql replay: " << detector.events() << " events checked against " << describe_rules(detector.ruleset())
      << ", " << detector.alerts() << " alerts\n";
  const JoinTotals j = detector.join_totals();
  if (j.rules > 0) {
    out << "auditeql replay: " << util::counted(j.rules, "sequence or sample rule") << ": " << j.completed
        << " completed, " << j.expired << " expired, " << j.evicted << " evicted, " << j.ended_by_until
        << " ended by until, " << util::counted(j.late, "late event") << "; at the end " << util::counted(j.keys, "join key")
        << " and " << util::counted(j.events_held, "event") << " held (" << (j.memory_bytes + 1023) / 1024 << " KiB)\n";
  }
  for (const auto& [id, t] : detector.tally()) {
    out << "  " << t.name << " (" << id << "): " << t.alerts << " alerts";
    if (t.throttled > 0) out << ", " << t.throttled << " throttled";
    if (t.suppressed > 0) out << ", " << t.suppressed << " suppressed by exceptions";
    if (t.building_block > 0) out << ", " << t.building_block << " building-block alerts not shown (building_block_alerts)";
    if (t.expired > 0) out << ", " << t.expired << " expired";
    if (t.evicted > 0) out << ", " << t.evicted << " evicted";
    out << "\n";
  }
  return out.str();
}

}  // namespace

int run_replay(const std::vector<std::string>& args) {
  AuditRulesSources audit_rules;
  std::vector<std::string> rule_dirs, exception_dirs, files;
  std::string config_path, host_name, host_id;
  std::optional<uint64_t> max_alert_bytes;
  CommandLine cli("replay", kReplayIntro, kReplayOutro);
  cli.texts("rules", "DIR", &rule_dirs,
            "load rules from DIR (repeatable; later directories override earlier ones by rule id). Default: the "
            "rules of the configuration, else the shipped rules.")
      .texts("exceptions", "DIR", &exception_dirs, "load exceptions from DIR (repeatable)")
      .text("config", "FILE", &config_path, "take rule/exception directories and limits from FILE")
      .text("host-name", "NAME", &host_name, "host.name for records without a node= prefix")
      .text("host-id", "ID", &host_id,
            "host.id for records without a node= prefix, or whose node= is the host name (default: this machine's "
            "/etc/machine-id); records of other nodes get their node name. process.entity_id is derived from it.")
      .number("max-alert-bytes", "N", &max_alert_bytes, kMinAlertBytes, kMaxAlertBytes,
              "shorten alerts longer than N bytes; without it, no limit")
      .texts("audit-rules", "FILE", &audit_rules.files,
             "the audit rules the log was recorded with (repeatable): a file created relative to a directory fd in a directory the log never names is placed under the directory watched by the rule of its audit key, and marked auditeql.file_path_inferred. Default: every /etc/audit/rules.d/*.rules, then the bundled rules.")
      .flag("host-inodes", &audit_rules.host_inodes,
            "also learn the directories of the watched trees from this host's file system, as the plugin does. Only for a log of this host: inode numbers of another host, or of directories since replaced, give wrong paths.")
      .arguments(&files);
  if (const auto status = cli.parse(args)) return *status;
  if (files.empty()) files.push_back("-");

  const std::string shipped = shipped_rules_dir();
  Config config = default_config(shipped);
  if (!config_path.empty()) {
    rules::Diagnostics d;
    config = load_config(config_path, shipped, d);
    if (d.has_errors()) {
      std::cerr << d.format();
      return 2;
    }
  } else {
    // Without a configuration: the shipped rules, no local additions.
    config.rule_directories = {shipped};
    config.exception_directories.clear();
  }
  if (!rule_dirs.empty()) config.rule_directories = rule_dirs;
  if (!exception_dirs.empty()) config.exception_directories = exception_dirs;
  if (!host_name.empty()) config.host_name = host_name;
  // Directories named on the command line must exist; a configuration's
  // local directories may be absent.
  const bool all_required = config_path.empty() || !rule_dirs.empty() || !exception_dirs.empty();

  RuleSetup setup = load_ruleset(config.rule_directories, config.exception_directories, all_required, false);
  if (!setup.diagnostics.all().empty()) std::cerr << setup.diagnostics.format();
  if (setup.diagnostics.has_errors()) {
    std::cerr << "auditeql replay: rules failed to load (" << util::counted(setup.diagnostics.error_count(), "error")
              << ")\n";
    return 2;
  }

  alerts::AlertOptions alert_options;
  if (max_alert_bytes) alert_options.max_bytes = *max_alert_bytes;
  Detector detector(setup.ruleset, {alert_options, config.throttle_window_seconds * 1000, config.building_block_alerts,
                                    config.join_max_events});
  sinks::StreamSink out(STDOUT_FILENO);
  detector.add_sink(&out);

  const normalize::PipelineOptions options =
      pipeline_options(config.host_name.empty() ? util::local_host_name() : config.host_name, host_id,
                       config.process_table_size, config.inode_map_size);
  normalize::EventPipeline pipeline(options, [&](const ecs::Event& event) { detector.on_event(event); });
  if (!configure_watches(audit_rules, pipeline.normalizer(), "replay")) return 2;
  int status = 0;
  std::string error;
  for (const auto& file : files) {
    if (!feed_input(file, pipeline, error)) {
      std::cerr << "auditeql replay: " << error << "\n";
      status = 1;
    }
  }
  pipeline.finish();
  detector.finish();
  out.flush();
  std::cerr << summary(detector, pipeline.stats());
  return out.ok() ? status : 1;
}

}  // namespace auditeql::app
