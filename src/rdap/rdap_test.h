// The rdap tests' fixture, shared by rdap_test.cc and rdap_host_test.cc: a fake IANA, two RIRs,
// a registry and a registrar on the loopback fixture web (fetch/test_web.h), serving the canned
// answers of rdap_test_answers.h, and a client that asks them.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "fetch/test_web.h"
#include "rdap/rdap.h"
#include "rdap/rdap_test_answers.h"

namespace takedown::notify::rdap_testing {

using fetch::IpAddress;
using fetch::testing::MakeFetcher;
using fetch::testing::TestWeb;

// Whether fetch::FetchResult exposes Cache-Control (rdap.cc reads it when it does).
template <typename R>
inline constexpr bool kHasCacheControl = requires(const R& r) {
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

inline Reply Json(std::string body, std::string cache_control = "") {
  Reply r;
  r.body = std::move(body);
  r.cache_control = std::move(cache_control);
  return r;
}

inline Reply Plain(int status, std::string body, std::string location = "") {
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

inline std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

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

}  // namespace takedown::notify::rdap_testing
