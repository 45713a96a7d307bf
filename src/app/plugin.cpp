#include "app/plugin.h"

#include <auparse.h>
#include <signal.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <sstream>

#include "app/commands.h"
#include "app/config.h"
#include "app/detector.h"
#include "app/input_reader.h"
#include "app/rule_setup.h"
#include "normalize/pipeline.h"
#include "normalize/procfs.h"
#include "rules/rule_loader.h"
#include "sinks/file_sink.h"
#include "sinks/syslog_sink.h"
#include "util/host.h"

namespace auditeql::app {
namespace {

std::atomic<bool> g_terminate{false};
std::atomic<bool> g_reload{false};
std::atomic<bool> g_stats{false};

void on_signal(int sig) {
  if (sig == SIGHUP) g_reload = true;
  else if (sig == SIGUSR1) g_stats = true;
  else g_terminate = true;
}

void install_signal_handlers() {
  // auditd hands its plugins SIGTERM, SIGHUP and SIGUSR1 ignored: set them explicitly.
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGUSR1}) sigaction(sig, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  sigset_t unblock;
  sigemptyset(&unblock);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGUSR1}) sigaddset(&unblock, sig);
  sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
}

int64_t wall_ms() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void report(const rules::Diagnostics& d) {
  for (const auto& item : d.all()) {
    sinks::status(item.level == rules::Diagnostic::Level::Error ? LOG_ERR : LOG_WARNING, item.format());
  }
}

// The whole syslog line must fit: leave room for "<pri>timestamp auditeql[pid]: ".
constexpr size_t kSyslogHeaderAllowance = 192;

DetectorOptions detector_options(const Config& c) {
  DetectorOptions options;
  options.alert.max_bytes =
      c.max_alert_bytes > kSyslogHeaderAllowance ? c.max_alert_bytes - kSyslogHeaderAllowance : c.max_alert_bytes;
  options.throttle_window_ms = c.throttle_window_seconds * 1000;
  options.building_block_alerts = c.building_block_alerts;
  return options;
}

class Plugin {
 public:
  explicit Plugin(std::string config_path) : config_path_(std::move(config_path)) {}
  int run();

 private:
  bool load_config(Config& out, rules::Diagnostics& d) const;
  void open_sinks();
  void attach_sinks();
  void reload();
  void log_stats(const char* why);
  void feed(std::deque<InputChunk>& chunks);

  std::string config_path_;
  Config config_;
  std::unique_ptr<sinks::SyslogSink> syslog_;
  std::unique_ptr<sinks::FileSink> file_;
  std::unique_ptr<Detector> detector_;
  std::unique_ptr<normalize::EventPipeline> pipeline_;
  std::unique_ptr<InputReader> reader_;
  normalize::ProcProcessSource proc_;
  uint64_t reloads_ = 0;
  uint64_t failed_reloads_ = 0;
};

bool Plugin::load_config(Config& out, rules::Diagnostics& d) const {
  const std::string shipped = shipped_rules_dir();
  if (const std::string problem = rules::insecure_path_problem(config_path_); !problem.empty()) {
    d.error({config_path_, 0, 0}, "refusing to load: " + problem);
    return false;
  }
  if (access(config_path_.c_str(), F_OK) != 0 && config_path_ == kDefaultConfigPath) {
    out = default_config(shipped);  // no configuration file: the defaults
    return true;
  }
  out = app::load_config(config_path_, shipped, d);
  return !d.has_errors();
}

void Plugin::open_sinks() {
  syslog_ = std::make_unique<sinks::SyslogSink>(config_.syslog_facility_code);
  file_.reset();
  if (!config_.alert_file.empty()) {
    try {
      file_ = std::make_unique<sinks::FileSink>(config_.alert_file);
    } catch (const std::exception& e) {
      sinks::status(LOG_ERR, std::string("alert_file: ") + e.what() + " (alerts still go to syslog)");
    }
  }
}

void Plugin::attach_sinks() {
  std::vector<sinks::AlertSink*> sinks{syslog_.get()};
  if (file_) sinks.push_back(file_.get());
  detector_->set_sinks(std::move(sinks));
}

void Plugin::reload() {
  rules::Diagnostics d;
  Config next;
  if (!load_config(next, d)) {
    report(d);
    ++failed_reloads_;
    sinks::status(LOG_ERR, "reload failed: keeping the previous configuration and rules");
    return;
  }
  RuleSetup setup = load_ruleset(next.rule_directories, next.exception_directories, false, true);
  report(setup.diagnostics);
  if (!setup.ruleset) {
    ++failed_reloads_;
    sinks::status(LOG_ERR, "reload failed: keeping the previous " + std::to_string(detector_->ruleset().size()) +
                               " rules");
    return;
  }
  const bool sinks_changed = next.syslog_facility_code != config_.syslog_facility_code || next.alert_file != config_.alert_file;
  config_ = next;
  if (sinks_changed) {
    open_sinks();
    attach_sinks();
  }
  detector_->replace_ruleset(setup.ruleset);
  reader_->set_max_pause(std::chrono::milliseconds(config_.max_read_pause_ms));
  detector_->reconfigure(detector_options(config_));
  if (file_) file_->reopen();
  ++reloads_;
  sinks::status(LOG_INFO, "reloaded " + config_path_ + ": " + describe_rules(*setup.ruleset));
}

