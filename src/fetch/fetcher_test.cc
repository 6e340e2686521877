#include "fetch/fetcher.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "fetch/extract.h"
#include "fetch/test_web.h"

namespace takedown::fetch {
namespace {

using std::chrono::milliseconds;
using testing::MakeFetcher;
using testing::TestWeb;
using testing::Text;

const std::string kPng = std::string("\x89PNG\r\n\x1A\n", 8) + std::string(64, 'p');
const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0", 4) + std::string(64, 'j');

class FetcherTest : public ::testing::Test {
 protected:
  TestWeb web_;
};

TEST_F(FetcherTest, FetchesAPageItsMediaAndSniffsThem) {
  httplib::Server& photos = web_.Add("photos.example");
  httplib::Server& cdn = web_.Add("cdn.example");
  photos.Get("/album", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        "<!doctype html><title>Album</title>"
        "<meta property='og:image' content='" +
            web_.Url("cdn.example", "/cover.png") +
            "'><img src=/photo.jpg><img data-src=/not-an-image.jpg>",
        "text/html; charset=utf-8");
  });
  photos.Get("/photo.jpg", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kJpeg, "image/jpeg");
  });
  photos.Get("/not-an-image.jpg", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html><body>login to see this</body></html>", "image/jpeg");
  });
  cdn.Get("/cover.png", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kPng, "application/octet-stream");
  });
  web_.Start();
  auto fetcher = MakeFetcher(web_.Config());

  FetchResult page = fetcher->Fetch(Request(web_.Url("photos.example", "/album")));
  ASSERT_TRUE(page.ok()) << page.status.message();
  EXPECT_EQ(page.http_status, 200);
  EXPECT_EQ(page.final_url, web_.Url("photos.example", "/album"));
  EXPECT_EQ(page.remote_address, "127.0.0.1");
  EXPECT_EQ(SniffMedia(page.body, page.content_type), MediaKind::kHtml);
  Result<Page> extracted = ExtractPage(Text(page), page.final_url);
  ASSERT_TRUE(extracted.ok());
  EXPECT_EQ(extracted->title, "Album");
  ASSERT_EQ(extracted->media.size(), 3u);

  std::vector<Request> requests;
  for (const MediaRef& m : extracted->media) requests.push_back(Request(m.url));
  std::vector<FetchResult> media = fetcher->FetchAll(requests);
  ASSERT_EQ(media.size(), 3u);
  EXPECT_EQ(media[0].url, web_.Url("cdn.example", "/cover.png"));
  EXPECT_EQ(SniffMedia(media[0].body, media[0].content_type), MediaKind::kImage);
  EXPECT_EQ(Text(media[0]), kPng);
  EXPECT_EQ(SniffMedia(media[1].body, media[1].content_type), MediaKind::kImage);
  EXPECT_EQ(Text(media[1]), kJpeg);
  // Labelled image/jpeg, named .jpg, and still HTML: the bytes decide.
  EXPECT_EQ(SniffMedia(media[2].body, media[2].content_type), MediaKind::kHtml);
}

TEST_F(FetcherTest, FollowsRedirectsAndRecordsEveryHop) {
  httplib::Server& photos = web_.Add("photos.example");
  httplib::Server& forum = web_.Add("forum.example");
  photos.Get("/start", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("/moved", 301);
  });
  photos.Get("/moved", [this](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(web_.Url("forum.example", "/final?x=1"), 302);
  });
  forum.Get("/final", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("arrived", "text/plain");
  });
  web_.Start();
  auto fetcher = MakeFetcher(web_.Config());
  FetchResult r = fetcher->Fetch(Request(web_.Url("photos.example", "/start")));
  ASSERT_TRUE(r.ok()) << r.status.message();
  EXPECT_EQ(Text(r), "arrived");
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.content_type, "text/plain");
  EXPECT_EQ(r.final_url, web_.Url("forum.example", "/final?x=1"));
  ASSERT_EQ(r.redirects.size(), 2u);
  EXPECT_EQ(r.redirects[0].url, web_.Url("photos.example", "/start"));
  EXPECT_EQ(r.redirects[0].http_status, 301);
  EXPECT_EQ(r.redirects[0].location, web_.Url("photos.example", "/moved"));
  EXPECT_EQ(r.redirects[1].http_status, 302);
  EXPECT_EQ(r.redirects[1].location, web_.Url("forum.example", "/final?x=1"));
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(fetcher->stats().redirects, 2u);
}

