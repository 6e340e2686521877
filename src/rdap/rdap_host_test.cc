// RdapClient::LookupHost: a host's abuse contact from its network's RDAP answer, bootstrap,
// redirects, failures and refusals, and CDNs recognised by address and by headers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rdap/rdap.h"
#include "rdap/rdap_test.h"

namespace takedown::notify {
namespace {

using namespace rdap_testing;  // NOLINT: the fixture and its canned answers

TEST_F(RdapTest, HostAbuseContactFromNestedEntity) {
  Result<HostContact> host = Client().LookupHost("https://plain.example/gallery/a.jpg");
  ASSERT_TRUE(host.ok()) << host.status().message();
  EXPECT_EQ(host->addresses, std::vector<std::string>{"198.51.100.7"});
  EXPECT_EQ(host->queried_address, "198.51.100.7");
  EXPECT_EQ(host->network_name, "HOSTCO-NET");
  EXPECT_EQ(host->network_handle, "NET-198-51-100-0-1");
  EXPECT_EQ(host->cidr, "198.51.100.0/25");
  EXPECT_EQ(host->rdap_url, web_.Url("rir1.example", "/rdap/ip/198.51.100.7"));
  EXPECT_EQ(host->abuse.name, "HostCo Abuse Desk");
  EXPECT_EQ(host->abuse.email, "Abuse@hostco.example");
  EXPECT_EQ(host->abuse.phone, "+31-20-555-0100");
  EXPECT_EQ(host->abuse.handle, "ABUSE-HOSTCO");
  EXPECT_EQ(host->abuse.source, "rdap:" + web_.Url("rir1.example", "/rdap/ip/198.51.100.7"));
  EXPECT_FALSE(host->abuse.fallback());
  EXPECT_EQ(host->provider_domain, "hostco.example");
  EXPECT_FALSE(host->cdn.has_value());
  EXPECT_NE(rir1_.accept().find("application/rdap+json"), std::string::npos);
}

TEST_F(RdapTest, AddressLiteralsAndBareHostNames) {
  for (const char* input : {"198.51.100.7", "plain.example", "http://198.51.100.7:8080/x"}) {
    Result<HostContact> host = Client().LookupHost(input);
    ASSERT_TRUE(host.ok()) << input << ": " << host.status().message();
    EXPECT_EQ(host->abuse.email, "Abuse@hostco.example") << input;
  }
  EXPECT_EQ(rir1_.hits("/rdap/ip/198.51.100.7"), 1);  // the rest from the cache
  EXPECT_EQ(Client().stats().requests, 2u);
  EXPECT_EQ(Client().stats().cache_hits, 4u);
}

TEST_F(RdapTest, IPv6AndTheFirstIPv4Address) {
  Result<HostContact> both = Client().LookupHost("www.hostco-customer.test");
  ASSERT_TRUE(both.ok()) << both.status().message();
  EXPECT_EQ(both->addresses, (std::vector<std::string>{"2001:db8::5", "198.51.100.7"}));
  EXPECT_EQ(both->queried_address, "198.51.100.7");

  Result<HostContact> v6 = Client().LookupHost("v6only.example");
  ASSERT_TRUE(v6.ok()) << v6.status().message();
  EXPECT_EQ(v6->queried_address, "2001:db8::5");
  EXPECT_EQ(v6->cidr, "2001:db8::/48");
  EXPECT_EQ(v6->abuse.email, "abuse@v6host.example");
  EXPECT_EQ(iana_.hits("/rdap/ipv6.json"), 1);

  Result<HostContact> literal = Client().LookupHost("2001:db8::5");
  ASSERT_TRUE(literal.ok()) << literal.status().message();
  EXPECT_EQ(literal->abuse.email, "abuse@v6host.example");
  Result<HostContact> bracketed = Client().LookupHost("http://[2001:db8::5]/a.jpg");
  ASSERT_TRUE(bracketed.ok()) << bracketed.status().message();
  EXPECT_EQ(bracketed->queried_address, "2001:db8::5");
}

TEST_F(RdapTest, LongestBootstrapPrefixWins) {
  // 198.51.100.200 is in both 198.51.100.0/24 (rir1) and 198.51.100.128/25 (rir2).
  Result<HostContact> host = Client().LookupHost("second.example");
  ASSERT_TRUE(host.ok()) << host.status().message();
  EXPECT_EQ(rir2_.hits("/ip/198.51.100.200"), 1);
  EXPECT_EQ(rir1_.total(), 0);
}

TEST_F(RdapTest, NoAbuseEntityFallsBackToTheProviderDomain) {
  Result<HostContact> host = Client().LookupHost("second.example");
  ASSERT_TRUE(host.ok()) << host.status().message();
  EXPECT_EQ(host->network_name, "HOSTCO2-CUSTOMERS");
  EXPECT_EQ(host->cidr, "198.51.100.128 - 198.51.100.200");
  EXPECT_EQ(host->provider_domain, "hostco2.example");
  EXPECT_EQ(host->abuse.email, "abuse@hostco2.example");
  EXPECT_EQ(host->abuse.source, "fallback:abuse@hostco2.example");
  EXPECT_TRUE(host->abuse.fallback());
}

TEST_F(RdapTest, NoEmailAtAllFallsBackToTheHostsDomain) {
  Result<HostContact> host = Client().LookupHost("site.badhost.test");
  ASSERT_TRUE(host.ok()) << host.status().message();
  EXPECT_EQ(host->cidr, "198.51.100.70/32");
  EXPECT_EQ(host->provider_domain, "badhost.test");
  EXPECT_EQ(host->abuse.email, "abuse@badhost.test");
  EXPECT_TRUE(host->abuse.fallback());

  // An address has no domain to fall back to.
  Result<HostContact> bare = Client().LookupHost("198.51.100.70");
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.status().code(), StatusCode::kNotFound);
  EXPECT_NE(bare.status().message().find("names no abuse contact"), std::string::npos)
      << bare.status().message();
}

TEST_F(RdapTest, RedirectToAnotherRirIsFollowed) {
  Result<HostContact> host = Client().LookupHost("moved.example");
  ASSERT_TRUE(host.ok()) << host.status().message();
  EXPECT_EQ(host->network_name, "TRANSFERRED-NET");
  EXPECT_EQ(host->cidr, "203.0.113.0/24");
  EXPECT_EQ(host->abuse.email, "abuse@customer.example");
  EXPECT_EQ(host->rdap_url, web_.Url("rir2.example", "/ip/203.0.113.5"));
  EXPECT_EQ(host->abuse.source, "rdap:" + web_.Url("rir2.example", "/ip/203.0.113.5"));
  EXPECT_EQ(rir1_.hits("/rdap/ip/203.0.113.5"), 1);
  EXPECT_EQ(rir2_.hits("/ip/203.0.113.5"), 1);
}

TEST_F(RdapTest, NoRecordAndNoRegistry) {
  Result<HostContact> missing = Client().LookupHost("198.51.100.68");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("found no record"), std::string::npos)
      << missing.status().message();
  EXPECT_NE(missing.status().message().find("HTTP 404"), std::string::npos);

