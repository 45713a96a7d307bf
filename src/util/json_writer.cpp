#include "util/json_writer.h"

#include <charconv>
#include <cmath>

namespace auditeql::util {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_unicode_escape(std::string& out, uint32_t code) {
  out += "\\u";
  out += kHex[(code >> 12) & 0xf];
  out += kHex[(code >> 8) & 0xf];
  out += kHex[(code >> 4) & 0xf];
  out += kHex[code & 0xf];
}

// Length of the well-formed UTF-8 sequence starting at s[i] (2..4), or 0 when
// the bytes there are not valid UTF-8 (overlong forms, surrogates and code
// points above U+10FFFF are invalid).
size_t valid_utf8_length(std::string_view s, size_t i, uint32_t& code) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  size_t len;
  uint32_t min;
  if (lead >= 0xc2 && lead <= 0xdf) {
    len = 2; code = lead & 0x1f; min = 0x80;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    len = 3; code = lead & 0x0f; min = 0x800;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    len = 4; code = lead & 0x07; min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const unsigned char c = byte(i + k);
    if ((c & 0xc0) != 0x80) return 0;
    code = (code << 6) | (c & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return len;
}

}  // namespace

void append_json_string(std::string& out, std::string_view bytes) {
  out.reserve(out.size() + bytes.size() + 2);
  out += '"';
  size_t run_start = 0;  // start of a run of bytes copied verbatim
  const auto flush_run = [&](size_t end) { out.append(bytes.data() + run_start, end - run_start); };
  for (size_t i = 0; i < bytes.size();) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      uint32_t code = 0;
      const size_t len = valid_utf8_length(bytes, i, code);
      if (len != 0 && code != 0x2028 && code != 0x2029) {
        i += len;
        continue;
      }
      flush_run(i);
      if (len != 0) {
        append_unicode_escape(out, code);
        i += len;
      } else {
        out += "\\ufffd";
        ++i;
      }
      run_start = i;
      continue;
    }
    flush_run(i);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: append_unicode_escape(out, c); break;
    }
    ++i;
    run_start = i;
  }
  flush_run(bytes.size());
  out += '"';
}

void append_json_string_capped(std::string& out, std::string_view bytes, size_t max_bytes) {
  if (bytes.size() <= max_bytes) {
    append_json_string(out, bytes);
    return;
  }
  size_t cut = max_bytes;
  // Back up to a character boundary: never split a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(bytes[cut]) & 0xc0) == 0x80) --cut;
  std::string shortened(bytes.substr(0, cut));
  shortened += "[...+" + std::to_string(bytes.size() - cut) + " bytes]";
  append_json_string(out, shortened);
}

void JsonWriter::key(std::string_view name) {
  separate();
  append_json_string(out_, name);
  out_ += ':';
  after_key_ = true;
}

void JsonWriter::number(int64_t n) {
  separate();
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, res.ptr);
}

void JsonWriter::number(double d) {
  separate();
  // JSON has no NaN or infinity; a value that is neither a number nor
  // representable is written as null rather than breaking the document.
  if (!std::isfinite(d)) {
    out_ += "null";
    return;
  }
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, d);
  out_.append(buf, res.ptr);
}

void JsonWriter::number(uint64_t n) {
  separate();
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, res.ptr);
}

}  // namespace auditeql::util