TEST_F(FetcherTest, RefusesRedirectsToPrivateAddresses) {
  httplib::Server& photos = web_.Add("photos.example");
  photos.Get("/to", [](const httplib::Request& req, httplib::Response& res) {
    res.set_redirect(req.get_param_value("u"), 302);
  });
  web_.Start();
  auto fetcher = MakeFetcher(web_.Config());  // 127.0.0.0/8 allowed, nothing else
  const std::string port = std::to_string(web_.port("photos.example"));
  struct Case {
    std::string target;
    std::string reason;
  };
  const Case cases[] = {
      {"http://10.0.0.1/admin", "10.0.0.1 is a private address (10.0.0.0/8)"},
      {"http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"},
      {"http://[::1]:" + port + "/", "::1 is a loopback address"},
      {"http://0x0a000001/", "10.0.0.1 is a private address"},
  };
  for (const Case& c : cases) {
    FetchResult r = fetcher->Fetch(Request(web_.Url("photos.example", "/to?u=" + c.target)));
    EXPECT_EQ(r.error, FetchError::kRefused) << c.target;
    EXPECT_EQ(r.status.code(), StatusCode::kPermissionDenied) << c.target;
    EXPECT_NE(r.status.message().find(c.reason), std::string::npos) << r.status.message();
    EXPECT_NE(r.status.message().find("refused to fetch"), std::string::npos);
    ASSERT_EQ(r.redirects.size(), 1u);
    EXPECT_EQ(r.redirects[0].http_status, 302);
    EXPECT_EQ(r.http_status, 0);  // the refused address gave no response
  }
  EXPECT_EQ(fetcher->stats().refused, 4u);
  EXPECT_EQ(fetcher->stats().connections_opened, 1u);  // photos.example, kept alive
}

// A name pinned to an IPv6 address (curl's resolve list writes it in brackets), allowed by
// configuration.

TEST_F(FetcherTest, FetchesFromAnAllowedIpv6Address) {
  const int probe = socket(AF_INET6, SOCK_STREAM, 0);
  sockaddr_in6 loopback{};
  loopback.sin6_family = AF_INET6;
  loopback.sin6_addr = in6addr_loopback;
  const bool has_ipv6 =
      probe >= 0 && bind(probe, reinterpret_cast<sockaddr*>(&loopback), sizeof(loopback)) == 0;
  if (probe >= 0) close(probe);
  if (!has_ipv6) GTEST_SKIP() << "no IPv6 loopback here";
  web_.Add("v6.example", "::1").Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("over IPv6", "text/plain");
  });
  web_.Start();
  FetcherConfig config = web_.Config();
  auto refused = MakeFetcher(config);
  FetchResult r = refused->Fetch(Request(web_.Url("v6.example", "/")));
  EXPECT_EQ(r.error, FetchError::kRefused);
  EXPECT_NE(r.status.message().find("v6.example resolves to ::1, which is a loopback address"),
            std::string::npos)
      << r.status.message();
  config.allowed_ranges.push_back("::1/128");
  auto allowed = MakeFetcher(config);
  FetchResult ok = allowed->Fetch(Request(web_.Url("v6.example", "/")));
  ASSERT_TRUE(ok.ok()) << ok.status.message();
  EXPECT_EQ(Text(ok), "over IPv6");
  EXPECT_EQ(ok.remote_address, "::1");
}

TEST_F(FetcherTest, StopsAfterTooManyRedirects) {
  httplib::Server& photos = web_.Add("photos.example");
  photos.Get(R"(/loop/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
    res.set_redirect("/loop/" + std::to_string(std::stoi(req.matches[1]) + 1), 302);
  });
  photos.Get("/ftp", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("ftp://files.example/x", 302);
  });
  web_.Start();
  FetcherConfig config = web_.Config();
  config.max_redirects = 5;
  auto fetcher = MakeFetcher(config);
  FetchResult r = fetcher->Fetch(Request(web_.Url("photos.example", "/loop/0")));
  EXPECT_EQ(r.error, FetchError::kTooManyRedirects);
  EXPECT_EQ(r.status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(r.redirects.size(), 5u);
  EXPECT_EQ(r.final_url, web_.Url("photos.example", "/loop/5"));
  EXPECT_NE(r.status.message().find("5 redirects"), std::string::npos);

  FetchResult ftp = fetcher->Fetch(Request(web_.Url("photos.example", "/ftp")));
  EXPECT_EQ(ftp.error, FetchError::kBadRedirect);
  EXPECT_NE(ftp.status.message().find("ftp://files.example/x"), std::string::npos);
}

