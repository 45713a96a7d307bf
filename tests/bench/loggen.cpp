// auditeql-loggen: deterministic generator of realistic audit logs for the
// throughput benchmark.
//
// Writes audit.log text in the ENRICHED format of auditd 3.0.9 on Debian 12
// (x86_64), record shapes copied from the captures in tests/fixtures:
//   exec        SYSCALL(execve) [BPRM_FCAPS for root] EXECVE... CWD PATH... PROCTITLE
//   #! script   as exec, exe= the interpreter, PATH 0 = script, 1 = interpreter, 2 = ld.so
//   fork        SYSCALL(clone, key bp_fork, items=0) PROCTITLE
//   file        SYSCALL(openat/mkdir/mkdirat/rename/renameat2) CWD PATH(PARENT..) PATH(CREATE) PROCTITLE
//   failed exec SYSCALL(success=no) CWD PATH(UNKNOWN or NORMAL) PROCTITLE
// EXECVE records are laid out by a port of the kernel's audit_log_execve_info()
// (7500-byte records, aN_len/aN[i] pieces, continuation records; it reproduces
// every EXECVE record of the fixtures byte for byte), PROCTITLE is the
// NUL-joined argv cut at 128 bytes and, as in the kernel, cached per task at
// its first record (a second exec in the same pid and the clone records of a
// process repeat that first title); values are quoted or upper-case hex
// exactly as the kernel decides.
//
// The host it simulates: a few concurrent sessions (an interactive user with
// sudo, CI builds running configure/make/gcc storms, cron and systemd jobs, apt
// installing kernels, which runs dpkg, maintainer scripts, update-initramfs ->
// mkinitramfs -> (subshell) cpio -o -H newc, kernel-install -> dracut, grub),
// over a simulated process tree: every exec's ppid is a process that exec'd or
// was forked earlier, except the roots of new sessions (their daemons started
// before the log), and pids are allocated cyclically up to --pid-max, so they
// wrap and get reused. A handful of boot-persistence attacks are spread over
// the log so that each rule has something to fire on: cp and mv into /boot/,
// cpio -H newc with an unknown parent, unmkinitramfs, dracut started from a
// shell, and dracut modules planted with mkdir/tee and tar -C (directory-fd
// creations). The benign activity is shaped so that it does not match the
// rules (the initramfs builders' cpio, hook copies into /boot, dpkg writes).
//
// Everything is derived from --seed with a private PRNG: the same seed and
// options give the same bytes on every machine. Interleaving draws from its own
// PRNG, so --interleave and --eoe change the order and framing of the records,
// never their content.
#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace loggen {

// ---------------------------------------------------------------- PRNG

// xoshiro256** seeded through splitmix64. Own range functions: the standard
// distributions differ between library implementations.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t x = seed;
    for (auto& s : s_) {
      x += 0x9e3779b97f4a7c15ull;
      uint64_t z = x;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      s = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n).
  uint64_t below(uint64_t n) { return n == 0 ? 0 : static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64); }
  // Uniform in [lo, hi].
  int64_t range(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1))); }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  template <class T, size_t N>
  const T& pick(const std::array<T, N>& a) { return a[below(N)]; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
  // Small counts skewed towards lo: lo + floor of a geometric-ish draw, capped.
  int skewed(int lo, int hi, double p_more) {
    int n = lo;
    while (n < hi && chance(p_more)) ++n;
    return n;
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// ---------------------------------------------------------------- text helpers

constexpr char kHexUpper[] = "0123456789ABCDEF";

inline void put(std::string& s, std::string_view v) { s.append(v); }
inline void put_u(std::string& s, uint64_t v) {
  char b[24];
  const auto r = std::to_chars(b, b + sizeof b, v);
  s.append(b, r.ptr);
}
inline void put_i(std::string& s, int64_t v) {
  char b[24];
  const auto r = std::to_chars(b, b + sizeof b, v);
  s.append(b, r.ptr);
}
inline void put_x(std::string& s, uint64_t v) {
  char b[24];
  const auto r = std::to_chars(b, b + sizeof b, v, 16);
  s.append(b, r.ptr);
}
inline void put_hex_bytes(std::string& s, std::string_view v) {
  const size_t at = s.size();
  s.resize(at + 2 * v.size());
  char* o = s.data() + at;
  for (unsigned char c : v) {
    *o++ = kHexUpper[c >> 4];
    *o++ = kHexUpper[c & 15];
  }
}
// The kernel's audit_string_contains_control().
inline bool needs_hex(std::string_view v) {
  for (unsigned char c : v) {
    if (c == '"' || c < 0x21 || c > 0x7e) return true;
  }
  return false;
}
// audit_log_untrustedstring(): "quoted" or upper-case hex.
inline void put_value(std::string& s, std::string_view v) {
  if (needs_hex(v)) {
    put_hex_bytes(s, v);
  } else {
    s += '"';
    s.append(v);
    s += '"';
  }
}

std::string_view base_name(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}
std::string_view dir_part(std::string_view path) {  // "a/b/c" -> "a/b/", "c" -> ""
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1);
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// Stable inode numbers for existing files, by path (in the ranges the captures show).
uint64_t inode_of(std::string_view path) {
  const uint64_t h = fnv1a(path);
  if (path.starts_with("/usr/bin/") || path.starts_with("/usr/sbin/")) return 246000 + h % 9000;
  if (path.starts_with("/usr/lib") || path.starts_with("/lib")) return 330000 + h % 90000;
  if (path.starts_with("/etc/")) return 1300000 + h % 40000;
  if (path.starts_with("/usr/share/")) return 520000 + h % 200000;
  if (path.starts_with("/var/lib/dpkg/")) return 1570000 + h % 30000;
  if (path.starts_with("/home/")) return 2621440 + h % 300000;
  return 10961900 + h % 100000;
}

// ---------------------------------------------------------------- output

struct Event {
  std::vector<std::string> recs;
  size_t n = 0;
  std::string hdr;  // "msg=audit(SEC.MS:SERIAL):"

  void reset() { n = 0; }
  // A new record "type=T msg=audit(...): " to append fields to.
  std::string& add(std::string_view type) {
    if (n == recs.size()) recs.emplace_back();
    std::string& r = recs[n++];
    r.clear();
    r += "type=";
    r += type;
    r += ' ';
    r += hdr;
    r += ' ';
    return r;
  }
};

// Writes events; with probability `interleave` an event is split and its tail
// is written after (part of) the next event, as two CPUs logging at once do.
class Output {
 public:
  Output(FILE* f, bool eoe, double interleave, Rng& rng) : f_(f), eoe_(eoe), interleave_(interleave), rng_(rng) {
    buf_.reserve(kFlushAt + 65536);
  }

  void submit(Event& ev) {
    if (held_active_) {
      // Some of ev's records, then the held tail, then the rest of ev.
      const size_t j = 1 + rng_.below(ev.n);
      for (size_t i = 0; i < j; ++i) emit(ev.recs[i]);
      if (j == ev.n) emit_eoe(ev.hdr);
      for (size_t i = held_from_; i < held_.n; ++i) emit(held_.recs[i]);
      emit_eoe(held_.hdr);
      for (size_t i = j; i < ev.n; ++i) emit(ev.recs[i]);
      if (j < ev.n) emit_eoe(ev.hdr);
      held_active_ = false;
      ++interleaved_;
      return;
    }
    if (ev.n >= 2 && interleave_ > 0 && rng_.chance(interleave_)) {
      held_from_ = rng_.below(ev.n);  // 0: the whole event comes after the next one
      for (size_t i = 0; i < held_from_; ++i) emit(ev.recs[i]);
      std::swap(held_.recs, ev.recs);
      held_.n = ev.n;
      held_.hdr = ev.hdr;
      ev.n = 0;
      held_active_ = true;
      return;
    }
    for (size_t i = 0; i < ev.n; ++i) emit(ev.recs[i]);
    emit_eoe(ev.hdr);
  }

  bool finish() {
    if (held_active_) {
      for (size_t i = held_from_; i < held_.n; ++i) emit(held_.recs[i]);
      emit_eoe(held_.hdr);
      held_active_ = false;
    }
    flush();
    return std::fflush(f_) == 0 && !failed_;
  }

  uint64_t bytes() const { return bytes_; }
  uint64_t records() const { return records_; }
  uint64_t interleaved() const { return interleaved_; }

 private:
  static constexpr size_t kFlushAt = 1 << 20;

  void emit(const std::string& rec) {
    buf_ += rec;
    buf_ += '\n';
    ++records_;
    if (buf_.size() >= kFlushAt) flush();
  }
  void emit_eoe(const std::string& hdr) {
    if (!eoe_) return;
    buf_ += "type=EOE ";
    buf_ += hdr;
    buf_ += '\n';
    ++records_;
  }
  void flush() {
    if (buf_.empty()) return;
    if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) failed_ = true;
    bytes_ += buf_.size();
    buf_.clear();
  }

  FILE* f_;
  bool eoe_;
  double interleave_;
  Rng& rng_;
  std::string buf_;
  Event held_;
  size_t held_from_ = 0;
  bool held_active_ = false;
  bool failed_ = false;
  uint64_t bytes_ = 0;
  uint64_t records_ = 0;
  uint64_t interleaved_ = 0;
};

// ---------------------------------------------------------------- EXECVE layout

struct ExecveStats {
  uint64_t continuation_records = 0;
  uint64_t split_args = 0;
};

// Port of audit_log_execve_info() (kernel/auditsc.c): fills `ev` with the
// EXECVE record(s) for argv. MAX_EXECVE_AUDIT_LEN = 7500, sizeof(abuf) = 96.
void add_execve_records(Event& ev, const std::vector<std::string>& argv, ExecveStats& stats) {
  constexpr long kLenMax = 7500;
  constexpr long kAbuf = 96;
  std::string* rec = &ev.add("EXECVE");
  put(*rec, "argc=");
  put_u(*rec, argv.size());
  if (argv.empty()) return;

  std::string buf;  // fetched, not yet logged bytes of the current argument
  size_t buf_off = 0;
  long len_rem = kLenMax;
  long len_buf = 0;
  long len_full = 0;
  long len_abuf = 0;
  bool require_data = true;
  bool encode = false;
  int iter = 0;
  size_t arg = 0;
  size_t pos = 0;  // user-space position inside argv[arg]
  do {
    const std::string& a = argv[arg];
    if (len_full == 0) len_full = static_cast<long>(a.size() - pos);
    if (require_data) {
      if (buf_off != 0) {
        buf.erase(0, buf_off);
        buf_off = 0;
      }
      const long count = kLenMax - len_buf;
      const long avail = static_cast<long>(a.size() - pos);
      long len_tmp;
      if (avail >= count) {  // strncpy_from_user() filled the buffer: no NUL within count
        len_tmp = count;
        require_data = true;
        encode = true;
        len_full = len_full * 2;
        buf.append(a, pos, static_cast<size_t>(len_tmp));
        pos += static_cast<size_t>(len_tmp);
      } else {
        len_tmp = avail;
        require_data = false;
        buf.append(a, pos, static_cast<size_t>(len_tmp));
        if (!encode) encode = needs_hex(std::string_view(buf).substr(0, static_cast<size_t>(len_buf + len_tmp)));
        if (len_full < kLenMax) len_full = encode ? len_tmp * 2 : len_tmp;
        pos += static_cast<size_t>(len_tmp) + 1;
      }
      len_buf += len_tmp;
      len_abuf = encode ? len_buf * 2 : len_buf + 2;
    }

    if (kAbuf + 8 > len_rem) {
      len_rem = kLenMax;
      // A continuation record: its first field's leading space follows the
      // header's, hence "msg=audit(...):  a1[2]=" with two spaces and no argc.
      rec = &ev.add("EXECVE");
      ++stats.continuation_records;
    }
    std::string abuf;
    if (require_data || iter > 0 || (len_abuf + kAbuf) > len_rem) {
      if (iter == 0) {
        abuf += " a";
        put_u(abuf, arg);
        abuf += "_len=";
        put_u(abuf, static_cast<uint64_t>(len_full));
        ++stats.split_args;
      }
      abuf += " a";
      put_u(abuf, arg);
      abuf += '[';
      put_u(abuf, static_cast<uint64_t>(iter++));
      abuf += "]=";
    } else {
      abuf += " a";
      put_u(abuf, arg);
      abuf += '=';
    }
    *rec += abuf;
    len_rem -= static_cast<long>(abuf.size());
    long len_tmp = len_buf;
    const std::string_view piece(buf.data() + buf_off, static_cast<size_t>(len_buf));
    if (encode) {
      if (len_abuf > len_rem) len_tmp = len_rem / 2;
      put_hex_bytes(*rec, piece.substr(0, static_cast<size_t>(len_tmp)));
      len_rem -= len_tmp * 2;
      len_abuf -= len_tmp * 2;
    } else {
      if (len_abuf > len_rem) len_tmp = len_rem - 2;
      *rec += '"';
      rec->append(piece.substr(0, static_cast<size_t>(len_tmp)));
      *rec += '"';
      len_rem -= len_tmp + 2;
      len_abuf -= len_tmp;
    }
    len_buf -= len_tmp;
    buf_off += static_cast<size_t>(len_tmp);

    if (len_buf == 0 && !require_data) {
      ++arg;
      iter = 0;
      len_full = 0;
      require_data = true;
      encode = false;
      pos = 0;
      buf.clear();
      buf_off = 0;
    }
  } while (arg < argv.size());
}

// PROCTITLE value: argv joined by NUL, cut at 128 bytes (MAX_PROCTITLE_AUDIT_LEN).
std::string proctitle_value(const std::vector<std::string>& argv) {
  std::string joined;
  for (size_t i = 0; i < argv.size() && joined.size() < 128; ++i) {
    if (i) joined += '\0';
    joined += argv[i];
  }
  if (joined.size() > 128) joined.resize(128);
  std::string out;
  put_value(out, joined);
  return out;
}

}  // namespace loggen

