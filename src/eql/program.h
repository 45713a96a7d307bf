// The evaluation tree a query compiles to (internal).
//
// Predicates answer true/false for a document; value nodes produce the
// values of an expression (a field may have several, a function yields one
// result per combination of argument values). Values are pushed into a sink
// that can stop the enumeration, so "does any value satisfy X" never
// materialises a list.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "eql/functions.h"
#include "eql/matchers.h"
#include "eql/values.h"

namespace auditeql::eql::detail {

// A non-owning reference to a callable `bool(const Scalar&)`; returning true
// stops the enumeration.
class ValueSink {
 public:
  template <class F>
  requires(!std::is_same_v<std::remove_cvref_t<F>, ValueSink>)
      ValueSink(F& callable)  // NOLINT(google-explicit-constructor): used like a function parameter
      : object_(&callable), call_([](void* object, const Scalar& v) { return (*static_cast<F*>(object))(v); }) {}

  bool operator()(const Scalar& value) const { return call_(object_, value); }

 private:
  void* object_;
  bool (*call_)(void*, const Scalar&);
};

class ValueNode {
 public:
  virtual ~ValueNode() = default;
  // Offers each non-null value to `sink` until it returns true; returns
  // whether it did. No values means null/missing.
  virtual bool any(const Document& doc, ValueSink sink) const = 0;
  // For folding: the value when known without a document.
  virtual const Constant* constant() const { return nullptr; }
};

class Predicate {
 public:
  virtual ~Predicate() = default;
  virtual bool eval(const Document& doc) const = 0;
  virtual std::optional<bool> constant() const { return std::nullopt; }
  // Rough relative price of eval(): conjunctions and disjunctions try their
  // cheap parts first (they have no side effects, so order is free).
  virtual int cost() const { return 4; }
};

// Cheapest first; the stable sort keeps the written order among equals.
inline std::vector<std::unique_ptr<const Predicate>> cheapest_first(std::vector<std::unique_ptr<const Predicate>> parts) {
  std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a->cost() < b->cost(); });
  return parts;
}

using ValuePtr = std::unique_ptr<const ValueNode>;
using PredicatePtr = std::unique_ptr<const Predicate>;
using MatcherPtr = std::unique_ptr<const Matcher>;

// --- value nodes -------------------------------------------------------

class ConstantValue final : public ValueNode {
 public:
  explicit ConstantValue(Constant value) : value_(std::move(value)) {}
  bool any(const Document&, ValueSink sink) const override {
    const Scalar v = value_.view();
    return !v.is_null() && sink(v);
  }
  const Constant* constant() const override { return &value_; }

 private:
  Constant value_;
};

class FieldValue final : public ValueNode {
 public:
  explicit FieldValue(FieldId id) : id_(id) {}
  bool any(const Document& doc, ValueSink sink) const override {
    const FieldValues values = doc.get(id_);
    for (size_t k = 0; k < values.size(); ++k) {
      const Scalar v = values.at(k);
      if (!v.is_null() && sink(v)) return true;
    }
    return false;
  }
  FieldId id() const { return id_; }

 private:
  FieldId id_;
};

// A function applied to every combination of its arguments' values; a
// missing argument is passed as null.
class CallValue final : public ValueNode {
 public:
  CallValue(const FunctionSpec& spec, bool fold_case, std::vector<ValuePtr> args)
      : spec_(spec), fold_(fold_case), args_(std::move(args)) {}
  bool any(const Document& doc, ValueSink sink) const override;

 private:
  bool enumerate(const Document& doc, size_t index, Scalar* argv, ValueSink sink) const;

  const FunctionSpec& spec_;
  bool fold_;
  std::vector<ValuePtr> args_;
};

// A boolean sub-expression used as a value, e.g. `(a == b) == true`.
class PredicateValue final : public ValueNode {
 public:
  explicit PredicateValue(PredicatePtr predicate) : predicate_(std::move(predicate)) {}
  bool any(const Document& doc, ValueSink sink) const override { return sink(Scalar::boolean(predicate_->eval(doc))); }

