#pragma once
// Alerts appended to a file as NDJSON, for hosts that ship files. Reopened on
// SIGHUP so logrotate can move it away.
#include <string>

#include "sinks/sink.h"

namespace auditeql::sinks {

class FileSink : public AlertSink {
 public:
  // Throws std::runtime_error when the file cannot be opened.
  explicit FileSink(std::string path);
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  void write(const alerts::Alert& alert) override;
  void reopen() override;
  uint64_t write_errors() const { return write_errors_; }

 private:
  int open_file() const;

  std::string path_;
  int fd_ = -1;
  std::string line_;
  uint64_t write_errors_ = 0;
};

// Alerts to a file descriptor (standard output for `auditeql replay`).
class StreamSink : public AlertSink {
 public:
  explicit StreamSink(int fd) : fd_(fd) {}
  ~StreamSink() override { flush(); }
  void write(const alerts::Alert& alert) override;
  void flush() override;
  bool ok() const { return ok_; }

 private:
  int fd_;
  std::string buffer_;
  bool ok_ = true;
};

}  // namespace auditeql::sinks
