// Evaluating compiled rules must not touch the heap. This file replaces the
// global operator new/delete of the test_eql binary with counting versions;
// the count is per thread and only read around matches() calls.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#include "eql_test_support.h"
#include "util/json_value.h"

namespace {
thread_local long allocations = 0;
}

void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  return operator new(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ++allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

using namespace auditeql::eql;

BOOST_AUTO_TEST_SUITE(eql_allocation)

BOOST_AUTO_TEST_CASE(counting_works) {
  const long before = allocations;
  auto* p = new std::string(100, 'x');
  delete p;
  BOOST_TEST(allocations - before >= 1);
}

BOOST_AUTO_TEST_CASE(matching_the_corpus_allocates_nothing) {
  std::ifstream in(std::string(AUDITEQL_TEST_DATA_DIR) + "/elastic-linux-eql-rules.jsonl");
  BOOST_REQUIRE(in);
  DynamicSchema schema;
  std::vector<CompiledQuery> rules;
  std::string line;
  while (std::getline(in, line)) {
    const Query query = parse_query(auditeql::util::parse_json(line).find("query")->as_string());
    if (query.kind == QueryKind::Event) rules.push_back(compile(query, schema));
  }
  BOOST_REQUIRE(rules.size() == 318u);

  const std::vector<JsonDocument> events = {
      JsonDocument::parse("{}", schema),
      JsonDocument::parse(R"({"host":{"os":{"type":"linux"},"ip":["10.0.0.1"]},
            "event":{"type":["start"],"action":"exec","category":["process"]},
            "process":{"name":"php8.1","executable":"/tmp/.x/php8.1","args":["php8.1","-S","0.0.0.0:80","-t","/var/www/html"],
              "command_line":"php8.1 -S 0.0.0.0:80 -t /var/www/html http://evil.example.com:8080/x.sh 10.1.1.1:4444:10.2.2.2:5555",
              "args_count":5,"pid":99,"working_directory":"/tmp",
              "parent":{"name":"bash","executable":"/usr/bin/bash","args":["bash","-c","curl x | sh"],"command_line":"bash -c curl x | sh"}},
            "destination":{"ip":"8.8.8.8","port":4444},"user":{"id":"1000"}})",
                          schema),
      JsonDocument::parse(R"({"host":{"os":{"type":"linux"}},"event":{"type":["creation"],"action":"creation"},
            "file":{"path":"/etc/cron.d/evil","name":"evil","extension":"sh"},
            "process":{"name":"cp","executable":"/usr/bin/cp"}})",
                          schema),
  };
  // Warm up once: per-thread regex scratch space grows on first use.
  long hits = 0;
  for (const CompiledQuery& rule : rules)
    for (const JsonDocument& event : events) hits += rule.matches(event);

  const long before = allocations;
  for (int round = 0; round < 3; ++round)
    for (const CompiledQuery& rule : rules)
      for (const JsonDocument& event : events) hits += rule.matches(event);
  const long during = allocations - before;
  BOOST_TEST(during == 0);
  BOOST_TEST(hits >= 0);
}

BOOST_AUTO_TEST_SUITE_END()
