#include "eql/compile.h"

#include <array>
#include <optional>

#include "eql/program.h"
#include "eql/text.h"
#include "util/text.h"

namespace auditeql::eql {

namespace detail {

struct Program {
  PredicatePtr root;
  std::vector<FieldUse> fields;
  // Every test of a field's own values in the tree (owned by `root`).
  std::vector<std::pair<FieldId, const Matcher*>> field_tests;
};

// ---------------------------------------------------------------------------
// Out-of-line evaluation

namespace {
// A call runs once per combination of its argument values: k^n for n
// arguments of k values, and nesting multiplies, so a hostile event (3,000
// arguments) or query could take forever. All the calls of one condition on
// one event share this many combinations (matches() sets it); the rest count
// as giving no value. Calls on single-valued fields use one.
constexpr uint64_t kMaxCallCombinations = uint64_t{1} << 16;
thread_local uint64_t call_budget = 0;
}  // namespace

bool CallValue::any(const Document& doc, ValueSink sink) const {
  constexpr size_t kInlineArgs = 16;
  if (args_.size() <= kInlineArgs) {
    std::array<Scalar, kInlineArgs> argv;
    return enumerate(doc, 0, argv.data(), sink);
  }
  std::vector<Scalar> argv(args_.size());
  return enumerate(doc, 0, argv.data(), sink);
}

bool CallValue::enumerate(const Document& doc, size_t index, Scalar* argv, ValueSink sink) const {
  if (call_budget == 0) return false;
  if (index == args_.size()) {
    --call_budget;
    std::string scratch;  // holds string results while the sink looks at them
    const Scalar result = spec_.impl(std::span<const Scalar>(argv, args_.size()), fold_, scratch);
    return !result.is_null() && sink(result);
  }
  bool produced = false;
  auto with_value = [&](const Scalar& v) {
    produced = true;
    argv[index] = v;
    return enumerate(doc, index + 1, argv, sink);
  };
  if (args_[index]->any(doc, with_value)) return true;
  if (produced) return false;
  argv[index] = Scalar::null();
  return enumerate(doc, index + 1, argv, sink);
}

bool PairTest::eval(const Document& doc) const {
  auto with_left = [&](const Scalar& a) {
    auto with_right = [&](const Scalar& b) { return compare_scalars(a, op_, b, fold_); };
    return right_->any(doc, with_right);
  };
  return left_->any(doc, with_left);
}

// ---------------------------------------------------------------------------
// Compiler

namespace {

struct CompiledValue {
  ValuePtr node;
  StaticType type = StaticType::Any;
};

std::string_view type_name(StaticType type) {
  switch (type) {
    case StaticType::Any:
      return "a value";
    case StaticType::Null:
      return "null";
    case StaticType::Bool:
      return "a boolean";
    case StaticType::Number:
      return "a number";
    case StaticType::String:
      return "a string";
  }
  return "a value";
}

StaticType literal_type(const Literal& lit) {
  struct Visitor {
    StaticType operator()(std::monostate) const { return StaticType::Null; }
    StaticType operator()(bool) const { return StaticType::Bool; }
    StaticType operator()(int64_t) const { return StaticType::Number; }
    StaticType operator()(double) const { return StaticType::Number; }
    StaticType operator()(const std::string&) const { return StaticType::String; }
  };
  return std::visit(Visitor{}, lit.value);
}

Constant literal_constant(const Literal& lit) {
  struct Visitor {
    Constant operator()(std::monostate) const { return {}; }
    Constant operator()(bool v) const { return Constant::of(Scalar::boolean(v)); }
    Constant operator()(int64_t v) const { return Constant::of(Scalar::integer(v)); }
    Constant operator()(double v) const { return Constant::of(Scalar::decimal(v)); }
    Constant operator()(const std::string& v) const { return Constant::of(Scalar::string(v)); }
  };
  return std::visit(Visitor{}, lit.value);
}

std::string arity_text(const FunctionSpec& spec) {
  if (spec.max_args < 0) return "at least " + util::counted(spec.min_args, "argument");
  if (spec.min_args == spec.max_args) return util::counted(spec.min_args, "argument");
  return std::to_string(spec.min_args) + " to " + util::counted(spec.max_args, "argument");
}

class Compiler {
 public:
  Compiler(Schema& schema, std::string category) : schema_(schema), category_(std::move(category)) {}

