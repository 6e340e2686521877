// Internal to fetch: prefix arithmetic shared by the address parser and the policy.
#pragma once

#include <array>
#include <cstdint>

namespace takedown::fetch::internal {

// Whether the first `prefix` bits of two IPv6 addresses are equal.
inline bool PrefixMatches(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b,
                          int prefix) {
  int bits = prefix;
  for (size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

// The address with every bit after `prefix` cleared.
inline std::array<uint8_t, 16> MaskV6(const std::array<uint8_t, 16>& a, int prefix) {
  std::array<uint8_t, 16> out{};
  int bits = prefix;
  for (size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
    out[i] = static_cast<uint8_t>(a[i] & mask);
  }
  return out;
}

inline uint32_t V4Mask(int prefix) { return prefix == 0 ? 0 : 0xFFFFFFFFu << (32 - prefix); }

}  // namespace takedown::fetch::internal
