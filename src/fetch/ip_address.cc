// IpAddress, Cidr and ParseHostAddress: reading and writing addresses (address_policy.h).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "fetch/address_policy.h"
#include "fetch/ip_bits.h"

namespace takedown::fetch {
namespace {

using internal::MaskV6;
using internal::PrefixMatches;
using internal::V4Mask;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  return (c | 0x20) - 'a' + 10;
}

// One part of an IPv4 host: decimal, octal after a leading 0, hex after 0x. Nullopt when it is
// not a number; values are capped just above 2^32 so no part can overflow.
std::optional<uint64_t> ParseV4Part(std::string_view part) {
  if (part.empty()) return std::nullopt;
  int base = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);  // "0x" alone is 0, as in inet_aton and the URL standard
  } else if (part.size() >= 2 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  uint64_t value = 0;
  for (char c : part) {
    int digit;
    if (base == 16 && IsHexDigit(c)) {
      digit = HexValue(c);
    } else if (IsDigit(c) && c - '0' < base) {
      digit = c - '0';
    } else {
      return std::nullopt;
    }
    value = value * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit);
    if (value > 0x1FFFFFFFFull) value = 0x1FFFFFFFFull;
  }
  return value;
}

// Whether the last label is a number: then the URL standard reads the host as IPv4 or refuses
// it, and so must we (glibc would otherwise try it as a name).
bool EndsInNumber(std::string_view host) {
  const size_t dot = host.rfind('.');
  std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty()) return false;
  if (std::all_of(last.begin(), last.end(), IsDigit)) return true;
  if (last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')) {
    return std::all_of(last.begin() + 2, last.end(), IsHexDigit);
  }
  return false;
}

}  // namespace

IpAddress IpAddress::V4(uint32_t address) {
  IpAddress out;
  out.v4_ = true;
  out.bytes_[0] = static_cast<uint8_t>(address >> 24);
  out.bytes_[1] = static_cast<uint8_t>(address >> 16);
  out.bytes_[2] = static_cast<uint8_t>(address >> 8);
  out.bytes_[3] = static_cast<uint8_t>(address);
  return out;
}

IpAddress IpAddress::V6(const std::array<uint8_t, 16>& bytes) {
  IpAddress out;
  out.v4_ = false;
  out.bytes_ = bytes;
  return out;
}

uint32_t IpAddress::v4() const {
  return (uint32_t{bytes_[0]} << 24) | (uint32_t{bytes_[1]} << 16) | (uint32_t{bytes_[2]} << 8) |
         uint32_t{bytes_[3]};
}

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  const std::string s(text);
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) return V4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::array<uint8_t, 16> bytes;
    std::memcpy(bytes.data(), v6.s6_addr, 16);
    return V6(bytes);
  }
  return std::nullopt;
}

std::optional<IpAddress> IpAddress::FromSockaddr(const sockaddr* address) {
  if (address == nullptr) return std::nullopt;
  if (address->sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, address, sizeof(in));
    return V4(ntohl(in.sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, address, sizeof(in6));
    std::array<uint8_t, 16> bytes;
    std::memcpy(bytes.data(), in6.sin6_addr.s6_addr, 16);
    return V6(bytes);
  }
  return std::nullopt;
}

std::optional<IpAddress> IpAddress::EmbeddedV4() const {
  if (v4_) return std::nullopt;
  const auto& b = bytes_;
  const auto tail = [&](size_t at) {
    return V4((uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) |
              uint32_t{b[at + 3]});
  };
  static constexpr std::array<uint8_t, 16> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  static constexpr std::array<uint8_t, 16> kTranslated = {0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  static constexpr std::array<uint8_t, 16> kCompatible = {};
  static constexpr std::array<uint8_t, 16> kNat64 = {0, 0x64, 0xFF, 0x9B};
  if (PrefixMatches(b, kMapped, 96) || PrefixMatches(b, kTranslated, 96) ||
      PrefixMatches(b, kNat64, 96)) {
    return tail(12);
  }
  if (PrefixMatches(b, kCompatible, 96)) {
    const uint32_t v = tail(12).v4();
    return v <= 1 ? std::nullopt : std::optional<IpAddress>(tail(12));  // :: and ::1 are not
  }
  if (b[0] == 0x20 && b[1] == 0x02) return tail(2);  // 6to4: 2002:AABB:CCDD::/48
  return std::nullopt;
}

std::string IpAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (v4_) {
    inet_ntop(AF_INET, bytes_.data(), text, sizeof(text));
  } else {
    inet_ntop(AF_INET6, bytes_.data(), text, sizeof(text));
  }
  return text;
}