  std::vector<FieldUse> take_fields() { return std::move(fields_); }
  std::vector<std::pair<FieldId, const Matcher*>> take_field_tests() { return std::move(field_tests_); }

  // An expression in boolean context.
  PredicatePtr condition(const Expr& expr) {
    struct Visitor {
      Compiler& self;
      const Expr& expr;
      PredicatePtr operator()(const Literal& lit) const { return self.literal_condition(expr, lit); }
      PredicatePtr operator()(const Field&) const {
        // A bare field holds when it has a boolean true value.
        return self.test(self.value(expr).node, std::make_unique<TruthMatcher>());
      }
      PredicatePtr operator()(const Logical& logical) const { return self.logical(logical); }
      PredicatePtr operator()(const Not& n) const { return negate(self.condition(*n.operand)); }
      PredicatePtr operator()(const Comparison& c) const { return self.comparison(c); }
      PredicatePtr operator()(const InList& in) const { return self.in_list(in); }
      PredicatePtr operator()(const PatternMatch& p) const { return self.pattern(p); }
      PredicatePtr operator()(const Arithmetic&) const {
        throw Error(expr.pos, "an arithmetic expression is not a condition; compare it with something");
      }
      PredicatePtr operator()(const Call& call) const { return self.call_condition(expr, call); }
    };
    return std::visit(Visitor{*this, expr}, expr.node);
  }

 private:
  // --- helpers -----------------------------------------------------------

  static PredicatePtr constant(bool value) { return std::make_unique<ConstantPredicate>(value); }

  static PredicatePtr negate(PredicatePtr inner) {
    if (const auto c = inner->constant()) return constant(!*c);
    return std::make_unique<Negation>(std::move(inner));
  }

  // The values of a field the schema knows for every event this query sees.
  bool known(const ValuePtr& node, FieldValues& values) const {
    const auto* field = dynamic_cast<const FieldValue*>(node.get());
    return field != nullptr && schema_.known_values(field->id(), category_, values);
  }

  // "Some value of `node` passes `matcher`", folded when `node` is constant.
  PredicatePtr test(ValuePtr node, MatcherPtr matcher) const {
    if (const Constant* c = node->constant()) {
      const Scalar v = c->view();
      return constant(!v.is_null() && matcher->test(v));
    }
    if (FieldValues values; known(node, values)) {
      bool any = false;
      for (size_t k = 0; k < values.size() && !any; ++k) {
        const Scalar v = values.at(k);
        any = !v.is_null() && matcher->test(v);
      }
      return constant(any);
    }
    if (const auto* field = dynamic_cast<const FieldValue*>(node.get())) {
      field_tests_.emplace_back(field->id(), matcher.get());
      return std::make_unique<FieldTest>(field->id(), std::move(matcher));
    }
    return std::make_unique<ValueTest>(std::move(node), std::move(matcher));
  }

  PredicatePtr has_value(ValuePtr node) const {
    if (const Constant* c = node->constant()) return constant(!c->view().is_null());
    if (FieldValues values; known(node, values)) return constant(!values.empty());
    return std::make_unique<HasValue>(std::move(node));
  }

  FieldId resolve(const Field& field) {
    const FieldId id = schema_.resolve(field.name);
    for (FieldUse& use : fields_) {
      if (use.id == id) {
        use.optional = use.optional && field.optional;
        return id;
      }
    }
    fields_.push_back(FieldUse{id, field.name, field.optional});
    return id;
  }

  // --- boolean context ---------------------------------------------------

  PredicatePtr literal_condition(const Expr& expr, const Literal& lit) {
    if (lit.is_null()) return constant(false);
    if (const bool* b = std::get_if<bool>(&lit.value)) return constant(*b);
    throw Error(expr.pos, "expected a condition, found " + std::string(type_name(literal_type(lit))));
  }

  PredicatePtr logical(const Logical& logical) {
    const bool is_and = logical.op == LogicalOp::And;
    std::vector<PredicatePtr> parts;
    for (const ExprPtr& operand : logical.operands) {
      PredicatePtr part = condition(*operand);
      if (const auto c = part->constant()) {
        if (*c == is_and) continue;  // `true and x` is x, `false or x` is x
        return constant(*c);         // `false and x` is false, `true or x` is true
      }
      parts.push_back(std::move(part));
    }
    if (parts.empty()) return constant(is_and);
    if (parts.size() == 1) return std::move(parts.front());
    if (is_and) return std::make_unique<AllOf>(std::move(parts));
    return std::make_unique<AnyOf>(std::move(parts));
  }

