#include "events/auparse_grouper.h"

#include <auparse.h>
#include <libaudit.h>

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

bool is_fork(SyscallKind k) {
  return k == SyscallKind::Clone || k == SyscallKind::Clone3 || k == SyscallKind::Fork || k == SyscallKind::Vfork;
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
  // The record stage leaves out the fields read by neither this nor
  // read_path (kUnreadSyscallFields and kUnreadPathFields in
  // record_stream.cpp): a field newly read here must come off those lists.
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
      case 'k':
        // Several keys arrive as several key fields; the first one names the rule.
        if (std::strcmp(n, "key") == 0 && event_.key.empty()) decode(v, event_.key);
        break;
      default:
        break;
    }
  } while (auparse_next_field(au) > 0);
  event_.syscall_kind = syscalls_.lookup(event_.arch, event_.syscall);
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
  auto key = std::make_pair(event_.node, uid);
  auto it = user_names_.find(key);
  if (it == user_names_.end()) {
    // Enriched logs carry UID="name" (used as is); raw ones make libauparse
    // ask the local user database, which is right for the live host.
    std::string name;
    if (const char* interpreted = auparse_interpret_field(au)) {
      name = interpreted;
      if (name == "unset" || name.rfind("unknown(", 0) == 0) name.clear();
    }
    if (user_names_.size() >= 4096) user_names_.clear();
    it = user_names_.emplace(std::move(key), std::move(name)).first;
  }
  last_uid_ = uid;
  last_node_ = event_.node;
  last_user_name_ = it->second;
  out = it->second;
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

void AuparseGrouper::classify() {
  auto& ev = event_;
  if (!ev.has_syscall) return;
  const SyscallKind k = ev.syscall_kind;
  if (k == SyscallKind::Execve || k == SyscallKind::Execveat) {
    if (!ev.success) {
      ++stats_.failed_execs;
      return;
    }
    if (ev.pid < 0) {
      ++stats_.malformed;
      return;
    }
    ev.event_class = EventClass::Exec;
    ++stats_.execs;
    return;
  }
  if (is_fork(k)) {
    if (!ev.success || ev.exit_code <= 0 || ev.pid < 0) return;
    if (k == SyscallKind::Clone && (ev.args[0] & kCloneThread) != 0) {
      ++stats_.thread_clones;
      return;
    }
    ev.event_class = EventClass::Fork;
    ++stats_.forks;
    return;
  }
  if (!ev.success || !(is_creation(k) || is_rename(k))) return;
  if (opens_directory(ev)) {
    ev.event_class = EventClass::DirectoryOpen;
    ++stats_.directory_opens;
    return;
  }
  bool creates = false;
  for (const auto& p : ev.paths) creates = creates || p.nametype == NameType::Create;
  if (!creates) return;
  if (ev.pid < 0) {
    ++stats_.malformed;
    return;
  }
  ev.event_class = is_rename(k) ? EventClass::FileRename : EventClass::FileCreate;
  ++(is_rename(k) ? stats_.file_renames : stats_.file_creates);
}

}  // namespace auditeql::events
