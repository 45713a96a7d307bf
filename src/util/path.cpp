#include "util/path.h"

#include <vector>

namespace auditeql::util {

std::string normalize_path(std::string_view path) {
  const bool absolute = is_absolute(path);
  // Component boundaries into `path`; no copies until the final join.
  std::vector<std::string_view> parts;
  parts.reserve(16);
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    const size_t start = i;
    while (i < path.size() && path[i] != '/') ++i;
    const std::string_view part = path.substr(start, i - start);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  out.reserve(path.size() + 1);
  for (const auto& part : parts) {
    if (absolute || !out.empty()) out += '/';
    out += part;
  }
  if (out.empty()) return absolute ? "/" : ".";
  return out;
}

std::string join_path(std::string_view dir, std::string_view rel) {
  if (is_absolute(rel) || dir.empty()) return normalize_path(rel);
  std::string joined;
  joined.reserve(dir.size() + rel.size() + 1);
  joined += dir;
  joined += '/';
  joined += rel;
  return normalize_path(joined);
}

std::string_view base_name(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view dir_name(std::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string_view file_extension(std::string_view name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return name.substr(dot + 1);
}

}  // namespace auditeql::util