std::string IpAddress::ToUrlHost() const { return v4_ ? ToString() : "[" + ToString() + "]"; }

Result<Cidr> Cidr::Parse(std::string_view text) {
  const size_t slash = text.find('/');
  const std::optional<IpAddress> base = IpAddress::Parse(text.substr(0, slash));
  if (!base) {
    return InvalidArgument("\"" + std::string(text.substr(0, 64)) + "\" is not an IP range");
  }
  const int max = base->is_v4() ? 32 : 128;
  int prefix = max;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 ||
        !std::all_of(digits.begin(), digits.end(), IsDigit)) {
      return InvalidArgument("\"" + std::string(text.substr(0, 64)) + "\" has no valid prefix");
    }
    prefix = std::stoi(std::string(digits));
    if (prefix > max) {
      return InvalidArgument("\"" + std::string(text) + "\" has a prefix longer than the address");
    }
  }
  Cidr out{*base, prefix};
  const bool clean = base->is_v4() ? (base->v4() & ~V4Mask(prefix)) == 0
                                   : MaskV6(base->v6(), prefix) == base->v6();
  if (!clean) {
    return InvalidArgument("\"" + std::string(text) +
                           "\" has bits set after the prefix; write the range's first address");
  }
  return out;
}

bool Cidr::Contains(const IpAddress& address) const {
  if (address.is_v4() != base.is_v4()) return false;
  if (address.is_v4()) return (address.v4() & V4Mask(prefix)) == base.v4();
  return PrefixMatches(address.v6(), base.v6(), prefix);
}

std::string Cidr::ToString() const { return base.ToString() + "/" + std::to_string(prefix); }

Result<std::optional<IpAddress>> ParseHostAddress(std::string_view host) {
  if (host.empty()) return InvalidArgument("the address has no host name");
  if (host.front() == '[') {
    if (host.back() != ']') return InvalidArgument("the IPv6 address has no closing bracket");
    std::string_view inner = host.substr(1, host.size() - 2);
    inner = inner.substr(0, inner.find('%'));  // a zone ("%25eth0") only picks an interface
    if (std::optional<IpAddress> a = IpAddress::Parse(inner); a && !a->is_v4()) {
      return std::optional<IpAddress>(*a);
    }
    return InvalidArgument("\"" + std::string(host.substr(0, 64)) + "\" is no valid IPv6 address");
  }
  if (host.find(':') != std::string_view::npos) {
    if (std::optional<IpAddress> a = IpAddress::Parse(host.substr(0, host.find('%')))) {
      return std::optional<IpAddress>(*a);
    }
    return InvalidArgument("\"" + std::string(host.substr(0, 64)) + "\" is no valid host");
  }
  if (host.back() == '.') host.remove_suffix(1);
  if (!EndsInNumber(host)) return std::optional<IpAddress>();
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t dot = host.find('.', start);
    parts.push_back(host.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  const auto invalid = [&] {
    return InvalidArgument("\"" + std::string(host.substr(0, 64)) +
                           "\" looks like an IPv4 address but is not a valid one");
  };
  if (parts.size() > 4) return invalid();
  uint64_t address = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::optional<uint64_t> value = ParseV4Part(parts[i]);
    if (!value) return invalid();
    if (i + 1 < parts.size()) {
      if (*value > 255) return invalid();
      address |= *value << (8 * (3 - i));
    } else {
      const uint64_t limit = 1ull << (8 * (5 - parts.size()));
      if (*value >= limit) return invalid();
      address |= *value;
    }
  }
  return std::optional<IpAddress>(IpAddress::V4(static_cast<uint32_t>(address)));
}

}  // namespace takedown::fetch