#ifndef LOGGEN_NO_MAIN
namespace loggen {

// ---------------------------------------------------------------- identities

constexpr uint32_t kUnset = 4294967295u;

const char* user_name(uint32_t id) {
  switch (id) {
    case 0: return "root";
    case 1000: return "alice";
    case 1001: return "ci";
    case kUnset: return "unset";
    default: return "nobody";
  }
}

struct Ids {
  uint32_t uid = 0, euid = 0, gid = 0, egid = 0;
  static Ids of(uint32_t id) { return Ids{id, id, id, id}; }
};

// ---------------------------------------------------------------- the simulated host

// What a process is running: exe= and comm= of its records.
struct Image {
  std::string exe;
  std::string comm;
  std::string title;  // its argv as a PROCTITLE value (for tasks forked from it)
};
using ImagePtr = std::shared_ptr<const Image>;

// Where a spawning process is, which decides what it runs next.
enum Ctx : uint8_t {
  C_SHELL,        // interactive user shell
  C_ROOTSHELL,    // root shell (sudo -i, root login)
  C_SCRIPT,       // generic shell script
  C_CONFIGURE,    // autoconf configure: a storm of tiny execs
  C_MAKE,
  C_CC,           // gcc driver
  C_XARGS,
  C_GIT,
  C_PY,
  C_CRON,         // /bin/sh -c from cron
  C_RUNPARTS,
  C_APT,
  C_DPKG,
  C_POSTINST,     // dpkg maintainer script
  C_KINST,        // /etc/kernel/postinst.d, kernel-install
  C_KINST_DRACUT, // /usr/lib/kernel/install.d/*.install hooks (50-dracut.install runs dracut)
  C_UPDINITRAMFS, // update-initramfs
  C_MKINITRAMFS,
  C_MKINIT_PIPE,  // mkinitramfs subshell: find | sort | cpio -o -H newc
  C_DRACUT,
  C_DRACUT_PIPE,
  C_GRUB,         // update-grub
  C_GRUBMK,       // grub-mkconfig
  C_UNMK,         // unmkinitramfs
  C_LEAF,         // a script that runs no program (which, lesspipe)
  C_GZ,           // zcat, zgrep, gunzip: gzip (and grep)
  C_LDD,          // ldd: runs the dynamic loader itself
  C_HOOK,         // an initramfs-tools hook: copy_exec, manual_add_modules
  C_COUNT
};

enum Flags : uint8_t {
  F_SPAWN = 1,    // the new image runs children (its ctx below)
  F_STATIC = 2,   // no ELF interpreter: one PATH item
  F_SETUID = 4,   // setuid root (sudo)
};

// Writer plans: what a process creates in the watched trees.
enum Plan : uint8_t {
  W_NONE,
  W_DPKG,         // package files: *.dpkg-new creations, then renames
  W_CP_BOOT,      // kernel-install hook: cp vmlinuz/initrd into /boot/ (directory fd)
  W_MV_INITRD,    // update-initramfs: mv /boot/initrd.img-V.new /boot/initrd.img-V
  W_SHELL_BOOT,   // shell redirection into /boot (mkinitramfs, grub-mkconfig)
  W_MV_GRUB,      // grub-mkconfig: mv grub.cfg.new grub.cfg
  W_INSTALL_DRACUT, // install -d / install -m into modules.d (excluded by the rule)
  W_SED_DRACUT,   // sed -i on a module file: sedXXXXXX + rename
};

struct Prog {
  const char* path;   // PATH item 0 as the caller spells it
  const char* exe;    // resolved exe= (nullptr: same as path)
  uint16_t weight;
  char args;          // argument generator
  const char* opts;   // option pool, space separated
  uint8_t flags;
  uint8_t ctx;        // child ctx for F_SPAWN
  uint8_t plan;       // writer plan
};

struct Script {
  const char* path;   // as passed to execve (may be relative)
  const char* interp; // #! line interpreter as written (PATH item 1)
  const char* interp_arg;  // optional #! argument
  uint16_t weight;
  char args;
  uint8_t ctx;        // ctx of the script process
  uint8_t plan;
};

// Resolved executables of interpreters and symlinks.
const char* resolve_exe(std::string_view p) {
  struct M { const char* from; const char* to; };
  static const M map[] = {
      {"/bin/sh", "/usr/bin/dash"}, {"/usr/bin/sh", "/usr/bin/dash"}, {"/bin/bash", "/usr/bin/bash"},
      {"/usr/bin/awk", "/usr/bin/mawk"}, {"/usr/bin/python3", "/usr/bin/python3.11"},
      {"/usr/bin/perl", "/usr/bin/perl"}, {"/usr/bin/env", "/usr/bin/env"}, {"/usr/bin/cc", "/usr/bin/x86_64-linux-gnu-gcc-12"},
      {"/usr/bin/gcc", "/usr/bin/x86_64-linux-gnu-gcc-12"}, {"/usr/bin/vi", "/usr/bin/vim.basic"},
      {"/usr/bin/vim", "/usr/bin/vim.basic"}, {"/usr/bin/as", "/usr/bin/x86_64-linux-gnu-as"},
      {"/usr/bin/ld", "/usr/bin/x86_64-linux-gnu-ld.bfd"}, {"/usr/bin/editor", "/usr/bin/vim.basic"},
      {"/usr/bin/pager", "/usr/bin/less"}, {"/usr/bin/zstd", "/usr/bin/zstd"},
  };
  for (const auto& m : map) {
    if (p == m.from) return m.to;
  }
  return nullptr;
}

// ---------------------------------------------------------------- program tables
// ELF programs by ctx. Argument generators (Generator::gen_args):
//  n none   f files  d dirs   p pattern+files  s sed  a awk  t tr  D date  m chmod
//  F find   x xargs  g git    y python  u unit  k packages  U url  N number  h sh -c
//  c gcc    1 cc1    2 as     3 collect2  M make  C cpio -o -H newc  I cpio -i  w words
//  G getopt R readlink-f  V dpkg  A apt  P ps  S ssh  T tar  B cp-to-boot  L mv-initrd
//  Z grub-mv  E install-dracut  Q sed -i dracut  O compress  K mkdir  W copy_exec cp  Y mktemp

#define TOOL(path, w, a, o) {path, nullptr, w, a, o, 0, 0, W_NONE}
const Prog kTools[] = {
    TOOL("/usr/bin/ls", 60, 'd', "-l -la -lh -a -1 -R -t --color=auto -d -F"),
    TOOL("/usr/bin/cat", 55, 'f', "-n -A -v -s"),
    TOOL("/usr/bin/grep", 55, 'p', "-r -i -n -E -v -q -c -l -H -F -w -s -o"),
    TOOL("/usr/bin/sed", 40, 's', "-n -E -e -r"),
    {"/usr/bin/awk", "/usr/bin/mawk", 30, 'a', "-F: -F, -v", 0, 0, W_NONE},
    TOOL("/usr/bin/cut", 18, 'f', "-d: -f1 -f2 -c1-8 -d, -f3 -f1,3"),
    TOOL("/usr/bin/sort", 22, 'f', "-u -n -r -k2 -t: -V -h"),
    TOOL("/usr/bin/uniq", 10, 'f', "-c -d -u"),
    TOOL("/usr/bin/head", 20, 'f', "-n 20 -n1 -c 100 -5 -q"),
    TOOL("/usr/bin/tail", 18, 'f', "-n 50 -f -n +2 -c 64 -q"),
    TOOL("/usr/bin/wc", 14, 'f', "-l -c -w -m"),
    TOOL("/usr/bin/tr", 14, 't', "-d -s -c"),
    TOOL("/usr/bin/date", 16, 'D', "-u -R -Iseconds"),
    TOOL("/usr/bin/id", 8, 'n', "-u -g -un -G"),
    TOOL("/usr/bin/uname", 12, 'n', "-r -m -a -s -n"),
    TOOL("/usr/bin/hostname", 5, 'n', "-f -s -I"),
    TOOL("/usr/bin/basename", 14, 'f', "-s .c -a"),
    TOOL("/usr/bin/dirname", 12, 'f', ""),
    TOOL("/usr/bin/readlink", 10, 'R', "-f -e -m -n"),
    TOOL("/usr/bin/mkdir", 16, 'K', "-p -m 755 -v"),
    TOOL("/usr/bin/rm", 22, 'f', "-f -rf -r -v"),
    TOOL("/usr/bin/cp", 18, 'f', "-a -p -r -f -v -L --preserve=mode"),
    TOOL("/usr/bin/mv", 12, 'f', "-f -v -n"),
    TOOL("/usr/bin/ln", 8, 'f', "-s -sf -f -snf"),
    TOOL("/usr/bin/chmod", 10, 'm', "-R -v"),
    TOOL("/usr/bin/chown", 4, 'm', "-R -h"),
    TOOL("/usr/bin/touch", 10, 'f', "-c -m -r"),
    TOOL("/usr/bin/find", 16, 'F', ""),
    {"/usr/bin/xargs", nullptr, 8, 'x', "-0 -r -n 50 -P 4", F_SPAWN, C_XARGS, W_NONE},
    TOOL("/usr/bin/stat", 8, 'f', "-c %s -L -t"),
    TOOL("/usr/bin/tee", 6, 'f', "-a"),
    TOOL("/usr/bin/ps", 6, 'P', ""),
    TOOL("/usr/bin/systemctl", 8, 'u', "is-active status show -q --no-pager"),
    TOOL("/usr/bin/journalctl", 3, 'u', "-u -n 100 --no-pager -b"),
    {"/usr/bin/git", nullptr, 14, 'g', "", F_SPAWN, C_GIT, W_NONE},
    {"/usr/bin/python3", "/usr/bin/python3.11", 8, 'y', "-c -u -E -m", F_SPAWN, C_PY, W_NONE},
    TOOL("/usr/bin/perl", 4, 'y', "-e -ne -pe -w"),
    TOOL("/usr/bin/gzip", 6, 'f', "-9 -d -c -f -n"),
    TOOL("/usr/bin/tar", 6, 'T', ""),
    TOOL("/usr/bin/curl", 5, 'U', "-fsSL -o -I --retry 3 -s"),
    TOOL("/usr/bin/sleep", 8, 'N', ""),
    TOOL("/usr/bin/true", 4, 'n', ""),
    TOOL("/usr/bin/expr", 10, 'E', ""),
    TOOL("/usr/bin/printf", 6, 'w', "%s\\n %d %-20s"),
    TOOL("/usr/bin/[", 6, 'E', ""),
    TOOL("/usr/bin/logger", 3, 'w', "-t -p user.info -i"),
    TOOL("/usr/bin/diff", 5, 'f', "-u -q -r -N"),
    TOOL("/usr/bin/cmp", 4, 'f', "-s -l"),
    TOOL("/usr/bin/md5sum", 4, 'f', "-c --quiet"),
    TOOL("/usr/bin/sha256sum", 4, 'f', "-c --status"),
    TOOL("/usr/bin/du", 4, 'd', "-sh -s -h --max-depth=1"),
    TOOL("/usr/bin/df", 4, 'd', "-h -T -i -P"),
    TOOL("/usr/bin/whoami", 3, 'n', ""),
    TOOL("/usr/bin/mktemp", 6, 'Y', "-d -t -p /tmp -u"),
    TOOL("/usr/bin/od", 2, 'f', "-An -tx1 -c -N 16"),
    TOOL("/usr/bin/dd", 2, 'w', "if=/dev/zero of=/tmp/blob bs=1M count=4 status=none"),
    TOOL("/usr/bin/file", 3, 'f', "-b -L -i"),
    TOOL("/usr/bin/nproc", 3, 'n', "--all"),
    TOOL("/usr/bin/seq", 3, 'N', "-w -s"),
    TOOL("/usr/bin/getent", 3, 'w', "passwd group hosts"),
    TOOL("/usr/bin/dpkg-query", 5, 'k', "-W -s -L --showformat=${Version}"),
    TOOL("/usr/sbin/ip", 4, 'w', "-br -4 -6 addr route link show"),
    TOOL("/usr/bin/ss", 2, 'w', "-tlnp -s -ua"),
    TOOL("/usr/bin/env", 4, 'w', "-i -u LANG=C TZ=UTC"),
    {"/bin/ls", "/usr/bin/ls", 6, 'd', "-l -a", 0, 0, W_NONE},
    {"/bin/cat", "/usr/bin/cat", 5, 'f', "", 0, 0, W_NONE},
    {"/bin/grep", "/usr/bin/grep", 4, 'p', "-q -E", 0, 0, W_NONE},
    {"/bin/rm", "/usr/bin/rm", 3, 'f', "-f", 0, 0, W_NONE},
    {"/bin/sh", "/usr/bin/dash", 10, 'h', "", F_SPAWN, C_SCRIPT, W_NONE},
    {"/bin/bash", "/usr/bin/bash", 5, 'h', "", F_SPAWN, C_SCRIPT, W_NONE},
};

const Prog kShellExtra[] = {  // interactive user
    {"/usr/bin/vim", "/usr/bin/vim.basic", 20, 'f', "-R -p", 0, 0, W_NONE},
    {"/usr/bin/less", nullptr, 14, 'f', "-R -S +G", 0, 0, W_NONE},
    {"/usr/bin/ssh", nullptr, 8, 'S', "-q -o BatchMode=yes -p 2222", 0, 0, W_NONE},
    {"/usr/bin/sudo", nullptr, 16, 'h', "-n -E -u root -i", F_SPAWN | F_SETUID, C_ROOTSHELL, W_NONE},
    {"/usr/bin/make", nullptr, 8, 'M', "-j4 -j8 -s -k", F_SPAWN, C_MAKE, W_NONE},
    {"/usr/bin/top", nullptr, 3, 'w', "-b -n1 -o %CPU", 0, 0, W_NONE},
    {"/usr/bin/scp", nullptr, 3, 'S', "-q -r -p", 0, 0, W_NONE},
    {"/usr/bin/bash", nullptr, 6, 'h', "", F_SPAWN, C_SHELL, W_NONE},
};
const Prog kRootShellExtra[] = {
    {"/usr/bin/apt-get", nullptr, 4, 'A', "-y -q", F_SPAWN, C_APT, W_NONE},
    {"/usr/bin/systemctl", nullptr, 20, 'u', "restart reload status is-enabled daemon-reload", 0, 0, W_NONE},
    {"/usr/bin/vim", "/usr/bin/vim.basic", 12, 'f', "", 0, 0, W_NONE},
    {"/usr/sbin/ip", nullptr, 8, 'w', "addr route link neigh show", 0, 0, W_NONE},
    {"/usr/bin/journalctl", nullptr, 8, 'u', "-u -xe -n 200 --since=today", 0, 0, W_NONE},
    {"/usr/bin/dpkg", nullptr, 6, 'V', "-l -s -L --get-selections", 0, 0, W_NONE},
    {"/usr/bin/bash", nullptr, 6, 'h', "", F_SPAWN, C_ROOTSHELL, W_NONE},
};
const Prog kMake[] = {
    {"/bin/sh", "/usr/bin/dash", 60, 'h', "", F_SPAWN, C_SCRIPT, W_NONE},
    {"/usr/bin/gcc", "/usr/bin/x86_64-linux-gnu-gcc-12", 60, 'c', "", F_SPAWN, C_CC, W_NONE},
    {"/usr/bin/cc", "/usr/bin/x86_64-linux-gnu-gcc-12", 20, 'c', "", F_SPAWN, C_CC, W_NONE},
    {"/usr/bin/make", nullptr, 6, 'M', "-C -s --no-print-directory", F_SPAWN, C_MAKE, W_NONE},
    {"/usr/bin/ar", "/usr/bin/x86_64-linux-gnu-ar", 6, 'f', "rcs cr", 0, 0, W_NONE},
    {"/usr/bin/ranlib", "/usr/bin/x86_64-linux-gnu-ranlib", 3, 'f', "", 0, 0, W_NONE},
    {"/usr/bin/install", nullptr, 6, 'f', "-m 644 -m 755 -d -D -c", 0, 0, W_NONE},
    {"/usr/bin/pkg-config", nullptr, 6, 'k', "--cflags --libs --exists --modversion", 0, 0, W_NONE},
    {"/usr/bin/python3", "/usr/bin/python3.11", 4, 'y', "-B -E", 0, 0, W_NONE},
};
const Prog kCc[] = {
    {"/usr/libexec/gcc/x86_64-linux-gnu/12/cc1", nullptr, 50, '1', "", 0, 0, W_NONE},
    {"/usr/bin/as", "/usr/bin/x86_64-linux-gnu-as", 40, '2', "", 0, 0, W_NONE},
    {"/usr/libexec/gcc/x86_64-linux-gnu/12/collect2", nullptr, 12, '3', "", 0, 0, W_NONE},
    {"/usr/bin/ld", "/usr/bin/x86_64-linux-gnu-ld.bfd", 6, '3', "", 0, 0, W_NONE},
};
const Prog kConfigure[] = {
    {"/usr/bin/gcc", "/usr/bin/x86_64-linux-gnu-gcc-12", 25, 'c', "", F_SPAWN, C_CC, W_NONE},
    {"./conftest", nullptr, 12, 'n', "", 0, 0, W_NONE},
    {"/usr/bin/expr", nullptr, 14, 'E', "", 0, 0, W_NONE},
    {"/usr/bin/cat", nullptr, 10, 'f', "", 0, 0, W_NONE},
    {"/usr/bin/sed", nullptr, 16, 's', "-n -e", 0, 0, W_NONE},
    {"/usr/bin/rm", nullptr, 14, 'f', "-f -rf", 0, 0, W_NONE},
    {"/usr/bin/grep", nullptr, 10, 'p', "-q -E -c", 0, 0, W_NONE},
    {"/usr/bin/mv", nullptr, 5, 'f', "-f", 0, 0, W_NONE},
    {"/usr/bin/tr", nullptr, 5, 't', "", 0, 0, W_NONE},
    {"/usr/bin/uname", nullptr, 4, 'n', "-m -s -r", 0, 0, W_NONE},
    {"/usr/bin/cmp", nullptr, 4, 'f', "-s", 0, 0, W_NONE},
    {"/usr/bin/ls", nullptr, 3, 'd', "-di -t", 0, 0, W_NONE},
    {"/usr/bin/mkdir", nullptr, 3, 'K', "-p", 0, 0, W_NONE},
};
const Prog kXargs[] = {
    {"/usr/bin/rm", nullptr, 30, 'X', "-f", 0, 0, W_NONE},
    {"/usr/bin/grep", nullptr, 30, 'X', "-l -H -n", 0, 0, W_NONE},
    {"/usr/bin/chmod", nullptr, 10, 'X', "644 0755 u+x", 0, 0, W_NONE},
    {"/usr/bin/sha256sum", nullptr, 10, 'X', "", 0, 0, W_NONE},
    {"/usr/bin/gzip", nullptr, 8, 'X', "-9", 0, 0, W_NONE},
};
const Prog kGit[] = {
    {"/usr/lib/git-core/git", nullptr, 30, 'g', "", 0, 0, W_NONE},
    {"/usr/bin/less", nullptr, 20, 'n', "", 0, 0, W_NONE},
    {"/usr/lib/git-core/git-remote-https", nullptr, 10, 'U', "origin", 0, 0, W_NONE},
    {"/usr/bin/ssh", nullptr, 10, 'S', "-o SendEnv=GIT_PROTOCOL", 0, 0, W_NONE},
    {"/usr/bin/gpg", nullptr, 3, 'w', "--status-fd=1 --verify", 0, 0, W_NONE},
};
const Prog kPy[] = {
    {"/usr/bin/uname", nullptr, 20, 'n', "-p -r", 0, 0, W_NONE},
    {"/usr/bin/ldconfig", nullptr, 5, 'n', "-p", 0, 0, W_NONE},
    {"/usr/bin/git", nullptr, 10, 'g', "", 0, 0, W_NONE},
    {"/bin/sh", "/usr/bin/dash", 10, 'h', "", F_SPAWN, C_SCRIPT, W_NONE},
};
const Prog kCron[] = {
    {"/usr/bin/run-parts", nullptr, 30, 'w', "--report --lsbsysinit /etc/cron.daily /etc/cron.hourly", F_SPAWN, C_RUNPARTS, W_NONE},
    {"/usr/sbin/logrotate", nullptr, 10, 'w', "/etc/logrotate.conf --state /var/lib/logrotate/status", F_SPAWN, C_SCRIPT, W_NONE},
    {"/usr/bin/find", nullptr, 10, 'F', "", 0, 0, W_NONE},
    {"/usr/bin/flock", nullptr, 6, 'w', "-n /run/lock/cron.lock", 0, 0, W_NONE},
    {"/usr/sbin/ntpdate", nullptr, 2, 'w', "-s pool.ntp.org", 0, 0, W_NONE},
};
const Prog kApt[] = {
    {"/usr/bin/dpkg", nullptr, 40, 'V', "--status-fd 42 --no-triggers --unpack --configure --auto-deconfigure", F_SPAWN, C_DPKG, W_DPKG},
    {"/usr/bin/apt-config", nullptr, 10, 'w', "shell StateDir Dir::State --format %f", 0, 0, W_NONE},
    {"/usr/lib/apt/methods/http", nullptr, 8, 'n', "", 0, 0, W_NONE},
    {"/usr/lib/apt/methods/gpgv", nullptr, 4, 'n', "", 0, 0, W_NONE},
    {"/usr/bin/dpkg", nullptr, 6, 'V', "--print-foreign-architectures --print-architecture", 0, 0, W_NONE},
    {"/bin/sh", "/usr/bin/dash", 8, 'h', "", F_SPAWN, C_SCRIPT, W_NONE},
};
const Prog kDpkg[] = {
    {"/usr/bin/dpkg-deb", nullptr, 30, 'V', "--fsys-tarfile --control --info", 0, 0, W_NONE},
    {"/usr/bin/dpkg-split", nullptr, 12, 'V', "-Qao", 0, 0, W_NONE},
    {"/usr/bin/dpkg-trigger", nullptr, 6, 'k', "--no-await --by-package", 0, 0, W_NONE},
    {"/usr/bin/update-alternatives", nullptr, 6, 'w', "--install --quiet --remove --auto", 0, 0, W_NONE},
    {"/usr/sbin/ldconfig", nullptr, 4, 'n', "", F_STATIC, 0, W_NONE},
    {"/usr/bin/run-parts", nullptr, 6, 'J', "", F_SPAWN, C_KINST, W_NONE},
};
const Prog kPostinst[] = {
    {"/usr/bin/run-parts", nullptr, 12, 'J', "", F_SPAWN, C_KINST, W_NONE},
    {"/usr/bin/sed", nullptr, 6, 'Q', "-i -e", 0, 0, W_SED_DRACUT},
    {"/usr/bin/install", nullptr, 6, 'E', "-d -m 0755 -m 0644 -D", 0, 0, W_INSTALL_DRACUT},
    {"/usr/bin/systemctl", nullptr, 10, 'u', "--system daemon-reload is-enabled", 0, 0, W_NONE},
    {"/usr/bin/dpkg-query", nullptr, 6, 'k', "-W -f=${Status}", 0, 0, W_NONE},
    {"/usr/bin/dpkg-trigger", nullptr, 6, 'k', "--no-await", 0, 0, W_NONE},
    {"/usr/bin/kernel-install", nullptr, 6, 'H', "", F_SPAWN, C_KINST, W_NONE},
};
const Prog kKinst[] = {
    {"/usr/bin/mkdir", nullptr, 10, 'K', "-p", 0, 0, W_NONE},
    {"/usr/bin/ls", nullptr, 6, 'd', "-1", 0, 0, W_NONE},
    {"/usr/bin/uname", nullptr, 6, 'n', "-r", 0, 0, W_NONE},
    {"/usr/bin/stat", nullptr, 4, 'f', "-c %s", 0, 0, W_NONE},
    {"/usr/bin/sha256sum", nullptr, 3, 'f', "", 0, 0, W_NONE},
};
// /usr/lib/kernel/install.d/*.install hooks: they copy the kernel into /boot/
// (an excluded parent for the Boot File Copy rule).
const Prog kInstallHook[] = {
    {"/usr/bin/cp", nullptr, 20, 'B', "-f --preserve=timestamps", 0, 0, W_CP_BOOT},
    {"/usr/bin/mkdir", nullptr, 6, 'K', "-p", 0, 0, W_NONE},
    {"/usr/bin/uname", nullptr, 4, 'n', "-r", 0, 0, W_NONE},
    {"/usr/bin/rm", nullptr, 3, 'f', "-f", 0, 0, W_NONE},
};
const Prog kUpdInitramfs[] = {
    {"/usr/bin/mv", nullptr, 16, 'L', "-f", 0, 0, W_MV_INITRD},
    {"/usr/bin/cp", nullptr, 4, 'L', "-aL", 0, 0, W_NONE},
    {"/usr/bin/ln", nullptr, 6, 'L', "-f", 0, 0, W_NONE},
    {"/usr/bin/sync", nullptr, 4, 'n', "", 0, 0, W_NONE},
    {"/usr/bin/dpkg-trigger", nullptr, 4, 'k', "--no-await update-initramfs", 0, 0, W_NONE},
    {"/usr/bin/readlink", nullptr, 4, 'R', "-f", 0, 0, W_NONE},
    {"/usr/bin/sha1sum", nullptr, 6, 'L', "", 0, 0, W_NONE},
    {"/usr/bin/uname", nullptr, 4, 'n', "-r", 0, 0, W_NONE},
};
const Prog kMkinitramfs[] = {
    {"/usr/bin/cp", nullptr, 30, 'W', "-pL --preserve=mode", 0, 0, W_NONE},
    {"/usr/bin/mkdir", nullptr, 12, 'K', "-p", 0, 0, W_NONE},
    {"/usr/bin/ln", nullptr, 10, 'W', "-sf -s", 0, 0, W_NONE},
    {"/usr/bin/dirname", nullptr, 10, 'W', "", 0, 0, W_NONE},
    {"/usr/bin/basename", nullptr, 6, 'W', "", 0, 0, W_NONE},
    {"/usr/bin/find", nullptr, 8, 'F', "", 0, 0, W_NONE},
    {"/usr/bin/grep", nullptr, 8, 'p', "-q -E -v", 0, 0, W_NONE},
    {"/usr/bin/sed", nullptr, 8, 's', "-e -n", 0, 0, W_NONE},
    {"/usr/sbin/modprobe", nullptr, 8, 'w', "--show-depends --ignore-install --set-version=6.1.0-28-amd64", 0, 0, W_NONE},
    {"/usr/sbin/depmod", nullptr, 2, 'w', "-a -b 6.1.0-28-amd64", 0, 0, W_NONE},
    {"/usr/bin/mktemp", nullptr, 3, 'Y', "-d -t", 0, 0, W_NONE},
    {"/usr/bin/rm", nullptr, 4, 'f', "-rf", 0, 0, W_NONE},
    {"/usr/bin/chmod", nullptr, 3, 'm', "", 0, 0, W_NONE},
    {"/usr/bin/sort", nullptr, 2, 'f', "-u", 0, 0, W_NONE},
    {"/usr/bin/touch", nullptr, 2, 'f', "", 0, 0, W_NONE},
};
const Prog kMkinitPipe[] = {
    {"/usr/bin/cpio", nullptr, 40, 'C', "", 0, 0, W_NONE},
    {"/usr/bin/find", nullptr, 30, 'F', "", 0, 0, W_NONE},
    {"/usr/bin/sort", nullptr, 30, 'n', "-z", 0, 0, W_NONE},
    {"/usr/bin/zstd", nullptr, 15, 'O', "-q -1 -T0", 0, 0, W_NONE},
};
const Prog kDracut[] = {
    {"/usr/bin/readlink", nullptr, 20, 'R', "-f -e", 0, 0, W_NONE},
    {"/usr/bin/getopt", nullptr, 4, 'G', "", 0, 0, W_NONE},
    {"/usr/bin/grep", nullptr, 12, 'p', "-H -e -q", 0, 0, W_NONE},
    {"/usr/bin/uname", nullptr, 6, 'n', "-r -m", 0, 0, W_NONE},
    {"/usr/lib/dracut/dracut-install", nullptr, 30, 'W', "-D /var/tmp/dracut.Ab12Cd/initramfs -a -H -l -o", 0, 0, W_NONE},
    {"/usr/bin/mkdir", nullptr, 8, 'K', "-m 0755 -p", 0, 0, W_NONE},
    {"/usr/bin/ln", nullptr, 6, 'W', "-sfn", 0, 0, W_NONE},
    {"/usr/bin/find", nullptr, 4, 'F', "", 0, 0, W_NONE},
    {"/usr/bin/udevadm", nullptr, 6, 'w', "info --query=property --name=/dev/vda1 --export-db", 0, 0, W_NONE},
    {"/usr/bin/mktemp", nullptr, 2, 'Y', "-p /var/tmp -d -t dracut.XXXXXX", 0, 0, W_NONE},
    {"/usr/bin/rm", nullptr, 4, 'f', "-rf --", 0, 0, W_NONE},
    {"/usr/bin/sed", nullptr, 4, 's', "-e", 0, 0, W_NONE},
};
const Prog kGrubmk[] = {
    {"/usr/sbin/grub-probe", nullptr, 20, 'w', "--device --target=fs_uuid --target=partmap /dev/vda1", 0, 0, W_NONE},
    {"/usr/bin/grub-editenv", nullptr, 4, 'w', "- list", 0, 0, W_NONE},
    {"/usr/bin/mv", nullptr, 6, 'Z', "-f", 0, 0, W_MV_GRUB},
    {"/usr/bin/sed", nullptr, 10, 's', "-e -n", 0, 0, W_NONE},
    {"/usr/bin/sort", nullptr, 6, 'n', "-V -r", 0, 0, W_NONE},
    {"/usr/bin/cat", nullptr, 6, 'f', "", 0, 0, W_NONE},
    {"/usr/bin/uname", nullptr, 4, 'n', "-m -r", 0, 0, W_NONE},
};
const Prog kUnmk[] = {
    {"/usr/bin/cpio", nullptr, 40, 'I', "", 0, 0, W_NONE},
    {"/usr/bin/mkdir", nullptr, 10, 'K', "-p", 0, 0, W_NONE},
    {"/usr/bin/dd", nullptr, 10, 'w', "if=/boot/initrd.img-6.1.0-28-amd64 skip=38 status=none", 0, 0, W_NONE},
    {"/usr/bin/zstd", nullptr, 10, 'O', "-q -c -d", 0, 0, W_NONE},
};

const Prog kGz[] = {
    {"/usr/bin/gzip", nullptr, 30, 'f', "-cd -d -c -q", 0, 0, W_NONE},
    {"/usr/bin/grep", nullptr, 10, 'p', "-E -i", 0, 0, W_NONE},
};
const Prog kLdd[] = {
    {"/lib64/ld-linux-x86-64.so.2", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 10, 'f', "--verify --version", F_STATIC, 0, W_NONE},
};

#define SCR(path, interp, w, a, ctx) {path, interp, nullptr, w, a, ctx, W_NONE}
const Script kScriptsGeneric[] = {
    SCR("/usr/bin/which", "/bin/sh", 30, 'w', C_LEAF),
    SCR("/usr/bin/ldd", "/bin/bash", 3, 'f', C_LDD),
    SCR("/usr/bin/zgrep", "/bin/sh", 4, 'p', C_GZ),
    SCR("/usr/bin/zcat", "/bin/sh", 6, 'f', C_GZ),
    SCR("/usr/bin/gunzip", "/bin/sh", 4, 'f', C_GZ),
    {"/usr/bin/lsb_release", "/usr/bin/python3", "-Es", 6, 'w', C_PY, W_NONE},
    {"/usr/share/debconf/frontend", "/usr/bin/perl", "-w", 3, 'w', C_PY, W_NONE},
    SCR("/usr/bin/savelog", "/bin/sh", 3, 'f', C_SCRIPT),
    SCR("/usr/sbin/invoke-rc.d", "/bin/sh", 3, 'u', C_SCRIPT),
    SCR("/usr/bin/deb-systemd-helper", "/usr/bin/perl", 3, 'u', C_PY),
    SCR("/usr/bin/c_rehash", "/usr/bin/perl", 1, 'd', C_PY),
    {"/usr/bin/lesspipe", "/bin/sh", nullptr, 3, 'n', C_LEAF, W_NONE},
};
const Script kScriptsUser[] = {
    SCR("/home/alice/bin/backup.sh", "/bin/bash", 6, 'd', C_SCRIPT),
    SCR("./build.sh", "/bin/bash", 6, 'w', C_SCRIPT),
    SCR("./scripts/check-format.sh", "/bin/sh", 4, 'f', C_SCRIPT),
    {"/home/alice/bin/sync-notes", "/usr/bin/env", "python3", 3, 'w', C_PY, W_NONE},
};
const Script kScriptsBuild[] = {
    SCR("./configure", "/bin/sh", 4, 'w', C_CONFIGURE),
    SCR("./config.status", "/bin/sh", 3, 'w', C_CONFIGURE),
    SCR("./libtool", "/bin/bash", 12, 'w', C_SCRIPT),
    SCR("../scripts/gen-version.sh", "/bin/sh", 6, 'w', C_SCRIPT),
    SCR("./autogen.sh", "/bin/sh", 2, 'w', C_CONFIGURE),
    SCR("/usr/bin/install-info", "/usr/bin/perl", 1, 'f', C_SCRIPT),
};
const Script kScriptsCron[] = {
    SCR("/etc/cron.daily/apt-compat", "/bin/sh", 6, 'n', C_SCRIPT),
    SCR("/etc/cron.daily/dpkg", "/bin/sh", 6, 'n', C_SCRIPT),
    SCR("/etc/cron.daily/logrotate", "/bin/sh", 6, 'n', C_SCRIPT),
    SCR("/etc/cron.daily/man-db", "/bin/sh", 6, 'n', C_SCRIPT),
    SCR("/usr/lib/apt/apt.systemd.daily", "/bin/sh", 4, 'w', C_SCRIPT),
    SCR("/usr/sbin/anacron-check", "/bin/sh", 1, 'n', C_SCRIPT),
};
const Script kScriptsDpkg[] = {
    {"/var/lib/dpkg/info/linux-image-6.1.0-28-amd64.postinst", "/bin/sh", "-e", 20, 'V', C_POSTINST, W_NONE},
    {"/var/lib/dpkg/info/linux-image-6.1.0-28-amd64.preinst", "/bin/sh", "-e", 6, 'V', C_POSTINST, W_NONE},
    {"/var/lib/dpkg/info/dracut-core.postinst", "/bin/sh", "-e", 8, 'V', C_POSTINST, W_NONE},
    {"/var/lib/dpkg/info/initramfs-tools.postinst", "/bin/sh", "-e", 6, 'V', C_POSTINST, W_NONE},
    {"/var/lib/dpkg/info/man-db.postinst", "/bin/sh", "-e", 6, 'V', C_SCRIPT, W_NONE},
    {"/var/lib/dpkg/info/libc-bin.postinst", "/bin/sh", "-e", 4, 'V', C_SCRIPT, W_NONE},
    {"/var/lib/dpkg/info/systemd.postinst", "/bin/sh", "-e", 4, 'V', C_SCRIPT, W_NONE},
    {"/var/lib/dpkg/info/grub-pc.postinst", "/bin/bash", "-e", 4, 'V', C_POSTINST, W_NONE},
};
const Script kScriptsPostinst[] = {
    {"/usr/sbin/update-initramfs", "/bin/sh", nullptr, 10, 'i', C_UPDINITRAMFS, W_NONE},
    {"/usr/sbin/update-grub", "/bin/sh", "-e", 6, 'n', C_GRUB, W_NONE},
    {"/etc/kernel/postinst.d/initramfs-tools", "/bin/sh", "-e", 8, 'v', C_KINST, W_NONE},
    {"/etc/kernel/postinst.d/zz-update-grub", "/bin/sh", "-e", 6, 'v', C_GRUB, W_NONE},
    {"/usr/bin/linux-check-removal", "/usr/bin/perl", nullptr, 3, 'v', C_SCRIPT, W_NONE},
    {"/usr/bin/linux-update-symlinks", "/usr/bin/perl", nullptr, 3, 'v', C_SCRIPT, W_NONE},
    {"/usr/bin/deb-systemd-helper", "/usr/bin/perl", nullptr, 4, 'u', C_PY, W_NONE},
};
const Script kScriptsKinst[] = {
    {"/usr/sbin/update-initramfs", "/bin/sh", nullptr, 10, 'i', C_UPDINITRAMFS, W_NONE},
    {"/usr/lib/kernel/install.d/50-dracut.install", "/bin/bash", nullptr, 8, 'H', C_KINST_DRACUT, W_NONE},
    {"/usr/lib/kernel/install.d/90-loaderentry.install", "/bin/sh", nullptr, 3, 'H', C_KINST_DRACUT, W_NONE},
    {"/etc/kernel/postinst.d/zz-update-grub", "/bin/sh", "-e", 4, 'v', C_GRUB, W_NONE},
};
const Script kScriptsKinstDracut[] = {
    {"/usr/bin/dracut", "/bin/bash", "-p", 10, 'r', C_DRACUT, W_NONE},
};
const Script kScriptsUpdInitramfs[] = {
    {"/usr/sbin/mkinitramfs", "/bin/sh", nullptr, 10, 'm', C_MKINITRAMFS, W_SHELL_BOOT},
};
const Script kScriptsMkinitramfs[] = {
    SCR("/usr/share/initramfs-tools/hooks/udev", "/bin/sh", 4, 'n', C_HOOK),
    SCR("/usr/share/initramfs-tools/hooks/kmod", "/bin/sh", 4, 'n', C_HOOK),
    SCR("/usr/share/initramfs-tools/hooks/busybox", "/bin/sh", 4, 'n', C_HOOK),
    SCR("/usr/share/initramfs-tools/hooks/fsck", "/bin/sh", 3, 'n', C_HOOK),
    SCR("/usr/share/initramfs-tools/hooks/klibc-utils", "/bin/sh", 3, 'n', C_HOOK),
    SCR("/usr/share/initramfs-tools/hooks/resume", "/bin/sh", 3, 'n', C_HOOK),
    SCR("/usr/share/initramfs-tools/hooks/zz-busybox", "/bin/sh", 2, 'n', C_HOOK),
    SCR("/usr/bin/ldd", "/bin/bash", 10, 'W', C_LDD),
    {"/usr/share/initramfs-tools/scripts/init-top/all_generic_ide", "/bin/sh", nullptr, 1, 'n', C_HOOK, W_NONE},
};
const Script kScriptsDracut[] = {
    SCR("/usr/bin/ldd", "/bin/bash", 10, 'W', C_LDD),
};
const Script kScriptsGrub[] = {
    {"/usr/sbin/grub-mkconfig", "/bin/sh", "-e", 10, 'g', C_GRUBMK, W_SHELL_BOOT},
};
const Script kScriptsGrubmk[] = {
    {"/etc/grub.d/00_header", "/bin/sh", "-e", 3, 'n', C_SCRIPT, W_NONE},
    {"/etc/grub.d/05_debian_theme", "/bin/sh", "-e", 2, 'n', C_SCRIPT, W_NONE},
    {"/etc/grub.d/10_linux", "/bin/sh", "-e", 5, 'n', C_SCRIPT, W_NONE},
    {"/etc/grub.d/30_os-prober", "/bin/sh", "-e", 2, 'n', C_SCRIPT, W_NONE},
    {"/etc/grub.d/41_custom", "/bin/sh", nullptr, 1, 'n', C_SCRIPT, W_NONE},
};

template <class T>
struct Table {
  const T* items = nullptr;
  size_t count = 0;
  uint32_t total = 0;
  template <size_t N>
  constexpr Table(const T (&a)[N]) : items(a), count(N) {
    for (const auto& x : a) total += x.weight;
  }
  constexpr Table() = default;
  const T& pick(Rng& rng) const {
    uint64_t r = rng.below(total);
    for (size_t i = 0; i < count; ++i) {
      if (r < items[i].weight) return items[i];
      r -= items[i].weight;
    }
    return items[count - 1];
  }
};

const Table<Prog> kToolsTable(kTools);
const Table<Script> kGenericScriptsTable(kScriptsGeneric);

struct CtxTables {
  Table<Prog> progs;      // ctx-specific programs
  double p_own;           // probability of taking from progs rather than the generic tools
  Table<Script> scripts;  // ctx-specific scripts (else generic ones)
  double p_own_script;
};

const CtxTables& tables(uint8_t ctx) {
  static const Table<Prog> none_p;
  static const Table<Script> none_s;
  static const CtxTables t[C_COUNT] = {
      /*C_SHELL*/ {Table<Prog>(kShellExtra), 0.20, Table<Script>(kScriptsUser), 0.5},
      /*C_ROOTSHELL*/ {Table<Prog>(kRootShellExtra), 0.30, none_s, 0},
      /*C_SCRIPT*/ {none_p, 0, none_s, 0},
      /*C_CONFIGURE*/ {Table<Prog>(kConfigure), 0.85, Table<Script>(kScriptsBuild), 0.3},
      /*C_MAKE*/ {Table<Prog>(kMake), 0.80, Table<Script>(kScriptsBuild), 0.85},
      /*C_CC*/ {Table<Prog>(kCc), 1.0, none_s, 0},
      /*C_XARGS*/ {Table<Prog>(kXargs), 1.0, none_s, 0},
      /*C_GIT*/ {Table<Prog>(kGit), 1.0, none_s, 0},
      /*C_PY*/ {Table<Prog>(kPy), 0.7, none_s, 0},
      /*C_CRON*/ {Table<Prog>(kCron), 0.5, Table<Script>(kScriptsCron), 0.8},
      /*C_RUNPARTS*/ {none_p, 0, Table<Script>(kScriptsCron), 0.9},
      /*C_APT*/ {Table<Prog>(kApt), 0.9, none_s, 0},
      /*C_DPKG*/ {Table<Prog>(kDpkg), 0.7, Table<Script>(kScriptsDpkg), 0.95},
      /*C_POSTINST*/ {Table<Prog>(kPostinst), 0.5, Table<Script>(kScriptsPostinst), 0.9},
      /*C_KINST*/ {Table<Prog>(kKinst), 0.6, Table<Script>(kScriptsKinst), 0.95},
      /*C_KINST_DRACUT*/ {Table<Prog>(kInstallHook), 0.9, Table<Script>(kScriptsKinstDracut), 1.0},
      /*C_UPDINITRAMFS*/ {Table<Prog>(kUpdInitramfs), 0.8, Table<Script>(kScriptsUpdInitramfs), 1.0},
      /*C_MKINITRAMFS*/ {Table<Prog>(kMkinitramfs), 0.85, Table<Script>(kScriptsMkinitramfs), 0.95},
      /*C_MKINIT_PIPE*/ {Table<Prog>(kMkinitPipe), 1.0, none_s, 0},
      /*C_DRACUT*/ {Table<Prog>(kDracut), 0.85, Table<Script>(kScriptsDracut), 0.9},
      /*C_DRACUT_PIPE*/ {Table<Prog>(kMkinitPipe), 1.0, none_s, 0},
      /*C_GRUB*/ {none_p, 0, Table<Script>(kScriptsGrub), 1.0},
      /*C_GRUBMK*/ {Table<Prog>(kGrubmk), 0.8, Table<Script>(kScriptsGrubmk), 1.0},
      /*C_UNMK*/ {Table<Prog>(kUnmk), 1.0, none_s, 0},
      /*C_LEAF*/ {none_p, 0, none_s, 0},
      /*C_GZ*/ {Table<Prog>(kGz), 1.0, none_s, 0},
      /*C_LDD*/ {Table<Prog>(kLdd), 1.0, none_s, 0},
      /*C_HOOK*/ {Table<Prog>(kMkinitramfs), 0.9, Table<Script>(kScriptsDracut), 1.0},
  };
  return t[ctx];
}

// How many children a new spawner of this ctx runs before it exits.
int children_for(uint8_t ctx, Rng& rng) {
  switch (ctx) {
    case C_CONFIGURE: return static_cast<int>(rng.range(150, 900));
    case C_MAKE: return static_cast<int>(rng.range(40, 600));
    case C_CC: return static_cast<int>(rng.range(2, 3));
    case C_XARGS: return static_cast<int>(rng.range(1, 12));
    case C_GIT: return static_cast<int>(rng.range(1, 3));
    case C_PY: return static_cast<int>(rng.range(1, 4));
    case C_RUNPARTS: return static_cast<int>(rng.range(3, 12));
    case C_APT: return static_cast<int>(rng.range(4, 10));
    case C_DPKG: return static_cast<int>(rng.range(6, 30));
    case C_POSTINST: return static_cast<int>(rng.range(3, 12));
    case C_KINST: return static_cast<int>(rng.range(2, 6));
    case C_KINST_DRACUT: return static_cast<int>(rng.range(2, 4));
    case C_UPDINITRAMFS: return static_cast<int>(rng.range(4, 10));
    case C_MKINITRAMFS: return static_cast<int>(rng.range(60, 260));
    case C_MKINIT_PIPE: case C_DRACUT_PIPE: return static_cast<int>(rng.range(1, 3));
    case C_DRACUT: return static_cast<int>(rng.range(80, 300));
    case C_GRUB: return 1;
    case C_GRUBMK: return static_cast<int>(rng.range(10, 40));
    case C_UNMK: return static_cast<int>(rng.range(3, 8));
    case C_GZ: return static_cast<int>(rng.range(1, 2));
    case C_LDD: return 1;
    case C_HOOK: return static_cast<int>(rng.range(3, 25));
    case C_SHELL: case C_ROOTSHELL: return static_cast<int>(rng.range(2, 30));
    default: return static_cast<int>(rng.skewed(1, 30, 0.75));
  }
}

// ---------------------------------------------------------------- argument material

const std::array<const char*, 40> kFiles = {
    "src/main.c", "src/util.c", "include/config.h", "/etc/passwd", "/etc/hosts", "/etc/os-release",
    "/var/log/syslog", "/proc/cpuinfo", "/proc/meminfo", "README.md", "Makefile", "debian/control",
    "/usr/share/doc/bash/README", "data/input.csv", "build/output.log", "/etc/apt/sources.list",
    "/home/alice/notes.txt", "config.log", "conftest.c", "conftest.err", "/etc/fstab", "/etc/default/grub",
    "/var/lib/dpkg/status", "/tmp/tmp.k3J9xQ", "lib/parser.cpp", "tests/test_parser.cpp", "CMakeLists.txt",
    "/etc/ssh/sshd_config", "/run/systemd/resolve/stub-resolv.conf", "/var/log/auth.log", "out.json",
    "/usr/lib/os-release", "/etc/resolv.conf", "package.json", "go.mod", "/etc/crontab", "/etc/sudoers",
    "/var/cache/apt/pkgcache.bin", "docs/index.rst", "/sys/class/net/eth0/operstate"};
const std::array<const char*, 16> kDirs = {".", "/tmp", "/var/log", "build", "src", "/etc", "/home/alice",
                                           "/usr/lib/x86_64-linux-gnu", "..", "/var/cache/apt/archives", "/opt",
                                           "/srv/www", "include", "/usr/share/doc", "/run", "tests"};
// Arguments the kernel logs in hex: spaces, quotes, UTF-8, control bytes.
const std::array<const char*, 16> kOddNames = {
    "My Documents/report 2024.pdf", "na\xC3\xAFve caf\xC3\xA9.txt", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E.txt",
    "it's here", "say \"hi\".txt", "tab\there", "new\nline", "\xC3\xBCn\xC3\xAF" "c\xC3\xB6" "d\xC3\xA9",
    "\xE2\x82\xAC" "uro.csv", "photo \xF0\x9F\x98\x80.png", "Quarterly Results (final).xlsx", "a b c",
    "--message=fix \"quoted\" bug", "\x01" "ctl", "caf\xC3\xA9 menu.md", "space at end "};
const std::array<const char*, 14> kPatterns = {"error", "^#", "TODO", "warning:", "^[a-z_]+=", "main",
                                               "Failed password", "^Package: ", "ERROR|FATAL", "127.0.0.1",
                                               "HAVE_[A-Z_]*", "^\\s*$", "root", "x86_64"};
const std::array<const char*, 10> kSed = {"s/foo/bar/g", "s/^#//", "/^$/d", "s/[[:space:]]*$//", "1d",
                                          "s/@VERSION@/1.4.2/", "s,/usr/local,/usr,g", "-e", "s/a b/c d/",
                                          "/^prefix=/s/=.*/=\\/usr/"};
const std::array<const char*, 8> kAwk = {"{print $1}", "{print $NF}", "-F: '{print $1}'", "NR==1",
                                         "{s+=$2} END {print s}", "/^Package/ {print $2}", "{print $1\":\"$3}",
                                         "length > 80"};
const std::array<const char*, 12> kUnits = {"ssh.service", "cron.service", "nginx.service", "systemd-journald",
                                            "apt-daily.timer", "docker.service", "auditd.service",
                                            "systemd-timesyncd", "networking.service", "postgresql@15-main",
                                            "unattended-upgrades", "containerd"};
const std::array<const char*, 12> kPackages = {"linux-image-6.1.0-28-amd64", "dracut-core", "initramfs-tools",
                                               "libc6", "openssl", "bash", "systemd", "grub-pc", "curl",
                                               "python3.11", "libssl3", "tzdata"};
const std::array<const char*, 8> kWords = {"status", "--help", "show", "list", "-q", "all", "default", "info"};
const std::array<const char*, 6> kKernels = {"6.1.0-28-amd64", "6.1.0-30-amd64", "6.1.0-31-amd64",
                                             "6.1.0-32-amd64", "6.12.12+bpo-amd64", "6.1.0-27-amd64"};
const std::array<const char*, 30> kDracutModules = {
    "00bash", "00systemd", "01fips", "05busybox", "10i18n", "30convertfs", "35network-manager", "40network",
    "45url-lib", "50drm", "50plymouth", "80lvmmerge", "90crypt", "90dm", "90dmraid", "90kernel-modules",
    "90lvm", "90mdraid", "90qemu", "95fstab-sys", "95nfs", "95resume", "95rootfs-block", "95udev-rules",
    "98dracut-systemd", "98selinux", "98usrmount", "99base", "99fs-lib", "99shutdown"};
const std::array<const char*, 8> kModuleFiles = {"module-setup.sh", "parse-crypt.sh", "dracut-lib.sh",
                                                 "init.sh", "crypt-run-generator.sh", "rootfallback.sh",
                                                 "dracut-cmdline.service", "mount-lib.sh"};
const std::array<const char*, 10> kCSources = {"src/main.c", "src/util.c", "src/parser.c", "src/lexer.c",
                                               "lib/hash.c", "lib/list.c", "src/net/socket.c", "src/io.c",
                                               "tests/test_main.c", "src/cli/args.c"};

constexpr uint64_t kBootInode = 14;
constexpr uint64_t kGrubDirInode = 15;
constexpr uint64_t kModulesDirInode = 1114114;
constexpr const char* kLdSo = "/lib64/ld-linux-x86-64.so.2";
constexpr uint64_t kLdSoInode = 332383;

// ---------------------------------------------------------------- processes and sessions

struct Proc {
  int pid = 0;
  int ppid = 0;
  ImagePtr img;
  std::string title;  // PROCTITLE cached at the task's first record (empty: none yet)
  Ids ids;
  std::string cwd;
  std::string kver;   // kernel version a kernel hook / initramfs builder works on
  std::string dir;    // initramfs staging directory (mkinitramfs DESTDIR, dracut initdir)
  int session = -1;
  int children_left = 0;
  uint8_t ctx = C_SCRIPT;
  bool spawner = false;
};

enum SessionKind : uint8_t { S_INTERACTIVE, S_BUILD, S_CRON, S_SERVICE, S_APT, S_ATTACK, S_KIND_COUNT };

struct Pending {
  int child;
  int parent;
};

struct Session {
  int id = 0;
  uint8_t kind = S_INTERACTIVE;
  uint32_t auid = kUnset;
  uint32_t ses = kUnset;
  const char* tty = "(none)";
  int root = 0;                // pid of the session's first process
  std::vector<int> spawners;   // stack, top = most recent
  std::deque<Pending> pending; // forked children that have not exec'd yet
  int64_t budget = 0;          // events left before it winds down
  bool alive = false;
};

struct Writer {
  int pid;
  uint8_t plan;
  int left;
  std::string arg;  // kernel version, module, ...
  std::vector<std::pair<std::string, uint64_t>> renames;  // dpkg: *.dpkg-new waiting for their rename
};

struct Options {
  uint64_t events = 200000;
  uint64_t seed = 1;
  std::string out;
  bool eoe = false;
  double interleave = 0.02;
  int pid_max = 32768;
  uint64_t start_time = 1795420000;  // seconds; same era as the captures
};

enum Kind { K_ELF, K_SCRIPT, K_FORK, K_FILE, K_FAILED, K_COUNT };
constexpr double kKindWeights[K_COUNT] = {55, 10, 25, 8, 2};

class Generator {
 public:
  Generator(const Options& opt, FILE* f)
      : opt_(opt), rng_(opt.seed), out_rng_(opt.seed ^ 0x5bd1e995u), out_(f, opt.eoe, opt.interleave, out_rng_),
        used_(static_cast<size_t>(opt.pid_max), 0) {
    time_us_ = opt.start_time * 1000000ull + 123000;
    serial_ = 231000;
    next_pid_ = 1800;
    for (int p : {1, 2, 300, 412, 598, 604, 611, 640, 702, 812, 1105, 1432}) used_[static_cast<size_t>(p)] = 1;
    next_inode_boot_ = 640000;
    next_inode_dracut_ = 1114300;
  }

