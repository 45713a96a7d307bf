// The event kinds beyond process starts and file creations, on the m_*
// captures of tests/fixtures/formats (NOTES.md sections 13-23): which
// syscalls become which EventClass, and the fields each one carries.
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "events/auparse_grouper.h"
#include "events/syscall_table.h"
#include "support/corpus.h"
#include "support/grouped.h"
#include "util/text.h"

using namespace auditeql;
using events::AuditEvent;
using events::EventClass;
using events::NameType;
using events::SocketFamily;
using events::SyscallKind;
using testing::fixture;
using testing::Grouped;
using testing::read_file;

namespace {

// As the plugin runs (compaction on): what the record stage leaves out must
// not be something these events need.
Grouped group(const std::string& name) { return testing::group_compacted(read_file(fixture("formats/" + name))); }

// The raw bytes of the saddr= of event `serial` in a fixture log.
std::string saddr_bytes(const std::string& name, uint64_t serial) {
  const std::string log = read_file(fixture("formats/" + name));
  const std::string head = "type=SOCKADDR msg=audit(";
  const std::string tail = ":" + std::to_string(serial) + "): saddr=";
  for (size_t at = log.find(head); at != std::string::npos; at = log.find(head, at + 1)) {
    const size_t line_end = log.find('\n', at);
    const std::string line = log.substr(at, line_end - at);
    const size_t t = line.find(tail);
    if (t == std::string::npos) continue;
    const size_t begin = t + tail.size();
    std::string bytes;
    util::append_hex_decoded(line.substr(begin, line.find('\x1d') - begin), bytes);
    return bytes;
  }
  throw std::runtime_error("no SOCKADDR for serial " + std::to_string(serial));
}

const events::PathItem& item(const AuditEvent& e, size_t i) {
  BOOST_REQUIRE(i < e.paths.size());
  return e.paths[i];
}

// An enriched setuid record (serial < 10) by pid 77 with these ids and, after
// the 0x1d separator, these interpreted names.
std::string setuid_record(int serial, int uid, int euid, const char* names) {
  return "type=SYSCALL msg=audit(1795413900.00" + std::to_string(serial) + ":" + std::to_string(serial) +
         "): arch=c000003e syscall=105 success=yes exit=0 a0=0 a1=0 a2=0 a3=0 items=0 ppid=1 pid=77 auid=4242 uid=" +
         std::to_string(uid) + " gid=0 euid=" + std::to_string(euid) +
         " suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"x\" exe=\"/usr/bin/x\" key=\"k\"\x1d" + names + "\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(event_kinds)

BOOST_AUTO_TEST_CASE(deletions_are_removed_names_of_successful_calls) {
  const auto g = group("m_delete.log");
  // rm, python unlink and rmdir, a dirfd-relative unlinkat, rmdir(1), rm -r
  // (two names and the directory), a symlink, authorized_keys, and the two
  // under the watch; not the rm -f of a missing file (1298, no DELETE item)
  // nor the rmdir of a non-empty directory (1301: a DELETE item, success=no).
  const std::vector<uint64_t> expected = {1281, 1283, 1284, 1286, 1288, 1290, 1291, 1292, 1294, 1296, 1303, 1305};
  BOOST_TEST(g.serials_of(EventClass::FileDelete) == expected, boost::test_tools::per_element());
  BOOST_TEST(g.stats.file_deletes == expected.size());

  const AuditEvent& rm = *g.serial(1281);
  BOOST_TEST((rm.syscall_kind == SyscallKind::Unlinkat));
  BOOST_TEST(events::old_name_dirfd(rm) == events::kAtFdCwd);
  BOOST_TEST(item(rm, 1).name == "f_rm");
  BOOST_TEST((item(rm, 1).nametype == NameType::Delete));
  BOOST_TEST(rm.cwd == "/tmp/scen/del");

  const AuditEvent& at = *g.serial(1286);  // os.unlink("f_pyat", dir_fd=5)
  BOOST_TEST(events::old_name_dirfd(at) == 5u);
  BOOST_TEST(item(at, 1).name == "f_pyat");

  const AuditEvent& rmdir = *g.serial(1284);
  BOOST_TEST((rmdir.syscall_kind == SyscallKind::Rmdir));
  BOOST_TEST(events::old_name_dirfd(rmdir) == events::kAtFdCwd);
  BOOST_TEST(item(rmdir, 1).is_directory());

  const AuditEvent& keys = *g.serial(1296);
  BOOST_TEST(item(keys, 1).name == "authorized_keys");
  BOOST_TEST(keys.cwd == "/tmp/scen/del/.ssh");

  const AuditEvent& watched = *g.serial(1303);
  BOOST_TEST(watched.key == "watched");
  BOOST_TEST(item(watched, 1).name == "/tmp/scen/watched/f_watch");
}

BOOST_AUTO_TEST_CASE(renames_pair_each_new_name_with_its_old_name_by_inode) {
  const auto g = group("m_rename.log");
  // The failed attempts (mv's RENAME_NOREPLACE tries, 1325 1328 1341, and
  // the missing source, 1339) have no CREATE item and are not renames.
  const std::vector<uint64_t> expected = {1323, 1326, 1329, 1331, 1333, 1335, 1337, 1342};
  BOOST_TEST(g.serials_of(EventClass::FileRename) == expected, boost::test_tools::per_element());

  // mv over an existing file: DELETE b.conf, DELETE the old dst/existing, CREATE dst/existing.
  const AuditEvent& over = *g.serial(1326);
  const events::PathItem* from = events::renamed_from(over, item(over, 4));
  BOOST_REQUIRE(from != nullptr);
  BOOST_TEST(from->name == "b.conf");
  BOOST_TEST(from == &over.paths[2]);

  // renameat(5, "a.renamed", 6, "a.moved"): each name has its own directory fd.
  const AuditEvent& at = *g.serial(1333);
  BOOST_TEST(events::old_name_dirfd(at) == 5u);
  BOOST_TEST(events::new_name_dirfd(at) == 6u);
  BOOST_TEST(events::renamed_from(at, item(at, 3))->name == "a.renamed");

  // RENAME_EXCHANGE: two CREATE items, each paired with the other name.
  const AuditEvent& swap = *g.serial(1337);
  BOOST_TEST(events::renamed_from(swap, item(swap, 4))->name == "x1");
  BOOST_TEST(item(swap, 4).name == "y1");
  BOOST_TEST(events::renamed_from(swap, item(swap, 5))->name == "y1");

  const AuditEvent& py = *g.serial(1331);  // rename(2) takes no directory fds
  BOOST_TEST(events::old_name_dirfd(py) == events::kAtFdCwd);
  BOOST_TEST(events::renamed_from(py, item(py, 3))->name == "/tmp/scen/ren/e.tmp");

  const AuditEvent& dpkg = *g.serial(1342);
  BOOST_TEST(events::renamed_from(dpkg, item(dpkg, 4))->name == "/tmp/scen/watched/w.dpkg-new");
}

BOOST_AUTO_TEST_CASE(connects_are_attempts_whatever_their_result) {
  const auto g = group("m_connect.log");
  const std::vector<uint64_t> expected = {1369, 1372, 1375, 1378, 1381, 1384, 1387, 1389};
  BOOST_TEST(g.serials_of(EventClass::NetworkConnect) == expected, boost::test_tools::per_element());
  // nscd lookups (4), a Unix path, an abstract name, netlink: not network events.
  BOOST_TEST(g.stats.local_sockets == 7u);

  const AuditEvent& ok = *g.serial(1369);
  BOOST_TEST(ok.success);
  BOOST_TEST((ok.sockaddr.family == SocketFamily::Inet));
  BOOST_TEST(ok.sockaddr.ip == "127.0.0.1");
  BOOST_TEST(ok.sockaddr.port == 8081);
  BOOST_TEST(ok.args[0] == 5u);  // the socket's fd

  const AuditEvent& refused = *g.serial(1372);
  BOOST_TEST(!refused.success);
  BOOST_TEST(refused.exit_code == -111);

  const AuditEvent& pending = *g.serial(1375);
  BOOST_TEST(pending.has_result);
  BOOST_TEST(!pending.success);
  BOOST_TEST(pending.exit_code == -115);  // EINPROGRESS
  BOOST_TEST(pending.sockaddr.ip == "198.51.100.7");
  BOOST_TEST(pending.sockaddr.port == 443);

  const AuditEvent& v6 = *g.serial(1381);
  BOOST_TEST((v6.sockaddr.family == SocketFamily::Inet6));
  BOOST_TEST(v6.sockaddr.ip == "2001:db8::7");
  BOOST_TEST(v6.sockaddr.port == 443);
  BOOST_TEST(!v6.sockaddr.v4_mapped);
  BOOST_TEST(g.serial(1378)->sockaddr.ip == "::1");

  const AuditEvent& mapped = *g.serial(1387);
  BOOST_TEST((mapped.sockaddr.family == SocketFamily::Inet6));
  BOOST_TEST(mapped.sockaddr.v4_mapped);
  BOOST_TEST(mapped.sockaddr.ip == "127.0.0.1");

  const AuditEvent& bash = *g.serial(1389);  // exec 3<>/dev/tcp/127.0.0.1/8081
  BOOST_TEST(bash.comm == "bash");
  BOOST_TEST(bash.sockaddr.port == 8081);

  // socket() gives the family, type and protocol of the fd a connect uses.
  const AuditEvent& udp = *g.serial(1383);
  BOOST_TEST((udp.event_class == EventClass::SocketCreate));
  BOOST_TEST(udp.exit_code == 5);
  BOOST_TEST(udp.args[0] == 2u);             // AF_INET
  BOOST_TEST((udp.args[1] & 0xf) == 2u);     // SOCK_DGRAM (| SOCK_CLOEXEC)
}

BOOST_AUTO_TEST_CASE(unix_and_netlink_addresses_decode) {
  events::SocketAddress a;
  // nscd: the whole sockaddr_un is passed, garbage after the path's NUL.
  BOOST_TEST(events::decode_sockaddr(saddr_bytes("m_connect.log", 1354), true, a));
  BOOST_TEST((a.family == SocketFamily::Unix));
  BOOST_TEST(a.path == "/var/run/nscd/socket");
  BOOST_TEST(!a.abstract);
  BOOST_TEST(events::decode_sockaddr(saddr_bytes("m_connect.log", 1392), true, a));
  BOOST_TEST(a.path == "/tmp/scen/conn.sock");
  BOOST_TEST(events::decode_sockaddr(saddr_bytes("m_connect.log", 1395), true, a));
  BOOST_TEST(a.abstract);
  BOOST_TEST(a.path == "ek-abstract");
  BOOST_TEST(events::decode_sockaddr(saddr_bytes("m_connect.log", 1398), true, a));
  BOOST_TEST((a.family == SocketFamily::Netlink));
  BOOST_TEST(a.raw_family == 16u);
  BOOST_TEST(a.netlink_pid == 0u);
}

BOOST_AUTO_TEST_CASE(sockaddr_byte_order_and_short_records) {
  events::SocketAddress a;
  // The family is in the audited host's order, the port always big-endian.
  const std::string be_inet("\x00\x02\x1f\x90\x0a\x00\x00\x01", 8);
  BOOST_TEST(events::decode_sockaddr(be_inet, false, a));
  BOOST_TEST((a.family == SocketFamily::Inet));
  BOOST_TEST(a.port == 8080);
  BOOST_TEST(a.ip == "10.0.0.1");
  BOOST_TEST(!events::decode_sockaddr(std::string("\x02\x00\x1f\x90", 4), true, a));
  BOOST_TEST((a.family == SocketFamily::Other));
  BOOST_TEST(a.ip.empty());
  BOOST_TEST(!events::decode_sockaddr(std::string("\x0a\x00\x1f\x90\x00\x00\x00\x00\x01", 9), true, a));
  BOOST_TEST(!events::decode_sockaddr(std::string("\x02", 1), true, a));
  BOOST_TEST(events::decode_sockaddr(std::string("\x00\x00", 2), true, a));  // AF_UNSPEC
  BOOST_TEST((a.family == SocketFamily::Other));
}

BOOST_AUTO_TEST_CASE(accepts_name_the_peer_and_binds_the_local_end) {
  const auto g = group("m_accept.log");
  // accept, accept without an address buffer, accept4; IPv6; dual stack;
  // python. Not the EAGAIN of a non-blocking listener (1455).
  const std::vector<uint64_t> accepts = {1427, 1428, 1429, 1436, 1443, 1450};
  BOOST_TEST(g.serials_of(EventClass::NetworkAccept) == accepts, boost::test_tools::per_element());
  const std::vector<uint64_t> binds = {1419, 1432, 1439, 1446, 1453};
  BOOST_TEST(g.serials_of(EventClass::NetworkBind) == binds, boost::test_tools::per_element());

  const AuditEvent& bind = *g.serial(1419);
  BOOST_TEST(bind.args[0] == 5u);
  BOOST_TEST(bind.sockaddr.ip == "127.0.0.1");
  BOOST_TEST(bind.sockaddr.port == 8090);

  const AuditEvent& peer = *g.serial(1427);  // same pid, listening fd 5
  BOOST_TEST(peer.pid == bind.pid);
  BOOST_TEST(peer.args[0] == 5u);
  BOOST_TEST(peer.exit_code == 6);  // the connection's fd
  BOOST_TEST(peer.sockaddr.ip == "127.0.0.1");
  BOOST_TEST(peer.sockaddr.port == 58798);

  const AuditEvent& no_addr = *g.serial(1428);
  BOOST_TEST(!no_addr.has_sockaddr);
  BOOST_TEST((no_addr.sockaddr.family == SocketFamily::None));

  BOOST_TEST((g.serial(1429)->syscall_kind == SyscallKind::Accept4));
  BOOST_TEST(g.serial(1436)->sockaddr.ip == "::1");
  BOOST_TEST(g.serial(1439)->sockaddr.ip == "::");
  BOOST_TEST(g.serial(1443)->sockaddr.ip == "127.0.0.1");  // ::ffff:127.0.0.1 on a dual-stack listener
  BOOST_TEST(g.serial(1443)->sockaddr.port == 52448);
  BOOST_TEST(g.serial(1446)->sockaddr.ip == "0.0.0.0");
}

BOOST_AUTO_TEST_CASE(id_changes_carry_the_new_credentials) {
  const auto g = group("m_setid.log");
  const std::vector<uint64_t> uids = {1468, 1471, 1474, 1476, 1477, 1479, 1480, 1482, 1485};
  const std::vector<uint64_t> gids = {1467, 1470, 1473, 1486};
  BOOST_TEST(g.serials_of(EventClass::UidChange) == uids, boost::test_tools::per_element());
  BOOST_TEST(g.serials_of(EventClass::GidChange) == gids, boost::test_tools::per_element());
  BOOST_TEST(g.serial(1483) == nullptr);  // setuid(0) refused: EPERM

  const AuditEvent& setgid = *g.serial(1467);
  BOOST_TEST(setgid.gid == 1000);
  BOOST_TEST(setgid.egid == 1000);
  BOOST_TEST(setgid.uid == 0);

  const AuditEvent& regain = *g.serial(1477);  // setuid(0) through the saved uid
  BOOST_TEST((regain.syscall_kind == SyscallKind::Setuid));
  BOOST_TEST(regain.uid == 1000);
  BOOST_TEST(regain.euid == 0);
  BOOST_TEST(regain.args[0] == 0u);

  const AuditEvent& res = *g.serial(1471);  // setresuid(1000, 1000, -1)
  BOOST_TEST(res.args[0] == 0x3e8u);
  BOOST_TEST(res.args[2] == 0xffffffffu);  // -1 as a 32-bit id
  BOOST_TEST(res.user_name == "cloudsdk");  // UID= of the enriched log: the new uid
}

BOOST_AUTO_TEST_CASE(exits_sessions_and_terminals) {
  const auto g = group("m_exit_setsid_tty.log");
  const AuditEvent& sh = *g.serial(1507);  // sh -c 'exit 3'
  BOOST_TEST((sh.event_class == EventClass::ProcessEnd));
  BOOST_TEST(!sh.has_result);  // exit_group never returns
  BOOST_TEST(events::exit_status(sh) == 3);
  BOOST_TEST(events::exit_status(*g.serial(1509)) == 7);
  BOOST_TEST(events::exit_status(*g.serial(1505)) == 1);
  // Every exit_group of the scenario; the sleep killed by SIGKILL has none.
  BOOST_TEST(g.serials_of(EventClass::ProcessEnd).size() == 15u);

  const std::vector<uint64_t> sessions = {1514, 1521, 1527, 1534, 1537};
  BOOST_TEST(g.serials_of(EventClass::SessionChange) == sessions, boost::test_tools::per_element());
  BOOST_TEST(g.serial(1514)->exit_code == g.serial(1514)->pid);  // the new session id
  BOOST_TEST(g.serial(1524) == nullptr);                          // EPERM: a group leader

  BOOST_TEST(sh.tty.empty());                       // tty=(none)
  BOOST_TEST(g.serial(1530)->tty == "pts0");        // under script(1)
  BOOST_TEST(g.serial(1529)->tty == "pts0");        // its exec
  BOOST_TEST(g.serial(1537)->tty.empty());          // setsid dropped the terminal
  BOOST_TEST(g.stats.bad_values == 0u);
}

BOOST_AUTO_TEST_CASE(module_loads_are_kept_when_they_fail) {
  const auto g = group("m_module.log");
  const std::vector<uint64_t> expected = {1557, 1558, 1560, 1561};
  BOOST_TEST(g.serials_of(EventClass::ModuleLoad) == expected, boost::test_tools::per_element());
  const AuditEvent& finit = *g.serial(1557);
  BOOST_TEST((finit.syscall_kind == SyscallKind::FinitModule));
  BOOST_TEST(finit.comm == "insmod");
  BOOST_TEST(finit.exit_code == -38);  // ENOSYS: this kernel has no module support
  BOOST_TEST(!finit.has_module_name);
  BOOST_TEST((g.serial(1558)->syscall_kind == SyscallKind::InitModule));
}

BOOST_AUTO_TEST_CASE(a_loaded_module_names_itself) {
  // Not captured (this kernel cannot load modules): a successful finit_module
  // followed by the KERN_MODULE record kernel/auditsc.c writes for it,
  // `name=` as an untrusted string (quoted here, hex when unusual).
  const std::string log =
      "type=SYSCALL msg=audit(1796537020.100:9001): arch=c000003e syscall=313 success=yes exit=0 a0=3 a1=55c668cab4a0 "
      "a2=0 a3=5 items=0 ppid=32370 pid=32372 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 "
      "tty=(none) ses=32 comm=\"insmod\" exe=\"/usr/bin/kmod\" key=\"modules\"\n"
      "type=KERN_MODULE msg=audit(1796537020.100:9001): name=\"evil\"\n"
      "type=PROCTITLE msg=audit(1796537020.100:9001): proctitle=696E736D6F64\n"
      "type=SYSCALL msg=audit(1796537020.200:9002): arch=c000003e syscall=313 success=yes exit=0 a0=3 a1=55c668cab4a0 "
      "a2=0 a3=5 items=0 ppid=32370 pid=32373 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 "
      "tty=(none) ses=32 comm=\"insmod\" exe=\"/usr/bin/kmod\" key=\"modules\"\n"
      "type=KERN_MODULE msg=audit(1796537020.200:9002): name=657620696C\n";
  const auto out = testing::group_lines(log).events;
  BOOST_REQUIRE(out.size() == 2u);
  BOOST_TEST((out[0].event_class == EventClass::ModuleLoad));
  BOOST_TEST(out[0].has_module_name);
  BOOST_TEST(out[0].module_name == "evil");
  BOOST_TEST(out[0].success);
  BOOST_TEST(out[1].module_name == "ev il");  // hex, as the kernel writes a name with a space
}

BOOST_AUTO_TEST_CASE(prctl_and_signals_keep_their_arguments) {
  const auto g = group("m_prctl_kill.log");
  const std::vector<uint64_t> prctls = {1573, 1575, 1576};
  BOOST_TEST(g.serials_of(EventClass::ProcessControl) == prctls, boost::test_tools::per_element());
  const AuditEvent& stomp = *g.serial(1573);
  BOOST_TEST(stomp.args[0] == 15u);  // PR_SET_NAME
  BOOST_TEST(stomp.comm == "kworker/0:1");  // comm already shows the new name
  BOOST_TEST(stomp.exe == "/tmp/scen/bin/m_helper");

  // kill -USR1, kill -s RTMIN+6, /bin/kill -9, kill -0, kill -TERM, a kill
  // of a missing pid (ESRCH, kept: Auditd Manager reports it) and tgkill.
  const std::vector<uint64_t> signals = {1579, 1582, 1586, 1589, 1590, 1591, 1593};
  BOOST_TEST(g.serials_of(EventClass::Signal) == signals, boost::test_tools::per_element());
  BOOST_TEST(g.serial(1582)->args[1] == 0x28u);  // signal 40
  BOOST_TEST(g.serial(1582)->args[0] == 0x7e84u);  // the target pid
  BOOST_TEST((g.serial(1593)->syscall_kind == SyscallKind::Tgkill));
  BOOST_TEST(!g.serial(1591)->success);
}

BOOST_AUTO_TEST_CASE(the_effective_user_is_named_as_the_log_names_that_uid) {
  // uid 4242 is "alice" in this log (UID=); no such user here. Then a
  // setuid program run by uid 1000 ("bob") with euid 4242; the record stage
  // leaves EUID= out, so the name is the one the log gave 4242 before.
  const std::string log = setuid_record(1, 4242, 4242, "ARCH=x86_64 UID=\"alice\" EUID=\"alice\"") +
                          setuid_record(2, 1000, 4242, "ARCH=x86_64 UID=\"bob\" EUID=\"alice\"") +
                          setuid_record(3, 1000, 4243, "ARCH=x86_64 UID=\"bob\" EUID=\"carol\"");
  const auto g = testing::group_compacted(log);
  BOOST_REQUIRE(g.events.size() == 3u);
  BOOST_TEST(g.serial(1)->effective_user_name == "alice");
  BOOST_TEST(g.serial(2)->user_name == "bob");
  BOOST_TEST(g.serial(2)->effective_user_name == "alice");
  // Never named by this log: this host's user database (no such user here).
  BOOST_TEST(g.serial(3)->effective_user_name.empty());
  BOOST_TEST(std::string(g.serial(2)->syscall_name) == "setuid");
}

BOOST_AUTO_TEST_CASE(an_effective_user_the_log_never_named_is_looked_up_once_and_the_log_still_wins) {
  // A setuid program (uid 1000 "bob", euid 4243) run three times: 4243 is not
  // named by the log, so this host's user database is asked (LDAP or sssd,
  // maybe): once, not at every event. Then the log names 4243 "carol" (UID=),
  // which the cached local answer must not hide.
  std::string log;
  for (int serial = 1; serial <= 3; ++serial) log += setuid_record(serial, 1000, 4243, "ARCH=x86_64 UID=\"bob\" EUID=\"carol\"");
  log += setuid_record(4, 4243, 4243, "ARCH=x86_64 UID=\"carol\" EUID=\"carol\"");
  log += setuid_record(5, 1000, 4243, "ARCH=x86_64 UID=\"bob\" EUID=\"carol\"");
  const auto g = testing::group_compacted(log);
  BOOST_REQUIRE(g.events.size() == 5u);
  for (const uint64_t serial : {1u, 2u, 3u}) BOOST_TEST(g.serial(serial)->effective_user_name.empty(), serial);
  BOOST_TEST(g.serial(5)->effective_user_name == "carol");
  // uid 1000 once, euid 4243 once (locally), uid 4243 once (from the log).
  BOOST_TEST(g.stats.user_lookups == 3u);
}

BOOST_AUTO_TEST_CASE(syscall_names_follow_libaudit_per_architecture) {
  BOOST_TEST(std::string(events::syscall_name(0xc000003eu, 157)) == "prctl");
  BOOST_TEST(std::string(events::syscall_name(0x40000003u, 213)) == "setuid32");
  BOOST_TEST(std::string(events::syscall_name(0x40000003u, 102)) == "socketcall");
  BOOST_TEST(events::syscall_name(0xc000003eu, 99999) == nullptr);
  BOOST_TEST(events::syscall_name(0x12345u, 1) == nullptr);
  events::SyscallTable table;
  BOOST_TEST((table.lookup(0x40000003u, 213) == SyscallKind::Setuid));
  BOOST_TEST((table.lookup(0x40000003u, 362) == SyscallKind::Connect));
  BOOST_TEST((table.lookup(0xc000003eu, 231) == SyscallKind::ExitGroup));
}

BOOST_AUTO_TEST_SUITE_END()
