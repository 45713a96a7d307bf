#pragma once
// Helpers shared by the suites: fixture paths and running the event pipeline
// over a log held in memory.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ecs/event.h"
#include "normalize/pipeline.h"

namespace auditeql::testing {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// A fixture under tests/fixtures; for "x.gz" fixtures pass "x": the build
// unpacks them into the build tree.
inline std::filesystem::path fixture(std::string_view relative) {
  const std::filesystem::path source = std::filesystem::path(AUDITEQL_FIXTURES_DIR) / relative;
  if (std::filesystem::exists(source)) return source;
  const std::filesystem::path unpacked = std::filesystem::path(AUDITEQL_UNPACKED_FIXTURES_DIR) / relative;
  if (std::filesystem::exists(unpacked)) return unpacked;
  throw std::runtime_error("missing fixture " + std::string(relative));
}

inline std::vector<std::string> scenario_names() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(AUDITEQL_FIXTURES_DIR) / "scenarios")) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

inline std::filesystem::path scenario_file(const std::string& scenario, const std::string& file) {
  return fixture("scenarios/" + scenario + "/" + file);
}

struct PipelineRun {
  std::vector<ecs::Event> events;
  normalize::PipelineStats stats;
};

// Feeds `log` through records -> events -> order -> normalizer in chunks of
// `chunk` bytes (to exercise lines split across reads).
inline PipelineRun run_pipeline(std::string_view log, normalize::PipelineOptions options = {}, size_t chunk = 4096) {
  PipelineRun run;
  if (options.normalizer.host_name.empty()) options.normalizer.host_name = "testhost";
  // As the commands and the plugin run it (app/input.cpp pipeline_options).
  if (!options.compaction) options.compaction = events::AuparseGrouper::records_read();
  normalize::EventPipeline pipeline(options, [&](const ecs::Event& e) { run.events.push_back(e); });
  for (size_t i = 0; i < log.size(); i += chunk) pipeline.feed(log.substr(i, chunk));
  pipeline.finish();
  run.stats = pipeline.stats();
  return run;
}

inline std::vector<std::string> lines_of_text(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// A process image's arguments as strings, for comparisons.
inline std::vector<std::string> strings(const std::vector<std::string_view>& views) {
  return std::vector<std::string>(views.begin(), views.end());
}

inline const ecs::Event* find_by_sequence(const std::vector<ecs::Event>& events, uint64_t sequence,
                                          ecs::EventKind kind = ecs::EventKind::ProcessStart) {
  for (const auto& e : events) {
    if (e.sequence == sequence && e.kind == kind) return &e;
  }
  return nullptr;
}

}  // namespace auditeql::testing
