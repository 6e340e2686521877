#include "casework/attempts.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace takedown::casework {

std::string AddressBlock(const std::string& address) {
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) != 1) return address;
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char text[INET6_ADDRSTRLEN] = {};
  if (std::memcmp(v6.s6_addr, kMapped, sizeof kMapped) == 0) {
    return inet_ntop(AF_INET, v6.s6_addr + 12, text, sizeof text) ? text : address;
  }
  std::memset(v6.s6_addr + 8, 0, 8);
  if (!inet_ntop(AF_INET6, &v6, text, sizeof text)) return address;
  return std::string(text) + "/64";
}

Status WaitBeforeRetrying(const std::string& what, UnixMillis now, UnixMillis at) {
  const UnixMillis seconds = std::max<UnixMillis>(1, (at - now + 999) / 1000);
  std::string wait;
  if (seconds < 120) {
    wait = std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
  } else {
    const UnixMillis minutes = (seconds + 59) / 60;
    wait = std::to_string(minutes) + " minutes";
  }
  return ResourceExhausted("too many " + what + "; try again in " + wait);
}

}  // namespace takedown::casework
