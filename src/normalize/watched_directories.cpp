#include "normalize/watched_directories.h"

#include <algorithm>

#include "util/path.h"

namespace auditeql::normalize {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// auditctl splits a rules line at white space; there is no quoting.
std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    const size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

// What one rule line says about watched directories.
struct RuleWatches {
  std::vector<std::string_view> directories;
  std::vector<std::string_view> keys;
  bool skip = false;  // a `never` rule, or a line that removes rules
};

RuleWatches read_rule(const std::vector<std::string_view>& words) {
  RuleWatches rule;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string_view word = words[i];
    if (word.size() < 2 || word[0] != '-' || word[1] == '-') continue;
    const char option = word[1];
    // getopt also takes the value glued to the option: -w/boot, -kbp_boot.
    std::string_view value = word.substr(2);
    if (value.empty() && i + 1 < words.size() && option != 'D') value = words[++i];
    switch (option) {
      case 'w': rule.directories.push_back(value); break;
      case 'k': rule.keys.push_back(value); break;
      case 'a':
      case 'A':
        if (value.find("never") != std::string_view::npos) rule.skip = true;
        break;
      case 'W':
      case 'd':
      case 'D': rule.skip = true; break;
      case 'F':
        if (value.rfind("dir=", 0) == 0) rule.directories.push_back(value.substr(4));
        if (value.rfind("key=", 0) == 0) rule.keys.push_back(value.substr(4));
        break;
      default: break;
    }
  }
  return rule;
}

}  // namespace

bool WatchedDirectories::add(std::string_view key, std::string_view directory) {
  if (key.empty() || !util::is_absolute(directory)) return false;
  std::string normalized = util::normalize_path(directory);
  auto it = by_key_.find(key);
  if (it == by_key_.end()) it = by_key_.emplace(std::string(key), std::vector<std::string>{}).first;
  auto& list = it->second;
  if (std::find(list.begin(), list.end(), normalized) != list.end()) return false;
  list.push_back(std::move(normalized));
  return true;
}

size_t WatchedDirectories::add_rules(std::string_view text) {
  size_t added = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    const auto words = split_words(line);
    if (words.empty() || words.front().front() == '#') continue;
    const RuleWatches rule = read_rule(words);
    if (rule.skip) continue;
    for (const auto key : rule.keys) {
      for (const auto directory : rule.directories) added += add(key, directory) ? 1 : 0;
    }
  }
  return added;
}

const std::vector<std::string>* WatchedDirectories::directories_for(std::string_view key) const {
  const auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : &it->second;
}

const std::string* WatchedDirectories::directory_for(std::string_view key) const {
  const auto* list = directories_for(key);
  return list == nullptr || list->empty() ? nullptr : &list->front();
}

std::vector<std::string> WatchedDirectories::all_directories() const {
  std::vector<std::string> all;
  for (const auto& [key, list] : by_key_) {
    for (const auto& directory : list) {
      if (std::find(all.begin(), all.end(), directory) == all.end()) all.push_back(directory);
    }
  }
  return all;
}

}  // namespace auditeql::normalize
