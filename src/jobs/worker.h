// The durable job loop: claims due jobs from the store's queue (store/job_queue.h), runs the
// handler registered for each job's kind, and completes it, or fails it so the store schedules the
// retry with backoff (domain::RetryDelay) until its attempts run out. A job runs at least once (a
// worker that dies mid-job lets its lease expire and another takes it), so handlers are idempotent.
//
// Thread-safety: Register everything before running; RunDue / Run from one thread per Worker.
// For parallelism run several Workers (threads or processes): the store never hands one job to
// two of them.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <stop_token>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "store/job_queue.h"

namespace takedown::jobs {

class Worker {
 public:
  // A handler's error fails the attempt (its message is kept as the job's last_error).
  using Handler = std::function<Status(const domain::Job&)>;

  // `name` identifies this worker in leases ("host:pid:thread"); `lease`: how long a job may run
  // before another worker may take it over.
  Worker(store::JobQueue& jobs, const Clock& clock, std::string name,
         UnixMillis lease = 10 * 60 * 1000);

  void Register(const std::string& kind, Handler handler);

  // Runs the jobs due now, one after another, until none is due or `max_jobs` ran; returns how
  // many ran. An error only when the store fails.
  Result<int> RunDue(int max_jobs = 1000);

  // RunDue, then waits `idle_wait` whenever nothing was due, until `stop` is requested.
  void Run(std::stop_token stop, std::chrono::milliseconds idle_wait);

 private:
  store::JobQueue& jobs_;
  const Clock& clock_;
  const std::string name_;
  const UnixMillis lease_;
  const bool manual_;  // the clock moves only by hand: an idle wait ends when it moves
  std::map<std::string, Handler> handlers_;
};

}  // namespace takedown::jobs
