#pragma once
// Writing flat, dotted field lists ("process.parent.name") as the nested
// JSON objects ECS documents are made of. The producers of a document (the
// normalized event's field registry, the alert's rule fields) each hand
// over their fields sorted by name; the writer opens and closes objects as
// the dotted prefixes change, so no producer writes JSON structure by hand.
#include <cstdint>
#include <string_view>

#include "util/field_values.h"
#include "util/json_writer.h"

namespace auditeql::util {

enum class JsonForm : uint8_t {
  Value,        // strings, numbers and booleans as they are
  EpochMillis,  // an integer of milliseconds since the epoch, as an ISO-8601 string
  RawJson,      // a string that already holds serialized JSON (trusted)
};

struct FlatField {
  std::string_view name;  // dotted path
  FieldValues values;     // empty: the field is left out
  bool array = false;     // a JSON array even with a single value
  JsonForm form = JsonForm::Value;
  int32_t id = -1;        // the producer's id for the field, for KeepValue
};

// Decides which values of an over-long array survive the cut besides the
// first ones (an alert keeps the argument its rule matched).
class KeepValue {
 public:
  virtual ~KeepValue() = default;
  virtual bool keep(int32_t field_id, const Scalar& value) const = 0;
};

class NestedJsonWriter {
 public:
  // Writes into the object `w` has open.
  explicit NestedJsonWriter(JsonWriter& w, const KeepValue* keep = nullptr) : w_(w), keep_(keep) {}
  ~NestedJsonWriter() { close(); }
  NestedJsonWriter(const NestedJsonWriter&) = delete;
  NestedJsonWriter& operator=(const NestedJsonWriter&) = delete;

  // Fields must come in increasing name order: all the fields under one
  // prefix are then adjacent, and each object is written once.
  void write(const FlatField& field);
  // Closes the objects write() opened.
  void close();

 private:
  void write_values(const FlatField& field);
  void write_scalar(const Scalar& value, JsonForm form);
  void write_shortened_array(const FlatField& field, size_t limit);

  static constexpr size_t kMaxDepth = 16;
  JsonWriter& w_;
  const KeepValue* keep_;
  std::string_view open_[kMaxDepth];  // the names of the objects open, outermost first
  size_t depth_ = 0;
};

}  // namespace auditeql::util
