#include "eql/join_query.h"

#include "eql/sample.h"
#include "eql/sequence.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace auditeql::eql {

namespace {

// Elasticsearch's limit on `with runs=N` (LogicalPlanBuilder).
constexpr uint64_t kMaxRuns = 100;

std::vector<JoinKeyField> key_fields(const std::vector<ExprPtr>& shared, const std::vector<ExprPtr>& own,
                                     Schema& schema) {
  std::vector<JoinKeyField> keys;
  for (const auto* list : {&shared, &own}) {
    for (const ExprPtr& expr : *list) {
      const auto* field = expr->as<Field>();
      if (!field) throw Error(expr->pos, "join keys must be field names (Elasticsearch joins on fields only)");
      keys.push_back(JoinKeyField{schema.resolve(field->name), field->name, field->optional});
    }
  }
  return keys;
}

JoinCriterion criterion(const Stage& stage, JoinCriterion::Role role, const Query& query, Schema& schema) {
  JoinCriterion c;
  c.role = role;
  c.filter = stage.filter;
  c.query = compile_filter(stage.filter, schema);
  c.keys = key_fields(query.by, stage.by, schema);
  c.pos = stage.pos;
  if (stage.runs) {
    if (*stage.runs < 1 || *stage.runs > kMaxRuns)
      throw Error(stage.pos, "runs must be between 1 and " + std::to_string(kMaxRuns));
    c.runs = static_cast<uint32_t>(*stage.runs);
  }
  return c;
}

// A key component: 0 for null, or 1, a 4-byte length and the text.
void encode_null(std::string& out) { out += '\0'; }

void encode_text(std::string& out, std::string_view text) {
  out += '\1';
  const auto length = static_cast<uint32_t>(text.size());
  char bytes[4];
  std::memcpy(bytes, &length, 4);
  out.append(bytes, 4);
  out.append(text);
}

// The text a keyword field would index for `value`.
std::string_view key_text(const Scalar& value, std::string& scratch) {
  char buffer[32];
  switch (value.kind) {
    case Scalar::Kind::String:
      return value.s;
    case Scalar::Kind::Bool:
      return value.b ? "true" : "false";
    case Scalar::Kind::Int: {
      const auto end = std::to_chars(buffer, buffer + sizeof buffer, value.i).ptr;
      scratch.assign(buffer, end);
      return scratch;
    }
    case Scalar::Kind::Double: {
      const double d = value.d;
      if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.0e15) {
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, static_cast<int64_t>(d)).ptr;
        scratch.assign(buffer, end);
      } else {
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, d).ptr;
        scratch.assign(buffer, end);
      }
      return scratch;
    }
    case Scalar::Kind::Null:
      break;
  }
  return {};
}

}  // namespace

JoinQuery compile_join(const Query& query, Schema& schema) {
  if (query.kind == QueryKind::Event)
    throw Error(query.pos, "an event query is not a sequence or a sample; compile it with compile()");
  if (!query.pipes.empty())
    throw Error(query.pipes.front().pos, "pipes ('| " + query.pipes.front().name + "') are not evaluated yet");

  JoinQuery compiled;
  compiled.kind_ = query.kind;
  if (query.maxspan) {
    // ES: "A positive maxspan value is required".
    if (query.maxspan->milliseconds <= 0) throw Error(query.pos, "maxspan must be at least 1ms");
    compiled.maxspan_ms_ = query.maxspan->milliseconds;
  }
  bool any_positive = false;
  const Stage* first_missing = nullptr;
  for (const Stage& stage : query.stages) {
    const auto role = stage.missing ? JoinCriterion::Role::Missing : JoinCriterion::Role::Stage;
    compiled.criteria_.push_back(criterion(stage, role, query, schema));
    any_positive = any_positive || !stage.missing;
    if (stage.missing && !first_missing) first_missing = &stage;
  }
  if (query.until) compiled.criteria_.push_back(criterion(*query.until, JoinCriterion::Role::Until, query, schema));

  if (first_missing && !query.maxspan)
    throw Error(first_missing->pos, "a sequence with missing-event stages ![...] needs 'with maxspan=...'");
  if (first_missing && !any_positive)
    throw Error(query.pos, "a sequence needs at least one stage that is not a missing-event stage ![...]");
  if (compiled.criteria_.size() > kMaxCriteria)
    throw Error(query.pos, "at most " + std::to_string(kMaxCriteria) + " stages (with until) are supported");

  // Every criterion joins on the same number of keys (ES: "Inconsistent
  // number of join keys specified").
  compiled.key_count_ = compiled.criteria_.front().keys.size();
  for (const JoinCriterion& c : compiled.criteria_) {
    if (c.keys.size() != compiled.key_count_)
      throw Error(c.pos, "inconsistent number of join keys: the first stage has " +
                             std::to_string(compiled.key_count_ - query.by.size()) + " of its own, this one " +
                             std::to_string(c.keys.size() - query.by.size()));
  }
  return compiled;
}

