#pragma once
// A YAML file kept together with its text, so that every value can be traced
// back to a file position and shown with its line.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rules/diagnostics.h"
#include "rules/source_text.h"

namespace auditeql::rules {

class YamlSource {
 public:
  // Reads and parses `path`; false (with a positioned error) when it cannot.
  bool load(const std::string& path, Diagnostics& diagnostics);
  // Parses text already in memory (tests, --query-file style inputs).
  bool load_text(std::string path, std::string text, Diagnostics& diagnostics);

  const std::string& path() const { return source_.path(); }
  const YAML::Node& root() const { return root_; }

  SourceSpan span(const YAML::Mark& mark) const;
  SourceSpan span(const YAML::Node& node) const { return span(node.Mark()); }
  std::string line(uint32_t line_number) const { return source_.line(line_number); }

  void error(const YAML::Node& node, const std::string& message, Diagnostics& d) const;
  void error(const SourceSpan& where, const std::string& message, Diagnostics& d) const;

  // Typed access to `map[key]`, reporting wrong types at the value's position.
  std::optional<std::string> string(const YAML::Node& map, const char* key, Diagnostics& d) const;
  std::optional<int64_t> integer(const YAML::Node& map, const char* key, int64_t min, int64_t max, Diagnostics& d) const;
  std::optional<bool> boolean(const YAML::Node& map, const char* key, Diagnostics& d) const;
  std::optional<std::vector<std::string>> strings(const YAML::Node& map, const char* key, Diagnostics& d) const;
  // Reports keys of `map` not in `allowed` (typos such as `enabeld`).
  void reject_unknown_keys(const YAML::Node& map, const std::vector<std::string>& allowed, Diagnostics& d) const;

  // Where the text of a string scalar starts: for `|` / `>` block scalars the
  // first content line and its indentation, else the scalar itself.
  TextPosition text_position(const YAML::Node& scalar) const;

 private:
  bool parse(Diagnostics& diagnostics);

  SourceText source_;
  YAML::Node root_;
};

}  // namespace auditeql::rules
