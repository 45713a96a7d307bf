// The record stage compacts what it hands to libauparse (drops BPRM_FCAPS,
// turns PROCTITLE into EOE, leaves out ENRICHED tails and the SYSCALL and
// PATH fields the events stage does not read). That is only sound while the
// events stage really reads none of it: grouping the captured logs with and
// without compaction must give the same events, field for field.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "events/auparse_grouper.h"
#include "records/record_stream.h"
#include "support/corpus.h"

using namespace auditeql;
using events::AuditEvent;
using testing::fixture;
using testing::read_file;

namespace {

// Every field of an event, as one comparable line.
std::string describe(const AuditEvent& e) {
  std::ostringstream out;
  out << e.serial << ' ' << e.time_ms << " node=" << e.node << " class=" << int(e.event_class)
      << " kind=" << int(e.syscall_kind) << " arch=" << e.arch << " syscall=" << e.syscall
      << " result=" << e.has_result << " success=" << e.success << " exit=" << e.exit_code << " args=" << e.args[0]
      << ',' << e.args[1] << ',' << e.args[2] << ',' << e.args[3] << " pid=" << e.pid << " ppid=" << e.ppid
      << " uid=" << e.uid << " euid=" << e.euid << " gid=" << e.gid << " egid=" << e.egid << " tty=" << e.tty
      << " user=" << e.user_name << " euser=" << e.effective_user_name
      << " syscall_name=" << (e.syscall_name ? e.syscall_name : "-") << " comm=" << e.comm << " exe=" << e.exe << " key=" << e.key
      << " execve=" << e.has_execve << " cwd=" << e.has_cwd << ':' << e.cwd << " argv=";
  for (const auto& a : e.argv) out << a.size() << ':' << a << ' ';
  const auto& sa = e.sockaddr;
  out << " sockaddr=" << e.has_sockaddr << ':' << int(sa.family) << ',' << sa.raw_family << ',' << sa.ip << ','
      << sa.v4_mapped << ',' << sa.port << ',' << sa.path << ',' << sa.abstract << ',' << sa.netlink_pid
      << " module=" << e.has_module_name << ':' << e.module_name;
  for (const auto& p : e.paths) {
    out << " path=" << p.has_name << ':' << p.name << ' ' << int(p.nametype) << ' ' << p.has_inode << ':' << p.inode
        << ' ' << p.dev << ' ' << p.mode;
  }
  return out.str();
}

// Each record line straight to libauparse, as auditd writes it.
std::vector<std::string> grouped_as_written(const std::string& log) {
  std::vector<std::string> out;
  events::AuparseGrouper grouper([&](AuditEvent& e) { out.push_back(describe(e)); });
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (records::classify_line(line) == records::LineVerdict::Record) grouper.add_record(line);
  }
  grouper.flush();
  std::sort(out.begin(), out.end());  // completion order may differ: EOE ends an event earlier
  return out;
}

std::vector<std::string> grouped_compacted(const std::string& log, uint64_t& compacted) {
  std::vector<std::string> out;
  events::AuparseGrouper grouper([&](AuditEvent& e) { out.push_back(describe(e)); });
  records::RecordStream stream([&](std::string_view records) { grouper.feed(records); });
  stream.set_compaction(events::AuparseGrouper::records_read());
  stream.feed(log);
  stream.finish();
  grouper.flush();
  compacted += stream.stats().compacted;
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::filesystem::path> captured_logs() {
  std::vector<std::filesystem::path> logs;
  for (const auto& entry : std::filesystem::directory_iterator(fixture("formats"))) {
    const auto ext = entry.path().extension();
    if (ext == ".log" || entry.path().filename().string().find("received") != std::string::npos) logs.push_back(entry.path());
  }
  for (const auto& name : testing::scenario_names()) logs.push_back(testing::scenario_file(name, "audit.log"));
  logs.push_back(fixture("sample/boot-persistence-attacks.log"));
  return logs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compaction)

BOOST_AUTO_TEST_CASE(compaction_changes_no_event_of_the_captured_logs) {
  uint64_t events = 0, compacted = 0;
  const auto logs = captured_logs();
  BOOST_TEST(logs.size() > 30u);
  for (const auto& path : logs) {
    BOOST_TEST_CONTEXT(path.filename().string()) {
      const std::string log = read_file(path);
      const auto expected = grouped_as_written(log);
      const auto actual = grouped_compacted(log, compacted);
      BOOST_TEST(actual == expected, boost::test_tools::per_element());
      events += expected.size();
    }
  }
  // Enough events, and enough compaction, for the comparison to mean something.
  BOOST_TEST(events > 1000u);
  BOOST_TEST(compacted > events);
}

BOOST_AUTO_TEST_SUITE_END()
