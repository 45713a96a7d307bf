// Names created relative to a directory fd (cp FILE DIR/, cp -r, tar -C):
// resolved through a recorded directory open, else placed under the
// directory that the audit key's watch names and marked inferred.
#include <boost/test/unit_test.hpp>

#include "normalize/watched_directories.h"
#include "support/corpus.h"
#include "support/synthetic.h"

using namespace auditeql;
using ecs::Event;
using normalize::WatchedDirectories;
using testing::run_pipeline;

namespace {

using Directories = std::vector<std::string>;

Directories directories(const WatchedDirectories& w, std::string_view key) {
  const auto* list = w.directories_for(key);
  return list ? *list : Directories{};
}

normalize::PipelineOptions watching(std::string_view rules) {
  normalize::PipelineOptions options;
  options.normalizer.watched.add_rules(rules);
  return options;
}

// cp FILE /boot/, /boot being inode 14.
testing::CreateSpec cp_into_boot(uint64_t serial, std::string name = "evil.ko") {
  return testing::dirfd_create(serial, "bp_boot", 14, std::move(name), 852);
}

const Event& only_file_event(const testing::PipelineRun& run) {
  BOOST_REQUIRE_EQUAL(run.events.size(), 1u);
  return run.events.front();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(watched_directories)

BOOST_AUTO_TEST_CASE(watch_lines_and_dir_rules_map_each_key_to_its_directories) {
  WatchedDirectories w;
  const size_t added = w.add_rules(R"(## comment
-w /boot -p wa -k bp_boot
-w /usr/lib/dracut/modules.d/ -p wa -k bp_dracut
-w /lib/dracut/modules.d -p wa -k bp_dracut
  # -w /commented -p wa -k commented
-a always,exit -F arch=b64 -S openat -F a2&0x10000 -F success=1 -F dir=/srv/trees -F key=trees
-a always,exit -F dir=/srv/two -k first -k second
-a never,exit -F arch=b64 -S openat -F dir=/srv/never -k never
-W /srv/removed -k removed
-w/srv/glued -kglued
-w /srv/nokey -p wa
-w relative/dir -k relative
-a always,exit -F arch=b64 -S execve -F success=1 -k bp_exec
)");
  BOOST_TEST(added == 7u);
  BOOST_TEST(directories(w, "bp_boot") == Directories{"/boot"});
  // Listed order kept, trailing slash gone.
  BOOST_TEST(directories(w, "bp_dracut") == (Directories{"/usr/lib/dracut/modules.d", "/lib/dracut/modules.d"}));
  BOOST_TEST(directories(w, "trees") == Directories{"/srv/trees"});
  BOOST_TEST(directories(w, "first") == Directories{"/srv/two"});
  BOOST_TEST(directories(w, "second") == Directories{"/srv/two"});
  BOOST_TEST(directories(w, "glued") == Directories{"/srv/glued"});
  for (const char* absent : {"never", "removed", "relative", "bp_exec", "commented", ""}) {
    BOOST_TEST(w.directories_for(absent) == nullptr, absent);
  }
  BOOST_TEST(*w.directory_for("bp_dracut") == "/usr/lib/dracut/modules.d");
  // The same rules again (an installed copy of the bundled file) add nothing.
  BOOST_TEST(w.add_rules("-w /boot -p wa -k bp_boot\n-w /lib/dracut/modules.d -k bp_dracut\n") == 0u);
  BOOST_TEST(w.keys() == 6u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(dirfd_paths)

BOOST_AUTO_TEST_CASE(a_name_in_a_directory_the_log_never_names_goes_under_the_watch_of_its_key) {
  const std::string log = testing::create_records(cp_into_boot(10));
  const auto inferred = run_pipeline(log, watching("-w /boot -p wa -k bp_boot\n"));
  const Event& e = only_file_event(inferred);
  BOOST_TEST(e.file_path == "/boot/evil.ko");
  BOOST_TEST(e.file_path_inferred);
  BOOST_TEST(inferred.stats.normalized.inferred_paths == 1u);
  BOOST_TEST(inferred.stats.normalized.unresolved_paths == 0u);

  // No watch carries the key: the name stays relative, nothing is marked.
  const auto unknown = run_pipeline(log, watching("-w /boot -p wa -k other\n"));
  BOOST_TEST(only_file_event(unknown).file_path == "evil.ko");
  BOOST_TEST(!only_file_event(unknown).file_path_inferred);
  BOOST_TEST(unknown.stats.normalized.unresolved_paths == 1u);
  BOOST_TEST(unknown.stats.normalized.inferred_paths == 0u);
}

BOOST_AUTO_TEST_CASE(tar_names_are_relative_to_the_watched_directory_and_what_they_teach_stays_inferred) {
  // tar -C modules.d -x: mkdirat(4, "95evil"), then openat(4, "95evil/module-setup.sh")
  // whose PARENT is 95evil itself.
  testing::CreateSpec mkdir = testing::dirfd_create(20, "bp_dracut", 1114117, "95evil", 500);
  mkdir.syscall = 258;
  mkdir.mode = "040700";
  mkdir.exe = "/usr/bin/tar";
  testing::CreateSpec file = testing::dirfd_create(21, "bp_dracut", 500, "95evil/module-setup.sh", 501);
  file.parent_name = "95evil/";
  // Then a file in modules.d itself, by another dirfd-relative name.
  const testing::CreateSpec sibling = testing::dirfd_create(22, "bp_dracut", 1114117, "README", 502);
  const auto run = run_pipeline(testing::create_records(mkdir) + testing::create_records(file) + testing::create_records(sibling),
                                watching("-w /usr/lib/dracut/modules.d -p wa -k bp_dracut\n"));
  BOOST_REQUIRE_EQUAL(run.events.size(), 3u);
  BOOST_TEST(run.events[0].file_path == "/usr/lib/dracut/modules.d/95evil");
  BOOST_TEST(run.events[1].file_path == "/usr/lib/dracut/modules.d/95evil/module-setup.sh");
  BOOST_TEST(run.events[2].file_path == "/usr/lib/dracut/modules.d/README");
  for (const auto& e : run.events) BOOST_TEST(e.file_path_inferred, e.file_path);
  BOOST_TEST(run.stats.normalized.inferred_paths == 3u);
}

BOOST_AUTO_TEST_CASE(a_key_naming_several_directories_stands_for_the_first_one_listed) {
  const std::string log = testing::create_records(cp_into_boot(10));
  const auto usr_first = run_pipeline(log, watching("-w /usr/lib/boot -k bp_boot\n-w /boot -k bp_boot\n"));
  BOOST_TEST(only_file_event(usr_first).file_path == "/usr/lib/boot/evil.ko");
  const auto boot_first = run_pipeline(log, watching("-w /boot -k bp_boot\n-w /usr/lib/boot -k bp_boot\n"));
  BOOST_TEST(only_file_event(boot_first).file_path == "/boot/evil.ko");
}

BOOST_AUTO_TEST_CASE(a_recorded_directory_open_resolves_later_names_for_certain) {
  testing::DirectoryOpenSpec open = testing::directory_open(9, "bp_boot", "/boot/", 14);
  open.a2 = "210000";  // cp: O_PATH|O_DIRECTORY
  // A watch that would say otherwise: the recorded open wins.
  const auto run = run_pipeline(testing::directory_open_records(open) + testing::create_records(cp_into_boot(10)),
                                watching("-w /elsewhere -k bp_boot\n"));
  const Event& e = only_file_event(run);
  BOOST_TEST(e.file_path == "/boot/evil.ko");
  BOOST_TEST(!e.file_path_inferred);
  BOOST_TEST(run.stats.normalized.directory_opens == 1u);
  BOOST_TEST(run.stats.normalized.inferred_paths == 0u);
}

BOOST_AUTO_TEST_CASE(a_recorded_directory_open_replaces_an_inferred_path) {
  // The first name is placed under /boot by its key; the directory was really
  // /boot/grub, which a later open names.
  const auto open = testing::directory_open(11, "bp_boot", "/boot/grub", 14);
  const auto run = run_pipeline(testing::create_records(cp_into_boot(10)) + testing::directory_open_records(open) +
                                    testing::create_records(cp_into_boot(12, "second.ko")),
                                watching("-w /boot -k bp_boot\n"));
  BOOST_REQUIRE_EQUAL(run.events.size(), 2u);
  BOOST_TEST(run.events[0].file_path == "/boot/evil.ko");
  BOOST_TEST(run.events[0].file_path_inferred);
  BOOST_TEST(run.events[1].file_path == "/boot/grub/second.ko");
  BOOST_TEST(!run.events[1].file_path_inferred);
}

BOOST_AUTO_TEST_CASE(an_open_through_a_symlink_does_not_move_a_known_directory) {
  // modules.d (inode 77) is known; `ls /tmp/link` (a symlink to it, the open
  // recorded because the inode is in the watched tree) must not make later
  // names in it look like /tmp/link/...
  const auto known = testing::directory_open(8, "bp_dracut", "/usr/lib/dracut/modules.d", 77);
  const auto via_link = testing::directory_open(9, "bp_dracut", "/tmp/link", 77);
  const auto run = run_pipeline(testing::directory_open_records(known) + testing::directory_open_records(via_link) +
                                testing::create_records(testing::dirfd_create(10, "bp_dracut", 77, "90x", 852)));
  BOOST_TEST(only_file_event(run).file_path == "/usr/lib/dracut/modules.d/90x");
  BOOST_TEST(run.stats.normalized.directory_opens == 2u);
}

BOOST_AUTO_TEST_CASE(only_directories_opened_by_a_name_the_log_can_place_are_learned) {
  // Relative to the CWD: learned.
  testing::DirectoryOpenSpec by_cwd = testing::directory_open(9, "bp_dracut", "modules.d", 77);
  by_cwd.cwd = "/usr/lib/dracut";
  const testing::CreateSpec in_it = testing::dirfd_create(10, "bp_dracut", 77, "90x", 852);
  const auto learned = run_pipeline(testing::directory_open_records(by_cwd) + testing::create_records(in_it));
  BOOST_TEST(only_file_event(learned).file_path == "/usr/lib/dracut/modules.d/90x");

  // Relative to another directory fd, or a regular file: nothing to learn.
  testing::DirectoryOpenSpec by_fd = by_cwd;
  by_fd.a0 = "5";
  testing::DirectoryOpenSpec a_file = by_cwd;
  a_file.name = "/usr/lib/dracut/modules.d";
  a_file.mode = "0100644";
  for (const auto& open : {by_fd, a_file}) {
    const auto run = run_pipeline(testing::directory_open_records(open) + testing::create_records(in_it));
    BOOST_TEST(only_file_event(run).file_path == "90x");
    BOOST_TEST(run.stats.normalized.unresolved_paths == 1u);
  }
}

BOOST_AUTO_TEST_SUITE_END()
