#include "util/json_fields.h"

#include <string>

#include "util/time.h"

namespace auditeql::util {
namespace {

// The dotted segment of `name` starting at `pos`, and where the next starts.
std::string_view segment_at(std::string_view name, size_t& pos) {
  const size_t dot = name.find('.', pos);
  const size_t end = dot == std::string_view::npos ? name.size() : dot;
  const std::string_view segment = name.substr(pos, end - pos);
  pos = end + 1;
  return segment;
}

}  // namespace

void NestedJsonWriter::write(const FlatField& field) {
  if (field.values.empty()) return;
  // Segments of the name: the leading ones that match open objects are
  // reused, the rest of the open objects are closed, new ones opened.
  size_t pos = 0;
  size_t shared = 0;
  std::string_view segment = segment_at(field.name, pos);
  while (pos <= field.name.size() && shared < depth_ && open_[shared] == segment) {
    ++shared;
    segment = segment_at(field.name, pos);
  }
  while (depth_ > shared) {
    w_.end_object();
    --depth_;
  }
  while (pos <= field.name.size() && depth_ < kMaxDepth) {
    w_.key(segment);
    w_.begin_object();
    open_[depth_++] = segment;
    segment = segment_at(field.name, pos);
  }
  w_.key(segment);
  write_values(field);
}

void NestedJsonWriter::close() {
  for (; depth_ > 0; --depth_) w_.end_object();
}

void NestedJsonWriter::write_scalar(const Scalar& v, JsonForm form) {
  switch (v.kind) {
    case Scalar::Kind::Null: w_.null(); return;
    case Scalar::Kind::Bool: w_.boolean(v.b); return;
    case Scalar::Kind::Double: w_.number(v.d); return;
    case Scalar::Kind::Int:
      if (form == JsonForm::EpochMillis) {
        // A date is never shortened: it is short, and a cut one is no date.
        const JsonLimits limits = w_.limits();
        w_.set_limits({});
        w_.string(iso8601_ms(v.i));
        w_.set_limits(limits);
      } else {
        w_.number(v.i);
      }
      return;
    case Scalar::Kind::String:
      if (form == JsonForm::RawJson) {
        w_.raw(v.s);
      } else {
        w_.string(v.s);
      }
      return;
  }
}

void NestedJsonWriter::write_values(const FlatField& field) {
  const FieldValues& values = field.values;
  if (!field.array && values.size() == 1) {
    write_scalar(values.at(0), field.form);
    return;
  }
  const size_t limit = w_.limits().max_items;
  if (values.size() > limit && limit >= 2) {
    write_shortened_array(field, limit);
    return;
  }
  w_.begin_array();
  for (size_t i = 0; i < values.size(); ++i) write_scalar(values.at(i), field.form);
  w_.end_array();
}

// The first limit-1 values, then up to `limit` more that the KeepValue
// wants, each run of values left out shown as a "[...+N more]" marker in
// its place.
void NestedJsonWriter::write_shortened_array(const FlatField& field, size_t limit) {
  const FieldValues& values = field.values;
  w_.begin_array();
  size_t skipped = 0, kept = 0;
  const auto flush_skipped = [&] {
    if (skipped == 0) return;
    w_.string("[...+" + std::to_string(skipped) + " more]");
    skipped = 0;
  };
  for (size_t i = 0; i < values.size(); ++i) {
    const Scalar v = values.at(i);
    if (i + 1 < limit || (kept < limit && keep_ != nullptr && keep_->keep(field.id, v) && ++kept)) {
      flush_skipped();
      write_scalar(v, field.form);
    } else {
      ++skipped;
    }
  }
  flush_skipped();
  w_.end_array();
}

}  // namespace auditeql::util
