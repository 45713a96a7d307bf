#pragma once
#include <string>

namespace auditeql::util {

// This machine's host name, for events whose records carry no node= name.
std::string local_host_name();

}  // namespace auditeql::util
