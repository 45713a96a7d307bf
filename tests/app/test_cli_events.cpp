#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cstdio>

#include "support/command.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"
#include "util/json_value.h"

using namespace auditeql;
using testing::run_command;

namespace {

const std::string kBinary = AUDITEQL_BINARY;

std::vector<util::JsonValue> parse_ndjson(const std::string& out) {
  std::vector<util::JsonValue> docs;
  for (const auto& line : testing::lines_of(out)) docs.push_back(util::parse_json(line));
  return docs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_events)

BOOST_AUTO_TEST_CASE(help_and_version) {
  const auto help = run_command({kBinary, "--help"});
  BOOST_TEST(help.exit_code == 0);
  BOOST_TEST(help.out.find("events") != std::string::npos);
  const auto events_help = run_command({kBinary, "events", "--help"});
  BOOST_TEST(events_help.exit_code == 0);
  BOOST_TEST(events_help.out.find("Usage: auditeql events") != std::string::npos);
  const auto version = run_command({kBinary, "--version"});
  BOOST_TEST(version.exit_code == 0);
  BOOST_TEST(version.out.rfind("auditeql ", 0) == 0);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  BOOST_TEST(run_command({kBinary, "frobnicate"}).exit_code == 2);
  const auto bad = run_command({kBinary, "events", "--no-such-option"});
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(bad.err.find("unknown option --no-such-option") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_file_is_an_error_with_its_name) {
  const auto r = run_command({kBinary, "events", "/nonexistent/audit.log"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("/nonexistent/audit.log: No such file or directory") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_capture_becomes_ndjson_with_a_summary) {
  const auto r = run_command({kBinary, "events", "--host-name", "h1",
                              testing::scenario_file("atk_dracut_mod_cp_r_dir", "audit.log").string()});
  BOOST_TEST(r.exit_code == 0);
  const auto docs = parse_ndjson(r.out);
  BOOST_TEST(docs.size() == 6u);
  bool saw_file = false;
  for (const auto& d : docs) {
    BOOST_TEST(d.find("host")->find("os")->find("type")->as_string() == "linux");
    BOOST_TEST(d.find("@timestamp")->as_string().size() == 24u);
    if (d.find("file") && d.find("file")->find("path")->as_string() == "/usr/lib/dracut/modules.d/92cpr/module-setup.sh") {
      saw_file = true;
      BOOST_TEST(d.find("event")->find("category")->as_array()[0].as_string() == "file");
      BOOST_TEST(d.find("event")->find("type")->as_array()[0].as_string() == "creation");
      BOOST_TEST(d.find("file")->find("extension")->as_string() == "sh");
      BOOST_TEST(d.find("process")->find("name")->as_string() == "cp");
      BOOST_TEST(d.find("host")->find("name")->as_string() == "h1");
    }
  }
  BOOST_TEST(saw_file);
  BOOST_TEST(r.err.find("4 process starts, 2 file creations") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(this_hosts_directories_are_read_only_when_asked) {
  // A log of this host: a file created through a descriptor of watched/sub,
  // a directory the log never names.
  testing::TempDir dir;
  const std::string sub = dir.mkdir("watched/sub");
  struct stat st {};
  BOOST_REQUIRE(stat(sub.c_str(), &st) == 0);
  char dev[32];
  snprintf(dev, sizeof dev, "%x:%02x", major(st.st_dev), minor(st.st_dev));
  testing::CreateSpec spec = testing::dirfd_create(5, "site", st.st_ino, "x.sh", 999999);
  spec.dev = dev;
  const std::string rules = dir.write("site.rules", "-w " + dir.str() + "/watched -p wa -k site\n");
  const std::string log = testing::create_records(spec);
  const auto path_of = [](const testing::CommandResult& r) {
    const auto docs = parse_ndjson(r.out);
    BOOST_REQUIRE(docs.size() == 1u);
    return docs[0];
  };

  const auto guessed = run_command({kBinary, "events", "--audit-rules", rules, "-"}, log);
  BOOST_TEST(guessed.exit_code == 0, guessed.err);
  const auto g = path_of(guessed);
  BOOST_TEST(g.find("file")->find("path")->as_string() == dir.str() + "/watched/x.sh");
  BOOST_REQUIRE(g.find("auditeql") != nullptr);
  BOOST_TEST(g.find("auditeql")->find("file_path_inferred")->as_bool());
  BOOST_TEST(guessed.err.find("1 path inferred from audit keys") != std::string::npos, guessed.err);

  const auto walked = run_command({kBinary, "events", "--audit-rules", rules, "--host-inodes", "-"}, log);
  BOOST_TEST(walked.exit_code == 0, walked.err);
  const auto w = path_of(walked);
  BOOST_TEST(w.find("file")->find("path")->as_string() == sub + "/x.sh");
  BOOST_TEST(w.find("auditeql") == nullptr);
  BOOST_TEST(walked.err.find("2 directories of this host's watched trees known") != std::string::npos, walked.err);
}

BOOST_AUTO_TEST_CASE(standard_input_and_several_files_form_one_stream) {
  const std::string log = testing::read_file(testing::scenario_file("atk_boot_cp_into", "audit.log"));
  const auto r = run_command({kBinary, "events", "-"}, log);
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(parse_ndjson(r.out).size() == 5u);
}

BOOST_AUTO_TEST_CASE(garbage_input_is_reported_and_never_crashes) {
  std::string garbage = "not an audit record\n\x01\x02\xff\xfe\n";
  for (int i = 0; i < 20000; ++i) garbage += static_cast<char>((i * 2654435761u) >> 24);
  garbage += "\ntype=SYSCALL msg=audit(1.2:3): arch=zz syscall=59 success=yes\n";
  garbage += testing::exec_records({.serial = 9, .pid = 10, .ppid = 1, .exe = "/usr/bin/cp", .argv = {"cp", "x", "/boot/"}, .path0 = "/usr/bin/cp"});
  const auto r = run_command({kBinary, "events"}, garbage);
  BOOST_TEST(r.exit_code == 0);
  const auto docs = parse_ndjson(r.out);
  BOOST_REQUIRE(docs.size() == 1u);
  BOOST_TEST(docs[0].find("process")->find("name")->as_string() == "cp");
  BOOST_TEST(r.err.find("skipped lines") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(hostile_arguments_stay_inside_their_json_string) {
  const std::vector<std::string> argv = {
      "cp", "new\nline", "quote\"}{\"rule\":{\"name\":\"forged\"}", std::string("gs\x1dsep", 6), "ctl\x01\x7f", "bad\xff\xc3utf8",
      "\xe2\x80\xa8" "ls", "/boot/x"};
  const auto r = run_command({kBinary, "events"},
                             testing::exec_records({.serial = 9, .pid = 10, .ppid = 1, .exe = "/usr/bin/cp", .argv = argv, .path0 = "/usr/bin/cp"}));
  BOOST_TEST(r.exit_code == 0);
  const auto lines = testing::lines_of(r.out);
  BOOST_REQUIRE(lines.size() == 1u);
  const auto doc = util::parse_json(lines[0]);
  BOOST_TEST(doc.find("rule") == nullptr);
  const auto& args = doc.find("process")->find("args")->as_array();
  BOOST_REQUIRE(args.size() == argv.size());
  for (size_t i = 0; i < argv.size(); ++i) {
    if (i == 5) continue;
    BOOST_TEST(args[i].as_string() == argv[i]);
  }
  BOOST_TEST(args[5].as_string() == "bad\xef\xbf\xbd\xef\xbf\xbdutf8");  // invalid bytes become U+FFFD
}

BOOST_AUTO_TEST_CASE(user_names_come_from_the_enriched_log_not_this_host) {
  // uid 4242 has no name here; the log's own UID= says who it was.
  const std::string log =
      "type=SYSCALL msg=audit(1795413900.001:5): arch=c000003e syscall=59 success=yes exit=0 items=1 ppid=1 pid=77 "
      "auid=4242 uid=4242 gid=0 euid=4242 comm=\"id\" exe=\"/usr/bin/id\" key=\"k\"\x1d"
      "ARCH=x86_64 SYSCALL=execve AUID=\"bob\" UID=\"alice\" GID=\"root\" EUID=\"alice\"\n"
      "type=EXECVE msg=audit(1795413900.001:5): argc=1 a0=\"id\"\n"
      "type=CWD msg=audit(1795413900.001:5): cwd=\"/\"\n"
      "type=PATH msg=audit(1795413900.001:5): item=0 name=\"/usr/bin/id\" inode=1 dev=fe:00 mode=0100755 ouid=0 "
      "ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\x1dOUID=\"root\" OGID=\"root\"\n"
      "type=PROCTITLE msg=audit(1795413900.001:5): proctitle=6964\n";
  const auto result = run_command({kBinary, "events", "-"}, log);
  BOOST_TEST(result.exit_code == 0);
  const auto docs = parse_ndjson(result.out);
  BOOST_REQUIRE(docs.size() == 1u);
  const auto* user = docs[0].find("user");
  BOOST_REQUIRE(user != nullptr);
  const auto* name = user->find("name");
  BOOST_REQUIRE_MESSAGE(name != nullptr, result.out);
  BOOST_TEST(name->as_string() == "alice");
}

BOOST_AUTO_TEST_SUITE_END()
