#include <boost/test/unit_test.hpp>

#include <string>

#include "util/lru_map.h"

using auditeql::util::LruMap;

BOOST_AUTO_TEST_SUITE(lru_map)

BOOST_AUTO_TEST_CASE(evicts_the_least_recently_used_entry) {
  LruMap<int, std::string> map(2);
  map.put(1, "one");
  map.put(2, "two");
  BOOST_TEST(*map.find(1) == "one");  // 2 is now the oldest
  map.put(3, "three");
  BOOST_TEST(map.size() == 2u);
  BOOST_TEST(map.find(2) == nullptr);
  BOOST_TEST(*map.find(1) == "one");
  BOOST_TEST(*map.find(3) == "three");
  BOOST_TEST(map.evictions() == 1u);
}

BOOST_AUTO_TEST_CASE(replacing_keeps_size_and_refreshes_recency) {
  LruMap<int, int> map(2);
  map.put(1, 10);
  map.put(2, 20);
  map.put(1, 11);
  map.put(3, 30);
  BOOST_TEST(map.find(2) == nullptr);
  BOOST_TEST(*map.find(1) == 11);
  BOOST_TEST(map.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_smaller_capacity_evicts_the_least_recently_used_at_once) {
  LruMap<int, int> map(4);
  for (int k = 1; k <= 4; ++k) map.put(k, k);
  map.find(1);  // 1 is now the most recently used
  map.set_capacity(2);
  BOOST_TEST(map.size() == 2u);
  BOOST_TEST(map.capacity() == 2u);
  BOOST_TEST(map.peek(1) != nullptr);
  BOOST_TEST(map.peek(4) != nullptr);
  BOOST_TEST(map.evictions() == 2u);
  map.set_capacity(3);
  map.put(5, 5);
  BOOST_TEST(map.size() == 3u);
}

BOOST_AUTO_TEST_CASE(stays_bounded_under_a_million_distinct_keys) {
  LruMap<int64_t, int64_t> map(1000);
  for (int64_t k = 0; k < 1000000; ++k) map.put(k, k);
  BOOST_TEST(map.size() == 1000u);
  BOOST_TEST(map.find(999999) != nullptr);
  BOOST_TEST(map.find(0) == nullptr);
  BOOST_TEST(map.erase(999999));
  BOOST_TEST(map.size() == 999u);
}

BOOST_AUTO_TEST_SUITE_END()
