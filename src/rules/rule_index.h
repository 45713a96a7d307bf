#pragma once
// Which rules an event can possibly match, decided by a few hash lookups.
//
// Most rules require, in a top-level conjunction, that process.name (or the
// parent's name, or the executable) is one of a few values or starts with
// one of a few prefixes: `... and process.name in ("cp", "mv") and ...`.
// Such a rule is filed under those values and evaluated only for events
// that have one of them; the rest are evaluated for every event. Lookups
// are case-folded, so the candidates are always a superset of the matches.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ecs/event.h"
#include "eql/ast.h"

namespace auditeql::rules {

// What a condition requires of one field whatever else it says: one of
// `values`, or a value starting with one of `prefixes`. Case-folded (ASCII).
struct RequiredValues {
  std::vector<std::string> values;
  std::vector<std::string> prefixes;
  size_t size() const { return values.size() + prefixes.size(); }
};

std::optional<RequiredValues> required_values(const eql::Expr& condition, std::string_view field);

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class RuleIndex {
 public:
  // Files rule `rule` (indexes must be added in increasing order).
  void add(uint32_t rule, const eql::Expr* condition);

  // The rules to evaluate for `event`, in increasing order. Valid until the next call.
  const std::vector<uint32_t>& candidates(const ecs::Event& event);

  size_t indexed() const { return indexed_; }
  size_t unindexed() const { return always_.size(); }

 private:
  // One indexed field: rules by folded value and by folded prefix.
  struct Key {
    std::unordered_map<std::string, std::vector<uint32_t>, StringHash, std::equal_to<>> values;
    std::vector<std::pair<std::string, std::vector<uint32_t>>> prefixes;
    bool empty() const { return values.empty() && prefixes.empty(); }
  };
  static constexpr size_t kKeys = 7;  // kKeyFields in rule_index.cpp

  void collect(const Key& key, std::string_view value);

  Key keys_[kKeys];
  std::vector<uint32_t> always_;
  size_t indexed_ = 0;
  std::vector<uint32_t> scratch_;
  std::string folded_;
};

}  // namespace auditeql::rules
