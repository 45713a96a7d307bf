#include "events/auparse_grouper.h"

#include <arpa/inet.h>
#include <auparse.h>
#include <libaudit.h>
#include <sys/socket.h>

#include <cstring>
#include <limits>
#include <stdexcept>

#include "util/text.h"

namespace auditeql::events {
namespace {

constexpr uint64_t kCloneThread = 0x00010000;
// A record naming an index far beyond what was seen is corrupt; filling the
// gap would let one line allocate without bound.
constexpr uint64_t kMaxIndexGap = 64;
// 9999-12-31T23:59:59Z: later record times are corrupt.
constexpr int64_t kMaxEpochSeconds = 253402300799;

// Number parsers for the C strings libauparse hands out: no strlen, no
// std::optional, and a well-defined answer for garbage.
// Digits of a C string, overflow-checked: false for no digits, a trailing
// non-digit or a value above UINT64_MAX.
bool accumulate_digits(const char* s, uint64_t& value) {
  value = 0;
  if (*s < '0' || *s > '9') return false;
  for (; *s >= '0' && *s <= '9'; ++s) {
    if (__builtin_mul_overflow(value, 10u, &value) || __builtin_add_overflow(value, uint64_t(*s - '0'), &value)) {
      return false;
    }
  }
  return *s == '\0';
}

int64_t parse_decimal_cstr(const char* s) {
  const bool negative = *s == '-';
  uint64_t value = 0;
  if (!accumulate_digits(negative ? s + 1 : s, value)) return kUnknownId;
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (value > kMax + (negative ? 1 : 0)) return kUnknownId;
  // Negating in unsigned arithmetic keeps INT64_MIN well defined.
  return negative ? static_cast<int64_t>(0 - value) : static_cast<int64_t>(value);
}

uint64_t parse_unsigned_cstr(const char* s, bool& ok) {
  uint64_t value = 0;
  ok = accumulate_digits(s, value);
  return ok ? value : 0;
}

uint64_t parse_hex_cstr(const char* s) {
  uint64_t value = 0;
  int digits = 0;
  for (int d; (d = util::hex_digit(*s)) >= 0; ++s) {
    if (++digits > 16) return 0;
    value = (value << 4) | static_cast<uint64_t>(d);
  }
  return *s == '\0' ? value : 0;
}

uint64_t parse_octal_cstr(const char* s) {
  uint64_t value = 0;
  int digits = 0;
  for (; *s >= '0' && *s <= '7'; ++s) {
    if (++digits > 22) return 0;
    value = (value << 3) | static_cast<uint64_t>(*s - '0');
  }
  return *s == '\0' ? value : 0;
}

std::string_view field_value(auparse_state_t* au) {
  const char* v = auparse_get_field_str(au);
  return v ? std::string_view(v) : std::string_view();
}

// "a12" -> 12, "a12_len" -> 12 with suffix "_len", "a12[3]" -> 12 with suffix "[3]".
bool parse_arg_name(std::string_view name, uint64_t& index, std::string_view& suffix) {
  if (name.size() < 2 || name[0] != 'a') return false;
  size_t i = 1;
  while (i < name.size() && name[i] >= '0' && name[i] <= '9') ++i;
  if (i == 1 || i > 8) return false;
  index = util::parse_uint(name.substr(1, i - 1)).value_or(0);
  suffix = name.substr(i);
  return true;
}

NameType parse_nametype(std::string_view v) {
  if (v == "NORMAL") return NameType::Normal;
  if (v == "PARENT") return NameType::Parent;
  if (v == "CREATE") return NameType::Create;
  if (v == "DELETE") return NameType::Delete;
  if (v == "UNKNOWN") return NameType::Unknown;
  return NameType::Other;
}

// dev=fe:00 -> (0xfe << 32) | 0x00
uint64_t parse_dev(std::string_view v) {
  const size_t colon = v.find(':');
  if (colon == std::string_view::npos) return 0;
  const uint64_t major = util::parse_uint(v.substr(0, colon), 16).value_or(0);
  const uint64_t minor = util::parse_uint(v.substr(colon + 1), 16).value_or(0);
  return (major << 32) | (minor & 0xffffffffu);
}

bool is_creation(SyscallKind k) {
  switch (k) {
    case SyscallKind::Open: case SyscallKind::Openat: case SyscallKind::Openat2: case SyscallKind::Creat:
    case SyscallKind::Mkdir: case SyscallKind::Mkdirat: case SyscallKind::Mknod: case SyscallKind::Mknodat:
    case SyscallKind::Link: case SyscallKind::Linkat: case SyscallKind::Symlink: case SyscallKind::Symlinkat:
      return true;
    default:
      return false;
  }
}

bool is_rename(SyscallKind k) {
  return k == SyscallKind::Rename || k == SyscallKind::Renameat || k == SyscallKind::Renameat2;
}

bool has_nametype(const AuditEvent& ev, NameType type) {
  for (const auto& p : ev.paths) {
    if (p.nametype == type) return true;
  }
  return false;
}

bool is_ip(const SocketAddress& a) { return a.family == SocketFamily::Inet || a.family == SocketFamily::Inet6; }

uint16_t read_u16(const unsigned char* p, bool little_endian) {
  return little_endian ? static_cast<uint16_t>(p[0] | p[1] << 8) : static_cast<uint16_t>(p[0] << 8 | p[1]);
}

uint32_t read_u32(const unsigned char* p, bool little_endian) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(p[little_endian ? i : 3 - i]) << (8 * i);
  return v;
}

// inet_ntop (glibc) gives the canonical text forms ECS ip fields hold.
void format_ip(int af, const unsigned char* bytes, std::string& out) {
  char text[INET6_ADDRSTRLEN];
  out = inet_ntop(af, bytes, text, sizeof(text)) != nullptr ? text : "";
}

bool is_open(SyscallKind k) { return k == SyscallKind::Open || k == SyscallKind::Openat || k == SyscallKind::Openat2; }

// An open that created nothing and whose object is a directory: what
// opendir(), `tar -C DIR` and `cp FILE DIR/` do before creating names
// relative to the descriptor (they are recorded when an audit rule asks for
// directory opens, see rules.d/auditeql.rules).
bool opens_directory(const AuditEvent& ev) {
  if (!is_open(ev.syscall_kind)) return false;
  bool directory = false;
  for (const auto& p : ev.paths) {
    if (p.nametype == NameType::Create) return false;
    directory = directory || (p.nametype == NameType::Normal && p.is_directory() && p.has_name && p.has_inode);
  }
  return directory;
}

}  // namespace

