#pragma once
// Stage 2: record lines -> audit events, grouped by libauparse.
//
// libauparse (AUSOURCE_FEED) reassembles the records of each event, whatever
// their interleaving, and hands complete events to a callback. This class owns
// the auparse state, decodes the records auditeql needs into an AuditEvent
// and passes on only the events of a class auditeql uses (EventClass).
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "events/audit_event.h"
#include "records/record_stream.h"
#include "events/syscall_table.h"

// auparse.h declares `typedef struct opaque auparse_state_t`.
struct opaque;

namespace auditeql::events {

using AuparseState = ::opaque;

struct EventStats {
  uint64_t events = 0;          // events libauparse assembled
  uint64_t syscall_events = 0;  // ... with a SYSCALL record
  uint64_t execs = 0;
  uint64_t forks = 0;
  uint64_t file_creates = 0;
  uint64_t file_renames = 0;
  uint64_t file_deletes = 0;
  uint64_t sockets = 0;
  uint64_t connects = 0;        // including failed and in-progress ones
  uint64_t binds = 0;
  uint64_t accepts = 0;
  uint64_t id_changes = 0;      // set*uid and set*gid
  uint64_t session_changes = 0;
  uint64_t module_loads = 0;    // including failed ones
  uint64_t process_ends = 0;
  uint64_t signals = 0;
  uint64_t process_controls = 0;
  uint64_t local_sockets = 0;   // connects and accepts on Unix, netlink and other non-IP sockets
  uint64_t directory_opens = 0;
  uint64_t failed_execs = 0;    // success=no probes, never process starts
  uint64_t thread_clones = 0;   // clone(CLONE_THREAD): not a new process
  uint64_t malformed = 0;       // relevant events lacking a field they need
  uint64_t bad_values = 0;      // fields whose value could not be decoded
  uint64_t user_lookups = 0;    // uid and euid fields interpreted by libauparse (the user database, raw logs)
};

class AuparseGrouper {
 public:
  // Called for every relevant event. The event may be modified or moved from;
  // it is cleared before the next one.
  using Handler = std::function<void(AuditEvent&)>;

  explicit AuparseGrouper(Handler on_event);
  ~AuparseGrouper();
  AuparseGrouper(const AuparseGrouper&) = delete;
  AuparseGrouper& operator=(const AuparseGrouper&) = delete;

  // Hands whole record lines (each ending in '\n') to libauparse; events
  // completed by them are delivered before this returns.
  void feed(std::string_view records);
  // One record line without its newline (a convenience for tests and tools).
  void add_record(std::string_view line);
  // Live streams only: completes events whose records stopped arriving, by
  // the wall clock. Never call it while replaying old logs.
  void age_events();
  // End of input: completes and delivers everything still pending.
  void flush();

  const EventStats& stats() const { return stats_; }

  // What this stage reads of the records, for the record stage to leave
  // the rest out (records::RecordStream::set_compaction).
  static records::RecordNeeds records_read();

 private:
  static void on_ready(AuparseState* au, int cb_type, void* self);
  void extract(AuparseState* au);
  void read_syscall(AuparseState* au);
  void read_execve(AuparseState* au);
  void read_cwd(AuparseState* au);
  void read_path(AuparseState* au);
  void read_sockaddr(AuparseState* au);
  void read_kern_module(AuparseState* au);
  void finish_split_argument();
  void set_argument(uint64_t index, std::string&& value);
  void classify();
  EventClass class_of_syscall();
  void lookup_user_name(AuparseState* au, int64_t uid, std::string& out);
  void effective_user_name(AuparseState* au, int64_t euid, std::string& out);
  // decode_audit_value() that counts bad hex; true when there is a value.
  bool decode(std::string_view raw, std::string& out);

  AuparseState* au_ = nullptr;
  Handler on_event_;
  std::string line_;
  AuditEvent event_;
  SyscallTable syscalls_;
  EventStats stats_;

  // An argument split over aN[0], aN[1], ... pieces, possibly across records.
  struct SplitArgument {
    bool active = false;
    uint64_t index = 0;
    bool hex = false;
    std::string text;
  } split_;
  std::string scratch_;
  std::string saddr_bytes_;  // this event's SOCKADDR, decoded once the arch is known

  // (node, uid) keys, found without copying the node name.
  using NodeUid = std::pair<std::string_view, int64_t>;
  struct NodeUidLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return NodeUid(a.first, a.second) < NodeUid(b.first, b.second);
    }
  };
  using UserNames = std::map<std::pair<std::string, int64_t>, std::string, NodeUidLess>;
  // user.name per (node, uid) as the log's UID= gave it: looked up once, not per event.
  UserNames user_names_;
  // The local user database's name for an effective uid the log has not
  // named (yet): apart, so that a UID= the log gives later still wins.
  UserNames local_user_names_;
  UserNames::iterator remember_user_name(AuparseState* au, UserNames& names, int64_t uid);
  int64_t last_uid_ = kUnknownId;
  std::string last_node_;
  std::string last_user_name_;
};

enum class Decoded { Value, Null, BadHex };

// Decodes one audit field value into `out`: a quoted value loses its quotes,
// an unquoted value is hex for raw bytes. "(null)" and "(none)" stand for no
// value. Unquoted text that is not valid hex is kept verbatim (BadHex).
Decoded decode_audit_value(std::string_view raw, std::string& out);

// Decodes the bytes of a SOCKADDR saddr= (hex-decoded) into `out`. The
// family is in the host order of the audited machine (`little_endian`, from
// the record's arch), ports and IPv4/IPv6 addresses in network order. False
// when the bytes are too short for their family (out.family is then Other).
bool decode_sockaddr(std::string_view bytes, bool little_endian, SocketAddress& out);

}  // namespace auditeql::events