 private:
  PredicatePtr predicate_;
};

// --- predicates ----------------------------------------------------------

class ConstantPredicate final : public Predicate {
 public:
  explicit ConstantPredicate(bool value) : value_(value) {}
  bool eval(const Document&) const override { return value_; }
  std::optional<bool> constant() const override { return value_; }
  int cost() const override { return 0; }

 private:
  bool value_;
};

class AllOf final : public Predicate {
 public:
  explicit AllOf(std::vector<PredicatePtr> parts) : parts_(cheapest_first(std::move(parts))) {}
  bool eval(const Document& doc) const override {
    for (const PredicatePtr& p : parts_) {
      if (!p->eval(doc)) return false;
    }
    return true;
  }
  int cost() const override {
    int total = 0;
    for (const auto& p : parts_) total += p->cost();
    return total;
  }

 private:
  std::vector<PredicatePtr> parts_;
};

class AnyOf final : public Predicate {
 public:
  explicit AnyOf(std::vector<PredicatePtr> parts) : parts_(cheapest_first(std::move(parts))) {}
  bool eval(const Document& doc) const override {
    for (const PredicatePtr& p : parts_) {
      if (p->eval(doc)) return true;
    }
    return false;
  }
  int cost() const override {
    int total = 0;
    for (const auto& p : parts_) total += p->cost();
    return total;
  }

 private:
  std::vector<PredicatePtr> parts_;
};

class Negation final : public Predicate {
 public:
  explicit Negation(PredicatePtr inner) : inner_(std::move(inner)) {}
  bool eval(const Document& doc) const override { return !inner_->eval(doc); }
  int cost() const override { return inner_->cost(); }

 private:
  PredicatePtr inner_;
};

// The common case, kept free of indirection: some value of a field passes.
class FieldTest final : public Predicate {
 public:
  FieldTest(FieldId id, MatcherPtr matcher) : id_(id), matcher_(std::move(matcher)) {}
  int cost() const override { return 1 + matcher_->cost(); }
  bool eval(const Document& doc) const override {
    const FieldValues values = doc.get(id_);
    for (size_t k = 0; k < values.size(); ++k) {
      const Scalar v = values.at(k);
      if (!v.is_null() && matcher_->test(v)) return true;
    }
    return false;
  }

 private:
  FieldId id_;
  MatcherPtr matcher_;
};

// Some value of an expression passes.
class ValueTest final : public Predicate {
 public:
  ValueTest(ValuePtr value, MatcherPtr matcher) : value_(std::move(value)), matcher_(std::move(matcher)) {}
  int cost() const override { return 4 + matcher_->cost(); }
  bool eval(const Document& doc) const override {
    auto passes = [this](const Scalar& v) { return matcher_->test(v); };
    return value_->any(doc, passes);
  }

 private:
  ValuePtr value_;
  MatcherPtr matcher_;
};

// The expression has at least one non-null value (`x != null`).
class HasValue final : public Predicate {
 public:
  explicit HasValue(ValuePtr value) : value_(std::move(value)) {}
  int cost() const override { return 1; }
  bool eval(const Document& doc) const override {
    auto found = [](const Scalar&) { return true; };
    return value_->any(doc, found);
  }

 private:
  ValuePtr value_;
};

// Some value of `left` and some value of `right` satisfy `op`.
class PairTest final : public Predicate {
 public:
  PairTest(ValuePtr left, CompareOp op, ValuePtr right, bool fold_case)
      : left_(std::move(left)), right_(std::move(right)), op_(op), fold_(fold_case) {}
  bool eval(const Document& doc) const override;

 private:
  ValuePtr left_;
  ValuePtr right_;
  CompareOp op_;
  bool fold_;
};

}  // namespace auditeql::eql::detail
