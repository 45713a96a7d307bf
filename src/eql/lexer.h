// Tokenizer for EQL query text (internal to the parser).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eql/error.h"

namespace auditeql::eql {

enum class TokenKind : uint8_t {
  End,
  Word,        // identifier or keyword: process, and, where, @timestamp
  TildeWord,   // word immediately followed by `~`: in~, like~, startsWith~
  QuotedName,  // `backtick quoted` field name segment
  String,      // "..." or """...""" (text holds the decoded value)
  Integer,
  Decimal,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Dot,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  Colon,
  Assign,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Pipe,
  Question,
  Bang,
};

struct Token {
  TokenKind kind = TokenKind::End;
  SourcePos pos;
  std::string_view raw;  // the token as written
  std::string text;      // decoded string value, word (without `~`) or quoted name
  int64_t integer = 0;
  double decimal = 0;
  bool raw_string = false;  // String written as """..."""
};

// Splits `source` into tokens, ending with one End token. Throws Error on
// malformed input (bad escapes, unterminated strings or comments, stray
// characters, single-quoted strings, ...).
std::vector<Token> tokenize(std::string_view source);

std::string_view token_kind_name(TokenKind kind);

}  // namespace auditeql::eql
