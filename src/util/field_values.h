// Read-only views of field values, shared by the stages that produce
// fields (ecs: the normalized event) and those that read them (eql: the
// compiled queries), so that a value crosses from one to the other without
// conversion or copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace auditeql::util {

// One value. Strings are views: whoever builds a Scalar keeps the bytes alive.
struct Scalar {
  enum class Kind : uint8_t { Null, Bool, Int, Double, String };

  Kind kind = Kind::Null;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string_view s;

  static constexpr Scalar null() { return {}; }
  static constexpr Scalar boolean(bool v) { return {Kind::Bool, v, 0, 0, {}}; }
  static constexpr Scalar integer(int64_t v) { return {Kind::Int, false, v, 0, {}}; }
  static constexpr Scalar decimal(double v) { return {Kind::Double, false, 0, v, {}}; }
  static constexpr Scalar string(std::string_view v) { return {Kind::String, false, 0, 0, v}; }

  bool is_null() const { return kind == Kind::Null; }
  bool is_number() const { return kind == Kind::Int || kind == Kind::Double; }
};

// The values of one field in one event, without owning them. A field is
// "empty" when it is missing, null or an empty array; `f == null` is true
// exactly then. Multi-valued fields (process.args) are any-of: a comparison
// holds when it holds for at least one value.
class FieldValues {
 public:
  enum class Shape : uint8_t { Empty, String, Strings, StringViews, Int, Double, Bool, Scalars };

  FieldValues() = default;
  static FieldValues none() { return {}; }
  static FieldValues of(std::string_view v) {
    FieldValues f(Shape::String, 1);
    f.one_string_ = v;
    return f;
  }
  static FieldValues of(const char* v) { return of(std::string_view(v)); }
  static FieldValues of(std::span<const std::string> v) {
    FieldValues f(Shape::Strings, v.size());
    f.strings_ = v.data();
    return f;
  }
  static FieldValues of(std::span<const std::string_view> v) {
    FieldValues f(Shape::StringViews, v.size());
    f.views_ = v.data();
    return f;
  }
  static FieldValues of(std::span<const Scalar> v) {
    FieldValues f(Shape::Scalars, v.size());
    f.scalars_ = v.data();
    return f;
  }
  static FieldValues of(int64_t v) {
    FieldValues f(Shape::Int, 1);
    f.int_ = v;
    return f;
  }
  static FieldValues of(int v) { return of(static_cast<int64_t>(v)); }
  static FieldValues of(double v) {
    FieldValues f(Shape::Double, 1);
    f.double_ = v;
    return f;
  }
  static FieldValues of(bool v) {
    FieldValues f(Shape::Bool, 1);
    f.bool_ = v;
    return f;
  }

  Shape shape() const { return shape_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  Scalar at(size_t index) const {
    switch (shape_) {
      case Shape::Empty:
        return Scalar::null();
      case Shape::String:
        return Scalar::string(one_string_);
      case Shape::Strings:
        return Scalar::string(strings_[index]);
      case Shape::StringViews:
        return Scalar::string(views_[index]);
      case Shape::Int:
        return Scalar::integer(int_);
      case Shape::Double:
        return Scalar::decimal(double_);
      case Shape::Bool:
        return Scalar::boolean(bool_);
      case Shape::Scalars:
        return scalars_[index];
    }
    return Scalar::null();
  }

 private:
  FieldValues(Shape shape, size_t size) : shape_(shape), size_(size) {}

  Shape shape_ = Shape::Empty;
  size_t size_ = 0;
  union {
    int64_t int_ = 0;
    const std::string* strings_;
    const std::string_view* views_;
    const Scalar* scalars_;
    double double_;
    bool bool_;
  };
  std::string_view one_string_;
};

}  // namespace auditeql::util