bool decode_sockaddr(std::string_view bytes, bool little_endian, SocketAddress& out) {
  out.clear();
  if (bytes.size() < 2) {
    out.family = SocketFamily::Other;
    return false;
  }
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  out.raw_family = read_u16(b, little_endian);
  switch (out.raw_family) {
    case AF_UNIX: {
      out.family = SocketFamily::Unix;
      const std::string_view name = bytes.substr(2);
      // An abstract name is every byte after its leading NUL; a path ends at
      // its NUL (callers may pass the whole sockaddr_un, tail garbage and all).
      out.abstract = !name.empty() && name.front() == '\0';
      out.path.assign(out.abstract ? name.substr(1) : name.substr(0, name.find('\0')));
      return true;
    }
    case AF_INET:
      if (bytes.size() < 8) break;
      out.family = SocketFamily::Inet;
      out.port = read_u16(b + 2, false);
      format_ip(AF_INET, b + 4, out.ip);
      return true;
    case AF_INET6: {
      if (bytes.size() < 24) break;
      out.family = SocketFamily::Inet6;
      out.port = read_u16(b + 2, false);
      const unsigned char* addr = b + 8;
      static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
      // Elasticsearch stores ::ffff:a.b.c.d as the IPv4 address a.b.c.d.
      out.v4_mapped = std::memcmp(addr, kMappedPrefix, sizeof(kMappedPrefix)) == 0;
      if (out.v4_mapped) {
        format_ip(AF_INET, addr + 12, out.ip);
      } else {
        format_ip(AF_INET6, addr, out.ip);
      }
      return true;
    }
    case AF_NETLINK:
      if (bytes.size() < 8) break;
      out.family = SocketFamily::Netlink;
      out.netlink_pid = read_u32(b + 4, little_endian);
      return true;
    default:
      out.family = SocketFamily::Other;
      return true;
  }
  out.family = SocketFamily::Other;
  return false;
}

