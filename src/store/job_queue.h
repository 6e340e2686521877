// The durable job queue shared by any number of workers (jobs/worker.h runs it).
//
// A role of the Store (store/store.h), which says what every method promises: one transaction,
// durable on OK, times passed in, the same error codes. Consumers take the roles they use.
//
// Thread-safety: implementations may be used from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/entities.h"

namespace takedown::store {

// How much work the whole queue holds at one moment.
struct QueueState {
  int64_t due = 0;                     // queued with run_at <= now, or running
  std::optional<UnixMillis> next_run;  // the earliest run_at of a job queued for later
};

// Jobs enqueued once (by idempotency key), claimed under a lease, completed or retried.
class JobQueue {
 public:
  virtual ~JobQueue() = default;

  // Enqueues; when job.idempotency_key is set and a job with that key exists, returns that job's
  // id and changes nothing.
  virtual Result<int64_t> EnqueueJob(const domain::Job& job) = 0;
  // Claims the queued job of one of `kinds` (all kinds when empty) with the earliest run_at <=
  // now, or a running one whose lease expired (a crashed worker's); sets it running under
  // `worker` until now + lease, and counts the attempt. On PostgreSQL with FOR UPDATE SKIP
  // LOCKED, so concurrent workers never claim the same job. nullopt when nothing is due.
  virtual Result<std::optional<domain::Job>> ClaimJob(const std::vector<std::string>& kinds,
                                                      const std::string& worker, UnixMillis now,
                                                      UnixMillis lease) = 0;
  // Both kFailedPrecondition unless the job is running under `worker` (a lease lost to another
  // worker must not be completed twice).
  virtual Status CompleteJob(int64_t id, const std::string& worker) = 0;
  // Back to queued at now + domain::RetryDelay(attempts), or failed for good once attempts
  // reach max_attempts.
  virtual Status FailJob(int64_t id, const std::string& worker, const std::string& error,
                         UnixMillis now) = 0;
  virtual Result<domain::Job> GetJob(int64_t id) = 0;
  // What is due at `now` and when the next job comes: what a simulation on the manual clock waits
  // on before it moves the clock again.
  virtual Result<QueueState> QueueStateAt(UnixMillis now) = 0;
};

}  // namespace takedown::store
