#pragma once
#include <string>

#include "normalize/pipeline.h"

namespace auditeql::app {

// Feeds the file at `path` ("-" for standard input) through `pipeline`.
// Returns false with a message in `error` when it cannot be opened or read.
bool feed_input(const std::string& path, normalize::EventPipeline& pipeline, std::string& error);

// One line for stderr summing up what a run read and produced.
std::string describe(const normalize::PipelineStats& stats);

}  // namespace auditeql::app