  PredicatePtr comparison(const Comparison& cmp) {
    CompiledValue left = value(*cmp.left);
    CompiledValue right = value(*cmp.right);
    const Constant* lc = left.node->constant();
    const Constant* rc = right.node->constant();
    const bool left_null = lc && lc->kind == Scalar::Kind::Null;
    const bool right_null = rc && rc->kind == Scalar::Kind::Null;

    if (left_null || right_null) {
      // `x == null` holds when x has no value; ordering against null never holds.
      if (left_null && right_null) return constant(cmp.op == CompareOp::Eq);
      ValuePtr other = left_null ? std::move(right.node) : std::move(left.node);
      if (cmp.op == CompareOp::Eq) return negate(has_value(std::move(other)));
      if (cmp.op == CompareOp::Ne) return has_value(std::move(other));
      return constant(false);
    }
    // `!=` is exactly `not ==`, so a missing field is "not equal".
    if (cmp.op == CompareOp::Ne) {
      return negate(compare(std::move(left), CompareOp::Eq, std::move(right)));
    }
    return compare(std::move(left), cmp.op, std::move(right));
  }

  PredicatePtr compare(CompiledValue left, CompareOp op, CompiledValue right) {
    const Constant* lc = left.node->constant();
    const Constant* rc = right.node->constant();
    if (rc) return test(std::move(left.node), matcher_for(op, *rc));
    if (lc) return test(std::move(right.node), matcher_for(mirror(op), *lc));
    return std::make_unique<PairTest>(std::move(left.node), op, std::move(right.node), false);
  }

  static MatcherPtr matcher_for(CompareOp op, const Constant& c) {
    if (op == CompareOp::Eq) return std::make_unique<EqualsMatcher>(std::vector<Constant>{c}, false);
    return std::make_unique<OrderMatcher>(op, c);
  }

  PredicatePtr in_list(const InList& in) {
    // The tested value is compiled once per use (nodes are not shared);
    // the first copy is made up front so fields are listed in query order.
    std::optional<ValuePtr> first_subject = value(*in.value).node;
    auto subject = [&]() -> ValuePtr {
      if (first_subject) {
        ValuePtr node = std::move(*first_subject);
        first_subject.reset();
        return node;
      }
      return value(*in.value).node;
    };
    std::vector<Constant> constants;
    bool has_null = false;
    std::vector<PredicatePtr> alternatives;
    for (const ExprPtr& item : in.items) {
      CompiledValue compiled = value(*item);
      if (const Constant* c = compiled.node->constant()) {
        if (c->kind == Scalar::Kind::Null) {
          has_null = true;
        } else {
          constants.push_back(*c);
        }
      } else {
        alternatives.push_back(
            std::make_unique<PairTest>(subject(), CompareOp::Eq, std::move(compiled.node), in.case_insensitive));
      }
    }
    std::vector<PredicatePtr> parts;
    if (!constants.empty())
      parts.push_back(test(subject(), std::make_unique<EqualsMatcher>(constants, in.case_insensitive)));
    if (has_null) parts.push_back(negate(has_value(subject())));
    for (PredicatePtr& alternative : alternatives) parts.push_back(std::move(alternative));

    // Constant parts (from constant operands) settle the list or drop out.
    std::vector<PredicatePtr> open;
    for (PredicatePtr& part : parts) {
      if (const auto c = part->constant()) {
        if (*c) return constant(!in.negated);
        continue;
      }
      open.push_back(std::move(part));
    }
    PredicatePtr any;
    if (open.empty()) {
      any = constant(false);
    } else if (open.size() == 1) {
      any = std::move(open.front());
    } else {
      any = std::make_unique<AnyOf>(std::move(open));
    }
    return in.negated ? negate(std::move(any)) : std::move(any);
  }

  PredicatePtr pattern(const PatternMatch& match) {
    std::vector<std::string> texts;
    for (const ExprPtr& p : match.patterns) {
      const auto* lit = p->as<Literal>();
      const std::string* s = lit ? lit->string() : nullptr;
      if (!s) throw Error(p->pos, "patterns must be string literals");
      texts.push_back(*s);
    }
    MatcherPtr matcher;
    if (match.op == PatternOp::Like) {
      matcher = std::make_unique<LikeMatcher>(texts, match.case_insensitive);
    } else {
      std::vector<Regex> regexes;
      for (size_t k = 0; k < texts.size(); ++k) {
        try {
          regexes.push_back(Regex::compile(texts[k], match.case_insensitive));
        } catch (const RegexError& e) {
          throw Error(match.patterns[k]->pos, "invalid regular expression: " + e.detail + " (at character " +
                                                  std::to_string(e.char_index + 1) + " of the pattern)");
        }
      }
      matcher = std::make_unique<RegexMatcher>(std::move(regexes));
    }
    return test(value(*match.value).node, std::move(matcher));
  }

