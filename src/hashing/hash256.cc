#include <bit>
#include <cstdio>

#include "hashing/pdq.h"

namespace takedown::hashing {

std::string Hash256::ToHex() const {
  // Word 15 first is the same as the big-endian hex of the 256-bit number: lane 3 first.
  char buf[65];
  for (int lane = 3, pos = 0; lane >= 0; --lane, pos += 16) {
    std::snprintf(buf + pos, 17, "%016llx", static_cast<unsigned long long>(lanes[lane]));
  }
  return std::string(buf, 64);
}

Result<Hash256> Hash256::FromHex(std::string_view hex) {
  if (hex.size() != 64) {
    return InvalidArgument("a PDQ hash is 64 hex characters; got " + std::to_string(hex.size()));
  }
  Hash256 h;
  for (size_t i = 0; i < 64; ++i) {
    char c = hex[i];
    uint64_t nibble;
    if (c >= '0' && c <= '9') {
      nibble = static_cast<uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      nibble = static_cast<uint64_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      nibble = static_cast<uint64_t>(c - 'A' + 10);
    } else {
      return InvalidArgument("a PDQ hash may hold only hex digits; character " +
                             std::to_string(i + 1) + " is not one");
    }
    // Character i covers bits 255-4i .. 252-4i.
    int lane = 3 - static_cast<int>(i / 16);
    int shift = 60 - 4 * static_cast<int>(i % 16);
    h.lanes[lane] |= nibble << shift;
  }
  return h;
}

int HammingDistance(const Hash256& a, const Hash256& b) {
  int d = 0;
  for (int i = 0; i < 4; ++i) d += std::popcount(a.lanes[i] ^ b.lanes[i]);
  return d;
}

}  // namespace takedown::hashing
