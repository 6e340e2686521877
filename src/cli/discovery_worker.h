// The discovery job loop on a thread of its own, for `takedown serve` (in-process) and `takedown
// worker` (the loop alone, for more machines on PostgreSQL): a jobs::Worker running
// discovery's "sighting.check" jobs with one fetch::Fetcher.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "store/store.h"

namespace takedown::cli {

struct DiscoveryFlags {
  bool no_worker = false;
  bool no_dns = false;
  std::vector<std::string> fetch_allow;    // CIDR ranges the SSRF guard lets through
  std::vector<std::string> fetch_resolve;  // host=address
  std::string user_agent = "TakedownBot/0.1 (+https://github.com/takedown/takedown)";
};

void AddDiscoveryFlags(CLI::App* cmd, DiscoveryFlags* flags);

// Owns the thread; stopping (the destructor) waits for the job in hand to finish.
class DiscoveryWorker {
 public:
  static Result<std::unique_ptr<DiscoveryWorker>> Start(store::Store& store, const Clock& clock,
                                                        const DiscoveryFlags& flags);
  ~DiscoveryWorker();

 private:
  DiscoveryWorker() = default;
  std::jthread thread_;
};

}  // namespace takedown::cli