  PredicatePtr call_condition(const Expr& expr, const Call& call) {
    const FunctionSpec& spec = check_call(expr, call);
    if (spec.result == StaticType::Number || spec.result == StaticType::String)
      throw Error(expr.pos, std::string(spec.name) + "() returns " + std::string(type_name(spec.result)) +
                                ", not a boolean; compare it with something");
    // cidrMatch(field, "cidr", ...): parse the blocks once, test each value.
    if (&spec == find_function("cidrMatch")) {
      std::vector<CidrBlock> blocks;
      bool all_constant = true;
      for (size_t k = 1; k < call.args.size() && all_constant; ++k) {
        const auto* lit = call.args[k]->as<Literal>();
        const std::string* s = lit ? lit->string() : nullptr;
        if (!s) {
          all_constant = false;
          break;
        }
        blocks.push_back(*parse_cidr(*s));  // validated by check_call
      }
      if (all_constant) return test(value(*call.args[0]).node, std::make_unique<CidrMatcher>(std::move(blocks)));
    }
    return test(value(expr).node, std::make_unique<TruthMatcher>());
  }

  // --- value context -----------------------------------------------------

  CompiledValue value(const Expr& expr) {
    if (const auto* lit = expr.as<Literal>())
      return {std::make_unique<ConstantValue>(literal_constant(*lit)), literal_type(*lit)};
    if (const auto* field = expr.as<Field>()) return {std::make_unique<FieldValue>(resolve(*field)), StaticType::Any};
    if (const auto* arith = expr.as<Arithmetic>()) return arithmetic(*arith);
    if (const auto* call = expr.as<Call>()) {
      const FunctionSpec& spec = check_call(expr, *call);
      std::vector<CompiledValue> args;
      for (const ExprPtr& arg : call->args) args.push_back(value(*arg));
      return {make_call(spec, call->case_insensitive, std::move(args)), spec.result};
    }
    // A comparison or logical expression used as a value yields a boolean.
    PredicatePtr predicate = condition(expr);
    if (const auto c = predicate->constant())
      return {std::make_unique<ConstantValue>(Constant::of(Scalar::boolean(*c))), StaticType::Bool};
    return {std::make_unique<PredicateValue>(std::move(predicate)), StaticType::Bool};
  }

  CompiledValue arithmetic(const Arithmetic& arith) {
    static constexpr std::array<std::string_view, 5> kSymbols = {"+", "-", "*", "/", "%"};
    std::vector<CompiledValue> args;
    for (const ExprPtr& side : {arith.left, arith.right}) {
      CompiledValue v = value(*side);
      if (v.type == StaticType::String || v.type == StaticType::Bool)
        throw Error(side->pos, "operator " + std::string(kSymbols[static_cast<size_t>(arith.op)]) +
                                   " needs numbers, found " + std::string(type_name(v.type)));
      args.push_back(std::move(v));
    }
    const FunctionSpec* spec = nullptr;
    switch (arith.op) {
      case ArithOp::Add:
        spec = &add_function();
        break;
      case ArithOp::Sub:
        spec = &subtract_function();
        break;
      case ArithOp::Mul:
        spec = &multiply_function();
        break;
      case ArithOp::Div:
        spec = &divide_function();
        break;
      case ArithOp::Mod:
        spec = &modulo_function();
        break;
    }
    return {make_call(*spec, false, std::move(args)), StaticType::Number};
  }

  // Builds a call node, evaluating it right away when every argument is
  // a constant.
  static ValuePtr make_call(const FunctionSpec& spec, bool fold_case, std::vector<CompiledValue> args) {
    bool all_constant = true;
    for (const CompiledValue& arg : args) all_constant = all_constant && arg.node->constant();
    if (all_constant) {
      std::vector<Scalar> argv;
      for (const CompiledValue& arg : args) argv.push_back(arg.node->constant()->view());
      std::string scratch;
      const Scalar result = spec.impl(argv, fold_case, scratch);
      return std::make_unique<ConstantValue>(Constant::of(result));  // copies the bytes
    }
    std::vector<ValuePtr> nodes;
    for (CompiledValue& arg : args) nodes.push_back(std::move(arg.node));
    return std::make_unique<CallValue>(spec, fold_case, std::move(nodes));
  }

