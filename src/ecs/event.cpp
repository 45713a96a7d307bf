#include "ecs/event.h"

#include "util/path.h"

namespace auditeql::ecs {

ProcessImagePtr make_process_image(std::string executable, const std::vector<std::string>& args) {
  auto image = std::make_shared<ProcessImage>();
  image->executable = std::move(executable);
  image->name = util::base_name(image->executable);
  size_t total = args.empty() ? 0 : args.size() - 1;
  for (const auto& a : args) total += a.size();
  // Sized once: the argument views must never see it reallocate.
  image->command_line.reserve(total);
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) image->command_line += ' ';
    image->command_line += args[i];
  }
  image->args.reserve(args.size());
  const char* at = image->command_line.data();
  for (const auto& a : args) {
    image->args.emplace_back(at, a.size());
    at += a.size() + 1;
  }
  return image;
}

std::string_view Event::file_name() const { return util::base_name(file_path); }

std::string_view Event::file_directory() const {
  if (!util::is_absolute(file_path)) return {};
  return util::dir_name(file_path);
}

std::string_view Event::file_extension() const { return util::file_extension(file_name()); }

std::string_view Event::original_name() const { return util::base_name(original_path); }

std::string_view Event::original_extension() const { return util::file_extension(original_name()); }

void format_entity_id(const EntityId& id, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) out[i] = kHex[(id.high >> (60 - 4 * i)) & 0xf];
  for (int i = 0; i < 16; ++i) out[16 + i] = kHex[(id.low >> (60 - 4 * i)) & 0xf];
}

namespace {

// The values Elastic's rules test (EVENT-KINDS.md has the evidence).
constexpr KindClassification kClassifications[kEventKindCount] = {
    {"process", "start", "exec"},                   // ProcessStart
    {"file", "creation", "creation"},               // FileCreation
    {"file", "change", "rename"},                   // FileRename
    {"file", "deletion", "deletion"},               // FileDeletion
    {"network", "start", "connection_attempted"},   // ConnectionAttempted
    {"network", "start", "connection_accepted"},    // ConnectionAccepted
    {"process", "change", "uid_change"},            // UidChange
    {"process", "change", "gid_change"},            // GidChange
    {"process", "change", "session_id_change"},     // SessionIdChange
    {"process", "start", "load_module"},            // ModuleLoad
    {"process", "end", "end"},                      // ProcessEnd
    {"driver", "start", "loaded-kernel-module"},    // DriverLoad
    {"process", "end", "killed-pid"},               // SignalSent
    {"process", "info", ""},                        // ProcessControl: Auditd Manager gives prctl no action
};

}  // namespace

const KindClassification& classification(EventKind kind) { return kClassifications[static_cast<size_t>(kind)]; }

KindMask kinds_of_category(std::string_view category) {
  if (category == "any") return kAllKinds;
  KindMask kinds = 0;
  for (size_t k = 0; k < kEventKindCount; ++k) {
    if (kClassifications[k].category == category) kinds |= KindMask{1} << k;
  }
  return kinds;
}

}  // namespace auditeql::ecs
