#include "app/plugin.h"

#include <auparse.h>
#include <signal.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <sstream>
#include <utility>

#include "app/commands.h"
#include "app/config.h"
#include "app/detector.h"
#include "app/health.h"
#include "app/input.h"
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
  options.join_max_events = c.join_max_events;
  return options;
}

template <class T>
std::string as_text(const T& value) {
  std::ostringstream out;
  out << std::boolalpha << value;
  return out.str();
}

// The keys whose value changed, for the reload's log line.
std::string changed_keys(const Config& before, const Config& after) {
  std::vector<std::string> changed;
  const auto value = [&](const char* key, const auto& old_value, const auto& new_value) {
    if (old_value != new_value) changed.push_back(std::string(key) + " " + as_text(old_value) + " -> " + as_text(new_value));
  };
  const auto list = [&](const char* key, const std::vector<std::string>& old_value, const std::vector<std::string>& new_value) {
    if (old_value != new_value) changed.push_back(key);
  };
  list("rule_directories", before.rule_directories, after.rule_directories);
  list("exception_directories", before.exception_directories, after.exception_directories);
  value("syslog_facility", before.syslog_facility, after.syslog_facility);
  value("max_alert_bytes", before.max_alert_bytes, after.max_alert_bytes);
  value("throttle_window_seconds", before.throttle_window_seconds, after.throttle_window_seconds);
  value("alert_file", before.alert_file, after.alert_file);
  value("process_table_size", before.process_table_size, after.process_table_size);
  value("inode_map_size", before.inode_map_size, after.inode_map_size);
  value("proc_lookup", before.proc_lookup, after.proc_lookup);
  value("host_name", before.host_name, after.host_name);
  list("watched_directories", before.watched_directories, after.watched_directories);
  value("queue_bytes", before.queue_bytes, after.queue_bytes);
  value("max_read_pause_ms", before.max_read_pause_ms, after.max_read_pause_ms);
  value("health_alert_interval_seconds", before.health_alert_interval_seconds, after.health_alert_interval_seconds);
  value("building_block_alerts", before.building_block_alerts, after.building_block_alerts);
  value("join_max_events", before.join_max_events, after.join_max_events);
  std::string out;
  for (const auto& c : changed) out += (out.empty() ? "" : ", ") + c;
  return out;
}

// How far behind the wall clock the join rules' clock runs live: an audit
// event reaches the rules up to about 1.5 s after its time (libauparse
// completes an event after 1 s of silence, the event order holds it 200 ms,
// the reader queues it up to 100 ms), more under load. State is freed, and
// a sequence waiting for a trailing missing stage ![...] completes, only
// once no event that could still change them can come.
constexpr int64_t kJoinClockLagMs = 5000;

// At most this many "configuration refused" alerts each time they are
// raised (each says how many files are refused in all).
constexpr size_t kMaxRefusedAlerts = 20;

class Plugin {
 public:
  explicit Plugin(std::string config_path) : config_path_(std::move(config_path)) {}
  int run();

 private:
  void open_sinks();
  void attach_sinks();
  void start_pipeline();
  void reload();
  void apply_changed_keys(const Config& before);
  // The files refused by the last load (empty: everything loaded); raises
  // the alerts for them at once when there are any.
  void set_refused(std::vector<RefusedFile> files, bool at_reload);
  void raise_refused_alerts();
  void log_stats(const char* why);
  void feed(std::deque<InputChunk>& chunks);

  std::string config_path_;
  Config config_;
  std::string host_name_;
  std::string host_id_;  // /etc/machine-id (else the host name): host.id of events and alerts
  std::unique_ptr<sinks::SyslogSink> syslog_;
  std::unique_ptr<sinks::FileSink> file_;
  std::unique_ptr<Detector> detector_;
  std::unique_ptr<normalize::EventPipeline> pipeline_;
  std::unique_ptr<InputReader> reader_;
  normalize::ProcProcessSource proc_;
  uint64_t reloads_ = 0;
  uint64_t failed_reloads_ = 0;
  std::vector<RefusedFile> refused_;
  bool refused_at_reload_ = false;
  int64_t refused_since_ms_ = 0;
  std::chrono::steady_clock::time_point next_refused_alert_;
  uint64_t refused_alerts_ = 0;
  alerts::Alert refused_alert_;  // reused
};

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

void Plugin::set_refused(std::vector<RefusedFile> files, bool at_reload) {
  if (files.empty()) {
    if (!refused_.empty()) {
      sinks::status(LOG_INFO, std::string("everything loads again: no more '") + kRefusedRuleName + "' alerts");
    }
    refused_.clear();
    return;
  }
  if (refused_.empty()) refused_since_ms_ = wall_ms();
  refused_ = std::move(files);
  refused_at_reload_ = at_reload;
  std::string names;
  for (const auto& f : refused_) names += (names.empty() ? "" : ", ") + (f.path.empty() ? "(no file)" : f.path);
  sinks::status(LOG_ERR, std::string(at_reload ? "the previous configuration and rules stay in force; " : "running with what loaded; ") +
                             std::to_string(refused_.size()) + " file(s) refused: " + names + "; raising '" +
                             kRefusedRuleName + "' alerts every " +
                             std::to_string(config_.health_alert_interval_seconds) + " s until a reload loads everything");
  raise_refused_alerts();
}

