// Positioned errors for EQL parsing and compilation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace auditeql::eql {

// A place in the query text. line and column are 1-based; column counts
// characters (UTF-8 code points), offset counts bytes from the start.
struct SourcePos {
  uint32_t line = 1;
  uint32_t column = 1;
  size_t offset = 0;
};

// Every parse and compile failure. what() is "LINE:COL: DETAIL".
class Error : public std::runtime_error {
 public:
  Error(SourcePos where, std::string message);

  SourcePos pos;
  std::string detail;
};

// Renders an error for humans:
//
//   FILE:LINE:COL: error: DETAIL
//   <the source line>
//   <spaces>^
//
// `source` is the query text the error refers to. When that query is embedded
// in a larger file (a YAML rule, say), line_offset is the number of file lines
// before the query's first line and first_line_column_offset the number of
// characters before the query on its first line; both shift the reported
// position but not the echoed line.
std::string format_error(const Error& error, std::string_view source, std::string_view file_name,
                         uint32_t line_offset = 0, uint32_t first_line_column_offset = 0);

}  // namespace auditeql::eql