records::RecordNeeds AuparseGrouper::records_read() {
  records::RecordNeeds needs;
  // BPRM_FCAPS (file capabilities of an exec) is read by nothing; PROCTITLE
  // (the command line, cut at 128 bytes) only ends its event: the EXECVE
  // records have the whole arguments.
  needs.unread_types = {"BPRM_FCAPS"};
  needs.end_of_event_types = {"PROCTITLE"};
  // The fields read_syscall() and read_path() read; UID= of the ENRICHED
  // tail is the user name as the logging host knew it (lookup_user_name).
  // EUID= is left out: it would cost every record a token (and libauparse a
  // field) for a name that is nearly always UID='s (effective_user_name).
  needs.selective = {
      {"SYSCALL",
       {"arch", "syscall", "success", "exit", "a0", "a1", "a2", "a3", "pid", "ppid", "uid", "euid", "gid", "egid",
        "tty", "comm", "exe", "key"},
       {"UID"}},
      {"PATH", {"item", "name", "nametype", "inode", "dev", "mode"}, {}},
  };
  return needs;
}

Decoded decode_audit_value(std::string_view raw, std::string& out) {
  out.clear();
  if (raw == "(null)" || raw == "(none)") return Decoded::Null;
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
    out.assign(raw.substr(1, raw.size() - 2));
    return Decoded::Value;
  }
  if (util::append_hex_decoded(raw, out)) return Decoded::Value;
  out.assign(raw);
  return Decoded::BadHex;
}

bool AuparseGrouper::decode(std::string_view raw, std::string& out) {
  const Decoded result = decode_audit_value(raw, out);
  if (result == Decoded::BadHex) ++stats_.bad_values;
  return result != Decoded::Null;
}

AuparseGrouper::AuparseGrouper(Handler on_event) : on_event_(std::move(on_event)) {
  au_ = auparse_init(AUSOURCE_FEED, nullptr);
  if (au_ == nullptr) throw std::runtime_error("libauparse: auparse_init(AUSOURCE_FEED) failed");
  // Values are decoded here from the raw fields; should any interpretation be
  // used it must keep the raw bytes rather than TTY-escape them.
  auparse_set_escape_mode(au_, AUPARSE_ESC_RAW);
  auparse_add_callback(
      au_, [](auparse_state_t* au, auparse_cb_event_t type, void* self) { on_ready(au, type, self); }, this,
      nullptr);
}

AuparseGrouper::~AuparseGrouper() {
  if (au_ != nullptr) auparse_destroy(au_);
}

void AuparseGrouper::feed(std::string_view records) {
  if (!records.empty()) auparse_feed(au_, records.data(), records.size());
}

void AuparseGrouper::add_record(std::string_view line) {
  line_.assign(line);
  line_ += '\n';
  feed(line_);
}

void AuparseGrouper::age_events() { auparse_feed_age_events(au_); }

void AuparseGrouper::flush() { auparse_flush_feed(au_); }

void AuparseGrouper::on_ready(AuparseState* au, int cb_type, void* self) {
  if (cb_type != AUPARSE_CB_EVENT_READY) return;
  static_cast<AuparseGrouper*>(self)->extract(au);
}

