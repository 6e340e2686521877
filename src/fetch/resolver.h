// Internal to fetch: system DNS lookups (getaddrinfo) on helper threads, so one slow name does
// not stall every transfer. The answers are only collected here; the Fetcher checks them.
//
// Thread-safety: Lookup and TakeAnswers are called from the fetcher's thread; the workers hand
// answers over under a mutex and call `wake` (curl_multi_wakeup) to interrupt its wait. The
// destructor never waits for a lookup in progress: the workers are detached, keep the shared
// state alive, and drop their answers once it is gone.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "fetch/address_policy.h"

namespace takedown::fetch::internal {

class Resolver {
 public:
  struct Answer {
    uint64_t token = 0;
    std::string host;
    Result<std::vector<IpAddress>> addresses = Internal("no answer");
    bool retryable = false;  // a temporary failure (EAI_AGAIN)
  };

  Resolver(int threads, std::function<void()> wake);
  ~Resolver();
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  void Lookup(uint64_t token, std::string host);
  std::vector<Answer> TakeAnswers();

  struct Shared;  // the queue and answers, shared with the worker threads

 private:
  std::shared_ptr<Shared> shared_;
  int threads_;
  bool started_ = false;
};

}  // namespace takedown::fetch::internal
