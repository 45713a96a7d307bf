#include "rules/rule_index.h"

#include <algorithm>
#include <array>
#include <iterator>

#include "eql/text.h"

namespace auditeql::rules {
namespace {

constexpr std::string_view kFieldNames[] = {"process.name",        "process.parent.name", "process.executable",
                                            "process.parent.executable", "file.extension", "file.name",
                                            "file.path",           "process.args",        "process.parent.args"};
static_assert(std::size(kFieldNames) == kIndexedFieldCount);

// The registry id of each indexed field.
const std::array<ecs::EventFieldId, kIndexedFieldCount>& registry_ids() {
  static const auto ids = [] {
    std::array<ecs::EventFieldId, kIndexedFieldCount> out{};
    for (size_t i = 0; i < kIndexedFieldCount; ++i) out[i] = ecs::find_event_field(kFieldNames[i]).value();
    return out;
  }();
  return ids;
}

// A multi-valued field costs one lookup per value, and its values ("-c",
// "-f") are less telling than a name: a conjunct on it is taken only when
// it is several times smaller than the alternatives.
constexpr size_t kMultiValuedWeight = 4;

size_t position(IndexedField f) { return static_cast<size_t>(f); }

// Whether the registry's field `name` holds several values (a field it does
// not know counts as single-valued).
bool multi_valued(std::string_view name) {
  const auto id = ecs::find_event_field(name);
  return id && ecs::event_field(*id).array;
}

const eql::Field* field_of(const eql::ExprPtr& e, const RequirementScope& scope) {
  const auto* f = e ? e->as<eql::Field>() : nullptr;
  return f != nullptr && scope.selects(f->name) ? f : nullptr;
}

const std::string* string_literal(const eql::ExprPtr& e) {
  const auto* l = e ? e->as<eql::Literal>() : nullptr;
  return l ? l->string() : nullptr;
}

std::string as_required(std::string_view text, const RequirementScope& scope) {
  return scope.fold ? eql::text::folded(text) : std::string(text);
}

// What a wildcard pattern needs of a value: all of it, or the literal text
// before its first wildcard or after its last (the longer). False when the
// pattern pins neither end (`*ssh*`).
bool add_pattern(std::string_view pattern, NamedFieldRequirement& out, const RequirementScope& scope) {
  const size_t first = pattern.find_first_of("*?");
  if (first == std::string_view::npos) {
    out.values.push_back(as_required(pattern, scope));
    return true;
  }
  const std::string_view head = pattern.substr(0, first);
  const std::string_view tail = pattern.substr(pattern.find_last_of("*?") + 1);
  if (head.empty() && tail.empty()) return false;
  if (head.size() >= tail.size() || (scope.prefixes_first && !head.empty())) {
    out.prefixes.push_back(as_required(head, scope));
  } else {
    out.suffixes.push_back(as_required(tail, scope));
  }
  return true;
}

// Whether `|` splits the whole regular expression (outside groups,
// classes, quotes and escapes): then no branch's prefix is required.
bool has_top_level_alternation(std::string_view pattern) {
  int depth = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    switch (pattern[i]) {
      case '\\': ++i; break;
      case '"': i = std::min(pattern.find('"', i + 1), pattern.size()); break;
      case '[':
        // As in the engine: a `]` first in the class (after any `^`) is a
        // member; the class ends at the next unescaped `]`.
        if (i + 1 < pattern.size() && pattern[i + 1] == '^') ++i;
        if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;
        for (++i; i < pattern.size() && pattern[i] != ']'; ++i) i += pattern[i] == '\\';
        break;
      case '(': ++depth; break;
      case ')': --depth; break;
      case '|': if (depth <= 0) return true; break;
      default: break;
    }
  }
  return false;
}

// Drops the last character (all bytes of a UTF-8 sequence) of `text`.
void drop_last_character(std::string& text) {
  while (!text.empty() && eql::text::is_continuation(text.back())) text.pop_back();
  if (!text.empty()) text.pop_back();
}

// Whether the quantifiers from pattern[at] on can repeat their atom zero
// times: `?`, `*` or `{`, alone or stacked on a `+` (`b+?` is optional).
bool may_skip_atom(std::string_view pattern, size_t at) {
  for (size_t i = at; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '?' || c == '*' || c == '{') return true;
    if (c != '+') return false;
  }
  return false;
}

// The literal text a regular expression starts with: every match (which
// covers the whole value, as in Lucene) starts with it. Stops at the first
// operator, and leaves out a character that a quantifier may skip.
std::string regex_literal_prefix(std::string_view pattern) {
  if (has_top_level_alternation(pattern)) return {};
  constexpr std::string_view kOperators = ".?+*|{}[]()\"\\#@&<>~";
  std::string prefix;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (kOperators.find(pattern[i]) != std::string_view::npos) {
      if (may_skip_atom(pattern, i)) drop_last_character(prefix);
      break;
    }
    prefix += pattern[i];
  }
  return prefix;
}