void AuparseGrouper::extract(auparse_state_t* au) {
  ++stats_.events;
  event_.clear();
  split_ = SplitArgument{};
  const au_event_t* stamp = auparse_get_timestamp(au);
  if (stamp == nullptr) return;
  // A corrupt record can carry any 20-digit time: outside 1970..9999 it would
  // overflow the milliseconds (and every later time computation).
  if (stamp->sec < 0 || stamp->sec > kMaxEpochSeconds || stamp->milli > 999) {
    ++stats_.malformed;
    return;
  }
  saddr_bytes_.clear();
  event_.serial = stamp->serial;
  event_.time_ms = static_cast<int64_t>(stamp->sec) * 1000 + stamp->milli;
  if (stamp->host != nullptr) event_.node = stamp->host;
  if (auparse_first_record(au) <= 0) return;
  do {
    switch (auparse_get_type(au)) {
      case AUDIT_SYSCALL:
        read_syscall(au);
        // Nothing else in an uninteresting syscall event matters.
        if (event_.syscall_kind == SyscallKind::Other) return;
        break;
      case AUDIT_EXECVE: read_execve(au); break;
      case AUDIT_CWD: read_cwd(au); break;
      case AUDIT_PATH: read_path(au); break;
      case AUDIT_SOCKADDR: read_sockaddr(au); break;
      case AUDIT_KERN_MODULE: read_kern_module(au); break;
      default: break;
    }
  } while (auparse_next_record(au) > 0);
  finish_split_argument();
  classify();
  if (event_.event_class != EventClass::Other) on_event_(event_);
}

void AuparseGrouper::read_syscall(auparse_state_t* au) {
  event_.has_syscall = true;
  ++stats_.syscall_events;
  if (auparse_first_field(au) <= 0) return;
  // The record stage leaves out every field not in records_read(): a field
  // newly read here must be listed there too.
  // a0..a3 matter only for some syscalls, which are known once syscall= is
  // read: keep their text until the record is done.
  const char* raw_args[4] = {nullptr, nullptr, nullptr, nullptr};
  do {
    const char* n = auparse_get_field_name(au);
    const char* v = auparse_get_field_str(au);
    if (n == nullptr || v == nullptr) continue;
    // Dispatch on the first letter: this runs for every exec and fork on the host.
    switch (n[0]) {
      case 'a':
        if (n[1] >= '0' && n[1] <= '3' && n[2] == '\0') {
          raw_args[n[1] - '0'] = v;
        } else if (std::strcmp(n, "arch") == 0) {
          event_.arch = static_cast<uint32_t>(parse_hex_cstr(v));
        }
        break;
      case 's':
        if (std::strcmp(n, "syscall") == 0) {
          event_.syscall = parse_decimal_cstr(v);
        } else if (std::strcmp(n, "success") == 0) {
          event_.has_result = true;
          event_.success = std::strcmp(v, "yes") == 0;
        }
        break;
      case 'e':
        if (std::strcmp(n, "exit") == 0) {
          event_.exit_code = parse_decimal_cstr(v);
        } else if (std::strcmp(n, "exe") == 0) {
          decode(v, event_.exe);
        } else if (std::strcmp(n, "euid") == 0) {
          event_.euid = parse_decimal_cstr(v);
          // uid= comes first in the record: the effective user is usually the same one.
          if (event_.euid == event_.uid) {
            event_.effective_user_name = event_.user_name;
          } else if (event_.euid >= 0) {
            effective_user_name(au, event_.euid, event_.effective_user_name);
          }
        } else if (std::strcmp(n, "egid") == 0) {
          event_.egid = parse_decimal_cstr(v);
        }
        break;
      case 'p':
        if (std::strcmp(n, "pid") == 0) {
          event_.pid = parse_decimal_cstr(v);
        } else if (std::strcmp(n, "ppid") == 0) {
          event_.ppid = parse_decimal_cstr(v);
        }
        break;
      case 'u':
        if (std::strcmp(n, "uid") == 0) {
          event_.uid = parse_decimal_cstr(v);
          if (event_.uid >= 0) lookup_user_name(au, event_.uid, event_.user_name);
        }
        break;
      case 'g':
        if (std::strcmp(n, "gid") == 0) event_.gid = parse_decimal_cstr(v);
        break;
      case 'c':
        if (std::strcmp(n, "comm") == 0) decode(v, event_.comm);
        break;
      case 't':
        // The kernel prints the terminal's name bare ("pts0"): not hex.
        if (std::strcmp(n, "tty") == 0 && std::strcmp(v, "(none)") != 0) event_.tty = v;
        break;
      case 'k':
        // Several keys arrive as several key fields; the first one names the rule.
        if (std::strcmp(n, "key") == 0 && event_.key.empty()) decode(v, event_.key);
        break;
      default:
        break;
    }
  } while (auparse_next_field(au) > 0);
  event_.syscall_kind = syscalls_.lookup(event_.arch, event_.syscall, &event_.syscall_name);
  if (event_.syscall_kind != SyscallKind::Execve && event_.syscall_kind != SyscallKind::Other) {
    for (int i = 0; i < 4; ++i) {
      if (raw_args[i] != nullptr) event_.args[i] = parse_hex_cstr(raw_args[i]);
    }
  }
}

