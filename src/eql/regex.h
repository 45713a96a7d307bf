// A small regular-expression engine for EQL's `regex` / `regex~`.
//
// Matching is a Thompson-NFA state-set simulation: time is linear in the
// input (times the pattern size), nothing backtracks and nothing recurses,
// so no pattern can blow up on hostile input. A match always covers the
// whole value, as Elasticsearch's (Lucene) regex queries do.
//
// Syntax follows Lucene's RegExp, which is what Elasticsearch runs:
//   literals, `.` (any character), `[...]` / `[^...]` with ranges,
//   `\d \w \s \D \W \S`, `\X` for a literal X, `( )`, `|`, `* + ?`,
//   `{n}` `{n,}` `{n,m}`, `"quoted literal"`, `@` (any string), `#` (matches
//   nothing). `^` and `$` are ordinary characters (Lucene has no anchors) and
//   `\n` means the letter n, not a newline. Lucene's `&`, `~` and `<n-m>`
//   operators are rejected. Characters are Unicode code points; case folding
//   (`regex~`) covers ASCII letters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace auditeql::eql {

class RegexError : public std::runtime_error {
 public:
  RegexError(size_t char_index, std::string message);
  size_t char_index;  // 0-based character position in the pattern
  std::string detail;
};

class Regex {
 public:
  // Limits that keep compiled patterns small: repetition bounds, the number
  // of NFA instructions after expanding counted repetitions, and nesting.
  static constexpr int kMaxRepeat = 1000;
  static constexpr size_t kMaxInstructions = 20000;
  static constexpr int kMaxNesting = 200;

  // Throws RegexError.
  static Regex compile(std::string_view pattern, bool case_insensitive);

  // True when the whole of `text` matches.
  bool matches(std::string_view text) const;
  // The same without the required-bytes prefilter (for tests: it must
  // never change a verdict).
  bool nfa_matches(std::string_view text) const;

  size_t instruction_count() const { return program_.size(); }

 private:
  friend class RegexCompiler;

  struct CharSet {
    uint64_t ascii[2] = {0, 0};                       // fast path for code points < 128
    std::vector<std::pair<uint32_t, uint32_t>> wide;  // sorted ranges >= 128
    bool contains(uint32_t cp) const;
  };

  enum class Op : uint8_t { Consume, Split, Jump, Match };
  struct Instruction {
    Op op;
    uint32_t x = 0;  // Consume: char set; Split/Jump: target
    uint32_t y = 0;  // Split: second target
  };

  // ASCII byte classes every match contains, in this order (a
  // subsequence): one pass over the input rejects most inputs before the
  // NFA runs.
  struct RequiredClass {
    uint64_t bits[2] = {0, 0};  // the bytes (< 128) of the class
    char only = 0;              // the class's byte when it has just one
  };
  void find_required_bytes();
  bool has_required_bytes(std::string_view text) const;

  std::vector<Instruction> program_;
  std::vector<CharSet> sets_;
  std::vector<RequiredClass> required_;
};

}  // namespace auditeql::eql
