// RdapClient: answers cached for their TTL, LookupDomain's registrar and its abuse contact, and
// the helpers (Cache-Control's max-age, the resolver). Host lookups are in rdap_host_test.cc.
#include "rdap/rdap.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rdap/rdap_test.h"

namespace takedown::notify {
namespace {

using namespace rdap_testing;  // NOLINT: the fixture and its canned answers

TEST_F(RdapTest, AnswersAreCachedForTheirTtl) {
  ASSERT_TRUE(Client().LookupHost("plain.example").ok());
  ASSERT_TRUE(Client().LookupHost("plain.example").ok());
  EXPECT_EQ(iana_.hits("/rdap/ipv4.json"), 1);
  EXPECT_EQ(rir1_.hits("/rdap/ip/198.51.100.7"), 1);

  if constexpr (kHasCacheControl<fetch::FetchResult>) {
    // max-age=600 for the answer, 86400 for the bootstrap file.
    clock_.Advance(599 * kMillisPerSecond);
    ASSERT_TRUE(Client().LookupHost("plain.example").ok());
    EXPECT_EQ(rir1_.hits("/rdap/ip/198.51.100.7"), 1);
    clock_.Advance(2 * kMillisPerSecond);
    ASSERT_TRUE(Client().LookupHost("plain.example").ok());
    EXPECT_EQ(rir1_.hits("/rdap/ip/198.51.100.7"), 2);
    EXPECT_EQ(iana_.hits("/rdap/ipv4.json"), 1);
  } else {
    // The fetcher does not report Cache-Control: everything lives default_ttl (2 h here).
    clock_.Advance(7199 * kMillisPerSecond);
    ASSERT_TRUE(Client().LookupHost("plain.example").ok());
    EXPECT_EQ(rir1_.hits("/rdap/ip/198.51.100.7"), 1);
    clock_.Advance(2 * kMillisPerSecond);
    ASSERT_TRUE(Client().LookupHost("plain.example").ok());
    EXPECT_EQ(rir1_.hits("/rdap/ip/198.51.100.7"), 2);
    EXPECT_EQ(iana_.hits("/rdap/ipv4.json"), 2);
  }
}

TEST_F(RdapTest, CacheIsSharedBoundedAndNotForFailures) {
  auto cache = std::make_shared<RdapCache>(2);
  auto fetcher = MakeFetcher(config_);
  RdapClient a(*fetcher, clock_, rdap_config_, cache);
  RdapClient b(*fetcher, clock_, rdap_config_, cache);
  ASSERT_TRUE(a.LookupHost("plain.example").ok());  // ipv4.json and the answer
  ASSERT_TRUE(b.LookupHost("plain.example").ok());
  EXPECT_EQ(b.stats().requests, 0u);
  EXPECT_EQ(b.stats().cache_hits, 2u);
  EXPECT_EQ(cache->size(), 2u);
  ASSERT_TRUE(b.LookupHost("second.example").ok());  // one more answer: one entry dropped
  EXPECT_EQ(cache->size(), 2u);

  cache->Clear();
  EXPECT_FALSE(a.LookupHost("198.51.100.72").ok());
  EXPECT_FALSE(a.LookupHost("198.51.100.72").ok());
  EXPECT_EQ(rir1_.hits("/rdap/ip/198.51.100.72"), 2);  // failures are asked again
}

TEST_F(RdapTest, RegistrarAndItsAbuseContact) {
  Result<RegistrarContact> r = Client().LookupDomain("badsite.test");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->domain, "badsite.test");
  EXPECT_EQ(r->registrar_name, "Example Registrar, Inc.");
  EXPECT_EQ(r->iana_id, "292");
  EXPECT_EQ(r->abuse.email, "abusecomplaints@registrar.example");
  EXPECT_EQ(r->abuse.phone, "+1.5555550199");
  EXPECT_EQ(r->abuse.source, "rdap:" + web_.Url("registry.example", "/domain/badsite.test"));
  EXPECT_EQ(r->rdap_url, web_.Url("registry.example", "/domain/badsite.test"));
  EXPECT_EQ(registrar_.total(), 0);  // the registry's answer was enough

  // A subdomain or URL is reduced to the registration, and the answer comes from the cache.
  Result<RegistrarContact> again = Client().LookupDomain("https://WWW.BadSite.test/page");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->domain, "badsite.test");
  EXPECT_EQ(registry_.hits("/domain/badsite.test"), 1);
  EXPECT_EQ(iana_.hits("/rdap/dns.json"), 1);
}

