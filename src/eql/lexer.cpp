#include "eql/lexer.h"

#include <charconv>

#include "eql/text.h"

namespace auditeql::eql {

std::string_view token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::End:
      return "end of query";
    case TokenKind::Word:
      return "identifier";
    case TokenKind::TildeWord:
      return "identifier~";
    case TokenKind::QuotedName:
      return "quoted field name";
    case TokenKind::String:
      return "string";
    case TokenKind::Integer:
      return "integer";
    case TokenKind::Decimal:
      return "number";
    case TokenKind::LParen:
      return "'('";
    case TokenKind::RParen:
      return "')'";
    case TokenKind::LBracket:
      return "'['";
    case TokenKind::RBracket:
      return "']'";
    case TokenKind::Comma:
      return "','";
    case TokenKind::Dot:
      return "'.'";
    case TokenKind::Eq:
      return "'=='";
    case TokenKind::Ne:
      return "'!='";
    case TokenKind::Lt:
      return "'<'";
    case TokenKind::Le:
      return "'<='";
    case TokenKind::Gt:
      return "'>'";
    case TokenKind::Ge:
      return "'>='";
    case TokenKind::Colon:
      return "':'";
    case TokenKind::Assign:
      return "'='";
    case TokenKind::Plus:
      return "'+'";
    case TokenKind::Minus:
      return "'-'";
    case TokenKind::Star:
      return "'*'";
    case TokenKind::Slash:
      return "'/'";
    case TokenKind::Percent:
      return "'%'";
    case TokenKind::Pipe:
      return "'|'";
    case TokenKind::Question:
      return "'?'";
    case TokenKind::Bang:
      return "'!'";
  }
  return "token";
}

namespace {

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_word_start(char c) {
  return is_letter(c) || c == '_' || c == '@';
}
constexpr bool is_word_char(char c) {
  return is_letter(c) || is_digit(c) || c == '_';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    // The end of the query is on the line of its last token (after the
    // spaces that follow it), not after the newlines and comments that come
    // later: an error "at the end" (a value missing after `==`) then points
    // at the line it is about, even when the query is a YAML block that
    // ends with a newline.
    SourcePos after_last_token = here_;
    while (true) {
      skip_space_and_comments();
      Token token;
      token.pos = here_;
      const size_t start = here_.offset;
      if (at_end()) {
        token.pos = after_last_token;
        while (token.pos.offset < src_.size() && (src_[token.pos.offset] == ' ' || src_[token.pos.offset] == '\t')) {
          ++token.pos.offset;
          ++token.pos.column;
        }
        tokens.push_back(std::move(token));
        return tokens;
      }
      lex_token(token);
      token.raw = src_.substr(start, here_.offset - start);
      tokens.push_back(std::move(token));
      after_last_token = here_;
    }
  }

 private:
  bool at_end() const { return here_.offset >= src_.size(); }
  char peek(size_t ahead = 0) const {
    const size_t i = here_.offset + ahead;
    return i < src_.size() ? src_[i] : '\0';
  }

  void advance(size_t bytes = 1) {
    for (size_t k = 0; k < bytes && !at_end(); ++k) {
      const char c = src_[here_.offset++];
      if (c == '\n') {
        ++here_.line;
        here_.column = 1;
      } else if (!text::is_continuation(c)) {
        ++here_.column;
      }
    }
  }

  [[noreturn]] void fail(SourcePos at, std::string message) const { throw Error(at, std::move(message)); }

