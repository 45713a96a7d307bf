// One test (or a few) per derivation rule of the normalizer, on real captures
// where they exist and on hand-built records for races the captures lack.
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>
#include <tuple>

#include "ecs/fields.h"
#include "normalize/process_table.h"
#include "support/corpus.h"
#include "support/synthetic.h"

using namespace auditeql;
using ecs::Event;
using ecs::EventKind;
using testing::fixture;
using testing::read_file;
using testing::run_pipeline;

namespace {

std::vector<Event> starts_of(const std::string& log_fixture) {
  std::vector<Event> starts;
  for (auto& e : run_pipeline(read_file(fixture(log_fixture))).events) {
    if (e.kind == EventKind::ProcessStart) starts.push_back(e);
  }
  return starts;
}

const Event* start_with_args(const std::vector<Event>& events, const std::vector<std::string>& args) {
  for (const auto& e : events) {
    if (e.kind == EventKind::ProcessStart && e.process && testing::strings(e.process->args) == args) return &e;
  }
  return nullptr;
}

const Event* start_with_arg0(const std::vector<Event>& events, std::string_view arg0, std::string_view arg1 = {}) {
  for (const auto& e : events) {
    if (e.kind != EventKind::ProcessStart || !e.process || e.process->args.empty()) continue;
    const auto& a = e.process->args;
    if (a[0] == arg0 && (arg1.empty() || (a.size() > 1 && a[1] == arg1))) return &e;
  }
  return nullptr;
}

// Creations and renames (the watch capture also removes what it made).
std::vector<Event> files_of(const std::vector<Event>& events) {
  std::vector<Event> files;
  for (const auto& e : events) {
    if (e.kind == EventKind::FileCreation || e.kind == EventKind::FileRename) files.push_back(e);
  }
  return files;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rule1_executable_is_the_file_named_in_execve)

BOOST_AUTO_TEST_CASE(a_shebang_script_is_its_own_executable_not_the_interpreter) {
  const auto starts = starts_of("formats/b_script_shebang.log");
  const Event* script = start_with_args(starts, {"/bin/sh", "/tmp/scen/bin/myscript.sh", "arg1", "arg two"});
  BOOST_REQUIRE(script != nullptr);
  BOOST_TEST(script->process->executable == "/tmp/scen/bin/myscript.sh");
  BOOST_TEST(script->process->name == "myscript.sh");
  const Event* with_flag = start_with_arg0(starts, "/bin/sh", "-e");
  BOOST_REQUIRE(with_flag != nullptr);
  BOOST_TEST(with_flag->process->executable == "/tmp/scen/bin/myscript-e.sh");
  // `sh script` names the interpreter in execve: then sh is the executable.
  const Event* explicit_sh = start_with_arg0(starts, "sh", "/tmp/scen/bin/myscript.sh");
  BOOST_REQUIRE(explicit_sh != nullptr);
  BOOST_TEST(explicit_sh->process->executable == "/usr/bin/sh");
  BOOST_TEST(explicit_sh->process->name == "sh");
}

BOOST_AUTO_TEST_CASE(env_shebang_then_exec_of_the_interpreter_in_the_same_pid) {
  const auto starts = starts_of("formats/b_script_shebang.log");
  const Event* env = start_with_args(starts, {"/usr/bin/env", "python3", "/tmp/scen/bin/pyscript"});
  BOOST_REQUIRE(env != nullptr);
  BOOST_TEST(env->process->executable == "/tmp/scen/bin/pyscript");
  const Event* python = start_with_args(starts, {"python3", "/tmp/scen/bin/pyscript"});
  BOOST_REQUIRE(python != nullptr);
  BOOST_TEST(python->pid == env->pid);
  BOOST_TEST(python->process->executable == "/usr/bin/python3");
}

BOOST_AUTO_TEST_CASE(names_are_never_cut_to_comm_length) {
  const auto starts = starts_of("formats/j_comm_truncation.log");
  const Event* elf = start_with_arg0(starts, "/tmp/scen/update-initramfs-long-name");
  BOOST_REQUIRE(elf != nullptr);
  BOOST_TEST(elf->process->name == "update-initramfs-long-name");
  const Event* script = start_with_arg0(starts, "/bin/sh", "/tmp/scen/lbin/update-initramfs");
  BOOST_REQUIRE(script != nullptr);
  BOOST_TEST(script->process->name == "update-initramfs");
  BOOST_TEST(script->process->executable == "/tmp/scen/lbin/update-initramfs");
  const Event* cp = start_with_arg0(starts, "cp", "/etc/hostname");
  BOOST_REQUIRE(cp != nullptr);
  BOOST_REQUIRE(cp->parent != nullptr);
  BOOST_TEST(cp->parent->name == "update-initramfs");
}

BOOST_AUTO_TEST_CASE(symlinks_are_not_resolved) {
  const auto starts = starts_of("formats/c_symlink_exec.log");
  const Event* sh = start_with_args(starts, {"/bin/sh", "-c", "exit 0"});
  BOOST_REQUIRE(sh != nullptr);
  BOOST_TEST(sh->process->executable == "/bin/sh");
  BOOST_TEST(sh->process->name == "sh");
  const Event* bin_cp = start_with_arg0(starts, "/bin/cp");
  BOOST_REQUIRE(bin_cp != nullptr);
  BOOST_TEST(bin_cp->process->executable == "/bin/cp");
  const Event* mycp = start_with_arg0(starts, "/tmp/scen/mycp");
  BOOST_REQUIRE(mycp != nullptr);
  BOOST_TEST(mycp->process->name == "mycp");
}

BOOST_AUTO_TEST_CASE(relative_execs_are_joined_with_the_cwd_and_normalized) {
  const auto starts = starts_of("formats/d_relative_exec.log");
  const std::map<std::string, std::string> expected = {
      {"./myscript.sh", "/tmp/scen/bin/myscript.sh"},
      {"./true", "/usr/bin/true"},
      {"../bin/true", "/usr/bin/true"},
      {"bin/t32static", "/tmp/scen/bin/t32static"},
  };
  for (const auto& [spelling, path] : expected) {
    const Event* e = nullptr;
    for (const auto& s : starts) {
      const auto& a = s.process->args;
      if ((a.size() > 0 && a[0] == spelling) || (a.size() > 1 && a[1] == spelling)) e = &s;
    }
    BOOST_REQUIRE_MESSAGE(e != nullptr, spelling);
    BOOST_TEST(e->process->executable == path);
  }
}

BOOST_AUTO_TEST_CASE(execveat_without_a_usable_name_falls_back_to_exe) {
  const auto starts = starts_of("formats/g_execveat_fexecve.log");
  const Event* fexecve = start_with_arg0(starts, "fexec-child");
  BOOST_REQUIRE(fexecve != nullptr);
  BOOST_TEST(fexecve->process->executable == "/usr/bin/cp");
  BOOST_TEST(fexecve->process->name == "cp");
  // execveat(dirfd, "cp"): joining "cp" with the CWD would be wrong.
  const Event* dirfd = start_with_args(starts, {"cp", "/etc/hostname", "/tmp/scen/viaexecveat"});
  BOOST_REQUIRE(dirfd != nullptr);
  BOOST_TEST(dirfd->process->executable == "/usr/bin/cp");
  const Event* python = start_with_arg0(starts, "py-fexecve-true");
  BOOST_REQUIRE(python != nullptr);
  BOOST_TEST(python->process->executable == "/usr/bin/true");
}

BOOST_AUTO_TEST_CASE(thirty_two_bit_processes_start_like_any_other) {
  const auto starts = starts_of("formats/h_32bit.log");
  const Event* cp = start_with_args(starts, {"cp", "/etc/hostname", "/tmp/scen/t32copy"});
  BOOST_REQUIRE(cp != nullptr);
  BOOST_TEST(cp->process->executable == "/usr/bin/cp");
  // t32exec exec'd cp in its own pid: the parent is still the shell.
  BOOST_REQUIRE(cp->parent != nullptr);
  BOOST_TEST(cp->parent->name == "bash");
  const Event* t32 = start_with_arg0(starts, "/tmp/scen/bin/t32exec");
  BOOST_REQUIRE(t32 != nullptr);
  BOOST_TEST(t32->pid == cp->pid);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rule2_args_are_the_logged_argv)

BOOST_AUTO_TEST_CASE(encoded_arguments_and_command_line) {
  const auto starts = starts_of("formats/e_arg_encoding.log");
  const Event* echo = start_with_arg0(starts, "/bin/echo");
  BOOST_REQUIRE(echo != nullptr);
  BOOST_TEST(echo->process->args.size() == 12u);
  BOOST_TEST(echo->process->args[4] == "new\nline");
  BOOST_TEST(echo->process->args[7] == "");
  BOOST_TEST(echo->process->command_line.rfind("/bin/echo with space single'quote double\"quote new\nline", 0) == 0);
}

BOOST_AUTO_TEST_CASE(long_arguments_are_whole_not_proctitle_cut) {
  const auto starts = starts_of("formats/f_long_args.log");
  const Event* e = start_with_arg0(starts, "/bin/true", std::string(12000, 'A'));
  BOOST_REQUIRE(e != nullptr);
  BOOST_TEST(e->process->command_line.size() == 10u + 12000u + 1u + 5u + 1u + 9011u);
  const Event* many = nullptr;
  for (const auto& s : starts) {
    if (s.process->args.size() == 3001u) many = &s;
  }
  BOOST_REQUIRE(many != nullptr);
  BOOST_TEST(many->process->args.back() == "3000");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rule3_parent_image)

BOOST_AUTO_TEST_CASE(a_forked_subshell_passes_on_its_image_even_when_the_clone_record_comes_last) {
  using testing::exec_records;
  using testing::fork_records;
  std::string log;
  log += exec_records({.serial = 100, .ms = 1795413900000, .pid = 200, .ppid = 1, .exe = "/usr/bin/dash",
                       .argv = {"/bin/sh", "/usr/sbin/mkinitramfs", "-o", "/boot/x"}, .path0 = "/usr/sbin/mkinitramfs"});
  // As the kernel can write them: the grandchild's exec first, the clone of
  // the subshell by the script last (its serial is taken when clone returns).
  log += exec_records({.serial = 102, .ms = 1795413900004, .pid = 202, .ppid = 201, .exe = "/usr/bin/cpio",
                       .argv = {"cpio", "--quiet", "-o", "-H", "newc"}, .path0 = "/usr/bin/cpio"});
  log += fork_records(103, 1795413900004, 201, 200, 202);
  log += fork_records(104, 1795413900004, 200, 1, 201);
  const auto run = run_pipeline(log);
  const Event* cpio = testing::find_by_sequence(run.events, 102);
  BOOST_REQUIRE(cpio != nullptr);
  BOOST_REQUIRE(cpio->parent != nullptr);
  BOOST_TEST(cpio->parent_pid == 201);
  BOOST_TEST(cpio->parent->name == "mkinitramfs");
  BOOST_TEST(cpio->parent->executable == "/usr/sbin/mkinitramfs");
  BOOST_TEST(cpio->parent->args.size() == 4u);
  BOOST_TEST(run.stats.order.forks_pulled >= 1u);
}

BOOST_AUTO_TEST_CASE(an_unknown_parent_leaves_the_parent_fields_absent) {
  const auto run = run_pipeline(testing::exec_records(
      {.serial = 5, .pid = 300, .ppid = 299, .exe = "/usr/bin/cp", .argv = {"cp", "a", "/boot/"}, .path0 = "/usr/bin/cp"}));
  BOOST_REQUIRE(run.events.size() == 1u);
  BOOST_TEST(run.events[0].parent == nullptr);
  BOOST_TEST(run.events[0].parent_pid == 299);
  BOOST_TEST(run.stats.normalized.unknown_parents == 1u);
}

BOOST_AUTO_TEST_CASE(pid_reuse_a_new_fork_or_exec_replaces_the_entry) {
  using testing::exec_records;
  using testing::fork_records;
  std::string log;
  log += exec_records({.serial = 1, .ms = 1795413900000, .pid = 400, .ppid = 1, .exe = "/usr/bin/old", .argv = {"old"}, .path0 = "/usr/bin/old"});
  log += exec_records({.serial = 2, .ms = 1795413901000, .pid = 500, .ppid = 1, .exe = "/usr/bin/new", .argv = {"new"}, .path0 = "/usr/bin/new"});
  // pid 400 exits; later the pid is handed to a child forked by 500.
  log += fork_records(3, 1795413905000, 500, 1, 400);
  log += exec_records({.serial = 4, .ms = 1795413905010, .pid = 401, .ppid = 400, .exe = "/usr/bin/cp", .argv = {"cp"}, .path0 = "/usr/bin/cp"});
  log += exec_records({.serial = 5, .ms = 1795413906000, .pid = 400, .ppid = 500, .exe = "/usr/bin/mv", .argv = {"mv"}, .path0 = "/usr/bin/mv"});
  log += exec_records({.serial = 6, .ms = 1795413906010, .pid = 402, .ppid = 400, .exe = "/usr/bin/ls", .argv = {"ls"}, .path0 = "/usr/bin/ls"});
  const auto run = run_pipeline(log);
  const Event* cp = testing::find_by_sequence(run.events, 4);
  BOOST_REQUIRE(cp && cp->parent);
  BOOST_TEST(cp->parent->name == "new");
  const Event* ls = testing::find_by_sequence(run.events, 6);
  BOOST_REQUIRE(ls && ls->parent);
  BOOST_TEST(ls->parent->name == "mv");
}

BOOST_AUTO_TEST_CASE(a_late_fork_record_does_not_undo_the_childs_exec) {
  normalize::ProcessTable table(16);
  table.record_exec(10, ecs::make_process_image("/usr/sbin/mkinitramfs", {"mkinitramfs"}), 1000);
  table.record_exec(11, ecs::make_process_image("/usr/bin/cpio", {"cpio"}), 1004);
  const normalize::ProcessEntry parent = *table.find(10);
  table.record_fork(11, parent, 1004);  // the clone of 11 reported after 11 exec'd
  BOOST_TEST(table.find(11)->image->name == "cpio");
  table.record_fork(11, parent, 2000);  // a genuinely later fork reusing pid 11
  BOOST_TEST(table.find(11)->image->name == "mkinitramfs");
}

BOOST_AUTO_TEST_CASE(a_fork_that_reuses_a_pid_later_is_not_pulled_before_the_old_process_is_done) {
  using testing::exec_records;
  using testing::fork_records;
  std::string log;
  log += exec_records({.serial = 1, .ms = 1795413900000, .pid = 500, .ppid = 1, .exe = "/usr/bin/dpkg", .argv = {"dpkg", "-i", "x.deb"}, .path0 = "/usr/bin/dpkg"});
  log += exec_records({.serial = 2, .ms = 1795413900001, .pid = 600, .ppid = 1, .exe = "/usr/bin/dash",
                       .argv = {"/bin/sh", "./config.status"}, .cwd = "/src", .path0 = "./config.status"});
  testing::CreateSpec write;
  write.serial = 10;
  write.ms = 1795413901010;  // after the exec has left the reorder window
  write.pid = 500;
  write.ppid = 1;
  write.parent_name = "/usr/lib/dracut/modules.d/";
  write.parent_inode = 3;
  write.name = "/usr/lib/dracut/modules.d/90pkg/module-setup.sh";
  write.exe = "/usr/bin/dpkg";
  log += testing::create_records(write);
  // dpkg exits; 16 ms later config.status forks and the child gets pid 500.
  log += fork_records(12, 1795413901026, 600, 1, 500);
  const auto run = run_pipeline(log);
  const Event* created = testing::find_by_sequence(run.events, 10, EventKind::FileCreation);
  BOOST_REQUIRE(created && created->process);
  BOOST_TEST(created->process->name == "dpkg");
}

BOOST_AUTO_TEST_CASE(parents_survive_a_storm_of_short_lived_processes) {
  normalize::ProcessTable table(100);
  table.record_exec(1, ecs::make_process_image("/usr/bin/bash", {"bash"}), 0);
  BOOST_REQUIRE(table.find(1) != nullptr);  // the shell started a child: it is a parent now
  table.record_exec(2, ecs::make_process_image("/usr/bin/make", {"make"}), 1);
  for (int i = 0; i < 100000; ++i) {
    BOOST_REQUIRE(table.find(2) != nullptr);  // make forks and execs a compiler, again and again
    table.record_exec(1000 + i, ecs::make_process_image("/usr/bin/cc", {"cc"}), 2 + i);
  }
  BOOST_TEST(table.size() <= 100u);
  BOOST_REQUIRE(table.find(1) != nullptr);
  BOOST_TEST(table.find(1)->image->name == "bash");
  BOOST_TEST(table.find(2)->image->name == "make");
  BOOST_TEST(table.evictions() > 99000u);
  // The protected half is itself bounded: many parents push the oldest back to probation.
  for (int i = 0; i < 1000; ++i) {
    table.record_exec(200000 + i, ecs::make_process_image("/usr/bin/sh", {"sh"}), 200000 + i);
    table.find(200000 + i);
  }
  BOOST_TEST(table.size() <= 100u);
}

BOOST_AUTO_TEST_CASE(the_table_is_bounded_least_recently_used_first) {
  std::string log;
  for (int i = 0; i < 300; ++i) {
    log += testing::exec_records({.serial = static_cast<uint64_t>(10 + i), .ms = 1795413900000 + i, .pid = 1000 + i, .ppid = 1,
                                  .exe = "/usr/bin/true", .argv = {"true"}, .path0 = "/usr/bin/true"});
  }
  log += testing::exec_records({.serial = 9000, .ms = 1795413901000, .pid = 5000, .ppid = 1299, .exe = "/usr/bin/cp", .argv = {"cp"}, .path0 = "/usr/bin/cp"});
  log += testing::exec_records({.serial = 9001, .ms = 1795413901001, .pid = 5001, .ppid = 1000, .exe = "/usr/bin/cp", .argv = {"cp"}, .path0 = "/usr/bin/cp"});
  normalize::PipelineOptions options;
  options.normalizer.process_table_capacity = 100;
  normalize::ProcessTable* table = nullptr;
  options.normalizer.host_name = "h";
  std::vector<Event> events;
  normalize::EventPipeline pipeline(options, [&](const Event& e) { events.push_back(e); });
  table = &pipeline.normalizer().processes();
  pipeline.feed(log);
  pipeline.finish();
  BOOST_TEST(table->size() == 100u);
  BOOST_TEST(table->evictions() > 0u);
  BOOST_TEST(testing::find_by_sequence(events, 9000)->parent != nullptr);   // recent: kept
  BOOST_TEST(testing::find_by_sequence(events, 9001)->parent == nullptr);   // oldest: evicted
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rule4_paths)

BOOST_AUTO_TEST_CASE(every_way_of_creating_a_file_in_the_dracut_tree) {
  for (const char* capture : {"formats/i_file_creation_syscall.log", "formats/i_file_creation_watch.log"}) {
    const auto run = run_pipeline(read_file(fixture(capture)));
    const auto files = files_of(run.events);
    std::set<std::tuple<std::string, EventKind, std::string>> seen;  // (path, kind, process name)
    for (const auto& f : files) seen.emplace(f.file_path, f.kind, f.process ? f.process->name : "");
    const std::string m = "/usr/lib/dracut/modules.d/";
    const std::vector<std::tuple<std::string, EventKind, std::string>> expected = {
        {m + "rel_open.txt", EventKind::FileCreation, "python3"},        // relative, cwd-joined
        {m + "redir.sh", EventKind::FileCreation, "bash"},               // shell redirection
        {m + "rel_redir.sh", EventKind::FileCreation, "bash"},           // cwd entered through /lib: CWD is resolved
        {m + "cp.sh", EventKind::FileCreation, "cp"},
        {m + "mv.sh", EventKind::FileRename, "mv"},                      // a rename, not a creation
        {m + "inst.sh", EventKind::FileCreation, "install"},
        {"/lib/dracut/modules.d/py.sh", EventKind::FileCreation, "python3"},  // the spelling used is kept
        {m + "95evil", EventKind::FileCreation, "tar"},                  // tar -C: mkdirat(dirfd, "95evil")
        {m + "95evil/module-setup.sh", EventKind::FileCreation, "tar"},  // openat(dirfd, "95evil/module-setup.sh")
        {m + "96dir", EventKind::FileCreation, "mkdir"},
        {m + "96dir/touched.sh", EventKind::FileCreation, "touch"},
        {m + "tee.sh", EventKind::FileCreation, "tee"},
        {m + "97cpr", EventKind::FileCreation, "cp"},                    // cp -r: mkdirat(dirfd, "97cpr")
        {m + "97cpr/module-setup.sh", EventKind::FileCreation, "cp"},    // openat(dirfd2, "module-setup.sh")
        {m + "99mv", EventKind::FileRename, "mv"},                       // renameat2(.., dirfd, "99mv")
        {m + "redir.sh", EventKind::FileRename, "sed"},                  // sed -i: temp file renamed over
        {"/boot/cp-test", EventKind::FileCreation, "cp"},
        {"/boot/redir-test", EventKind::FileCreation, "bash"},
        {"/boot/mv-test", EventKind::FileRename, "mv"},
    };
    for (const auto& want : expected) {
      BOOST_TEST(seen.count(want) == 1u, capture << ": " << std::get<0>(want) << " by " << std::get<2>(want));
    }
    // ln, ln -s and mkfifo: Elastic Defend reports a creation only for an open
    // that created the file, and so does auditeql, except under the
    // boot-persistence watches (key bp_dracut in the watch capture): a link
    // planted there is a dracut module. The syscall capture's key is sc_create.
    const bool under_bundle_watch = std::string(capture).find("watch") != std::string::npos;
    std::set<std::string> paths;
    for (const auto& f : files) paths.insert(f.file_path);
    for (const auto& [name, program] : {std::pair{"hard.sh", "ln"}, std::pair{"sym.sh", "ln"}, std::pair{"fifo", "mkfifo"}}) {
      BOOST_TEST(paths.count(m + name) == (under_bundle_watch ? 1u : 0u), capture << ": " << name);
      if (under_bundle_watch) BOOST_TEST(seen.count({m + name, EventKind::FileCreation, program}) == 1u, name);
    }
    BOOST_TEST(run.stats.normalized.links_not_reported == (under_bundle_watch ? 0u : 3u), capture);
    // Nothing lands in the CWD (/tmp/scen) by joining a dirfd-relative name.
    for (const auto& f : files) BOOST_TEST(f.file_path.rfind("/tmp/scen", 0) != 0, f.file_path);
    BOOST_TEST(files.size() == (under_bundle_watch ? 23u : 20u), capture);
  }
}

BOOST_AUTO_TEST_CASE(file_fields_are_derived_from_the_path) {
  const auto files = files_of(run_pipeline(read_file(fixture("formats/i_file_creation_syscall.log"))).events);
  for (const auto& f : files) {
    if (f.file_path != "/usr/lib/dracut/modules.d/97cpr/module-setup.sh") continue;
    BOOST_TEST(f.file_name() == "module-setup.sh");
    BOOST_TEST(f.file_directory() == "/usr/lib/dracut/modules.d/97cpr");
    BOOST_TEST(f.file_extension() == "sh");
    BOOST_TEST(f.key == "sc_create");
    return;
  }
  BOOST_FAIL("no event for 97cpr/module-setup.sh");
}

BOOST_AUTO_TEST_CASE(a_dirfd_name_under_an_unknown_directory_is_not_joined_with_the_cwd) {
  testing::CreateSpec spec;
  spec.serial = 7;
  spec.pid = 70;
  spec.ppid = 1;
  spec.a0 = "5";  // a real directory fd
  spec.cwd = "/tmp/scen";
  spec.parent_name = "/tmp/scen";  // what the kernel prints in this case
  spec.parent_inode = 424242;
  spec.name = "evil.sh";
  const auto run = run_pipeline(testing::create_records(spec));
  BOOST_REQUIRE(run.events.size() == 1u);
  BOOST_TEST(run.events[0].file_path == "evil.sh");
  BOOST_TEST(run.stats.normalized.unresolved_paths == 1u);

  // Once the directory's inode is known (it was created with a full path), the same name resolves.
  const testing::CreateSpec mkdir = testing::dracut_mkdir(6, "90x", 424242);
  const auto both = run_pipeline(testing::create_records(mkdir) + testing::create_records(spec));
  BOOST_REQUIRE(both.events.size() == 2u);
  BOOST_TEST(both.events[1].file_path == "/usr/lib/dracut/modules.d/90x/evil.sh");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rule5_order)

BOOST_AUTO_TEST_CASE(events_out_of_serial_order_are_applied_in_order) {
  using testing::exec_records;
  // The parent's exec arrives after its child's exec (records straggled).
  std::string child = exec_records({.serial = 21, .ms = 1795413900002, .pid = 61, .ppid = 60, .exe = "/usr/bin/cp", .argv = {"cp"}, .path0 = "/usr/bin/cp"});
  std::string parent = exec_records({.serial = 20, .ms = 1795413900001, .pid = 60, .ppid = 1, .exe = "/usr/bin/dash",
                                     .argv = {"/bin/sh", "/usr/sbin/update-initramfs"}, .path0 = "/usr/sbin/update-initramfs"});
  const auto run = run_pipeline(child + parent);
  const Event* cp = testing::find_by_sequence(run.events, 21);
  BOOST_REQUIRE(cp && cp->parent);
  BOOST_TEST(cp->parent->name == "update-initramfs");
  BOOST_TEST(run.events.front().sequence == 20u);
}

BOOST_AUTO_TEST_CASE(the_same_events_come_out_however_the_input_is_batched) {
  // The pipeline releases held events once per batch of records. In these
  // captures no event completes later than the ordering window, so the
  // batch size (the read size) must change neither the events nor their
  // order. (An event later than the window is released in time order
  // when it shares a batch with its neighbours, and after them when it
  // does not.) A whole log in one batch holds more than max_pending, but
  // no more than max_pending plus the batch slack.
  normalize::PipelineOptions small;
  small.order.max_pending = 8;  // so that the slack is reached too
  for (const char* scenario : {"benign_kernel_install_apt", "atk_unmkinitramfs_small_newc"}) {
    const std::string log = read_file(testing::scenario_file(scenario, "audit.log"));
    for (const auto& options : {normalize::PipelineOptions{}, small}) {
      const auto reference = run_pipeline(log, options, 1);
      BOOST_REQUIRE(reference.events.size() > 20u);
      for (const size_t chunk : {size_t{97}, size_t{4096}, log.size()}) {
        const auto run = run_pipeline(log, options, chunk);
        BOOST_TEST_REQUIRE(run.events.size() == reference.events.size(), scenario << " in chunks of " << chunk);
        for (size_t i = 0; i < run.events.size(); ++i) {
          const Event& a = run.events[i];
          const Event& b = reference.events[i];
          BOOST_TEST_REQUIRE(a.sequence == b.sequence, scenario << " event " << i << " in chunks of " << chunk);
          std::string json_a, json_b;
          ecs::append_event_json(json_a, a);
          ecs::append_event_json(json_b, b);
          BOOST_TEST_REQUIRE(json_a == json_b, scenario << " event " << i);
        }
        BOOST_TEST(run.stats.order.peak_pending <= options.order.max_pending + normalize::EventOrder::kBatchSlack);
        if (chunk == log.size() && options.order.max_pending == small.order.max_pending) {
          BOOST_TEST(run.stats.order.peak_pending > options.order.max_pending);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(interleaved_records_of_parallel_storms) {
  const auto run = run_pipeline(read_file(fixture("formats/l_interleaved_events.log")));
  std::vector<uint64_t> serials;
  for (const auto& e : run.events) serials.push_back(e.sequence);
  BOOST_TEST(std::is_sorted(serials.begin(), serials.end()));
  BOOST_TEST(serials.size() == 4u);
}

BOOST_AUTO_TEST_SUITE_END()
