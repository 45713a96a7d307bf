#include "rules/diagnostics.h"

#include <algorithm>
#include <fstream>

#include "util/text.h"

namespace auditeql::rules {

std::string Diagnostic::format() const {
  std::string out = where.file.empty() ? std::string("auditeql") : where.file;
  if (where.line > 0) {
    out += ':' + std::to_string(where.line);
    if (where.column > 0) out += ':' + std::to_string(where.column);
  }
  out += level == Level::Error ? ": error: " : level == Level::Warning ? ": warning: " : ": note: ";
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

void Diagnostics::note(SourceSpan where, std::string message) {
  items_.push_back({Diagnostic::Level::Note, std::move(where), std::move(message), {}});
}

void Diagnostics::append_first(const Diagnostics& other, size_t limit) {
  const auto& items = other.all();
  const size_t kept = std::min(limit, items.size());
  items_.insert(items_.end(), items.begin(), items.begin() + static_cast<long>(kept));
  errors_ += other.error_count();
  if (kept == items.size()) return;
  size_t errors = 0, warnings = 0;
  for (size_t i = kept; i < items.size(); ++i) {
    if (items[i].level == Diagnostic::Level::Error) ++errors;
    if (items[i].level == Diagnostic::Level::Warning) ++warnings;
  }
  std::string message;
  if (errors > 0) message += util::counted(errors, "more error");
  if (errors > 0 && warnings > 0) message += " and ";
  if (warnings > 0) message += util::counted(warnings, "more warning");
  if (errors + warnings == 0) message += util::counted(items.size() - kept, "more note");
  note({items[kept].where.file, 0, 0}, message + " not shown");
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
