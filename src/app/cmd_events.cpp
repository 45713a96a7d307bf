// `auditeql events`: normalized events as NDJSON, the pipeline up to stage 3.
#include <unistd.h>

#include <iostream>

#include "app/audit_rules.h"
#include "app/commands.h"
#include "app/config.h"
#include "normalize/pipeline.h"
#include "app/input.h"
#include "app/options.h"
#include "app/output.h"
#include "ecs/fields.h"
#include "util/host.h"

namespace auditeql::app {
namespace {

constexpr const char* kEventsIntro = R"(Usage: auditeql events [OPTIONS] [FILE|-]...

Reads raw audit records (audit.log, `ausearch --raw` output or the plugin
stream) and prints each normalized event as one line of ECS JSON: process
starts, file creations, renames and deletions, connection attempts and
accepted connections, uid, gid and session changes, module loads, process
ends, signals and prctl calls (see `man auditeql`, EVENTS). Several files are
read as one stream, in the order given; "-" or no file reads standard input. A
summary goes to standard error.
)";

}  // namespace

int run_events(const std::vector<std::string>& args) {
  std::string host_name, host_id;
  AuditRulesSources audit_rules;
  std::vector<std::string> files;
  CommandLine cli("events", kEventsIntro);
  cli.text("host-name", "NAME", &host_name, "host.name for records without a node= prefix (default: this machine's name)")
      .text("host-id", "ID", &host_id,
            "host.id for records without a node= prefix, or whose node= is the host name (default: this machine's "
            "/etc/machine-id); records of other nodes get their node name")
      .texts("audit-rules", "FILE", &audit_rules.files,
             "the audit rules the log was recorded with (repeatable), to place files created relative to a directory "
             "fd in a directory the log never names (see `auditeql replay --help`). Default: "
             "/etc/audit/rules.d/*.rules, then the bundled rules.")
      .flag("host-inodes", &audit_rules.host_inodes,
            "also learn the watched directories from this host's file system (only for a log of this host)")
      .arguments(&files);
  if (const auto status = cli.parse(args)) return *status;
  if (files.empty()) files.push_back("-");

  const Config defaults = default_config(shipped_rules_dir());
  const normalize::PipelineOptions options = pipeline_options(host_name.empty() ? util::local_host_name() : host_name,
                                                              host_id, defaults.process_table_size,
                                                              defaults.inode_map_size);
  FdWriter out(STDOUT_FILENO);
  std::string line;
  normalize::EventPipeline pipeline(options, [&](const ecs::Event& event) {
    line.clear();
    ecs::append_event_json(line, event);
    out.line(line);
  });
  if (!configure_watches(audit_rules, pipeline.normalizer(), "events")) return 2;
  int status = 0;
  std::string error;
  for (const auto& file : files) {
    if (!feed_input(file, pipeline, error)) {
      std::cerr << "auditeql events: " << error << "\n";
      status = 1;
    }
  }
  pipeline.finish();
  out.flush();
  std::cerr << "auditeql events: " << describe(pipeline.stats()) << "\n";
  if (!out.ok()) return 1;
  return status;
}

}  // namespace auditeql::app