  bool run();
  void summary(double seconds) const;

 private:
  // ---- low level
  Rng& rng() { return rng_; }
  Event& begin_event();
  void end_event(Kind kind);
  void syscall_record(Event& ev, int syscall, const char* syscall_name, bool success, int64_t exit_code,
                      const std::array<uint64_t, 4>& a, int items, const Proc& p, const char* key);
  void path_record(Event& ev, int item, std::string_view name, uint64_t inode, const char* mode, uint32_t owner,
                   const char* nametype);
  void path_unknown(Event& ev, int item, std::string_view name);
  void cwd_record(Event& ev, std::string_view cwd);
  void proctitle_record(Event& ev, Proc& p);
  uint64_t user_ptr() { return 0x550000000000ull + (rng_.next() & 0xffffffffffull); }
  uint64_t stack_ptr() { return 0x7ff000000000ull + (rng_.next() & 0xfffffffffull); }

  // ---- processes
  int alloc_pid();
  void release(int pid);
  Proc* find(int pid) {
    auto it = procs_.find(pid);
    return it == procs_.end() ? nullptr : &it->second;
  }
  Session& session_of(const Proc& p) { return sessions_[static_cast<size_t>(p.session)]; }
  int pick_spawner(Session& s);
  void spawner_used(Session& s, int pid);
  void end_session(Session& s);
  void start_session(uint8_t kind);
  Session& choose_session();

