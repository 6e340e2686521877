#include "jobs/worker.h"

#include <cstdio>
#include <thread>
#include <vector>

namespace takedown::jobs {

Worker::Worker(store::JobQueue& jobs, const Clock& clock, std::string name, UnixMillis lease)
    : jobs_(jobs),
      clock_(clock),
      name_(std::move(name)),
      lease_(lease),
      manual_(dynamic_cast<const ManualClock*>(&clock) != nullptr) {}

void Worker::Register(const std::string& kind, Handler handler) {
  handlers_[kind] = std::move(handler);
}

Result<int> Worker::RunDue(int max_jobs) {
  std::vector<std::string> kinds;
  for (const auto& [kind, handler] : handlers_) kinds.push_back(kind);
  if (kinds.empty()) return 0;  // an empty list would claim every kind
  int ran = 0;
  while (ran < max_jobs) {
    auto claimed = jobs_.ClaimJob(kinds, name_, clock_.Now(), lease_);
    if (!claimed.ok()) return claimed.status();
    if (!claimed->has_value()) break;
    const domain::Job& job = **claimed;
    Status outcome;
    try {
      outcome = handlers_.at(job.kind)(job);
    } catch (const std::exception& e) {
      // A handler must not take the worker down; the job is retried like any failure.
      outcome = Internal(std::string("the job's handler failed: ") + e.what());
    }
    const Status recorded = outcome.ok()
                                ? jobs_.CompleteJob(job.id, name_)
                                : jobs_.FailJob(job.id, name_, outcome.message(), clock_.Now());
    // Lost the lease to another worker (the job ran too long): theirs is the result that counts.
    if (!recorded.ok() && recorded.code() != StatusCode::kFailedPrecondition) return recorded;
    ++ran;
  }
  return ran;
}

void Worker::Run(std::stop_token stop, std::chrono::milliseconds idle_wait) {
  while (!stop.stop_requested()) {
    auto ran = RunDue();
    if (!ran.ok()) {
      std::fprintf(stderr, "worker %s: %s\n", name_.c_str(), ran.status().message().c_str());
    }
    if (!ran.ok() || *ran == 0) {
      // Sleep in short steps so a stop is noticed quickly, and so is a manual clock moved (a
      // simulation must not wait out the idle poll each time it moves the clock).
      const UnixMillis before = clock_.Now();
      for (auto waited = std::chrono::milliseconds(0);
           waited < idle_wait && !stop.stop_requested() && !(manual_ && clock_.Now() != before);
           waited += std::chrono::milliseconds(10)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  }
}

}  // namespace takedown::jobs
