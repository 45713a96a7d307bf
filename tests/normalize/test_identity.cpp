// The identity fields sequence rules join on (issue 14): process.entity_id,
// process.parent.entity_id and host.id.
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

#include "support/corpus.h"
#include "support/synthetic.h"

using namespace auditeql;
using ecs::EntityId;
using ecs::Event;
using ecs::EventKind;
using testing::exec_records;
using testing::fork_records;
using testing::run_pipeline;

namespace {

const Event& by_sequence(const std::vector<Event>& events, uint64_t sequence) {
  for (const auto& e : events) {
    if (e.sequence == sequence) return e;
  }
  BOOST_FAIL("no event for serial " << sequence);
  return events.front();
}

std::string hex(const EntityId& id) {
  char text[ecs::kEntityIdChars];
  ecs::format_entity_id(id, text);
  return std::string(text, sizeof text);
}

// A shell (pid 200) forks 201, which execs cp and creates a file; the shell
// forks 202, which execs twice (env, then the program env runs); 201 ends
// and its pid comes back as a new fork of the shell.
std::string family() {
  std::string log;
  log += exec_records({.serial = 1, .ms = 1795413900000, .pid = 200, .ppid = 1, .exe = "/usr/bin/bash", .argv = {"bash"},
                       .path0 = "/usr/bin/bash"});
  log += fork_records(2, 1795413900010, 200, 1, 201);
  log += exec_records({.serial = 3, .ms = 1795413900020, .pid = 201, .ppid = 200, .exe = "/usr/bin/cp",
                       .argv = {"cp", "a", "/boot/b"}, .path0 = "/usr/bin/cp"});
  testing::CreateSpec create;
  create.serial = 4;
  create.ms = 1795413900030;
  create.pid = 201;
  create.ppid = 200;
  create.parent_name = "/boot/";
  create.parent_inode = 2;
  create.name = "/boot/b";
  create.inode = 3;
  create.key = "bp_boot";
  log += testing::create_records(create);
  log += fork_records(5, 1795413900040, 200, 1, 202);
  log += exec_records({.serial = 6, .ms = 1795413900050, .pid = 202, .ppid = 200, .exe = "/usr/bin/env",
                       .argv = {"env", "python3"}, .path0 = "/usr/bin/env"});
  log += exec_records({.serial = 7, .ms = 1795413900060, .pid = 202, .ppid = 200, .exe = "/usr/bin/python3",
                       .argv = {"python3"}, .path0 = "/usr/bin/python3"});
  testing::SyscallSpec end;
  end.serial = 8;
  end.ms = 1795413900070;
  end.pid = 201;
  end.ppid = 200;
  end.syscall = 231;  // exit_group
  end.success.clear();
  log += testing::syscall_records(end);
  log += fork_records(9, 1795413900080, 200, 1, 201);  // pid 201 again: another process
  log += exec_records({.serial = 10, .ms = 1795413900090, .pid = 201, .ppid = 200, .exe = "/usr/bin/ls", .argv = {"ls"},
                       .path0 = "/usr/bin/ls"});
  return log;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(identity)

BOOST_AUTO_TEST_CASE(one_entity_id_per_process_kept_across_its_events_and_execs) {
  const auto run = run_pipeline(family());
  const auto& ev = run.events;
  const Event& shell = by_sequence(ev, 1);
  const Event& cp = by_sequence(ev, 3);
  const Event& created = by_sequence(ev, 4);
  const Event& env = by_sequence(ev, 6);
  const Event& python = by_sequence(ev, 7);
  const Event& end = by_sequence(ev, 8);
  const Event& ls = by_sequence(ev, 10);
  BOOST_TEST((end.kind == EventKind::ProcessEnd));
  for (const Event* e : {&shell, &cp, &created, &env, &python, &end, &ls}) {
    BOOST_TEST(!e->entity_id.empty(), e->sequence);
    BOOST_TEST(hex(e->entity_id).size() == 32u);
  }
  // Stable across a process's events, and across exec (Elastic Defend's
  // meaning: ECS RFC 0030's exec event keeps the fork's entity_id; the PAM_EXEC
  // rule joins a session_id_change of sshd to the exec that follows in the
  // same process by process.entity_id).
  BOOST_TEST(hex(cp.entity_id) == hex(created.entity_id));
  BOOST_TEST(hex(cp.entity_id) == hex(end.entity_id));
  BOOST_TEST(hex(env.entity_id) == hex(python.entity_id));
  // Distinct processes, and a reused pid, have distinct ids.
  const std::set<std::string> ids = {hex(shell.entity_id), hex(cp.entity_id), hex(env.entity_id), hex(ls.entity_id)};
  BOOST_TEST(ids.size() == 4u);
  BOOST_TEST(ls.pid == cp.pid);
  // The parent's id is the parent's own.
  for (const Event* child : {&cp, &created, &env, &python, &ls}) {
    BOOST_TEST(hex(child->parent_entity_id) == hex(shell.entity_id), child->sequence);
  }
}

BOOST_AUTO_TEST_CASE(a_pid_reused_without_a_fork_record_after_its_end_is_a_new_process) {
  std::string log = exec_records({.serial = 1, .pid = 300, .ppid = 1, .exe = "/usr/bin/true", .argv = {"true"},
                                  .path0 = "/usr/bin/true"});
  testing::SyscallSpec end;
  end.serial = 2;
  end.pid = 300;
  end.syscall = 231;
  end.success.clear();
  log += testing::syscall_records(end);
  log += exec_records({.serial = 3, .pid = 300, .ppid = 1, .exe = "/usr/bin/false", .argv = {"false"},
                       .path0 = "/usr/bin/false"});
  const auto run = run_pipeline(log);
  BOOST_TEST(hex(by_sequence(run.events, 1).entity_id) == hex(by_sequence(run.events, 2).entity_id));
  BOOST_TEST(hex(by_sequence(run.events, 3).entity_id) != hex(by_sequence(run.events, 1).entity_id));
}

BOOST_AUTO_TEST_CASE(processes_never_seen_starting_still_have_one_identity) {
  // Neither the parent (pid 1) nor the creator (pid 70) was seen starting.
  testing::CreateSpec first = testing::dirfd_create(1, "bp_dracut", 5, "a", 6);
  testing::CreateSpec second = testing::dirfd_create(2, "bp_dracut", 5, "b", 7);
  second.ms += 1000;
  const auto run = run_pipeline(testing::create_records(first) + testing::create_records(second) +
                                exec_records({.serial = 3, .pid = 71, .ppid = 1, .exe = "/usr/bin/id", .argv = {"id"},
                                              .path0 = "/usr/bin/id"}));
  const Event& a = by_sequence(run.events, 1);
  const Event& b = by_sequence(run.events, 2);
  const Event& id = by_sequence(run.events, 3);
  BOOST_TEST(!a.entity_id.empty());
  BOOST_TEST(hex(a.entity_id) == hex(b.entity_id));
  BOOST_TEST(!a.parent_entity_id.empty());
  BOOST_TEST(hex(a.parent_entity_id) == hex(id.parent_entity_id));  // siblings share the unknown parent's
  BOOST_TEST(id.parent == nullptr);  // still no image for it
}

BOOST_AUTO_TEST_CASE(a_log_gives_the_same_ids_on_every_replay_however_it_is_read) {
  const std::string log = testing::read_file(testing::scenario_file("atk_unmkinitramfs_small_newc", "audit.log"));
  normalize::PipelineOptions options;
  options.normalizer.host_id = "4f0c2d4e9a7b4d2c8e1f6a3b5c7d9e0f";
  const auto first = run_pipeline(log, options, 4096);
  const auto second = run_pipeline(log, options, 97);
  BOOST_REQUIRE(first.events.size() == second.events.size());
  BOOST_REQUIRE(first.events.size() > 20u);
  std::set<std::string> distinct;
  for (size_t i = 0; i < first.events.size(); ++i) {
    BOOST_TEST(hex(first.events[i].entity_id) == hex(second.events[i].entity_id));
    BOOST_TEST(hex(first.events[i].parent_entity_id) == hex(second.events[i].parent_entity_id));
    distinct.insert(hex(first.events[i].entity_id));
  }
  BOOST_TEST(distinct.size() > 5u);
}

BOOST_AUTO_TEST_CASE(the_same_pids_and_times_on_another_host_are_other_processes) {
  const std::string log = family();
  normalize::PipelineOptions a, b;
  a.normalizer.host_id = "host-a";
  b.normalizer.host_id = "host-b";
  const auto on_a = run_pipeline(log, a);
  const auto on_b = run_pipeline(log, b);
  BOOST_REQUIRE(on_a.events.size() == on_b.events.size());
  std::set<std::string> ids_a;
  for (const auto& e : on_a.events) ids_a.insert(hex(e.entity_id));
  for (const auto& e : on_b.events) BOOST_TEST(ids_a.count(hex(e.entity_id)) == 0u);
  BOOST_TEST(on_a.events[0].host_id == "host-a");
}

BOOST_AUTO_TEST_CASE(host_id_comes_from_node_or_the_option) {
  const auto exec = [](uint64_t serial, int pid, std::string node) {
    return exec_records({.serial = serial, .pid = pid, .ppid = 1, .exe = "/usr/bin/id", .argv = {"id"},
                         .path0 = "/usr/bin/id", .node = std::move(node)});
  };
  normalize::PipelineOptions options;
  options.normalizer.host_name = "web1";
  options.normalizer.host_id = "0123456789abcdef0123456789abcdef";
  const auto run = run_pipeline(exec(1, 10, "") + exec(2, 10, "web1") + exec(3, 10, "db7"), options);
  BOOST_REQUIRE(run.events.size() == 3u);
  BOOST_TEST(run.events[0].host_id == "0123456789abcdef0123456789abcdef");  // no node=
  BOOST_TEST(run.events[1].host_id == "0123456789abcdef0123456789abcdef");  // node= names this host
  BOOST_TEST(run.events[2].host_id == "db7");                               // another node
  BOOST_TEST(run.events[2].host_name == "db7");
  // Without an id, the host name stands for it: host.id is never missing.
  normalize::PipelineOptions unnamed;
  unnamed.normalizer.host_name = "h9";
  BOOST_TEST(run_pipeline(exec(1, 10, ""), unnamed).events[0].host_id == "h9");
  // Live, the first node= is this host however auditd spells it (name_format
  // fqdn here); the others are other hosts. Replay (above) keeps node names.
  options.normalizer.first_node_is_local = true;
  const auto live = run_pipeline(exec(1, 10, "web1.example.com") + exec(2, 11, "db7") + exec(3, 12, "web1.example.com"),
                                 options);
  BOOST_REQUIRE(live.events.size() == 3u);
  BOOST_TEST(live.events[0].host_id == "0123456789abcdef0123456789abcdef");
  BOOST_TEST(live.events[1].host_id == "db7");
  BOOST_TEST(live.events[2].host_id == "0123456789abcdef0123456789abcdef");
  BOOST_TEST(live.events[2].host_name == "web1.example.com");
}

// The clone record is written when clone() returns in the parent: after a
// vfork child's exec, and after anything the child did meanwhile. When that
// comes later than the ordering window, the child's first events have already
// given it an identity, which the fork must keep (the PAM_EXEC rule joins an
// sshd child's session_id_change to its exec by process.entity_id), and the
// ids the child showed must not turn into the parent's.
BOOST_AUTO_TEST_CASE(a_fork_record_arriving_after_its_childs_events_keeps_their_identity) {
  constexpr int64_t t0 = 1795413900000;
  std::string log = exec_records({.serial = 9, .ms = t0, .pid = 500, .ppid = 1, .exe = "/usr/sbin/sshd",
                                  .argv = {"sshd"}, .path0 = "/usr/sbin/sshd"});
  testing::SyscallSpec setsid;
  setsid.serial = 10;
  setsid.ms = t0 + 10;
  setsid.pid = 501;
  setsid.ppid = 500;
  setsid.syscall = 112;
  setsid.exit = 501;
  setsid.uid = setsid.euid = 1000;  // the child's own ids, not its parent's
  setsid.exe = "/usr/sbin/sshd";
  log += testing::syscall_records(setsid);
  // Another process, long enough after for the setsid to be released.
  log += exec_records({.serial = 11, .ms = t0 + 700, .pid = 900, .ppid = 1, .exe = "/usr/bin/true",
                       .argv = {"true"}, .path0 = "/usr/bin/true"});
  log += fork_records(12, t0 + 5, 500, 1, 501, 0x4111);  // vfork, stamped when it was entered
  testing::SyscallSpec setuid = setsid;
  setuid.serial = 13;
  setuid.ms = t0 + 705;
  setuid.syscall = 105;
  setuid.a0 = "3e8";
  setuid.exit = 0;
  log += testing::syscall_records(setuid);  // ids as they were: no uid_change
  log += exec_records({.serial = 14, .ms = t0 + 710, .pid = 501, .ppid = 500, .exe = "/usr/bin/dash",
                       .argv = {"sh"}, .path0 = "/bin/sh", .uid = 1000, .euid = 1000});
  const auto run = run_pipeline(log, {}, 64);  // fed in small pieces, as a live stream arrives
  BOOST_TEST(run.stats.order.forks_pulled == 0u);  // the fork came too late to be pulled ahead
  const Event& sshd = by_sequence(run.events, 9);
  const Event& session = by_sequence(run.events, 10);
  const Event& exec = by_sequence(run.events, 14);
  BOOST_TEST((session.kind == EventKind::SessionIdChange));
  BOOST_TEST(hex(session.entity_id) == hex(exec.entity_id));
  BOOST_TEST(hex(exec.parent_entity_id) == hex(sshd.entity_id));
  BOOST_TEST(hex(session.parent_entity_id) == hex(sshd.entity_id));
  for (const auto& e : run.events) BOOST_TEST(e.sequence != 13u, "setuid(1000) by a process already 1000");
}

BOOST_AUTO_TEST_CASE(every_kind_carries_the_identity_fields) {
  const std::vector<std::string> captures = {"m_delete.log", "m_rename.log", "m_connect.log", "m_accept.log",
                                             "m_setid.log", "m_exit_setsid_tty.log", "m_module.log", "m_prctl_kill.log"};
  std::set<EventKind> kinds;
  for (const auto& capture : captures) {
    for (const auto& e : run_pipeline(testing::read_file(testing::fixture("formats/" + capture))).events) {
      kinds.insert(e.kind);
      BOOST_TEST(!e.entity_id.empty(), capture << " " << e.sequence);
      BOOST_TEST(!e.parent_entity_id.empty(), capture << " " << e.sequence);
      BOOST_TEST(e.host_id == "testhost", capture << " " << e.sequence);
    }
  }
  BOOST_TEST(kinds.size() == ecs::kEventKindCount - 1);  // all but ModuleLoad, which this kernel cannot produce
}

BOOST_AUTO_TEST_SUITE_END()