void AuparseGrouper::lookup_user_name(auparse_state_t* au, int64_t uid, std::string& out) {
  // Nearly every event repeats the previous one's (node, uid).
  if (uid == last_uid_ && event_.node == last_node_) {
    out = last_user_name_;
    return;
  }
  auto it = user_names_.find(NodeUid(event_.node, uid));
  if (it == user_names_.end()) {
    // Enriched logs carry UID="name" (used as is); raw ones make libauparse
    // ask the local user database, which is right for the live host.
    it = remember_user_name(au, user_names_, uid);
  }
  last_uid_ = uid;
  last_node_ = event_.node;
  last_user_name_ = it->second;
  out = it->second;
}

// The name of an effective uid that differs from the real one: the name this
// log's UID= gave that id (root's, for a setuid-root program, nearly always
// known), else libauparse's lookup in the local user database (the EUID= token
// is not kept: records_read()), made once per (node, euid) and kept apart so
// that it never stands for a name the log gives later.
void AuparseGrouper::effective_user_name(auparse_state_t* au, int64_t euid, std::string& out) {
  const NodeUid key(event_.node, euid);
  if (const auto it = user_names_.find(key); it != user_names_.end()) {
    out = it->second;
    return;
  }
  auto it = local_user_names_.find(key);
  if (it == local_user_names_.end()) it = remember_user_name(au, local_user_names_, euid);
  out = it->second;
}

// libauparse's name for the current field (a uid of event_.node), remembered
// in `names` (at most 4096: a burst of distinct ids starts it afresh).
AuparseGrouper::UserNames::iterator AuparseGrouper::remember_user_name(auparse_state_t* au, UserNames& names,
                                                                       int64_t uid) {
  ++stats_.user_lookups;
  std::string name;
  if (const char* interpreted = auparse_interpret_field(au)) {
    name = interpreted;
    if (name == "unset" || name.rfind("unknown(", 0) == 0) name.clear();
  }
  if (names.size() >= 4096) names.clear();
  return names.emplace(std::make_pair(event_.node, uid), std::move(name)).first;
}

void AuparseGrouper::set_argument(uint64_t index, std::string&& value) {
  if (index < event_.argv.size()) {
    event_.argv[index] = std::move(value);
    return;
  }
  if (index > event_.argv.size() + kMaxIndexGap) {
    ++stats_.bad_values;
    return;
  }
  event_.argv.resize(index);
  event_.argv.push_back(std::move(value));
}

void AuparseGrouper::finish_split_argument() {
  if (!split_.active) return;
  split_.active = false;
  std::string value;
  if (split_.hex) {
    if (!util::append_hex_decoded(split_.text, value)) {
      ++stats_.bad_values;
      value = split_.text;
    }
  } else {
    value = std::move(split_.text);
  }
  set_argument(split_.index, std::move(value));
  split_.text.clear();
}

void AuparseGrouper::read_execve(auparse_state_t* au) {
  event_.has_execve = true;
  if (auparse_first_field(au) <= 0) return;
  do {
    const char* name = auparse_get_field_name(au);
    if (name == nullptr) continue;
    uint64_t index = 0;
    std::string_view suffix;
    if (!parse_arg_name(name, index, suffix)) continue;  // argc, type, node
    const std::string_view v = field_value(au);
    if (suffix.empty()) {
      finish_split_argument();
      std::string value;
      decode(v, value);
      set_argument(index, std::move(value));
    } else if (suffix == "_len") {
      finish_split_argument();
      split_ = SplitArgument{true, index, false, {}};
    } else if (suffix.front() == '[') {
      if (!split_.active || split_.index != index) {
        // A piece without its aN_len announcement: start collecting anyway.
        finish_split_argument();
        split_ = SplitArgument{true, index, false, {}};
      }
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
        split_.text.append(v.substr(1, v.size() - 2));
      } else {
        split_.hex = true;
        split_.text.append(v);
      }
    }
  } while (auparse_next_field(au) > 0);
}

