// The event kinds beyond process starts and file creations, normalized from
// the m_* captures of tests/fixtures/formats (NOTES.md sections 13-23): each
// derivation of src/normalize/EVENT-KINDS.md, and the hand-built records for
// what the captures cannot show (a module the kernel accepted, a call that
// left the ids as they were).
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

#include "ecs/fields.h"
#include "support/corpus.h"
#include "support/synthetic.h"

using namespace auditeql;
using ecs::Event;
using ecs::EventKind;
using testing::fixture;
using testing::read_file;
using testing::run_pipeline;

namespace {

std::vector<Event> normalized(const std::string& capture) {
  return run_pipeline(read_file(fixture("formats/" + capture))).events;
}

std::vector<Event> of_kind(const std::vector<Event>& events, EventKind kind) {
  std::vector<Event> out;
  for (const auto& e : events) {
    if (e.kind == kind) out.push_back(e);
  }
  return out;
}

const Event& one(const std::vector<Event>& events, uint64_t sequence, EventKind kind) {
  const Event* found = nullptr;
  for (const auto& e : events) {
    if (e.sequence != sequence || e.kind != kind) continue;
    BOOST_REQUIRE_MESSAGE(found == nullptr, "two events for serial " << sequence);
    found = &e;
  }
  BOOST_REQUIRE_MESSAGE(found != nullptr, "no event for serial " << sequence);
  return *found;
}

std::vector<uint64_t> sequences(const std::vector<Event>& events) {
  std::vector<uint64_t> out;
  for (const auto& e : events) out.push_back(e.sequence);
  std::sort(out.begin(), out.end());
  return out;
}

// A field of the event as the registry reads it (what rules and JSON see);
// "<none>" when absent. Numbers, booleans and arrays' first values as text.
std::string field(const Event& e, std::string_view name) {
  const auto id = ecs::find_event_field(name);
  BOOST_REQUIRE_MESSAGE(id.has_value(), "no registry field " << name);
  const ecs::EventField& f = ecs::event_field(*id);
  if ((f.kinds & ecs::kind_bit(e.kind)) == 0) return "<none>";
  ecs::FieldScratch scratch;
  const util::FieldValues v = f.read(e, scratch);
  if (v.empty()) return "<none>";
  const util::Scalar s = v.at(0);
  switch (s.kind) {
    case util::Scalar::Kind::String: return std::string(s.s);
    case util::Scalar::Kind::Int: return std::to_string(s.i);
    case util::Scalar::Kind::Bool: return s.b ? "true" : "false";
    default: return "?";
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(deletions)

BOOST_AUTO_TEST_CASE(removed_names_are_placed_like_created_ones) {
  const auto events = normalized("m_delete.log");
  const auto deletions = of_kind(events, EventKind::FileDeletion);
  const std::vector<uint64_t> expected = {1281, 1283, 1284, 1286, 1288, 1290, 1291, 1292, 1294, 1296, 1303, 1305};
  BOOST_TEST(sequences(deletions) == expected, boost::test_tools::per_element());
  const std::map<uint64_t, std::string> paths = {
      {1281, "/tmp/scen/del/f_rm"},              // rm f: relative to the CWD
      {1283, "/tmp/scen/del/f_py"},              // unlink of an absolute name
      {1284, "/tmp/scen/del/d_pyrmdir"},         // rmdir
      {1286, "f_pyat"},                          // unlinkat(5, ...): a directory the log never names
      {1290, "f_in"},                            // rm -r: unlinkat(7, ...), same
      {1292, "/tmp/scen/del/d1"},                // rm -r's last, relative to the CWD
      {1294, "/tmp/scen/del/sym"},               // the link, not its target
      {1296, "/tmp/scen/del/.ssh/authorized_keys"},
      {1305, "/tmp/scen/watched/wd"},            // under a watch
  };
  for (const auto& [serial, path] : paths) BOOST_TEST(one(deletions, serial, EventKind::FileDeletion).file_path == path, serial);

  const Event& keys = one(deletions, 1296, EventKind::FileDeletion);
  BOOST_TEST(field(keys, "event.category") == "file");
  BOOST_TEST(field(keys, "event.type") == "deletion");
  BOOST_TEST(field(keys, "event.action") == "deletion");
  BOOST_TEST(field(keys, "file.name") == "authorized_keys");
  BOOST_TEST(field(keys, "file.directory") == "/tmp/scen/del/.ssh");
  BOOST_TEST(field(keys, "file.extension") == "<none>");
  BOOST_TEST(field(keys, "process.name") == "rm");
  BOOST_TEST(field(keys, "auditd.data.syscall") == "unlinkat");
  BOOST_TEST(field(keys, "auditd.data.a0") == "ffffff9c");
  // The relative names whose directory is unknown are counted.
  BOOST_TEST(run_pipeline(read_file(fixture("formats/m_delete.log"))).stats.normalized.unresolved_paths == 3u);
}

BOOST_AUTO_TEST_CASE(a_name_removed_through_a_directory_fd_is_resolved_through_its_inode) {
  // mkdir /usr/lib/dracut/modules.d/90x (inode 4242), then
  // unlinkat(fd of 90x, "evil.sh"): the PARENT item prints the CWD.
  const testing::CreateSpec mkdir = testing::dracut_mkdir(1, "90x", 4242);
  testing::CreateSpec unlink = testing::dirfd_create(2, "bp_dracut", 4242, "evil.sh", 99);
  unlink.syscall = 263;
  unlink.nametype = "DELETE";
  // The directory itself goes next; then its inode names nothing any more.
  testing::CreateSpec rmdir = unlink;
  rmdir.serial = 3;
  rmdir.a0 = "ffffff9c";
  rmdir.parent_name = "/usr/lib/dracut/modules.d";
  rmdir.parent_inode = 1;
  rmdir.name = "/usr/lib/dracut/modules.d/90x";
  rmdir.inode = 4242;
  rmdir.mode = "040755";
  rmdir.syscall = 84;
  testing::CreateSpec after = testing::dirfd_create(4, "other", 4242, "late.sh", 100);
  const auto run = run_pipeline(testing::create_records(mkdir) + testing::create_records(unlink) +
                                testing::create_records(rmdir) + testing::create_records(after));
  BOOST_REQUIRE(run.events.size() == 4u);
  BOOST_TEST((run.events[1].kind == EventKind::FileDeletion));
  BOOST_TEST(run.events[1].file_path == "/usr/lib/dracut/modules.d/90x/evil.sh");
  BOOST_TEST(!run.events[1].file_path_inferred);
  BOOST_TEST(run.events[2].file_path == "/usr/lib/dracut/modules.d/90x");
  BOOST_TEST(run.events[3].file_path == "late.sh");  // not under the removed 90x
}

BOOST_AUTO_TEST_CASE(a_name_under_an_unknown_directory_fd_goes_under_the_watched_directory) {
  testing::CreateSpec unlink = testing::dirfd_create(2, "bp_boot", 777, "vmlinuz-evil", 99);
  unlink.syscall = 263;
  unlink.nametype = "DELETE";
  normalize::PipelineOptions options;
  options.normalizer.watched.add_rules("-w /boot -p wa -k bp_boot\n");
  const auto run = run_pipeline(testing::create_records(unlink), options);
  BOOST_REQUIRE(run.events.size() == 1u);
  BOOST_TEST(run.events[0].file_path == "/boot/vmlinuz-evil");
  BOOST_TEST(run.events[0].file_path_inferred);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(renames)

BOOST_AUTO_TEST_CASE(renames_carry_the_old_name) {
  const auto renames = of_kind(normalized("m_rename.log"), EventKind::FileRename);
  struct Expected {
    uint64_t serial;
    std::string path, original;
  };
  const std::vector<Expected> expected = {
      {1323, "/tmp/scen/ren/a.renamed", "/tmp/scen/ren/a.txt"},
      {1326, "/tmp/scen/ren/dst/existing", "/tmp/scen/ren/b.conf"},  // over an existing file
      {1329, "/tmp/scen/ren/dst/c", "/tmp/scen/ren/c"},              // mv c dst/: renameat2(AT_FDCWD, "c", fd, "c")
      {1331, "/tmp/scen/ren/e", "/tmp/scen/ren/e.tmp"},              // rename(2), absolute names
      {1333, "/tmp/scen/ren/dst/a.moved", "/tmp/scen/ren/a.renamed"},  // renameat(5, .., 6, ..): both through inodes
      {1335, "/tmp/scen/ren/dir2", "/tmp/scen/ren/dir1"},
      {1342, "/tmp/scen/watched/w", "/tmp/scen/watched/w.dpkg-new"},
  };
  for (const auto& want : expected) {
    const Event& e = one(renames, want.serial, EventKind::FileRename);
    BOOST_TEST(e.file_path == want.path, want.serial);
    BOOST_TEST(field(e, "file.Ext.original.path") == want.original, want.serial);
  }
  const Event& dpkg = one(renames, 1342, EventKind::FileRename);
  BOOST_TEST(field(dpkg, "file.Ext.original.name") == "w.dpkg-new");
  BOOST_TEST(field(dpkg, "file.Ext.original.extension") == "dpkg-new");
  BOOST_TEST(field(dpkg, "file.extension") == "<none>");
  BOOST_TEST(field(one(renames, 1329, EventKind::FileRename), "file.Ext.original.extension") == "<none>");
  BOOST_TEST(field(dpkg, "event.action") == "rename");

  // RENAME_EXCHANGE: two renames in one event, each with the other's name.
  std::map<std::string, std::string> swapped;
  for (const auto& e : renames) {
    if (e.sequence == 1337) swapped[e.file_path] = e.original_path;
  }
  const std::map<std::string, std::string> exchange = {{"/tmp/scen/ren/y1", "/tmp/scen/ren/x1"},
                                                       {"/tmp/scen/ren/x1", "/tmp/scen/ren/y1"}};
  BOOST_TEST(swapped == exchange);
  BOOST_TEST(renames.size() == 9u);
}

BOOST_AUTO_TEST_CASE(creations_have_no_old_name) {
  for (const auto& e : of_kind(normalized("m_rename.log"), EventKind::FileCreation)) {
    BOOST_TEST(field(e, "file.Ext.original.path") == "<none>");
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(network)

BOOST_AUTO_TEST_CASE(connects_are_attempts_to_their_destination) {
  const auto connects = of_kind(normalized("m_connect.log"), EventKind::ConnectionAttempted);
  // Unix (nscd, a path, an abstract name) and netlink connects are not network events.
  const std::vector<uint64_t> expected = {1369, 1372, 1375, 1378, 1381, 1384, 1387, 1389};
  BOOST_TEST(sequences(connects) == expected, boost::test_tools::per_element());
  struct Expected {
    uint64_t serial;
    std::string ip, port, type, transport, outcome;
  };
  const std::vector<Expected> table = {
      {1369, "127.0.0.1", "8081", "ipv4", "tcp", "success"},
      {1372, "127.0.0.1", "9", "ipv4", "tcp", "failure"},        // ECONNREFUSED
      {1375, "198.51.100.7", "443", "ipv4", "tcp", "unknown"},   // EINPROGRESS: still an attempt
      {1378, "::1", "8082", "ipv6", "tcp", "success"},
      {1381, "2001:db8::7", "443", "ipv6", "tcp", "unknown"},
      {1384, "198.51.100.53", "53", "ipv4", "udp", "success"},   // socket(AF_INET, SOCK_DGRAM)
      {1387, "127.0.0.1", "8081", "ipv4", "tcp", "success"},     // ::ffff:127.0.0.1
  };
  for (const auto& want : table) {
    const Event& e = one(connects, want.serial, EventKind::ConnectionAttempted);
    BOOST_TEST(field(e, "destination.ip") == want.ip, want.serial);
    BOOST_TEST(field(e, "destination.address") == want.ip, want.serial);
    BOOST_TEST(field(e, "destination.port") == want.port, want.serial);
    BOOST_TEST(field(e, "network.type") == want.type, want.serial);
    BOOST_TEST(field(e, "network.transport") == want.transport, want.serial);
    BOOST_TEST(field(e, "event.outcome") == want.outcome, want.serial);
    BOOST_TEST(field(e, "network.direction") == "egress");
    BOOST_TEST(field(e, "source.ip") == "<none>");  // not chosen yet when connect is audited
    BOOST_TEST(field(e, "event.category") == "network");
    BOOST_TEST(field(e, "event.type") == "start");
    BOOST_TEST(field(e, "event.action") == "connection_attempted");
  }
  // bash's /dev/tcp: no socket() record of it here, so no transport.
  const Event& bash = one(connects, 1389, EventKind::ConnectionAttempted);
  BOOST_TEST(field(bash, "process.name") == "bash");
  BOOST_TEST(field(bash, "destination.port") == "8081");
}

BOOST_AUTO_TEST_CASE(a_connect_polled_again_is_not_a_second_attempt) {
  testing::SyscallSpec again;
  again.serial = 2;
  again.pid = 50;
  again.syscall = 42;  // connect
  again.success = "no";
  again.exit = -114;  // EALREADY
  again.a0 = "5";
  again.extra = {"SOCKADDR saddr=020001BBC63364070000000000000000"};
  testing::SyscallSpec first = again;
  first.serial = 1;
  first.exit = -115;  // EINPROGRESS
  const auto run = run_pipeline(testing::syscall_records(first) + testing::syscall_records(again));
  BOOST_REQUIRE(run.events.size() == 1u);
  BOOST_TEST(run.events[0].sequence == 1u);
  BOOST_TEST(run.events[0].destination_ip == "198.51.100.7");
}

BOOST_AUTO_TEST_CASE(accepts_name_the_peer_as_source_and_the_bound_address_as_destination) {
  const auto accepts = of_kind(normalized("m_accept.log"), EventKind::ConnectionAccepted);
  const std::vector<uint64_t> expected = {1427, 1428, 1429, 1436, 1443, 1450};
  BOOST_TEST(sequences(accepts) == expected, boost::test_tools::per_element());
  struct Expected {
    uint64_t serial;
    std::string source, source_port, destination, destination_port, type;
  };
  const std::vector<Expected> table = {
      {1427, "127.0.0.1", "58798", "127.0.0.1", "8090", "ipv4"},
      {1428, "<none>", "<none>", "127.0.0.1", "8090", "ipv4"},  // accept(fd, NULL, NULL): no peer recorded
      {1429, "127.0.0.1", "58804", "127.0.0.1", "8090", "ipv4"},  // accept4
      {1436, "::1", "41596", "::1", "8091", "ipv6"},
      {1443, "127.0.0.1", "52448", "::", "8092", "ipv4"},  // an IPv4 client of a dual-stack listener
      {1450, "127.0.0.1", "53866", "0.0.0.0", "8093", "ipv4"},  // a wildcard bind
  };
  for (const auto& want : table) {
    const Event& e = one(accepts, want.serial, EventKind::ConnectionAccepted);
    BOOST_TEST(field(e, "source.ip") == want.source, want.serial);
    BOOST_TEST(field(e, "source.port") == want.source_port, want.serial);
    BOOST_TEST(field(e, "destination.ip") == want.destination, want.serial);
    BOOST_TEST(field(e, "destination.port") == want.destination_port, want.serial);
    BOOST_TEST(field(e, "network.type") == want.type, want.serial);
    BOOST_TEST(field(e, "network.direction") == "ingress");
    BOOST_TEST(field(e, "network.transport") == "tcp");
    BOOST_TEST(field(e, "event.action") == "connection_accepted");
  }
}

BOOST_AUTO_TEST_CASE(without_its_bind_an_accept_has_no_destination_and_one_without_a_peer_is_dropped) {
  // The same capture without the bind records: the listening socket was
  // inherited, or bind was not audited.
  std::string log;
  for (const auto& line : testing::lines_of_text(read_file(fixture("formats/m_accept.log")))) {
    if (line.find("syscall=49 ") != std::string::npos) continue;  // bind's SYSCALL record: the event is gone
    log += line + "\n";
  }
  const auto run = run_pipeline(log);
  const auto accepts = of_kind(run.events, EventKind::ConnectionAccepted);
  const std::vector<uint64_t> expected = {1427, 1429, 1436, 1443, 1450};  // not 1428
  BOOST_TEST(sequences(accepts) == expected, boost::test_tools::per_element());
  for (const auto& e : accepts) {
    BOOST_TEST(field(e, "destination.ip") == "<none>");
    BOOST_TEST(field(e, "destination.port") == "<none>");
    BOOST_TEST(field(e, "source.ip") != "<none>");
  }
  BOOST_TEST(run.stats.normalized.accepts_unplaced == 5u);
  BOOST_TEST(run.stats.normalized.accepts_dropped == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(identity_changes)

BOOST_AUTO_TEST_CASE(uid_and_gid_changes_carry_the_new_ids) {
  const auto events = normalized("m_setid.log");
  const auto uids = of_kind(events, EventKind::UidChange);
  const auto gids = of_kind(events, EventKind::GidChange);
  BOOST_TEST(sequences(uids) == std::vector<uint64_t>({1468, 1471, 1474, 1476, 1477, 1479, 1480, 1482, 1485}),
             boost::test_tools::per_element());
  BOOST_TEST(sequences(gids) == std::vector<uint64_t>({1467, 1470, 1473, 1486}), boost::test_tools::per_element());

  const Event& setgid = one(gids, 1467, EventKind::GidChange);
  BOOST_TEST(field(setgid, "event.category") == "process");
  BOOST_TEST(field(setgid, "event.type") == "change");
  BOOST_TEST(field(setgid, "event.action") == "gid_change");
  BOOST_TEST(field(setgid, "group.id") == "1000");
  BOOST_TEST(field(setgid, "process.group.id") == "1000");
  BOOST_TEST(field(setgid, "process.real_group.id") == "1000");
  BOOST_TEST(field(setgid, "user.id") == "0");

  // setuid(0) through the saved uid: only the effective id is root.
  const Event& regain = one(uids, 1477, EventKind::UidChange);
  BOOST_TEST(field(regain, "event.action") == "uid_change");
  BOOST_TEST(field(regain, "user.id") == "0");  // Defend: the effective user
  BOOST_TEST(field(regain, "process.user.id") == "0");
  BOOST_TEST(field(regain, "process.real_user.id") == "1000");
  BOOST_TEST(field(regain, "user.Ext.real.id") == "1000");
  BOOST_TEST(field(regain, "user.effective.id") == "0");
  BOOST_TEST(field(regain, "auditd.data.syscall") == "setuid");
  BOOST_TEST(field(regain, "auditd.data.a0") == "0");
  const Event& res = one(uids, 1471, EventKind::UidChange);
  BOOST_TEST(field(res, "auditd.data.a2") == "ffffffff");
  BOOST_TEST(field(res, "user.name") == "cloudsdk");
}

BOOST_AUTO_TEST_CASE(a_call_that_leaves_the_ids_as_they_were_is_no_change) {
  using testing::SyscallSpec;
  std::string log = testing::exec_records(
      {.serial = 1, .pid = 80, .ppid = 1, .exe = "/usr/sbin/daemon", .argv = {"daemon"}, .path0 = "/usr/sbin/daemon"});
  SyscallSpec same;  // a root daemon's setuid(0)
  same.serial = 2;
  same.pid = 80;
  same.syscall = 105;
  SyscallSpec drop = same;  // setuid(1000)
  drop.serial = 3;
  drop.a0 = "3e8";
  drop.uid = drop.euid = 1000;
  SyscallSpec group = same;  // setgid(0): gid already 0
  group.serial = 4;
  group.syscall = 106;
  group.uid = group.euid = 1000;
  log += testing::syscall_records(same) + testing::syscall_records(drop) + testing::syscall_records(group);
  // A process first seen at its call: nothing known before, so it counts.
  SyscallSpec stranger = same;
  stranger.serial = 5;
  stranger.pid = 81;
  log += testing::syscall_records(stranger);
  const auto run = run_pipeline(log);
  std::vector<uint64_t> changes;
  for (const auto& e : run.events) {
    if (e.kind == EventKind::UidChange || e.kind == EventKind::GidChange) changes.push_back(e.sequence);
  }
  BOOST_TEST(changes == std::vector<uint64_t>({3, 5}), boost::test_tools::per_element());
  BOOST_TEST(run.stats.normalized.unchanged_ids == 2u);
}

BOOST_AUTO_TEST_CASE(session_changes_ends_and_terminals) {
  const auto events = normalized("m_exit_setsid_tty.log");
  const auto sessions = of_kind(events, EventKind::SessionIdChange);
  BOOST_TEST(sequences(sessions) == std::vector<uint64_t>({1514, 1521, 1527, 1534, 1537}), boost::test_tools::per_element());
  BOOST_TEST(field(sessions[0], "event.action") == "session_id_change");
  BOOST_TEST(field(sessions[0], "event.type") == "change");

  const auto ends = of_kind(events, EventKind::ProcessEnd);
  BOOST_TEST(ends.size() == 15u);
  const std::map<uint64_t, std::string> codes = {{1503, "0"}, {1505, "1"}, {1507, "3"}, {1509, "7"}, {1542, "5"}};
  for (const auto& [serial, code] : codes) {
    const Event& e = one(ends, serial, EventKind::ProcessEnd);
    BOOST_TEST(field(e, "process.exit_code") == code, serial);
    BOOST_TEST(field(e, "event.category") == "process");
    BOOST_TEST(field(e, "event.type") == "end");
    BOOST_TEST(field(e, "event.action") == "end");
    BOOST_TEST(field(e, "auditd.result") == "unknown");  // exit_group has no result
  }
  BOOST_TEST(field(one(ends, 1507, EventKind::ProcessEnd), "process.name") == "sh");

  // The terminal: tty=(none) for a script, pts0 under script(1), none again after setsid.
  BOOST_TEST(field(one(ends, 1507, EventKind::ProcessEnd), "process.interactive") == "false");
  const Event& under_script = one(events, 1529, EventKind::ProcessStart);
  BOOST_TEST(field(under_script, "process.interactive") == "true");
  BOOST_TEST(field(under_script, "process.parent.interactive") == "true");
  const Event& detached = one(sessions, 1537, EventKind::SessionIdChange);
  BOOST_TEST(field(detached, "process.interactive") == "false");
  BOOST_TEST(field(detached, "process.parent.interactive") == "true");
  BOOST_TEST(field(one(events, 1541, EventKind::ProcessStart), "process.interactive") == "false");
}

BOOST_AUTO_TEST_CASE(every_process_event_carries_the_four_ids) {
  // A setuid-root binary run by uid 1000: its exec record has euid 0.
  const auto run = run_pipeline(testing::exec_records({.serial = 1, .pid = 90, .ppid = 1, .exe = "/usr/bin/passwd",
                                                       .argv = {"passwd"}, .path0 = "/usr/bin/passwd", .uid = 1000,
                                                       .euid = 0, .gid = 1000, .egid = 42}));
  BOOST_REQUIRE(run.events.size() == 1u);
  const Event& e = run.events[0];
  BOOST_TEST(field(e, "process.user.id") == "0");
  BOOST_TEST(field(e, "process.real_user.id") == "1000");
  BOOST_TEST(field(e, "process.group.id") == "42");
  BOOST_TEST(field(e, "process.real_group.id") == "1000");
  BOOST_TEST(field(e, "user.id") == "0");
  BOOST_TEST(field(e, "user.effective.id") == "0");
  BOOST_TEST(field(e, "user.Ext.real.id") == "1000");
  BOOST_TEST(field(e, "group.id") == "42");
  BOOST_TEST(field(e, "group.Ext.real.id") == "1000");
  BOOST_TEST(field(e, "process.interactive") == "false");
  BOOST_TEST(field(e, "auditd.data.syscall") == "execve");
  BOOST_TEST(field(e, "auditd.data.a0") == "<none>");  // execve's arguments are in EXECVE records
  BOOST_TEST(field(e, "auditd.result") == "success");
}

BOOST_AUTO_TEST_CASE(a_childs_parent_ids_are_those_the_parent_had_last) {
  using testing::SyscallSpec;
  std::string log = testing::exec_records(
      {.serial = 1, .pid = 100, .ppid = 1, .exe = "/usr/bin/python3", .argv = {"python3"}, .path0 = "/usr/bin/python3"});
  SyscallSpec drop;  // python drops to 1000 with setresuid/setresgid
  drop.serial = 2;
  drop.pid = 100;
  drop.syscall = 117;
  drop.uid = drop.euid = 1000;
  SyscallSpec group = drop;
  group.serial = 3;
  group.syscall = 119;
  group.gid = group.egid = 1000;
  log += testing::syscall_records(drop) + testing::syscall_records(group);
  log += testing::exec_records({.serial = 4, .pid = 101, .ppid = 100, .exe = "/usr/bin/id", .argv = {"id"},
                                .path0 = "/usr/bin/id", .uid = 1000, .euid = 1000, .gid = 1000, .egid = 1000});
  const auto run = run_pipeline(log);
  const Event* child = testing::find_by_sequence(run.events, 4);
  BOOST_REQUIRE(child != nullptr);
  BOOST_TEST(field(*child, "process.parent.user.id") == "1000");
  BOOST_TEST(field(*child, "process.parent.group.id") == "1000");
  BOOST_TEST(field(run.events[0], "process.parent.user.id") == "<none>");  // pid 1: never seen
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(auditd_manager_shaped)

BOOST_AUTO_TEST_CASE(module_load_attempts_are_driver_events) {
  const auto events = normalized("m_module.log");
  const auto drivers = of_kind(events, EventKind::DriverLoad);
  BOOST_TEST(sequences(drivers) == std::vector<uint64_t>({1557, 1558, 1560, 1561}), boost::test_tools::per_element());
  BOOST_TEST(of_kind(events, EventKind::ModuleLoad).empty());  // none was loaded (ENOSYS)
  const Event& finit = one(drivers, 1557, EventKind::DriverLoad);
  BOOST_TEST(field(finit, "event.category") == "driver");
  BOOST_TEST(field(finit, "event.type") == "start");
  BOOST_TEST(field(finit, "event.action") == "loaded-kernel-module");
  BOOST_TEST(field(finit, "auditd.data.syscall") == "finit_module");
  BOOST_TEST(field(finit, "auditd.result") == "fail");
  BOOST_TEST(field(finit, "event.outcome") == "failure");
  BOOST_TEST(field(finit, "process.executable") == "/usr/sbin/insmod");  // as exec'd: kmod under its link name
  BOOST_TEST(field(one(drivers, 1558, EventKind::DriverLoad), "auditd.data.syscall") == "init_module");
  // Auditd Manager's fields, not Defend's.
  BOOST_TEST(field(finit, "group.id") == "<none>");
  BOOST_TEST(field(finit, "user.Ext.real.id") == "<none>");
  BOOST_TEST(field(finit, "user.group.id") == "0");
}

BOOST_AUTO_TEST_CASE(a_module_the_kernel_loaded_is_also_a_load_module_event) {
  testing::SyscallSpec finit;
  finit.serial = 9;
  finit.pid = 60;
  finit.syscall = 313;
  finit.a0 = "3";
  finit.uid = 1000;  // a non-root user with CAP_SYS_MODULE through a setuid helper
  finit.euid = 0;
  finit.exe = "/usr/bin/kmod";
  finit.extra = {"KERN_MODULE name=\"evil\""};
  const auto run = run_pipeline(testing::syscall_records(finit));
  BOOST_REQUIRE(run.events.size() == 2u);
  const Event& defend = one(run.events, 9, EventKind::ModuleLoad);
  BOOST_TEST(field(defend, "event.category") == "process");
  BOOST_TEST(field(defend, "event.type") == "start");
  BOOST_TEST(field(defend, "event.action") == "load_module");
  BOOST_TEST(field(defend, "process.Ext.load_module.name") == "evil");
  BOOST_TEST(field(defend, "user.id") == "0");
  const Event& manager = one(run.events, 9, EventKind::DriverLoad);
  BOOST_TEST(field(manager, "auditd.summary.object.primary") == "evil");
  BOOST_TEST(field(manager, "auditd.result") == "success");
  // Auditd Manager's user is the real one; the effective one only when it differs.
  BOOST_TEST(field(manager, "user.id") == "1000");
  BOOST_TEST(field(manager, "user.effective.id") == "0");
  BOOST_TEST(field(manager, "process.Ext.load_module.name") == "<none>");
  BOOST_TEST(field(defend, "process.entity_id") == field(manager, "process.entity_id"));
}

BOOST_AUTO_TEST_CASE(signals_and_prctl_keep_their_arguments_in_hex) {
  const auto events = normalized("m_prctl_kill.log");
  const auto signals = of_kind(events, EventKind::SignalSent);
  BOOST_TEST(sequences(signals) == std::vector<uint64_t>({1579, 1582, 1586, 1589, 1590, 1591, 1593}),
             boost::test_tools::per_element());
  const Event& rt = one(signals, 1582, EventKind::SignalSent);
  BOOST_TEST(field(rt, "event.action") == "killed-pid");
  BOOST_TEST(field(rt, "event.category") == "process");
  BOOST_TEST(field(rt, "event.type") == "end");
  BOOST_TEST(field(rt, "auditd.data.syscall") == "kill");
  BOOST_TEST(field(rt, "auditd.data.a0") == "7e84");
  BOOST_TEST(field(rt, "auditd.data.a1") == "28");  // signal 40
  BOOST_TEST(field(rt, "process.name") == "bash");
  BOOST_TEST(field(one(signals, 1591, EventKind::SignalSent), "auditd.result") == "fail");  // ESRCH
  BOOST_TEST(field(one(signals, 1593, EventKind::SignalSent), "auditd.data.syscall") == "tgkill");

  const auto prctls = of_kind(events, EventKind::ProcessControl);
  BOOST_TEST(sequences(prctls) == std::vector<uint64_t>({1573, 1575, 1576}), boost::test_tools::per_element());
  const Event& stomp = one(prctls, 1573, EventKind::ProcessControl);
  BOOST_TEST(field(stomp, "auditd.data.syscall") == "prctl");
  BOOST_TEST(field(stomp, "auditd.data.a0") == "f");  // PR_SET_NAME
  BOOST_TEST(field(stomp, "event.action") == "<none>");
  BOOST_TEST(field(stomp, "event.type") == "info");
  BOOST_TEST(field(stomp, "process.executable") == "/tmp/scen/bin/m_helper");
}

BOOST_AUTO_TEST_SUITE_END()