CriteriaMask JoinQuery::matching(const Document& document, std::span<const std::string_view> event_categories) const {
  CriteriaMask mask = 0;
  for (size_t i = 0; i < criteria_.size(); ++i) {
    const CompiledQuery& q = criteria_[i].query;
    bool applies = q.any_category();
    for (size_t k = 0; k < event_categories.size() && !applies; ++k) applies = q.applies_to(event_categories[k]);
    if (applies && q.matches(document)) mask |= CriteriaMask{1} << i;
  }
  return mask;
}

size_t JoinKeys::build(const JoinCriterion& criterion, const Document& document, size_t max_keys) {
  buffer_.clear();
  ends_.clear();
  truncated_ = false;
  const size_t n = criterion.keys.size();
  values_.resize(n);
  digits_.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    values_[i] = document.get(criterion.keys[i].id);
    if (values_[i].empty() && !criterion.keys[i].optional) return 0;
  }
  if (max_keys == 0) return 0;
  // Mixed-radix count, first field fastest; an empty optional field is one null.
  while (true) {
    for (size_t i = 0; i < n; ++i) {
      if (values_[i].empty()) {
        encode_null(buffer_);
        continue;
      }
      const Scalar v = values_[i].at(digits_[i]);
      if (v.is_null()) {
        encode_null(buffer_);
      } else {
        encode_text(buffer_, key_text(v, text_));
      }
    }
    ends_.push_back(static_cast<uint32_t>(buffer_.size()));
    size_t i = 0;
    for (; i < n; ++i) {
      if (++digits_[i] < std::max<size_t>(values_[i].size(), 1)) break;
      digits_[i] = 0;
    }
    if (i == n) break;
    if (ends_.size() == max_keys) {
      truncated_ = true;
      break;
    }
  }
  return ends_.size();
}

std::string_view JoinKeys::operator[](size_t i) const {
  const uint32_t begin = i == 0 ? 0 : ends_[i - 1];
  return std::string_view(buffer_).substr(begin, ends_[i] - begin);
}

std::unique_ptr<JoinMatcher> make_join_matcher(std::shared_ptr<const JoinQuery> query,
                                               const SequenceOptions& sequence, const SampleOptions& sample) {
  if (query->is_sample()) return std::make_unique<SampleMatcher>(std::move(query), sample);
  return std::make_unique<SequenceMatcher>(std::move(query), sequence);
}

std::vector<std::optional<std::string>> decode_join_key(std::string_view key) {
  std::vector<std::optional<std::string>> values;
  size_t at = 0;
  while (at < key.size()) {
    if (key[at] == '\0') {
      values.emplace_back();
      ++at;
      continue;
    }
    uint32_t length = 0;
    std::memcpy(&length, key.data() + at + 1, 4);
    values.emplace_back(std::string(key.substr(at + 5, length)));
    at += 5 + length;
  }
  return values;
}

}  // namespace auditeql::eql
