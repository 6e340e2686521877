#include "rdap/rdap.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <string>

#include "fetch/test_web.h"

namespace takedown::notify {
namespace {

using fetch::IpAddress;
using fetch::testing::MakeFetcher;
using fetch::testing::TestWeb;

// Whether fetch::FetchResult exposes Cache-Control (rdap.cc reads it when it does).
template <typename R>
constexpr bool kHasCacheControl = requires(const R& r) {
  r.cache_control;
};

// One canned answer.
struct Reply {
  int status = 200;
  std::string body;
  std::string cache_control;
  std::string location;
  std::string content_type = "application/rdap+json";
};

Reply Json(std::string body, std::string cache_control = "") {
  Reply r;
  r.body = std::move(body);
  r.cache_control = std::move(cache_control);
  return r;
}

Reply Plain(int status, std::string body, std::string location = "") {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  r.location = std::move(location);
  r.content_type = "text/plain";
  return r;
}

// A fake server: canned replies by path, and how often each path was asked for. Handlers run
// on the server's threads, hence the mutex.
class FakeServer {
 public:
  void Serve(httplib::Server& server) {
    server.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      ++hits_[req.path];
      accept_ = req.get_header_value("Accept");
      auto it = replies_.find(req.path);
      if (it == replies_.end()) {
        res.status = 404;
        res.set_content(R"({"errorCode":404,"title":"Not Found"})", "application/rdap+json");
        return;
      }
      const Reply& r = it->second;
      res.status = r.status;
      if (!r.cache_control.empty()) res.set_header("Cache-Control", r.cache_control);
      if (!r.location.empty()) res.set_header("Location", r.location);
      res.set_content(r.body, r.content_type);
    });
  }
  void Set(const std::string& path, Reply reply) {
    std::lock_guard<std::mutex> lock(mu_);
    replies_[path] = std::move(reply);
  }
  int hits(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu_);
    return hits_[path];
  }
  int total() {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (const auto& [path, count] : hits_) n += count;
    return n;
  }
  std::string accept() {
    std::lock_guard<std::mutex> lock(mu_);
    return accept_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, Reply> replies_;
  std::map<std::string, int> hits_;
  std::string accept_;
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Answers shaped like the examples of RFC 9083 (IP network, section 5.4) and RFC 9224
// (bootstrap), and like the registry answers of ICANN's gTLD RDAP profile (domain, registrar
// entity with its abuse entity inside). {RIR2} and {REGISTRAR} are replaced by the fixture's
// base addresses.
constexpr const char* kIpv4Bootstrap = R"js({
  "version": "1.0",
  "publication": "2026-11-20T10:11:12Z",
  "description": "RDAP bootstrap file for IPv4 address allocations, for tests",
                     "services"
    : [
      [
        [ "198.51.100.0/24", "203.0.113.0/24", "104.16.0.0/12" ],
        [ "ftp://ignored.example/", "{RIR1}/rdap/" ]
      ],
      [ ["198.51.100.128/25"], ["{RIR2}"] ],
      [ ["192.0.2.0/24"], [ "{RIR1}/wrong/", "https://secure-rir.example/" ] ],
      [ ["198.18.0.0/16"], ["http://metadata.example/"] ], [ ["198.19.0.0/16"], ["{INTERNAL}/"] ],
      [ [ "not a prefix", 7 ], "not a list" ], "not a service"
    ]
})js";

constexpr const char* kIpv6Bootstrap = R"js({
  "version": "1.0",
  "publication": "2026-11-20T10:11:12Z",
  "services": [
    [["2001:db8::/32"], ["{RIR1}/rdap/"]]
  ]
})js";

constexpr const char* kDnsBootstrap = R"js({
  "version": "1.0",
  "publication": "2026-11-20T10:11:12Z",
  "services": [
    [["net", "com"], ["https://rdap.verisign.example/com/v1/"]],
    [["test", "io"], ["{REGISTRY}/"]]
  ]
})js";

