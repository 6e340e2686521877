// The SSRF suite against the real Fetcher, with no allow-list at all: every address an attacker
// might write or make a name resolve to is refused before any connection, with the reason.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "fetch/fetcher.h"
#include "fetch/test_web.h"

namespace takedown::fetch {
namespace {

TEST(SsrfTest, PrivateLoopbackAndLinkLocalTargetsAreRefusedBeforeConnecting) {
  testing::TestWeb web;
  std::atomic<int> hits{0};
  web.Add("photos.example").Get(".*", [&hits](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.set_content("should never be seen", "text/plain");
  });
  web.Start();
  const std::string port = std::to_string(web.port("photos.example"));

  FetcherConfig config;  // no allowed ranges: the production policy
  config.system_dns = false;
  config.resolve["intranet.example"] = {"10.0.0.5"};
  config.resolve["mixed.example"] = {"93.184.216.34", "127.0.0.1"};
  config.resolve["photos.example"] = {"127.0.0.1"};
  Result<std::unique_ptr<Fetcher>> made = Fetcher::Create(config);
  ASSERT_TRUE(made.ok());
  Fetcher& fetcher = **made;

  struct Case {
    std::string host;
    std::string reason;
  };
  const Case cases[] = {
      {"127.0.0.1", "127.0.0.1 is a loopback address"},
      {"10.1.2.3", "10.1.2.3 is a private address"},
      {"172.16.0.1", "172.16.0.1 is a private address"},
      {"192.168.1.1", "192.168.1.1 is a private address"},
      {"169.254.169.254", "169.254.169.254 is a link-local address"},
      {"0.0.0.0", "0.0.0.0 is an unspecified address"},
      {"[::1]", "::1 is a loopback address"},
      {"[::ffff:127.0.0.1]", "an IPv6 form of 127.0.0.1, a loopback address"},
      {"[::ffff:7f00:1]", "an IPv6 form of 127.0.0.1, a loopback address"},
      {"[fe80::1]", "fe80::1 is a link-local address"},
      {"[fc00::1]", "fc00::1 is a private address"},
      {"2130706433", "127.0.0.1 is a loopback address"},
      {"0177.0.0.1", "127.0.0.1 is a loopback address"},
      {"0x7f000001", "127.0.0.1 is a loopback address"},
      {"127.1", "127.0.0.1 is a loopback address"},
      {"intranet.example", "intranet.example resolves to 10.0.0.5, which"},
      {"mixed.example", "mixed.example resolves to 127.0.0.1, which"},
      {"photos.example", "photos.example resolves to 127.0.0.1, which"},
  };
  std::vector<Request> requests;
  for (const Case& c : cases) requests.push_back(Request("http://" + c.host + ":" + port + "/x"));
  const auto start = std::chrono::steady_clock::now();
  std::vector<FetchResult> results = fetcher.FetchAll(requests);
  // Five of these are 127.0.0.1 however spelled: one host. Refusals send nothing, so they owe
  // the host no politeness delay (250 ms by default).
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  ASSERT_EQ(results.size(), std::size(cases));
  for (size_t i = 0; i < results.size(); ++i) {
    const FetchResult& r = results[i];
    EXPECT_EQ(r.error, FetchError::kRefused) << cases[i].host << ": " << r.status.message();
    EXPECT_EQ(r.status.code(), StatusCode::kPermissionDenied) << cases[i].host;
    EXPECT_NE(r.status.message().find("refused to fetch"), std::string::npos);
    EXPECT_NE(r.status.message().find(cases[i].reason), std::string::npos)
        << cases[i].host << ": " << r.status.message();
    EXPECT_EQ(r.http_status, 0);
    EXPECT_TRUE(r.body.empty());
  }
  EXPECT_EQ(fetcher.stats().connections_opened, 0u);
  EXPECT_EQ(fetcher.stats().refused, std::size(cases));
  EXPECT_EQ(hits.load(), 0);
}

// The system resolver's answers are checked too ("localhost" comes from /etc/hosts).
TEST(SsrfTest, NamesTheSystemResolvesToLoopbackAreRefused) {
  FetcherConfig config;
  Result<std::unique_ptr<Fetcher>> made = Fetcher::Create(config);
  ASSERT_TRUE(made.ok());
  FetchResult r = (*made)->Fetch(Request("http://localhost:9/"));
  EXPECT_EQ(r.error, FetchError::kRefused) << r.status.message();
  EXPECT_NE(r.status.message().find("localhost resolves to"), std::string::npos);
  EXPECT_NE(r.status.message().find("loopback"), std::string::npos);
  EXPECT_EQ((*made)->stats().connections_opened, 0u);
  EXPECT_EQ((*made)->stats().dns_lookups, 1u);
}

}  // namespace
}  // namespace takedown::fetch