void Plugin::raise_refused_alerts() {
  RefusedContext context;
  context.host_name = host_name_;
  context.host_id = host_id_;
  context.time_ms = wall_ms();
  context.since_ms = refused_since_ms_;
  context.at_reload = refused_at_reload_;
  context.rules_running = detector_->ruleset().size();
  context.refused_files = refused_.size();
  const size_t max_bytes = detector_options(config_).alert.max_bytes;
  for (size_t i = 0; i < refused_.size() && i < kMaxRefusedAlerts; ++i) {
    build_refused_alert(refused_[i], context, max_bytes, refused_alert_);
    syslog_->write(refused_alert_);
    if (file_) file_->write(refused_alert_);
    ++refused_alerts_;
  }
  next_refused_alert_ = std::chrono::steady_clock::now() + std::chrono::seconds(config_.health_alert_interval_seconds);
}

// Every key takes effect on reload. The tables keep what they learned
// (shrinking evicts the least recently used entries), newly watched
// directories are walked, and the input queue's new bound applies to the
// next read.
void Plugin::apply_changed_keys(const Config& before) {
  if (config_.syslog_facility_code != before.syslog_facility_code || config_.alert_file != before.alert_file) {
    open_sinks();
    attach_sinks();
  }
  auto& normalizer = pipeline_->normalizer();
  if (config_.host_name != before.host_name) {
    host_name_ = config_.host_name.empty() ? util::local_host_name() : config_.host_name;
    normalizer.set_host_name(host_name_);
  }
  if (config_.process_table_size != before.process_table_size) {
    normalizer.processes().set_capacity(config_.process_table_size);
  }
  if (config_.inode_map_size != before.inode_map_size) normalizer.inodes().set_capacity(config_.inode_map_size);
  // Turned on, /proc answers for unknown parents from now on; the table is
  // not seeded again (a lookup finds the same processes when they matter).
  if (config_.proc_lookup != before.proc_lookup) normalizer.set_process_source(config_.proc_lookup ? &proc_ : nullptr);
  if (config_.watched_directories != before.watched_directories) {
    normalize::seed_inode_paths(normalizer.inodes(), config_.watched_directories);
  }
  if (config_.queue_bytes != before.queue_bytes) reader_->set_max_queued_bytes(config_.queue_bytes);
  reader_->set_max_pause(std::chrono::milliseconds(config_.max_read_pause_ms));
  detector_->reconfigure(detector_options(config_));
}

void Plugin::reload() {
  rules::Diagnostics config_diagnostics;
  Config next = load_plugin_config(config_path_, shipped_rules_dir(), config_diagnostics);
  report(config_diagnostics);
  if (config_diagnostics.has_errors()) {
    ++failed_reloads_;
    sinks::status(LOG_ERR, "reload failed: keeping the previous configuration and rules");
    set_refused(refused_files(config_diagnostics), true);
    return;
  }
  RuleSetup setup = load_ruleset(next.rule_directories, next.exception_directories, false, true);
  report(setup.diagnostics);
  if (setup.diagnostics.has_errors()) {
    ++failed_reloads_;
    sinks::status(LOG_ERR, "reload failed: keeping the previous " + std::to_string(detector_->ruleset().size()) +
                               " rules");
    set_refused(refused_files(setup.diagnostics), true);
    return;
  }
  const Config before = std::exchange(config_, std::move(next));
  detector_->replace_ruleset(setup.ruleset);
  apply_changed_keys(before);
  if (file_) file_->reopen();
  ++reloads_;
  set_refused({}, false);
  const std::string changed = changed_keys(before, config_);
  sinks::status(LOG_INFO, "reloaded " + config_path_ + ": " + describe_rules(*setup.ruleset) +
                              (changed.empty() ? std::string() : "; changed: " + changed));
}

