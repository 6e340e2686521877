// Internal to fetch: the Fetcher's machinery. Its work is split over fetcher_schedule.cc
// (queues, politeness, DNS, starting transfers) and fetcher_outcome.cc (what a finished
// transfer leads to: a redirect, a retry or the result). Used from the fetcher's thread only.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "fetch/fetcher.h"
#include "fetch/resolver.h"
#include "fetch/transfer.h"

namespace takedown::fetch {
namespace internal {

inline std::chrono::milliseconds Until(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from);
}

// "30 s", rounded up, for messages.
inline std::string Seconds(std::chrono::milliseconds ms) {
  return std::to_string((ms.count() + 999) / 1000) + " s";
}

}  // namespace internal

class Fetcher::Impl {
 public:
  using Clock = internal::SteadyClock;
  using Job = internal::Job;

  Impl(FetcherConfig config, AddressPolicy policy,
       std::unordered_map<std::string, std::vector<IpAddress>> overrides);
  ~Impl();

  Status Init();
  uint64_t Submit(Request request, Callback done);
  bool Poll(std::chrono::milliseconds max_wait);

  size_t pending() const { return jobs_.size(); }
  FetcherStats stats() const { return stats_; }
  const FetcherConfig& config() const { return config_; }

 private:
  // Politeness state of one host name.
  struct Host {
    int active = 0;  // attempts holding a slot (resolving or transferring)
    Clock::time_point next_start{};
    std::deque<Job*> queue;
  };
  struct DnsEntry {
    std::vector<IpAddress> addresses;
    Clock::time_point expires;
  };

  // fetcher_schedule.cc
  void Step();
  void Enqueue(Job* job, bool front);
  void Schedule(Clock::time_point now);
  void ReleaseSlot(Job* job);
  void Start(Job* job, Clock::time_point now);
  void TakeDnsAnswers(Clock::time_point now);
  void Launch(Job* job, const std::vector<IpAddress>& addresses, Clock::time_point now);
  void ReturnHandle(Job* job);
  Clock::time_point NextWake(Clock::time_point now);

  // fetcher_outcome.cc
  void TransferDone(CURL* easy, CURLcode code, Clock::time_point now);
  void Redirect(Job* job, Clock::time_point now);
  void Retry(Job* job, FetchError error, const Status& status,
             std::optional<std::chrono::milliseconds> retry_after, Clock::time_point now);
  void Finish(Job* job, FetchError error, Status status, Clock::time_point now);
  void Deliver();

  FetcherConfig config_;
  AddressPolicy policy_;
  std::unordered_map<std::string, std::vector<IpAddress>> overrides_;
  CURLM* multi_ = nullptr;
  std::unique_ptr<internal::Resolver> resolver_;
  std::vector<CURL*> idle_handles_;                          // easy handles to reuse
  std::unordered_map<uint64_t, std::unique_ptr<Job>> jobs_;  // every unfinished request
  std::vector<std::unique_ptr<Job>> done_;                   // finished, callback not yet run
  std::unordered_map<std::string, Host> hosts_;
  std::multimap<Clock::time_point, Job*> delayed_;  // waiting to retry
  std::unordered_set<uint64_t> resolving_;          // waiting for system DNS
  std::unordered_map<std::string, DnsEntry> dns_cache_;
  int active_ = 0;
  uint64_t next_id_ = 1;
  FetcherStats stats_;
};

}  // namespace takedown::fetch
