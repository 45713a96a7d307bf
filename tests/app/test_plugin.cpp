// Plugin mode through the binary, driven the way auditd drives it: records on
// a pipe, an empty environment, signals.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "support/command.h"
#include "support/process.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"
#include "util/host.h"
#include "util/json_value.h"

using namespace auditeql;
using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::eventually;

namespace {

const std::string kBinary = AUDITEQL_BINARY;
const std::string kRefused = "\"name\":\"auditeql: configuration refused\"";
const std::string kBootFileCopy = "5bda8597-69a6-4b9e-87a2-69a7c963ea83";

struct PluginSetup {
  testing::TempDir dir;
  std::string config;
  std::string alerts;
  std::string stderr_path;

  explicit PluginSetup(const std::string& extra = "") {
    chmod(dir.path().c_str(), 0755);
    dir.mkdir("rules.d");
    dir.mkdir("exceptions.d");
    alerts = dir.str() + "/alerts.ndjson";
    stderr_path = dir.str() + "/stderr";
    config = dir.write("auditeql.yaml", "rule_directories: [" + std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules, " +
                                            dir.str() + "/rules.d]\nexception_directories: [" + dir.str() +
                                            "/exceptions.d]\nalert_file: " + alerts + "\nproc_lookup: false\n" + extra);
  }
  // The lines of the alert file: rule alerts, or the plugin's own
  // "configuration refused" alerts.
  std::vector<std::string> alert_lines(bool refused) const {
    std::error_code ec;
    std::vector<std::string> out;
    if (!std::filesystem::exists(alerts, ec)) return out;
    for (auto& line : testing::lines_of(testing::read_file(alerts))) {
      if ((line.find(kRefused) != std::string::npos) == refused) out.push_back(std::move(line));
    }
    return out;
  }
  size_t alert_count() const { return alert_lines(false).size(); }
  size_t refused_count() const { return alert_lines(true).size(); }
  std::string log() const {
    std::error_code ec;
    return std::filesystem::exists(stderr_path, ec) ? testing::read_file(stderr_path) : std::string();
  }
};

std::string cp_into_boot(uint64_t serial, int64_t ms, const std::string& target) {
  return testing::exec_records({.serial = serial, .ms = ms, .pid = static_cast<int>(serial), .ppid = 1,
                                .exe = "/usr/bin/cp", .argv = {"cp", "/tmp/x", target}, .path0 = "/usr/bin/cp"}) +
         "type=EOE " + testing::stamp(ms, serial) + "\n";
}

// A parent the rule needs to know (process.parent.executable != null).
std::string shell(int64_t ms) {
  return testing::exec_records({.serial = 1, .ms = ms, .pid = 1, .ppid = 0, .exe = "/usr/bin/bash", .argv = {"bash"},
                                .path0 = "/usr/bin/bash"}) +
         "type=EOE " + testing::stamp(ms, 1) + "\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plugin_mode)

BOOST_AUTO_TEST_CASE(end_of_input_flushes_everything_and_exits_0) {
  PluginSetup setup;
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  plugin.write(testing::read_file(std::string(AUDITEQL_FIXTURES_DIR) + "/sample/boot-persistence-attacks.log"));
  plugin.close_stdin();
  BOOST_TEST(plugin.wait(10s) == 0);
  BOOST_TEST(setup.alert_count() == 6u);
  BOOST_TEST(setup.log().find("stopping (end of input)") != std::string::npos, setup.log());
  BOOST_TEST(setup.log().find("alerts=6") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_lone_live_event_alerts_within_a_second) {
  PluginSetup setup;
  ChildProcess plugin({kBinary, "plugin", "--config", setup.config}, setup.stderr_path);
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  plugin.write(shell(now));
  const auto sent = std::chrono::steady_clock::now();
  plugin.write(cp_into_boot(2, now + 1, "/boot/lone"));
  BOOST_TEST(eventually([&] { return setup.alert_count() == 1; }, 3000ms));
  const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent);
  BOOST_TEST_MESSAGE("plugin latency for a lone event: " << latency.count() << " ms");
  BOOST_TEST(latency.count() < 1000);
  plugin.signal(SIGTERM);
  BOOST_TEST(plugin.wait(5s) == 0);
  BOOST_TEST(setup.log().find("stopping (signal)") != std::string::npos, setup.log());
}

BOOST_AUTO_TEST_CASE(sigterm_still_processes_what_auditd_wrote_before_it) {
  PluginSetup setup;
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  BOOST_TEST(eventually([&] { return setup.log().find("started") != std::string::npos; }), setup.log());
  const int64_t t0 = 1795413900000;
  // Far more than a pipe holds, so that the last of it is still in the pipe
  // or the reader's queue when the signal comes.
  std::string records = shell(t0);
  constexpr int kCopies = 3000;
  for (int i = 0; i < kCopies; ++i) records += cp_into_boot(10 + i, t0 + 10 + i, "/boot/f" + std::to_string(i));
  plugin.write(records);
  plugin.signal(SIGTERM);
  BOOST_TEST(plugin.wait(20s) == 0);
  BOOST_TEST(setup.log().find("stopping (signal)") != std::string::npos, setup.log());
  BOOST_TEST(setup.log().find(" starts=" + std::to_string(kCopies + 1) + " ") != std::string::npos, setup.log());
}

BOOST_AUTO_TEST_CASE(sighup_with_a_broken_exception_keeps_the_old_rules_then_a_good_one_applies) {
  PluginSetup setup;
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  const int64_t t0 = 1795413900000;
  plugin.write(shell(t0));
  plugin.write(cp_into_boot(2, t0 + 10, "/boot/one"));
  BOOST_TEST(eventually([&] { return setup.alert_count() == 1; }));

  const auto broken = setup.dir.write("exceptions.d/broken.yaml",
                                      "- rule_id: 5bda8597-69a6-4b9e-87a2-69a7c963ea83\n  condition: process.args ==\n");
  plugin.signal(SIGHUP);
  BOOST_TEST(eventually([&] { return setup.log().find("reload failed") != std::string::npos; }), setup.log());
  BOOST_TEST(setup.log().find(broken + ":2:") != std::string::npos, setup.log());
  BOOST_TEST_REQUIRE(eventually([&] { return setup.refused_count() == 1; }), "a refused reload raises an alert");
  BOOST_TEST(setup.alert_lines(true).front().find("\"refused_at\":\"reload\"") != std::string::npos);
  plugin.write(cp_into_boot(3, t0 + 20, "/boot/two"));
  BOOST_TEST(eventually([&] { return setup.alert_count() == 2; }), "the old rules still alert");

  std::filesystem::remove(broken);
  setup.dir.write("exceptions.d/good.yaml",
                  "- rule_id: 5bda8597-69a6-4b9e-87a2-69a7c963ea83\n  condition: process.args == \"/boot/three\"\n");
  plugin.signal(SIGHUP);
  BOOST_TEST(eventually([&] { return setup.log().find("reloaded") != std::string::npos; }), setup.log());
  plugin.write(cp_into_boot(4, t0 + 30, "/boot/three"));  // excepted
  plugin.write(cp_into_boot(5, t0 + 40, "/boot/four"));
  plugin.close_stdin();
  BOOST_TEST(plugin.wait(5s) == 0);
  const auto lines = setup.alert_lines(false);
  BOOST_REQUIRE(lines.size() == 3u);
  BOOST_TEST(lines[2].find("/boot/four") != std::string::npos);
  for (const auto& l : lines) BOOST_TEST(l.find("/boot/three") == std::string::npos);
}

// The issue's example: one misspelt field in an exception used to suppress
// every alert of its rule. Now the reload is refused, says why, and the
// rules keep alerting.
BOOST_AUTO_TEST_CASE(sighup_with_a_misspelt_field_in_an_exception_keeps_the_rule_alerting) {
  PluginSetup setup;
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  const int64_t t0 = 1795413900000;
  plugin.write(shell(t0));
  BOOST_TEST_REQUIRE(eventually([&] { return setup.log().find(" started: ") != std::string::npos; }), setup.log());
  const auto typo = setup.dir.write("exceptions.d/typo.yaml", "- rule_id: 5bda8597-69a6-4b9e-87a2-69a7c963ea83\n"
                                                              "  condition: process.parent.exe != \"/usr/bin/bash\"\n");
  plugin.signal(SIGHUP);
  BOOST_TEST(eventually([&] { return setup.log().find("reload failed") != std::string::npos; }), setup.log());
  BOOST_TEST(setup.log().find(typo + ":2:14: error: exception for rule 5bda8597-69a6-4b9e-87a2-69a7c963ea83: unknown "
                                     "field 'process.parent.exe' (did you mean 'process.parent.executable'?)") !=
                 std::string::npos,
             setup.log());
  plugin.write(cp_into_boot(2, t0 + 10, "/boot/one"));
  BOOST_TEST(eventually([&] { return setup.alert_count() == 1; }), "the rule still alerts");
  plugin.close_stdin();
  BOOST_TEST(plugin.wait(5s) == 0);
}

BOOST_AUTO_TEST_CASE(sigusr1_logs_a_statistics_line) {
  PluginSetup setup;
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  plugin.write(shell(1795413900000));
  BOOST_TEST(eventually([&] { return setup.log().find("started") != std::string::npos; }));
  plugin.signal(SIGUSR1);
  BOOST_TEST(eventually([&] { return setup.log().find("statistics: records=") != std::string::npos; }), setup.log());
  for (const char* counter : {" links_not_reported=0 ", " unchanged_ids=0 ", " accepts_unplaced=0 ", " accepts_dropped=0 "}) {
    BOOST_TEST(setup.log().find(counter) != std::string::npos, counter << "\n" << setup.log());
  }
  plugin.close_stdin();
  BOOST_TEST(plugin.wait(5s) == 0);
}

BOOST_AUTO_TEST_CASE(bad_input_never_stops_the_plugin) {
  PluginSetup setup;
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  std::string garbage(3 << 20, 'x');  // a 3 MiB line
  garbage += "\n\x01\x02\xff garbage\ntype=SYSCALL msg=audit(1.2:3): broken\n";
  plugin.write(garbage);
  plugin.write(shell(1795413900000));
  plugin.write(cp_into_boot(2, 1795413900010, "/boot/after-garbage"));
  plugin.close_stdin();
  BOOST_TEST(plugin.wait(10s) == 0);
  BOOST_TEST(setup.alert_count() == 1u);
  BOOST_TEST(setup.log().find("skipped_lines=2") != std::string::npos, setup.log());
}

// After a crash or an auditd restart the plugin starts again: a file with an
// error must not stop it (auditd gives up after max_restarts, and nothing
// would be detected until auditd itself restarts).
BOOST_AUTO_TEST_CASE(a_rule_file_with_an_error_at_start_runs_the_rest_and_alerts_until_a_reload_fixes_it) {
  PluginSetup setup("health_alert_interval_seconds: 1\n");
  const auto bad = setup.dir.write("rules.d/bad.yaml", "id: bad\nname: Bad\nquery: 'process where ('\n");
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  BOOST_TEST(eventually([&] { return setup.log().find("started: 5 rules") != std::string::npos; }), setup.log());
  BOOST_TEST(setup.log().find("bad.yaml:3:") != std::string::npos, setup.log());
  BOOST_TEST_REQUIRE(eventually([&] { return setup.refused_count() >= 2; }, 4000ms), "repeated every second");
  const auto refused = setup.alert_lines(true).front();
  BOOST_TEST(refused.find("\"path\":\"" + bad + "\"") != std::string::npos, refused);
  BOOST_TEST(refused.find("\"message\":\"3:") != std::string::npos, refused);
  BOOST_TEST(refused.find("\"rules_running\":5") != std::string::npos, refused);
  const int64_t t0 = 1795413900000;
  plugin.write(shell(t0));
  plugin.write(cp_into_boot(2, t0 + 10, "/boot/one"));
  BOOST_TEST(eventually([&] { return setup.alert_count() == 1; }), "the other rules run");

  std::filesystem::remove(bad);
  plugin.signal(SIGHUP);
  BOOST_TEST(eventually([&] { return setup.log().find("reloaded") != std::string::npos; }), setup.log());
  BOOST_TEST(setup.log().find("everything loads again") != std::string::npos, setup.log());
  const size_t raised = setup.refused_count();
  std::this_thread::sleep_for(2500ms);
  BOOST_TEST(setup.refused_count() == raised, "no more refused alerts after a good reload");
  plugin.close_stdin();
  BOOST_TEST(plugin.wait(5s) == 0);
  BOOST_TEST(setup.log().find(" refused_files=0 refused_alerts=" + std::to_string(raised) + " ") != std::string::npos,
             setup.log());
}

BOOST_AUTO_TEST_CASE(a_configuration_error_at_start_keeps_that_key_default_and_applies_the_others) {
  PluginSetup setup("health_alert_interval_seconds: 1\nmax_alert_bytes: lots\n");
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  BOOST_TEST_REQUIRE(eventually([&] { return setup.refused_count() >= 2; }, 4000ms), setup.log());
  const auto refused = setup.alert_lines(true).front();
  BOOST_TEST(refused.find("\"path\":\"" + setup.config + "\"") != std::string::npos, refused);
  BOOST_TEST(refused.find("'max_alert_bytes' must be a whole number") != std::string::npos, refused);
  const int64_t t0 = 1795413900000;
  plugin.write(shell(t0));
  plugin.write(cp_into_boot(2, t0 + 10, "/boot/one"));
  BOOST_TEST(eventually([&] { return setup.alert_count() == 1; }), "alerts go to the configured alert_file");
  plugin.signal(SIGTERM);
  BOOST_TEST(plugin.wait(5s) == 0);
}

BOOST_AUTO_TEST_CASE(files_others_can_write_at_start_are_refused_and_detection_stays) {
  if (geteuid() != 0) {
    BOOST_TEST_MESSAGE("SKIPPED (not root): the ownership checks apply to root only");
    return;
  }
  PluginSetup setup("health_alert_interval_seconds: 1\n");
  const auto off = setup.dir.write("rules.d/50-off.yaml", "id: " + kBootFileCopy + "\nenabled: false\n");
  chmod(off.c_str(), 0666);
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  BOOST_TEST_REQUIRE(eventually([&] { return setup.refused_count() >= 1; }), setup.log());
  const auto refused = setup.alert_lines(true).front();
  BOOST_TEST(refused.find("\"path\":\"" + off + "\"") != std::string::npos, refused);
  BOOST_TEST(refused.find("refusing to load: writable by every user") != std::string::npos, refused);
  const int64_t t0 = 1795413900000;
  plugin.write(shell(t0));
  plugin.write(cp_into_boot(2, t0 + 10, "/boot/one"));
  BOOST_TEST(eventually([&] { return setup.alert_count() == 1; }), "the refused override did not switch the rule off");
  plugin.close_stdin();
  BOOST_TEST(plugin.wait(5s) == 0);

  // The configuration itself: refused whole, the plugin runs with the defaults.
  PluginSetup open;
  chmod(open.config.c_str(), 0666);
  ChildProcess plugin2({kBinary, open.config}, open.stderr_path);
  plugin2.write(testing::read_file(std::string(AUDITEQL_FIXTURES_DIR) + "/sample/boot-persistence-attacks.log"));
  plugin2.close_stdin();
  BOOST_TEST(plugin2.wait(10s) == 0);
  BOOST_TEST(open.log().find("refusing to load: writable by every user") != std::string::npos, open.log());
  BOOST_TEST(open.log().find("config (defaults)") != std::string::npos, open.log());
  BOOST_TEST(open.log().find(" alerts=6 ") != std::string::npos, open.log());
  BOOST_TEST(open.log().find(" refused_files=1 refused_alerts=1 ") != std::string::npos, open.log());
}

BOOST_AUTO_TEST_CASE(statistics_are_totals_since_start_across_reloads) {
  PluginSetup setup("max_alert_bytes: 5120\n");
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  const int64_t t0 = 1795413900000;
  plugin.write(shell(t0));
  plugin.write(cp_into_boot(2, t0 + 10, "/boot/" + std::string(6000, 'x')));  // shortened to fit
  BOOST_TEST(eventually([&] { return setup.alert_count() == 1; }));
  plugin.signal(SIGHUP);
  BOOST_TEST(eventually([&] { return setup.log().find("reloaded") != std::string::npos; }), setup.log());
  plugin.signal(SIGUSR1);
  BOOST_TEST(eventually([&] { return setup.log().find("statistics: ") != std::string::npos; }), setup.log());
  BOOST_TEST(setup.log().find(" alerts=1 throttled=0 building_block_withheld=0 truncated=1 oversized=0 ") != std::string::npos, setup.log());
  BOOST_TEST(setup.log().find("rule[Boot File Copy]=1") != std::string::npos, setup.log());
  plugin.close_stdin();
  BOOST_TEST(plugin.wait(5s) == 0);
}

BOOST_AUTO_TEST_CASE(an_alert_still_too_long_after_shortening_is_counted_and_logged_once_per_rule_per_window) {
  PluginSetup setup("max_alert_bytes: 2048\nthrottle_window_seconds: 1\n");
  setup.dir.write("rules.d/verbose.yaml", "id: local-verbose\nname: Verbose\ndescription: " + std::string(2000, 'd') +
                                              "\nquery: 'process where process.name == \"cp\"'\n");
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  const int64_t t0 = 1795413900000;
  plugin.write(shell(t0));
  for (int i = 0; i < 3; ++i) plugin.write(cp_into_boot(2 + i, t0 + 10 + 100 * i, "/tmp/f" + std::to_string(i)));
  plugin.write(cp_into_boot(9, t0 + 1500, "/tmp/later"));  // the next window
  plugin.close_stdin();
  BOOST_TEST(plugin.wait(5s) == 0);
  BOOST_TEST(setup.alert_count() == 4u, "sent anyway");
  BOOST_TEST(setup.log().find(" truncated=4 oversized=4 ") != std::string::npos, setup.log());
  size_t logged = 0;
  for (const auto& line : testing::lines_of(setup.log())) {
    logged += line.find("an alert of rule Verbose (local-verbose) is") != std::string::npos ? 1 : 0;
  }
  BOOST_TEST(logged == 2u, setup.log());
}

BOOST_AUTO_TEST_CASE(sighup_applies_every_configuration_key) {
  PluginSetup setup("host_name: before-host\n");
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  const int64_t t0 = 1795413900000;
  plugin.write(shell(t0));
  plugin.write(cp_into_boot(2, t0 + 10, "/boot/one"));
  BOOST_TEST(eventually([&] { return setup.alert_count() == 1; }));
  testing::TempDir watched;
  watched.mkdir("sub");
  {
    std::ofstream out(setup.config, std::ios::app);
    out << "process_table_size: 128\ninode_map_size: 256\nqueue_bytes: 2097152\nwatched_directories: [" << watched.str()
        << "]\n";
  }
  std::string config = testing::read_file(setup.config);
  config.replace(config.find("host_name: before-host"), 22, "host_name: after-host");
  config.replace(config.find("proc_lookup: false"), 18, "proc_lookup: true");
  { std::ofstream(setup.config, std::ios::trunc) << config; }
  plugin.signal(SIGHUP);
  BOOST_TEST(eventually([&] { return setup.log().find("reloaded") != std::string::npos; }), setup.log());
  for (const char* change : {"process_table_size 32768 -> 128", "inode_map_size 65536 -> 256", "proc_lookup false -> true",
                             "host_name before-host -> after-host", "watched_directories", "queue_bytes 16777216 -> 2097152"}) {
    BOOST_TEST(setup.log().find(change) != std::string::npos, change << "\n" << setup.log());
  }
  plugin.write(cp_into_boot(3, t0 + 20, "/boot/two"));
  BOOST_TEST(eventually([&] { return setup.alert_count() == 2; }));
  plugin.signal(SIGUSR1);
  BOOST_TEST(eventually([&] { return setup.log().find("statistics: ") != std::string::npos; }), setup.log());
  BOOST_TEST(setup.log().find("/128 reloads=1") != std::string::npos, setup.log());
  plugin.close_stdin();
  BOOST_TEST(plugin.wait(5s) == 0);
  const auto lines = setup.alert_lines(false);
  BOOST_REQUIRE(lines.size() == 2u);
  // host.id stays this machine's id (/etc/machine-id) across the rename.
  const auto before = util::parse_json(lines[0]), after = util::parse_json(lines[1]);
  BOOST_TEST(before.find("host")->find("name")->as_string() == "before-host", lines[0]);
  BOOST_TEST(after.find("host")->find("name")->as_string() == "after-host", lines[1]);
  BOOST_TEST(after.find("host")->find("hostname")->as_string() == "after-host", lines[1]);
  BOOST_TEST(before.find("host")->find("id")->as_string() == after.find("host")->find("id")->as_string());
}

BOOST_AUTO_TEST_CASE(live_sequences_complete_and_expire_by_the_wall_clock_without_more_input) {
  PluginSetup setup;
  // Alerts once a dropper's file creation has had no cleanup for 1 s: only
  // the clock can tell, since no later event comes.
  setup.dir.write("rules.d/seq.yaml", R"(id: 5e9e0000-0000-4000-8000-000000000001
name: Dropper Without Cleanup
severity: high
query: |
  sequence by process.pid with maxspan=1s
    [process where process.name == "dropper"]
    [file where true]
    ![process where process.name == "cleanup"]
)");
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  plugin.write(shell(now));
  for (const int pid : {500, 600}) {  // 600 never writes: its sequence expires
    plugin.write(testing::exec_records({.serial = static_cast<uint64_t>(pid), .ms = now + 10, .pid = pid, .ppid = 1,
                                        .exe = "/tmp/dropper", .argv = {"dropper"}, .path0 = "/tmp/dropper"}) +
                 "type=EOE " + testing::stamp(now + 10, pid) + "\n");
  }
  testing::CreateSpec create;
  create.serial = 501;
  create.ms = now + 20;
  create.pid = 500;
  create.ppid = 1;
  create.exe = "/tmp/dropper";
  create.parent_name = "/usr/lib/dracut/modules.d/";
  create.name = "/usr/lib/dracut/modules.d/95x";
  create.inode = 77;
  plugin.write(testing::create_records(create) + "type=EOE " + testing::stamp(now + 20, 501) + "\n");
  // The Dracut Module Creation alert comes at once; the sequence's once its
  // trailing stage's time and the clock's lag (5 s) have passed.
  BOOST_TEST(eventually([&] { return setup.alert_count() == 1; }), setup.log());
  BOOST_TEST(eventually([&] { return setup.alert_count() == 2; }, 12s), setup.log());
  const auto lines = setup.alert_lines(false);
  BOOST_REQUIRE(lines.size() == 2u);
  BOOST_TEST(lines[1].find("\"name\":\"Dropper Without Cleanup\"") != std::string::npos, lines[1]);
  // Its top-level fields are the last event's (the file creation).
  const util::JsonValue alert = util::parse_json(lines[1]);
  const util::JsonValue* auditd = alert.find("auditd");
  BOOST_REQUIRE(auditd != nullptr);
  BOOST_TEST(auditd->find("key")->as_string() == "bp_dracut");
  BOOST_TEST(auditd->find("sequence")->as_int() == 501);
  plugin.signal(SIGUSR1);
  BOOST_TEST(eventually([&] { return setup.log().find("statistics: ") != std::string::npos; }), setup.log());
  const std::string log = setup.log();
  BOOST_TEST(log.find(" join_rules=1 join_completed=1 join_expired=1 join_evicted=0 ") != std::string::npos, log);
  BOOST_TEST(log.find("rule[Dropper Without Cleanup]=1+1expired") != std::string::npos, log);
  plugin.close_stdin();
  BOOST_TEST(plugin.wait(5s) == 0);
}

// auditd's name_format=fqdn (or user, numeric) prefixes every local record
// with a node= that is not the host name: live, that first node is still this
// host, whose host.id is the machine id, as on the plugin's own alerts.
BOOST_AUTO_TEST_CASE(live_the_local_node_has_the_machine_id_whatever_its_name_format) {
  PluginSetup setup("host_name: web1\n");
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  const int64_t t0 = 1795413900000;
  plugin.write(testing::on_node("web1.example.com", shell(t0)));
  plugin.write(testing::on_node("web1.example.com", cp_into_boot(2, t0 + 10, "/boot/local")));
  plugin.write(testing::on_node("db7", cp_into_boot(3, t0 + 20, "/boot/remote")));  // another host's, forwarded
  plugin.close_stdin();
  BOOST_TEST(plugin.wait(10s) == 0);
  const auto lines = setup.alert_lines(false);
  BOOST_REQUIRE(lines.size() == 2u);
  std::string machine_id = util::local_machine_id();
  if (machine_id.empty()) machine_id = "web1";
  const auto local = util::parse_json(lines[0]), remote = util::parse_json(lines[1]);
  BOOST_TEST(local.find("host")->find("id")->as_string() == machine_id, lines[0]);
  BOOST_TEST(remote.find("host")->find("id")->as_string() == "db7", lines[1]);
}

BOOST_AUTO_TEST_SUITE_END()