void Plugin::log_stats(const char* why) {
  const auto s = pipeline_->stats();
  std::ostringstream line;
  line << why << ": records=" << s.records.records << " skipped_lines=" << s.records.skipped()
       << " events=" << s.events.events << " starts=" << s.normalized.process_starts
       << " creations=" << s.normalized.file_creations << " renames=" << s.normalized.file_renames
       << " other_events=" << other_events(s.normalized)
       << " alerts=" << detector_->alerts() << " throttled=" << detector_->throttled()
       << " building_block_withheld=" << detector_->building_block_alerts_withheld()
       << " truncated=" << detector_->truncated() << " oversized=" << detector_->oversized()
       << " dropped_bytes=" << reader_->bytes_dropped()
       << " dropped_chunks=" << reader_->chunks_dropped() << " input_reads=" << reader_->reads()
       << " unknown_parents=" << s.normalized.unknown_parents
       << " links_not_reported=" << s.normalized.links_not_reported << " unchanged_ids=" << s.normalized.unchanged_ids
       << " accepts_unplaced=" << s.normalized.accepts_unplaced << " accepts_dropped=" << s.normalized.accepts_dropped
       << " proc_lookups=" << s.normalized.proc_lookups << " table=" << pipeline_->normalizer().processes().size()
       << "/" << pipeline_->normalizer().processes().capacity() << " reloads=" << reloads_
       << " failed_reloads=" << failed_reloads_ << " refused_files=" << refused_.size()
       << " refused_alerts=" << refused_alerts_ << " queue_peak_bytes=" << reader_->peak_queued_bytes();
  const JoinTotals j = detector_->join_totals();
  line << " join_rules=" << j.rules << " join_completed=" << j.completed << " join_expired=" << j.expired
       << " join_evicted=" << j.evicted << " join_ended_by_until=" << j.ended_by_until << " join_late=" << j.late
       << " join_keys=" << j.keys << " join_events_held=" << j.events_held << " join_memory_bytes=" << j.memory_bytes;
  for (const auto& [id, t] : detector_->tally()) {
    line << " rule[" << t.name << "]=" << t.alerts;
    if (t.throttled) line << "+" << t.throttled << "throttled";
    if (t.suppressed) line << "+" << t.suppressed << "excepted";
    if (t.building_block) line << "+" << t.building_block << "building_block";
    if (t.expired) line << "+" << t.expired << "expired";
    if (t.evicted) line << "+" << t.evicted << "evicted";
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

void Plugin::start_pipeline() {
  normalize::PipelineOptions options =
      pipeline_options(host_name_, host_id_, config_.process_table_size, config_.inode_map_size);
  options.order.max_hold_ms = 200;
  options.normalizer.first_node_is_local = true;  // auditd's node= of this host, however it is spelled
  // An event whose records stopped coming is completed after a second of
  // silence, not auditd.conf's end_of_event_timeout.
  auparse_set_eoe_timeout(1);
  pipeline_ = std::make_unique<normalize::EventPipeline>(options, [this](const ecs::Event& e) { detector_->on_event(e); });
}

// A configuration, rule or exception file with an error never stops the
// plugin: auditd gives up on a plugin that keeps exiting (max_restarts), and
// then nothing is detected until auditd itself restarts. It runs with what
// loaded instead (rules/rule_loader.h: a refused file can cost the rule it
// defines, never switch off or narrow one that loaded; a configuration key
// with an error keeps its default; a configuration file refused whole gives
// the defaults) and raises "configuration refused" alerts until a reload
// loads everything.
int Plugin::run() {
  install_signal_handlers();
  sinks::open_status_log();
  rules::Diagnostics config_diagnostics;
  config_ = load_plugin_config(config_path_, shipped_rules_dir(), config_diagnostics);
  report(config_diagnostics);
  RuleSetup setup = load_ruleset(config_.rule_directories, config_.exception_directories, false, true);
  report(setup.diagnostics);
  host_name_ = config_.host_name.empty() ? util::local_host_name() : config_.host_name;
  host_id_ = util::local_machine_id();
  if (host_id_.empty()) host_id_ = host_name_;
  open_sinks();
  detector_ = std::make_unique<Detector>(setup.ruleset, detector_options(config_));
  attach_sinks();
  detector_->on_oversized([this](const rules::CompiledRule& rule, size_t bytes) {
    sinks::status(LOG_WARNING, "an alert of rule " + rule.definition.name + " (" + rule.definition.id + ") is " +
                                   std::to_string(bytes) + " bytes after shortening, over the " +
                                   std::to_string(detector_options(config_).alert.max_bytes) +
                                   " that max_alert_bytes leaves for it: sent anyway, counted as oversized (logged "
                                   "once per rule per throttle window)");
  });
  start_pipeline();
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
  auto refused = refused_files(config_diagnostics);
  for (auto& f : refused_files(setup.diagnostics)) refused.push_back(std::move(f));
  set_refused(std::move(refused), false);

  std::deque<InputChunk> chunks;
  for (;;) {
    if (g_terminate) break;
    if (g_reload.exchange(false)) reload();
    if (g_stats.exchange(false)) log_stats("statistics");
    if (!refused_.empty() && std::chrono::steady_clock::now() >= next_refused_alert_) raise_refused_alerts();
    const bool more = reader_->take(chunks, std::chrono::milliseconds(100));
    // Completes stale events and releases held ones; also stamps what is
    // fed next with the current time. An event is released once it has
    // been held 200 ms, so alerts come within about 0.4 s: up to 20 ms in
    // the reader, 100 ms queued, 200-300 ms held.
    const int64_t now = wall_ms();
    pipeline_->idle(now);
    detector_->advance_clock(now - kJoinClockLagMs);
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
