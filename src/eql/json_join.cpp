#include "eql/json_join.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "util/time.h"

namespace auditeql::eql {

namespace {

std::optional<int64_t> whole_number(std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<int64_t> integral(double d) {
  if (!std::isfinite(d) || std::fabs(d) > 9.0e18) return std::nullopt;
  return static_cast<int64_t>(std::floor(d));
}

}  // namespace

EventTimeOrError event_time(const Document& event, FieldId timestamp, std::optional<FieldId> tiebreaker,
                            std::string_view timestamp_name, std::string_view tiebreaker_name) {
  EventTimeOrError result;
  const FieldValues ts = event.get(timestamp);
  if (ts.size() != 1) {
    result.error = ts.empty() ? "has no " + std::string(timestamp_name)
                              : std::string(timestamp_name) + " has several values";
    return result;
  }
  const Scalar v = ts.at(0);
  std::optional<int64_t> ms;
  if (v.kind == Scalar::Kind::Int) {
    ms = v.i;  // epoch milliseconds
  } else if (v.kind == Scalar::Kind::Double) {
    ms = integral(v.d);
  } else if (v.kind == Scalar::Kind::String) {
    ms = whole_number(v.s);  // epoch milliseconds as text, as ES's epoch_millis format reads it
    if (!ms) ms = util::parse_iso8601_ms(v.s);
  }
  if (!ms) {
    result.error = std::string(timestamp_name) + " is neither an ISO-8601 date nor epoch milliseconds";
    return result;
  }
  EventTime time{*ms, std::nullopt};
  if (tiebreaker) {
    const FieldValues tb = event.get(*tiebreaker);
    if (tb.size() > 1) {
      result.error = std::string(tiebreaker_name) + " has several values";
      return result;
    }
    if (tb.size() == 1) {
      const Scalar t = tb.at(0);
      if (t.kind == Scalar::Kind::Int) {
        time.tiebreaker = t.i;
      } else if (t.kind == Scalar::Kind::String) {
        time.tiebreaker = whole_number(t.s);
      } else if (t.kind == Scalar::Kind::Double && t.d == std::trunc(t.d)) {
        time.tiebreaker = integral(t.d);
      }
      if (!time.tiebreaker) {
        result.error = std::string(tiebreaker_name) + " is not an integer";
        return result;
      }
    }
  }
  result.time = time;
  return result;
}

JsonJoinEvaluator::JsonJoinEvaluator(const Query& query, JsonJoinOptions options)
    : options_(std::move(options)), schema_(std::make_unique<DynamicSchema>()) {
  query_ = std::make_shared<const JoinQuery>(compile_join(query, *schema_));
  timestamp_ = schema_->resolve(options_.timestamp_field);
  if (!options_.tiebreaker_field.empty()) tiebreaker_ = schema_->resolve(options_.tiebreaker_field);
  category_ = schema_->resolve(options_.event_category_field);
}

std::optional<std::string> JsonJoinEvaluator::add(JsonDocument event, size_t input_index) {
  const EventTimeOrError time =
      event_time(event, timestamp_, tiebreaker_, options_.timestamp_field, options_.tiebreaker_field);
  if (!time.time) return time.error;
  events_.push_back(Pending{std::move(event), *time.time, input_index});
  return std::nullopt;
}

std::vector<std::vector<size_t>> JsonJoinEvaluator::run() {
  // ES sorts on the timestamp, then the tiebreaker (missing ones last), then
  // the document order, which input order stands for.
  std::vector<size_t> order(events_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [this](size_t a, size_t b) {
    const Ordinal x{events_[a].time.timestamp_ms, events_[a].time.tiebreaker.value_or(0),
                    events_[a].time.tiebreaker.has_value(), 0};
    const Ordinal y{events_[b].time.timestamp_ms, events_[b].time.tiebreaker.value_or(0),
                    events_[b].time.tiebreaker.has_value(), 0};
    return x < y;
  });

  std::vector<JoinMatch> matches;
  SampleOptions sample = options_.sample;
  sample.max_samples_per_key = options_.max_samples_per_key;
  matcher_ = make_join_matcher(query_, options_.sequence, sample);
  std::vector<std::string_view> categories;
  for (const size_t i : order) {
    const Pending& event = events_[i];
    categories.clear();
    const FieldValues values = event.document.get(category_);
    for (size_t k = 0; k < values.size(); ++k) {
      const Scalar v = values.at(k);
      if (v.kind == Scalar::Kind::String) categories.push_back(v.s);
    }
    matcher_->offer(event.document, event.time, event.input_index, query_->matching(event.document, categories),
                    matches);
  }
  matcher_->flush(matches);
  if (!query_->is_sample()) {
    // ES returns sequences ordered by their last event.
    std::stable_sort(matches.begin(), matches.end(), [](const JoinMatch& a, const JoinMatch& b) {
      return a.last < b.last;
    });
  }
  std::vector<std::vector<size_t>> result;
  for (const JoinMatch& match : matches) {
    if (result.size() >= options_.size) break;
    std::vector<size_t>& indices = result.emplace_back();
    for (const EventHandle e : match.events) indices.push_back(static_cast<size_t>(e));
  }
  return result;
}

const SequenceStats* JsonJoinEvaluator::sequence_stats() const {
  const auto* sequence = dynamic_cast<const SequenceMatcher*>(matcher_.get());
  return sequence ? &sequence->stats() : nullptr;
}

const SampleStats* JsonJoinEvaluator::sample_stats() const {
  const auto* sample = dynamic_cast<const SampleMatcher*>(matcher_.get());
  return sample ? &sample->stats() : nullptr;
}

}  // namespace auditeql::eql
