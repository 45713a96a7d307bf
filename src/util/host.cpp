#include "util/host.h"

#include <unistd.h>

namespace auditeql::util {

std::string local_host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

}  // namespace auditeql::util
