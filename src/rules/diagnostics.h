#pragma once
// Problems found while loading configuration, rules and exceptions, with the
// file position and the offending line under a caret:
//
//   /etc/auditeql/exceptions.d/backup.yaml:4:38: error: expected a value after ==
//     condition: process.parent.executable ==
//                                            ^
#include <string>
#include <vector>

#include "rules/rule.h"

namespace auditeql::rules {

struct Diagnostic {
  enum class Level { Error, Warning, Note };
  Level level = Level::Error;
  SourceSpan where;
  std::string message;
  std::string source_line;  // the file's line at where.line, when known

  std::string format() const;
};

// Line `line_number` (1-based) of the file at `path`, "" when unavailable.
std::string read_source_line(const std::string& path, uint32_t line_number);

class Diagnostics {
 public:
  void error(SourceSpan where, std::string message, std::string source_line = {});
  void warning(SourceSpan where, std::string message, std::string source_line = {});
  // Context for the diagnostics before it (a hint, a count); never an error.
  void note(SourceSpan where, std::string message);
  // Takes the first `limit` diagnostics of `other`, then one note saying how
  // many more errors and warnings it had. Every error still counts.
  void append_first(const Diagnostics& other, size_t limit);

  bool has_errors() const { return errors_ > 0; }
  size_t error_count() const { return errors_; }
  const std::vector<Diagnostic>& all() const { return items_; }
  // Every diagnostic, one formatted block after another.
  std::string format() const;

 private:
  std::vector<Diagnostic> items_;
  size_t errors_ = 0;
};

}  // namespace auditeql::rules
