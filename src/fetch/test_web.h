// Tests only: a small web on loopback. Each named host ("photos.example", "forum.example") is
// its own cpp-httplib server on an ephemeral port of 127.0.0.1, reached through the fetcher's
// resolver override, so the fetcher sees real names, ports, redirects between hosts and
// keep-alive connections. Not thread-safe to set up; the servers' handlers run on their own
// threads (a handler that shares state with the test must synchronise it).
#pragma once

#include <httplib.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "fetch/fetcher.h"

namespace takedown::fetch::testing {

class TestWeb {
 public:
  TestWeb() = default;
  ~TestWeb();  // stops every server (handlers should watch stopping() to end long waits)
  TestWeb(const TestWeb&) = delete;
  TestWeb& operator=(const TestWeb&) = delete;

  // Adds a host listening on `address` (a loopback address); add its routes to the returned
  // server, then Start.
  httplib::Server& Add(const std::string& name, const std::string& address = "127.0.0.1");
  void Start();

  int port(const std::string& name) const { return sites_.at(name).port; }
  // "http://name:port" + path
  std::string Url(const std::string& name, const std::string& path) const;

  // A fetcher configuration for this web: every host resolved to its address by override,
  // 127.0.0.0/8 allowed (add others yourself), system DNS off, no politeness delay, short
  // backoff.
  FetcherConfig Config() const;

  // True once the web is being torn down: slow handlers should return.
  const std::atomic<bool>& stopping() const { return stopping_; }

 private:
  struct Site {
    std::unique_ptr<httplib::Server> server;
    std::string address;
    int port = 0;
    std::thread thread;
  };
  std::map<std::string, Site> sites_;
  std::atomic<bool> stopping_{false};
};

// Fetcher::Create for tests: a failure is a test failure (and a null fetcher).
std::unique_ptr<Fetcher> MakeFetcher(const FetcherConfig& config);

// The body as text.
std::string Text(const FetchResult& result);

}  // namespace takedown::fetch::testing