void AuparseGrouper::read_cwd(auparse_state_t* au) {
  if (const char* v = auparse_find_field(au, "cwd")) {
    event_.has_cwd = decode(v, event_.cwd);
  }
}

void AuparseGrouper::read_path(auparse_state_t* au) {
  auto& paths = event_.paths;
  PathItem item;
  int64_t index = -1;
  if (auparse_first_field(au) <= 0) return;
  do {
    const char* n = auparse_get_field_name(au);
    const char* v = auparse_get_field_str(au);
    if (n == nullptr || v == nullptr) continue;
    switch (n[0]) {
      case 'i':
        if (std::strcmp(n, "item") == 0) {
          index = parse_decimal_cstr(v);
        } else if (std::strcmp(n, "inode") == 0) {
          bool ok = false;
          item.inode = parse_unsigned_cstr(v, ok);
          item.has_inode = ok;
        }
        break;
      case 'n':
        if (std::strcmp(n, "name") == 0) {
          item.has_name = decode(v, item.name);
        } else if (std::strcmp(n, "nametype") == 0) {
          item.nametype = parse_nametype(v);
        }
        break;
      case 'd':
        if (std::strcmp(n, "dev") == 0) item.dev = parse_dev(v);
        break;
      case 'm':
        if (std::strcmp(n, "mode") == 0) item.mode = static_cast<uint32_t>(parse_octal_cstr(v));
        break;
      default:
        break;
    }
  } while (auparse_next_field(au) > 0);
  if (index < 0 || static_cast<uint64_t>(index) > paths.size() + kMaxIndexGap) {
    ++stats_.bad_values;
    return;
  }
  const auto slot = static_cast<size_t>(index);
  if (slot >= paths.size()) paths.resize(slot + 1);
  paths[slot] = std::move(item);
}

void AuparseGrouper::read_sockaddr(auparse_state_t* au) {
  const char* v = auparse_find_field(au, "saddr");
  if (v == nullptr) return;
  // Decoded in classify(), when the arch (the byte order) is sure to be known.
  saddr_bytes_.clear();
  if (!util::append_hex_decoded(v, saddr_bytes_)) {
    ++stats_.bad_values;
    saddr_bytes_.clear();
    return;
  }
  event_.has_sockaddr = true;
}

void AuparseGrouper::read_kern_module(auparse_state_t* au) {
  if (const char* v = auparse_find_field(au, "name")) event_.has_module_name = decode(v, event_.module_name);
}

