#pragma once
// Reading files with the reason for a failure: the errno text ("No such file
// or directory", "Is a directory", "Permission denied"). A directory opens
// like a file and only fails on read, so both steps are checked.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace auditeql::util {

// The whole content of `path`; nullopt with strerror(errno) in `error` when
// it cannot be opened or read.
std::optional<std::string> read_file(const std::string& path, std::string& error);

// Calls `on_line` with each line read from `fd` (without its '\n'; a last
// line without one counts too). False with strerror(errno) in `error` on a
// read error, after the lines read before it.
bool read_lines(int fd, const std::function<void(std::string_view)>& on_line, std::string& error);

}  // namespace auditeql::util
