#include "rules/yaml_source.h"

#include <algorithm>

namespace auditeql::rules {

bool YamlSource::load(const std::string& path, Diagnostics& diagnostics) {
  return source_.read(path, diagnostics) && parse(diagnostics);
}

bool YamlSource::load_text(std::string path, std::string text, Diagnostics& diagnostics) {
  source_.assign(std::move(path), std::move(text));
  return parse(diagnostics);
}

bool YamlSource::parse(Diagnostics& diagnostics) {
  try {
    root_ = YAML::Load(source_.text());
  } catch (const YAML::Exception& e) {
    source_.error(span(e.mark), "invalid YAML: " + e.msg, diagnostics);
    return false;
  }
  return true;
}

SourceSpan YamlSource::span(const YAML::Mark& mark) const {
  if (mark.is_null()) return {path(), 0, 0};
  return {path(), static_cast<uint32_t>(mark.line + 1), static_cast<uint32_t>(mark.column + 1)};
}

void YamlSource::error(const YAML::Node& node, const std::string& message, Diagnostics& d) const {
  error(span(node), message, d);
}

void YamlSource::error(const SourceSpan& where, const std::string& message, Diagnostics& d) const {
  source_.error(where, message, d);
}

std::optional<std::string> YamlSource::string(const YAML::Node& map, const char* key, Diagnostics& d) const {
  const YAML::Node value = map[key];
  if (!value) return std::nullopt;
  if (!value.IsScalar()) {
    error(value, std::string("'") + key + "' must be a string", d);
    return std::nullopt;
  }
  return value.Scalar();
}

std::optional<int64_t> YamlSource::integer(const YAML::Node& map, const char* key, int64_t min, int64_t max,
                                           Diagnostics& d) const {
  const YAML::Node value = map[key];
  if (!value) return std::nullopt;
  int64_t n = 0;
  if (!value.IsScalar() || !YAML::convert<int64_t>::decode(value, n)) {
    error(value, std::string("'") + key + "' must be a whole number", d);
    return std::nullopt;
  }
  if (n < min || n > max) {
    error(value, std::string("'") + key + "' must be between " + std::to_string(min) + " and " + std::to_string(max), d);
    return std::nullopt;
  }
  return n;
}

std::optional<bool> YamlSource::boolean(const YAML::Node& map, const char* key, Diagnostics& d) const {
  const YAML::Node value = map[key];
  if (!value) return std::nullopt;
  bool b = false;
  if (!value.IsScalar() || !YAML::convert<bool>::decode(value, b)) {
    error(value, std::string("'") + key + "' must be true or false", d);
    return std::nullopt;
  }
  return b;
}

std::optional<std::vector<std::string>> YamlSource::strings(const YAML::Node& map, const char* key,
                                                            Diagnostics& d) const {
  const YAML::Node value = map[key];
  if (!value || value.IsNull()) return std::nullopt;
  if (!value.IsSequence()) {
    error(value, std::string("'") + key + "' must be a list of strings", d);
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.IsScalar()) {
      error(item, std::string("each item of '") + key + "' must be a string", d);
      return std::nullopt;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

void YamlSource::reject_unknown_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                                     Diagnostics& d) const {
  for (const auto& entry : map) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string known;
      for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
      error(entry.first, "unknown key '" + key + "' (expected one of: " + known + ")", d);
    }
  }
}

TextPosition YamlSource::text_position(const YAML::Node& scalar) const {
  TextPosition origin;
  origin.start = span(scalar);
  const std::string first = line(origin.start.line);
  const size_t at = origin.start.column > 0 ? origin.start.column - 1 : 0;
  if (at < first.size() && (first[at] == '|' || first[at] == '>')) {
    // Block scalar: the text starts on the next non-blank line.
    uint32_t n = origin.start.line + 1;
    while (n <= source_.line_count() && line(n).find_first_not_of(" \t") == std::string::npos) ++n;
    const std::string content = line(n);
    const size_t indent = content.find_first_not_of(' ');
    origin.block = true;
    origin.indent = indent == std::string::npos ? 0 : static_cast<uint32_t>(indent);
    origin.start.line = n;
    origin.start.column = origin.indent + 1;
  } else if (at < first.size() && (first[at] == '"' || first[at] == '\'')) {
    origin.start.column += 1;  // past the opening quote
  }
  return origin;
}

}  // namespace auditeql::rules
