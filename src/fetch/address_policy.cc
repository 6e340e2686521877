// The special address ranges and the policy's judgement (address_policy.h).
#include "fetch/address_policy.h"

#include "fetch/ip_bits.h"

namespace takedown::fetch {
namespace {

using internal::PrefixMatches;
using internal::V4Mask;

struct V4Range {
  uint32_t base;
  int prefix;
  AddressKind kind;
  std::string_view text;
  std::string_view note;
};

// Most specific first: the first range that contains an address decides. RFC 6890 and the IANA
// special-purpose registry, plus Azure's WireServer, a public address that answers only from
// inside Azure and is a known SSRF target.
constexpr V4Range kV4Ranges[] = {
    {0x00000000, 8, AddressKind::kUnspecified, "0.0.0.0/8", ""},
    {0x0A000000, 8, AddressKind::kPrivate, "10.0.0.0/8", ""},
    {0x64400000, 10, AddressKind::kSharedAddressSpace, "100.64.0.0/10", ""},
    {0x7F000000, 8, AddressKind::kLoopback, "127.0.0.0/8", ""},
    {0xA9FEA9FE, 32, AddressKind::kLinkLocal, "169.254.0.0/16",
     "the cloud metadata service address"},
    {0xA9FE0000, 16, AddressKind::kLinkLocal, "169.254.0.0/16",
     "cloud metadata services answer here"},
    {0xA83F8110, 32, AddressKind::kReserved, "168.63.129.16/32",
     "Azure's platform address, reachable only from inside Azure"},
    {0xAC100000, 12, AddressKind::kPrivate, "172.16.0.0/12", ""},
    {0xC0000000, 24, AddressKind::kReserved, "192.0.0.0/24", "IETF protocol assignments"},
    {0xC0000200, 24, AddressKind::kDocumentation, "192.0.2.0/24", ""},
    {0xC0586300, 24, AddressKind::kReserved, "192.88.99.0/24", "the retired 6to4 relay anycast"},
    {0xC0A80000, 16, AddressKind::kPrivate, "192.168.0.0/16", ""},
    {0xC6120000, 15, AddressKind::kBenchmarking, "198.18.0.0/15", ""},
    {0xC6336400, 24, AddressKind::kDocumentation, "198.51.100.0/24", ""},
    {0xCB007100, 24, AddressKind::kDocumentation, "203.0.113.0/24", ""},
    {0xE0000000, 4, AddressKind::kMulticast, "224.0.0.0/4", ""},
    {0xFFFFFFFF, 32, AddressKind::kBroadcast, "255.255.255.255/32", ""},
    {0xF0000000, 4, AddressKind::kReserved, "240.0.0.0/4", ""},
};

struct V6Range {
  std::array<uint8_t, 16> base;
  int prefix;
  AddressKind kind;
  std::string_view text;
  std::string_view note;
};

constexpr std::array<uint8_t, 16> V6(std::initializer_list<uint16_t> groups) {
  std::array<uint8_t, 16> out{};
  size_t i = 0;
  for (uint16_t g : groups) {
    out[i++] = static_cast<uint8_t>(g >> 8);
    out[i++] = static_cast<uint8_t>(g & 0xFF);
  }
  return out;
}

// Ranges that carry an IPv4 address are handled before these (EmbeddedV4).
const V6Range kV6Ranges[] = {
    {V6({0, 0, 0, 0, 0, 0, 0, 0}), 128, AddressKind::kUnspecified, "::/128", ""},
    {V6({0, 0, 0, 0, 0, 0, 0, 1}), 128, AddressKind::kLoopback, "::1/128", ""},
    {V6({0x64, 0xff9b, 1}), 48, AddressKind::kPrivate, "64:ff9b:1::/48",
     "the local-use NAT64 prefix"},
    {V6({0x100}), 64, AddressKind::kReserved, "100::/64", "discard-only"},
    {V6({0x2001, 0xdb8}), 32, AddressKind::kDocumentation, "2001:db8::/32", ""},
    {V6({0x2001}), 23, AddressKind::kReserved, "2001::/23",
     "IETF protocol assignments, Teredo included"},
    {V6({0x3fff}), 20, AddressKind::kDocumentation, "3fff::/20", ""},
    {V6({0x5f00}), 16, AddressKind::kReserved, "5f00::/16", "segment routing identifiers"},
    {V6({0xfc00}), 7, AddressKind::kPrivate, "fc00::/7", "unique local addresses"},
    {V6({0xfe80}), 10, AddressKind::kLinkLocal, "fe80::/10", ""},
    {V6({0xfec0}), 10, AddressKind::kPrivate, "fec0::/10", "deprecated site-local addresses"},
    {V6({0xff00}), 8, AddressKind::kMulticast, "ff00::/8", ""},
};

AddressClass ClassifyV4(uint32_t a) {
  for (const V4Range& r : kV4Ranges) {
    if ((a & V4Mask(r.prefix)) == r.base) {
      return {r.kind, std::string(r.text), std::string(r.note), std::nullopt};
    }
  }
  return {};
}

}  // namespace

std::string_view AddressKindName(AddressKind kind) {
  switch (kind) {
    case AddressKind::kPublic:
      return "public";
    case AddressKind::kUnspecified:
      return "unspecified";
    case AddressKind::kLoopback:
      return "loopback";
    case AddressKind::kPrivate:
      return "private";
    case AddressKind::kSharedAddressSpace:
      return "shared address space (carrier-grade NAT)";
    case AddressKind::kLinkLocal:
      return "link-local";
    case AddressKind::kMulticast:
      return "multicast";
    case AddressKind::kBroadcast:
      return "broadcast";
    case AddressKind::kDocumentation:
      return "documentation";
    case AddressKind::kBenchmarking:
      return "benchmarking";
    case AddressKind::kReserved:
      return "reserved";
  }
  return "unknown";
}

AddressClass ClassifyAddress(const IpAddress& address) {
  if (address.is_v4()) return ClassifyV4(address.v4());
  if (const std::optional<IpAddress> v4 = address.EmbeddedV4()) {
    AddressClass inner = ClassifyV4(v4->v4());
    const bool compatible = PrefixMatches(address.v6(), {}, 96);
    if (inner.kind == AddressKind::kPublic && compatible) {
      // Deprecated: nothing routes ::a.b.c.d to the IPv4 address any more.
      return {AddressKind::kReserved, "::/96", "deprecated IPv4-compatible addresses", v4};
    }
    if (inner.kind != AddressKind::kPublic) inner.carried_v4 = v4;
    return inner;
  }
  for (const V6Range& r : kV6Ranges) {
    if (PrefixMatches(address.v6(), r.base, r.prefix)) {
      return {r.kind, std::string(r.text), std::string(r.note), std::nullopt};
    }
  }
  if ((address.v6()[0] & 0xE0) != 0x20) {  // only 2000::/3 is allocated for global unicast
    return {AddressKind::kReserved, "outside 2000::/3", "not allocated for global unicast",
            std::nullopt};
  }
  return {};
}

Result<AddressPolicy> AddressPolicy::WithAllowed(const std::vector<std::string>& cidrs) {
  AddressPolicy policy;
  for (const std::string& text : cidrs) {
    Result<Cidr> cidr = Cidr::Parse(text);
    if (!cidr.ok()) return cidr.status();
    policy.allowed_.push_back(*cidr);
  }
  return policy;
}

std::optional<std::string> AddressPolicy::WhyRefused(const IpAddress& address) const {
  const std::optional<IpAddress> carried = address.EmbeddedV4();
  for (const Cidr& range : allowed_) {
    if (range.Contains(address) || (carried && range.Contains(*carried))) return std::nullopt;
  }
  const AddressClass c = ClassifyAddress(address);
  if (c.kind == AddressKind::kPublic) return std::nullopt;
  std::string why;
  if (c.carried_v4) why = "an IPv6 form of " + c.carried_v4->ToString() + ", ";
  const std::string_view name = AddressKindName(c.kind);
  const bool vowel = name.find_first_of("aeiou") == 0;
  why += std::string(vowel ? "an " : "a ") + std::string(name) + " address (" + c.range;
  if (!c.note.empty()) why += "; " + c.note;
  return why + ")";
}

Status AddressPolicy::Check(const IpAddress& address) const {
  if (std::optional<std::string> why = WhyRefused(address)) {
    return PermissionDenied(address.ToString() + " is " + *why);
  }
  return Status::Ok();
}

}  // namespace takedown::fetch
