#include "rules/rule_index.h"

#include <algorithm>
#include <iterator>

#include "eql/text.h"

namespace auditeql::rules {
namespace {

// Single-valued fields that rules commonly pin to a few values, in the order
// add() tries them; candidates() reads them in the same numbering.
constexpr std::string_view kKeyFields[] = {"process.name",   "process.parent.name", "process.executable",
                                           "process.parent.executable", "file.extension", "file.name",
                                           "file.path"};

bool is_field(const eql::ExprPtr& e, std::string_view name) {
  const auto* f = e ? e->as<eql::Field>() : nullptr;
  return f != nullptr && f->name == name;
}

const std::string* string_literal(const eql::ExprPtr& e) {
  const auto* l = e ? e->as<eql::Literal>() : nullptr;
  return l ? l->string() : nullptr;
}

// String literals as exact values; for wildcard patterns, "literal*" as a
// prefix. Anything else (a leading wildcard, a non-string) gives nothing.
bool collect_literals(const std::vector<eql::ExprPtr>& items, bool wildcards, RequiredValues& out) {
  for (const auto& item : items) {
    const std::string* s = string_literal(item);
    if (s == nullptr) return false;
    if (!wildcards) {
      out.values.push_back(eql::text::folded(*s));
      continue;
    }
    const size_t wild = s->find_first_of("*?");
    if (wild == std::string::npos) {
      out.values.push_back(eql::text::folded(*s));
    } else if (wild > 0) {
      out.prefixes.push_back(eql::text::folded(s->substr(0, wild)));
    } else {
      return false;
    }
  }
  return out.size() > 0;
}

RequiredValues deduplicated(RequiredValues r) {
  for (auto* list : {&r.values, &r.prefixes}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
  return r;
}

}  // namespace

std::optional<RequiredValues> required_values(const eql::Expr& e, std::string_view field) {
  if (const auto* c = e.as<eql::Comparison>(); c && c->op == eql::CompareOp::Eq) {
    const std::string* value = nullptr;
    if (is_field(c->left, field)) value = string_literal(c->right);
    if (is_field(c->right, field)) value = string_literal(c->left);
    if (value) return RequiredValues{{eql::text::folded(*value)}, {}};
    return std::nullopt;
  }
  if (const auto* in = e.as<eql::InList>(); in && !in->negated && is_field(in->value, field)) {
    RequiredValues r;
    if (collect_literals(in->items, false, r)) return deduplicated(std::move(r));
    return std::nullopt;
  }
  if (const auto* p = e.as<eql::PatternMatch>(); p && p->op == eql::PatternOp::Like && is_field(p->value, field)) {
    RequiredValues r;
    if (collect_literals(p->patterns, true, r)) return deduplicated(std::move(r));
    return std::nullopt;
  }
  if (const auto* l = e.as<eql::Logical>()) {
    if (l->op == eql::LogicalOp::And) {
      // Any conjunct's requirement is the whole condition's; take the smallest.
      std::optional<RequiredValues> best;
      for (const auto& operand : l->operands) {
        auto r = operand ? required_values(*operand, field) : std::nullopt;
        if (r && (!best || r->size() < best->size())) best = std::move(r);
      }
      return best;
    }
    // Or: every branch must require the field; the union is required.
    RequiredValues all;
    for (const auto& operand : l->operands) {
      auto r = operand ? required_values(*operand, field) : std::nullopt;
      if (!r) return std::nullopt;
      all.values.insert(all.values.end(), r->values.begin(), r->values.end());
      all.prefixes.insert(all.prefixes.end(), r->prefixes.begin(), r->prefixes.end());
    }
    return deduplicated(std::move(all));
  }
  return std::nullopt;
}

void RuleIndex::add(uint32_t rule, const eql::Expr* condition) {
  static_assert(std::size(kKeyFields) == kKeys);
  for (size_t k = 0; condition != nullptr && k < kKeys; ++k) {
    const auto required = required_values(*condition, kKeyFields[k]);
    if (!required) continue;
    for (const auto& v : required->values) keys_[k].values[v].push_back(rule);
    for (const auto& p : required->prefixes) {
      auto it = std::find_if(keys_[k].prefixes.begin(), keys_[k].prefixes.end(),
                             [&](const auto& entry) { return entry.first == p; });
      if (it == keys_[k].prefixes.end()) it = keys_[k].prefixes.insert(keys_[k].prefixes.end(), {p, {}});
      it->second.push_back(rule);
    }
    ++indexed_;
    return;
  }
  always_.push_back(rule);
}

void RuleIndex::collect(const Key& key, std::string_view value) {
  if (key.empty()) return;
  folded_.assign(value);
  for (char& c : folded_) c = eql::text::fold(c);
  if (const auto it = key.values.find(std::string_view(folded_)); it != key.values.end()) {
    scratch_.insert(scratch_.end(), it->second.begin(), it->second.end());
  }
  for (const auto& [prefix, rules] : key.prefixes) {
    if (folded_.compare(0, prefix.size(), prefix) == 0) scratch_.insert(scratch_.end(), rules.begin(), rules.end());
  }
}

const std::vector<uint32_t>& RuleIndex::candidates(const ecs::Event& event) {
  scratch_.assign(always_.begin(), always_.end());
  const size_t before = scratch_.size();
  if (event.process) {
    collect(keys_[0], event.process->name);
    collect(keys_[2], event.process->executable);
  }
  if (event.parent) {
    collect(keys_[1], event.parent->name);
    collect(keys_[3], event.parent->executable);
  }
  if (event.kind != ecs::EventKind::ProcessStart) {
    collect(keys_[4], event.file_extension());
    collect(keys_[5], event.file_name());
    collect(keys_[6], event.file_path);
  }
  if (scratch_.size() != before) {
    std::sort(scratch_.begin(), scratch_.end());
    scratch_.erase(std::unique(scratch_.begin(), scratch_.end()), scratch_.end());
  }
  return scratch_;
}

}  // namespace auditeql::rules
