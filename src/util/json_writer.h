#pragma once
// Streaming JSON writer used for events and alerts.
//
// Whatever bytes a string holds (attacker-chosen arguments and file names
// included), the output stays one line of valid UTF-8 JSON: control characters,
// quotes and backslashes are escaped, invalid UTF-8 becomes U+FFFD, and the
// JavaScript line separators U+2028/U+2029 are escaped too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace auditeql::util {

// Appends `bytes` to `out` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view bytes);

// Caps for writing an oversized document in a bounded size: longer strings
// are cut (at a character boundary) and end with a visible "[...+N bytes]".
struct JsonLimits {
  size_t max_string = SIZE_MAX;
  size_t max_items = SIZE_MAX;  // advisory, for writers of long arrays
};

// Appends `bytes` cut to `max_bytes` plus a marker when longer.
void append_json_string_capped(std::string& out, std::string_view bytes, size_t max_bytes);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object() { separate(); out_ += '{'; first_ = true; }
  void end_object() { out_ += '}'; first_ = false; }
  void begin_array() { separate(); out_ += '['; first_ = true; }
  void end_array() { out_ += ']'; first_ = false; }

  void key(std::string_view name);
  void string(std::string_view s) {
    separate();
    if (s.size() > limits_.max_string) {
      append_json_string_capped(out_, s, limits_.max_string);
    } else {
      append_json_string(out_, s);
    }
  }
  void number(int64_t n);
  void number(uint64_t n);
  void number(double d);
  void boolean(bool b) { separate(); out_ += b ? "true" : "false"; }
  void null() { separate(); out_ += "null"; }
  // Inserts already-serialized JSON (trusted: produced by this writer).
  void raw(std::string_view json) { separate(); out_ += json; }

  void field(std::string_view name, std::string_view s) { key(name); string(s); }
  void field(std::string_view name, const char* s) { key(name); string(s); }
  void field(std::string_view name, int64_t n) { key(name); number(n); }
  void field(std::string_view name, uint64_t n) { key(name); number(n); }
  void field(std::string_view name, int n) { key(name); number(static_cast<int64_t>(n)); }
  void field(std::string_view name, bool b) { key(name); boolean(b); }

  std::string& buffer() { return out_; }
  const JsonLimits& limits() const { return limits_; }
  void set_limits(JsonLimits limits) { limits_ = limits; }

 private:
  void separate() {
    if (after_key_) {
      after_key_ = false;
    } else if (!first_) {
      out_ += ',';
    }
    first_ = false;
  }

  std::string& out_;
  bool first_ = true;
  bool after_key_ = false;
  JsonLimits limits_;
};

}  // namespace auditeql::util
