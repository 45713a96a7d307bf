#pragma once
// The subcommands of the auditeql binary. Each returns the process exit code:
// 0 success, 1 runtime failure (unreadable input, ...), 2 usage or
// configuration error.
#include <string>
#include <vector>

namespace auditeql::app {

int run_events(const std::vector<std::string>& args);
int run_replay(const std::vector<std::string>& args);
int run_eql(const std::vector<std::string>& args);
int run_check(const std::vector<std::string>& args);
int run_fields(const std::vector<std::string>& args);
int run_audit_rules(const std::vector<std::string>& args);

// Top-level dispatch from main(): argv without the program name.
int run_main(const std::vector<std::string>& args);

extern const char* const kVersion;

}  // namespace auditeql::app