constexpr const char* kHostcoNetwork = R"js({
  "rdapConformance": ["rdap_level_0"],
  "notices": [{"title": "Terms of Use", "description": ["Service subject to terms of use."]}],
  "objectClassName": "ip network",
  "handle": "NET-198-51-100-0-1",
  "startAddress": "198.51.100.0",
  "endAddress": "198.51.100.127",
  "ipVersion": "v4",
  "name": "HOSTCO-NET",
  "type": "DIRECT ALLOCATION",
  "country": "NL",
  "parentHandle": "NET-198-0-0-0-0",
  "status": ["active"],
  "links": [{"value": "https://rir1.example/rdap/ip/198.51.100.7", "rel": "self",
             "href": "https://rir1.example/rdap/ip/198.51.100.0/25",
             "type": "application/rdap+json"}],
  "events": [{"eventAction": "registration", "eventDate": "2011-01-01T00:00:00Z"}],
  "entities": [
    {
      "objectClassName": "entity",
      "handle": "HOSTCO-ORG",
      "roles": ["registrant"],
      "vcardArray": ["vcard", [
        ["version", {}, "text", "4.0"],
        ["fn", {}, "text", "HostCo B.V."],
        ["kind", {}, "text", "org"],
        ["adr", {"type": "work"}, "text", ["", "Suite 1", "1 Example Street", "Amsterdam", "", "1000", "NL"]],
        ["email", {}, "text", "noc@hostco.example"]
      ]],
      "entities": [
        {
          "objectClassName": "entity",
          "handle": "ABUSE-HOSTCO",
          "roles": ["abuse"],
          "vcardArray": ["vcard", [
            ["version", {}, "text", "4.0"],
            ["fn", {}, "text", "HostCo Abuse Desk"],
            ["kind", {}, "text", "group"],
            ["tel", {"type": ["work", "voice"], "pref": "1"}, "uri", "tel:+31-20-555-0100"],
            ["email", {"type": "work"}, "text", "Abuse@HostCo.Example"]
          ]]
        }
      ]
    }
  ]
})js";

// No abuse entity: the registrant's NOC address gives the provider's domain.
constexpr const char* kHostco2Network = R"js({
  "objectClassName": "ip network",
  "handle": "NET-198-51-100-128-1",
  "startAddress": "198.51.100.128",
  "endAddress": "198.51.100.200",
  "ipVersion": "v4",
  "name": "HOSTCO2-CUSTOMERS",
  "entities": [
    {"objectClassName": "entity", "handle": "H2-ORG", "roles": ["registrant"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "HostCo Two"]]],
     "entities": [
       {"objectClassName": "entity", "handle": "H2-NOC", "roles": ["technical", "noc"],
        "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                                 ["email", {}, "text", "mailto:noc@eu.hostco2.example"]]]}
     ]}
  ]
})js";

// No entity at all: only the host's own domain is left.
constexpr const char* kBareNetwork = R"js({
  "objectClassName": "ip network", "handle": "NET-BARE", "name": "BARE",
  "startAddress": "198.51.100.70", "endAddress": "198.51.100.70"
})js";

constexpr const char* kMovedNetwork = R"js({
  "objectClassName": "ip network",
  "handle": "NET-203-0-113-0-1",
  "startAddress": "203.0.113.0",
  "endAddress": "203.0.113.255",
  "name": "TRANSFERRED-NET",
  "entities": [
    {"objectClassName": "entity", "handle": "AB-2", "roles": ["abuse", "technical"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Abuse"],
                              ["email", {}, "text", "abuse@customer.example"]]]}
  ]
})js";

constexpr const char* kCloudflareNetwork = R"js({
  "rdapConformance": ["nro_rdap_profile_0", "rdap_level_0", "cidr0", "arin_originas0"],
  "objectClassName": "ip network",
  "handle": "NET-104-16-0-0-1",
  "startAddress": "104.16.0.0",
  "endAddress": "104.31.255.255",
  "name": "CLOUDFLARENET",
  "cidr0_cidrs": [{"v4prefix": "104.16.0.0", "length": 12}],
  "entities": [
    {"objectClassName": "entity", "handle": "CLOUD14", "roles": ["registrant"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Cloudflare, Inc."]]],
     "entities": [
       {"objectClassName": "entity", "handle": "ABUSE2916-ARIN", "roles": ["abuse"],
        "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Abuse"],
                                 ["tel", {"type": ["work", "voice"]}, "text", "+1-650-319-8930"],
                                 ["email", {}, "text", "abuse@cloudflare.com"]]]}
     ]}
  ]
})js";

constexpr const char* kV6Network = R"js({
  "objectClassName": "ip network",
  "handle": "XXXX-RIR",
  "startAddress": "2001:db8::",
  "endAddress": "2001:db8:0:ffff:ffff:ffff:ffff:ffff",
  "ipVersion": "v6",
  "name": "NET-RTR-1",
  "entities": [
    {"objectClassName": "entity", "handle": "V6-ABUSE", "roles": ["abuse"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                              ["email", {}, "text", "abuse@v6host.example"]]]}
  ]
})js";