void Plugin::log_stats(const char* why) {
  const auto s = pipeline_->stats();
  std::ostringstream line;
  line << why << ": records=" << s.records.records << " skipped_lines=" << s.records.skipped()
       << " events=" << s.events.events << " starts=" << s.normalized.process_starts
       << " creations=" << s.normalized.file_creations << " renames=" << s.normalized.file_renames
       << " alerts=" << detector_->alerts() << " throttled=" << detector_->throttled()
       << " building_block_withheld=" << detector_->building_block_alerts_withheld()
       << " truncated=" << detector_->truncated() << " dropped_bytes=" << reader_->bytes_dropped()
       << " dropped_chunks=" << reader_->chunks_dropped() << " input_reads=" << reader_->reads()
       << " unknown_parents=" << s.normalized.unknown_parents
       << " proc_lookups=" << s.normalized.proc_lookups << " table=" << pipeline_->normalizer().processes().size()
       << "/" << pipeline_->normalizer().processes().capacity() << " reloads=" << reloads_
       << " failed_reloads=" << failed_reloads_ << " queue_peak_bytes=" << reader_->peak_queued_bytes();
  for (const auto& [id, t] : detector_->tally()) {
    line << " rule[" << t.name << "]=" << t.alerts;
    if (t.throttled) line << "+" << t.throttled << "throttled";
    if (t.suppressed) line << "+" << t.suppressed << "excepted";
    if (t.building_block) line << "+" << t.building_block << "building_block";
  }
  sinks::status(LOG_INFO, line.str());
}

void Plugin::feed(std::deque<InputChunk>& chunks) {
  for (auto& chunk : chunks) {
    if (chunk.gap_before) pipeline_->input_gap();
    pipeline_->feed(chunk.bytes);
  }
  reader_->recycle(chunks);
}

int Plugin::run() {
  install_signal_handlers();
  sinks::open_status_log();
  rules::Diagnostics d;
  if (!load_config(config_, d)) {
    report(d);
    sinks::status(LOG_ERR, "not starting: " + config_path_ + " has errors");
    return 1;
  }
  RuleSetup setup = load_ruleset(config_.rule_directories, config_.exception_directories, false, true);
  report(setup.diagnostics);
  if (!setup.ruleset) {
    sinks::status(LOG_ERR, "not starting: the rules have " + std::to_string(setup.diagnostics.error_count()) + " errors");
    return 1;
  }
  open_sinks();
  detector_ = std::make_unique<Detector>(setup.ruleset, detector_options(config_));
  attach_sinks();

  normalize::PipelineOptions options;
  options.normalizer.host_name = config_.host_name.empty() ? util::local_host_name() : config_.host_name;
  options.normalizer.process_table_capacity = config_.process_table_size;
  options.normalizer.inode_map_capacity = config_.inode_map_size;
  options.order.max_hold_ms = 200;
  // An event whose records stopped coming is completed after a second of
  // silence, not auditd.conf's end_of_event_timeout.
  auparse_set_eoe_timeout(1);
  pipeline_ = std::make_unique<normalize::EventPipeline>(options, [this](const ecs::Event& e) { detector_->on_event(e); });
  auto& normalizer = pipeline_->normalizer();
  size_t seeded_processes = 0;
  if (config_.proc_lookup) {
    normalizer.set_process_source(&proc_);
    seeded_processes = normalize::seed_process_table(normalizer.processes());
  }
  const size_t seeded_dirs = normalize::seed_inode_paths(normalizer.inodes(), config_.watched_directories);

  reader_ = std::make_unique<InputReader>(STDIN_FILENO, config_.queue_bytes,
                                          std::chrono::milliseconds(config_.max_read_pause_ms));
  reader_->start();
  sinks::status(LOG_INFO, std::string("auditeql ") + kVersion + " started: " + describe_rules(detector_->ruleset()) +
                              ", config " + config_.source + ", " + std::to_string(seeded_processes) +
                              " processes and " + std::to_string(seeded_dirs) + " watched directories known");

  std::deque<InputChunk> chunks;
  for (;;) {
    if (g_terminate) break;
    if (g_reload.exchange(false)) reload();
    if (g_stats.exchange(false)) log_stats("statistics");
    const bool more = reader_->take(chunks, std::chrono::milliseconds(100));
    // Completes stale events and releases held ones; also stamps what is
    // fed next with the current time. An event is released once it has
    // been held 200 ms, so alerts come within about 0.4 s: up to 20 ms in
    // the reader, 100 ms queued, 200-300 ms held.
    pipeline_->idle(wall_ms());
    feed(chunks);
    if (!more) break;
  }
  // What was read (or still sat in the socket) when the signal came is
  // processed too; only what would overflow queue_bytes is dropped, and
  // counted as such.
  reader_->stop();
  while (reader_->take(chunks, std::chrono::milliseconds(0))) {
    feed(chunks);
  }
  pipeline_->finish();
  if (file_) file_->flush();
  log_stats(g_terminate ? "stopping (signal)" : "stopping (end of input)");
  return 0;
}

}  // namespace

int run_plugin(const std::string& config_path) {
  Plugin plugin(config_path);
  return plugin.run();
}

}  // namespace auditeql::app
