// Watched sources: listing pages, RSS/Atom feeds, sitemaps and public channel previews that a
// case (or the organisation, for every open case) asks discovery to crawl on a schedule for
// reposts. A "source.crawl" job fetches the source (conditionally: an unchanged source is not
// crawled again), checks its media and follows its links breadth-first within the source's depth
// and page limits, matches every medium against the hashes it watches for, and adds a sighting
// for each new match to the matching case: origin "watch", waiting for a caseworker to confirm or
// dismiss it (a dismissed URL is never raised again: the case keeps it, dismissed). Then it
// records what the crawl did on the source and queues the next crawl.
//
// Which links are followed: from a page or channel, links to the same host; from a feed, its
// items wherever they are; from a sitemap, its pages and child sitemaps. A match on the source
// itself (a listing whose content rotates) is recorded at the medium's own address; a match on a
// page the crawl reached is recorded at that page.
//
// A paused source, or a paused or erased case, is not crawled and not rescheduled: resuming
// queues a crawl. Not thread-safe: one SourceCrawler per worker thread (it drives one Fetcher).
#pragma once

#include <cstdint>
#include <string>

#include "base/clock.h"
#include "discovery/url_check.h"
#include "domain/settings.h"
#include "platforms/platforms.h"
#include "store/account_store.h"
#include "store/case_store.h"
#include "store/job_queue.h"
#include "store/roles.h"
#include "store/sighting_store.h"
#include "store/watch_store.h"

namespace takedown::discovery {

inline constexpr std::string_view kSourceCrawlJob = "source.crawl";

// The crawl of `source` at `run_at`; `reason` makes its idempotency key unique per scheduling.
domain::Job SourceCrawlJob(const domain::WatchedSource& source, UnixMillis run_at,
                           const std::string& reason);

class SourceCrawler {
 public:
  // The roles of the store it uses.
  using Stores = store::Roles<store::CaseStore, store::SightingStore, store::WatchStore,
                              store::JobQueue, store::SettingsStore>;

  SourceCrawler(Stores stores, const Clock& clock, fetch::Fetcher& fetcher,
                const platforms::PlatformDirectory& platforms, CheckOptions options = {});

  // Handles one "source.crawl" job. A source that no longer exists is done without error.
  Status Handle(const domain::Job& job);

 private:
  // Adds a repost sighting at `url` to the case with the crawl's evidence (the store queues its
  // first check, which confirms what the crawl saw); false when the case already had that URL (or
  // it is not an address to act on). It waits for a caseworker's confirmation unless the
  // settings confirm a match this strong (`her_quality`: of the hash it matched) automatically.
  Result<bool> AddRepost(const domain::WatchedSource& source, int64_t case_id,
                         const std::string& url, const std::string& page_url, const CheckResult& r,
                         const MediaMatch& m, int her_quality, const domain::Settings& settings);

  store::CaseStore& cases_;
  store::SightingStore& sightings_;
  store::WatchStore& watch_;
  store::JobQueue& jobs_;
  store::SettingsStore& settings_;
  const Clock& clock_;
  const platforms::PlatformDirectory& platforms_;
  UrlChecker checker_;
};

}  // namespace takedown::discovery