constexpr const char* kBadsiteDomain = R"js({
  "rdapConformance": ["rdap_level_0", "icann_rdap_response_profile_0",
                      "icann_rdap_technical_implementation_guide_0"],
  "objectClassName": "domain",
  "handle": "2336799_DOMAIN_TEST-VRSN",
  "ldhName": "BADSITE.TEST",
  "links": [
    {"value": "{REGISTRY}/domain/badsite.test", "rel": "self",
     "href": "{REGISTRY}/domain/badsite.test", "type": "application/rdap+json"},
    {"value": "{REGISTRY}/domain/badsite.test", "rel": "related",
     "href": "{REGISTRAR}/rdap/domain/badsite.test", "type": "application/rdap+json"}
  ],
  "status": ["client transfer prohibited"],
  "entities": [
    {
      "objectClassName": "entity",
      "handle": "292",
      "roles": ["registrar"],
      "publicIds": [{"type": "IANA Registrar ID", "identifier": "292"}],
      "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                               ["fn", {}, "text", "Example Registrar, Inc."]]],
      "entities": [
        {"objectClassName": "entity", "roles": ["abuse"],
         "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", ""],
                                  ["tel", {"type": "voice"}, "uri", "tel:+1.5555550199"],
                                  ["email", {}, "text", "abusecomplaints@registrar.example"]]]}
      ]
    }
  ],
  "events": [{"eventAction": "registration", "eventDate": "2020-03-01T10:00:00Z"}],
  "nameservers": [{"objectClassName": "nameserver", "ldhName": "NS1.HOSTCO.EXAMPLE"}]
})js";

// A thin registry: the registrar is named, its abuse contact is at the registrar's server.
constexpr const char* kThinDomain = R"js({
  "objectClassName": "domain",
  "ldhName": "thin.test",
  "links": [
    {"value": "{REGISTRY}/domain/thin.test", "rel": "related",
     "href": "{REGISTRAR}/rdap/domain/thin.test", "type": "application/rdap+json"}
  ],
  "entities": [
    {"objectClassName": "entity", "handle": "1234", "roles": ["registrar"],
     "publicIds": [{"type": "IANA Registrar ID", "identifier": "1234"}],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Thin Registrar"]]]}
  ]
})js";

constexpr const char* kThinAtRegistrar = R"js({
  "objectClassName": "domain",
  "ldhName": "thin.test",
  "entities": [
    {"objectClassName": "entity", "handle": "1234", "roles": ["registrar"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Thin Registrar LLC"]]],
     "entities": [
       {"objectClassName": "entity", "roles": ["abuse"],
        "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                                 ["email", {}, "text", "abuse@thin-registrar.example"]]]}
     ]}
  ]
})js";

constexpr const char* kNoAbuseDomain = R"js({
  "objectClassName": "domain",
  "ldhName": "noabuse.test",
  "entities": [
    {"objectClassName": "entity", "handle": "77", "roles": ["registrar"],
     "publicIds": [{"type": "IANA Registrar ID", "identifier": 77}],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Registrar B"],
                              ["url", {}, "uri", "https://www.registrar-b.example/"]]]},
    {"objectClassName": "entity", "handle": "REG-1", "roles": ["registrant"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                              ["email", {}, "text", "owner@noabuse.test"]]]}
  ]
})js";

constexpr const char* kOrphanDomain = R"js({
  "objectClassName": "domain", "ldhName": "orphan.test", "entities": []
})js";

constexpr const char* kGithubDomain = R"js({
  "objectClassName": "domain", "ldhName": "github.io",
  "entities": [
    {"objectClassName": "entity", "roles": ["registrar"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Registrar C"]]],
     "entities": [
       {"objectClassName": "entity", "roles": ["abuse"],
        "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                                 ["email", {}, "text", "abuse@registrar-c.example"]]]}
     ]}
  ]
})js";