  // ---- events
  void exec_event(Proc& p, const std::string& item0, const std::string& exe, std::vector<std::string>& argv,
                  const char* interp, bool dynamic, Kind kind);
  void fork_event(Proc& parent, int child);
  void failed_exec_event(Proc& caller, std::string_view name, int err);
  void create_event(Proc& p, int syscall, const char* syscall_name, const char* key, int64_t dirfd,
                    std::string_view parent_name, uint64_t parent_inode, std::string_view name, uint64_t inode,
                    const char* mode);
  void rename_event(Proc& p, const char* key, std::string_view old_dir, uint64_t old_dir_inode,
                    std::string_view old_name, std::string_view new_dir, uint64_t new_dir_inode,
                    std::string_view new_name, uint64_t inode, bool replaces, bool renameat2);

  // ---- actions (each emits exactly one event unless noted)
  Proc& child_for_exec(Session& s);
  void do_elf(Session& s);
  void do_script(Session& s);
  void do_fork(Session& s);
  void do_file(Session& s);
  void do_failed(Session& s);
  void run_exec(Proc& child, const Prog& prog, Kind kind);
  void run_script(Proc& child, const Script& script);
  void after_exec(Proc& child, uint8_t ctx, bool spawn, uint8_t plan, const std::string& plan_arg);
  void writer_op(Writer& w);
  void attack(int which);

