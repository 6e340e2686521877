// The discovery job loop on threads of its own, for `takedown serve` (in-process) and `takedown
// worker` (the loop alone, for more machines on PostgreSQL): a jobs::Worker running
// discovery's "sighting.check" and "source.crawl" jobs, and casework's "notice.send" and
// "notice.escalate" jobs, on
// --discovery-threads threads, each with its own fetch::Fetcher.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "casework/casework.h"
#include "casework/outbox.h"
#include "platforms/platforms.h"
#include "store/store.h"

namespace takedown::cli {

struct DiscoveryFlags {
  bool no_worker = false;
  bool no_dns = false;
  int threads = 2;
  std::vector<std::string> fetch_allow;    // CIDR ranges the SSRF guard lets through
  std::vector<std::string> fetch_resolve;  // host=address
  std::string user_agent = "TakedownBot/0.1 (+https://github.com/takedown/takedown)";
};

void AddDiscoveryFlags(CLI::App* cmd, DiscoveryFlags* flags);

// Owns the threads; stopping (the destructor) waits for the jobs in hand to finish.
class DiscoveryWorker {
 public:
  // `store`, `clock`, `platforms`, `courier` and `notices` must outlive the worker. The threads
  // also run the outbox's "notice.send" jobs through `courier`, and "notice.escalate" jobs
  // (RDAP lookups on the thread's fetcher).
  static Result<std::unique_ptr<DiscoveryWorker>> Start(
      store::Store& store, const Clock& clock, const platforms::PlatformDirectory& platforms,
      casework::Courier& courier, const casework::NoticeSetup& notices,
      const DiscoveryFlags& flags);
  ~DiscoveryWorker();

 private:
  DiscoveryWorker() = default;
  std::vector<std::jthread> threads_;
};

}  // namespace takedown::cli
