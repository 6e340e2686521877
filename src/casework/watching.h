// A caseworker's controls over discovery's watching: pausing and resuming a case's rechecks and
// crawls, confirming a repost found by a watched source, the listing pages, feeds, sitemaps and
// channel previews watched for a case (or, by admins, for every open case), and the case's crawl
// progress.
//
// Thread-safe: one Watching serves every request thread (the store does its own locking).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "casework/actor.h"
#include "casework/bulk.h"
#include "domain/entities.h"
#include "store/case_store.h"
#include "store/job_queue.h"
#include "store/roles.h"
#include "store/sighting_store.h"
#include "store/watch_store.h"

namespace takedown::casework {

class Watching {
 public:
  // The roles of the store it uses.
  using Stores = store::Roles<store::CaseStore, store::AuditLog, store::SightingStore,
                              store::WatchStore, store::JobQueue>;

  Watching(Stores stores, const Clock& clock);

  // Pauses or resumes the rechecks of the case's sightings and the crawls of its sources;
  // resuming queues them at once.
  Status SetWatchPaused(const Actor& who, int64_t case_id, bool paused);
  // A repost found by a watched source is hers: it stops waiting for review. (Dismissing is the
  // state move to dismissed; the URL is then never raised again for the case.) Audit::kInBulk
  // writes no event (DecideSightings writes one for the request).
  Status ConfirmSighting(const Actor& who, int64_t sighting_id, Audit audit = Audit::kEach);
  // Confirms or dismisses each of the case's sightings named, each as its single call does (a
  // dismissal is the state move to dismissed, refused where domain::CanTransition says no), and
  // writes one "sightings.bulk" event for them all. kInvalidArgument for no ids or too many,
  // kNotFound for no such case; an id of another case is refused in its result.
  Result<std::vector<BulkResult>> DecideSightings(const Actor& who, int64_t case_id,
                                                  SightingDecision decision,
                                                  const std::vector<int64_t>& sighting_ids);
  // Watches a listing page, feed, sitemap or channel preview for the case (or, with no case, for
  // every open case: admins only) and queues its first crawl. kInvalidArgument with a sentence
  // for a bad address or limits out of range; kAlreadyExists.
  Result<domain::WatchedSource> AddWatchedSource(const Actor& who, domain::WatchedSource source);
  // The case's sources (a read of the case: audited as case.read), or with no case the
  // organisation's.
  Result<std::vector<domain::WatchedSource>> WatchedSources(const Actor& who,
                                                            std::optional<int64_t> case_id);
  Status SetSourcePaused(const Actor& who, int64_t source_id, bool paused);
  Status DeleteWatchedSource(const Actor& who, int64_t source_id);
  // The case's discovery work: checks and crawls queued, running, done and failed (with why).
  // Audited as a case.read.
  Result<store::JobProgress> CrawlProgress(const Actor& who, int64_t case_id);
  // Queues a crawl of each of the case's sources that is not paused now, rather than at its
  // next scheduled time (a caseworker's "crawl now"); how many were queued.
  // kFailedPrecondition while the case's watching is paused.
  Result<int> CrawlNow(const Actor& who, int64_t case_id);
  // The whole job queue's work at this moment (no case is read): what the manual clock's
  // endpoint waits on to let a simulation know the server has done what was due.
  Result<store::QueueState> QueueNow() { return jobs_.QueueStateAt(clock_.Now()); }

 private:
  domain::Event EventOf(const Actor& who, std::optional<int64_t> case_id, std::string action,
                        std::string detail_json = "{}") const;

  store::CaseStore& cases_;
  store::AuditLog& audit_;
  store::SightingStore& sightings_;
  store::WatchStore& watch_;
  store::JobQueue& jobs_;
  const Clock& clock_;
};

}  // namespace takedown::casework
