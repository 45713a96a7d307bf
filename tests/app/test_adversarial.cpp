// Hostile and extreme input through `auditeql replay`: no crash, the stream
// goes on, and every alert stays one line of valid JSON with no forged field.
#include <boost/test/unit_test.hpp>

#include <set>

#include "support/ecs_conformance.h"
#include "support/command.h"
#include "support/synthetic.h"
#include "util/json_value.h"

using namespace auditeql;
using testing::run_command;

namespace {

const std::string kBinary = AUDITEQL_BINARY;
const std::string kRules = std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules";

std::string shell() {
  return testing::exec_records({.serial = 1, .ms = 1795413900000, .pid = 100, .ppid = 1, .exe = "/usr/bin/bash",
                                .argv = {"bash"}, .path0 = "/usr/bin/bash"});
}

std::string cp(uint64_t serial, std::vector<std::string> argv) {
  return testing::exec_records({.serial = serial, .ms = 1795413900000 + static_cast<int64_t>(serial), .pid = 1000 + static_cast<int>(serial),
                                .ppid = 100, .exe = "/usr/bin/cp", .argv = std::move(argv), .path0 = "/usr/bin/cp"});
}

// Every alert: one line, valid JSON, every field an ECS field (or one of
// auditeql's own) of the right type: no argument can add or forge one.
std::vector<util::JsonValue> check_alerts(const std::string& out) {
  std::vector<util::JsonValue> docs;
  for (const auto& line : testing::lines_of(out)) {
    const auto doc = util::parse_json(line);
    for (const auto& problem : testing::ecs_conformance_problems(doc)) BOOST_ERROR(problem);
    BOOST_TEST(doc.find("rule")->find("name")->as_string() != "forged");
    docs.push_back(doc);
  }
  return docs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(adversarial)

BOOST_AUTO_TEST_CASE(hostile_arguments_cannot_forge_alert_fields_or_lines) {
  const std::vector<std::string> argv = {"cp",
                                         "a\nb",
                                         "\"},\"rule\":{\"name\":\"forged\"},\"x\":{\"y\":\"",
                                         std::string("sep\x1d" "ARCH=i386 key=\"evil\"", 25),
                                         "\x01\x02\x1b[31m\x7f",
                                         "\xff\xfe\xc3\x28 invalid utf8",
                                         "\xe2\x80\xa8 line separator",
                                         "/boot/evil"};
  const auto r = run_command({kBinary, "replay", "--rules", kRules, "-"}, shell() + cp(2, argv));
  BOOST_TEST(r.exit_code == 0, r.err);
  const auto docs = check_alerts(r.out);
  BOOST_REQUIRE(docs.size() == 1u);
  BOOST_TEST(docs[0].find("rule")->find("name")->as_string() == "Boot File Copy");
  const auto& args = docs[0].find("process")->find("args")->as_array();
  BOOST_REQUIRE(args.size() == argv.size());
  BOOST_TEST(args[1].as_string() == "a\nb");
  BOOST_TEST(args[2].as_string() == argv[2]);
  BOOST_TEST(args[3].as_string() == argv[3]);
  BOOST_TEST(docs[0].find("auditd")->find("key")->as_string() == "bp_exec");
}

BOOST_AUTO_TEST_CASE(a_128_kib_argument_and_3000_arguments) {
  std::vector<std::string> many = {"cp"};
  for (int i = 0; i < 3000; ++i) many.push_back("/boot/f" + std::to_string(i));
  const auto r = run_command({kBinary, "replay", "--rules", kRules, "--max-alert-bytes", "8000", "-"},
                             shell() + cp(2, {"cp", std::string(131071, 'D'), "/boot/"}) + cp(3, many));
  BOOST_TEST(r.exit_code == 0, r.err);
  const auto docs = check_alerts(r.out);
  BOOST_REQUIRE(docs.size() == 2u);
  for (const auto& line : testing::lines_of(r.out)) BOOST_TEST(line.size() <= 8000u);
  BOOST_TEST(docs[1].find("process")->find("args_count")->as_int() == 3001);
}

BOOST_AUTO_TEST_CASE(paths_with_dot_dot_double_slashes_and_trailing_slashes) {
  testing::CreateSpec spec;
  spec.serial = 2;
  spec.pid = 1002;
  spec.ppid = 100;
  spec.parent_name = "/usr/lib//dracut/./modules.d/";
  spec.parent_inode = 7;
  spec.name = "/tmp/../usr/lib//dracut/modules.d/./90x/../91y//module-setup.sh";
  spec.exe = "/usr/bin/tee";
  const auto r = run_command({kBinary, "replay", "--rules", kRules, "-"}, shell() + testing::create_records(spec));
  const auto docs = check_alerts(r.out);
  BOOST_REQUIRE(docs.size() == 1u);
  BOOST_TEST(docs[0].find("file")->find("path")->as_string() == "/usr/lib/dracut/modules.d/91y/module-setup.sh");
  // A name that climbs out of the tree is judged where it lands.
  spec.name = "/usr/lib/dracut/modules.d/../../../../tmp/x";
  const auto outside = run_command({kBinary, "replay", "--rules", kRules, "-"}, shell() + testing::create_records(spec));
  BOOST_TEST(outside.out.empty());
}

BOOST_AUTO_TEST_CASE(an_event_with_1000_path_records) {
  const std::string st = testing::stamp(1795413900100, 2);
  std::string log = shell();
  log += "type=SYSCALL " + st + " arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=1 a2=241 a3=1b6 items=1000 "
         "ppid=100 pid=1002 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"x\" "
         "exe=\"/usr/bin/x\" key=\"bp_dracut\"\n";
  log += "type=CWD " + st + " cwd=\"/\"\n";
  for (int i = 0; i < 1000; ++i) {
    log += "type=PATH " + st + " item=" + std::to_string(i) + " name=\"/usr/lib/dracut/modules.d/f" + std::to_string(i) +
           "\" inode=" + std::to_string(5000 + i) + " dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=CREATE\n";
  }
  log += "type=PROCTITLE " + st + " proctitle=78\n";
  log += cp(3, {"cp", "x", "/boot/after"});
  const auto r = run_command({kBinary, "replay", "--rules", kRules, "-"}, log);
  BOOST_TEST(r.exit_code == 0, r.err);
  const auto docs = check_alerts(r.out);
  // 1,000 creations, Dracut Module Creation throttled at its max_signals of 100; the stream went on.
  BOOST_TEST(docs.size() == 101u);
  BOOST_TEST(r.err.find("100 alerts, 900 throttled") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(truncated_and_binary_files_end_cleanly) {
  std::string log = shell() + cp(2, {"cp", "x", "/boot/y"});
  const std::string cut = log.substr(0, log.size() - 37);  // mid-record
  const auto r = run_command({kBinary, "replay", "--rules", kRules, "-"}, cut);
  BOOST_TEST(r.exit_code == 0, r.err);
  check_alerts(r.out);
  std::string binary;
  for (int i = 0; i < 1 << 20; ++i) binary += static_cast<char>((i * 2654435761u) >> 13);
  const auto b = run_command({kBinary, "replay", "--rules", kRules, "-"}, binary + "\n" + log);
  BOOST_TEST(b.exit_code == 0);
  BOOST_TEST(check_alerts(b.out).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
