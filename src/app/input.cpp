#include "app/input.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <vector>

#include "util/host.h"
#include "util/text.h"

namespace auditeql::app {

bool feed_input(const std::string& path, normalize::EventPipeline& pipeline, std::string& error) {
  const bool is_stdin = path == "-";
  const int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  std::vector<char> buffer(256 * 1024);
  bool ok = true;
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      pipeline.feed(std::string_view(buffer.data(), static_cast<size_t>(n)));
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      error = path + ": " + std::strerror(errno);
      ok = false;
      break;
    }
  }
  pipeline.end_of_file();
  if (!is_stdin) ::close(fd);
  return ok;
}

normalize::PipelineOptions pipeline_options(const std::string& host_name, const std::string& host_id,
                                            size_t process_table_size, size_t inode_map_size) {
  normalize::PipelineOptions options;
  options.normalizer.host_name = host_name;
  options.normalizer.host_id = host_id.empty() ? util::local_machine_id() : host_id;
  options.normalizer.process_table_capacity = process_table_size;
  options.normalizer.inode_map_capacity = inode_map_size;
  options.compaction = events::AuparseGrouper::records_read();
  return options;
}

uint64_t other_events(const normalize::NormalizeStats& n) {
  // module_loads counts attempts; one the kernel accepted is two documents.
  return n.file_deletions + n.connections_attempted + n.connections_accepted + n.id_changes + n.session_changes +
         n.module_loads + n.process_ends + n.signals + n.process_controls;
}

std::string describe(const normalize::PipelineStats& s) {
  using util::counted;
  std::ostringstream out;
  out << counted(s.records.records, "record");
  if (s.records.skipped() > 0) {
    out << " (" << counted(s.records.skipped(), "skipped line") << ": " << s.records.malformed << " malformed, "
        << s.records.oversized << " oversized, " << s.records.binary << " binary)";
  }
  out << ", " << counted(s.events.events, "event") << "; " << counted(s.normalized.process_starts, "process start")
      << ", " << counted(s.normalized.file_creations, "file creation") << ", "
      << counted(s.normalized.file_renames, "rename") << ", " << counted(s.normalized.forks, "fork") << "; "
      << counted(s.normalized.unknown_parents, "unknown parent");
  if (const uint64_t others = other_events(s.normalized); others > 0) {
    const auto& n = s.normalized;
    out << "; " << counted(others, "other event") << " (" << n.file_deletions << " deletions, "
        << n.connections_attempted << " connection attempts, " << n.connections_accepted << " accepted, "
        << n.id_changes << " id changes, " << n.session_changes << " session changes, " << n.module_loads
        << " module loads, " << n.process_ends << " process ends, " << n.signals << " signals, "
        << n.process_controls << " prctl)";
  }
  if (s.normalized.inferred_paths > 0) {
    out << ", " << counted(s.normalized.inferred_paths, "path") << " inferred from audit keys";
  }
  if (s.normalized.unresolved_paths > 0) out << ", " << counted(s.normalized.unresolved_paths, "unresolved path");
  // What made no event, or an event short of a field (EVENT-KINDS.md §2b, §5, §6).
  if (s.normalized.links_not_reported > 0) {
    out << ", " << counted(s.normalized.links_not_reported, "link or device node", "links or device nodes")
        << " not reported";
  }
  if (s.normalized.unchanged_ids > 0) {
    out << ", " << counted(s.normalized.unchanged_ids, "id call") << " that changed nothing";
  }
  if (s.normalized.accepts_unplaced > 0) {
    out << ", " << counted(s.normalized.accepts_unplaced, "accept") << " without the local end";
  }
  if (s.normalized.accepts_dropped > 0) {
    out << ", " << counted(s.normalized.accepts_dropped, "accept") << " on sockets not known as IP dropped";
  }
  if (s.events.malformed + s.events.bad_values > 0) {
    out << ", " << counted(s.events.malformed + s.events.bad_values, "malformed record") << " in events";
  }
  return out.str();
}

}  // namespace auditeql::app