  // ---- arguments
  void gen_args(char gen, const char* opts, std::vector<std::string>& argv, const Proc& p);
  void add_opts(const char* opts, int max, std::vector<std::string>& argv);
  std::string file_arg();
  std::string long_arg();
  std::string shell_command();
  std::string kernel() { return rng_.pick(kKernels); }
  std::string rand_suffix(int n) {
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string s;
    for (int i = 0; i < n; ++i) s += al[rng_.below(sizeof al - 1)];
    return s;
  }

  const Options& opt_;
  Rng rng_;
  Rng out_rng_;
  Output out_;
  Event ev_;
  uint64_t time_us_;
  uint64_t serial_;
  uint64_t emitted_ = 0;
  ExecveStats execve_stats_;

  std::vector<uint8_t> used_;
  int next_pid_;
  uint64_t pid_wraps_ = 0;
  std::unordered_map<int, Proc> procs_;
  std::vector<Session> sessions_;
  std::vector<int> active_;  // indexes into sessions_
  int current_ = -1;
  std::deque<Writer> writers_;
  int attack_session_ = -1;

  uint64_t next_inode_boot_;
  uint64_t next_inode_dracut_;
  bool boot_taught_ = false;     // a /boot creation with its absolute path has been logged
  bool modules_taught_ = false;  // same for /usr/lib/dracut/modules.d

