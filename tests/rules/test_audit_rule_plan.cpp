// The audit rules derived from a rule set (rules/audit_rule_plan.h): which
// event kinds a rule can match, which watches and syscall rules serve it,
// and what is written commented out.
#include <boost/test/unit_test.hpp>

#include <libaudit.h>

#include <set>
#include <sstream>

#include "eql/parser.h"
#include "rules/audit_rule_plan.h"
#include "rules/event_kinds_matched.h"
#include "rules/kind_audit_rules.h"
#include "rules/ruleset.h"
#include "support/corpus.h"
#include "rules/loader_support.h"

using namespace auditeql;
using rules::AuditRuleWatch;

namespace {

// The kinds auditeql builds whose classification passes `pred`: what a test
// expects, said in terms of the classification so that it stays true as
// kinds are added.
template <class Pred>
ecs::KindMask kinds_where(Pred pred) {
  ecs::KindMask mask = 0;
  for (size_t k = 0; k < ecs::kEventKindCount; ++k) {
    if (pred(ecs::classification(static_cast<ecs::EventKind>(k)))) mask |= ecs::KindMask{1} << k;
  }
  return mask;
}

ecs::KindMask matched(const std::string& query) {
  const auto parsed = eql::parse_query(query);
  return rules::kinds_matched(parsed.event.category, parsed.event.condition.root);
}

bool exists_kind(std::string_view category, std::string_view action) {
  return kinds_where([&](const auto& c) { return c.category == category && c.action == action; }) != 0;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool has_line(const std::string& text, const std::string& line) {
  const auto lines = lines_of(text);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// Lines that auditctl would read: neither comments nor blank.
std::vector<std::string> rule_lines(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& line : lines_of(text)) {
    if (!line.empty() && line.front() != '#') out.push_back(line);
  }
  return out;
}

// A host where exactly `directories` exist.
std::function<rules::PathState(const std::string&)> host_with(std::set<std::string> directories) {
  return [directories = std::move(directories)](const std::string& path) {
    return directories.count(path) ? rules::PathState::Directory : rules::PathState::Missing;
  };
}

const AuditRuleWatch* watch(const rules::AuditRulePlan& plan, const std::string& path) {
  for (const auto& w : plan.watches) {
    if (w.path == path) return &w;
  }
  return nullptr;
}

// The watch on `path`, which the test requires.
const AuditRuleWatch& watch_on(const rules::AuditRulePlan& plan, const std::string& path) {
  const AuditRuleWatch* w = watch(plan, path);
  BOOST_TEST_REQUIRE(w != nullptr, "no watch on " << path);
  return *w;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

rules::AuditRulePlan plan(std::vector<rules::ServedRule> served, rules::AuditRuleOptions options = {}) {
  return rules::plan_audit_rules(served, options);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_rule_plan)

BOOST_AUTO_TEST_CASE(every_event_kind_auditeql_builds_has_its_audit_rules) {
  for (size_t k = 0; k < ecs::kEventKindCount; ++k) {
    const auto& c = ecs::classification(static_cast<ecs::EventKind>(k));
    BOOST_TEST(rules::find_kind_audit_rules(c) != nullptr,
               "no audit rules for " << c.category << "/" << c.type << "/" << c.action);
  }
}

BOOST_AUTO_TEST_CASE(the_kinds_of_the_event_kinds_spec_have_entries_before_they_exist) {
  // src/normalize/EVENT-KINDS.md, sections 2 to 10.
  const ecs::KindClassification spec[] = {
      {"file", "deletion", "deletion"},        {"file", "change", "rename"},
      {"network", "start", "connection_attempted"}, {"network", "start", "connection_accepted"},
      {"process", "change", "uid_change"},     {"process", "change", "gid_change"},
      {"process", "change", "session_id_change"}, {"process", "start", "load_module"},
      {"driver", "start", "loaded-kernel-module"}, {"process", "end", "end"},
      {"process", "end", "killed-pid"},        {"process", "info", ""},
  };
  for (const auto& c : spec) {
    const auto* entry = rules::find_kind_audit_rules(c);
    BOOST_TEST(entry != nullptr, "no audit rules for " << c.category << "/" << c.type << "/" << c.action);
  }
  // The costly ones the issue names are costly.
  BOOST_TEST((rules::find_kind_audit_rules(spec[2])->cost == rules::CostClass::Network));
  BOOST_TEST((rules::find_kind_audit_rules(spec[3])->cost == rules::CostClass::Network));
  BOOST_TEST((rules::find_kind_audit_rules(spec[9])->cost == rules::CostClass::ProcessEnd));
  BOOST_TEST((rules::find_kind_audit_rules(spec[4])->cost == rules::CostClass::None));
}

BOOST_AUTO_TEST_CASE(each_classification_has_one_entry_and_every_entry_a_key) {
  const auto table = rules::kind_audit_rules();
  for (size_t i = 0; i < table.size(); ++i) {
    BOOST_TEST(!table[i].key.empty());
    BOOST_TEST(!table[i].syscalls.empty());
    BOOST_TEST(table[i].watchable == (table[i].category == "file"));
    for (size_t j = i + 1; j < table.size(); ++j) {
      const bool same = table[i].category == table[j].category && table[i].type == table[j].type &&
                        table[i].action == table[j].action;
      BOOST_TEST(!same, table[i].category << "/" << table[i].type << "/" << table[i].action << " twice");
    }
  }
}

// What auditctl checks when it reads -S: the name is a syscall of the
// rule's architecture (i386 has no accept, x86_64 no setuid32).
BOOST_AUTO_TEST_CASE(every_syscall_of_the_table_is_one_libaudit_knows_for_its_abi) {
  std::vector<rules::SyscallRule> all;
  for (const auto& entry : rules::kind_audit_rules()) all.insert(all.end(), entry.syscalls.begin(), entry.syscalls.end());
  size_t names = 0;
  for (const auto& r : all) {
    for (const auto& [list, machine, abi] : {std::tuple{r.b64, MACH_86_64, "x86_64"}, std::tuple{r.b32, MACH_X86, "i386"}}) {
      std::stringstream in{std::string(list)};
      for (std::string name; std::getline(in, name, ',');) {
        BOOST_TEST(audit_name_to_syscall(name.c_str(), machine) >= 0, name << " is no " << abi << " syscall");
        ++names;
      }
    }
  }
  BOOST_TEST(names > 40u);
}

BOOST_AUTO_TEST_CASE(the_kinds_a_query_matches_follow_its_tests_on_event_fields) {
  const auto is_exec = [](const auto& c) { return c.category == "process" && c.action == "exec"; };
  const auto is_file = [](const auto& c) { return c.category == "file"; };
  BOOST_TEST(matched(R"(process where event.type == "start" and event.action in ("exec", "executed"))") ==
             kinds_where(is_exec));
  BOOST_TEST(matched(R"(file where event.type == "creation")") ==
             kinds_where([](const auto& c) { return c.category == "file" && c.type == "creation"; }));
  BOOST_TEST(matched(R"(file where event.type != "creation")") ==
             kinds_where([](const auto& c) { return c.category == "file" && c.type != "creation"; }));
  BOOST_TEST(matched(R"(file where not event.action : ("CREATION", "rename"))") ==
             kinds_where([&](const auto& c) { return is_file(c) && c.action != "creation" && c.action != "rename"; }));
  BOOST_TEST(matched(R"(any where event.action == "rename")") ==
             kinds_where([](const auto& c) { return c.action == "rename"; }));
  BOOST_TEST(matched(R"(file where process.name == "cp")") == kinds_where(is_file));
  // Another sensor's action names: no kind auditeql builds.
  BOOST_TEST(matched(R"(process where event.action == "executed-by-someone-else")") == 0u);
  BOOST_TEST(matched(R"(network where event.action == "connection_attempted")") ==
             kinds_where([](const auto& c) { return c.category == "network" && c.action == "connection_attempted"; }));
  BOOST_TEST(matched(R"(process where event.type == "start" and process.name == "nc" or event.action == "x")") ==
             kinds_where([](const auto& c) { return c.category == "process" && c.type == "start"; }));
}

BOOST_AUTO_TEST_CASE(a_field_a_kind_never_has_decides_too) {
  const auto is_file = [](const auto& c) { return c.category == "file"; };
  // file.path is absent on process events: the test is false there.
  BOOST_TEST(matched(R"(any where file.path : "/etc/*")") == kinds_where(is_file));
  // ... and `!=` on an absent field is true, so every kind stays.
  BOOST_TEST(matched(R"(any where file.path != "/etc/x")") == ecs::kAllKinds);
  BOOST_TEST(matched(R"(any where file.path == null)") == ecs::kAllKinds);
  // A name auditeql never sets has no value anywhere.
  BOOST_TEST(matched(R"(any where container.id == "abc")") == 0u);
  BOOST_TEST(matched(R"(any where not container.id == "abc")") == ecs::kAllKinds);
}

BOOST_AUTO_TEST_CASE(a_condition_read_for_some_kinds_loses_the_branches_they_cannot_take) {
  const auto parsed = eql::parse_condition(
      R"((event.category == "file" and file.path : "/etc/hosts") or (event.category == "process" and process.name == "x"))");
  const ecs::KindMask files = kinds_where([](const auto& c) { return c.category == "file"; });
  const auto for_files = rules::condition_for_kinds(parsed.root, files);
  BOOST_TEST(eql::describe(*for_files) == eql::describe(*parsed.root->as<eql::Logical>()->operands[0]));
  // For every kind, the whole condition stays.
  BOOST_TEST(eql::describe(*rules::condition_for_kinds(parsed.root, ecs::kAllKinds)) == eql::describe(*parsed.root));
}

BOOST_AUTO_TEST_CASE(nested_directories_merge_into_the_outermost_watch) {
  const auto p = plan({{"Cron d", R"(file where event.type == "creation" and file.path : "/etc/cron.d/*")"},
                       {"Cron any", R"(file where event.type == "creation" and file.path like "/etc/cron*")"},
                       {"Preload", R"(file where event.type == "creation" and file.path == "/etc/ld.so.preload")"},
                       {"Dracut", R"(file where event.type == "creation" and file.path : "/usr/lib/dracut/modules.d/*")"},
                       {"Dracut also", R"(file where event.type == "creation" and file.directory == "/usr/lib/dracut/modules.d/90x")"}});
  BOOST_REQUIRE(p.watches.size() == 2u);
  // "/etc/cron" is a prefix of names in /etc: /etc itself is watched, and
  // takes the rules of everything below it.
  BOOST_TEST(p.watches[0].path == "/etc");
  BOOST_TEST(p.watches[0].needed_by == (std::vector<std::string>{"Cron any", "Cron d", "Preload"}));
  BOOST_TEST(p.watches[1].path == "/usr/lib/dracut/modules.d");
  BOOST_TEST(p.watches[1].needed_by == (std::vector<std::string>{"Dracut", "Dracut also"}));
  BOOST_TEST(p.watches[1].key == "bp_dracut");
  BOOST_TEST(p.watches[0].key == "aeql_w_etc");
  const std::string text = rules::render_audit_rules(p);
  BOOST_TEST(has_line(text, "-w /etc -p wa -k aeql_w_etc"));
  BOOST_TEST(has_line(text, "-a always,exit -F arch=b32 -S open -F a1&0x10000 -F success=1 -F dir=/etc -k aeql_w_etc"));
  BOOST_TEST(text.find("/etc/cron.d -p") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(busy_trees_are_commented_out_and_a_watch_inside_one_stays_unless_they_are_opted_in) {
  const std::vector<rules::ServedRule> served = {
      {"Units", R"(file where event.type == "creation" and file.path : ("/usr/lib/systemd/system/*", "/usr/lib/*.service"))"},
      {"Keys", R"(file where event.type == "creation" and file.path : "/home/*/.ssh/authorized_keys")"}};
  const auto p = plan(served);
  BOOST_TEST((watch_on(p, "/usr/lib").state == AuditRuleWatch::State::Busy));
  BOOST_TEST((watch_on(p, "/usr/lib/systemd/system").state == AuditRuleWatch::State::Loaded));
  // The start of "/home/*/.ssh/authorized_keys" is its directory, however long the end is.
  BOOST_TEST((watch_on(p, "/home").state == AuditRuleWatch::State::Busy));
  const std::string text = rules::render_audit_rules(p);
  BOOST_TEST(has_line(text, "#-w /usr/lib -p wa -k aeql_w_usr_lib"));
  BOOST_TEST(has_line(text, "#-w /home -p wa -k aeql_w_home"));
  BOOST_TEST(has_line(text, "-w /usr/lib/systemd/system -p wa -k aeql_w_usr_lib_systemd_system"));
  BOOST_TEST(has_line(text, "#-a always,exit -F arch=b64 -S openat -F a2&0x10000 -F success=1 -F dir=/home -k aeql_w_home"));
  BOOST_TEST(has_line(text, "## /home: Keys."));

  rules::AuditRuleOptions all_busy;
  all_busy.costly = {rules::CostClass::BusyDirectories};
  const auto opted = plan(served, all_busy);
  BOOST_REQUIRE(opted.watches.size() == 2u);  // /usr/lib/systemd/system merged into /usr/lib
  BOOST_TEST((watch_on(opted, "/usr/lib").state == AuditRuleWatch::State::Loaded));
  BOOST_TEST(has_line(rules::render_audit_rules(opted), "-w /home -p wa -k aeql_w_home"));

  rules::AuditRuleOptions one_directory;
  one_directory.costly_directories = {"/home"};
  const auto home = plan(served, one_directory);
  BOOST_TEST((watch_on(home, "/home").state == AuditRuleWatch::State::Loaded));
  BOOST_TEST((watch_on(home, "/usr/lib").state == AuditRuleWatch::State::Busy));
}

BOOST_AUTO_TEST_CASE(busy_means_the_tree_its_subtrees_where_they_are_busy_and_what_holds_one) {
  for (const char* busy : {"/", "/home", "/home/u/.ssh", "/tmp/x", "/usr", "/usr/lib", "/var", "/dev/shm", "/lib"}) {
    BOOST_TEST(rules::is_busy_directory(busy), busy);
  }
  for (const char* quiet : {"/etc", "/boot", "/usr/lib/systemd/system", "/usr/bin", "/var/spool/cron", "/homework"}) {
    BOOST_TEST(!rules::is_busy_directory(quiet), quiet);
  }
}

BOOST_AUTO_TEST_CASE(missing_directories_are_commented_out_when_checked_and_written_when_not) {
  const std::vector<rules::ServedRule> served = {
      {"Fish", R"(file where event.type == "creation" and file.path : "/etc/fish/*")"},
      {"Preload", R"(file where event.type == "creation" and file.path == "/etc/ld.so.preload")"},
      {"Root keys", R"(file where event.type == "creation" and file.path == "/root/.ssh/authorized_keys")"}};
  rules::AuditRuleOptions checked;
  checked.path_state = host_with({"/etc", "/root"});
  const auto p = plan(served, checked);
  BOOST_TEST(p.directories_checked);
  BOOST_TEST((watch_on(p, "/etc/fish").state == AuditRuleWatch::State::Missing));
  // A file watch needs its directory only.
  BOOST_TEST((watch_on(p, "/etc/ld.so.preload").state == AuditRuleWatch::State::Loaded));
  BOOST_TEST((watch_on(p, "/root/.ssh/authorized_keys").state == AuditRuleWatch::State::Missing));
  const std::string text = rules::render_audit_rules(p);
  BOOST_TEST(has_line(text, "#-w /etc/fish -p wa -k aeql_w_etc_fish"));
  BOOST_TEST(has_line(text, "-a always,exit -F path=/etc/ld.so.preload -F perm=wa -k aeql_w_etc_ld.so.preload"));
  BOOST_TEST(has_line(text, "#-a always,exit -F path=/root/.ssh/authorized_keys -F perm=wa -k aeql_w_root_.ssh_authorized_keys"));
  BOOST_TEST(text.find("were checked on the host that wrote this file") != std::string::npos);
  // No directory-open lines for a file watch.
  BOOST_TEST(text.find("dir=/etc/ld.so.preload") == std::string::npos);

  const auto unchecked = plan(served);
  BOOST_TEST(!unchecked.directories_checked);
  for (const auto& w : unchecked.watches) BOOST_TEST((w.state == AuditRuleWatch::State::Loaded), w.path);
  BOOST_TEST(rules::render_audit_rules(unchecked).find("were not checked") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rules_with_no_fixed_directory_need_costly_system_wide_lines_written_commented_out) {
  const std::vector<rules::ServedRule> served = {
      {"Pth", R"(file where event.type == "creation" and file.extension == "pth")"},
      {"Nsswitch", R"(file where event.type == "creation" and file.path like "/*/etc/nsswitch.conf")"},
      {"Cron", R"(file where event.type == "creation" and file.path : "/etc/cron.d/*")"}};
  const auto p = plan(served);
  BOOST_REQUIRE(p.unplaced.size() == 2u);
  BOOST_TEST(p.unplaced[0].name == "Pth");
  BOOST_TEST(p.unplaced[0].needs == std::vector<std::string>{"file creations"});
  BOOST_TEST(p.unplaced[1].name == "Nsswitch");
  BOOST_REQUIRE(p.sections.size() == 1u);
  BOOST_TEST(p.sections[0].only_elsewhere);
  BOOST_TEST(!p.sections[0].loaded);
  BOOST_TEST(p.sections[0].needed_by == (std::vector<std::string>{"Pth", "Nsswitch"}));
  const std::string text = rules::render_audit_rules(p);
  BOOST_TEST(has_line(text, "#-a always,exit -F arch=b64 -S openat -F a2&0x40 -F success=1 -k aeql_file"));
  BOOST_TEST(has_line(text, "## Needed by: Pth, Nsswitch."));
  BOOST_TEST(has_line(text, "##   Pth: file creations anywhere."));
  // The watch serves the rule that names a directory.
  BOOST_TEST(has_line(text, "-w /etc/cron.d -p wa -k aeql_w_etc_cron.d"));
  for (const auto& line : rule_lines(text)) BOOST_TEST(line.find("aeql_file") == std::string::npos, line);

  rules::AuditRuleOptions opted;
  opted.costly = {rules::CostClass::FileSyscalls};
  const std::string written = rules::render_audit_rules(plan(served, opted));
  BOOST_TEST(has_line(written, "-a always,exit -F arch=b64 -S openat -F a2&0x40 -F success=1 -k aeql_file"));
  BOOST_TEST(has_line(written, "-a always,exit -F arch=b32 -S creat,mkdir,mkdirat,mknod,mknodat,link,linkat,symlink,symlinkat -F success=1 -k aeql_file"));
}

BOOST_AUTO_TEST_CASE(windows_paths_of_cross_platform_rules_and_branches_for_other_kinds_are_left_out) {
  const auto p = plan({{"Hosts", R"(any where
      (event.category == "file" and event.type == "creation" and
       file.path : ("/etc/hosts", "?:\\Windows\\System32\\drivers\\etc\\hosts", "C:\\hosts")) or
      (event.category == "process" and process.name == "hostsedit"))"}});
  BOOST_TEST(p.unplaced.empty());
  BOOST_REQUIRE(p.watches.size() == 1u);
  BOOST_TEST(p.watches[0].path == "/etc/hosts");
  BOOST_TEST(!p.watches[0].directory);
}

BOOST_AUTO_TEST_CASE(the_stages_of_a_sequence_are_served) {
  const auto p = plan({{"Drop then run", R"(sequence by process.entity_id with maxspan=1m
      [file where event.type == "creation" and file.path : "/etc/cron.d/*"]
      [process where event.type == "start" and process.name == "sh"])"}});
  BOOST_TEST(p.rules == 1u);
  BOOST_REQUIRE(p.watches.size() == 1u);
  BOOST_TEST(p.watches[0].path == "/etc/cron.d");
  BOOST_TEST(p.matching_nothing.empty());
}

BOOST_AUTO_TEST_CASE(kinds_beyond_exec_and_files_get_their_syscall_rules_when_auditeql_builds_them) {
  const std::vector<rules::ServedRule> served = {
      {"Connect", R"(network where event.action == "connection_attempted")"},
      {"Root", R"(process where event.type == "change" and event.action == "uid_change")"}};
  const std::string text = rules::render_audit_rules(plan(served));
  // Another helper adds these kinds to ecs/event.cpp: until then the rules
  // match nothing; afterwards their lines appear, costly ones commented out.
  if (exists_kind("network", "connection_attempted")) {
    BOOST_TEST(has_line(text, "#-a always,exit -F arch=b64 -S connect -k aeql_net"));
  } else {
    BOOST_TEST(has_line(text, "##   Connect"));
  }
  if (exists_kind("process", "uid_change")) {
    BOOST_TEST(has_line(text, "-a always,exit -F arch=b32 -S setuid,setreuid,setresuid,setuid32,setreuid32,setresuid32 -F success=1 -k aeql_id"));
  } else {
    BOOST_TEST(has_line(text, "##   Root"));
  }
}

BOOST_AUTO_TEST_CASE(exec_and_fork_lines_are_written_for_any_rule_set_in_the_order_the_kernel_needs) {
  const auto rules_written = rule_lines(rules::render_audit_rules(plan({})));
  const std::vector<std::string> expected = {
      "-a always,exit -F arch=b64 -S execve,execveat -F success=1 -k bp_exec",
      "-a always,exit -F arch=b32 -S execve,execveat -F success=1 -k bp_exec",
      // `never` before `always`: the first matching rule decides.
      "-a never,exit -F arch=b64 -S clone -F a0&0x10000 -k bp_fork",
      "-a never,exit -F arch=b32 -S clone -F a0&0x10000 -k bp_fork",
      "-a always,exit -F arch=b64 -S clone,clone3,fork,vfork -F success=1 -k bp_fork",
      "-a always,exit -F arch=b32 -S clone,clone3,fork,vfork -F success=1 -k bp_fork"};
  BOOST_TEST(rules_written == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(watches_come_after_every_syscall_rule_and_the_usr_spelling_first) {
  rules::AuditRuleOptions options;
  options.costly = {rules::CostClass::FileSyscalls};
  options.extra_watches = {"/lib/dracut/modules.d", "/boot", "/usr/lib/dracut/modules.d"};
  const auto lines = rule_lines(rules::render_audit_rules(
      plan({{"Pth", R"(file where event.type == "creation" and file.extension == "pth")"}}, options)));
  const auto first_watch = std::find_if(lines.begin(), lines.end(), [](const auto& l) { return l.starts_with("-w "); });
  BOOST_REQUIRE((first_watch != lines.end()));
  for (auto it = first_watch; it != lines.end(); ++it) BOOST_TEST((it->starts_with("-w ") || it->find("dir=") != std::string::npos), *it);
  // Replay takes the first directory listed for a key.
  BOOST_TEST(*first_watch == "-w /boot -p wa -k bp_boot");
  BOOST_TEST(*(first_watch + 1) == "-w /usr/lib/dracut/modules.d -p wa -k bp_dracut");
  BOOST_TEST(*(first_watch + 2) == "-w /lib/dracut/modules.d -p wa -k bp_dracut");
}

BOOST_AUTO_TEST_CASE(a_rule_name_cannot_end_its_comment) {
  const auto text = rules::render_audit_rules(
      plan({{"Evil\n-D\n-a always,exit -S all", R"(file where event.type == "creation" and file.path : "/etc/x/*")"}}));
  for (const auto& line : rule_lines(text)) {
    BOOST_TEST((line.starts_with("-a always,exit -F arch=") || line.starts_with("-a never,exit -F arch=") ||
                line.starts_with("-w /")),
               line);
  }
}

BOOST_AUTO_TEST_CASE(a_watch_key_names_its_path_and_stays_within_the_kernel_limit) {
  BOOST_TEST(rules::watch_key("/boot") == "bp_boot");
  BOOST_TEST(rules::watch_key("/lib/dracut/modules.d") == "bp_dracut");
  BOOST_TEST(rules::watch_key("/etc/cron.d") == "aeql_w_etc_cron.d");
  const std::string a = "/" + std::string(300, 'a'), b = "/" + std::string(299, 'a') + "b";
  BOOST_TEST(rules::watch_key(a).size() <= 200u);
  BOOST_TEST(rules::watch_key(a) != rules::watch_key(b));
}

BOOST_AUTO_TEST_CASE(kinds_per_rule_from_toml_and_yaml_rule_files) {
  rules::Diagnostics d;
  const auto loaded = testing::load_dirs({std::string(AUDITEQL_FIXTURES_DIR) + "/audit_rules/rules"}, {}, d);
  BOOST_TEST(!d.has_errors(), d.format());
  std::vector<rules::ServedRule> served;
  for (const auto& r : loaded.rules) served.push_back({r.name, r.query});
  BOOST_REQUIRE(served.size() == 11u);
  rules::AuditRuleOptions options;
  options.path_state = host_with({"/etc", "/usr/bin", "/bin", "/usr/lib/systemd/system", "/root"});
  const auto p = plan(served, options);
  BOOST_TEST(p.rules == 11u);
  // TOML: event.action in ("creation", "rename") in two directories of /etc,
  // which the YAML rule's "/etc/cron*" and the cross-platform rule's
  // /etc/hosts put under one watch on /etc.
  BOOST_TEST(watch_on(p, "/etc").needed_by ==
             (std::vector<std::string>{"Cron Anything Under Etc (test)", "Cron File (test)", "Hosts File Written (test)",
                                       "Systemd Unit Written (test)"}));
  const auto state = [&](const std::string& path) { return watch_on(p, path).state; };
  BOOST_TEST((state("/usr/lib") == AuditRuleWatch::State::Busy));
  BOOST_TEST((state("/usr/lib/systemd/system") == AuditRuleWatch::State::Loaded));
  BOOST_TEST((state("/home") == AuditRuleWatch::State::Busy));
  BOOST_TEST((state("/root/.ssh/authorized_keys") == AuditRuleWatch::State::Missing));
  BOOST_TEST((state("/usr/bin/sudo") == AuditRuleWatch::State::Loaded));
  BOOST_TEST(!watch_on(p, "/usr/bin/sudo").directory);
  BOOST_REQUIRE(p.unplaced.size() == 1u);
  BOOST_TEST(p.unplaced[0].name == "Python Path File Anywhere (test)");
  BOOST_TEST(contains(p.matching_nothing, "Auditd Manager Action Only (test)"));
  BOOST_TEST(!contains(p.matching_nothing, "Netcat Started (test)"));
  BOOST_TEST(contains(p.matching_nothing, "Outbound Connection by nc (test)") !=
             exists_kind("network", "connection_attempted"));
  BOOST_TEST(contains(p.matching_nothing, "Root UID Change (test)") != exists_kind("process", "uid_change"));
}

BOOST_AUTO_TEST_SUITE_END()