// What a regular expression needs of a value: its literal prefix.
bool add_regex(std::string_view pattern, NamedFieldRequirement& out, const RequirementScope& scope) {
  const std::string prefix = regex_literal_prefix(pattern);
  if (prefix.empty()) return false;
  out.prefixes.push_back(as_required(prefix, scope));
  return true;
}

NamedRequirement normalized(NamedRequirement r);

// One field requirement from a list of string constants (`in`, the
// patterns of `like` and `:`, the expressions of `regex`), if every item
// gives one.
enum class Items : uint8_t { Values, Wildcards, Regexes };

std::optional<NamedRequirement> from_items(const eql::Field& field, const std::vector<eql::ExprPtr>& items, Items kind,
                                           const RequirementScope& scope) {
  NamedFieldRequirement r{field.name, {}, {}, {}};
  size_t impossible = 0;
  for (const auto& item : items) {
    const std::string* s = string_literal(item);
    if (s == nullptr) return std::nullopt;
    if (scope.impossible && scope.impossible(*s)) {
      ++impossible;
      continue;
    }
    switch (kind) {
      case Items::Values: r.values.push_back(as_required(*s, scope)); break;
      case Items::Wildcards: if (!add_pattern(*s, r, scope)) return std::nullopt; break;
      case Items::Regexes: if (!add_regex(*s, r, scope)) return std::nullopt; break;
    }
  }
  if (r.size() == 0 && impossible == 0) return std::nullopt;
  return normalized(NamedRequirement{{std::move(r)}});
}

void deduplicate(std::vector<std::string>& list) {
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
}

// The union of two requirements: either may be the one that holds.
void merge_into(NamedRequirement& all, NamedRequirement&& more) {
  for (auto& m : more.any_of) {
    auto it = std::find_if(all.any_of.begin(), all.any_of.end(), [&](const auto& r) { return r.field == m.field; });
    if (it == all.any_of.end()) {
      all.any_of.push_back(std::move(m));
      continue;
    }
    it->values.insert(it->values.end(), m.values.begin(), m.values.end());
    it->prefixes.insert(it->prefixes.end(), m.prefixes.begin(), m.prefixes.end());
    it->suffixes.insert(it->suffixes.end(), m.suffixes.begin(), m.suffixes.end());
  }
}

NamedRequirement normalized(NamedRequirement r) {
  for (auto& f : r.any_of) {
    deduplicate(f.values);
    deduplicate(f.prefixes);
    deduplicate(f.suffixes);
  }
  std::sort(r.any_of.begin(), r.any_of.end(), [](const auto& a, const auto& b) { return a.field < b.field; });
  return r;
}

// Rough price of filing a rule under `r`: lookups made per event, and how
// often they will come up with it for nothing.
size_t weight(const NamedRequirement& r) {
  size_t w = 0;
  for (const auto& f : r.any_of) w += f.size() * (multi_valued(f.field) ? kMultiValuedWeight : 1);
  return w;
}

}  // namespace

std::optional<IndexedField> indexed_field(std::string_view dotted_name) {
  for (size_t i = 0; i < std::size(kFieldNames); ++i) {
    if (kFieldNames[i] == dotted_name) return static_cast<IndexedField>(i);
  }
  return std::nullopt;
}

const FieldRequirement* Requirement::on(IndexedField field) const {
  for (const auto& r : any_of) {
    if (r.field == field) return &r;
  }
  return nullptr;
}

std::optional<NamedRequirement> requirement(const eql::Expr& e, const RequirementScope& scope) {
  if (const auto* c = e.as<eql::Comparison>(); c && c->op == eql::CompareOp::Eq) {
    const eql::Field* field = field_of(c->left, scope);
    const std::string* value = string_literal(c->right);
    if (field == nullptr) {
      field = field_of(c->right, scope);
      value = string_literal(c->left);
    }
    if (field == nullptr || value == nullptr) return std::nullopt;
    NamedFieldRequirement r{field->name, {}, {}, {}};
    if (!scope.impossible || !scope.impossible(*value)) r.values.push_back(as_required(*value, scope));
    return NamedRequirement{{std::move(r)}};
  }
  if (const auto* in = e.as<eql::InList>(); in && !in->negated) {
    const eql::Field* field = field_of(in->value, scope);
    return field ? from_items(*field, in->items, Items::Values, scope) : std::nullopt;
  }
  if (const auto* p = e.as<eql::PatternMatch>()) {
    const eql::Field* field = field_of(p->value, scope);
    const Items kind = p->op == eql::PatternOp::Like ? Items::Wildcards : Items::Regexes;
    return field ? from_items(*field, p->patterns, kind, scope) : std::nullopt;
  }
  const auto* l = e.as<eql::Logical>();
  if (l == nullptr) return std::nullopt;
  if (l->op == eql::LogicalOp::And) {
    // Any conjunct's requirement is the whole condition's; take the cheapest.
    std::optional<NamedRequirement> best;
    for (const auto& operand : l->operands) {
      auto r = operand ? requirement(*operand, scope) : std::nullopt;
      if (r && (!best || weight(*r) < weight(*best))) best = std::move(r);
    }
    return best;
  }
  // Or: every branch must require something; one of those holds.
  NamedRequirement all;
  for (const auto& operand : l->operands) {
    auto r = operand ? requirement(*operand, scope) : std::nullopt;
    if (!r) return std::nullopt;
    merge_into(all, std::move(*r));
  }
  return normalized(std::move(all));
}