  // counters
  uint64_t kind_count_[K_COUNT] = {};
  uint64_t file_ops_[5] = {};  // openat, mkdir, mkdirat, rename, renameat2
  uint64_t dirfd_creates_ = 0;
  uint64_t long_args_ = 0;
  uint64_t odd_args_ = 0;
  uint64_t sessions_started_ = 0;
  uint64_t attacks_ = 0;
  uint64_t attack_events_ = 0;
  uint64_t root_execs_ = 0;
  uint64_t fallback_writes_ = 0;
};

// ---------------------------------------------------------------- records

Event& Generator::begin_event() {
  time_us_ += static_cast<uint64_t>(rng_.range(50, 200));
  if (rng_.chance(0.0005)) time_us_ += static_cast<uint64_t>(rng_.range(1000, 80000));  // a quiet moment
  ++serial_;
  ev_.reset();
  ev_.hdr.clear();
  ev_.hdr += "msg=audit(";
  put_u(ev_.hdr, time_us_ / 1000000);
  ev_.hdr += '.';
  const uint64_t ms = (time_us_ / 1000) % 1000;
  ev_.hdr += static_cast<char>('0' + ms / 100);
  ev_.hdr += static_cast<char>('0' + ms / 10 % 10);
  ev_.hdr += static_cast<char>('0' + ms % 10);
  ev_.hdr += ':';
  put_u(ev_.hdr, serial_);
  ev_.hdr += "):";
  return ev_;
}

void Generator::end_event(Kind kind) {
  out_.submit(ev_);
  ++emitted_;
  ++kind_count_[kind];
}

void Generator::syscall_record(Event& ev, int syscall, const char* syscall_name, bool success, int64_t exit_code,
                               const std::array<uint64_t, 4>& a, int items, const Proc& p, const char* key) {
  const Session& s = sessions_[static_cast<size_t>(p.session)];
  std::string& r = ev.add("SYSCALL");
  r += "arch=c000003e syscall=";
  put_u(r, static_cast<uint64_t>(syscall));
  r += success ? " success=yes exit=" : " success=no exit=";
  put_i(r, exit_code);
  for (int i = 0; i < 4; ++i) {
    r += " a";
    r += static_cast<char>('0' + i);
    r += '=';
    put_x(r, a[static_cast<size_t>(i)]);
  }
  r += " items=";
  put_u(r, static_cast<uint64_t>(items));
  r += " ppid=";
  put_u(r, static_cast<uint64_t>(p.ppid));
  r += " pid=";
  put_u(r, static_cast<uint64_t>(p.pid));
  r += " auid=";
  put_u(r, s.auid);
  r += " uid=";
  put_u(r, p.ids.uid);
  r += " gid=";
  put_u(r, p.ids.gid);
  r += " euid=";
  put_u(r, p.ids.euid);
  r += " suid=";
  put_u(r, p.ids.euid);
  r += " fsuid=";
  put_u(r, p.ids.euid);
  r += " egid=";
  put_u(r, p.ids.egid);
  r += " sgid=";
  put_u(r, p.ids.egid);
  r += " fsgid=";
  put_u(r, p.ids.egid);
  r += " tty=";
  r += s.tty;
  r += " ses=";
  put_u(r, s.ses);
  r += " comm=";
  put_value(r, p.img->comm);
  r += " exe=";
  put_value(r, p.img->exe);
  r += " key=\"";
  r += key;
  r += "\"\x1d" "ARCH=x86_64 SYSCALL=";
  r += syscall_name;
  r += " AUID=\"";
  r += user_name(s.auid);
  r += "\" UID=\"";
  r += user_name(p.ids.uid);
  r += "\" GID=\"";
  r += user_name(p.ids.gid);
  r += "\" EUID=\"";
  r += user_name(p.ids.euid);
  r += "\" SUID=\"";
  r += user_name(p.ids.euid);
  r += "\" FSUID=\"";
  r += user_name(p.ids.euid);
  r += "\" EGID=\"";
  r += user_name(p.ids.egid);
  r += "\" SGID=\"";
  r += user_name(p.ids.egid);
  r += "\" FSGID=\"";
  r += user_name(p.ids.egid);
  r += '"';
}

void Generator::path_record(Event& ev, int item, std::string_view name, uint64_t inode, const char* mode,
                            uint32_t owner, const char* nametype) {
  std::string& r = ev.add("PATH");
  r += "item=";
  put_u(r, static_cast<uint64_t>(item));
  r += " name=";
  put_value(r, name);
  r += " inode=";
  put_u(r, inode);
  r += " dev=fe:00 mode=";
  r += mode;
  r += " ouid=";
  put_u(r, owner);
  r += " ogid=";
  put_u(r, owner);
  r += " rdev=00:00 nametype=";
  r += nametype;
  r += " cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\x1dOUID=\"";
  r += user_name(owner);
  r += "\" OGID=\"";
  r += user_name(owner);
  r += '"';
}

void Generator::path_unknown(Event& ev, int item, std::string_view name) {
  std::string& r = ev.add("PATH");
  r += "item=";
  put_u(r, static_cast<uint64_t>(item));
  r += " name=";
  put_value(r, name);
  r += " nametype=UNKNOWN cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0";
}

void Generator::cwd_record(Event& ev, std::string_view cwd) {
  std::string& r = ev.add("CWD");
  r += "cwd=";
  put_value(r, cwd);
}

void Generator::proctitle_record(Event& ev, Proc& p) {
  // The kernel caches a task's proctitle at its first record: later records
  // (and a second exec in the same task) repeat it.
  if (p.title.empty()) p.title = p.img->title;
  std::string& r = ev.add("PROCTITLE");
  r += "proctitle=";
  r += p.title;
}

// ---------------------------------------------------------------- processes

int Generator::alloc_pid() {
  for (;;) {
    int p = next_pid_++;
    if (p >= opt_.pid_max) {
      p = 300;
      next_pid_ = 301;
      ++pid_wraps_;
    }
    if (!used_[static_cast<size_t>(p)]) {
      used_[static_cast<size_t>(p)] = 1;
      return p;
    }
  }
}

void Generator::release(int pid) {
  used_[static_cast<size_t>(pid)] = 0;
  procs_.erase(pid);
  for (auto it = writers_.begin(); it != writers_.end();) {
    it = it->pid == pid ? writers_.erase(it) : it + 1;
  }
}

int Generator::pick_spawner(Session& s) {
  if (s.spawners.size() == 1 || rng_.chance(0.75)) return s.spawners.back();
  return s.spawners[rng_.below(s.spawners.size())];
}

// A spawner ran one more child; when it is done it exits (the root never does
// before its session ends).
void Generator::spawner_used(Session& s, int pid) {
  Proc* p = find(pid);
  if (p == nullptr || pid == s.root) return;
  if (--p->children_left > 0) return;
  bool has_pending = false;
  for (const auto& pe : s.pending) has_pending |= pe.parent == pid;
  if (has_pending) return;
  for (const auto& w : writers_) {
    if (w.pid == pid) return;  // still writing (dpkg, mkinitramfs)
  }
  s.spawners.erase(std::remove(s.spawners.begin(), s.spawners.end(), pid), s.spawners.end());
  release(pid);
}

void Generator::end_session(Session& s) {
  for (const auto& pe : s.pending) release(pe.child);
  s.pending.clear();
  for (int pid : s.spawners) release(pid);
  s.spawners.clear();
  for (auto it = procs_.begin(); it != procs_.end();) {
    if (it->second.session == s.id) {
      used_[static_cast<size_t>(it->first)] = 0;
      const int pid = it->first;
      it = procs_.erase(it);
      for (auto w = writers_.begin(); w != writers_.end();) w = w->pid == pid ? writers_.erase(w) : w + 1;
    } else {
      ++it;
    }
  }
  s.alive = false;
  active_.erase(std::remove(active_.begin(), active_.end(), s.id), active_.end());
  if (current_ == s.id) current_ = -1;
}

// A new session: its root process is exec'd by a daemon that started before
// the log (sshd, cron, systemd, a CI runner): the one unknown parent.
void Generator::start_session(uint8_t kind) {
  Session s;
  s.id = static_cast<int>(sessions_.size());
  s.kind = kind;
  s.alive = true;
  static uint32_t next_ses = 3;
  Proc root;
  root.session = s.id;
  root.pid = alloc_pid();
  std::string item0, exe;
  std::vector<std::string> argv;
  const char* interp = nullptr;
  uint8_t ctx = C_SCRIPT;
  switch (kind) {
    case S_INTERACTIVE:
      s.auid = 1000;
      s.ses = next_ses++;
      s.tty = "pts0";
      s.budget = rng_.range(3000, 12000);
      root.ppid = 812;  // sshd
      root.ids = Ids::of(1000);
      root.cwd = "/home/alice";
      item0 = "/bin/bash";
      exe = "/usr/bin/bash";
      argv = {"-bash"};
      ctx = C_SHELL;
      break;
    case S_BUILD: {
      s.budget = rng_.range(5000, 40000);
      root.ppid = 1105;  // CI runner
      root.ids = Ids::of(1001);
      static const std::array<const char*, 5> projects = {"libfoo", "webapp", "kernel-tools", "auditeql", "fw-utils"};
      root.cwd = std::string("/var/lib/ci/builds/") + rng_.pick(projects);
      if (rng_.chance(0.4)) {
        item0 = "./configure";
        interp = "/bin/sh";
        exe = "/usr/bin/dash";
        argv = {"/bin/sh", "./configure", "--prefix=/usr", "--enable-shared", "--disable-static"};
        ctx = C_CONFIGURE;
      } else {
        item0 = "/usr/bin/make";
        exe = "/usr/bin/make";
        argv = {"make", "-j8", "all"};
        ctx = C_MAKE;
      }
      break;
    }
    case S_CRON:
      s.auid = 0;
      s.ses = next_ses++;
      s.budget = rng_.range(300, 3000);
      root.ppid = 640;  // cron
      root.ids = Ids::of(0);
      root.cwd = "/root";
      item0 = "/bin/sh";
      exe = "/usr/bin/dash";
      argv = {"/bin/sh", "-c", "test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }"};
      ctx = C_CRON;
      break;
    case S_SERVICE:
      s.budget = rng_.range(500, 5000);
      root.ppid = 1;
      root.ids = Ids::of(0);
      root.cwd = "/";
      if (rng_.chance(0.5)) {
        item0 = "/usr/lib/apt/apt.systemd.daily";
        interp = "/bin/sh";
        exe = "/usr/bin/dash";
        argv = {"/bin/sh", "/usr/lib/apt/apt.systemd.daily", "update"};
      } else {
        item0 = "/usr/sbin/logrotate";
        exe = "/usr/sbin/logrotate";
        argv = {"/usr/sbin/logrotate", "/etc/logrotate.conf"};
      }
      ctx = C_CRON;
      break;
    case S_APT:
      s.auid = 1000;
      s.ses = next_ses++;
      s.tty = "pts1";
      s.budget = rng_.range(6000, 25000);
      root.ppid = 1432;  // sudo in another terminal
      root.ids = Ids::of(0);
      root.cwd = "/home/alice";
      root.kver = kernel();  // the kernel this session installs: dpkg, hooks and initramfs builders agree
      item0 = "/usr/bin/apt-get";
      exe = "/usr/bin/apt-get";
      argv = {"apt-get", "-y", "install", "linux-image-" + root.kver, "dracut-core"};
      ctx = C_APT;
      break;
    case S_ATTACK:
      s.auid = 0;
      s.ses = next_ses++;
      s.tty = "pts2";
      s.budget = INT64_MAX / 4;
      root.ppid = 812;
      root.ids = Ids::of(0);
      root.cwd = "/root";
      item0 = "/bin/bash";
      exe = "/usr/bin/bash";
      argv = {"-bash"};
      ctx = C_ROOTSHELL;
      break;
  }
  s.root = root.pid;
  s.spawners.push_back(root.pid);
  sessions_.push_back(std::move(s));
  if (kind != S_ATTACK) active_.push_back(sessions_.back().id);
  ++sessions_started_;
  root.img = std::make_shared<Image>(Image{"/usr/sbin/sshd", "sshd", "\"sshd: session\""});
  auto [it, _] = procs_.emplace(root.pid, std::move(root));
  Proc& p = it->second;
  p.spawner = true;
  p.ctx = ctx;
  p.children_left = 1 << 30;
  exec_event(p, item0, exe, argv, interp, true, interp ? K_SCRIPT : K_ELF);
}

Session& Generator::choose_session() {
  if (current_ >= 0 && sessions_[static_cast<size_t>(current_)].alive && rng_.chance(0.85)) {
    return sessions_[static_cast<size_t>(current_)];
  }
  // interactive, build x2, cron/service, apt
  static constexpr double w[S_KIND_COUNT] = {10, 22, 10, 8, 25, 0};
  double total = 0;
  for (int id : active_) total += w[sessions_[static_cast<size_t>(id)].kind];
  double r = rng_.unit() * total;
  for (int id : active_) {
    r -= w[sessions_[static_cast<size_t>(id)].kind];
    if (r <= 0) {
      current_ = id;
      return sessions_[static_cast<size_t>(id)];
    }
  }
  current_ = active_.back();
  return sessions_[static_cast<size_t>(current_)];
}

// ---------------------------------------------------------------- event builders

void Generator::exec_event(Proc& p, const std::string& item0, const std::string& exe, std::vector<std::string>& argv,
                           const char* interp, bool dynamic, Kind kind) {
  Event& ev = begin_event();
  std::string comm(base_name(item0).substr(0, 15));
  auto img = std::make_shared<Image>(Image{exe, comm, proctitle_value(argv)});
  p.img = img;
  const int items = interp ? 3 : (dynamic ? 2 : 1);
  syscall_record(ev, 59, "execve", true, 0, {user_ptr(), user_ptr(), user_ptr(), rng_.chance(0.3) ? 8 : rng_.next()},
                 items, p, "bp_exec");
  if (p.ids.euid == 0) {
    ev.add("BPRM_FCAPS") +=
        "fver=0 fp=0 fi=0 fe=0 old_pp=000001fffeffffff old_pi=0 old_pe=000001fffeffffff old_pa=0 "
        "pp=000001fffeffffff pi=0 pe=000001fffeffffff pa=0 frootid=0";
    ++root_execs_;
  }
  add_execve_records(ev, argv, execve_stats_);
  cwd_record(ev, p.cwd);
  const uint32_t owner = item0.starts_with("/home/alice") ? 1000 : (item0.starts_with("./") || item0.starts_with("../"))
                                                                       ? p.ids.uid
                                                                       : 0;
  std::string abs_item0 = item0;
  if (!item0.starts_with("/")) abs_item0 = p.cwd + "/" + item0;
  path_record(ev, 0, item0, inode_of(interp ? abs_item0 : exe), "0100755", owner, "NORMAL");
  if (interp) {
    const char* ie = resolve_exe(interp);
    path_record(ev, 1, interp, inode_of(ie ? ie : interp), "0100755", 0, "NORMAL");
    path_record(ev, 2, kLdSo, kLdSoInode, "0100755", 0, "NORMAL");
  } else if (dynamic) {
    path_record(ev, 1, kLdSo, kLdSoInode, "0100755", 0, "NORMAL");
  }
  proctitle_record(ev, p);
  end_event(kind);
}

void Generator::fork_event(Proc& parent, int child) {
  Event& ev = begin_event();
  syscall_record(ev, 56, "clone", true, child, {0x1200011, 0, 0, stack_ptr() | 0xa10}, 0, parent, "bp_fork");
  proctitle_record(ev, parent);
  end_event(K_FORK);
}

void Generator::failed_exec_event(Proc& caller, std::string_view name, int err) {
  Event& ev = begin_event();
  syscall_record(ev, 59, "execve", false, -err, {stack_ptr(), stack_ptr(), user_ptr(), stack_ptr()}, 1, caller,
                 "bp_exec");
  cwd_record(ev, caller.cwd);
  if (err == 2) {
    path_unknown(ev, 0, name);
  } else {
    std::string abs(name);
    if (!name.starts_with("/")) abs = caller.cwd + "/" + std::string(name);
    path_record(ev, 0, name, inode_of(abs), err == 13 ? "0100644" : "0100755", caller.ids.uid, "NORMAL");
  }
  proctitle_record(ev, caller);
  end_event(K_FAILED);
}

void Generator::create_event(Proc& p, int syscall, const char* syscall_name, const char* key, int64_t dirfd,
                             std::string_view parent_name, uint64_t parent_inode, std::string_view name,
                             uint64_t inode, const char* mode) {
  Event& ev = begin_event();
  const uint64_t fd_field = dirfd < 0 ? 0xffffff9cull : static_cast<uint64_t>(dirfd);
  std::array<uint64_t, 4> a{};
  int64_t exit_code = 0;
  switch (syscall) {
    case 257:  // openat(dirfd, name, O_WRONLY|O_CREAT|O_TRUNC..., 0644/0666)
      a = {fd_field, user_ptr(), rng_.chance(0.5) ? 0x241ull : 0xc1ull, rng_.chance(0.5) ? 0x1b6ull : 0x1a4ull};
      exit_code = rng_.range(3, 6);
      ++file_ops_[0];
      break;
    case 83:  // mkdir(name, 0777)
      a = {stack_ptr(), 0x1ff, 0, stack_ptr()};
      ++file_ops_[1];
      break;
    default:  // 258 mkdirat(dirfd, name, 0755)
      a = {fd_field, user_ptr(), 0x1ed, stack_ptr()};
      ++file_ops_[2];
      break;
  }
  if (dirfd >= 0) ++dirfd_creates_;
  syscall_record(ev, syscall, syscall_name, true, exit_code, a, 2, p, key);
  cwd_record(ev, p.cwd);
  path_record(ev, 0, parent_name, parent_inode, "040755", 0, "PARENT");
  path_record(ev, 1, name, inode, mode, p.ids.euid, "CREATE");
  proctitle_record(ev, p);
  end_event(K_FILE);
}

void Generator::rename_event(Proc& p, const char* key, std::string_view old_dir, uint64_t old_dir_inode,
                             std::string_view old_name, std::string_view new_dir, uint64_t new_dir_inode,
                             std::string_view new_name, uint64_t inode, bool replaces, bool renameat2) {
  Event& ev = begin_event();
  const int items = replaces ? 5 : 4;
  if (renameat2) {
    syscall_record(ev, 316, "renameat2", true, 0, {0xffffff9c, stack_ptr(), 0xffffff9c, stack_ptr()}, items, p, key);
    ++file_ops_[4];
  } else {
    syscall_record(ev, 82, "rename", true, 0, {user_ptr(), user_ptr(), user_ptr(), stack_ptr()}, items, p, key);
    ++file_ops_[3];
  }
  cwd_record(ev, p.cwd);
  path_record(ev, 0, new_dir, new_dir_inode, "040755", 0, "PARENT");
  path_record(ev, 1, old_dir, old_dir_inode, "040755", 0, "PARENT");
  path_record(ev, 2, old_name, inode, "0100644", 0, "DELETE");
  if (replaces) path_record(ev, 3, new_name, inode - 7, "0100644", 0, "DELETE");
  path_record(ev, replaces ? 4 : 3, new_name, inode, "0100644", 0, "CREATE");
  proctitle_record(ev, p);
  end_event(K_FILE);
}

// ---------------------------------------------------------------- arguments

void Generator::add_opts(const char* opts, int max, std::vector<std::string>& argv) {
  if (opts == nullptr || *opts == '\0' || max <= 0) return;
  std::vector<std::string_view> pool;
  std::string_view o(opts);
  while (!o.empty()) {
    const size_t sp = o.find(' ');
    pool.push_back(o.substr(0, sp));
    if (sp == std::string_view::npos) break;
    o.remove_prefix(sp + 1);
  }
  const int n = rng_.skewed(0, std::min<int>(max, static_cast<int>(pool.size())), 0.45);
  for (int i = 0; i < n; ++i) argv.emplace_back(pool[rng_.below(pool.size())]);
}

std::string Generator::file_arg() {
  if (rng_.chance(0.02)) {
    ++odd_args_;
    return rng_.pick(kOddNames);
  }
  return rng_.pick(kFiles);
}

// An argument of 7400 bytes or more: split into aN[i] pieces by the kernel.
std::string Generator::long_arg() {
  ++long_args_;
  size_t len;
  const double r = rng_.unit();
  if (r < 0.15) len = static_cast<size_t>(rng_.range(7400, 7499));  // quoted pieces
  else if (r < 0.75) len = static_cast<size_t>(rng_.range(7500, 16000));
  else if (r < 0.95) len = static_cast<size_t>(rng_.range(16000, 60000));
  else len = static_cast<size_t>(rng_.range(60000, 131071));
  static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string s;
  s.reserve(len);
  const double shape = rng_.unit();
  if (shape < 0.4) {
    s = "--data=";
    while (s.size() < len) s += b64[rng_.below(64)];
  } else if (shape < 0.7) {
    s = "-DBUILD_FLAGS=";
    while (s.size() < len) s += rng_.chance(0.5) ? "-O2:" : "-fstack-protector-strong:";
  } else if (shape < 0.9) {
    while (s.size() < len) {
      s += rng_.pick(kFiles);
      s += ':';
    }
  } else {
    s = "echo ";
    while (s.size() < len) s += "lorem ipsum dolor sit amet ";
  }
  s.resize(len);
  return s;
}

std::string Generator::shell_command() {
  static const std::array<const char*, 16> heads = {
      "gcc -O2 -Wall -c src/util.c -o build/util.o", "test -d build || mkdir -p build",
      "cat /proc/loadavg", "echo \"building $target\"", "rm -f *.o core",
      "for f in *.log; do gzip -9 \"$f\"; done", "command -v dracut >/dev/null 2>&1",
      "ls -1 /etc/cron.d | wc -l", "exec /usr/lib/git-core/git-upload-pack '/srv/git/app.git'",
      "sed -i 's/^#Port 22/Port 22/' /etc/ssh/sshd_config", "cd build && make -j4 install",
      "grep -q '^ID=debian' /etc/os-release", "find /tmp -mtime +7 -delete",
      "printf '%s\\n' \"$@\" | sort -u", "python3 -c 'import sys; print(sys.version)'",
      "if [ -x /usr/bin/mandb ]; then mandb --quiet; fi"};
  std::string c = rng_.pick(heads);
  if (rng_.chance(0.2)) c += " > /dev/null 2>&1";
  if (rng_.chance(0.1)) c += " && echo ok";
  return c;
}

void Generator::gen_args(char gen, const char* opts, std::vector<std::string>& argv, const Proc& p) {
  auto files = [&](int lo, int hi) {
    const int n = rng_.skewed(lo, hi, 0.4);
    for (int i = 0; i < n; ++i) argv.push_back(file_arg());
  };
  switch (gen) {
    case 'n': add_opts(opts, 2, argv); break;
    case 'f': add_opts(opts, 3, argv); files(1, 6); break;
    case 'd': add_opts(opts, 3, argv); if (rng_.chance(0.6)) argv.push_back(rng_.chance(0.03) ? file_arg() : rng_.pick(kDirs)); break;
    case 'p': add_opts(opts, 3, argv); argv.push_back(rng_.pick(kPatterns)); files(0, 5); break;
    case 's': add_opts(opts, 2, argv); argv.push_back(rng_.pick(kSed)); files(0, 3); break;
    case 'a': add_opts(opts, 1, argv); argv.push_back(rng_.pick(kAwk)); files(0, 3); break;
    case 't': add_opts(opts, 1, argv); argv.push_back(rng_.chance(0.5) ? "a-z" : "[:upper:]"); if (rng_.chance(0.6)) argv.push_back(rng_.chance(0.5) ? "A-Z" : "[:lower:]"); break;
    case 'D': add_opts(opts, 1, argv); if (rng_.chance(0.7)) argv.push_back(rng_.chance(0.5) ? "+%s" : "+%Y-%m-%d %H:%M:%S"); break;
    case 'm': add_opts(opts, 1, argv); argv.push_back(rng_.chance(0.5) ? "0644" : (rng_.chance(0.5) ? "u+x" : "root:root")); files(1, 4); break;
    case 'K': add_opts(opts, 2, argv); argv.push_back(p.dir.empty() ? std::string(rng_.pick(kDirs)) + "/" + rand_suffix(6) : p.dir + "/lib/modules"); break;
    case 'F': {
      argv.push_back(p.dir.empty() ? rng_.pick(kDirs) : ".");
      static const std::array<const char*, 8> ex = {"-name", "-type", "-mtime", "-maxdepth", "-print0", "-newer", "-size", "-delete"};
      static const std::array<const char*, 8> val = {"*.log", "f", "+7", "2", "", "stamp", "+1M", ""};
      const int n = rng_.skewed(0, 4, 0.5);
      for (int i = 0; i < n; ++i) {
        const size_t k = rng_.below(ex.size());
        argv.push_back(ex[k]);
        if (*val[k]) argv.push_back(val[k]);
      }
      break;
    }
    case 'x': add_opts(opts, 2, argv); argv.push_back(rng_.chance(0.5) ? "rm" : "grep"); argv.push_back("-f"); break;
    case 'X': {  // xargs' child: option + many operands (sometimes many enough for several EXECVE records)
      add_opts(opts, 1, argv);
      const int n = rng_.chance(0.08) ? static_cast<int>(rng_.range(200, 1500)) : static_cast<int>(rng_.range(1, 11));
      for (int i = 0; i < n; ++i) {
        std::string f = "build/obj/";
        f += rng_.pick(kCSources);
        f += ".";
        put_u(f, static_cast<uint64_t>(i));
        f += ".o";
        argv.push_back(std::move(f));
      }
      break;
    }
    case 'g': {
      static const std::array<const char*, 10> sub = {"status", "log", "diff", "fetch", "rev-parse", "show", "branch", "pull", "commit", "checkout"};
      argv.push_back(rng_.pick(sub));
      if (rng_.chance(0.3)) argv.push_back(rng_.chance(0.5) ? "--porcelain" : "--oneline");
      if (rng_.chance(0.15)) {
        argv.push_back("-m");
        argv.push_back(rng_.chance(0.5) ? "fix: handle \"quoted\" names" : "wip: r\xC3\xA9sum\xC3\xA9 parser");
      }
      break;
    }
    case 'y': add_opts(opts, 1, argv); argv.push_back(rng_.chance(0.5) ? "import json,sys; print(json.load(sys.stdin)['version'])" : "/usr/lib/python3/dist-packages/apt_pkg_helper.py"); break;
    case 'u': add_opts(opts, 2, argv); argv.push_back(rng_.pick(kUnits)); break;
    case 'k': add_opts(opts, 2, argv); { const int n = rng_.skewed(1, 4, 0.3); for (int i = 0; i < n; ++i) argv.push_back(rng_.pick(kPackages)); } break;
    case 'U': add_opts(opts, 3, argv); argv.push_back(rng_.chance(0.5) ? "https://deb.debian.org/debian/dists/bookworm/InRelease" : "https://example.com/api/v1/items?page=2&limit=50"); break;
    case 'N': add_opts(opts, 1, argv); put_u(argv.emplace_back(), static_cast<uint64_t>(rng_.range(1, 30))); break;
    case 'E': argv.push_back("x$ac_cv_prog"); argv.push_back(rng_.chance(0.5) ? "=" : ":"); argv.push_back(rng_.chance(0.5) ? "xyes" : ".*"); break;
    case 'w': add_opts(opts, 4, argv); break;
    case 'h': argv.push_back("-c"); argv.push_back(shell_command()); break;
    case 'c': {
      const char* src = rng_.pick(kCSources);
      add_opts("-O2 -g -Wall -Wextra -fPIC -pipe -std=gnu11", 5, argv);
      argv.push_back("-Iinclude");
      argv.push_back("-DHAVE_CONFIG_H");
      argv.push_back("-c");
      argv.push_back(src);
      argv.push_back("-o");
      argv.push_back(std::string("build/") + std::string(base_name(src)) + ".o");
      break;
    }
    case '1':
      argv = {"/usr/libexec/gcc/x86_64-linux-gnu/12/cc1", "-quiet", "-Iinclude", "-imultiarch", "x86_64-linux-gnu",
              "-DHAVE_CONFIG_H", rng_.pick(kCSources), "-quiet", "-mtune=generic", "-march=x86-64", "-O2",
              "-o", "/tmp/cc" + rand_suffix(6) + ".s"};
      break;
    case '2': argv = {"as", "--64", "-o", "build/x.o", "/tmp/cc" + rand_suffix(6) + ".s"}; break;
    case '3':
      argv = {"/usr/libexec/gcc/x86_64-linux-gnu/12/collect2", "-plugin", "/usr/libexec/gcc/x86_64-linux-gnu/12/liblto_plugin.so",
              "--build-id", "--eh-frame-hdr", "-m", "elf_x86_64", "-pie", "-o", "build/app", "build/main.o", "-lc"};
      break;
    case 'M': add_opts(opts, 2, argv); if (rng_.chance(0.5)) argv.push_back(rng_.chance(0.5) ? "all" : "install"); break;
    case 'C':  // cpio -o -H newc as mkinitramfs / dracut run it
      if (rng_.chance(0.5)) {
        argv.insert(argv.end(), {"--quiet", "-R", "0:0", "-o", "-H", "newc"});
      } else {
        argv.insert(argv.end(), {"--null", "-R", "0:0", "-H", "newc", "-o", "--quiet"});
      }
      break;
    case 'I': argv.insert(argv.end(), {"-i", "--quiet", "--no-absolute-filenames", "-D", p.dir.empty() ? "/tmp/unpack" : p.dir}); break;
    case 'G':
      argv.insert(argv.end(), {"-o", "a:m:o:d:I:k:c:r:L:fvqlHhMNp", "--long", "kver:", "--long", "add:", "--long", "force", "--", "--force"});
      break;
    case 'R': add_opts(opts, 1, argv); argv.push_back(rng_.chance(0.5) ? "/usr/bin/dracut" : (rng_.chance(0.5) ? "/sbin" : "/lib/modules")); break;
    case 'V': add_opts(opts, 2, argv); if (rng_.chance(0.7)) argv.push_back(std::string("/var/cache/apt/archives/") + rng_.pick(kPackages) + "_amd64.deb"); break;
    case 'v': argv.push_back(p.kver.empty() ? kernel() : p.kver); argv.push_back("/boot/vmlinuz-" + (p.kver.empty() ? kernel() : p.kver)); break;
    case 'i': argv.insert(argv.end(), {"-c", "-k", p.kver.empty() ? kernel() : p.kver}); break;
    case 'H': {  // kernel-install and its install.d hooks
      const std::string v = p.kver.empty() ? kernel() : p.kver;
      argv.insert(argv.end(), {"add", v, "/boot/efi/6f1d5c0e9b7a4f0c8e2d3b1a0c9f8e7d/" + v, "/usr/lib/modules/" + v + "/vmlinuz"});
      break;
    }
    case 'J': {  // run-parts over /etc/kernel/postinst.d
      const std::string v = p.kver.empty() ? kernel() : p.kver;
      argv.insert(argv.end(), {"--report", "--exit-on-error", "--arg=" + v, "--arg=/boot/vmlinuz-" + v, "/etc/kernel/postinst.d"});
      break;
    }
    case 'r': {
      const std::string v = p.kver.empty() ? kernel() : p.kver;
      argv.insert(argv.end(), {"--force", "/boot/initrd.img-" + v, v});
      break;
    }
    case 'P': argv.push_back(rng_.chance(0.5) ? "aux" : "-eo"); if (argv.back() == "-eo") argv.push_back("pid,ppid,comm,args"); break;
    case 'S': add_opts(opts, 2, argv); argv.push_back(rng_.chance(0.5) ? "git@git.internal:app.git" : "backup@10.0.4.12"); if (rng_.chance(0.4)) argv.push_back("uptime; df -h /"); break;
    case 'T': argv.push_back(rng_.chance(0.5) ? "-czf" : "-xzf"); argv.push_back("/var/backups/home-" + rand_suffix(4) + ".tar.gz"); files(0, 3); break;
    case 'A': argv.insert(argv.end(), {"-y", "install", std::string("linux-image-") + kernel()}); break;
    case 'B': {  // kernel-install hook copying into /boot/
      const std::string v = p.kver.empty() ? kernel() : p.kver;
      add_opts(opts, 1, argv);
      argv.push_back("/usr/lib/modules/" + v + "/vmlinuz");
      argv.push_back("/boot/");
      break;
    }
    case 'L': {
      const std::string v = p.kver.empty() ? kernel() : p.kver;
      add_opts(opts, 1, argv);
      argv.push_back("/boot/initrd.img-" + v + ".new");
      argv.push_back("/boot/initrd.img-" + v);
      break;
    }
    case 'Z': add_opts(opts, 1, argv); argv.push_back("/boot/grub/grub.cfg.new"); argv.push_back("/boot/grub/grub.cfg"); break;
    case 'Q': argv.push_back("-i"); argv.push_back("s/^#hostonly=.*/hostonly=yes/"); argv.push_back(std::string("/usr/lib/dracut/modules.d/") + rng_.pick(kDracutModules) + "/module-setup.sh"); break;
    case 'O': add_opts(opts, 3, argv); break;
    case 'W': {
      const std::string dest = p.dir.empty() ? "/var/tmp/mkinitramfs_" + rand_suffix(6) : p.dir;
      static const std::array<const char*, 8> libs = {"/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/bin/busybox", "/usr/sbin/modprobe",
                                                      "/usr/lib/x86_64-linux-gnu/libkmod.so.2", "/usr/lib/udev/rules.d/60-block.rules",
                                                      "/usr/lib/modules/6.1.0-28-amd64/kernel/drivers/block/virtio_blk.ko",
                                                      "/usr/lib/x86_64-linux-gnu/libzstd.so.1", "/etc/modprobe.d/blacklist.conf"};
      add_opts(opts, 1, argv);
      const char* lib = rng_.pick(libs);
      argv.push_back(lib);
      argv.push_back(dest + lib);
      break;
    }
    case 'Y': add_opts(opts, 2, argv); break;
    default: add_opts(opts, 3, argv); files(0, 3); break;
  }
  // A few long arguments anywhere a user could put one.
  if (gen != 'X' && rng_.chance(0.003)) argv.push_back(long_arg());
  // Stay within 12 arguments for ordinary programs (the storms' shape).
  if (gen != 'X' && argv.size() > 13) argv.resize(13);
}

// ---------------------------------------------------------------- actions

// The process about to exec: a child its session already forked (logged), or
// one forked by a clone3/vfork the rules did not see.
Proc& Generator::child_for_exec(Session& s) {
  while (!s.pending.empty()) {
    const Pending pe = s.pending.front();
    s.pending.pop_front();
    Proc* c = find(pe.child);
    if (c != nullptr && find(pe.parent) != nullptr) return *c;
    if (c != nullptr) release(pe.child);
  }
  const int parent_pid = pick_spawner(s);
  Proc& parent = *find(parent_pid);
  Proc child;
  child.pid = alloc_pid();
  child.ppid = parent.pid;
  child.img = parent.img;
  child.ids = parent.ids;
  child.cwd = parent.cwd;
  child.kver = parent.kver;
  child.dir = parent.dir;
  child.session = s.id;
  child.ctx = parent.ctx;
  return procs_.emplace(child.pid, std::move(child)).first->second;
}

void Generator::after_exec(Proc& child, uint8_t ctx, bool spawn, uint8_t plan, const std::string& plan_arg) {
  Session& s = session_of(child);
  const int parent = child.ppid;
  if (plan != W_NONE) {
    Writer w{child.pid, plan, 1, plan_arg, {}};
    switch (plan) {
      case W_DPKG: w.left = static_cast<int>(rng_.range(400, 4000)); break;  // unpacks kernels and dracut
      case W_CP_BOOT: w.left = static_cast<int>(rng_.range(1, 2)); break;
      case W_INSTALL_DRACUT: w.left = static_cast<int>(rng_.range(2, 4)); break;
      case W_SED_DRACUT: w.left = 2; break;
      case W_SHELL_BOOT: w.left = static_cast<int>(rng_.range(1, 2)); break;
      default: w.left = 1; break;
    }
    writers_.push_back(std::move(w));
  }
  if (spawn) {
    child.spawner = true;
    child.ctx = ctx;
    child.children_left = children_for(ctx, rng_);
    s.spawners.push_back(child.pid);
  } else if (plan == W_NONE) {
    release(child.pid);  // ran and exited
  }
  spawner_used(s, parent);
}

void Generator::run_exec(Proc& child, const Prog& prog, Kind kind) {
  std::vector<std::string> argv;
  argv.emplace_back(prog.path[0] == '/' && !std::string_view(prog.path).starts_with("/usr/libexec") &&
                            !std::string_view(prog.path).starts_with("/usr/lib/") &&
                            !std::string_view(prog.path).starts_with("/lib64/")
                        ? std::string(base_name(prog.path))
                        : std::string(prog.path));
  gen_args(prog.args, prog.opts, argv, child);
  if (prog.flags & F_SETUID) {
    child.ids.euid = 0;
  }
  std::string item0 = prog.path;
  std::string exe = prog.exe ? prog.exe : prog.path;
  if (item0.starts_with("./")) exe = child.cwd + item0.substr(1);
  // bash resolved the name through $PATH; sometimes a caller spells the merged-/usr symlink.
  if (item0.starts_with("/usr/bin/") && rng_.chance(0.05)) item0 = "/bin/" + item0.substr(9);
  std::string plan_arg = child.kver.empty() ? kernel() : child.kver;
  exec_event(child, item0, exe, argv, nullptr, !(prog.flags & F_STATIC), kind);
  if (prog.flags & F_SETUID) child.ids = Ids::of(0);  // sudo's children run as root
  after_exec(child, prog.ctx, prog.flags & F_SPAWN, prog.plan, plan_arg);
}

void Generator::run_script(Proc& child, const Script& sc) {
  std::vector<std::string> argv;
  argv.emplace_back(sc.interp);
  if (sc.interp_arg) argv.emplace_back(sc.interp_arg);
  argv.emplace_back(sc.path);
  // Context the script and its children work on: the kernel version for the
  // kernel hooks and initramfs builders, the staging directory for the latter.
  switch (sc.ctx) {
    case C_MKINITRAMFS: child.dir = "/var/tmp/mkinitramfs_" + rand_suffix(6); break;
    case C_DRACUT: child.dir = "/var/tmp/dracut." + rand_suffix(6) + "/initramfs"; break;
    default: break;
  }
  switch (sc.ctx) {
    case C_POSTINST: case C_KINST: case C_KINST_DRACUT: case C_UPDINITRAMFS: case C_MKINITRAMFS: case C_DRACUT:
    case C_GRUB: case C_GRUBMK:
      if (child.kver.empty()) child.kver = kernel();
      break;
    default:
      break;
  }
  gen_args(sc.args, "", argv, child);
  const char* ie = resolve_exe(sc.interp);
  const std::string exe = ie ? ie : sc.interp;
  std::string plan_arg = child.kver.empty() ? kernel() : child.kver;
  exec_event(child, sc.path, exe, argv, sc.interp, true, K_SCRIPT);
  after_exec(child, sc.ctx, sc.ctx != C_LEAF, sc.plan, plan_arg);
}

void Generator::do_elf(Session& s) {
  Proc& child = child_for_exec(s);
  const Proc* parent = find(child.ppid);
  const uint8_t ctx = parent ? parent->ctx : static_cast<uint8_t>(C_SCRIPT);
  const CtxTables& t = tables(ctx);
  const Prog& prog = (t.progs.count && rng_.chance(t.p_own)) ? t.progs.pick(rng_) : kToolsTable.pick(rng_);
  run_exec(child, prog, K_ELF);
}

// Programs that run no scripts themselves (a compiler driver, xargs, git,
// the cpio pipelines): a script comes from the nearest spawner that does.
bool runs_scripts(uint8_t ctx) {
  switch (ctx) {
    case C_CC: case C_XARGS: case C_GIT: case C_MKINIT_PIPE: case C_DRACUT_PIPE: case C_UNMK: case C_GZ:
    case C_LDD: case C_LEAF:
      return false;
    default:
      return true;
  }
}

void Generator::do_script(Session& s) {
  const Proc* front_parent = s.pending.empty() ? nullptr : find(s.pending.front().parent);
  if (front_parent == nullptr || !runs_scripts(front_parent->ctx)) {
    // Run it from the nearest spawner that runs scripts, in a child of its own.
    int parent_pid = 0;
    for (auto r = s.spawners.rbegin(); r != s.spawners.rend() && parent_pid == 0; ++r) {
      const Proc* p = find(*r);
      if (p != nullptr && runs_scripts(p->ctx)) parent_pid = *r;
    }
    if (parent_pid == 0) {
      do_elf(s);
      return;
    }
    Proc& parent_proc = *find(parent_pid);
    Proc child;
    child.pid = alloc_pid();
    child.ppid = parent_pid;
    child.img = parent_proc.img;
    child.ids = parent_proc.ids;
    child.cwd = parent_proc.cwd;
    child.kver = parent_proc.kver;
    child.dir = parent_proc.dir;
    child.session = s.id;
    child.ctx = parent_proc.ctx;
    const int pid = child.pid;
    procs_.emplace(pid, std::move(child));
    s.pending.push_front({pid, parent_pid});
  }
  Proc& child = child_for_exec(s);
  const Proc* parent = find(child.ppid);
  const uint8_t ctx = parent ? parent->ctx : static_cast<uint8_t>(C_SCRIPT);
  const CtxTables& t = tables(ctx);
  const Script& sc = (t.scripts.count && rng_.chance(t.p_own_script)) ? t.scripts.pick(rng_)
                                                                      : kGenericScriptsTable.pick(rng_);
  run_script(child, sc);
}

void Generator::do_fork(Session& s) {
  Proc& parent = *find(pick_spawner(s));
  Proc child;
  child.pid = alloc_pid();
  child.ppid = parent.pid;
  child.img = parent.img;
  child.ids = parent.ids;
  child.cwd = parent.cwd;
  child.kver = parent.kver;
  child.dir = parent.dir;
  child.session = s.id;
  child.ctx = parent.ctx;
  fork_event(parent, child.pid);
  const int cpid = child.pid;
  const bool subshell = rng_.chance(0.15) || parent.ctx == C_MKINITRAMFS || parent.ctx == C_DRACUT
                            ? rng_.chance(parent.ctx == C_MKINITRAMFS || parent.ctx == C_DRACUT ? 0.35 : 1.0)
                            : false;
  auto& c = procs_.emplace(cpid, std::move(child)).first->second;
  if (subshell) {
    // A subshell: runs children itself without exec'ing (pipelines, $(...)).
    c.spawner = true;
    if (parent.ctx == C_MKINITRAMFS || parent.ctx == C_DRACUT) {
      c.ctx = parent.ctx == C_MKINITRAMFS ? C_MKINIT_PIPE : C_DRACUT_PIPE;
      if (!parent.dir.empty()) c.cwd = parent.dir;
    }
    c.children_left = static_cast<int>(rng_.range(1, 3));
    s.spawners.push_back(cpid);
  } else {
    s.pending.push_back({cpid, parent.pid});
  }
}

void Generator::do_failed(Session& s) {
  // execvp()/env probing $PATH before it finds the program: the caller is the
  // forked child, which still runs its parent's image.
  Proc* caller = &child_for_exec(s);
  if (caller->ppid != 0) s.pending.push_front({caller->pid, caller->ppid});  // it execs the program next
  static const std::array<const char*, 10> progs = {"bash", "python3", "dpkg-deb", "git", "cc", "sh", "perl",
                                                    "systemctl", "zstd", "run-parts"};
  static const std::array<const char*, 3> dirs = {"/usr/local/sbin/", "/usr/local/bin/", "/usr/sbin/"};
  const double r = rng_.unit();
  if (r < 0.9) {
    failed_exec_event(*caller, std::string(rng_.pick(dirs)) + rng_.pick(progs), 2);
  } else if (r < 0.95) {
    failed_exec_event(*caller, "./noshebang.sh", 8);
  } else {
    failed_exec_event(*caller, "./deploy.sh", 13);
  }
}

void Generator::writer_op(Writer& w) {
  Proc& p = *find(w.pid);
  --w.left;
  switch (w.plan) {
    case W_DPKG: {
      if (!w.renames.empty() && rng_.chance(0.35)) {
        auto [final_path, inode] = w.renames.back();
        w.renames.pop_back();
        const std::string dir(dir_part(final_path));
        const uint64_t dino = dir == "/boot/" ? kBootInode : (dir.starts_with("/usr/lib/dracut/modules.d/") ? kModulesDirInode + 16 + fnv1a(dir) % 30 : kGrubDirInode);
        rename_event(p, dir == "/boot/" ? "bp_boot" : "bp_dracut", dir, dino, final_path + ".dpkg-new", dir, dino,
                     final_path, inode, rng_.chance(0.6), false);
        return;
      }
      const bool boot = rng_.chance(0.35);
      std::string final_path;
      uint64_t dir_inode;
      uint64_t inode;
      if (boot) {
        static const std::array<const char*, 4> kf = {"vmlinuz-", "System.map-", "config-", "initrd.img-"};
        final_path = std::string("/boot/") + rng_.pick(kf) + w.arg;
        dir_inode = kBootInode;
        inode = next_inode_boot_++;
        boot_taught_ = true;
      } else {
        const std::string mod = rng_.pick(kDracutModules);
        if (rng_.chance(0.08)) {
          // a new module directory
          const std::string name = "/usr/lib/dracut/modules.d/" + mod + ".dpkg-new";
          create_event(p, 83, "mkdir", "bp_dracut", -1, "/usr/lib/dracut/modules.d/", kModulesDirInode, name,
                       next_inode_dracut_++, "040000");
          modules_taught_ = true;
          return;
        }
        final_path = "/usr/lib/dracut/modules.d/" + mod + "/" + rng_.pick(kModuleFiles);
        dir_inode = kModulesDirInode + 16 + fnv1a(std::string(dir_part(final_path))) % 30;
        inode = next_inode_dracut_++;
      }
      const std::string name = final_path + ".dpkg-new";
      create_event(p, 257, "openat", boot ? "bp_boot" : "bp_dracut", -1, dir_part(final_path), dir_inode, name, inode,
                   "0100644");
      if (w.renames.size() < 64) w.renames.emplace_back(final_path, inode);
      return;
    }
    case W_CP_BOOT: {
      static const std::array<const char*, 3> kf = {"vmlinuz-", "System.map-", "config-"};
      const std::string base = std::string(rng_.pick(kf)) + w.arg;
      if (boot_taught_ && rng_.chance(0.8)) {
        // cp SRC /boot/: openat(<fd of /boot>, "vmlinuz-V"): the kernel prints the CWD as the PARENT name
        create_event(p, 257, "openat", "bp_boot", 3, p.cwd, kBootInode, base, next_inode_boot_++, "0100644");
      } else {
        create_event(p, 257, "openat", "bp_boot", -1, "/boot/", kBootInode, "/boot/" + base, next_inode_boot_++,
                     "0100644");
        boot_taught_ = true;
      }
      return;
    }
    case W_MV_INITRD: {
      const std::string fin = "/boot/initrd.img-" + w.arg;
      rename_event(p, "bp_boot", "/boot/", kBootInode, fin + ".new", "/boot/", kBootInode, fin, next_inode_boot_++,
                   rng_.chance(0.7), rng_.chance(0.5));
      return;
    }
    case W_MV_GRUB:
      rename_event(p, "bp_boot", "/boot/grub/", kGrubDirInode, "/boot/grub/grub.cfg.new", "/boot/grub/",
                   kGrubDirInode, "/boot/grub/grub.cfg", next_inode_boot_++, true, true);
      return;
    case W_SHELL_BOOT: {
      if (p.ctx == C_GRUBMK || rng_.chance(0.3)) {
        create_event(p, 257, "openat", "bp_boot", -1, "/boot/grub/", kGrubDirInode, "/boot/grub/grub.cfg.new",
                     next_inode_boot_++, "0100444");
      } else if (rng_.chance(0.5)) {
        // relative to a CWD of /boot: PARENT shows the CWD, CREATE the bare name
        const std::string saved = p.cwd;
        p.cwd = "/boot";
        create_event(p, 257, "openat", "bp_boot", -1, "/boot", kBootInode, "initrd.img-" + w.arg + ".new",
                     next_inode_boot_++, "0100644");
        p.cwd = saved;
        boot_taught_ = true;
      } else {
        create_event(p, 257, "openat", "bp_boot", -1, "/boot/", kBootInode, "/boot/initrd.img-" + w.arg + ".new",
                     next_inode_boot_++, "0100644");
        boot_taught_ = true;
      }
      return;
    }
    case W_INSTALL_DRACUT: {
      const std::string dir = std::string("/usr/lib/dracut/modules.d/") + rng_.pick(kDracutModules);
      if (w.left > 0 && rng_.chance(0.3)) {
        const bool at = rng_.chance(0.5);  // install -d: mkdir(); cp -r: mkdirat(AT_FDCWD, ...)
        create_event(p, at ? 258 : 83, at ? "mkdirat" : "mkdir", "bp_dracut", -1, "/usr/lib/dracut/modules.d/",
                     kModulesDirInode, dir + "-local", next_inode_dracut_++, "040755");
      } else {
        create_event(p, 257, "openat", "bp_dracut", -1, dir + "/", kModulesDirInode + 16 + fnv1a(dir + "/") % 30,
                     dir + "/" + rng_.pick(kModuleFiles), next_inode_dracut_++, "0100644");
      }
      modules_taught_ = true;
      return;
    }
    case W_SED_DRACUT: {
      const std::string dir = std::string("/usr/lib/dracut/modules.d/") + rng_.pick(kDracutModules) + "/";
      const uint64_t dino = kModulesDirInode + 16 + fnv1a(dir) % 30;
      if (w.left > 0) {
        w.arg = dir + "sed" + rand_suffix(6);
        create_event(p, 257, "openat", "bp_dracut", -1, dir, dino, w.arg, next_inode_dracut_++, "0100600");
      } else {
        rename_event(p, "bp_dracut", dir, dino, w.arg.empty() ? dir + "sedXq3Zk9" : w.arg, dir, dino,
                     dir + "module-setup.sh", next_inode_dracut_++, true, false);
      }
      modules_taught_ = true;
      return;
    }
    default:
      return;
  }
}

void Generator::do_file(Session& s) {
  // The newest writer of this session first (a cp writes right after its
  // exec; dpkg unpacks in the background), then the newest of any session.
  auto rit = std::find_if(writers_.rbegin(), writers_.rend(), [&](const Writer& w) {
    const Proc* p = find(w.pid);
    return p != nullptr && p->session == s.id;
  });
  if (rit == writers_.rend()) rit = writers_.rbegin();
  if (rit != writers_.rend()) {
    auto it = std::prev(rit.base());
    const int pid = it->pid;
    writer_op(*it);
    auto w = std::find_if(writers_.begin(), writers_.end(), [&](const Writer& x) { return x.pid == pid; });
    if (w != writers_.end() && w->left <= 0) {
      Proc* p = find(pid);
      writers_.erase(w);
      if (p != nullptr && !p->spawner) release(pid);
      else if (p != nullptr) spawner_used(session_of(*p), pid), void();
    }
    return;
  }
  // No writer around: a root hook script or admin shell writes into /boot with
  // a redirection; if there is none either, this turn runs a program instead.
  Proc* writer = nullptr;
  for (int id : active_) {
    Session& o = sessions_[static_cast<size_t>(id)];
    for (auto r = o.spawners.rbegin(); r != o.spawners.rend(); ++r) {
      Proc* p = find(*r);
      if (p == nullptr || p->ids.euid != 0 || (p->img->exe != "/usr/bin/dash" && p->img->exe != "/usr/bin/bash")) continue;
      switch (p->ctx) {
        case C_ROOTSHELL: case C_POSTINST: case C_KINST: case C_KINST_DRACUT: case C_UPDINITRAMFS:
        case C_MKINITRAMFS: case C_GRUBMK:
          writer = p;
          break;
        default:
          break;
      }
      if (writer) break;
    }
    if (writer) break;
  }
  if (writer == nullptr) {
    do_elf(s);
    return;
  }
  ++fallback_writes_;
  Writer w{writer->pid, W_SHELL_BOOT, 1, kernel(), {}};
  writer_op(w);
}

// ---------------------------------------------------------------- attacks

// The boot-persistence techniques the rules look for, run from a root shell
// (ssh login, not sudo: sudo is an excluded parent for the /boot copy rule).
void Generator::attack(int which) {
  if (attack_session_ < 0 || !sessions_[static_cast<size_t>(attack_session_)].alive) {
    start_session(S_ATTACK);
    attack_session_ = sessions_.back().id;
    ++attack_events_;
  }
  Session& s = sessions_[static_cast<size_t>(attack_session_)];
  Proc& shell = *find(s.root);
  ++attacks_;
  const uint64_t before = emitted_;
  auto forked_child = [&](Proc& parent) -> Proc& {
    Proc c;
    c.pid = alloc_pid();
    c.ppid = parent.pid;
    c.img = parent.img;
    c.ids = parent.ids;
    c.cwd = parent.cwd;
    c.session = s.id;
    fork_event(parent, c.pid);
    const int pid = c.pid;
    return procs_.emplace(pid, std::move(c)).first->second;
  };
  auto exec_elf = [&](Proc& c, const char* path, std::vector<std::string> argv) {
    exec_event(c, path, path, argv, nullptr, true, K_ELF);
  };
  const std::string v = kernel();
  switch (which % 7) {
    case 0: {  // cp payload into /boot/ (Boot File Copy); the copy goes through a directory fd
      Proc& c = forked_child(shell);
      exec_elf(c, "/usr/bin/cp", {"cp", "/root/.cache/.x/evil.ko", "/boot/"});
      if (boot_taught_) {
        create_event(c, 257, "openat", "bp_boot", 3, c.cwd, kBootInode, "evil.ko", next_inode_boot_++, "0100644");
      } else {
        create_event(c, 257, "openat", "bp_boot", -1, "/boot/", kBootInode, "/boot/evil.ko", next_inode_boot_++,
                     "0100644");
        boot_taught_ = true;
      }
      release(c.pid);
      break;
    }
    case 1: {  // cpio -o -H newc whose parent started before the log (unknown parent)
      Proc c;
      c.ppid = alloc_pid();  // a process the log never saw
      c.pid = alloc_pid();
      c.ids = shell.ids;
      c.cwd = "/tmp/.initrd-root";
      c.session = s.id;
      c.img = shell.img;
      const int pid = c.pid;
      Proc& cp = procs_.emplace(pid, std::move(c)).first->second;
      exec_elf(cp, "/usr/bin/cpio", {"cpio", "-o", "-H", "newc", "-O", "/tmp/initrd.img"});
      used_[static_cast<size_t>(cp.ppid)] = 0;
      release(pid);
      break;
    }
    case 2: {  // unmkinitramfs (a #!/bin/sh script) and its cpio children
      Proc& c = forked_child(shell);
      std::vector<std::string> argv = {"/bin/sh", "/usr/bin/unmkinitramfs", "/boot/initrd.img-" + v, "/tmp/unpack"};
      exec_event(c, "/usr/bin/unmkinitramfs", "/usr/bin/dash", argv, "/bin/sh", true, K_SCRIPT);
      c.dir = "/tmp/unpack/main";
      for (int i = 0; i < 3; ++i) {
        Proc& g = forked_child(c);
        if (i == 0) exec_elf(g, "/usr/bin/mkdir", {"mkdir", "-p", "/tmp/unpack"});
        else exec_elf(g, "/usr/bin/cpio", {"cpio", "-i", "--quiet", "--no-absolute-filenames", "-D", i == 1 ? "/tmp/unpack/early" : "/tmp/unpack/main"});
        release(g.pid);
      }
      release(c.pid);
      break;
    }
    case 3: {  // dracut run by hand from a shell (#!/bin/bash -p)
      Proc& c = forked_child(shell);
      std::vector<std::string> argv = {"/bin/bash", "-p", "/usr/bin/dracut", "--force", "--add", "evil",
                                       "/boot/initrd.img-" + v, v};
      exec_event(c, "/usr/bin/dracut", "/usr/bin/bash", argv, "/bin/bash", true, K_SCRIPT);
      c.dir = "/var/tmp/dracut.Zx81Qa/initramfs";
      Proc& g1 = forked_child(c);
      exec_elf(g1, "/usr/bin/readlink", {"readlink", "-f", "/usr/bin/dracut"});
      release(g1.pid);
      Proc& g2 = forked_child(c);
      exec_elf(g2, "/usr/bin/uname", {"uname", "-r"});
      release(g2.pid);
      Proc& sub = forked_child(c);  // ( cd "$initdir"; find . -print0 | sort -z | cpio ... )
      sub.cwd = c.dir;
      Proc& g3 = forked_child(sub);
      exec_elf(g3, "/usr/bin/cpio", {"cpio", "--null", "-R", "0:0", "-H", "newc", "-o", "--quiet"});
      release(g3.pid);
      release(sub.pid);
      release(c.pid);
      break;
    }
    case 4: {  // a dracut module with mkdir + tee (Dracut Module Creation)
      const std::string dir = "/usr/lib/dracut/modules.d/99" + rand_suffix(5);
      Proc& c = forked_child(shell);
      exec_elf(c, "/usr/bin/mkdir", {"mkdir", dir});
      create_event(c, 83, "mkdir", "bp_dracut", -1, "/usr/lib/dracut/modules.d/", kModulesDirInode, dir,
                   next_inode_dracut_++, "040755");
      modules_taught_ = true;
      release(c.pid);
      const uint64_t dir_inode = next_inode_dracut_ - 1;
      Proc& t = forked_child(shell);
      exec_elf(t, "/usr/bin/tee", {"tee", dir + "/module-setup.sh"});
      create_event(t, 257, "openat", "bp_dracut", -1, dir + "/", dir_inode, dir + "/module-setup.sh",
                   next_inode_dracut_++, "0100644");
      release(t.pid);
      break;
    }
    case 5: {  // tar -C modules.d -x: mkdirat/openat relative to directory fds (the dirfd trap)
      const std::string mod = "98" + rand_suffix(5);
      Proc& c = forked_child(shell);
      exec_elf(c, "/usr/bin/tar", {"tar", "-C", "/usr/lib/dracut/modules.d", "-xf", "/root/mod.tar"});
      const uint64_t dino = next_inode_dracut_++;
      if (modules_taught_) {
        create_event(c, 258, "mkdirat", "bp_dracut", 4, c.cwd, kModulesDirInode, mod, dino, "040700");
      } else {
        create_event(c, 83, "mkdir", "bp_dracut", -1, "/usr/lib/dracut/modules.d/", kModulesDirInode,
                     "/usr/lib/dracut/modules.d/" + mod, dino, "040700");
        modules_taught_ = true;
      }
      create_event(c, 257, "openat", "bp_dracut", 4, mod + "/", dino, mod + "/module-setup.sh", next_inode_dracut_++,
                   "0100600");
      release(c.pid);
      break;
    }
    case 6: {  // mv into /boot (Boot File Copy on mv; a rename, not a creation)
      Proc& c = forked_child(shell);
      exec_elf(c, "/usr/bin/mv", {"mv", "/root/grubx64.efi", "/boot/grubx64.efi"});
      rename_event(c, "bp_boot", "/boot/", kBootInode, "/root/grubx64.efi", "/boot/", kBootInode,
                   "/boot/grubx64.efi", next_inode_boot_++, false, true);
      release(c.pid);
      break;
    }
  }
  attack_events_ += emitted_ - before;
}

// ---------------------------------------------------------------- main loop

bool Generator::run() {
  // The sessions running at any time (each replaced by a new one when it ends).
  static constexpr std::array<uint8_t, 5> kInitial = {S_APT, S_INTERACTIVE, S_BUILD, S_BUILD, S_CRON};
  // Attacks spread evenly, at least one of each technique.
  const uint64_t n_attacks = std::max<uint64_t>(7, opt_.events / 25000);
  uint64_t attack_no = 0;
  auto next_attack_at = [&](uint64_t k) { return (k * 2 + 1) * opt_.events / (2 * n_attacks); };

  double total_w = 0;
  for (double w : kKindWeights) total_w += w;
  while (emitted_ < opt_.events) {
    if (active_.size() < kInitial.size()) {
      start_session(kInitial[active_.size()]);
      continue;
    }
    if (attack_no < n_attacks && emitted_ >= next_attack_at(attack_no) && opt_.events - emitted_ > 12) {
      attack(static_cast<int>(attack_no++));
      continue;
    }
    Session& s = choose_session();
    if (s.budget-- <= 0) {
      const uint8_t kind = s.kind == S_CRON ? static_cast<uint8_t>(S_SERVICE) : (s.kind == S_SERVICE ? static_cast<uint8_t>(S_CRON) : s.kind);
      end_session(s);
      start_session(kind);
      continue;
    }
    double r = rng_.unit() * total_w;
    int kind = 0;
    while (kind < K_COUNT - 1 && r >= kKindWeights[kind]) r -= kKindWeights[kind++];
    switch (kind) {
      case K_ELF: do_elf(s); break;
      case K_SCRIPT: do_script(s); break;
      case K_FORK: do_fork(s); break;
      case K_FILE: do_file(s); break;
      default: do_failed(s); break;
    }
  }
  return out_.finish();
}

void Generator::summary(double seconds) const {
  const double n = static_cast<double>(std::max<uint64_t>(emitted_, 1));
  auto pct = [&](uint64_t k) { return 100.0 * static_cast<double>(k) / n; };
  std::fprintf(stderr,
               "auditeql-loggen: %llu events (seed %llu), %llu records, %llu bytes (%.0f bytes/event); "
               "exec %llu (%.1f%%), script %llu (%.1f%%), fork %llu (%.1f%%), file %llu (%.1f%%: openat %llu, mkdir %llu, "
               "mkdirat %llu, rename %llu, renameat2 %llu; %llu via directory fd, %llu by a shell without a writer), failed-exec %llu (%.1f%%); "
               "root execs %llu, long args %llu, split args %llu, EXECVE continuation records %llu, hex-encoded odd args %llu; "
               "sessions %llu, attacks %llu (%llu events), interleaved %llu, pid wraps %llu; %.2f s\n",
               static_cast<unsigned long long>(emitted_), static_cast<unsigned long long>(opt_.seed),
               static_cast<unsigned long long>(out_.records()), static_cast<unsigned long long>(out_.bytes()),
               static_cast<double>(out_.bytes()) / n, static_cast<unsigned long long>(kind_count_[K_ELF]),
               pct(kind_count_[K_ELF]), static_cast<unsigned long long>(kind_count_[K_SCRIPT]),
               pct(kind_count_[K_SCRIPT]), static_cast<unsigned long long>(kind_count_[K_FORK]),
               pct(kind_count_[K_FORK]), static_cast<unsigned long long>(kind_count_[K_FILE]), pct(kind_count_[K_FILE]),
               static_cast<unsigned long long>(file_ops_[0]), static_cast<unsigned long long>(file_ops_[1]),
               static_cast<unsigned long long>(file_ops_[2]), static_cast<unsigned long long>(file_ops_[3]),
               static_cast<unsigned long long>(file_ops_[4]), static_cast<unsigned long long>(dirfd_creates_), static_cast<unsigned long long>(fallback_writes_),
               static_cast<unsigned long long>(kind_count_[K_FAILED]), pct(kind_count_[K_FAILED]),
               static_cast<unsigned long long>(root_execs_), static_cast<unsigned long long>(long_args_),
               static_cast<unsigned long long>(execve_stats_.split_args),
               static_cast<unsigned long long>(execve_stats_.continuation_records),
               static_cast<unsigned long long>(odd_args_), static_cast<unsigned long long>(sessions_started_),
               static_cast<unsigned long long>(attacks_), static_cast<unsigned long long>(attack_events_),
               static_cast<unsigned long long>(out_.interleaved()), static_cast<unsigned long long>(pid_wraps_),
               seconds);
}

// ---------------------------------------------------------------- command line

constexpr const char* kUsage = R"(Usage: auditeql-loggen [OPTIONS]

Writes a deterministic, realistic audit.log (auditd 3.0.9 ENRICHED format, Debian 12
x86_64): exec storms, #! scripts, forks, file creations in /boot and
/usr/lib/dracut/modules.d, failed execs, and a few boot-persistence attacks.

Options:
  --events N         number of audit events (default 200000)
  --seed N           PRNG seed (default 1); same seed and options, same bytes
  --out FILE         output file (default: standard output)
  --eoe              emit "type=EOE" after each multi-record event (plugin stream)
  --interleave P     probability that an event's records interleave with the
                     next event's (default 0.02; 0 disables)
  --pid-max N        pid space; pids wrap and get reused (default 32768)
  --start-time SEC   timestamp of the first event (default 1795420000)
  --help             show this help
A one-line summary goes to standard error.
)";

