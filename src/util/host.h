#pragma once
#include <string>

namespace auditeql::util {

// This machine's host name, for events whose records carry no node= name.
std::string local_host_name();

// This machine's id (host.id): /etc/machine-id, else /var/lib/dbus/machine-id;
// empty when neither is readable.
std::string local_machine_id();

}  // namespace auditeql::util
