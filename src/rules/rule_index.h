#pragma once
// Which rules an event can possibly match, decided by a few lookups.
//
// Most rules require, whatever else they say, that some string field has one
// of a few values, or starts or ends with one of a few strings:
// `... and process.name in ("cp", "mv") and ...`, or, across the branches of
// a disjunction, `process.args == "--yolo" or process.name : "codex*"`. Such
// a rule is filed under those strings and evaluated only for events that
// have one of them; the rest are evaluated for every event. Lookups are
// case-folded, so the candidates are always a superset of the matches.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ecs/fields.h"
#include "rules/ecs_document.h"
#include "eql/ast.h"
#include "eql/values.h"

namespace auditeql::rules {

// The string fields the index files rules under: the ones whose values tell
// events apart (names, paths, arguments), by their position in that list.
// How each is read from an event is the field registry's business.
enum class IndexedField : uint8_t {
  ProcessName,
  ParentName,
  ProcessExecutable,
  ParentExecutable,
  FileExtension,
  FileName,
  FilePath,
  ProcessArgs,
  ParentArgs,
  Count
};
inline constexpr size_t kIndexedFieldCount = static_cast<size_t>(IndexedField::Count);

std::optional<IndexedField> indexed_field(std::string_view dotted_name);

// One field has one of `values`, or a value starting with one of
// `prefixes`, or ending with one of `suffixes`. Case-folded (ASCII) unless
// asked otherwise (RequirementScope).
template <class Field>
struct BasicFieldRequirement {
  Field field;
  std::vector<std::string> values;
  std::vector<std::string> prefixes;
  std::vector<std::string> suffixes;
  size_t size() const { return values.size() + prefixes.size() + suffixes.size(); }
};
using FieldRequirement = BasicFieldRequirement<IndexedField>;

// What a condition requires of an event whatever else it says: at least
// one of `any_of` holds. Sorted by field, one entry per field.
struct Requirement {
  std::vector<FieldRequirement> any_of;
  const FieldRequirement* on(IndexedField field) const;
};

std::optional<Requirement> requirement(const eql::Expr& condition);

// The same analysis for any fields: what a condition requires of the fields
// `selects` accepts (dotted names as the query writes them). With `fold`
// false the constants are kept as written, for a use where case matters
// (paths, to a file system), instead of case-folded for lookups.
struct RequirementScope {
  std::function<bool(std::string_view dotted_name)> selects;
  bool fold = true;
  // A wildcard pattern gives the literal text before its first wildcard
  // whenever there is some, instead of the longer of that and the text
  // after its last one: the start of a path names its directory.
  bool prefixes_first = false;
  // Constants that can be no value of the fields in this use: left out. A
  // test made only of such constants then requires a field requirement with
  // nothing in it, which no value meets.
  std::function<bool(std::string_view constant)> impossible;
};

using NamedFieldRequirement = BasicFieldRequirement<std::string>;  // the field as the query names it

// At least one of `any_of` holds; sorted by field name, one entry per field.
struct NamedRequirement {
  std::vector<NamedFieldRequirement> any_of;
};

std::optional<NamedRequirement> requirement(const eql::Expr& condition, const RequirementScope& scope);

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Rules filed under the strings that start (or end) the values they need:
// walking a value's bytes down the tree visits every such string at once.
class AffixTree {
 public:
  enum class End : uint8_t { Start, Finish };
  explicit AffixTree(End end) : end_(end) {}

  void add(std::string_view affix, uint32_t rule);
  // Appends the rules filed under every affix of `folded_value`.
  void collect(std::string_view folded_value, std::vector<uint32_t>& out) const;
  bool empty() const { return nodes_.size() == 1; }

 private:
  struct Node {
    std::vector<std::pair<char, uint32_t>> children;  // byte, node index
    std::vector<uint32_t> rules;
  };
  uint32_t child(uint32_t node, char byte) const;

  End end_;
  std::vector<Node> nodes_{1};
};

class RuleIndex {
 public:
  // Files rule `rule` (indexes must be added in increasing order).
  void add(uint32_t rule, const eql::Expr* condition);

  // The rules to evaluate for `event` (read through `document`), in
  // increasing order. Valid until the next call.
  const std::vector<uint32_t>& candidates(const eql::Document& document);
  const std::vector<uint32_t>& candidates(const ecs::Event& event) { return candidates(EcsDocument(event)); }

  size_t indexed() const { return indexed_; }
  size_t unindexed() const { return always_.size(); }

 private:
  // Rules filed under one field's values, prefixes and suffixes.
  struct Key {
    std::unordered_map<std::string, std::vector<uint32_t>, StringHash, std::equal_to<>> values;
    uint64_t value_lengths = 0;  // bit n: a value of length n (n < 63); bit 63: any longer
    AffixTree prefixes{AffixTree::End::Start};
    AffixTree suffixes{AffixTree::End::Finish};
    bool empty() const { return values.empty() && prefixes.empty() && suffixes.empty(); }
  };

  void collect(const Key& key, std::string_view value);

  Key keys_[kIndexedFieldCount];
  std::vector<IndexedField> used_;  // the fields some rule is filed under
  std::vector<uint32_t> always_;
  size_t indexed_ = 0;
  std::vector<uint32_t> scratch_;
  std::string folded_;
};

}  // namespace auditeql::rules