TEST_F(FetcherTest, ConditionalRequestsGet304) {
  httplib::Server& photos = web_.Add("photos.example");
  const std::string modified = "Wed, 21 Oct 2015 07:28:00 GMT";
  photos.Get("/photo.jpg", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-None-Match") == "\"v1\"" ||
        req.get_header_value("If-Modified-Since") == modified) {
      res.status = 304;
      return;
    }
    res.set_header("ETag", "\"v1\"");
    res.set_header("Last-Modified", modified);
    res.set_content(kJpeg, "image/jpeg");
  });
  web_.Start();
  auto fetcher = MakeFetcher(web_.Config());
  const std::string url = web_.Url("photos.example", "/photo.jpg");
  FetchResult first = fetcher->Fetch(Request(url));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.etag, "\"v1\"");
  EXPECT_EQ(first.last_modified, modified);
  EXPECT_FALSE(first.not_modified());
  Request by_etag_request(url);
  by_etag_request.if_none_match = first.etag;
  FetchResult by_etag = fetcher->Fetch(by_etag_request);
  ASSERT_TRUE(by_etag.ok());
  EXPECT_TRUE(by_etag.not_modified());
  EXPECT_TRUE(by_etag.body.empty());
  Request by_date_request(url);
  by_date_request.if_modified_since = first.last_modified;
  FetchResult by_date = fetcher->Fetch(by_date_request);
  EXPECT_TRUE(by_date.not_modified());
}

TEST_F(FetcherTest, SendsATruthfulUserAgentAndNoCookies) {
  httplib::Server& photos = web_.Add("photos.example");
  std::mutex mutex;
  std::vector<httplib::Headers> seen;
  photos.Get("/", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    seen.push_back(req.headers);
    res.set_header("Set-Cookie", "session=abc; Path=/");
    res.set_content("hi", "text/plain");
  });
  web_.Start();
  FetcherConfig config = web_.Config();
  config.user_agent = "TakedownBot/0.1 (+https://example.org/takedown-bot)";
  auto fetcher = MakeFetcher(config);
  ASSERT_TRUE(fetcher->Fetch(Request(web_.Url("photos.example", "/"))).ok());
  ASSERT_TRUE(fetcher->Fetch(Request(web_.Url("photos.example", "/"))).ok());
  ASSERT_EQ(seen.size(), 2u);
  const auto header = [](const httplib::Headers& h, const char* name) {
    auto it = h.find(name);
    return it == h.end() ? std::string() : it->second;
  };
  EXPECT_EQ(header(seen[0], "User-Agent"), "TakedownBot/0.1 (+https://example.org/takedown-bot)");
  EXPECT_NE(header(seen[0], "Accept-Encoding").find("gzip"), std::string::npos);
  EXPECT_NE(header(seen[0], "Accept-Encoding").find("br"), std::string::npos);
  EXPECT_NE(header(seen[0], "Accept").find("image/*"), std::string::npos);
  EXPECT_EQ(header(seen[1], "Cookie"), "");
}