// Which class a relevant syscall's event belongs to, from its records;
// Other when it is none (a failed call that changed nothing, a socket that
// is not IP...). What each class requires is in EVENT-KINDS.md.
EventClass AuparseGrouper::class_of_syscall() {
  auto& ev = event_;
  const SyscallKind k = ev.syscall_kind;
  switch (k) {
    case SyscallKind::Execve:
    case SyscallKind::Execveat:
      if (!ev.success) {
        ++stats_.failed_execs;
        return EventClass::Other;
      }
      return EventClass::Exec;
    case SyscallKind::Clone:
    case SyscallKind::Clone3:
    case SyscallKind::Fork:
    case SyscallKind::Vfork:
      if (!ev.success || ev.exit_code <= 0 || ev.pid < 0) return EventClass::Other;
      if (k == SyscallKind::Clone && (ev.args[0] & kCloneThread) != 0) {
        ++stats_.thread_clones;
        return EventClass::Other;
      }
      return EventClass::Fork;
    case SyscallKind::Unlink:
    case SyscallKind::Unlinkat:
    case SyscallKind::Rmdir:
      // A failed rmdir (ENOTEMPTY) still has its DELETE item.
      return ev.success && has_nametype(ev, NameType::Delete) ? EventClass::FileDelete : EventClass::Other;
    case SyscallKind::Socket:
      return ev.success ? EventClass::SocketCreate : EventClass::Other;
    case SyscallKind::Connect:
    case SyscallKind::Bind:
    case SyscallKind::Accept:
    case SyscallKind::Accept4: {
      // A non-blocking connect fails with EINPROGRESS while the handshake goes
      // on: a connect is an attempt whatever its result.
      if (k != SyscallKind::Connect && !ev.success) return EventClass::Other;
      const bool accept = k == SyscallKind::Accept || k == SyscallKind::Accept4;
      // accept(fd, NULL, NULL) records no SOCKADDR: the peer is unknown, not absent.
      if (!ev.has_sockaddr) return accept ? EventClass::NetworkAccept : EventClass::Other;
      if (!is_ip(ev.sockaddr)) {
        ++stats_.local_sockets;
        return EventClass::Other;
      }
      return k == SyscallKind::Connect ? EventClass::NetworkConnect
             : k == SyscallKind::Bind  ? EventClass::NetworkBind
                                       : EventClass::NetworkAccept;
    }
    case SyscallKind::Setuid:
    case SyscallKind::Setreuid:
    case SyscallKind::Setresuid:
      return ev.success ? EventClass::UidChange : EventClass::Other;
    case SyscallKind::Setgid:
    case SyscallKind::Setregid:
    case SyscallKind::Setresgid:
      return ev.success ? EventClass::GidChange : EventClass::Other;
    case SyscallKind::Setsid:
      return ev.success ? EventClass::SessionChange : EventClass::Other;
    // These three keep failures: Auditd Manager reports them with
    // auditd.result "fail", and its rules do not look at the result.
    case SyscallKind::InitModule:
    case SyscallKind::FinitModule:
      return EventClass::ModuleLoad;
    case SyscallKind::Kill:
    case SyscallKind::Tkill:
    case SyscallKind::Tgkill:
      return EventClass::Signal;
    case SyscallKind::Prctl:
      return EventClass::ProcessControl;
    case SyscallKind::ExitGroup:
      // exit_group never returns: its record has no success= or exit=.
      return EventClass::ProcessEnd;
    default:
      break;
  }
  if (!ev.success || !(is_creation(k) || is_rename(k))) return EventClass::Other;
  if (opens_directory(ev)) return EventClass::DirectoryOpen;
  if (!has_nametype(ev, NameType::Create)) return EventClass::Other;
  return is_rename(k) ? EventClass::FileRename : EventClass::FileCreate;
}

void AuparseGrouper::classify() {
  auto& ev = event_;
  if (!ev.has_syscall) return;
  if (ev.has_sockaddr) {
    const bool little_endian = (ev.arch & __AUDIT_ARCH_LE) != 0;
    if (!decode_sockaddr(saddr_bytes_, little_endian, ev.sockaddr)) ++stats_.bad_values;
  }
  const EventClass cls = class_of_syscall();
  if (cls == EventClass::Other) return;
  if (ev.pid < 0) {
    ++stats_.malformed;
    return;
  }
  ev.event_class = cls;
  switch (cls) {
    case EventClass::Exec: ++stats_.execs; break;
    case EventClass::Fork: ++stats_.forks; break;
    case EventClass::FileCreate: ++stats_.file_creates; break;
    case EventClass::FileRename: ++stats_.file_renames; break;
    case EventClass::FileDelete: ++stats_.file_deletes; break;
    case EventClass::SocketCreate: ++stats_.sockets; break;
    case EventClass::NetworkConnect: ++stats_.connects; break;
    case EventClass::NetworkBind: ++stats_.binds; break;
    case EventClass::NetworkAccept: ++stats_.accepts; break;
    case EventClass::UidChange:
    case EventClass::GidChange: ++stats_.id_changes; break;
    case EventClass::SessionChange: ++stats_.session_changes; break;
    case EventClass::ModuleLoad: ++stats_.module_loads; break;
    case EventClass::ProcessEnd: ++stats_.process_ends; break;
    case EventClass::Signal: ++stats_.signals; break;
    case EventClass::ProcessControl: ++stats_.process_controls; break;
    case EventClass::DirectoryOpen: ++stats_.directory_opens; break;
    case EventClass::Other: break;
  }
}

}  // namespace auditeql::events
