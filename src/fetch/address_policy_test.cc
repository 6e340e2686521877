#include "fetch/address_policy.h"

#include <gtest/gtest.h>

namespace takedown::fetch {
namespace {

IpAddress Ip(const char* text) {
  std::optional<IpAddress> ip = IpAddress::Parse(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(IpAddress());
}

AddressKind Kind(const char* text) { return ClassifyAddress(Ip(text)).kind; }

TEST(AddressPolicyTest, ClassifiesIpv4SpecialRanges) {
  EXPECT_EQ(Kind("0.0.0.0"), AddressKind::kUnspecified);
  EXPECT_EQ(Kind("0.1.2.3"), AddressKind::kUnspecified);
  EXPECT_EQ(Kind("10.1.2.3"), AddressKind::kPrivate);
  EXPECT_EQ(Kind("100.64.0.1"), AddressKind::kSharedAddressSpace);
  EXPECT_EQ(Kind("100.127.255.255"), AddressKind::kSharedAddressSpace);
  EXPECT_EQ(Kind("100.128.0.1"), AddressKind::kPublic);
  EXPECT_EQ(Kind("127.0.0.1"), AddressKind::kLoopback);
  EXPECT_EQ(Kind("127.255.255.254"), AddressKind::kLoopback);
  EXPECT_EQ(Kind("169.254.169.254"), AddressKind::kLinkLocal);
  EXPECT_EQ(Kind("169.254.1.1"), AddressKind::kLinkLocal);
  EXPECT_EQ(Kind("172.16.0.1"), AddressKind::kPrivate);
  EXPECT_EQ(Kind("172.31.255.255"), AddressKind::kPrivate);
  EXPECT_EQ(Kind("172.32.0.1"), AddressKind::kPublic);
  EXPECT_EQ(Kind("192.0.0.8"), AddressKind::kReserved);
  EXPECT_EQ(Kind("192.0.2.10"), AddressKind::kDocumentation);
  EXPECT_EQ(Kind("192.168.1.1"), AddressKind::kPrivate);
  EXPECT_EQ(Kind("198.18.0.1"), AddressKind::kBenchmarking);
  EXPECT_EQ(Kind("198.19.255.255"), AddressKind::kBenchmarking);
  EXPECT_EQ(Kind("198.51.100.7"), AddressKind::kDocumentation);
  EXPECT_EQ(Kind("203.0.113.9"), AddressKind::kDocumentation);
  EXPECT_EQ(Kind("224.0.0.1"), AddressKind::kMulticast);
  EXPECT_EQ(Kind("239.255.255.250"), AddressKind::kMulticast);
  EXPECT_EQ(Kind("240.0.0.1"), AddressKind::kReserved);
  EXPECT_EQ(Kind("255.255.255.255"), AddressKind::kBroadcast);
  EXPECT_EQ(Kind("168.63.129.16"), AddressKind::kReserved);
  EXPECT_EQ(Kind("93.184.216.34"), AddressKind::kPublic);
  EXPECT_EQ(Kind("8.8.8.8"), AddressKind::kPublic);
  EXPECT_EQ(Kind("1.1.1.1"), AddressKind::kPublic);
}

TEST(AddressPolicyTest, ClassifiesIpv6SpecialRanges) {
  EXPECT_EQ(Kind("::"), AddressKind::kUnspecified);
  EXPECT_EQ(Kind("::1"), AddressKind::kLoopback);
  EXPECT_EQ(Kind("fe80::1"), AddressKind::kLinkLocal);
  EXPECT_EQ(Kind("febf::1"), AddressKind::kLinkLocal);
  EXPECT_EQ(Kind("fc00::1"), AddressKind::kPrivate);
  EXPECT_EQ(Kind("fd00:ec2::254"), AddressKind::kPrivate);  // AWS's IPv6 metadata service
  EXPECT_EQ(Kind("fec0::1"), AddressKind::kPrivate);
  EXPECT_EQ(Kind("ff02::1"), AddressKind::kMulticast);
  EXPECT_EQ(Kind("2001:db8::1"), AddressKind::kDocumentation);
  EXPECT_EQ(Kind("3fff::1"), AddressKind::kDocumentation);
  EXPECT_EQ(Kind("2001::1"), AddressKind::kReserved);  // Teredo
  EXPECT_EQ(Kind("100::1"), AddressKind::kReserved);
  EXPECT_EQ(Kind("64:ff9b:1::1"), AddressKind::kPrivate);
  EXPECT_EQ(Kind("4000::1"), AddressKind::kReserved);  // outside 2000::/3
  EXPECT_EQ(Kind("2606:2800:220:1:248:1893:25c8:1946"), AddressKind::kPublic);
  EXPECT_EQ(Kind("2a00:1450:4001:80b::200e"), AddressKind::kPublic);
}

TEST(AddressPolicyTest, JudgesIpv6FormsByTheIpv4AddressTheyCarry) {
  const AddressClass mapped = ClassifyAddress(Ip("::ffff:127.0.0.1"));
  EXPECT_EQ(mapped.kind, AddressKind::kLoopback);
  ASSERT_TRUE(mapped.carried_v4.has_value());
  EXPECT_EQ(mapped.carried_v4->ToString(), "127.0.0.1");
  EXPECT_EQ(Kind("::ffff:7f00:1"), AddressKind::kLoopback);
  EXPECT_EQ(Kind("::ffff:a9fe:a9fe"), AddressKind::kLinkLocal);
  EXPECT_EQ(Kind("::ffff:0:10.0.0.1"), AddressKind::kPrivate);  // IPv4-translated
  EXPECT_EQ(Kind("::127.0.0.1"), AddressKind::kLoopback);       // IPv4-compatible
  EXPECT_EQ(Kind("::93.184.216.34"), AddressKind::kReserved);   // compatible: deprecated
  EXPECT_EQ(Kind("64:ff9b::10.0.0.1"), AddressKind::kPrivate);  // NAT64
  EXPECT_EQ(Kind("64:ff9b::a9fe:a9fe"), AddressKind::kLinkLocal);
  EXPECT_EQ(Kind("64:ff9b::93.184.216.34"), AddressKind::kPublic);
  EXPECT_EQ(Kind("2002:7f00:1::1"), AddressKind::kLoopback);  // 6to4
  EXPECT_EQ(Kind("2002:c0a8:101::1"), AddressKind::kPrivate);
  EXPECT_EQ(Kind("2002:5db8:d822::1"), AddressKind::kPublic);
  EXPECT_EQ(Kind("::ffff:93.184.216.34"), AddressKind::kPublic);
}

TEST(AddressPolicyTest, ReadsHostsTheWayCurlAndGlibcConnect) {
  const auto host = [](std::string_view text) -> std::string {
    Result<std::optional<IpAddress>> r = ParseHostAddress(text);
    if (!r.ok()) return "error";
    return r->has_value() ? (*r)->ToString() : "name";
  };
  EXPECT_EQ(host("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(host("2130706433"), "127.0.0.1");
  EXPECT_EQ(host("0177.0.0.1"), "127.0.0.1");
  EXPECT_EQ(host("0x7f.1"), "127.0.0.1");
  EXPECT_EQ(host("0x7f000001"), "127.0.0.1");
  EXPECT_EQ(host("0X7F.0.0.1"), "127.0.0.1");
  EXPECT_EQ(host("127.1"), "127.0.0.1");
  EXPECT_EQ(host("127.0.1"), "127.0.0.1");
  EXPECT_EQ(host("127.0.0.1."), "127.0.0.1");
  EXPECT_EQ(host("0"), "0.0.0.0");
  EXPECT_EQ(host("0x"), "0.0.0.0");
  EXPECT_EQ(host("10.0x10.0.1"), "10.16.0.1");
  EXPECT_EQ(host("017700000001"), "127.0.0.1");
  EXPECT_EQ(host("[::1]"), "::1");
  EXPECT_EQ(host("[::ffff:127.0.0.1]"), "::ffff:127.0.0.1");
  EXPECT_EQ(host("[fe80::1%25eth0]"), "fe80::1");
  EXPECT_EQ(host("::1"), "::1");
  EXPECT_EQ(host("photos.example"), "name");
  EXPECT_EQ(host("127.0.0.1.example"), "name");
  EXPECT_EQ(host("1.2.3.x"), "name");
  EXPECT_EQ(host("1.2.3.4.5"), "error");
  EXPECT_EQ(host("256.1.1.1"), "error");
  EXPECT_EQ(host("1.2.3.256"), "error");
  EXPECT_EQ(host("4294967296"), "error");
  EXPECT_EQ(host("08.1.1.1"), "error");
  EXPECT_EQ(host("x.0x1g"), "name");
  EXPECT_EQ(host("[::1"), "error");
  EXPECT_EQ(host("[not:an:address]"), "error");
  EXPECT_EQ(host(""), "error");
}

TEST(AddressPolicyTest, ParsesCidrRanges) {
  Result<Cidr> loopback = Cidr::Parse("127.0.0.0/8");
  ASSERT_TRUE(loopback.ok());
  EXPECT_TRUE(loopback->Contains(Ip("127.1.2.3")));
  EXPECT_FALSE(loopback->Contains(Ip("128.0.0.1")));
  EXPECT_FALSE(loopback->Contains(Ip("::1")));
  EXPECT_EQ(loopback->ToString(), "127.0.0.0/8");
  Result<Cidr> ula = Cidr::Parse("fc00::/7");
  ASSERT_TRUE(ula.ok());
  EXPECT_TRUE(ula->Contains(Ip("fdff::1")));
  EXPECT_FALSE(ula->Contains(Ip("fe00::1")));
  Result<Cidr> single = Cidr::Parse("10.0.0.5");
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->prefix, 32);
  EXPECT_TRUE(Cidr::Parse("0.0.0.0/0").ok());
  EXPECT_FALSE(Cidr::Parse("10.0.0.1/8").ok());  // host bits set
  EXPECT_FALSE(Cidr::Parse("10.0.0.0/33").ok());
  EXPECT_FALSE(Cidr::Parse("fc00::1/7").ok());
  EXPECT_FALSE(Cidr::Parse("localhost/8").ok());
  EXPECT_FALSE(Cidr::Parse("10.0.0.0/").ok());
}

TEST(AddressPolicyTest, RefusesWithTheAddressAndTheReason) {
  const AddressPolicy policy;
  const Status metadata = policy.Check(Ip("169.254.169.254"));
  EXPECT_EQ(metadata.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(metadata.message(),
            "169.254.169.254 is a link-local address (169.254.0.0/16; the cloud metadata "
            "service address)");
  EXPECT_EQ(policy.Check(Ip("10.0.0.5")).message(), "10.0.0.5 is a private address (10.0.0.0/8)");
  EXPECT_EQ(policy.Check(Ip("::ffff:127.0.0.1")).message(),
            "::ffff:127.0.0.1 is an IPv6 form of 127.0.0.1, a loopback address (127.0.0.0/8)");
  EXPECT_EQ(policy.Check(Ip("::1")).message(), "::1 is a loopback address (::1/128)");
  EXPECT_TRUE(policy.Check(Ip("93.184.216.34")).ok());
  EXPECT_TRUE(policy.Check(Ip("2606:2800:220:1:248:1893:25c8:1946")).ok());
}

TEST(AddressPolicyTest, AllowedRangesLetSpecialAddressesThrough) {
  Result<AddressPolicy> policy = AddressPolicy::WithAllowed({"127.0.0.0/8", "fd00::/8"});
  ASSERT_TRUE(policy.ok());
  EXPECT_TRUE(policy->Check(Ip("127.0.0.1")).ok());
  EXPECT_TRUE(policy->Check(Ip("::ffff:127.0.0.1")).ok());  // the same host
  EXPECT_TRUE(policy->Check(Ip("fd12::1")).ok());
  EXPECT_FALSE(policy->Check(Ip("::1")).ok());  // IPv6 loopback is not 127.0.0.0/8
  EXPECT_FALSE(policy->Check(Ip("10.0.0.1")).ok());
  EXPECT_FALSE(policy->Check(Ip("169.254.169.254")).ok());
  EXPECT_FALSE(AddressPolicy::WithAllowed({"127.0.0.0/40"}).ok());
}

// The SSRF suite at the policy level: every host an attacker might write, read as curl would
// connect to it, is refused without an allow-list; a public address is not.
TEST(AddressPolicyTest, SsrfHostsAreAllRefused) {
  const AddressPolicy policy;
  for (const char* host :
       {"127.0.0.1",       "10.1.2.3",   "172.16.0.1",         "192.168.1.1",     "169.254.169.254",
        "0.0.0.0",         "[::1]",      "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[fe80::1]",
        "[fc00::1]",       "2130706433", "0177.0.0.1",         "0x7f000001",      "127.1",
        "0x7f.1",          "[::]",       "[64:ff9b::7f00:1]",  "100.100.100.200", "[fd00:ec2::254]",
        "255.255.255.255", "224.0.0.251"}) {
    Result<std::optional<IpAddress>> ip = ParseHostAddress(host);
    ASSERT_TRUE(ip.ok()) << host;
    ASSERT_TRUE(ip->has_value()) << host;
    const Status s = policy.Check(**ip);
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << host;
  }
  Result<std::optional<IpAddress>> public_ip = ParseHostAddress("93.184.216.34");
  ASSERT_TRUE(public_ip.ok() && public_ip->has_value());
  EXPECT_TRUE(policy.Check(**public_ip).ok());
}

TEST(AddressPolicyTest, FormatsAddressesForUrlsAndResolveLists) {
  EXPECT_EQ(Ip("10.0.0.1").ToUrlHost(), "10.0.0.1");
  EXPECT_EQ(Ip("::1").ToUrlHost(), "[::1]");
  EXPECT_EQ(IpAddress::V4(0x7F000001).ToString(), "127.0.0.1");
  EXPECT_FALSE(IpAddress::Parse("127.1").has_value());  // strict form only
}

}  // namespace
}  // namespace takedown::fetch
