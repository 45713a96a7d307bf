#pragma once
#include <string>

#include "normalize/pipeline.h"

namespace auditeql::app {

// The pipeline of every command and the plugin: the record stage leaves out
// what the events stage does not read (the two meet here, in app), and the
// normalizer names records without node= `host_name` and `host_id` (empty:
// this machine's id, else the host name) and holds tables of the configured
// sizes.
normalize::PipelineOptions pipeline_options(const std::string& host_name, const std::string& host_id,
                                            size_t process_table_size, size_t inode_map_size);

// Feeds the file at `path` ("-" for standard input) through `pipeline`.
// Returns false with a message in `error` when it cannot be opened or read.
bool feed_input(const std::string& path, normalize::EventPipeline& pipeline, std::string& error);

// One line for stderr summing up what a run read and produced.
std::string describe(const normalize::PipelineStats& stats);

// The events of the kinds beyond process starts, file creations and renames
// (deletions, connections, id and session changes, module loads, ends,
// signals, prctl).
uint64_t other_events(const normalize::NormalizeStats& stats);

}  // namespace auditeql::app
