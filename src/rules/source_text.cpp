#include "rules/source_text.h"

#include "util/file.h"

namespace auditeql::rules {

bool SourceText::read(const std::string& path, Diagnostics& diagnostics) {
  std::string error;
  auto content = util::read_file(path, error);
  if (!content) {
    diagnostics.error({path, 0, 0}, "cannot read file: " + error);
    return false;
  }
  assign(path, std::move(*content));
  return true;
}

void SourceText::assign(std::string path, std::string text) {
  path_ = std::move(path);
  text_ = std::move(text);
  line_starts_.assign(1, 0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::string SourceText::line(uint32_t line_number) const {
  if (line_number == 0 || line_number > line_starts_.size()) return {};
  const size_t start = line_starts_[line_number - 1];
  const size_t end = text_.find('\n', start);
  std::string text = text_.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

void SourceText::error(const SourceSpan& where, const std::string& message, Diagnostics& d) const {
  d.error(where, message, line(where.line));
}

void SourceText::warning(const SourceSpan& where, const std::string& message, Diagnostics& d) const {
  d.warning(where, message, line(where.line));
}

}  // namespace auditeql::rules
