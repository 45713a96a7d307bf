// How compiled queries see events: field ids, scalar values and documents.
//
// A Schema maps dotted field names to small integer ids once, when a query
// is compiled. At evaluation time a Document hands out the values of a field
// by id as a FieldValues view: no lookups by name, no copies, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/field_values.h"

namespace auditeql::eql {

using FieldId = uint32_t;
using Scalar = util::Scalar;
using FieldValues = util::FieldValues;

// Maps field names to ids. resolve() must return the same id for the same
// name every time, and must accept names it has never seen (they simply
// never have values): queries may mention fields a sensor does not produce.
class Schema {
 public:
  virtual ~Schema() = default;
  virtual FieldId resolve(std::string_view dotted_name) = 0;
  // The values `field` has in every event a query of `category` ("any"
  // for all) can see, when a sensor knows them up front (a Linux sensor's
  // host.os.type is always "linux"): tests on them are decided at compile
  // time instead of on every event. Nothing known by default.
  virtual bool known_values(FieldId field, std::string_view category, FieldValues& out) const;
};

// One event as a compiled query sees it.
class Document {
 public:
  virtual ~Document() = default;
  virtual FieldValues get(FieldId field) const = 0;
};

inline bool Schema::known_values(FieldId, std::string_view, FieldValues&) const { return false; }

}  // namespace auditeql::eql
