#include "rules/diagnostics.h"

#include <fstream>

namespace auditeql::rules {

std::string Diagnostic::format() const {
  std::string out = where.file.empty() ? std::string("auditeql") : where.file;
  if (where.line > 0) {
    out += ':' + std::to_string(where.line);
    if (where.column > 0) out += ':' + std::to_string(where.column);
  }
  out += level == Level::Error ? ": error: " : ": warning: ";
  out += message;
  if (!source_line.empty() && where.column > 0) {
    out += "\n  ";
    out += source_line;
    out += "\n  ";
    // Columns count characters, not bytes; tabs are kept so the caret lines
    // up under the same character.
    uint32_t column = 1;
    for (size_t i = 0; i < source_line.size() && column < where.column; ++i) {
      const auto c = static_cast<unsigned char>(source_line[i]);
      if ((c & 0xc0) == 0x80) continue;  // UTF-8 continuation byte
      out += c == '\t' ? '\t' : ' ';
      ++column;
    }
    out += '^';
  }
  return out;
}

std::string read_source_line(const std::string& path, uint32_t line_number) {
  std::ifstream in(path);
  std::string line;
  for (uint32_t n = 1; n <= line_number && std::getline(in, line); ++n) {
    if (n == line_number) return line;
  }
  return {};
}

void Diagnostics::error(SourceSpan where, std::string message, std::string source_line) {
  items_.push_back({Diagnostic::Level::Error, std::move(where), std::move(message), std::move(source_line)});
  ++errors_;
}

void Diagnostics::warning(SourceSpan where, std::string message, std::string source_line) {
  items_.push_back({Diagnostic::Level::Warning, std::move(where), std::move(message), std::move(source_line)});
}

std::string Diagnostics::format() const {
  std::string out;
  for (const auto& d : items_) {
    out += d.format();
    out += '\n';
  }
  return out;
}

}  // namespace auditeql::rules
