#include "normalize/procfs.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>

#include "util/path.h"
#include "util/text.h"

namespace auditeql::normalize {
namespace {

namespace fs = std::filesystem;

std::string read_link(const std::string& path) {
  char buf[4096];
  const ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  if (n <= 0) return {};
  return std::string(buf, static_cast<size_t>(n));
}

// Reads a small /proc file whole (they report size 0, so no stat).
bool read_small_file(const std::string& path, std::string& out, size_t limit = 256 * 1024) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  out.clear();
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() >= limit) break;
  }
  ::close(fd);
  return true;
}

// The first line of `path` when it is a regular file starting with "#!".
bool read_shebang(const std::string& path, std::string& interpreter, std::string& option) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return false;
  struct stat st {};
  char buf[256];
  ssize_t n = -1;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n < 2 || buf[0] != '#' || buf[1] != '!') return false;
  std::string_view line(buf + 2, static_cast<size_t>(n) - 2);
  line = line.substr(0, line.find('\n'));
  const auto first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  line.remove_prefix(first);
  const auto end = line.find_first_of(" \t");
  interpreter = std::string(line.substr(0, end));
  option.clear();
  if (end != std::string_view::npos) {
    std::string_view rest = line.substr(end);
    const auto a = rest.find_first_not_of(" \t");
    const auto b = rest.find_last_not_of(" \t\r");
    if (a != std::string_view::npos) option = std::string(rest.substr(a, b - a + 1));
  }
  return true;
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace

namespace {

// Fields 7 (tty_nr) and 22 (start time) of /proc/PID/stat; false when unreadable.
bool read_stat(const std::string& proc_root, int64_t pid, uint64_t& start_time, bool& has_tty) {
  std::string stat;
  if (!read_small_file(proc_root + "/" + std::to_string(pid) + "/stat", stat, 4096)) return false;
  // comm (field 2) may hold spaces and parentheses: fields restart after the last ')'.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return false;
  const auto field_text = [&](size_t pos) {
    const size_t end = stat.find(' ', pos + 1);
    return std::string_view(stat).substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
  };
  size_t field = 2, pos = close + 1;
  while (pos < stat.size() && field < 22) {
    pos = stat.find(' ', pos + 1);
    if (pos == std::string::npos) return false;
    ++field;
    if (field == 7) has_tty = util::parse_int(field_text(pos)).value_or(0) != 0;
  }
  start_time = util::parse_uint(field_text(pos)).value_or(0);
  return true;
}

// The real and effective ids of "Uid:" and "Gid:" in /proc/PID/status.
void read_credentials(const std::string& proc_root, int64_t pid, Credentials& out) {
  std::string status;
  if (!read_small_file(proc_root + "/" + std::to_string(pid) + "/status", status, 16384)) return;
  const auto ids = [&](std::string_view label, uint32_t& real, uint32_t& effective) {
    const size_t at = status.find(label);
    if (at == std::string::npos) return;
    std::string_view line = std::string_view(status).substr(at + label.size());
    line = line.substr(0, line.find('\n'));
    uint32_t* targets[2] = {&real, &effective};
    for (uint32_t* target : targets) {
      const size_t begin = line.find_first_not_of(" \t");
      if (begin == std::string_view::npos) return;
      line.remove_prefix(begin);
      const size_t end = line.find_first_of(" \t");
      const auto value = util::parse_uint(line.substr(0, end));
      if (!value || *value >= Credentials::kUnknown) return;
      *target = static_cast<uint32_t>(*value);
      if (end == std::string_view::npos) return;
      line.remove_prefix(end);
    }
  };
  ids("\nUid:", out.uid, out.euid);
  ids("\nGid:", out.gid, out.egid);
}

uint32_t parse_hex_word(std::string_view hex) {
  uint32_t v = 0;
  for (const char c : hex) {
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return 0;
    v = v << 4 | static_cast<uint32_t>(d);
  }
  return v;
}

// "0100007F:1F90" (IPv4) or 32 hex digits and a port (IPv6): each 32-bit word
// of the address as the kernel holds it, printed as a number of this host's
// byte order.
bool parse_proc_net_address(std::string_view text, bool ipv6, SocketInfo& out) {
  const size_t colon = text.find(':');
  const size_t digits = ipv6 ? 32 : 8;
  if (colon != digits) return false;
  unsigned char bytes[16];
  for (size_t w = 0; w < digits / 8; ++w) {
    const uint32_t word = parse_hex_word(text.substr(w * 8, 8));
    std::memcpy(bytes + w * 4, &word, 4);
  }
  char ip[INET6_ADDRSTRLEN] = {};
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  const bool mapped = ipv6 && std::memcmp(bytes, kMapped, 12) == 0;
  // A v4-mapped address in its IPv4 form, as the events stage writes SOCKADDRs.
  if (ipv6 && !mapped) {
    inet_ntop(AF_INET6, bytes, ip, sizeof ip);
  } else {
    inet_ntop(AF_INET, mapped ? bytes + 12 : bytes, ip, sizeof ip);
  }
  out.has_local = true;
  out.local_ipv6 = ipv6 && !mapped;
  out.local_ip = ip;
  out.local_port = static_cast<uint16_t>(parse_hex_word(text.substr(colon + 1)));
  return true;
}

}  // namespace

