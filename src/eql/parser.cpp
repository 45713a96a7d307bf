#include "eql/parser.h"

#include <array>
#include <limits>

#include "eql/lexer.h"
#include "eql/text.h"

namespace auditeql::eql {

namespace {

// Words that cannot begin a field name. Keywords are matched without regard
// to case (Elasticsearch only accepts lower case; accepting `AND` costs
// nothing and never changes the meaning of a query ES accepts).
constexpr std::array<std::string_view, 19> kReservedWords = {
    "and", "or",   "not",   "in",  "like", "regex", "where", "sequence", "sample",  "join",
    "by",  "with", "until", "any", "of",   "null",  "true",  "false",    "maxspan",
};

bool word_is(const Token& token, std::string_view keyword) {
  return token.kind == TokenKind::Word && text::equal(token.text, keyword, true);
}

bool is_reserved(const Token& token) {
  if (token.kind != TokenKind::Word) return false;
  for (std::string_view word : kReservedWords) {
    if (text::equal(token.text, word, true)) return true;
  }
  return false;
}

template <class Node>
ExprPtr make(SourcePos pos, Node node) {
  return std::make_shared<const Expr>(Expr{pos, std::move(node)});
}

void append_flattened(std::vector<ExprPtr>& operands, ExprPtr operand, LogicalOp op) {
  if (const auto* logical = operand->as<Logical>(); logical && logical->op == op) {
    operands.insert(operands.end(), logical->operands.begin(), logical->operands.end());
  } else {
    operands.push_back(std::move(operand));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view source) : tokens_(tokenize(source)) {}

  Query parse_query() {
    Query query;
    query.pos = peek().pos;
    if (word_is(peek(), "sequence")) {
      parse_sequence(query);
    } else if (word_is(peek(), "sample")) {
      parse_sample(query);
    } else if (word_is(peek(), "join")) {
      fail(peek(), "join queries are not supported (Elasticsearch EQL has no join); use a sequence");
    } else {
      query.kind = QueryKind::Event;
      query.event = parse_event_filter();
    }
    parse_pipes(query);
    if (peek().kind != TokenKind::End) fail(peek(), "unexpected " + describe(peek()) + " after the end of the query");
    return query;
  }

  Condition parse_condition() {
    Condition condition{parse_expression()};
    if (peek().kind != TokenKind::End)
      fail(peek(), "unexpected " + describe(peek()) + " after the end of the condition");
    return condition;
  }

 private:
  // --- token access -----------------------------------------------------

  const Token& peek(size_t ahead = 0) const {
    const size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }

  const Token& next() {
    const Token& token = peek();
    if (pos_ < tokens_.size() - 1) ++pos_;
    return token;
  }

  bool accept(TokenKind kind) {
    if (peek().kind != kind) return false;
    next();
    return true;
  }

  bool accept_word(std::string_view keyword) {
    if (!word_is(peek(), keyword)) return false;
    next();
    return true;
  }

  const Token& expect(TokenKind kind, std::string_view context) {
    if (peek().kind != kind)
      fail(peek(), "expected " + std::string(token_kind_name(kind)) + " " + std::string(context) + ", found " +
                       describe(peek()));
    return next();
  }

  // The closing bracket of `open`. When the query ends first, the error is
  // at the bracket left open: the end of the query says nothing about where
  // the ')' or ']' went missing.
  const Token& expect_closing(TokenKind kind, const Token& open, std::string_view context) {
    if (peek().kind == TokenKind::End) {
      fail(open, "unclosed " + std::string(token_kind_name(open.kind)) + ": the query ends before its " +
                     std::string(token_kind_name(kind)));
    }
    return expect(kind, context);
  }

  [[noreturn]] static void fail(const Token& at, std::string message) { throw Error(at.pos, std::move(message)); }
  [[noreturn]] static void fail(SourcePos at, std::string message) { throw Error(at, std::move(message)); }

  static std::string describe(const Token& token) {
    switch (token.kind) {
      case TokenKind::End:
        return "end of query";
      case TokenKind::Word:
        return (is_reserved(token) ? "keyword '" : "'") + token.text + "'";
      case TokenKind::TildeWord:
        return "'" + token.text + "~'";
      case TokenKind::QuotedName:
        return "field `" + token.text + "`";
      case TokenKind::String: {
        std::string shown(token.raw.substr(0, 40));
        if (token.raw.size() > 40) shown += "...";
        return "string " + shown;
      }
      case TokenKind::Integer:
      case TokenKind::Decimal:
        return "number " + std::string(token.raw);
      default:
        return std::string(token_kind_name(token.kind));
    }
  }

  // Bounds recursion so deeply nested input fails cleanly.
  class DepthGuard {
   public:
    DepthGuard(Parser& parser, const Token& at) : parser_(parser) {
      if (++parser_.depth_ > kMaxExpressionDepth)
        fail(at, "expression nested more than " + std::to_string(kMaxExpressionDepth) + " levels deep");
    }
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& parser_;
  };

  // Left-deep operator chains (`1 + 1 + 1 ...`) nest as deeply as the
  // parenthesised form, so each link counts toward the same limit.
  class ChainGuard {
   public:
    explicit ChainGuard(Parser& parser) : parser_(parser) {}
    void link(const Token& at) {
      ++added_;
      if (++parser_.depth_ > kMaxExpressionDepth)
        fail(at, "expression nested more than " + std::to_string(kMaxExpressionDepth) + " levels deep");
    }
    ~ChainGuard() { parser_.depth_ -= added_; }
    ChainGuard(const ChainGuard&) = delete;
    ChainGuard& operator=(const ChainGuard&) = delete;

   private:
    Parser& parser_;
    int added_ = 0;
  };

  // --- queries ----------------------------------------------------------

  EventFilter parse_event_filter() {
    EventFilter filter;
    const Token& category = peek();
    filter.pos = category.pos;
    if (word_is(category, "any")) {
      filter.category = "any";
    } else if ((category.kind == TokenKind::Word && !is_reserved(category)) || category.kind == TokenKind::String) {
      filter.category = category.text;
    } else {
      fail(category, "expected an event category (process, file, network, any, ...), found " + describe(category));
    }
    next();
    if (!accept_word("where")) fail(peek(), "expected 'where' after the event category, found " + describe(peek()));
    filter.condition.root = parse_expression();
    return filter;
  }

  void parse_sequence(Query& query) {
    query.kind = QueryKind::Sequence;
    next();  // sequence
    if (word_is(peek(), "by")) {
      query.by = parse_join_keys();
      if (accept_word("with")) query.maxspan = parse_maxspan();
    } else if (accept_word("with")) {
      query.maxspan = parse_maxspan();
      if (word_is(peek(), "by")) fail(peek(), "put 'by' before 'with maxspan' (sequence by KEYS with maxspan=...)");
    }
    // `[x] with runs=3` counts as three stages, so one stage can be enough.
    uint64_t stage_count = 0;
    while (starts_stage()) {
      query.stages.push_back(parse_stage(true));
      stage_count += query.stages.back().runs.value_or(1);
    }
    if (stage_count < 2)
      fail(peek(), "a sequence needs at least two [stages] (or a stage 'with runs=N'), found " + describe(peek()));
    if (accept_word("until")) {
      query.until = parse_stage(false);
      if (query.until->missing) fail(query.until->pos, "an until stage cannot be a missing-event ![...] stage");
    }
  }

  void parse_sample(Query& query) {
    query.kind = QueryKind::Sample;
    next();  // sample
    if (word_is(peek(), "by")) query.by = parse_join_keys();
    while (starts_stage()) {
      Stage stage = parse_stage(false);
      if (stage.runs) fail(stage.pos, "'with runs' is only allowed in sequences");
      query.stages.push_back(std::move(stage));
    }
    if (query.stages.size() < 2) fail(peek(), "a sample needs at least two [stages], found " + describe(peek()));
  }

  bool starts_stage() const {
    return peek().kind == TokenKind::LBracket ||
           (peek().kind == TokenKind::Bang && peek(1).kind == TokenKind::LBracket);
  }

  Stage parse_stage(bool allow_missing) {
    Stage stage;
    stage.pos = peek().pos;
    if (peek().kind == TokenKind::Bang) {
      if (!allow_missing) fail(peek(), "missing-event stages ![...] are only allowed in sequences");
      next();
      stage.missing = true;
    }
    const Token& open = expect(TokenKind::LBracket, "to open a stage");
    stage.filter = parse_event_filter();
    expect_closing(TokenKind::RBracket, open, "to close the stage");
    if (word_is(peek(), "by")) stage.by = parse_join_keys();
    if (accept_word("with")) {
      if (!word_is(peek(), "runs")) fail(peek(), "expected 'runs=N' after 'with', found " + describe(peek()));
      next();
      expect(TokenKind::Assign, "after 'runs'");
      const Token& count = peek();
      if (count.kind != TokenKind::Integer || count.integer < 1)
        fail(count, "runs must be a positive integer, found " + describe(count));
      stage.runs = static_cast<uint64_t>(count.integer);
      next();
    }
    return stage;
  }

  std::vector<ExprPtr> parse_join_keys() {
    next();  // by
    std::vector<ExprPtr> keys;
    keys.push_back(parse_expression());
    while (accept(TokenKind::Comma)) keys.push_back(parse_expression());
    return keys;
  }

  Duration parse_maxspan() {
    if (!word_is(peek(), "maxspan"))
      fail(peek(), "expected 'maxspan=DURATION' after 'with', found " + describe(peek()));
    next();
    expect(TokenKind::Assign, "after 'maxspan'");
    const Token& amount = peek();
    if (amount.kind != TokenKind::Integer && amount.kind != TokenKind::Decimal)
      fail(amount, "expected a duration such as 30s or 5m, found " + describe(amount));
    next();
    const double value = amount.kind == TokenKind::Integer ? static_cast<double>(amount.integer) : amount.decimal;
    const Token& unit = peek();
    if (unit.kind != TokenKind::Word)
      fail(amount, "maxspan needs a time unit (ms, s, m, h or d), e.g. " + std::string(amount.raw) + "s");
    static constexpr std::array<std::pair<std::string_view, int64_t>, 5> kUnits = {
        {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};
    for (const auto& [name, millis] : kUnits) {
      if (text::equal(unit.text, name, true)) {
        next();
        if (value < 0 || value * static_cast<double>(millis) > 1e15) fail(amount, "maxspan is out of range");
        return Duration{static_cast<int64_t>(value * static_cast<double>(millis)), std::string(amount.raw) + unit.text};
      }
    }
    fail(unit, "unknown time unit '" + unit.text + "' (use ms, s, m, h or d)");
  }

  void parse_pipes(Query& query) {
    while (peek().kind == TokenKind::Pipe) {
      Pipe pipe;
      pipe.pos = next().pos;
      const Token& name = peek();
      if (name.kind != TokenKind::Word) fail(name, "expected a pipe name after '|', found " + describe(name));
      pipe.name = name.text;
      next();
      if (peek().kind != TokenKind::Pipe && peek().kind != TokenKind::End) {
        pipe.args.push_back(parse_expression());
        while (accept(TokenKind::Comma)) pipe.args.push_back(parse_expression());
      }
      query.pipes.push_back(std::move(pipe));
    }
  }

  // --- expressions ------------------------------------------------------

  ExprPtr parse_expression() {
    DepthGuard guard(*this, peek());
    return parse_logical(LogicalOp::Or);
  }

  // `or` binds loosest, then `and`; chains are flattened into one node.
  ExprPtr parse_logical(LogicalOp op) {
    const std::string_view keyword = op == LogicalOp::Or ? "or" : "and";
    auto parse_operand = [&] { return op == LogicalOp::Or ? parse_logical(LogicalOp::And) : parse_not(); };
    ExprPtr first = parse_operand();
    if (!word_is(peek(), keyword)) return first;
    const SourcePos pos = first->pos;
    std::vector<ExprPtr> operands;
    append_flattened(operands, std::move(first), op);
    while (accept_word(keyword)) append_flattened(operands, parse_operand(), op);
    return make(pos, Logical{op, std::move(operands)});
  }

  ExprPtr parse_not() {
    if (!word_is(peek(), "not")) return parse_predicate();
    const Token& keyword = next();
    DepthGuard guard(*this, keyword);
    return make(keyword.pos, Not{parse_not()});
  }

  static bool is_comparison(TokenKind kind) {
    return kind == TokenKind::Eq || kind == TokenKind::Ne || kind == TokenKind::Lt || kind == TokenKind::Le ||
           kind == TokenKind::Gt || kind == TokenKind::Ge;
  }

  static CompareOp comparison_op(TokenKind kind) {
    switch (kind) {
      case TokenKind::Eq:
        return CompareOp::Eq;
      case TokenKind::Ne:
        return CompareOp::Ne;
      case TokenKind::Lt:
        return CompareOp::Lt;
      case TokenKind::Le:
        return CompareOp::Le;
      case TokenKind::Gt:
        return CompareOp::Gt;
      default:
        return CompareOp::Ge;
    }
  }

  static bool is_word_or_tilde(const Token& token, std::string_view word) {
    return (token.kind == TokenKind::Word || token.kind == TokenKind::TildeWord) && text::equal(token.text, word, true);
  }

  ExprPtr parse_predicate() {
    ExprPtr left = parse_additive();
    const Token& op = peek();

    if (is_comparison(op.kind)) {
      next();
      ExprPtr right = parse_additive();
      if (is_comparison(peek().kind)) fail(peek(), "comparisons cannot be chained; combine them with 'and'");
      return make(op.pos, Comparison{comparison_op(op.kind), std::move(left), std::move(right)});
    }
    if (op.kind == TokenKind::Assign)
      fail(op, "'=' is not an EQL operator; use '==' (or ':' for case-insensitive wildcard matching)");
    if (op.kind == TokenKind::Colon) {
      next();
      return make(op.pos, PatternMatch{PatternOp::Like, true, std::move(left), parse_patterns(op)});
    }
    if (word_is(op, "not") && is_word_or_tilde(peek(1), "in")) {
      next();
      const Token& in = next();
      return make(op.pos, InList{std::move(left), parse_in_items(), in.kind == TokenKind::TildeWord, true});
    }
    if (word_is(op, "not") &&
        (is_word_or_tilde(peek(1), "like") || is_word_or_tilde(peek(1), "regex") || peek(1).kind == TokenKind::Colon))
      fail(op, "'not' can only precede 'in' here; write 'not (x like ...)' instead");
    if (is_word_or_tilde(op, "in")) {
      next();
      return make(op.pos, InList{std::move(left), parse_in_items(), op.kind == TokenKind::TildeWord, false});
    }
    if (is_word_or_tilde(op, "like") || is_word_or_tilde(op, "regex")) {
      next();
      const PatternOp kind = is_word_or_tilde(op, "like") ? PatternOp::Like : PatternOp::Regex;
      return make(op.pos, PatternMatch{kind, op.kind == TokenKind::TildeWord, std::move(left), parse_patterns(op)});
    }
    if (word_is(op, "of"))
      fail(op, "lineage queries ('descendant of', 'child of', 'event of') are not supported by Elasticsearch EQL");
    return left;
  }

  std::vector<ExprPtr> parse_in_items() {
    std::vector<ExprPtr> items;
    if (peek().kind != TokenKind::LParen) {  // lenient: a single value without parentheses
      items.push_back(parse_additive());
      return items;
    }
    const Token& open = next();
    DepthGuard guard(*this, open);
    if (peek().kind == TokenKind::RParen) fail(peek(), "empty list after 'in'");
    items.push_back(parse_expression());
    while (accept(TokenKind::Comma)) items.push_back(parse_expression());
    expect_closing(TokenKind::RParen, open, "to close the list");
    return items;
  }

  ExprPtr parse_pattern(const Token& op) {
    const Token& token = peek();
    if (token.kind != TokenKind::String)
      fail(token, "expected a string pattern after " + describe(op) + ", found " + describe(token));
    next();
    return make(token.pos, Literal{token.text});
  }

  std::vector<ExprPtr> parse_patterns(const Token& op) {
    std::vector<ExprPtr> patterns;
    if (peek().kind != TokenKind::LParen) {
      patterns.push_back(parse_pattern(op));
      return patterns;
    }
    const Token& open = next();
    patterns.push_back(parse_pattern(op));
    while (accept(TokenKind::Comma)) patterns.push_back(parse_pattern(op));
    expect_closing(TokenKind::RParen, open, "to close the pattern list");
    return patterns;
  }

  ExprPtr parse_additive() {
    ExprPtr left = parse_multiplicative();
    ChainGuard chain(*this);
    while (peek().kind == TokenKind::Plus || peek().kind == TokenKind::Minus) {
      const Token& op = next();
      chain.link(op);
      ExprPtr right = parse_multiplicative();
      const ArithOp kind = op.kind == TokenKind::Plus ? ArithOp::Add : ArithOp::Sub;
      left = make(op.pos, Arithmetic{kind, std::move(left), std::move(right)});
    }
    return left;
  }

  ExprPtr parse_multiplicative() {
    ExprPtr left = parse_unary();
    ChainGuard chain(*this);
    while (peek().kind == TokenKind::Star || peek().kind == TokenKind::Slash || peek().kind == TokenKind::Percent) {
      const Token& op = next();
      chain.link(op);
      ExprPtr right = parse_unary();
      const ArithOp kind = op.kind == TokenKind::Star    ? ArithOp::Mul
                           : op.kind == TokenKind::Slash ? ArithOp::Div
                                                         : ArithOp::Mod;
      left = make(op.pos, Arithmetic{kind, std::move(left), std::move(right)});
    }
    return left;
  }

  ExprPtr parse_unary() {
    const Token& sign = peek();
    if (sign.kind != TokenKind::Minus && sign.kind != TokenKind::Plus) return parse_primary();
    next();
    DepthGuard guard(*this, sign);
    ExprPtr operand = parse_unary();
    if (sign.kind == TokenKind::Plus) return operand;
    // Fold negative literals so that `-5` is a constant, not arithmetic.
    if (const auto* lit = operand->as<Literal>()) {
      if (const auto* i = std::get_if<int64_t>(&lit->value)) return make(sign.pos, Literal{-*i});
      if (const auto* d = std::get_if<double>(&lit->value)) return make(sign.pos, Literal{-*d});
    }
    return make(sign.pos, Arithmetic{ArithOp::Sub, make(sign.pos, Literal{int64_t{0}}), std::move(operand)});
  }

  ExprPtr parse_primary() {
    const Token& token = peek();
    switch (token.kind) {
      case TokenKind::LParen: {
        next();
        ExprPtr inner = parse_expression();
        expect_closing(TokenKind::RParen, token, "to close '('");
        return inner;
      }
      case TokenKind::String:
        next();
        return make(token.pos, Literal{token.text});
      case TokenKind::Integer:
        next();
        return make(token.pos, Literal{token.integer});
      case TokenKind::Decimal:
        next();
        return make(token.pos, Literal{token.decimal});
      case TokenKind::Question: {
        next();
        if (peek().kind != TokenKind::QuotedName && (peek().kind != TokenKind::Word || is_reserved(peek())))
          fail(peek(), "expected a field name after '?', found " + describe(peek()));
        return parse_field(true, token.pos);
      }
      case TokenKind::QuotedName:
        return parse_field(false, token.pos);
      case TokenKind::Word:
      case TokenKind::TildeWord:
        break;
      default:
        fail(token, "expected a value (field, literal or function call), found " + describe(token));
    }
    if (peek(1).kind == TokenKind::LParen && !is_reserved(token)) return parse_call();
    if (word_is(token, "null") || word_is(token, "true") || word_is(token, "false")) {
      next();
      if (word_is(token, "null")) return make(token.pos, Literal{});
      return make(token.pos, Literal{word_is(token, "true")});
    }
    if (token.kind == TokenKind::TildeWord) fail(token, "unexpected " + describe(token));
    if (is_reserved(token)) fail(token, "expected a value (field, literal or function call), found " + describe(token));
    return parse_field(false, token.pos);
  }

  ExprPtr parse_field(bool optional, SourcePos pos) {
    std::string name = next().text;
    while (peek().kind == TokenKind::Dot) {
      next();
      const Token& segment = peek();
      if (segment.kind != TokenKind::Word && segment.kind != TokenKind::QuotedName)
        fail(segment, "expected a field name after '.', found " + describe(segment));
      name += '.';
      name += segment.text;
      next();
    }
    return make(pos, Field{std::move(name), optional});
  }

  ExprPtr parse_call() {
    const Token& name = next();
    const Token& open = next();  // '('
    DepthGuard guard(*this, open);
    Call call{name.text, name.kind == TokenKind::TildeWord, {}};
    if (!accept(TokenKind::RParen)) {
      call.args.push_back(parse_expression());
      while (accept(TokenKind::Comma)) call.args.push_back(parse_expression());
      expect_closing(TokenKind::RParen, open, "to close the argument list of " + name.text + "()");
    }
    return make(name.pos, std::move(call));
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Query parse_query(std::string_view text) {
  return Parser(text).parse_query();
}

Condition parse_condition(std::string_view text) {
  return Parser(text).parse_condition();
}

}  // namespace auditeql::eql
