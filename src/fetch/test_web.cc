#include "fetch/test_web.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>

namespace takedown::fetch::testing {

TestWeb::~TestWeb() {
  stopping_ = true;
  for (auto& [name, site] : sites_) site.server->stop();
  for (auto& [name, site] : sites_) {
    if (site.thread.joinable()) site.thread.join();
  }
}

httplib::Server& TestWeb::Add(const std::string& name, const std::string& address) {
  Site& site = sites_[name];
  site.address = address;
  site.server = std::make_unique<httplib::Server>();
  site.server->new_task_queue = [] { return new httplib::ThreadPool(16); };
  site.server->set_keep_alive_max_count(10'000);
  site.server->set_keep_alive_timeout(1);  // idle connections end fast when the test ends
  site.server->set_tcp_nodelay(true);      // no 40 ms Nagle and delayed-ACK stalls
  return *site.server;
}

void TestWeb::Start() {
  for (auto& [name, site] : sites_) {
    site.port = site.server->bind_to_any_port(site.address);
    if (site.port <= 0) throw std::runtime_error("cannot bind a loopback port for " + name);
    site.thread = std::thread([server = site.server.get()] { server->listen_after_bind(); });
  }
  // Server::stop() does nothing to a server that is not running yet, which would leave its
  // thread in accept() for ever: wait until every one is.
  for (auto& [name, site] : sites_) {
    while (!site.server->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::string TestWeb::Url(const std::string& name, const std::string& path) const {
  return "http://" + name + ":" + std::to_string(port(name)) + path;
}

FetcherConfig TestWeb::Config() const {
  FetcherConfig config;
  config.allowed_ranges = {"127.0.0.0/8"};
  config.system_dns = false;
  for (const auto& [name, site] : sites_) config.resolve[name] = {site.address};
  config.per_host_delay = std::chrono::milliseconds(0);
  config.initial_backoff = std::chrono::milliseconds(20);
  config.max_backoff = std::chrono::milliseconds(200);
  config.transfer_timeout = std::chrono::milliseconds(5'000);
  config.request_deadline = std::chrono::milliseconds(15'000);
  return config;
}

std::unique_ptr<Fetcher> MakeFetcher(const FetcherConfig& config) {
  Result<std::unique_ptr<Fetcher>> fetcher = Fetcher::Create(config);
  EXPECT_TRUE(fetcher.ok()) << fetcher.status().message();
  return fetcher.ok() ? std::move(*fetcher) : nullptr;
}

std::string Text(const FetchResult& result) {
  return std::string(result.body.begin(), result.body.end());
}

}  // namespace takedown::fetch::testing
