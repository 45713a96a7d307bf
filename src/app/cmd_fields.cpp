// `auditeql fields`: the fields auditeql sets, straight from the field
// registry (ecs/fields.h), so that the list people read is the one the
// writer and the rules use.
#include <iostream>

#include "app/commands.h"
#include "app/options.h"
#include "ecs/fields.h"
#include "rules/field_check.h"

namespace auditeql::app {
namespace {

constexpr const char* kFieldsIntro = R"(Usage: auditeql fields

Lists the fields auditeql sets on its events, one per line: the name, its ECS
type ("[]" when it is an array), and the kinds of events that have it. Rules
may read any ECS field (and, with `schema: elastic`, Elastic Defend's and
Auditd Manager's), but only these ever have a value.
)";

}  // namespace

int run_fields(const std::vector<std::string>& args) {
  CommandLine cli("fields", kFieldsIntro);
  if (const auto status = cli.parse(args)) return *status;
  for (const auto& f : ecs::event_fields()) {
    std::cout << f.name << "\t" << ecs::to_string(f.type) << (f.array ? "[]" : "") << "\t"
              << rules::describe_kinds(f.kinds) << "\n";
  }
  return 0;
}

}  // namespace auditeql::app
