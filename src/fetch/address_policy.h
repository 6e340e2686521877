// The SSRF guard's judgement of addresses: which IP addresses Takedown may connect to.
//
// The fetcher connects only to public unicast addresses. Loopback, private, link-local (cloud
// metadata services), multicast, shared (CGNAT), documentation, benchmarking and reserved
// ranges are refused, in IPv4 and IPv6 alike, and IPv6 forms that carry an IPv4 address
// (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4) are judged by the address they carry.
// Configuration may allow ranges anyway (tests allow 127.0.0.0/8; an air-gapped deployment its
// own network). URL hosts are read the way curl and glibc read them, so "2130706433",
// "0177.0.0.1", "0x7f.1" and "127.1" are all 127.0.0.1. Rules and reasons: docs/fetch.md.
//
// Everything here is a plain value or a pure function: safe to use from many threads at once.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

struct sockaddr;

namespace takedown::fetch {

// One IPv4 or IPv6 address. A plain value.
class IpAddress {
 public:
  IpAddress() = default;                  // 0.0.0.0
  static IpAddress V4(uint32_t address);  // host byte order: 0x7F000001 is 127.0.0.1
  static IpAddress V6(const std::array<uint8_t, 16>& bytes);
  // Strict text: dotted-quad IPv4 or IPv6 without brackets. A URL host's looser forms are for
  // ParseHostAddress.
  static std::optional<IpAddress> Parse(std::string_view text);
  // AF_INET or AF_INET6; nullopt for any other family.
  static std::optional<IpAddress> FromSockaddr(const sockaddr* address);

  bool is_v4() const { return v4_; }
  uint32_t v4() const;                                          // host byte order; IPv4 only
  const std::array<uint8_t, 16>& v6() const { return bytes_; }  // IPv6 only
  // The IPv4 address an IPv6 address carries: IPv4-mapped (::ffff:0:0/96), IPv4-translated
  // (::ffff:0:0:0/96), IPv4-compatible (::/96, but not :: and ::1), NAT64 (64:ff9b::/96), 6to4
  // (2002::/16). Nullopt for IPv4 addresses and other IPv6 addresses.
  std::optional<IpAddress> EmbeddedV4() const;

  std::string ToString() const;   // "10.0.0.1", "::ffff:127.0.0.1"
  std::string ToUrlHost() const;  // as a URL or curl's resolve list writes it: IPv6 in brackets

  bool operator==(const IpAddress&) const = default;

 private:
  bool v4_ = true;
  std::array<uint8_t, 16> bytes_{};  // IPv4: the first 4 bytes, in network order
};

// A range such as "10.0.0.0/8" or "fc00::/7". A plain value.
struct Cidr {
  IpAddress base;  // host bits cleared
  int prefix = 0;

  // "a.b.c.d/n" or "v6/n"; a bare address is a /32 or /128. Host bits set below the prefix are
  // refused (InvalidArgument), since "10.0.0.1/8" usually means a typo.
  static Result<Cidr> Parse(std::string_view text);
  bool Contains(const IpAddress& address) const;  // false across families
  std::string ToString() const;
};

enum class AddressKind {
  kPublic,
  kUnspecified,         // 0.0.0.0/8, ::
  kLoopback,            // 127.0.0.0/8, ::1
  kPrivate,             // RFC 1918, fc00::/7, fec0::/10, 64:ff9b:1::/48
  kSharedAddressSpace,  // 100.64.0.0/10 (carrier-grade NAT)
  kLinkLocal,           // 169.254.0.0/16 (cloud metadata), fe80::/10
  kMulticast,           // 224.0.0.0/4, ff00::/8
  kBroadcast,           // 255.255.255.255
  kDocumentation,       // 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, 3fff::/20
  kBenchmarking,        // 198.18.0.0/15
  kReserved,            // 240.0.0.0/4, 192.0.0.0/24, everything outside 2000::/3, ...
};

// "public", "loopback", "private", "shared address space (carrier-grade NAT)", ...
std::string_view AddressKindName(AddressKind kind);

// What an address is and, for a special one, which range made it so. A plain value.
struct AddressClass {
  AddressKind kind = AddressKind::kPublic;
  std::string range;  // the special range, "169.254.0.0/16"; "" when public
  std::string note;   // a few more words for a person ("cloud metadata services answer here")
  // Set when an IPv6 form was judged by the IPv4 address it carries.
  std::optional<IpAddress> carried_v4;
};

AddressClass ClassifyAddress(const IpAddress& address);

// Reads a URL host as an address, the way curl and glibc would connect to it: bracketed IPv6
// ("[::1]", a zone "%25eth0" dropped), and IPv4 in every form inet_aton and the WHATWG URL
// standard accept: 1 to 4 parts, each decimal, octal ("0177") or hex ("0x7f"), a trailing dot
// allowed ("2130706433", "0177.0.0.1", "0x7f.1", "127.1"). Returns nullopt for a DNS name, and
// InvalidArgument for a host that ends in a number but is no valid address ("1.2.3.4.5",
// "256.1.1.1", "08.1.1.1").
Result<std::optional<IpAddress>> ParseHostAddress(std::string_view host);

// Decides whether the fetcher may connect to an address. Immutable: safe to share.
class AddressPolicy {
 public:
  AddressPolicy() = default;  // every special range refused, nothing allowed on top
  // Ranges let through although special (CIDR text, as Cidr::Parse reads it).
  static Result<AddressPolicy> WithAllowed(const std::vector<std::string>& cidrs);

  // OK for a public address, or one inside an allowed range (an IPv6 form also when the IPv4
  // address it carries is). Otherwise PermissionDenied with one sentence that names the
  // address and why: "10.0.0.5 is a private address (10.0.0.0/8)".
  Status Check(const IpAddress& address) const;
  // The same judgement as words to put after "is": "a private address (10.0.0.0/8)", "an IPv6
  // form of 127.0.0.1, a loopback address (127.0.0.0/8)"; nullopt when allowed.
  std::optional<std::string> WhyRefused(const IpAddress& address) const;

  const std::vector<Cidr>& allowed() const { return allowed_; }

 private:
  std::vector<Cidr> allowed_;
};

}  // namespace takedown::fetch
