// auparse-floor: the bare libauparse loop, the throughput floor for any
// auparse-based plugin.
//
// Reads FILE (or standard input) in 256 KiB chunks and feeds it to libauparse
// (AUSOURCE_FEED, escape mode RAW). For every completed event the callback walks
// every record and every field, reading each field's name and raw value; their
// lengths are summed into a checksum so the work cannot be optimized away.
// auparse_flush_feed() completes what is left at end of input; the events are
// never aged by the wall clock (no auparse_feed_age_events), so the result does
// not depend on how fast the input arrives.
//
// Usage: auparse-floor [FILE|-]
// Prints to standard error: records, events, fields, checksum, seconds,
// events/s, MB/s and peak RSS.
#include <auparse.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Counters {
  uint64_t events = 0;
  uint64_t records = 0;
  uint64_t fields = 0;
  uint64_t checksum = 0;
};

void on_event(auparse_state_t* au, auparse_cb_event_t type, void* user) {
  if (type != AUPARSE_CB_EVENT_READY) return;
  auto& c = *static_cast<Counters*>(user);
  ++c.events;
  if (auparse_first_record(au) <= 0) return;
  do {
    ++c.records;
    if (auparse_first_field(au) <= 0) continue;
    do {
      ++c.fields;
      const char* name = auparse_get_field_name(au);
      const char* value = auparse_get_field_str(au);
      if (name != nullptr) c.checksum += std::strlen(name);
      if (value != nullptr) c.checksum += std::strlen(value);
    } while (auparse_next_field(au) > 0);
  } while (auparse_next_record(au) > 0);
}

int usage() {
  std::fprintf(stderr, "Usage: auparse-floor [FILE|-]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = "-";
  if (argc > 2) return usage();
  if (argc == 2) {
    path = argv[1];
    if (path == "--help" || path == "-h") {
      usage();
      return 0;
    }
  }
  const bool from_stdin = path == "-";
  const int fd = from_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::fprintf(stderr, "auparse-floor: %s: %s\n", path.c_str(), std::strerror(errno));
    return 1;
  }

  auparse_state_t* au = auparse_init(AUSOURCE_FEED, nullptr);
  if (au == nullptr) {
    std::fprintf(stderr, "auparse-floor: auparse_init(AUSOURCE_FEED) failed\n");
    return 1;
  }
  auparse_set_escape_mode(au, AUPARSE_ESC_RAW);
  Counters counters;
  auparse_add_callback(au, on_event, &counters, nullptr);

  std::vector<char> buffer(256 * 1024);
  uint64_t bytes = 0;
  int status = 0;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      bytes += static_cast<uint64_t>(n);
      if (auparse_feed(au, buffer.data(), static_cast<size_t>(n)) != 0) {
        std::fprintf(stderr, "auparse-floor: auparse_feed failed\n");
        status = 1;
        break;
      }
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      std::fprintf(stderr, "auparse-floor: %s: %s\n", path.c_str(), std::strerror(errno));
      status = 1;
      break;
    }
  }
  auparse_flush_feed(au);
  const auto end = std::chrono::steady_clock::now();
  auparse_destroy(au);
  if (!from_stdin) ::close(fd);

  const double seconds = std::chrono::duration<double>(end - start).count();
  struct rusage usage_info {};
  getrusage(RUSAGE_SELF, &usage_info);
  const double mb = static_cast<double>(bytes) / 1e6;
  std::fprintf(stderr,
               "auparse-floor: %llu bytes, %llu records, %llu events, %llu fields, checksum %llu; "
               "%.3f s, %.0f events/s, %.1f MB/s, peak RSS %ld KiB\n",
               static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(counters.records),
               static_cast<unsigned long long>(counters.events), static_cast<unsigned long long>(counters.fields),
               static_cast<unsigned long long>(counters.checksum), seconds,
               seconds > 0 ? static_cast<double>(counters.events) / seconds : 0.0, seconds > 0 ? mb / seconds : 0.0,
               usage_info.ru_maxrss);
  return status;
}
