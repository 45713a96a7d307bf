#pragma once
// Hand-built audit records in the exact shape auditd writes them, for cases
// the captures do not cover (ordering races, pid reuse, hostile values).
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace auditeql::testing {

inline std::string hex_of(const std::string& bytes) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// How the kernel prints one value: quoted when plain, else upper-case hex.
inline std::string audit_value(const std::string& bytes) {
  bool plain = true;
  for (unsigned char c : bytes) plain = plain && c > 0x20 && c < 0x7f && c != '"';
  return plain ? "\"" + bytes + "\"" : hex_of(bytes);
}

inline std::string stamp(int64_t ms, uint64_t serial) {
  char buf[80];
  snprintf(buf, sizeof buf, "msg=audit(%lld.%03lld:%llu):", static_cast<long long>(ms / 1000),
           static_cast<long long>(ms % 1000), static_cast<unsigned long long>(serial));
  return buf;
}

struct ExecSpec {
  uint64_t serial = 0;
  int64_t ms = 1795413900000;
  int pid = 0;
  int ppid = 0;
  std::string exe;                 // exe= (kernel-resolved, interpreter for scripts)
  std::vector<std::string> argv;
  std::string cwd = "/tmp";
  std::string path0;               // PATH item 0 name as passed to execve
  int syscall = 59;
  std::string a0 = "55d851d3e380";
  int uid = 0, euid = 0, gid = 0, egid = 0;
  std::string tty = "(none)";
  std::string node;  // "node=NAME " prefix of every record when set
};

inline std::string ids_text(int uid, int euid, int gid, int egid) {
  return "uid=" + std::to_string(uid) + " gid=" + std::to_string(gid) + " euid=" + std::to_string(euid) +
         " suid=" + std::to_string(euid) + " fsuid=" + std::to_string(euid) + " egid=" + std::to_string(egid) +
         " sgid=" + std::to_string(egid) + " fsgid=" + std::to_string(egid);
}

// Prefixes every line of `records` with "node=NAME ".
inline std::string on_node(const std::string& node, const std::string& records) {
  if (node.empty()) return records;
  std::string out;
  size_t start = 0;
  while (start < records.size()) {
    const size_t end = records.find('\n', start);
    out += "node=" + node + " " + records.substr(start, end - start + 1);
    start = end + 1;
  }
  return out;
}

inline std::string exec_records(const ExecSpec& s) {
  const std::string st = stamp(s.ms, s.serial);
  std::string out = "type=SYSCALL " + st + " arch=c000003e syscall=" + std::to_string(s.syscall) +
                    " success=yes exit=0 a0=" + s.a0 + " a1=1 a2=2 a3=3 items=1 ppid=" + std::to_string(s.ppid) +
                    " pid=" + std::to_string(s.pid) + " auid=0 " + ids_text(s.uid, s.euid, s.gid, s.egid) + " tty=" + s.tty +
                    " ses=1 comm=\"x\" exe=" + audit_value(s.exe) + " key=\"bp_exec\"\n";
  out += "type=EXECVE " + st + " argc=" + std::to_string(s.argv.size());
  for (size_t i = 0; i < s.argv.size(); ++i) out += " a" + std::to_string(i) + "=" + audit_value(s.argv[i]);
  out += "\n";
  out += "type=CWD " + st + " cwd=" + audit_value(s.cwd) + "\n";
  out += "type=PATH " + st + " item=0 name=" + audit_value(s.path0) +
         " inode=1 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n";
  out += "type=PROCTITLE " + st + " proctitle=" + hex_of(s.argv.empty() ? "x" : s.argv[0]) + "\n";
  return on_node(s.node, out);
}

// Any other syscall event: its SYSCALL record (success= and exit= left out
// when `success` is empty, as for exit_group), then `extra` records of the
// same event ("KERN_MODULE name=\"x\"": the type and the fields).
struct SyscallSpec {
  uint64_t serial = 0;
  int64_t ms = 1795413900000;
  int pid = 0;
  int ppid = 1;
  int syscall = 0;
  std::string success = "yes";
  int64_t exit = 0;
  std::string a0 = "0", a1 = "0", a2 = "0", a3 = "0";
  int uid = 0, euid = 0, gid = 0, egid = 0;
  std::string tty = "(none)";
  std::string exe = "/usr/bin/x";
  std::string key = "k";
  std::vector<std::string> extra;
};

inline std::string syscall_records(const SyscallSpec& s) {
  const std::string st = stamp(s.ms, s.serial);
  std::string out = "type=SYSCALL " + st + " arch=c000003e syscall=" + std::to_string(s.syscall) +
                    (s.success.empty() ? std::string() : " success=" + s.success + " exit=" + std::to_string(s.exit)) +
                    " a0=" + s.a0 + " a1=" + s.a1 + " a2=" + s.a2 + " a3=" + s.a3 + " items=0 ppid=" + std::to_string(s.ppid) +
                    " pid=" + std::to_string(s.pid) + " auid=0 " + ids_text(s.uid, s.euid, s.gid, s.egid) + " tty=" + s.tty +
                    " ses=1 comm=\"x\" exe=" + audit_value(s.exe) + " key=\"" + s.key + "\"\n";
  for (const auto& record : s.extra) {
    const size_t space = record.find(' ');
    out += "type=" + record.substr(0, space) + " " + st + record.substr(space) + "\n";
  }
  out += "type=PROCTITLE " + st + " proctitle=7878\n";
  return out;
}

inline std::string fork_records(uint64_t serial, int64_t ms, int pid, int ppid, int child, uint64_t flags = 0x1200011) {
  const std::string st = stamp(ms, serial);
  char flag_hex[32];
  snprintf(flag_hex, sizeof flag_hex, "%llx", static_cast<unsigned long long>(flags));
  return "type=SYSCALL " + st + " arch=c000003e syscall=56 success=yes exit=" + std::to_string(child) + " a0=" + flag_hex +
         " a1=0 a2=0 a3=0 items=0 ppid=" + std::to_string(ppid) + " pid=" + std::to_string(pid) +
         " auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"sh\" exe=\"/usr/bin/dash\" key=\"bp_fork\"\n" +
         "type=PROCTITLE " + st + " proctitle=7368\n";
}

struct CreateSpec {
  uint64_t serial = 0;
  int64_t ms = 1795413900000;
  int pid = 0;
  int ppid = 0;
  int syscall = 257;          // openat
  std::string a0 = "ffffff9c";  // AT_FDCWD
  std::string cwd = "/tmp";
  std::string parent_name;
  uint64_t parent_inode = 0;
  std::string name;
  uint64_t inode = 0;
  std::string mode = "0100644";
  std::string exe = "/usr/bin/cp";
  std::string key = "bp_dracut";
  std::string dev = "fe:00";  // of both items, as MAJ:MIN in hex
  std::string nametype = "CREATE";  // DELETE, with an unlink syscall, for a removal
};

inline std::string create_records(const CreateSpec& s) {
  const std::string st = stamp(s.ms, s.serial);
  return "type=SYSCALL " + st + " arch=c000003e syscall=" + std::to_string(s.syscall) + " success=yes exit=3 a0=" + s.a0 +
         " a1=1 a2=241 a3=1b6 items=2 ppid=" + std::to_string(s.ppid) + " pid=" + std::to_string(s.pid) +
         " auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"x\" exe=" + audit_value(s.exe) +
         " key=\"" + s.key + "\"\n" + "type=CWD " + st + " cwd=" + audit_value(s.cwd) + "\n" + "type=PATH " + st +
         " item=0 name=" + audit_value(s.parent_name) + " inode=" + std::to_string(s.parent_inode) +
         " dev=" + s.dev + " mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n" +
         "type=PATH " + st + " item=1 name=" + audit_value(s.name) + " inode=" + std::to_string(s.inode) + " dev=" + s.dev + " mode=" + s.mode +
         " ouid=0 ogid=0 rdev=00:00 nametype=" + s.nametype + " cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n" + "type=PROCTITLE " + st +
         " proctitle=7878\n";
}

// openat(3, name, O_CREAT) by pid 70 in /tmp/scen, as `cp FILE DIR/` and
// `tar -C DIR` create names: the kernel prints the CWD as the PARENT name,
// with the inode of the directory fd's directory.
inline CreateSpec dirfd_create(uint64_t serial, std::string key, uint64_t dir_inode, std::string name, uint64_t inode) {
  CreateSpec s;
  s.serial = serial;
  s.pid = 70;
  s.ppid = 1;
  s.a0 = "3";
  s.cwd = "/tmp/scen";
  s.parent_name = "/tmp/scen";
  s.parent_inode = dir_inode;
  s.name = std::move(name);
  s.inode = inode;
  s.key = std::move(key);
  return s;
}

// mkdir(path) by pid 70 of /usr/lib/dracut/modules.d/NAME (inode `inode`):
// a directory whose path the log then knows for sure.
inline CreateSpec dracut_mkdir(uint64_t serial, std::string name, uint64_t inode) {
  CreateSpec s;
  s.serial = serial;
  s.pid = 70;
  s.ppid = 1;
  s.syscall = 83;
  s.a0 = "7ffd";
  s.parent_name = "/usr/lib/dracut/modules.d/";
  s.parent_inode = 1;
  s.name = "/usr/lib/dracut/modules.d/" + name;
  s.inode = inode;
  s.mode = "040755";
  return s;
}

// openat(a0, name, O_RDONLY|O_DIRECTORY|...) of an existing directory: what
// the directory-open rules of rules.d/auditeql.rules record.
struct DirectoryOpenSpec {
  uint64_t serial = 0;
  int64_t ms = 1795413900000;
  int pid = 0;
  int ppid = 0;
  std::string a0 = "ffffff9c";  // AT_FDCWD
  std::string a2 = "90800";     // O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY, as tar and ls pass it
  std::string cwd = "/tmp";
  std::string name;
  uint64_t inode = 0;
  std::string mode = "040755";
  std::string key = "bp_dracut";
};

// The same as opened by absolute name (or relative to `cwd`) by pid 70.
inline DirectoryOpenSpec directory_open(uint64_t serial, std::string key, std::string name, uint64_t inode) {
  DirectoryOpenSpec s;
  s.serial = serial;
  s.pid = 70;
  s.ppid = 1;
  s.cwd = "/tmp/scen";
  s.name = std::move(name);
  s.inode = inode;
  s.key = std::move(key);
  return s;
}

inline std::string directory_open_records(const DirectoryOpenSpec& s) {
  const std::string st = stamp(s.ms, s.serial);
  return "type=SYSCALL " + st + " arch=c000003e syscall=257 success=yes exit=3 a0=" + s.a0 + " a1=55d0c0de a2=" + s.a2 +
         " a3=0 items=1 ppid=" + std::to_string(s.ppid) + " pid=" + std::to_string(s.pid) +
         " auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"tar\" exe=\"/usr/bin/tar\"" +
         " key=\"" + s.key + "\"\n" + "type=CWD " + st + " cwd=" + audit_value(s.cwd) + "\n" + "type=PATH " + st +
         " item=0 name=" + audit_value(s.name) + " inode=" + std::to_string(s.inode) + " dev=fe:00 mode=" + s.mode +
         " ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n" + "type=PROCTITLE " +
         st + " proctitle=746172\n";
}

}  // namespace auditeql::testing
