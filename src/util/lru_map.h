#pragma once
// A map bounded to `capacity` entries that evicts the least recently used one.
// The process table and the inode map use it so that memory stays flat however
// many pids or directories a host churns through.
#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <unordered_map>
#include <utility>

namespace auditeql::util {

template <class Key, class Value, class Hash = std::hash<Key>>
class LruMap {
 public:
  explicit LruMap(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {
    index_.reserve(capacity_ < 65536 ? capacity_ : 65536);
  }

  // The value for `key`, marked as most recently used; nullptr when absent.
  Value* find(const Key& key) {
    const auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }

  // Lookup without touching the recency order.
  const Value* peek(const Key& key) const {
    const auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }
  Value* peek(const Key& key) {
    const auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }

  // Inserts or replaces; may evict the least recently used entry.
  Value& put(const Key& key, Value value) {
    if (const auto it = index_.find(key); it != index_.end()) {
      it->second->second = std::move(value);
      order_.splice(order_.begin(), order_, it->second);
      return it->second->second;
    }
    if (index_.size() >= capacity_) return replace_oldest(key, std::move(value));
    order_.emplace_front(key, std::move(value));
    index_.emplace(key, order_.begin());
    return order_.front().second;
  }

  // Inserts `key` (which must be absent) in place of the least recently used
  // entry, reusing its storage: eviction and insertion without allocating.
  Value& replace_oldest(const Key& key, Value value) {
    auto last = std::prev(order_.end());
    auto node = index_.extract(last->first);
    ++evictions_;
    last->first = key;
    last->second = std::move(value);
    order_.splice(order_.begin(), order_, last);
    node.key() = key;
    node.mapped() = order_.begin();
    index_.insert(std::move(node));
    return order_.front().second;
  }

  // Removes and returns the entry for `key`.
  std::optional<Value> take(const Key& key) {
    const auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    std::optional<Value> value(std::move(it->second->second));
    order_.erase(it->second);
    index_.erase(it);
    return value;
  }

  // Removes and returns the least recently used entry.
  std::optional<std::pair<Key, Value>> take_oldest() {
    if (order_.empty()) return std::nullopt;
    std::optional<std::pair<Key, Value>> oldest(std::move(order_.back()));
    index_.erase(oldest->first);
    order_.pop_back();
    return oldest;
  }

  bool erase(const Key& key) {
    const auto it = index_.find(key);
    if (it == index_.end()) return false;
    order_.erase(it->second);
    index_.erase(it);
    return true;
  }

  void clear() {
    index_.clear();
    order_.clear();
  }

  // A reload may change the bound: shrinking evicts the least recently used.
  void set_capacity(size_t capacity) {
    capacity_ = capacity == 0 ? 1 : capacity;
    while (index_.size() > capacity_) {
      take_oldest();
      ++evictions_;
    }
  }

  size_t size() const { return index_.size(); }
  size_t capacity() const { return capacity_; }
  uint64_t evictions() const { return evictions_; }

  // Visits entries from most to least recently used.
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [k, v] : order_) f(k, v);
  }

 private:
  using Order = std::list<std::pair<Key, Value>>;
  size_t capacity_;
  Order order_;
  std::unordered_map<Key, typename Order::iterator, Hash> index_;
  uint64_t evictions_ = 0;
};

}  // namespace auditeql::util