class RdapTest : public ::testing::Test {
 protected:
  RdapTest() {
    iana_.Serve(web_.Add("data.iana.example"));
    rir1_.Serve(web_.Add("rir1.example"));
    rir2_.Serve(web_.Add("rir2.example"));
    registry_.Serve(web_.Add("registry.example"));
    registrar_.Serve(web_.Add("registrar.example"));
    internal_.Serve(web_.Add("rir-internal.example", "127.0.0.2"));
    web_.Start();

    auto fill = [this](std::string text) {
      text = Replace(text, "{RIR1}", web_.Url("rir1.example", ""));
      text = Replace(text, "{RIR2}", web_.Url("rir2.example", ""));
      text = Replace(text, "{INTERNAL}", web_.Url("rir-internal.example", ""));
      text = Replace(text, "{REGISTRY}", web_.Url("registry.example", ""));
      return Replace(text, "{REGISTRAR}", web_.Url("registrar.example", ""));
    };
    iana_.Set("/rdap/ipv4.json", Json(fill(kIpv4Bootstrap), "public, max-age=86400"));
    iana_.Set("/rdap/ipv6.json", Json(fill(kIpv6Bootstrap), "max-age=86400"));
    iana_.Set("/rdap/dns.json", Json(fill(kDnsBootstrap), "max-age=86400"));

    rir1_.Set("/rdap/ip/198.51.100.7", Json(kHostcoNetwork, "max-age=600"));
    rir1_.Set("/rdap/ip/198.51.100.70", Json(kBareNetwork));
    rir1_.Set("/rdap/ip/104.16.1.1", Json(kCloudflareNetwork));
    rir1_.Set("/rdap/ip/2001:db8::5", Json(kV6Network));
    rir1_.Set("/rdap/ip/198.51.100.66", Json(R"({"objectClassName": "ip network", "handle": )"));
    rir1_.Set("/rdap/ip/198.51.100.67", Json("{\"x\": \"" + std::string(2 << 20, 'a') + "\"}"));
    rir1_.Set("/rdap/ip/198.51.100.69",
              Json(std::string(100'000, '[') + std::string(100'000, ']')));
    rir1_.Set("/rdap/ip/198.51.100.71", Json(R"({"objectClassName": "domain"})"));
    rir1_.Set("/rdap/ip/198.51.100.72", Plain(503, "down"));
    rir1_.Set("/rdap/ip/198.51.100.73", Json("[1, 2]"));
    // An RIR that does not hold the range sends the client to the one that does.
    rir1_.Set("/rdap/ip/203.0.113.5", Plain(301, "", web_.Url("rir2.example", "/ip/203.0.113.5")));
    rir2_.Set("/ip/203.0.113.5", Json(kMovedNetwork));
    rir2_.Set("/ip/198.51.100.200", Json(kHostco2Network));
    internal_.Set("/ip/198.19.0.5", Json(kMovedNetwork));

    registry_.Set("/domain/badsite.test", Json(fill(kBadsiteDomain), "max-age=3600"));
    registry_.Set("/domain/thin.test", Json(fill(kThinDomain)));
    registry_.Set("/domain/noabuse.test", Json(kNoAbuseDomain));
    registry_.Set("/domain/orphan.test", Json(kOrphanDomain));
    registry_.Set("/domain/github.io", Json(kGithubDomain));
    registry_.Set("/domain/wrongkind.test", Json(kV6Network));
    registrar_.Set("/rdap/domain/thin.test", Json(kThinAtRegistrar));

    config_ = web_.Config();
    config_.resolve["plain.example"] = {"198.51.100.7"};
    config_.resolve["www.hostco-customer.test"] = {"2001:db8::5", "198.51.100.7"};
    config_.resolve["second.example"] = {"198.51.100.200"};
    config_.resolve["moved.example"] = {"203.0.113.5"};
    config_.resolve["site.badhost.test"] = {"198.51.100.70"};
    config_.resolve["someone.github.io"] = {"198.51.100.70"};
    config_.resolve["cdn-site.example"] = {"104.16.1.1"};
    config_.resolve["cf-norecord.example"] = {"104.16.9.9"};
    config_.resolve["v6only.example"] = {"2001:db8::5"};
    config_.resolve["secure-rir.example"] = {"127.0.0.1"};
    config_.resolve["metadata.example"] = {"169.254.169.254"};
    config_.resolve["evil.test"] = {"198.18.0.5"};
    config_.resolve["internal-net.test"] = {"198.19.0.5"};
    config_.resolve["private.example"] = {"10.1.2.3"};
    config_.max_attempts = 1;

    rdap_config_.bootstrap_base = web_.Url("data.iana.example", "/rdap/");
    rdap_config_.default_ttl = std::chrono::hours(2);
  }

  RdapClient& Client() {
    if (!client_) {
      fetcher_ = MakeFetcher(config_);
      client_ = std::make_unique<RdapClient>(*fetcher_, clock_, rdap_config_);
    }
    return *client_;
  }

  TestWeb web_;
  FakeServer iana_, rir1_, rir2_, registry_, registrar_, internal_;
  fetch::FetcherConfig config_;
  RdapConfig rdap_config_;
  ManualClock clock_{1'790'000'000'000};
  std::unique_ptr<fetch::Fetcher> fetcher_;
  std::unique_ptr<RdapClient> client_;
};

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