TEST_F(RdapTest, ThinRegistryLeadsToTheRegistrarsServer) {
  Result<RegistrarContact> r = Client().LookupDomain("thin.test");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->registrar_name, "Thin Registrar");
  EXPECT_EQ(r->iana_id, "1234");
  EXPECT_EQ(r->abuse.email, "abuse@thin-registrar.example");
  EXPECT_EQ(r->rdap_url, web_.Url("registrar.example", "/rdap/domain/thin.test"));
  EXPECT_EQ(registrar_.hits("/rdap/domain/thin.test"), 1);
}

TEST_F(RdapTest, RegistrarWithoutAbuseFallsBackToItsDomain) {
  Result<RegistrarContact> r = Client().LookupDomain("noabuse.test");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->registrar_name, "Registrar B");
  EXPECT_EQ(r->iana_id, "77");
  EXPECT_EQ(r->abuse.email, "abuse@registrar-b.example");
  EXPECT_EQ(r->abuse.source, "fallback:abuse@registrar-b.example");
  EXPECT_TRUE(r->abuse.fallback());
}

TEST_F(RdapTest, NoRegistrarIsNotFound) {
  Result<RegistrarContact> r = Client().LookupDomain("orphan.test");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("names no registrar"), std::string::npos)
      << r.status().message();

  Result<RegistrarContact> missing = Client().LookupDomain("unregistered.test");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("found no record"), std::string::npos);

  Result<RegistrarContact> no_tld = Client().LookupDomain("example.invalid");
  EXPECT_EQ(no_tld.status().code(), StatusCode::kNotFound);
  EXPECT_NE(no_tld.status().message().find("names no RDAP server for example.invalid"),
            std::string::npos)
      << no_tld.status().message();

  Result<RegistrarContact> wrong_kind = Client().LookupDomain("wrongkind.test");
  EXPECT_EQ(wrong_kind.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(wrong_kind.status().message().find("not a \"domain\""), std::string::npos);

  EXPECT_EQ(Client().LookupDomain("198.51.100.7").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Client().LookupDomain("").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(RdapTest, PrivateSuffixesAreSeenThrough) {
  // someone.github.io is a registrable domain by the public suffix list's private section, but
  // the .io registry knows only github.io, and GitHub is who hosts it.
  Result<RegistrarContact> r = Client().LookupDomain("someone.github.io");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->domain, "github.io");
  EXPECT_EQ(r->abuse.email, "abuse@registrar-c.example");
  EXPECT_EQ(registry_.hits("/domain/someone.github.io"), 0);
  EXPECT_EQ(registry_.hits("/domain/github.io"), 1);

  Result<HostContact> host = Client().LookupHost("someone.github.io");
  ASSERT_TRUE(host.ok()) << host.status().message();
  EXPECT_EQ(host->abuse.email, "abuse@github.io");

  Result<RegistrarContact> suffix = Client().LookupDomain("co.uk");
  EXPECT_EQ(suffix.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(suffix.status().message(),
            "\"co.uk\" is a public suffix, not a domain anyone registers");
}

TEST(ParseMaxAgeTest, Directives) {
  using std::chrono::seconds;
  EXPECT_EQ(ParseMaxAge("max-age=600"), seconds(600));
  EXPECT_EQ(ParseMaxAge("public, MAX-AGE=\"60\""), seconds(60));
  EXPECT_EQ(ParseMaxAge("max-age=60, no-store"), seconds(0));
  EXPECT_EQ(ParseMaxAge("no-cache"), seconds(0));
  EXPECT_EQ(ParseMaxAge("max-age=99999999999999999999"), seconds(2147483647));
  EXPECT_FALSE(ParseMaxAge("public").has_value());
  EXPECT_FALSE(ParseMaxAge("max-age=ten").has_value());
  EXPECT_FALSE(ParseMaxAge("").has_value());
}

TEST(FetcherResolverTest, OverridesThenSystemDns) {
  fetch::FetcherConfig config;
  config.system_dns = false;
  config.resolve["Host.Example."] = {"198.51.100.1", "2001:db8::1"};
  HostResolver resolve = FetcherResolver(config);
  Result<std::vector<IpAddress>> found = resolve("host.example");
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[1].ToString(), "2001:db8::1");
  Result<std::vector<IpAddress>> missing = resolve("other.example");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "no address is configured for other.example and system DNS is off");

  config.system_dns = true;
  Result<std::vector<IpAddress>> localhost = FetcherResolver(config)("localhost");
  ASSERT_TRUE(localhost.ok()) << localhost.status().message();
  EXPECT_FALSE(localhost->empty());
}

}  // namespace
}  // namespace takedown::notify