  Result<HostContact> unserved = Client().LookupHost("private.example");
  ASSERT_FALSE(unserved.ok());
  EXPECT_EQ(unserved.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(unserved.status().message(),
            "IANA's RDAP bootstrap registry names no RDAP server for 10.1.2.3, which is a "
            "private address (10.0.0.0/8) that no registry serves");

  Result<HostContact> unknown = Client().LookupHost("nowhere.example");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("nowhere.example"), std::string::npos);

  Result<HostContact> bad = Client().LookupHost("not a host");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Client().LookupHost("  ").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(RdapTest, HttpsBaseIsPreferred) {
  // The service lists an http base first and an https one second: the https one is asked
  // (and here fails, since the fixture speaks plain HTTP).
  Result<HostContact> host = Client().LookupHost("192.0.2.1");
  ASSERT_FALSE(host.ok());
  EXPECT_NE(host.status().message().find("https://secure-rir.example/ip/192.0.2.1"),
            std::string::npos)
      << host.status().message();
  EXPECT_EQ(rir1_.hits("/wrong/ip/192.0.2.1"), 0);
}

TEST_F(RdapTest, ServerErrorsAreClear) {
  Result<HostContact> malformed = Client().LookupHost("198.51.100.66");
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(malformed.status().message().find("did not answer with valid JSON"), std::string::npos)
      << malformed.status().message();

  Result<HostContact> deep = Client().LookupHost("198.51.100.69");
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(deep.status().message().find("nested deeper than 64 levels"), std::string::npos)
      << deep.status().message();

  Result<HostContact> wrong_kind = Client().LookupHost("198.51.100.71");
  EXPECT_EQ(wrong_kind.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(wrong_kind.status().message().find("not an \"ip network\""), std::string::npos);

  Result<HostContact> array = Client().LookupHost("198.51.100.73");
  EXPECT_EQ(array.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(array.status().message().find("not answer with a JSON object"), std::string::npos);

  Result<HostContact> down = Client().LookupHost("198.51.100.72");
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(down.status().message().find("503"), std::string::npos) << down.status().message();
}

TEST_F(RdapTest, HugeAnswersAreRefused) {
  rdap_config_.max_response_bytes = 1 << 20;
  Result<HostContact> huge = Client().LookupHost("198.51.100.67");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().code(), StatusCode::kTooLarge);
  EXPECT_NE(huge.status().message().find("the RDAP lookup of the network of 198.51.100.67 at " +
                                         web_.Url("rir1.example", "/rdap/ip/198.51.100.67") +
                                         " failed: "),
            std::string::npos)
      << huge.status().message();
}

TEST_F(RdapTest, RdapServerAtARefusedAddress) {
  // The bootstrap points 198.18.0.0/16 at a name that resolves to the cloud metadata address.
  Result<HostContact> host = Client().LookupHost("evil.test");
  ASSERT_FALSE(host.ok());
  EXPECT_EQ(host.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(host.status().message().find("169.254.169.254"), std::string::npos)
      << host.status().message();
}

TEST_F(RdapTest, PrivateRdapServerOnlyWhenAllowed) {
  config_.allowed_ranges = {"127.0.0.1/32"};  // IANA's fixture, not the RIR on 127.0.0.2
  Result<HostContact> refused = Client().LookupHost("internal-net.test");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("127.0.0.2"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(internal_.total(), 0);

  client_.reset();
  config_.allowed_ranges = {"127.0.0.0/8"};
  Result<HostContact> allowed = Client().LookupHost("internal-net.test");
  ASSERT_TRUE(allowed.ok()) << allowed.status().message();
  EXPECT_EQ(allowed->abuse.email, "abuse@customer.example");
}

TEST_F(RdapTest, CloudflareByAddress) {
  Result<HostContact> host = Client().LookupHost("cdn-site.example");
  ASSERT_TRUE(host.ok()) << host.status().message();
  ASSERT_TRUE(host->cdn.has_value());
  EXPECT_EQ(*host->cdn, "cloudflare");
  EXPECT_EQ(host->cdn_abuse.web_form, "https://abuse.cloudflare.com/");
  EXPECT_EQ(host->cdn_abuse.source, "cdn:cloudflare");
  EXPECT_EQ(host->network_name, "CLOUDFLARENET");
  EXPECT_EQ(host->cidr, "104.16.0.0/12");
  EXPECT_EQ(host->abuse.email, "abuse@cloudflare.com");
  EXPECT_EQ(host->abuse.phone, "+1-650-319-8930");
}

TEST_F(RdapTest, CloudflareWithoutRdapRecord) {
  Result<HostContact> host = Client().LookupHost("cf-norecord.example");
  ASSERT_TRUE(host.ok()) << host.status().message();
  EXPECT_EQ(host->cdn, "cloudflare");
  EXPECT_EQ(host->abuse.web_form, "https://abuse.cloudflare.com/");
  EXPECT_EQ(host->abuse.source, "cdn:cloudflare");
  EXPECT_TRUE(host->rdap_url.empty());
}

TEST_F(RdapTest, CloudflareByHeaders) {
  Result<HostContact> host = Client().LookupHost("plain.example", {{"CF-RAY", "8c1f-AMS"}});
  ASSERT_TRUE(host.ok()) << host.status().message();
  EXPECT_EQ(host->cdn, "cloudflare");
  EXPECT_EQ(host->abuse.email, "Abuse@hostco.example");  // the network's own contact stays
}

TEST(RecogniseCdnTest, RangesAndHeaders) {
  auto ip = [](const char* text) { return *IpAddress::Parse(text); };
  EXPECT_EQ(RecogniseCdn({ip("104.16.1.1")}), "cloudflare");
  EXPECT_EQ(RecogniseCdn({ip("172.67.10.10")}), "cloudflare");
  EXPECT_EQ(RecogniseCdn({ip("2606:4700::6810:84e5")}), "cloudflare");
  EXPECT_EQ(RecogniseCdn({ip("198.51.100.1"), ip("162.159.1.1")}), "cloudflare");
  EXPECT_FALSE(RecogniseCdn({ip("8.8.8.8"), ip("2001:4860::8888")}).has_value());
  EXPECT_EQ(RecogniseCdn({ip("8.8.8.8")}, {{"Server", "cloudflare"}}), "cloudflare");
  EXPECT_EQ(RecogniseCdn({}, {{"cf-ray", "x"}}), "cloudflare");
  EXPECT_FALSE(RecogniseCdn({}, {{"Server", "nginx"}, {"X-Cache", "HIT"}}).has_value());
}

}  // namespace
}  // namespace takedown::notify