bool parse_u64(const char* s, uint64_t& out) {
  if (s == nullptr || *s == '\0') return false;
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (errno != 0 || *end != '\0') return false;
  out = v;
  return true;
}

}  // namespace loggen

int main(int argc, char** argv) {
  using namespace loggen;
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "auditeql-loggen: %s needs a value\n%s", name, kUsage);
        std::exit(2);
      }
      return argv[++i];
    };
    uint64_t v = 0;
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--eoe") {
      opt.eoe = true;
    } else if (a == "--events") {
      if (!parse_u64(value("--events"), v)) goto bad;
      opt.events = v;
    } else if (a == "--seed") {
      if (!parse_u64(value("--seed"), v)) goto bad;
      opt.seed = v;
    } else if (a == "--out") {
      opt.out = value("--out");
    } else if (a == "--pid-max") {
      if (!parse_u64(value("--pid-max"), v) || v < 4096 || v > 4194304) goto bad;
      opt.pid_max = static_cast<int>(v);
    } else if (a == "--start-time") {
      if (!parse_u64(value("--start-time"), v)) goto bad;
      opt.start_time = v;
    } else if (a == "--interleave") {
      const char* s = value("--interleave");
      char* end = nullptr;
      const double p = std::strtod(s, &end);
      if (*end != '\0' || !(p >= 0 && p <= 1)) goto bad;
      opt.interleave = p;
    } else {
      goto bad;
    }
    continue;
  bad:
    std::fprintf(stderr, "auditeql-loggen: bad argument '%s'\n%s", argv[i], kUsage);
    return 2;
  }

  FILE* f = stdout;
  if (!opt.out.empty() && opt.out != "-") {
    f = std::fopen(opt.out.c_str(), "wb");
    if (f == nullptr) {
      std::fprintf(stderr, "auditeql-loggen: %s: %s\n", opt.out.c_str(), std::strerror(errno));
      return 1;
    }
  }
  const auto start = std::chrono::steady_clock::now();
  Generator gen(opt, f);
  const bool ok = gen.run();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  gen.summary(seconds);
  if (f != stdout && std::fclose(f) != 0) return 1;
  if (!ok) {
    std::fprintf(stderr, "auditeql-loggen: write error\n");
    return 1;
  }
  return 0;
}
#endif  // LOGGEN_NO_MAIN
