// Plugin mode through the binary, driven the way auditd drives it: records on
// a pipe, an empty environment, signals.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include "support/command.h"
#include "support/process.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"

using namespace auditeql;
using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::eventually;

namespace {

const std::string kBinary = AUDITEQL_BINARY;

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
  size_t alert_count() const {
    std::error_code ec;
    if (!std::filesystem::exists(alerts, ec)) return 0;
    return testing::lines_of(testing::read_file(alerts)).size();
  }
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
  const auto lines = testing::lines_of(testing::read_file(setup.alerts));
  BOOST_REQUIRE(lines.size() == 3u);
  BOOST_TEST(lines[2].find("/boot/four") != std::string::npos);
  for (const auto& l : lines) BOOST_TEST(l.find("/boot/three") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(sigusr1_logs_a_statistics_line) {
  PluginSetup setup;
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  plugin.write(shell(1795413900000));
  BOOST_TEST(eventually([&] { return setup.log().find("started") != std::string::npos; }));
  plugin.signal(SIGUSR1);
  BOOST_TEST(eventually([&] { return setup.log().find("statistics: records=") != std::string::npos; }), setup.log());
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

BOOST_AUTO_TEST_CASE(startup_errors_exit_non_zero_with_the_reason) {
  if (geteuid() != 0) {
    BOOST_TEST_MESSAGE("SKIPPED (not root): the ownership check applies to root only");
    return;
  }
  PluginSetup setup;
  chmod(setup.config.c_str(), 0666);
  ChildProcess plugin({kBinary, setup.config}, setup.stderr_path);
  BOOST_TEST(plugin.wait(5s) == 1);
  BOOST_TEST(setup.log().find("refusing to load: writable by every user") != std::string::npos, setup.log());

  PluginSetup broken;
  broken.dir.write("rules.d/bad.yaml", "id: bad\nname: Bad\nquery: 'process where ('\n");
  ChildProcess plugin2({kBinary, broken.config}, broken.stderr_path);
  BOOST_TEST(plugin2.wait(5s) == 1);
  BOOST_TEST(broken.log().find("bad.yaml:3:") != std::string::npos, broken.log());
  BOOST_TEST(broken.log().find("not starting") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