TEST_F(FetcherTest, ManyConcurrentRequestsKeepPerHostLimits) {
  const std::vector<std::string> hosts = {"a.example", "b.example", "c.example", "d.example"};
  struct Counter {
    std::atomic<int> active{0};
    std::atomic<int> max{0};
    std::atomic<int> served{0};
  };
  std::map<std::string, Counter> counters;
  for (const std::string& name : hosts) {
    Counter& c = counters[name];
    web_.Add(name).Get(R"(/item/(\d+))", [&c](const httplib::Request& req, httplib::Response& res) {
      const int now = ++c.active;
      int seen = c.max.load();
      while (now > seen && !c.max.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(milliseconds(10));
      ++c.served;
      --c.active;
      res.set_content("item " + req.matches[1].str(), "text/plain");
    });
  }
  web_.Start();
  FetcherConfig config = web_.Config();
  config.max_per_host = 3;
  config.max_concurrent = 64;
  auto fetcher = MakeFetcher(config);
  std::vector<Request> requests;
  for (int i = 0; i < 200; ++i) {
    requests.push_back(Request(web_.Url(hosts[i % hosts.size()], "/item/" + std::to_string(i))));
  }
  const auto start = std::chrono::steady_clock::now();
  std::vector<FetchResult> results = fetcher->FetchAll(requests);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(results.size(), 200u);
  for (size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status.message();
    EXPECT_EQ(Text(results[i]), "item " + std::to_string(i));
  }
  for (const std::string& name : hosts) {
    EXPECT_EQ(counters[name].served.load(), 50) << name;
    EXPECT_LE(counters[name].max.load(), 3) << name;
    EXPECT_GE(counters[name].max.load(), 2) << name;  // and they did run side by side
  }
  // Keep-alive: a few connections per host carried all 200 requests.
  EXPECT_LE(fetcher->stats().connections_opened, 12u);
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(FetcherTest, WaitsBetweenRequestsToTheSameHost) {
  httplib::Server& photos = web_.Add("photos.example");
  std::mutex mutex;
  std::vector<std::chrono::steady_clock::time_point> times;
  photos.Get("/", [&](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(mutex);
    times.push_back(std::chrono::steady_clock::now());
    res.set_content("ok", "text/plain");
  });
  web_.Start();
  FetcherConfig config = web_.Config();
  config.per_host_delay = milliseconds(100);
  config.max_per_host = 4;
  auto fetcher = MakeFetcher(config);
  std::vector<Request> requests(4, Request(web_.Url("photos.example", "/")));
  for (const FetchResult& r : fetcher->FetchAll(requests)) ASSERT_TRUE(r.ok());
  ASSERT_EQ(times.size(), 4u);
  std::sort(times.begin(), times.end());
  for (size_t i = 1; i < times.size(); ++i) EXPECT_GE(times[i] - times[i - 1], milliseconds(90));
}

TEST_F(FetcherTest, ReportsTlsDnsConnectAndUrlErrors) {
  web_.Add("photos.example").Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("plain http", "text/plain");
  });
  web_.Start();
  // A port with nothing listening: bind one, note it, close it.
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  close(listener);
  const std::string closed_port = std::to_string(ntohs(address.sin_port));

  FetcherConfig config = web_.Config();
  config.resolve["gone.example"] = {"127.0.0.1"};
  auto fetcher = MakeFetcher(config);
  const std::string port = std::to_string(web_.port("photos.example"));

  FetchResult tls = fetcher->Fetch(Request("https://photos.example:" + port + "/"));
  EXPECT_EQ(tls.error, FetchError::kTls) << tls.status.message();
  EXPECT_NE(tls.status.message().find("TLS"), std::string::npos);

  FetchResult dns = fetcher->Fetch(Request("http://unknown.example/"));
  EXPECT_EQ(dns.error, FetchError::kDns);
  EXPECT_EQ(dns.status.code(), StatusCode::kNotFound);
  EXPECT_NE(dns.status.message().find("unknown.example"), std::string::npos);

  FetchResult refused = fetcher->Fetch(Request("http://gone.example:" + closed_port + "/"));
  EXPECT_EQ(refused.error, FetchError::kConnect);
  EXPECT_EQ(refused.attempts, 3);  // connection failures are retried
  EXPECT_NE(refused.status.message().find("could not connect to gone.example"), std::string::npos);

  for (const char* bad : {"ftp://photos.example/x", "photos.example/x", "http://u:p@x.example/"}) {
    FetchResult r = fetcher->Fetch(Request(bad));
    EXPECT_EQ(r.error, FetchError::kInvalidUrl) << bad;
    EXPECT_EQ(r.status.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(r.attempts, 0);
  }
}

TEST_F(FetcherTest, CallbacksMaySubmitMoreWork) {
  web_.Add("photos.example")
      .Get(R"(/n/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(req.matches[1].str(), "text/plain");
      });
  web_.Start();
  auto fetcher = MakeFetcher(web_.Config());
  std::vector<std::string> order;
  std::function<void(FetchResult &&)> next = [&](FetchResult&& r) {
    order.push_back(Text(r));
    if (order.size() < 5) {
      fetcher->Submit(Request(web_.Url("photos.example", "/n/" + std::to_string(order.size()))),
                      next);
    }
  };
  fetcher->Submit(Request(web_.Url("photos.example", "/n/0")), next);
  fetcher->Run();
  EXPECT_EQ(order, (std::vector<std::string>{"0", "1", "2", "3", "4"}));
  EXPECT_EQ(fetcher->pending(), 0u);
}

TEST(FetcherConfigTest, RefusesBadConfiguration) {
  FetcherConfig bad_range;
  bad_range.allowed_ranges = {"10.0.0.0/99"};
  EXPECT_FALSE(Fetcher::Create(bad_range).ok());
  FetcherConfig bad_override;
  bad_override.resolve["x.example"] = {"not-an-ip"};
  EXPECT_FALSE(Fetcher::Create(bad_override).ok());
  FetcherConfig no_attempts;
  no_attempts.max_attempts = 0;
  EXPECT_FALSE(Fetcher::Create(no_attempts).ok());
  EXPECT_EQ(FetchErrorName(FetchError::kDecodedTooLarge), "decoded_too_large");
}

}  // namespace
}  // namespace takedown::fetch
