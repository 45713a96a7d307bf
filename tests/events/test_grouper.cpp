#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "events/auparse_grouper.h"
#include "support/corpus.h"
#include "support/grouped.h"

using namespace auditeql;
using events::AuditEvent;
using events::EventClass;
using testing::fixture;
using testing::Grouped;
using testing::read_file;

namespace {

Grouped group(const std::string& log) { return testing::group_lines(log); }

const AuditEvent* exec_with_arg(const Grouped& g, std::string_view arg) {
  for (const auto& e : g.events) {
    if (e.event_class != EventClass::Exec) continue;
    for (const auto& a : e.argv) {
      if (a == arg) return &e;
    }
  }
  return nullptr;
}

std::string add_eoe_records(const std::string& log) {
  // The plugin stream adds "type=EOE msg=audit(T:S):" after each multi-record event.
  std::string out;
  std::string last_stamp;
  size_t start = 0;
  while (start < log.size()) {
    size_t end = log.find('\n', start);
    if (end == std::string::npos) end = log.size();
    const std::string line = log.substr(start, end - start);
    const size_t a = line.find("msg=audit(");
    const std::string stamp = a == std::string::npos ? "" : line.substr(a, line.find("):", a) - a + 2);
    if (!last_stamp.empty() && stamp != last_stamp) out += "type=EOE " + last_stamp + "\n";
    out += line + "\n";
    last_stamp = stamp;
    start = end + 1;
  }
  if (!last_stamp.empty()) out += "type=EOE " + last_stamp + "\n";
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(grouper)

BOOST_AUTO_TEST_CASE(exec_event_fields_are_decoded) {
  const auto g = group(read_file(fixture("formats/a_plain_elf_cp.log")));
  const AuditEvent* cp = exec_with_arg(g, "cp");
  BOOST_REQUIRE(cp != nullptr);
  BOOST_TEST(cp->exe == "/usr/bin/cp");
  BOOST_TEST(cp->comm == "cp");
  BOOST_TEST(cp->key == "bp_exec");
  BOOST_TEST(cp->cwd == "/tmp/scen");
  BOOST_TEST(cp->user_name == "root");
  BOOST_TEST(cp->uid == 0);
  BOOST_TEST(cp->arch == 0xc000003eu);
  BOOST_TEST(cp->syscall == 59);
  BOOST_TEST(cp->pid > 0);
  BOOST_TEST(cp->ppid > 0);
  BOOST_REQUIRE(cp->paths.size() >= 1u);
  BOOST_TEST(cp->paths[0].name == "/usr/bin/cp");
  BOOST_TEST((cp->paths[0].nametype == events::NameType::Normal));
  BOOST_TEST(cp->paths[0].inode > 0u);
}

BOOST_AUTO_TEST_CASE(hex_encoded_arguments_decode_to_raw_bytes) {
  const auto g = group(read_file(fixture("formats/e_arg_encoding.log")));
  const AuditEvent* echo = exec_with_arg(g, "/bin/echo");
  BOOST_REQUIRE(echo != nullptr);
  const std::vector<std::string> expected = {"/bin/echo",     "with space", "single'quote", "double\"quote",
                                             "new\nline",     "tab\ttab",   "\xc3\xbcn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac",
                                             "",              "back\\slash", "a=b",          "$dollar",
                                             "\x01" "ctl"};
  BOOST_TEST(echo->argv == expected, boost::test_tools::per_element());
  BOOST_TEST(g.stats.bad_values == 0u);
}

BOOST_AUTO_TEST_CASE(split_and_continued_arguments_are_joined) {
  const auto g = group(read_file(fixture("formats/f_long_args.log")));
  const AuditEvent* first = exec_with_arg(g, "short");
  BOOST_REQUIRE(first != nullptr);
  BOOST_REQUIRE(first->argv.size() == 4u);
  BOOST_TEST(first->argv[1] == std::string(12000, 'A'));
  BOOST_TEST(first->argv[3] == std::string(9000, 'B') + " with space");
  const AuditEvent* many = exec_with_arg(g, "2999");
  BOOST_REQUIRE(many != nullptr);
  BOOST_REQUIRE(many->argv.size() == 3001u);
  for (size_t i = 1; i <= 3000; ++i) BOOST_TEST_REQUIRE(many->argv[i] == std::to_string(i));
}

BOOST_AUTO_TEST_CASE(argument_length_thresholds_and_the_kernel_maximum) {
  const auto g = group(read_file(fixture("formats/f2_arg_thresholds.log")));
  for (const int n : {3000, 7400, 7499, 7500, 7600}) {
    const AuditEvent* e = exec_with_arg(g, "tail" + std::to_string(n));
    BOOST_REQUIRE_MESSAGE(e != nullptr, "exec with tail" << n);
    BOOST_TEST(e->argv.size() == 3u);
    BOOST_TEST(e->argv[1] == std::string(n, 'C'));
  }
  const AuditEvent* max = exec_with_arg(g, "end");
  BOOST_REQUIRE(max != nullptr);
  BOOST_TEST(max->argv[1] == std::string(131071, 'D'));
}

BOOST_AUTO_TEST_CASE(failed_execs_are_not_starts) {
  const auto g = group(read_file(fixture("formats/b_script_shebang.log")));
  BOOST_TEST(g.stats.failed_execs > 0u);
  for (const auto& e : g.events) BOOST_TEST(e.success);
}

BOOST_AUTO_TEST_CASE(thirty_two_bit_execve_is_recognised) {
  const auto g = group(read_file(fixture("formats/h_32bit.log")));
  bool saw_i386 = false;
  for (const auto& e : g.events) {
    if (e.arch == 0x40000003u) {
      saw_i386 = true;
      BOOST_TEST(e.syscall == 11);
      BOOST_TEST((e.event_class == EventClass::Exec));
      BOOST_TEST(e.argv.front() == "cp");
    }
  }
  BOOST_TEST(saw_i386);
}

BOOST_AUTO_TEST_CASE(enriched_raw_ausearch_and_plugin_streams_decode_alike) {
  const auto plugin = group(read_file(fixture("formats/k_plugin_enriched_received.txt")));
  const auto ausearch = group(read_file(fixture("formats/k_ausearch_raw_sample.txt")));
  const AuditEvent* a = plugin.serial(17957);
  const AuditEvent* b = ausearch.serial(17957);
  BOOST_REQUIRE(a != nullptr);
  BOOST_REQUIRE(b != nullptr);
  BOOST_TEST(a->argv == b->argv, boost::test_tools::per_element());
  BOOST_TEST(a->argv.back() == "/tmp/scen/k_copy");  // the bare \x1d of ausearch --raw is not part of it
  BOOST_TEST(a->cwd == b->cwd);
  BOOST_TEST(b->cwd == "/tmp/scen");
  BOOST_TEST(a->key == "bp_exec");
  BOOST_TEST(b->key == "bp_exec");
  BOOST_TEST(a->paths.size() == b->paths.size());
  BOOST_TEST(b->paths[0].name == "/usr/bin/cp");
  BOOST_TEST(a->node.empty());

  const auto raw = group(read_file(fixture("formats/k_plugin_raw_nodename_received.txt")));
  const AuditEvent* c = raw.serial(18384);
  BOOST_REQUIRE(c != nullptr);
  BOOST_TEST(c->node == "vm");
  BOOST_TEST(c->argv.back() == "/tmp/scen/k_copy_raw");
  BOOST_TEST(c->paths[0].name == "/usr/bin/cp");
  BOOST_TEST(c->key == "bp_exec");
}

BOOST_AUTO_TEST_CASE(eoe_records_change_nothing) {
  const std::string log = read_file(fixture("formats/i_file_creation_watch.log"));
  const auto without = group(log);
  const auto with = group(add_eoe_records(log));
  BOOST_REQUIRE(without.events.size() == with.events.size());
  BOOST_TEST(without.events.size() > 20u);
  for (size_t i = 0; i < with.events.size(); ++i) {
    BOOST_TEST(with.events[i].serial == without.events[i].serial);
    BOOST_TEST(with.events[i].argv == without.events[i].argv, boost::test_tools::per_element());
    BOOST_TEST(with.events[i].paths.size() == without.events[i].paths.size());
  }
}

BOOST_AUTO_TEST_CASE(interleaved_records_are_grouped_by_serial) {
  const auto g = group(read_file(fixture("formats/l_interleaved_events.log")));
  // 201531's PROCTITLE comes after 201532 and 201533 completed; all three are whole.
  for (const uint64_t serial : {201531u, 201532u, 201533u}) {
    const AuditEvent* e = g.serial(serial);
    BOOST_REQUIRE(e != nullptr);
    BOOST_TEST(e->has_execve);
    BOOST_TEST(e->has_cwd);
    BOOST_TEST(e->paths.size() == 2u);
    BOOST_TEST(!e->argv.empty());
  }
  BOOST_TEST(g.serial(201531)->argv.front() == "awk");
  // The slice ends inside 201534: what is there is still delivered at the end.
  const AuditEvent* cut = g.serial(201534);
  BOOST_REQUIRE(cut != nullptr);
  BOOST_TEST(!cut->has_execve);
  // 201530 lost its SYSCALL record to the slice start: not an exec.
  BOOST_TEST(g.serial(201530) == nullptr);
}

BOOST_AUTO_TEST_CASE(file_creation_and_rename_classes) {
  const auto g = group(read_file(fixture("formats/i_file_creation_syscall.log")));
  BOOST_TEST(g.stats.file_creates == 19u);
  BOOST_TEST(g.stats.file_renames == 4u);
  for (const auto& e : g.events) {
    if (e.event_class == EventClass::FileRename) {
      BOOST_TEST((e.syscall_kind == events::SyscallKind::Renameat2 || e.syscall_kind == events::SyscallKind::Rename));
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_hex_and_missing_fields_do_not_stop_the_stream) {
  const std::string log =
      "type=SYSCALL msg=audit(1.001:10): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=1 pid=50 uid=0 comm=\"x\" exe=\"/bin/x\" key=\"k\"\n"
      "type=EXECVE msg=audit(1.001:10): argc=3 a0=\"x\" a1=ZZ a2=414\n"
      "type=PATH msg=audit(1.001:10): item=0 name=NOTHEX inode=abc dev=zz mode=9 nametype=WHAT\n"
      "type=PATH msg=audit(1.001:10): item=99999999 name=\"/a\"\n"
      "type=PROCTITLE msg=audit(1.001:10): proctitle=78\n"
      "type=SYSCALL msg=audit(1.002:11): arch=c000003e syscall=59 success=yes exit=0 items=0 comm=\"y\"\n"
      "type=PROCTITLE msg=audit(1.002:11): proctitle=79\n"
      "type=EXECVE msg=audit(1.003:12): argc=4294967295 a4294967294=\"x\"\n"
      "type=SYSCALL msg=audit(1.004:13): arch=c000003e syscall=59 success=yes exit=0 items=0 ppid=1 pid=51 comm=\"z\" exe=\"/bin/z\"\n"
      "type=EXECVE msg=audit(1.004:13): argc=1 a0=\"z\"\n"
      "type=PROCTITLE msg=audit(1.004:13): proctitle=7A\n";
  const auto g = group(log);
  const AuditEvent* first = g.serial(10);
  BOOST_REQUIRE(first != nullptr);
  BOOST_TEST(first->argv[1] == "ZZ");  // kept verbatim, counted as bad
  BOOST_TEST(first->argv[2] == "414");
  BOOST_TEST(first->paths.size() == 1u);
  BOOST_TEST(first->paths[0].name == "NOTHEX");
  BOOST_TEST(g.stats.bad_values >= 3u);
  BOOST_TEST(g.serial(11) == nullptr);  // exec without a pid
  BOOST_TEST(g.stats.malformed == 1u);
  BOOST_TEST(g.serial(13) != nullptr);  // the stream went on
}

BOOST_AUTO_TEST_CASE(numbers_out_of_range_are_unknown_not_wrapped) {
  const std::string log =
      "type=SYSCALL msg=audit(1.001:20): arch=c000003e syscall=59 success=yes exit=0 items=1 ppid=-9223372036854775808 "
      "pid=9223372036854775808 uid=-9223372036854775807 euid=99999999999999999999 gid=18446744073709551615 comm=\"x\" exe=\"/bin/x\"\n"
      "type=EXECVE msg=audit(1.001:20): argc=1 a0=\"x\"\n"
      "type=PATH msg=audit(1.001:20): item=0 name=\"/bin/x\" inode=18446744073709551616 nametype=NORMAL\n"
      "type=PROCTITLE msg=audit(1.001:20): proctitle=78\n"
      "type=SYSCALL msg=audit(1.002:21): arch=c000003e syscall=59 success=yes exit=0 items=1 ppid=-9223372036854775807 "
      "pid=9223372036854775807 uid=0 comm=\"y\" exe=\"/bin/y\"\n"
      "type=EXECVE msg=audit(1.002:21): argc=1 a0=\"y\"\n"
      "type=PATH msg=audit(1.002:21): item=0 name=\"/bin/y\" inode=18446744073709551615 nametype=NORMAL\n"
      "type=PROCTITLE msg=audit(1.002:21): proctitle=79\n";
  const auto g = group(log);
  // A pid above INT64_MAX is no pid: that exec is not an event.
  BOOST_TEST(g.serial(20) == nullptr);
  const AuditEvent* edge = g.serial(21);
  BOOST_REQUIRE(edge != nullptr);
  BOOST_TEST(edge->pid == INT64_MAX);
  BOOST_TEST(edge->ppid == -INT64_MAX);
  BOOST_REQUIRE(edge->paths.size() == 1u);
  BOOST_TEST(edge->paths[0].inode == UINT64_MAX);
}

BOOST_AUTO_TEST_CASE(thread_clones_are_not_forks) {
  const std::string log =
      "type=SYSCALL msg=audit(1.001:10): arch=c000003e syscall=56 success=yes exit=101 a0=3d0f00 a1=0 a2=0 a3=0 items=0 ppid=1 pid=100 comm=\"t\" exe=\"/bin/t\" key=\"bp_fork\"\n"
      "type=PROCTITLE msg=audit(1.001:10): proctitle=74\n"
      "type=SYSCALL msg=audit(1.002:11): arch=c000003e syscall=56 success=yes exit=102 a0=1200011 a1=0 a2=0 a3=0 items=0 ppid=1 pid=100 comm=\"t\" exe=\"/bin/t\" key=\"bp_fork\"\n"
      "type=PROCTITLE msg=audit(1.002:11): proctitle=74\n";
  const auto g = group(log);
  BOOST_TEST(g.stats.thread_clones == 1u);
  BOOST_TEST(g.stats.forks == 1u);
  BOOST_REQUIRE(g.events.size() == 1u);
  BOOST_TEST(g.events[0].exit_code == 102);
}

BOOST_AUTO_TEST_SUITE_END()
