#pragma once
// Lexical path handling: no file system access, symlinks are never resolved.
// Audit records name files the way the process spelled them; these helpers
// turn that spelling into one canonical absolute form.
#include <string>
#include <string_view>

namespace auditeql::util {

// Collapses "//", "." and ".." and drops a trailing slash ("/" stays "/").
// ".." above the root stays at the root; a relative path keeps leading "..".
std::string normalize_path(std::string_view path);

// `rel` resolved against directory `dir`, normalized. An absolute `rel` ignores `dir`.
std::string join_path(std::string_view dir, std::string_view rel);

// Last component of a normalized path ("/usr/bin/cp" -> "cp", "/" -> "").
std::string_view base_name(std::string_view path);

// Everything before the last component ("/usr/bin/cp" -> "/usr/bin", "/boot" -> "/").
std::string_view dir_name(std::string_view path);

// ECS file.extension: the text after the last dot of the name, without the dot.
// Empty for names without one and for dot files such as ".bashrc".
std::string_view file_extension(std::string_view name);

inline bool is_absolute(std::string_view path) { return !path.empty() && path.front() == '/'; }

}  // namespace auditeql::util
