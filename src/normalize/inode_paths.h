#pragma once
// Directory inode -> absolute path, for names given relative to a directory fd.
//
// openat(dirfd, "x") as used by `tar -C`, `cp -r` and `mv` makes the kernel
// print the process CWD as the PARENT name; only the PARENT inode is right.
// The map is learned from directories whose absolute path is known (created
// ones, resolved parents, directories opened by absolute name) and, live,
// seeded by walking the watched trees. A path guessed from an audit key (see
// WatchedDirectories) is kept as inferred, so that what is resolved through
// it is marked inferred too, and any path known for sure replaces it.
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

struct KnownDirectory {
  std::string path;
  bool inferred = false;  // guessed from an audit key, not read from the log
};

class InodePaths {
 public:
  static constexpr size_t kDefaultCapacity = 65536;

  explicit InodePaths(size_t capacity = kDefaultCapacity) : paths_(capacity) {}

  const KnownDirectory* find(InodeKey key) { return paths_.find(key); }
  void learn(InodeKey key, std::string_view absolute_path, bool inferred = false) {
    paths_.put(key, KnownDirectory{std::string(absolute_path), inferred});
  }
  void forget(InodeKey key) { paths_.erase(key); }

  size_t size() const { return paths_.size(); }
  size_t capacity() const { return paths_.capacity(); }
  void set_capacity(size_t capacity) { paths_.set_capacity(capacity); }

 private:
  util::LruMap<InodeKey, KnownDirectory, InodeKeyHash> paths_;
};

}  // namespace auditeql::normalize
