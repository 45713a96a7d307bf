#pragma once
// Directory inode -> absolute path, for names given relative to a directory fd.
//
// openat(dirfd, "x") as used by `tar -C`, `cp -r` and `mv` makes the kernel
// print the process CWD as the PARENT name; only the PARENT inode is right.
// The map is learned from directories whose absolute path is known (created
// ones, resolved parents) and, live, seeded by walking the watched trees.
#include <cstdint>
#include <string>
#include <string_view>

#include "util/lru_map.h"

namespace auditeql::normalize {

struct InodeKey {
  uint64_t dev = 0;
  uint64_t inode = 0;
  bool operator==(const InodeKey&) const = default;
};

struct InodeKeyHash {
  size_t operator()(const InodeKey& k) const { return std::hash<uint64_t>()(k.inode * 0x9e3779b97f4a7c15ull ^ k.dev); }
};

class InodePaths {
 public:
  static constexpr size_t kDefaultCapacity = 65536;

  explicit InodePaths(size_t capacity = kDefaultCapacity) : paths_(capacity) {}

  const std::string* find(InodeKey key) { return paths_.find(key); }
  void learn(InodeKey key, std::string_view absolute_path) { paths_.put(key, std::string(absolute_path)); }
  void forget(InodeKey key) { paths_.erase(key); }

  size_t size() const { return paths_.size(); }
  size_t capacity() const { return paths_.capacity(); }
  void set_capacity(size_t capacity) { paths_.set_capacity(capacity); }

 private:
  util::LruMap<InodeKey, std::string, InodeKeyHash> paths_;
};

}  // namespace auditeql::normalize