  void skip_space_and_comments() {
    while (!at_end()) {
      const char c = peek();
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        advance();
      } else if (c == '/' && peek(1) == '/') {
        while (!at_end() && peek() != '\n') advance();
      } else if (c == '/' && peek(1) == '*') {
        skip_block_comment();
      } else {
        return;
      }
    }
  }

  // Block comments nest, as in Elasticsearch's grammar: every `/*` inside
  // a comment needs its own `*/`.
  void skip_block_comment() {
    const SourcePos start = here_;
    int depth = 0;
    while (!at_end()) {
      if (peek() == '/' && peek(1) == '*') {
        ++depth;
        advance(2);
      } else if (peek() == '*' && peek(1) == '/') {
        --depth;
        advance(2);
        if (depth == 0) return;
      } else {
        advance();
      }
    }
    fail(start, "unterminated /* comment (block comments nest: each /* needs its own */)");
  }

  void lex_token(Token& token) {
    const char c = peek();
    if (is_word_start(c)) return lex_word(token);
    if (is_digit(c) || (c == '.' && is_digit(peek(1)))) return lex_number(token);
    switch (c) {
      case '"':
        return lex_string(token);
      case '`':
        return lex_quoted_name(token);
      case '\'':
        fail(here_, "single-quoted strings are not supported in EQL; use double quotes");
      case '?':
        if (peek(1) == '"' || peek(1) == '\'')
          fail(here_, "?\"...\" raw strings are not supported; use triple double quotes \"\"\"...\"\"\"");
        return single(token, TokenKind::Question);
      case '(':
        return single(token, TokenKind::LParen);
      case ')':
        return single(token, TokenKind::RParen);
      case '[':
        return single(token, TokenKind::LBracket);
      case ']':
        return single(token, TokenKind::RBracket);
      case ',':
        return single(token, TokenKind::Comma);
      case '.':
        return single(token, TokenKind::Dot);
      case ':':
        return single(token, TokenKind::Colon);
      case '+':
        return single(token, TokenKind::Plus);
      case '-':
        return single(token, TokenKind::Minus);
      case '*':
        return single(token, TokenKind::Star);
      case '/':
        return single(token, TokenKind::Slash);
      case '%':
        return single(token, TokenKind::Percent);
      case '|':
        return single(token, TokenKind::Pipe);
      case '=':
        if (peek(1) == '=') return pair(token, TokenKind::Eq);
        return single(token, TokenKind::Assign);
      case '!':
        if (peek(1) == '=') return pair(token, TokenKind::Ne);
        return single(token, TokenKind::Bang);
      case '<':
        if (peek(1) == '=') return pair(token, TokenKind::Le);
        return single(token, TokenKind::Lt);
      case '>':
        if (peek(1) == '=') return pair(token, TokenKind::Ge);
        return single(token, TokenKind::Gt);
      default:
        break;
    }
    const size_t length = text::sequence_length(src_, here_.offset);
    fail(here_, "unexpected character '" + std::string(src_.substr(here_.offset, length)) + "'");
  }

  void single(Token& token, TokenKind kind) {
    token.kind = kind;
    advance();
  }

  void pair(Token& token, TokenKind kind) {
    token.kind = kind;
    advance(2);
  }

  void lex_word(Token& token) {
    const size_t start = here_.offset;
    advance();
    while (is_word_char(peek())) advance();
    token.text = std::string(src_.substr(start, here_.offset - start));
    token.kind = TokenKind::Word;
    if (peek() == '~' && is_letter(token.text.front())) {
      advance();
      token.kind = TokenKind::TildeWord;
    }
  }

  void lex_number(Token& token) {
    const SourcePos start_pos = here_;
    const size_t start = here_.offset;
    bool decimal = false;
    while (is_digit(peek())) advance();
    if (peek() == '.') {
      decimal = true;
      advance();
      while (is_digit(peek())) advance();
    }
    if ((peek() == 'e' || peek() == 'E') &&
        (is_digit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && is_digit(peek(2))))) {
      decimal = true;
      advance(2);
      while (is_digit(peek())) advance();
    }
    const char* first = src_.data() + start;
    const char* last = src_.data() + here_.offset;
    if (!decimal) {
      auto [ptr, ec] = std::from_chars(first, last, token.integer);
      if (ec == std::errc::result_out_of_range) fail(start_pos, "integer literal is too large");
      token.kind = TokenKind::Integer;
      return;
    }
    // from_chars does not accept a leading '.', so give it a zero.
    std::string spelled = (*first == '.') ? "0" + std::string(first, last) : std::string(first, last);
    auto [ptr, ec] = std::from_chars(spelled.data(), spelled.data() + spelled.size(), token.decimal);
    if (ec != std::errc()) fail(start_pos, "number literal is out of range");
    token.kind = TokenKind::Decimal;
  }

  void lex_string(Token& token) {
    token.kind = TokenKind::String;
    if (peek(1) == '"' && peek(2) == '"') return lex_raw_string(token);
    const SourcePos start = here_;
    advance();  // opening quote
    while (true) {
      if (at_end() || peek() == '\n' || peek() == '\r') fail(start, "unterminated string (strings cannot span lines)");
      const char c = peek();
      if (c == '"') {
        advance();
        return;
      }
      if (c != '\\') {
        token.text.push_back(c);
        advance();
        continue;
      }
      lex_escape(token.text);
    }
  }

  void lex_escape(std::string& out) {
    const SourcePos at = here_;
    advance();  // backslash
    const char c = peek();
    switch (c) {
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '"':
        out.push_back('"');
        break;
      case '\'':
        out.push_back('\'');
        break;
      case 'u':
        return lex_unicode_escape(out, at);
      default: {
        std::string shown = at_end() ? std::string("end of query") : "\\" + std::string(1, c);
        fail(at, "invalid escape sequence " + shown +
                     " (allowed: \\n \\r \\t \\b \\f \\\\ \\\" \\u{hex}; use a \"\"\"raw string\"\"\" for "
                     "literal backslashes)");
      }
    }
    advance();
  }

  // \u{XXXX}: 2 to 8 hex digits naming one Unicode code point.
  void lex_unicode_escape(std::string& out, SourcePos at) {
    advance();  // 'u'
    if (peek() != '{') fail(at, "invalid unicode escape: expected \\u{HEX}");
    advance();
    uint32_t value = 0;
    int digits = 0;
    while (peek() != '}') {
      const int v = hex_value(peek());
      if (v < 0) fail(at, "invalid unicode escape: expected hex digits and '}'");
      if (++digits > 8) fail(at, "invalid unicode escape: more than 8 hex digits");
      value = (value << 4) | static_cast<uint32_t>(v);
      advance();
    }
    advance();  // '}'
    if (digits < 2) fail(at, "invalid unicode escape: use 2 to 8 hex digits");
    if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
      fail(at, "invalid unicode escape: not a Unicode scalar value");
    text::append_utf8(out, value);
  }

  // """raw""": no escape processing. Like Elasticsearch, up to two quotes
  // directly before the closing triple belong to the value, and the string
  // must stay on one line.
  void lex_raw_string(Token& token) {
    const SourcePos start = here_;
    token.raw_string = true;
    advance(3);
    const size_t body = here_.offset;
    while (true) {
      if (at_end() || peek() == '\n' || peek() == '\r')
        fail(start, "unterminated raw string (raw strings cannot span lines)");
      if (peek() == '"' && peek(1) == '"' && peek(2) == '"') break;
      advance();
    }
    size_t extra = 0;
    while (extra < 2 && peek(3 + extra) == '"') ++extra;
    const size_t body_end = here_.offset + extra;
    token.text = std::string(src_.substr(body, body_end - body));
    advance(3 + extra);
  }

  void lex_quoted_name(Token& token) {
    const SourcePos start = here_;
    token.kind = TokenKind::QuotedName;
    advance();
    while (true) {
      if (at_end()) fail(start, "unterminated `quoted` field name");
      if (peek() == '`') {
        if (peek(1) == '`') {  // doubled backtick stands for one
          token.text.push_back('`');
          advance(2);
          continue;
        }
        advance();
        break;
      }
      token.text.push_back(peek());
      advance();
    }
    if (token.text.empty()) fail(start, "empty `quoted` field name");
  }

  std::string_view src_;
  SourcePos here_;
};

}  // namespace

std::vector<Token> tokenize(std::string_view source) {
  return Lexer(source).run();
}

}  // namespace auditeql::eql