  const FunctionSpec& check_call(const Expr& expr, const Call& call) const {
    const FunctionSpec* spec = find_function(call.name);
    if (!spec)
      throw Error(expr.pos, "unknown function '" + call.name + "' (known functions: " + function_names() + ")");
    if (call.case_insensitive && !spec->has_insensitive_variant)
      throw Error(expr.pos, std::string(spec->name) + "() has no case-insensitive '~' variant");
    const auto count = static_cast<int>(call.args.size());
    if (count < spec->min_args || (spec->max_args >= 0 && count > spec->max_args))
      throw Error(expr.pos,
                  std::string(spec->name) + "() takes " + arity_text(*spec) + ", got " + std::to_string(count));
    for (size_t k = 0; k < call.args.size(); ++k) {
      const auto* lit = call.args[k]->as<Literal>();
      if (!lit || lit->is_null()) continue;
      const char want = spec->params[std::min(k, spec->params.size() - 1)];
      const StaticType have = literal_type(*lit);
      const bool ok =
          want == '*' || (want == 'S' && have == StaticType::String) || (want == 'N' && have == StaticType::Number) ||
          (want == 'I' && std::holds_alternative<int64_t>(lit->value)) || (want == 'B' && have == StaticType::Bool);
      if (!ok) {
        const std::string_view wanted = want == 'S'   ? "a string"
                                        : want == 'N' ? "a number"
                                        : want == 'I' ? "an integer"
                                                      : "a boolean";
        throw Error(call.args[k]->pos, "argument " + std::to_string(k + 1) + " of " + std::string(spec->name) +
                                           "() must be " + std::string(wanted) + ", found " +
                                           std::string(type_name(have)));
      }
      if (spec == find_function("cidrMatch") && k > 0 && !parse_cidr(*lit->string()))
        throw Error(call.args[k]->pos, "invalid CIDR block \"" + *lit->string() + "\"");
    }
    return *spec;
  }

  Schema& schema_;
  std::string category_;
  std::vector<FieldUse> fields_;
  // Filled by test(), which is const like the other helpers that build nodes.
  mutable std::vector<std::pair<FieldId, const Matcher*>> field_tests_;
};

}  // namespace

}  // namespace detail

// ---------------------------------------------------------------------------
// Public API

bool CompiledCondition::matches(const Document& document) const {
  detail::call_budget = detail::kMaxCallCombinations;
  return program_ && program_->root->eval(document);
}

const std::vector<FieldUse>& CompiledCondition::fields() const {
  static const std::vector<FieldUse> kNone;
  return program_ ? program_->fields : kNone;
}

bool CompiledCondition::passes_a_test_of(FieldId field, const Scalar& value) const {
  if (!program_ || value.is_null()) return false;
  for (const auto& [id, matcher] : program_->field_tests) {
    if (id == field && matcher->test(value)) return true;
  }
  return false;
}

CompiledCondition compile_condition(const Condition& condition, Schema& schema, std::string_view category) {
  if (!condition.root) throw Error(SourcePos{}, "empty condition");
  detail::Compiler compiler(schema, std::string(category));
  auto program = std::make_shared<detail::Program>();
  program->root = compiler.condition(*condition.root);
  program->fields = compiler.take_fields();
  program->field_tests = compiler.take_field_tests();
  CompiledCondition compiled;
  compiled.program_ = std::move(program);
  return compiled;
}

CompiledQuery compile(const Query& query, Schema& schema) {
  if (query.kind != QueryKind::Event)
    throw Error(query.pos, std::string(to_string(query.kind)) + " queries are not evaluated yet");
  if (!query.pipes.empty())
    throw Error(query.pipes.front().pos, "pipes ('| " + query.pipes.front().name + "') are not evaluated yet");
  return compile_filter(query.event, schema);
}

CompiledQuery compile_filter(const EventFilter& filter, Schema& schema) {
  CompiledQuery compiled;
  compiled.category_ = filter.category;
  compiled.condition_ = compile_condition(filter.condition, schema, filter.category);
  return compiled;
}

}  // namespace auditeql::eql