std::optional<Requirement> requirement(const eql::Expr& e) {
  static const RequirementScope kIndexed{[](std::string_view name) { return indexed_field(name).has_value(); }, true};
  auto named = requirement(e, kIndexed);
  if (!named) return std::nullopt;
  Requirement out;
  for (auto& f : named->any_of) {
    out.any_of.push_back(
        {*indexed_field(f.field), std::move(f.values), std::move(f.prefixes), std::move(f.suffixes)});
  }
  std::sort(out.any_of.begin(), out.any_of.end(), [](const auto& a, const auto& b) { return a.field < b.field; });
  return out;
}

// ---------------------------------------------------------------------------
// AffixTree

uint32_t AffixTree::child(uint32_t node, char byte) const {
  for (const auto& [b, next] : nodes_[node].children) {
    if (b == byte) return next;
  }
  return 0;  // the root is nobody's child
}

void AffixTree::add(std::string_view affix, uint32_t rule) {
  uint32_t node = 0;
  for (size_t i = 0; i < affix.size(); ++i) {
    const char byte = end_ == End::Start ? affix[i] : affix[affix.size() - 1 - i];
    uint32_t next = child(node, byte);
    if (next == 0) {
      next = static_cast<uint32_t>(nodes_.size());
      nodes_[node].children.emplace_back(byte, next);
      nodes_.emplace_back();
    }
    node = next;
  }
  nodes_[node].rules.push_back(rule);
}

void AffixTree::collect(std::string_view value, std::vector<uint32_t>& out) const {
  uint32_t node = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const char byte = eql::text::fold(end_ == End::Start ? value[i] : value[value.size() - 1 - i]);
    node = child(node, byte);
    if (node == 0) return;
    const auto& rules = nodes_[node].rules;
    out.insert(out.end(), rules.begin(), rules.end());
  }
}

// ---------------------------------------------------------------------------
// RuleIndex

void RuleIndex::add(uint32_t rule, const eql::Expr* condition) {
  const auto required = condition ? requirement(*condition) : std::nullopt;
  if (!required) {
    always_.push_back(rule);
    return;
  }
  for (const auto& r : required->any_of) {
    Key& key = keys_[position(r.field)];
    if (std::find(used_.begin(), used_.end(), r.field) == used_.end()) used_.push_back(r.field);
    for (const auto& v : r.values) {
      key.values[v].push_back(rule);
      key.value_lengths |= uint64_t{1} << std::min<size_t>(v.size(), 63);
    }
    for (const auto& p : r.prefixes) key.prefixes.add(p, rule);
    for (const auto& s : r.suffixes) key.suffixes.add(s, rule);
  }
  ++indexed_;
}

void RuleIndex::collect(const Key& key, std::string_view value) {
  if (key.empty()) return;
  if ((key.value_lengths >> std::min<size_t>(value.size(), 63)) & 1) {
    folded_.assign(value);
    for (char& c : folded_) c = eql::text::fold(c);
    if (const auto it = key.values.find(std::string_view(folded_)); it != key.values.end()) {
      scratch_.insert(scratch_.end(), it->second.begin(), it->second.end());
    }
  }
  key.prefixes.collect(value, scratch_);
  key.suffixes.collect(value, scratch_);
}

const std::vector<uint32_t>& RuleIndex::candidates(const eql::Document& document) {
  scratch_.assign(always_.begin(), always_.end());
  const size_t before = scratch_.size();
  for (const IndexedField field : used_) {
    const Key& key = keys_[position(field)];
    const eql::FieldValues values = document.get(registry_ids()[position(field)]);
    for (size_t k = 0; k < values.size(); ++k) {
      const eql::Scalar v = values.at(k);
      if (v.kind == eql::Scalar::Kind::String) collect(key, v.s);
    }
  }
  if (scratch_.size() != before) {
    std::sort(scratch_.begin(), scratch_.end());
    scratch_.erase(std::unique(scratch_.begin(), scratch_.end()), scratch_.end());
  }
  return scratch_;
}

}  // namespace auditeql::rules
