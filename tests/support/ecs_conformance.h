#pragma once
// Checks a document auditeql wrote (an event or an alert) against the ECS
// field table: every leaf is an ECS field, a field of auditeql's registry
// (auditd.*, auditeql.*) or one of the alert's own auditeql.* fields; its
// JSON type fits the field's type; a field ECS normalizes to an array is an
// array; an enumerated field (event.kind, event.category, event.type...)
// holds allowed values. The events a sequence or sample alert lists are
// documents of their own, checked the same way. No Boost: the fuzz targets
// use it too.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alert_builder.h"
#include "ecs/fields.h"
#include "ecs/schema.h"
#include "util/json_value.h"

namespace auditeql::testing {

namespace conformance_detail {

struct Expected {
  ecs::FieldType type;
  bool array;
  const ecs::SchemaField* ecs = nullptr;
};

inline bool find_expected(std::string_view name, std::span<const alerts::OwnField> extra, Expected& out) {
  if (const auto* f = ecs::find_ecs_field(name)) {
    out = {f->type, f->array, f};
    return true;
  }
  if (const auto id = ecs::find_event_field(name)) {
    const auto& f = ecs::event_field(*id);
    out = {f.type, f.array, nullptr};
    return true;
  }
  for (const auto own : {alerts::own_fields(), extra}) {
    for (const auto& f : own) {
      if (f.name == name) {
        out = {f.type, f.array, nullptr};
        return true;
      }
    }
  }
  return false;
}

// "2026-11-23T06:05:18.753Z"
inline bool is_iso8601_ms(const std::string& s) {
  if (s.size() != 24) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool digit = c >= '0' && c <= '9';
    switch (i) {
      case 4: case 7: if (c != '-') return false; break;
      case 10: if (c != 'T') return false; break;
      case 13: case 16: if (c != ':') return false; break;
      case 19: if (c != '.') return false; break;
      case 23: if (c != 'Z') return false; break;
      default: if (!digit) return false;
    }
  }
  return true;
}

inline std::string check_value(const std::string& name, const Expected& e, const util::JsonValue& v) {
  using T = util::JsonValue::Type;
  const T t = v.type();
  if (e.type == ecs::FieldType::Object || e.type == ecs::FieldType::Flattened || e.type == ecs::FieldType::Nested) {
    return t == T::Object ? "" : name + ": an object field holds a non-object";
  }
  if (e.type == ecs::FieldType::Boolean) return t == T::Bool ? "" : name + ": a boolean field holds a non-boolean";
  if (e.type == ecs::FieldType::Date) {
    return t == T::String && is_iso8601_ms(v.as_string()) ? "" : name + ": a date field holds no ISO-8601 time";
  }
  if (ecs::is_number_type(e.type)) {
    const bool integral = e.type == ecs::FieldType::Long || e.type == ecs::FieldType::Integer;
    if (t == T::Int || (!integral && t == T::Double)) return "";
    return name + ": a " + std::string(ecs::to_string(e.type)) + " field holds a non-number";
  }
  if (t != T::String) return name + ": a " + std::string(ecs::to_string(e.type)) + " field holds a non-string";
  if (e.ecs != nullptr && !e.ecs->allows(v.as_string())) {
    return name + ": '" + v.as_string() + "' is not an allowed value (" + std::string(e.ecs->allowed) + ")";
  }
  return "";
}

inline bool lists_events(const std::string& path) {
  const auto lists = alerts::event_list_fields();
  return std::find(lists.begin(), lists.end(), path) != lists.end();
}

// `shown`: where the node is, for messages (the path inside a listed event
// is the field's name, its place in the alert is longer).
inline void check_node(const std::string& path, const util::JsonValue& node, std::span<const alerts::OwnField> extra,
                       std::vector<std::string>& problems, const std::string& shown_prefix = "") {
  using T = util::JsonValue::Type;
  Expected e{};
  const bool known = !path.empty() && find_expected(path, extra, e);
  if (known && node.type() == T::Array && lists_events(path)) {
    for (size_t i = 0; i < node.as_array().size(); ++i) {
      const util::JsonValue& item = node.as_array()[i];
      const std::string at = shown_prefix + path + "[" + std::to_string(i) + "]";
      if (item.type() != T::Object) {
        problems.push_back(at + ": a listed event is not an object");
        continue;
      }
      for (const auto& member : item.as_object()) check_node(member.key, member.value, {}, problems, at + ".");
    }
    return;
  }
  if (node.type() == T::Object && !(known && (e.type == ecs::FieldType::Object || e.type == ecs::FieldType::Flattened ||
                                              e.type == ecs::FieldType::Nested))) {
    for (const auto& member : node.as_object()) {
      check_node(path.empty() ? member.key : path + "." + member.key, member.value, extra, problems, shown_prefix);
    }
    return;
  }
  const std::string shown = shown_prefix + path;
  if (!known) {
    problems.push_back(shown + ": not an ECS field, nor one of auditeql's");
    return;
  }
  if (node.type() == T::Array) {
    for (const auto& item : node.as_array()) {
      if (auto p = check_value(shown, e, item); !p.empty()) problems.push_back(std::move(p));
    }
    return;
  }
  if (e.array) problems.push_back(shown + ": ECS normalizes it to an array, written as a single value");
  if (node.type() == T::Null) {
    problems.push_back(shown + ": null instead of leaving the field out");
    return;
  }
  if (auto p = check_value(shown, e, node); !p.empty()) problems.push_back(std::move(p));
}

}  // namespace conformance_detail

// `extra`: more fields of auditeql's own the document may have (the
// plugin's alerts about itself declare theirs).
inline std::vector<std::string> ecs_conformance_problems(const util::JsonValue& doc,
                                                         std::span<const alerts::OwnField> extra = {}) {
  std::vector<std::string> problems;
  if (!doc.is_object()) return {"not a JSON object"};
  conformance_detail::check_node("", doc, extra, problems);
  for (const char* required : {"@timestamp", "ecs"}) {
    if (doc.find(required) == nullptr) problems.push_back(std::string("missing ") + required);
  }
  return problems;
}

}  // namespace auditeql::testing
