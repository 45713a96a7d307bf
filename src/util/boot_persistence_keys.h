#pragma once
// The audit keys of the boot-persistence bundle's directory watches: written
// into the audit rules (rules stage) and read back from events (normalize
// stage), so they live here, below both.
#include <string_view>

namespace auditeql::util {

inline constexpr std::string_view kBootWatchKey = "bp_boot";      // -w /boot
inline constexpr std::string_view kDracutWatchKey = "bp_dracut";  // -w /usr/lib/dracut/modules.d, /lib/...

inline constexpr bool is_boot_persistence_watch_key(std::string_view key) {
  return key == kBootWatchKey || key == kDracutWatchKey;
}

}  // namespace auditeql::util
