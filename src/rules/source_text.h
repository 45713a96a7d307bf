#pragma once
// A configuration, rule or exception file's text with its line index, so
// that a problem can be shown with the line it is on.
#include <cstdint>
#include <string>
#include <vector>

#include "rules/diagnostics.h"

namespace auditeql::rules {

class SourceText {
 public:
  // Reads `path`; false (with an error) when it cannot.
  bool read(const std::string& path, Diagnostics& diagnostics);
  void assign(std::string path, std::string text);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }
  std::string line(uint32_t line_number) const;  // 1-based, without its newline; "" when out of range

  void error(const SourceSpan& where, const std::string& message, Diagnostics& d) const;
  void warning(const SourceSpan& where, const std::string& message, Diagnostics& d) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<size_t> line_starts_;
};

}  // namespace auditeql::rules