uint64_t read_start_time(const std::string& proc_root, int64_t pid) {
  uint64_t start_time = 0;
  bool has_tty = false;
  read_stat(proc_root, pid, start_time, has_tty);
  return start_time;
}


bool read_proc(const std::string& proc_root, int64_t pid, ProcSnapshot& out) {
  const std::string base = proc_root + "/" + std::to_string(pid);
  out.exe = read_link(base + "/exe");
  if (out.exe.empty()) return false;
  constexpr std::string_view kDeleted = " (deleted)";
  if (out.exe.size() > kDeleted.size() && out.exe.compare(out.exe.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0) {
    out.exe.resize(out.exe.size() - kDeleted.size());
  }
  std::string cmdline;
  read_small_file(base + "/cmdline", cmdline);
  out.argv.clear();
  size_t start = 0;
  while (start < cmdline.size()) {
    size_t end = cmdline.find('\0', start);
    if (end == std::string::npos) end = cmdline.size();
    out.argv.emplace_back(cmdline, start, end - start);
    start = end + 1;
  }
  out.cwd = read_link(base + "/cwd");
  out.start_time = 0;
  out.has_tty = false;
  read_stat(proc_root, pid, out.start_time, out.has_tty);
  out.credentials = Credentials{};
  read_credentials(proc_root, pid, out.credentials);
  return true;
}

ProcessEntry entry_from_proc(const ProcSnapshot& snapshot) {
  ProcessEntry entry;
  entry.image = image_from_proc(snapshot);
  entry.start_time = snapshot.start_time;
  entry.interactive = snapshot.has_tty ? 1 : 0;
  entry.credentials = snapshot.credentials;
  return entry;
}

ecs::ProcessImagePtr image_from_proc(const ProcSnapshot& p) {
  const auto& argv = p.argv;
  // [interpreter, script, ...] or [interpreter, option, script, ...]
  for (size_t script_at = 1; script_at <= 2 && script_at < argv.size(); ++script_at) {
    const std::string script = util::join_path(p.cwd, argv[script_at]);
    std::string interpreter, option;
    if (!read_shebang(script, interpreter, option)) continue;
    const bool has_option = script_at == 2;
    if (argv[0] != interpreter || has_option != !option.empty() || (has_option && argv[1] != option)) continue;
    return ecs::make_process_image(script, argv);
  }
  if (!argv.empty() && util::is_absolute(argv[0]) && same_file(argv[0], p.exe)) {
    return ecs::make_process_image(util::normalize_path(argv[0]), argv);
  }
  return ecs::make_process_image(p.exe, argv);
}

bool ProcProcessSource::lookup(int64_t pid, ProcessEntry& out) {
  ++lookups_;
  ProcSnapshot snapshot;
  if (pid <= 0 || !read_proc(proc_root_, pid, snapshot)) return false;
  ++hits_;
  out = entry_from_proc(snapshot);
  return true;
}

bool ProcProcessSource::still_current(int64_t pid, const ProcessEntry& entry) {
  if (entry.start_time == 0) return true;
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
  if (const auto it = confirmed_.find(pid);
      it != confirmed_.end() && it->second.start_time == entry.start_time && now_ms - it->second.at_ms < 1000) {
    return true;
  }
  const uint64_t start_time = read_start_time(proc_root_, pid);
  // Gone: the entry still describes what ran under that pid.
  const bool current = start_time == 0 || start_time == entry.start_time;
  if (current) {
    if (confirmed_.size() > 65536) confirmed_.clear();
    confirmed_[pid] = {entry.start_time, now_ms};
  }
  return current;
}

bool ProcProcessSource::local_address(int64_t pid, int32_t fd, SocketInfo& out) {
  if (pid <= 0 || fd < 0) return false;
  const std::string base = proc_root_ + "/" + std::to_string(pid);
  const std::string target = read_link(base + "/fd/" + std::to_string(fd));
  constexpr std::string_view kSocket = "socket:[";
  if (target.size() <= kSocket.size() + 1 || target.compare(0, kSocket.size(), kSocket) != 0 || target.back() != ']') {
    return false;
  }
  const std::string_view inode = std::string_view(target).substr(kSocket.size(), target.size() - kSocket.size() - 1);
  std::string table;
  for (const bool ipv6 : {false, true}) {
    // Listening sockets come first in these files: a bounded read finds them.
    if (!read_small_file(base + (ipv6 ? "/net/tcp6" : "/net/tcp"), table, 1 << 20)) continue;
    size_t line_start = table.find('\n');  // past the header
    while (line_start != std::string::npos && line_start + 1 < table.size()) {
      const size_t line_end = table.find('\n', line_start + 1);
      const std::string_view line = std::string_view(table).substr(line_start + 1, line_end == std::string::npos ? std::string::npos : line_end - line_start - 1);
      line_start = line_end;
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
      std::string_view fields[10];
      size_t n = 0, pos = 0;
      while (n < 10) {
        const size_t begin = line.find_first_not_of(' ', pos);
        if (begin == std::string_view::npos) break;
        const size_t end = line.find(' ', begin);
        fields[n++] = line.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
        if (end == std::string_view::npos) break;
        pos = end;
      }
      if (n == 10 && fields[9] == inode) return parse_proc_net_address(fields[1], ipv6, out);
    }
  }
  return false;
}

std::string_view ProcProcessSource::boot_id() const {
  if (!boot_id_read_) {
    boot_id_read_ = true;
    if (read_small_file(proc_root_ + "/sys/kernel/random/boot_id", boot_id_, 256)) {
      while (!boot_id_.empty() && (boot_id_.back() == '\n' || boot_id_.back() == ' ')) boot_id_.pop_back();
    }
  }
  return boot_id_;
}

size_t seed_process_table(ProcessTable& table, const std::string& proc_root) {
  DIR* dir = ::opendir(proc_root.c_str());
  if (dir == nullptr) return 0;
  size_t seeded = 0;
  ProcSnapshot snapshot;
  while (const dirent* entry = ::readdir(dir)) {
    const auto pid = util::parse_int(entry->d_name);
    if (!pid || *pid <= 0 || seeded >= table.capacity()) continue;
    if (!read_proc(proc_root, *pid, snapshot)) continue;
    table.put(*pid, entry_from_proc(snapshot));
    ++seeded;
  }
  ::closedir(dir);
  return seeded;
}

size_t seed_inode_paths(InodePaths& inodes, const std::vector<std::string>& roots, size_t max_entries) {
  size_t seeded = 0;
  const auto learn = [&](const fs::path& dir) {
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return;
    // The same (major << 32 | minor) form as PATH records' dev=MAJ:MIN.
    const uint64_t dev = (static_cast<uint64_t>(major(st.st_dev)) << 32) | minor(st.st_dev);
    const InodeKey key{dev, static_cast<uint64_t>(st.st_ino)};
    // /lib/dracut/modules.d is /usr/lib/dracut/modules.d on merged-/usr
    // systems: the first spelling listed is kept.
    if (inodes.find(key) != nullptr) return;
    inodes.learn(key, util::normalize_path(dir.string()));
    ++seeded;
  };
  for (const auto& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    learn(root);
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end && seeded < max_entries; it.increment(ec)) {
      if (it.depth() > 8) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_directory(ec) && !it->is_symlink(ec)) learn(it->path());
    }
  }
  return seeded;
}

}  // namespace auditeql::normalize
