// The augenrules file of an AuditRulePlan (rules/audit_rule_plan.h). The
// prose is what a reader of /etc/audit/rules.d needs to judge, trim or
// extend the rules: why each line is there, what it costs, which detection
// rules need it.
#include <algorithm>
#include <string>

#include "rules/audit_rule_plan.h"

namespace auditeql::rules {
namespace {

constexpr size_t kWidth = 88;

// Rule names come from rule files: a line break in one must not end the
// comment and start an audit rule.
std::string comment_safe(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

class Text {
 public:
  void line(std::string_view text = {}) {
    out_ += text;
    out_ += '\n';
  }
  // `text` as "## " comment lines of at most kWidth columns, the first
  // indented by `lead` more spaces, the others by `indent` more than that.
  void prose(std::string_view text, size_t indent = 0, size_t lead = 0) {
    std::string current = "##" + std::string(lead, ' ');
    bool first_word = true;
    size_t i = 0;
    while (i < text.size()) {
      const size_t end = std::min(text.find(' ', i), text.size());
      const std::string_view word = text.substr(i, end - i);
      i = end + 1;
      if (word.empty()) continue;
      if (!first_word && current.size() + 1 + word.size() > kWidth) {
        line(current);
        current = "##" + std::string(lead + indent + 1, ' ') + std::string(word);
      } else {
        current += ' ';
        current += word;
      }
      first_word = false;
    }
    line(current);
  }
  void heading(std::string_view title) {
    line();
    line("## " + std::string(66, '-') + " " + std::string(title));
  }
  void names(std::string_view label, const std::vector<std::string>& names) {
    std::string text(label);
    for (size_t i = 0; i < names.size(); ++i) text += (i == 0 ? " " : ", ") + comment_safe(names[i]);
    prose(text + ".", 2);
  }
  // One entry of a listing: "##   NAME: ...".
  void item(std::string_view text) { prose(text, 2, 2); }
  std::string str() && { return std::move(out_); }

 private:
  std::string out_;
};

std::string join(const std::vector<std::string_view>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : std::string(separator)) + std::string(items[i]);
  return out;
}

// "-a always,exit -F arch=b64 -S ... -k KEY" for each ABI that has the calls.
void syscall_lines(Text& out, const std::vector<SyscallRule>& rules, std::string_view key, bool loaded,
                   std::string_view action = "always") {
  const std::string prefix = std::string(loaded ? "" : "#") + "-a " + std::string(action) + ",exit";
  for (const auto& r : rules) {
    for (const auto& [arch, calls] : {std::pair{"b64", r.b64}, std::pair{"b32", r.b32}}) {
      if (calls.empty()) continue;
      std::string line = prefix + " -F arch=" + arch + " -S " + std::string(calls);
      if (!r.filter.empty()) line += " " + std::string(r.filter);
      out.line(line + " -k " + std::string(key));
    }
  }
}

std::vector<std::string> keys_of(const AuditRulePlan& plan) {
  std::vector<std::string> keys = {std::string(kExecKey), std::string(kForkKey)};
  const auto add = [&](const std::string& key) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  };
  for (const auto& s : plan.sections) add(std::string(s.kinds.front()->key));
  for (const auto& w : plan.watches) add(w.key);
  return keys;
}

void header(Text& out, const AuditRulePlan& plan) {
  out.line("## auditeql.rules -- the audit rules auditeql's detection rules need");
  out.line("##");
  out.prose("Derived by `auditeql audit-rules` from the " + std::to_string(plan.rules) +
            " enabled rules it loaded. Installed as "
            "/etc/audit/rules.d/auditeql.rules. augenrules(8) concatenates every *.rules file of /etc/audit/rules.d "
            "(in `ls -v` order) into /etc/audit/audit.rules and loads it. After changing the rule set (rule "
            "directories, overrides, enabled: false) or audit_rules_costly, write it again and load it:");
  out.line("##   auditeql audit-rules > /etc/audit/rules.d/auditeql.rules && augenrules --load");
  out.line("##");
  out.prose("Nothing here sets global options (-D, -b, -f, -e, --backlog_wait_time): Debian's rules.d/audit.rules, "
            "read before this file, already starts with -D and sets -b 8192 and -f 1. Keep the backlog at 8192 or "
            "more: the exec and fork rules below produce bursts of records whenever a build or a package upgrade "
            "runs.");
  out.line("##");
  std::vector<std::string_view> keys;
  const auto key_list = keys_of(plan);
  for (const auto& k : key_list) keys.push_back(k);
  out.prose("Every rule carries one of the keys " + join(keys, ", ") +
            ", so that `auditctl -l -k KEY` lists them and `auditctl -D -k KEY` removes exactly them (the package "
            "scripts unload them that way on removal). Each watched path has a key of its own (the two spellings of "
            "the dracut module directory share bp_dracut): replay places a name created relative to a directory fd "
            "under the directory watched by the rule of the event's key.");
  out.line("##");
  std::vector<std::string_view> classes(cost_class_names().begin(), cost_class_names().end());
  std::vector<std::string_view> chosen;
  for (const auto c : plan.costly) chosen.push_back(to_string(c));
  out.prose("Cost: a line whose records would be too many for most hosts is written commented out (\"#-a ...\", "
            "\"#-w ...\") after the names of the rules that need it; audit_rules_costly in auditeql.yaml writes it in "
            "(classes: " + join(classes, ", ") + "). Written in here: " +
            (chosen.empty() ? std::string("none") : join(chosen, ", ")) + ".");
  out.prose(plan.directories_checked
                ? "Watched directories were checked on the host that wrote this file: a missing one is commented "
                  "out (create it, then write this file again)."
                : "Watched directories were not checked (auditeql audit-rules --no-check-directories): each must "
                  "exist when the rules load.");
  out.line("##");
  out.line("## Checked with auditctl 3.0.9 on Debian 12 (x86_64).");
}

void exec_section(Text& out, const AuditRulePlan& plan) {
  const KindAuditRules* exec = find_kind_audit_rules({"process", "start", "exec"});
  out.heading("process starts");
  out.prose(exec->why);
  out.prose("Needed by every rule (" + std::to_string(plan.rules) + ").");
  syscall_lines(out, exec->syscalls, exec->key, true);
}

void fork_section(Text& out) {
  out.heading("process creation (fork tracking)");
  out.prose("Why: a rule such as \"cpio -H newc whose parent is not mkinitramfs/dracut\" needs the parent's "
            "program. mkinitramfs and dracut run cpio inside a forked subshell `( ... | cpio -o -H newc )`: cpio's "
            "parent is then a process that never called exec, so no exec record names it. With these records the "
            "plugin knows the subshell was forked from mkinitramfs and reports mkinitramfs as the parent.");
  out.line("##");
  out.prose("Cost: one record set for EVERY process creation on the machine (every fork of every shell, daemon and "
            "build tool), on top of the exec records. Most programs are started by a fork followed by an exec, so "
            "expect at least as many fork events as exec events, and more where shells fork subshells.");
  out.line("##");
  out.prose("Threads: clone(CLONE_THREAD) creates a thread, not a process. The `never` lines drop those calls "
            "(0x10000 is CLONE_THREAD in clone's first argument, the flags word, on both ABIs). They must come "
            "BEFORE the `always` lines: the first matching rule of the exit list decides. A side effect: they also "
            "silence thread-creating clone() calls for any rule loaded after this file. clone3() cannot be filtered "
            "that way: its flags are in a struct in user memory and audit only sees the struct's address, so every "
            "thread started through clone3 (glibc 2.34 and later create all pthreads that way) is still recorded. "
            "The plugin takes such a record for a fork of the same program, which is harmless, but each one costs a "
            "record set and a process table slot.");
  out.line("##");
  out.prose("To turn fork tracking off: comment out or delete the four bp_fork lines and run `augenrules --load`. "
            "The plugin then looks up a missing parent in /proc at the time it sees the event (proc_lookup: true in "
            "auditeql.yaml). That works for long-lived parents but misses short-lived ones: a subshell that has "
            "already exited is gone from /proc, and its children get no parent name, so parent-based exclusions "
            "cannot apply (expect false positives for initramfs builds).");
  syscall_lines(out, {{"clone", "clone", "-F a0&0x10000"}}, kForkKey, true, "never");
  syscall_lines(out, {{"clone,clone3,fork,vfork", "clone,clone3,fork,vfork", "-F success=1"}}, kForkKey, true);
}

void kinds_section(Text& out, const AuditRuleSection& s) {
  std::vector<std::string_view> what;
  for (const auto* k : s.kinds) what.push_back(k->what);
  const KindAuditRules& entry = *s.kinds.front();
  out.heading(join(what, ", ") + (s.only_elsewhere ? " anywhere (no fixed directory)" : ""));
  std::string_view last_why;
  for (const auto* k : s.kinds) {
    if (k->why != last_why) out.prose(k->why);
    last_why = k->why;
  }
  if (s.only_elsewhere) {
    out.prose("For the rules that name no fixed directory for these events (listed at the end of this file); "
              "watches serve the others.");
  }
  out.names("Needed by:", s.needed_by);
  const std::string cls(to_string(entry.cost));
  if (entry.cost == CostClass::None) {
    out.prose("Cost: low.");
  } else if (s.loaded) {
    out.prose("Costly (" + cls + "): written in because audit_rules_costly names " + cls + ".");
  } else {
    out.prose("Costly (" + cls + "): commented out; `audit_rules_costly: [" + cls + "]` in auditeql.yaml writes it "
              "in. Until then these rules see no such events.");
  }
  syscall_lines(out, entry.syscalls, entry.key, s.loaded);
}

std::string_view state_note(const AuditRuleWatch& w) {
  switch (w.state) {
    case AuditRuleWatch::State::Busy:
      return " Busy tree (busy_directories): commented out; audit_rules_costly with busy_directories, or with "
             "this directory, writes it in.";
    case AuditRuleWatch::State::Missing:
      return w.directory ? " Missing on the host that wrote this file: commented out."
                         : " Its directory is missing on the host that wrote this file: commented out.";
    case AuditRuleWatch::State::Loaded: break;
  }
  return "";
}

void watch_section(Text& out, const AuditRulePlan& plan) {
  out.heading("file events in fixed places (watches)");
  out.prose("Watches on the directories and files the rules' conditions on file.path, file.directory and "
            "file.Ext.original.path name. A watch on an existing directory becomes a subtree rule: any file "
            "created, renamed, deleted, written or re-attributed anywhere below it is recorded. -p wa = writes and "
            "attribute changes, no reads; the plugin keeps the creations, renames and deletions. A watch on one "
            "file (-F path=) records it alone, and its parent directory must exist.");
  out.line("##");
  out.prose("THESE LINES (AND THE DIRECTORY-OPEN LINES BELOW) MUST STAY LAST, AND THE DIRECTORIES MUST EXIST. If a "
            "watched path's parent directory is missing, auditctl fails with \"No such file or directory\" and "
            "augenrules stops loading at that line: every rule after it (in this file and in any rules file sorted "
            "after this one) is not loaded. If the parent exists but the directory does not, auditctl silently adds "
            "a plain (non-recursive) watch that misses files in subdirectories. A watch follows the inode: if a "
            "directory is deleted and re-created, run `augenrules --load` again.");
  out.line("##");
  out.prose("A path under /lib, /bin or /sbin is the same directory as its /usr spelling on merged-/usr systems "
            "(Debian 12: /lib -> usr/lib): the kernel accepts both lines and reports each creation once. On "
            "systems without merged /usr it is a directory of its own.");
  out.prose("Paths are taken as the rules spell them: `:` and `like~` compare case-insensitively, the file system "
            "does not.");
  for (const auto& w : plan.watches) {
    out.names(w.path + (w.directory ? "" : " (one file)") + ":", w.needed_by);
    if (const auto note = state_note(w); !note.empty()) out.prose(note);
    const std::string prefix = w.state == AuditRuleWatch::State::Loaded ? "" : "#";
    if (w.directory) {
      out.line(prefix + "-w " + w.path + " -p wa -k " + w.key);
    } else {
      out.line(prefix + "-a always,exit -F path=" + w.path + " -F perm=wa -k " + w.key);
    }
  }
}

void directory_open_section(Text& out, const AuditRulePlan& plan) {
  out.heading("directory opens (where dirfd-relative names go)");
  out.prose("Why: `cp FILE /boot/`, `cp -r`, `mv FILE DIR/` and `tar -C DIR -x` first open the target directory by "
            "name (openat(AT_FDCWD, \"/boot/\", O_PATH|O_DIRECTORY), or O_RDONLY|O_DIRECTORY for tar) and then "
            "create names relative to that descriptor: openat(fd, \"evil.ko\", O_CREAT). The creation's records "
            "hold only the relative name, the CWD as the PARENT name, and the directory's inode. The live plugin "
            "knows the watched directories' inodes (it walks watched_directories when it starts), but a replay of "
            "the log knows only what the log says: these lines record the directory open, so that the log names "
            "the directory (absolute path and inode) before the creation. `auditeql replay` of a log recorded "
            "without them places such a name under the directory its key's watch names, and marks the event "
            "auditeql.file_path_inferred.");
  out.line("##");
  out.prose("Filter: O_DIRECTORY is 0x10000 (0200000) in openat's flags (a2) and open's (a1); dir= is a subtree rule "
            "like -w: the directory itself and everything below it. openat2 is left out: its flags are in a struct "
            "in user memory, which audit cannot filter on. success=1: a failed open names no directory.");
  out.line("##");
  out.prose("Cost: one record set (SYSCALL, CWD, PATH, PROCTITLE) per directory opened under the watched trees, by "
            "anyone: `ls /boot`, find, grub-mkconfig, dracut reading its module directories. Measured on Debian 12 "
            "with a real auditd and the lines for /boot and the dracut module directories "
            "(tests/support/capture_scenario.py --workload; records of the workload's process tree, the directory "
            "opens' share):");
  out.line("##   apt-get install linux-image-cloud-amd64 (initramfs-tools)   8 of  62,273 records (0.013 %)");
  out.line("##   apt-get install dracut-core, then dracut --no-hostonly     76 of 111,175 records (0.07 %)");
  out.line("##   tests/bench/live-overhead.sh storm (20,000 execs, 200 files");
  out.line("##   in modules.d, the planted attacks)                          76 of 199,716 records (0.04 %)");
  out.prose("A directory open outside these trees makes no record. Like the watches, these lines need the "
            "directories to exist and must stay last; they are commented out where the watch is.");
  for (const auto& w : plan.watches) {
    if (!w.directory) continue;
    const bool loaded = w.state == AuditRuleWatch::State::Loaded;
    const std::string at = "-F a2&0x10000 -F success=1 -F dir=" + w.path;  // openat's flags
    const std::string plain = "-F a1&0x10000 -F success=1 -F dir=" + w.path;  // open's
    syscall_lines(out, {{"openat", "", at}, {"open", "", plain}, {"", "openat", at}, {"", "open", plain}}, w.key,
                  loaded);
  }
}

void listings(Text& out, const AuditRulePlan& plan) {
  if (!plan.unplaced.empty()) {
    out.heading("rules that name no fixed directory");
    out.prose("These rules test file events, but their conditions on file.path, file.directory and "
              "file.Ext.original.path name no fixed directory or file (a pattern such as \"/*/etc/x\" or "
              "\"*.so\", or only file.name or file.extension), so no watch can serve them. They need the "
              "system-wide file syscall rules above (file_syscalls), and see no file events without them.");
    for (const auto& u : plan.unplaced) {
      std::vector<std::string_view> needs(u.needs.begin(), u.needs.end());
      out.item(comment_safe(u.name) + ": " + join(needs, ", ") + " anywhere.");
    }
  }
  if (!plan.matching_nothing.empty()) {
    out.heading("rules that match no event auditeql builds");
    out.prose("Their conditions on event.category, event.type and event.action, or on fields auditeql never sets, "
              "exclude every kind of event auditeql builds: no audit rule makes them fire.");
    for (const auto& name : plan.matching_nothing) out.item(comment_safe(name));
  }
  if (!plan.not_loaded.empty()) {
    out.heading("rules that did not load");
    out.prose("They do not run, so nothing here serves them. Fix them, then write this file again.");
    for (const auto& name : plan.not_loaded) out.item(comment_safe(name));
  }
  if (!plan.kinds_without_rules.empty()) {
    out.heading("WARNING: event kinds without audit rules");
    std::vector<std::string_view> kinds(plan.kinds_without_rules.begin(), plan.kinds_without_rules.end());
    out.prose("Some rules can match these kinds, but auditeql knows no audit rules for them (a gap in "
              "src/rules/kind_audit_rules.cpp): " + join(kinds, ", ") + ".");
  }
  std::vector<std::string_view> directories;
  for (const auto& w : plan.watches) {
    if (w.directory && w.state == AuditRuleWatch::State::Loaded) directories.push_back(w.path);
  }
  out.heading("auditeql.yaml");
  out.prose("The plugin learns the inodes of watched_directories when it starts, to name files created relative "
            "to a directory fd in them: list the watched directories there.");
  out.line("##   watched_directories: [" + join(directories, ", ") + "]");
}

}  // namespace

std::string render_audit_rules(const AuditRulePlan& plan) {
  Text out;
  header(out, plan);
  exec_section(out, plan);
  fork_section(out);
  for (const auto& s : plan.sections) kinds_section(out, s);
  if (!plan.watches.empty()) {
    watch_section(out, plan);
    directory_open_section(out, plan);
  }
  listings(out, plan);
  return std::move(out).str();
}

}  // namespace auditeql::rules
