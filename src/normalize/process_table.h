#pragma once
// What each live pid is running and who it is, learned from its events.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ecs/event.h"
#include "util/lru_map.h"

namespace auditeql::normalize {

// Ids as the kernel keeps them (uid_t, gid_t); kUnknown when not known.
struct Credentials {
  static constexpr uint32_t kUnknown = UINT32_MAX;  // (uid_t)-1 is never a process's id
  uint32_t uid = kUnknown;
  uint32_t euid = kUnknown;
  uint32_t gid = kUnknown;
  uint32_t egid = kUnknown;
};

// What the socket syscalls taught about one descriptor of a process: the
// transport from socket(), the local end from bind() (or /proc).
struct SocketInfo {
  enum class Transport : uint8_t { Unknown, Tcp, Udp };
  int32_t fd = -1;
  Transport transport = Transport::Unknown;
  bool close_on_exec = false;
  bool has_local = false;
  // /proc was asked for the local end and had none (a Unix socket, as often as
  // not): not asked again for this descriptor.
  bool local_unknown = false;
  bool local_ipv6 = false;
  uint16_t local_port = 0;
  std::string local_ip;
};
// A process's IP sockets, most recent last; shared with its forked children
// until one of them changes it (copy on write).
using SocketList = std::vector<SocketInfo>;

struct ProcessEntry {
  ecs::ProcessImagePtr image;  // null: nothing known of what it runs
  // `image` is only the record's exe= (a process seen in the log without its
  // exec): good enough for its own events, not passed on as a parent image.
  bool image_from_exe = false;
  bool from_exec = false;    // the image was set by an exec (else inherited through a fork, or read)
  int8_t interactive = -1;   // has a controlling terminal; -1 unknown
  // Event time of the exec or fork that set the image, or of the first event
  // that showed the process (a record_fork stamped earlier leaves it be).
  int64_t since_ms = 0;
  uint64_t start_time = 0;   // /proc start time when seeded from /proc (0 otherwise); guards pid reuse
  ecs::EntityId entity;      // empty until the normalizer assigns it
  Credentials credentials;   // as of the process's latest event
  std::shared_ptr<SocketList> sockets;  // null: none known

  // The image to show as the parent of another process.
  const ecs::ProcessImagePtr& parent_image() const {
    static const ecs::ProcessImagePtr kNone;
    return image_from_exe ? kNone : image;
  }
};

// Bounded like an LRU cache, but segmented: a process that has been looked
// up (as the parent of an exec, a forker, a file creator) moves to a
// protected segment of up to half the capacity, so that a storm of
// short-lived processes that are never anyone's parent cannot push out the
// idle shell whose next child is the one that matters. Processes whose exit
// is not audited are only ever evicted, never removed.
//
// A pointer returned by find() or put() is valid until the next call that
// changes the table (any find, put, record_*, erase).
class ProcessTable {
 public:
  static constexpr size_t kDefaultCapacity = 32768;

  explicit ProcessTable(size_t capacity = kDefaultCapacity);

  // Marks the entry recently used (and protects it: see above).
  ProcessEntry* find(int64_t pid);
  // Without touching the recency order.
  ProcessEntry* peek(int64_t pid);

  // pid exec'd: the same process with a new image. It keeps its identity,
  // credentials and sockets, except those opened close-on-exec.
  ProcessEntry& record_exec(int64_t pid, ecs::ProcessImagePtr image, int64_t time_ms);

  // `parent` forked `child`, a new process (`entity`) which inherits the
  // parent's current image, ids and sockets. A fork reported after the child's
  // own events (the clone record of the parent can arrive later than its
  // child's exec) must not undo them: an entry seen since `time_ms` keeps its
  // identity, ids and exec'd image.
  void record_fork(int64_t child, const ProcessEntry& parent, int64_t time_ms, ecs::EntityId entity = {});

  ProcessEntry& put(int64_t pid, ProcessEntry entry);
  // The process ended: its pid names nothing until it is reused.
  void erase(int64_t pid);

  size_t size() const { return probation_.size() + protected_.size(); }
  size_t capacity() const { return capacity_; }
  // A reload may change the bound: shrinking evicts as a full table would.
  void set_capacity(size_t capacity);
  uint64_t evictions() const { return evictions_; }

 private:
  void make_room();

  size_t capacity_;
  util::LruMap<int64_t, ProcessEntry> probation_;  // new entries
  util::LruMap<int64_t, ProcessEntry> protected_;  // entries looked up since they were added
  uint64_t evictions_ = 0;
};

// The sockets of `entry`, ready to change: created when absent, copied when
// shared with another process.
SocketList& writable_sockets(ProcessEntry& entry);
// The socket known for `fd`, or null.
const SocketInfo* find_socket(const ProcessEntry& entry, int32_t fd);

}  // namespace auditeql::normalize
