#include "util/host.h"

#include <unistd.h>

#include <fstream>

namespace auditeql::util {

std::string local_host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

std::string local_machine_id() {
  for (const char* path : {"/etc/machine-id", "/var/lib/dbus/machine-id"}) {
    std::ifstream in(path);
    std::string id;
    if (in && std::getline(in, id)) {
      while (!id.empty() && (id.back() == ' ' || id.back() == '\r' || id.back() == '\t')) id.pop_back();
      if (!id.empty()) return id;
    }
  }
  return {};
}

}  // namespace auditeql::util
