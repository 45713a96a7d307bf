#include "eql/error.h"

#include "eql/text.h"

namespace auditeql::eql {

Error::Error(SourcePos where, std::string message)
    : std::runtime_error(std::to_string(where.line) + ":" + std::to_string(where.column) + ": " + message),
      pos(where),
      detail(std::move(message)) {}

std::string format_error(const Error& error, std::string_view source, std::string_view file_name, uint32_t line_offset,
                         uint32_t first_line_column_offset) {
  const SourcePos& pos = error.pos;
  const uint32_t line = pos.line + line_offset;
  const uint32_t column = pos.column + (pos.line == 1 ? first_line_column_offset : 0);

  std::string out;
  out += file_name;
  out += ':';
  out += std::to_string(line);
  out += ':';
  out += std::to_string(column);
  out += ": error: ";
  out += error.detail;
  out += '\n';

  // Locate the line by its number rather than by offset, so a caller that
  // passes a slightly different text still gets a sensible excerpt.
  size_t line_start = 0;
  for (uint32_t n = 1; n < pos.line && line_start <= source.size(); ++n) {
    const size_t newline = source.find('\n', line_start);
    if (newline == std::string_view::npos) {
      line_start = source.size() + 1;
      break;
    }
    line_start = newline + 1;
  }
  if (line_start > source.size()) return out;  // position outside the text
  size_t line_end = source.find('\n', line_start);
  if (line_end == std::string_view::npos) line_end = source.size();
  std::string_view line_text = source.substr(line_start, line_end - line_start);
  if (!line_text.empty() && line_text.back() == '\r') line_text.remove_suffix(1);

  out += line_text;
  out += '\n';
  // Copy tabs from the echoed line so the caret lines up in a terminal.
  size_t i = 0;
  for (uint32_t c = 1; c < pos.column && i < line_text.size(); ++c) {
    out += line_text[i] == '\t' ? '\t' : ' ';
    i += text::sequence_length(line_text, i);
  }
  out += '^';
  return out;
}

}  // namespace auditeql::eql
