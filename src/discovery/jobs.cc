#include "discovery/jobs.h"

#include <string>

namespace takedown::discovery {

DiscoveryJobs::DiscoveryJobs(Stores stores, const Clock& clock, fetch::Fetcher& fetcher,
                             const platforms::PlatformDirectory& platforms)
    : sightings_(stores.get<store::SightingStore>()),
      jobs_(stores.get<store::JobQueue>()),
      checker_(stores, clock, fetcher),
      crawler_(stores, clock, fetcher, platforms) {}

void DiscoveryJobs::Register(jobs::Worker& worker) {
  worker.Register(std::string(kSightingCheckJob),
                  [this](const domain::Job& job) { return checker_.Handle(job); });
  worker.Register(std::string(kSourceCrawlJob),
                  [this](const domain::Job& job) { return crawler_.Handle(job); });
}

Result<int> DiscoveryJobs::Recover(UnixMillis now) {
  return QueueUncheckedSightings(UncheckedStores(sightings_, jobs_), now);
}

}  // namespace takedown::discovery
