#pragma once
// Reads a scenario's tree.txt: the true process tree decoded from the
// capture, with each pid's execs and other syscalls. Used as the oracle the
// normalized events are checked against.
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace auditeql::testing {

struct TreePath {
  std::string nametype;
  std::string name;
};

struct TreeRecord {
  bool exec = false;  // "exec" line (else "sys")
  uint64_t serial = 0;
  int64_t syscall = 59;
  std::string key;  // of "sys" lines
  std::string exe;
  std::vector<std::string> argv;
  std::string cwd;
  bool success = false;
  std::vector<TreePath> paths;
};

struct TreeProcess {
  int64_t pid = 0;
  int64_t ppid = 0;
  int64_t tree_parent = -1;  // the process it was forked from, when known
  std::vector<TreeRecord> records;
};

// Parses a Python list of str literals as repr() prints them.
inline std::vector<std::string> parse_python_list(std::string_view s) {
  std::vector<std::string> out;
  size_t i = s.find('[');
  if (i == std::string_view::npos) throw std::runtime_error("not a list");
  ++i;
  const auto hex = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  const auto put_utf8 = [](std::string& o, uint32_t cp) {
    if (cp >= 0xdc80 && cp <= 0xdcff) { o += static_cast<char>(cp - 0xdc00); return; }  // surrogateescape
    if (cp < 0x80) o += static_cast<char>(cp);
    else if (cp < 0x800) { o += static_cast<char>(0xc0 | (cp >> 6)); o += static_cast<char>(0x80 | (cp & 0x3f)); }
    else if (cp < 0x10000) { o += static_cast<char>(0xe0 | (cp >> 12)); o += static_cast<char>(0x80 | ((cp >> 6) & 0x3f)); o += static_cast<char>(0x80 | (cp & 0x3f)); }
    else { o += static_cast<char>(0xf0 | (cp >> 18)); o += static_cast<char>(0x80 | ((cp >> 12) & 0x3f)); o += static_cast<char>(0x80 | ((cp >> 6) & 0x3f)); o += static_cast<char>(0x80 | (cp & 0x3f)); }
  };
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',')) ++i;
    if (i >= s.size() || s[i] == ']') break;
    const char quote = s[i++];
    if (quote != '\'' && quote != '"') throw std::runtime_error("bad list item");
    std::string item;
    while (i < s.size() && s[i] != quote) {
      char c = s[i++];
      if (c != '\\') { item += c; continue; }
      const char e = s[i++];
      switch (e) {
        case 'n': item += '\n'; break;
        case 't': item += '\t'; break;
        case 'r': item += '\r'; break;
        case '\\': item += '\\'; break;
        case '\'': item += '\''; break;
        case '"': item += '"'; break;
        case 'x': item += static_cast<char>(hex(s[i]) * 16 + hex(s[i + 1])); i += 2; break;
        case 'u': { uint32_t cp = 0; for (int k = 0; k < 4; ++k) cp = cp * 16 + hex(s[i++]); put_utf8(item, cp); break; }
        case 'U': { uint32_t cp = 0; for (int k = 0; k < 8; ++k) cp = cp * 16 + hex(s[i++]); put_utf8(item, cp); break; }
        default: item += '\\'; item += e; break;
      }
    }
    ++i;  // closing quote
    out.push_back(std::move(item));
  }
  return out;
}

inline std::string field_after(const std::string& line, const std::string& name) {
  const size_t at = line.find(" " + name + "=");
  if (at == std::string::npos) return {};
  const size_t start = at + name.size() + 2;
  return line.substr(start, line.find(' ', start) - start);
}

inline std::map<int64_t, TreeProcess> parse_tree(const std::string& text) {
  std::map<int64_t, TreeProcess> tree;
  std::vector<std::pair<size_t, int64_t>> stack;  // (indent, pid) of enclosing processes
  int64_t current = -1;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t indent = line.find_first_not_of(' ');
    const std::string body = line.substr(indent);
    if (body.rfind("exec ", 0) == 0 || body.rfind("sys ", 0) == 0) {
      TreeRecord r;
      r.exec = body.rfind("exec ", 0) == 0;
      const size_t colon = body.find(':');
      r.serial = std::stoull(body.substr(colon + 1, body.find(' ', colon) - colon - 1));
      r.exe = field_after(body, "exe");
      r.cwd = field_after(body, "cwd");
      r.success = field_after(body, "success") == "yes";
      if (!r.exec) {
        const std::string sc = field_after(body, "syscall");
        r.syscall = sc.empty() ? -1 : std::stoll(sc);
        r.key = field_after(body, "key");
      }
      const size_t argv_at = body.find(" argv=[");
      if (argv_at != std::string::npos) r.argv = parse_python_list(body.substr(argv_at + 6, body.find("] cwd=") - argv_at - 5));
      const size_t paths_at = body.rfind(" paths=[");
      if (paths_at != std::string::npos) {
        for (const auto& p : parse_python_list(body.substr(paths_at + 7))) {
          const size_t c = p.find(':');
          r.paths.push_back({p.substr(0, c), p.substr(c + 1)});
        }
      }
      tree[current].records.push_back(std::move(r));
      continue;
    }
    // "PID (ppid PPID)"
    TreeProcess p;
    p.pid = std::stoll(body.substr(0, body.find(' ')));
    const size_t pp = body.find("(ppid ");
    p.ppid = std::stoll(body.substr(pp + 6, body.find(')', pp) - pp - 6));
    while (!stack.empty() && stack.back().first >= indent) stack.pop_back();
    if (!stack.empty()) p.tree_parent = stack.back().second;
    stack.emplace_back(indent, p.pid);
    current = p.pid;
    tree[p.pid] = std::move(p);
  }
  return tree;
}

}  // namespace auditeql::testing
