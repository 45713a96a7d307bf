#include "eql/ast.h"

#include <charconv>

#include "util/json_writer.h"

namespace auditeql::eql {

std::string_view to_string(QueryKind kind) {
  switch (kind) {
    case QueryKind::Event:
      return "event";
    case QueryKind::Sequence:
      return "sequence";
    case QueryKind::Sample:
      return "sample";
  }
  return "?";
}

namespace {

void describe_into(std::string& out, const Expr& expr);

void describe_list(std::string& out, const std::vector<ExprPtr>& items) {
  out += '[';
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ' ';
    describe_into(out, *items[i]);
  }
  out += ']';
}

std::string_view compare_symbol(CompareOp op) {
  switch (op) {
    case CompareOp::Eq:
      return "==";
    case CompareOp::Ne:
      return "!=";
    case CompareOp::Lt:
      return "<";
    case CompareOp::Le:
      return "<=";
    case CompareOp::Gt:
      return ">";
    case CompareOp::Ge:
      return ">=";
  }
  return "?";
}

std::string_view arith_symbol(ArithOp op) {
  switch (op) {
    case ArithOp::Add:
      return "+";
    case ArithOp::Sub:
      return "-";
    case ArithOp::Mul:
      return "*";
    case ArithOp::Div:
      return "/";
    case ArithOp::Mod:
      return "%";
  }
  return "?";
}

void describe_literal(std::string& out, const Literal& lit) {
  struct Visitor {
    std::string& out;
    void operator()(std::monostate) const { out += "null"; }
    void operator()(bool b) const { out += b ? "true" : "false"; }
    void operator()(int64_t i) const { out += std::to_string(i); }
    void operator()(double d) const {
      char buffer[32];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
      std::string_view text(buffer, static_cast<size_t>(end - buffer));
      out += text;
      if (text.find_first_of(".eEn") == std::string_view::npos) out += ".0";
    }
    void operator()(const std::string& s) const { util::append_json_string(out, s); }
  };
  std::visit(Visitor{out}, lit.value);
}

void describe_into(std::string& out, const Expr& expr) {
  struct Visitor {
    std::string& out;
    void operator()(const Literal& lit) const { describe_literal(out, lit); }
    void operator()(const Field& field) const {
      if (field.optional) out += '?';
      out += field.name;
    }
    void operator()(const Logical& logical) const {
      out += logical.op == LogicalOp::And ? "(and" : "(or";
      for (const ExprPtr& operand : logical.operands) {
        out += ' ';
        describe_into(out, *operand);
      }
      out += ')';
    }
    void operator()(const Not& n) const {
      out += "(not ";
      describe_into(out, *n.operand);
      out += ')';
    }
    void operator()(const Comparison& c) const {
      out += '(';
      out += compare_symbol(c.op);
      out += ' ';
      describe_into(out, *c.left);
      out += ' ';
      describe_into(out, *c.right);
      out += ')';
    }
    void operator()(const InList& in) const {
      out += in.negated ? "(not-in" : "(in";
      if (in.case_insensitive) out += '~';
      out += ' ';
      describe_into(out, *in.value);
      out += ' ';
      describe_list(out, in.items);
      out += ')';
    }
    void operator()(const PatternMatch& p) const {
      out += p.op == PatternOp::Like ? "(like" : "(regex";
      if (p.case_insensitive) out += '~';
      out += ' ';
      describe_into(out, *p.value);
      out += ' ';
      describe_list(out, p.patterns);
      out += ')';
    }
    void operator()(const Arithmetic& a) const {
      out += '(';
      out += arith_symbol(a.op);
      out += ' ';
      describe_into(out, *a.left);
      out += ' ';
      describe_into(out, *a.right);
      out += ')';
    }
    void operator()(const Call& call) const {
      out += '(';
      out += call.name;
      if (call.case_insensitive) out += '~';
      for (const ExprPtr& arg : call.args) {
        out += ' ';
        describe_into(out, *arg);
      }
      out += ')';
    }
  };
  std::visit(Visitor{out}, expr.node);
}

void describe_filter(std::string& out, const EventFilter& filter) {
  out += filter.category;
  out += " where ";
  describe_into(out, *filter.condition.root);
}

void describe_stage(std::string& out, const Stage& stage) {
  out += stage.missing ? "![" : "[";
  describe_filter(out, stage.filter);
  out += ']';
  if (!stage.by.empty()) {
    out += " by ";
    describe_list(out, stage.by);
  }
  if (stage.runs) out += " runs=" + std::to_string(*stage.runs);
}

}  // namespace

std::string describe(const Expr& expr) {
  std::string out;
  describe_into(out, expr);
  return out;
}

std::string describe(const Query& query) {
  std::string out;
  if (query.kind == QueryKind::Event) {
    describe_filter(out, query.event);
  } else {
    out += to_string(query.kind);
    if (!query.by.empty()) {
      out += " by ";
      describe_list(out, query.by);
    }
    if (query.maxspan) out += " maxspan=" + std::to_string(query.maxspan->milliseconds) + "ms";
    for (const Stage& stage : query.stages) {
      out += ' ';
      describe_stage(out, stage);
    }
    if (query.until) {
      out += " until ";
      describe_stage(out, *query.until);
    }
  }
  for (const Pipe& pipe : query.pipes) {
    out += " | " + pipe.name;
    for (const ExprPtr& arg : pipe.args) {
      out += ' ';
      describe_into(out, *arg);
    }
  }
  return out;
}

}  // namespace auditeql::eql
