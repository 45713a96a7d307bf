// Memory stays flat however many pids and directories stream by.
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "normalize/pipeline.h"
#include "support/synthetic.h"

using namespace auditeql;

namespace {

size_t rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
  }
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bounds)

BOOST_AUTO_TEST_CASE(a_million_distinct_pids_keep_the_process_table_bounded) {
  normalize::PipelineOptions options;
  options.normalizer.host_name = "h";
  uint64_t starts = 0;
  normalize::EventPipeline pipeline(options, [&](const ecs::Event&) { ++starts; });
  pipeline.feed(testing::exec_records({.serial = 1, .ms = 1795413900000, .pid = 100, .ppid = 1, .exe = "/usr/bin/bash",
                                       .argv = {"bash"}, .path0 = "/usr/bin/bash"}));
  std::string chunk;
  size_t rss_after_warmup = 0;
  const int kForks = 1000000;
  for (int i = 0; i < kForks; ++i) {
    chunk += testing::fork_records(10 + i, 1795413900000 + i / 10, 100, 1, 1000 + i);
    if (chunk.size() > (1 << 20)) {
      pipeline.feed(chunk);
      chunk.clear();
    }
    if (i == 100000) rss_after_warmup = rss_kib();
  }
  pipeline.feed(chunk);
  pipeline.finish();
  const auto& table = pipeline.normalizer().processes();
  BOOST_TEST(table.size() == normalize::ProcessTable::kDefaultCapacity);
  BOOST_TEST(table.evictions() > 900000u);
  BOOST_TEST(pipeline.stats().normalized.forks == static_cast<uint64_t>(kForks));
  const size_t rss_end = rss_kib();
  BOOST_TEST_MESSAGE("RSS after 100k forks " << rss_after_warmup << " KiB, after 1M " << rss_end << " KiB");
  BOOST_TEST(rss_end < rss_after_warmup + 8 * 1024, "RSS grew from " << rss_after_warmup << " to " << rss_end << " KiB");
}

BOOST_AUTO_TEST_CASE(a_smaller_process_table_forgets_newcomers_before_parents) {
  normalize::ProcessTable table(100);
  table.record_exec(1, ecs::make_process_image("/usr/bin/bash", {"bash"}), 0);
  BOOST_REQUIRE(table.find(1) != nullptr);  // a parent now
  for (int i = 0; i < 99; ++i) table.record_exec(100 + i, ecs::make_process_image("/usr/bin/cc", {"cc"}), 1 + i);
  table.set_capacity(10);  // a reload lowered process_table_size
  BOOST_TEST(table.capacity() == 10u);
  BOOST_TEST(table.size() <= 10u);
  BOOST_TEST(table.find(1) != nullptr);
  for (int i = 0; i < 50; ++i) table.record_exec(1000 + i, ecs::make_process_image("/usr/bin/cc", {"cc"}), 200 + i);
  BOOST_TEST(table.size() <= 10u);
  BOOST_TEST(table.find(1) != nullptr);
}

BOOST_AUTO_TEST_CASE(directory_creations_keep_the_inode_map_bounded) {
  normalize::PipelineOptions options;
  options.normalizer.host_name = "h";
  options.normalizer.inode_map_capacity = 1000;
  normalize::EventPipeline pipeline(options, [](const ecs::Event&) {});
  std::string chunk;
  for (int i = 0; i < 20000; ++i) {
    testing::CreateSpec spec;
    spec.serial = 10 + i;
    spec.ms = 1795413900000 + i;
    spec.pid = 50;
    spec.ppid = 1;
    spec.syscall = 83;
    spec.parent_name = "/usr/lib/dracut/modules.d/";
    spec.parent_inode = 1;
    spec.name = "/usr/lib/dracut/modules.d/d" + std::to_string(i);
    spec.inode = 100 + i;
    spec.mode = "040755";
    chunk += testing::create_records(spec);
  }
  pipeline.feed(chunk);
  pipeline.finish();
  BOOST_TEST(pipeline.normalizer().inodes().size() == 1000u);
  BOOST_TEST(pipeline.stats().normalized.file_creations == 20000u);
}

BOOST_AUTO_TEST_SUITE_END()
