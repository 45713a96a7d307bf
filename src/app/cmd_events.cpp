// `auditeql events`: normalized events as NDJSON, the pipeline up to stage 3.
#include <unistd.h>

#include <iostream>

#include "app/args.h"
#include "app/audit_rules.h"
#include "app/commands.h"
#include "normalize/pipeline.h"
#include "app/input.h"
#include "app/output.h"
#include "ecs/event_json.h"
#include "util/host.h"

namespace auditeql::app {
namespace {

constexpr const char* kEventsUsage = R"(Usage: auditeql events [OPTIONS] [FILE|-]...

Reads raw audit records (audit.log, `ausearch --raw` output or the plugin
stream) and prints each process start, file creation and rename as one line of
ECS JSON. Several files are read as one stream, in the order given; "-" or no
file reads standard input. A summary goes to standard error.

Options:
  --host-name NAME   host.name for records without a node= prefix
                     (default: this machine's name)
  --audit-rules FILE the audit rules the log was recorded with (repeatable),
                     to place files created relative to a directory fd in a
                     directory the log never names (see `auditeql replay
                     --help`). Default: /etc/audit/rules.d/*.rules, then
                     the bundled rules.
  --host-inodes      also learn the watched directories from this host's
                     file system (only for a log of this host)
  --help             show this help
)";

}  // namespace

int run_events(const std::vector<std::string>& args) {
  bool help = false;
  std::string host_name;
  AuditRulesSources audit_rules;
  ArgParser parser;
  parser.flag("--help", &help);
  parser.option("--host-name", &host_name);
  parser.repeated("--audit-rules", &audit_rules.files);
  parser.flag("--host-inodes", &audit_rules.host_inodes);
  std::vector<std::string> files;
  std::string error;
  if (!parser.parse(args, files, error)) {
    std::cerr << "auditeql events: " << error << "\n" << kEventsUsage;
    return 2;
  }
  if (help) {
    std::cout << kEventsUsage;
    return 0;
  }
  if (files.empty()) files.push_back("-");

  normalize::PipelineOptions options;
  options.normalizer.host_name = host_name.empty() ? util::local_host_name() : host_name;
  FdWriter out(STDOUT_FILENO);
  std::string line;
  normalize::EventPipeline pipeline(options, [&](const ecs::Event& event) {
    line.clear();
    ecs::append_event_json(line, event);
    out.line(line);
  });
  if (!configure_watches(audit_rules, pipeline.normalizer(), "events")) return 2;
  int status = 0;
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
