// The EQL function library (internal): add, between, cidrMatch, concat,
// divide, endsWith, indexOf, length, modulo, multiply, number, startsWith,
// string, stringContains, substring, subtract.
//
// Every function returns null when a required argument is null; null is
// false in a boolean context and makes comparisons false. Positions and
// lengths count characters (code points), not bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "eql/values.h"

namespace auditeql::eql::detail {

// What the compiler knows about a value before seeing any event.
enum class StaticType : uint8_t { Any, Null, Bool, Number, String };

// Computes one result. `fold_case` is set for the `~` variants. Returned
// strings may point into the arguments or into `scratch`, which the caller
// keeps alive while it uses the result.
using FunctionImpl = Scalar (*)(std::span<const Scalar> args, bool fold_case, std::string& scratch);

struct FunctionSpec {
  std::string_view name;  // canonical spelling, e.g. "startsWith"
  int min_args;
  int max_args;  // -1: any number
  bool has_insensitive_variant;
  StaticType result;
  // Expected kind per parameter: S string, N number, I integer, B boolean,
  // * anything. The last letter applies to any further arguments.
  std::string_view params;
  FunctionImpl impl;
};

// Looks a function up by name, ignoring case; nullptr when unknown.
const FunctionSpec* find_function(std::string_view name);

// The functions behind the arithmetic operators + - * / %.
const FunctionSpec& add_function();
const FunctionSpec& subtract_function();
const FunctionSpec& multiply_function();
const FunctionSpec& divide_function();
const FunctionSpec& modulo_function();

// Comma-separated canonical names, for "unknown function" messages.
std::string function_names();

}  // namespace auditeql::eql::detail
