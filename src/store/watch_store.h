// What discovery watches: a case's paused flag, the listing pages, feeds and sitemaps crawled, and
// the case's share of the job queue.
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

// A case's discovery work in the job queue: what its crawl progress shows.
struct JobProgress {
  int queued = 0, running = 0, done = 0, failed = 0;
  std::optional<UnixMillis> next_run;  // the earliest queued job's time
  std::vector<domain::Job> failures;   // failed for good, newest first, at most 20
};

// Watched sources and their crawls, and the hashes they are matched against.
class WatchStore {
 public:
  virtual ~WatchStore() = default;

  // Pauses or resumes rechecks and crawls for the case. kNotFound. Writes `event`.
  virtual Status SetCaseWatchPaused(int64_t case_id, bool paused, const domain::Event& event) = 0;
  // kAlreadyExists when the case (or the organisation) already watches that URL; kNotFound when
  // the case is gone. Writes `event`.
  virtual Result<int64_t> CreateWatchedSource(const domain::WatchedSource& source,
                                              const domain::Event& event) = 0;
  virtual Result<domain::WatchedSource> GetWatchedSource(int64_t id) = 0;  // kNotFound
  // The case's sources, or the organisation's when case_id is unset; oldest first.
  virtual Result<std::vector<domain::WatchedSource>> ListWatchedSources(
      std::optional<int64_t> case_id) = 0;
  virtual Status SetWatchedSourcePaused(int64_t id, bool paused, const domain::Event& event) = 0;
  virtual Status DeleteWatchedSource(int64_t id, const domain::Event& event) = 0;
  // What a crawl of the source did, and its validators for the next, conditional, crawl.
  virtual Status RecordCrawl(int64_t id, UnixMillis at, const std::string& outcome_json,
                             const std::string& etag, const std::string& last_modified) = 0;
  // Hashes of open cases whose watching is not paused (what the organisation's sources are
  // matched against): id > after_id, ascending, at most limit.
  virtual Result<std::vector<domain::MediaHash>> WatchedHashes(int64_t after_id, int limit) = 0;
  // The case's jobs by state (jobs enqueued with its case_id).
  virtual Result<JobProgress> CaseJobProgress(int64_t case_id) = 0;
};

}  // namespace takedown::store
