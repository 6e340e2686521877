// Discovery's jobs, registered with a worker by discovery itself: "sighting.check" (a sighting's
// checks and rechecks, sighting_check.h) and "source.crawl" (a watched source's crawls,
// watch.h). The runner (jobs::Worker) knows no job kind; whoever starts one only passes the
// store, the clock, a fetcher and the platforms.
//
// Not thread-safe: one DiscoveryJobs per worker thread, like the Fetcher it drives.
#pragma once

#include "base/clock.h"
#include "base/status.h"
#include "discovery/sighting_check.h"
#include "discovery/watch.h"
#include "fetch/fetcher.h"
#include "jobs/worker.h"
#include "platforms/platforms.h"
#include "store/roles.h"

namespace takedown::discovery {

class DiscoveryJobs {
 public:
  // The roles of the store its jobs use.
  using Stores = store::Roles<store::CaseStore, store::SightingStore, store::NoticeStore,
                              store::WatchStore, store::JobQueue, store::SettingsStore>;

  DiscoveryJobs(Stores stores, const Clock& clock, fetch::Fetcher& fetcher,
                const platforms::PlatformDirectory& platforms);

  // Registers the handlers of discovery's job kinds; `worker` must not outlive this.
  void Register(jobs::Worker& worker);

  // Once per start: queues the first check of every sighting never checked (a crash between a
  // sighting's transaction and its first check's would otherwise leave it unchecked).
  Result<int> Recover(UnixMillis now);

 private:
  store::SightingStore& sightings_;
  store::JobQueue& jobs_;
  SightingChecker checker_;
  SourceCrawler crawler_;
};

}  // namespace takedown::discovery
