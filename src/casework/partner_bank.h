// The hashes partner platforms may match against: those of cases whose survivor consented to
// sharing, held in a matching::HashBank and kept current by following the store's hash feed (the
// same feed partners pull), so every server process converges on the same bank and an erased
// case stops matching as soon as its deletion is applied. Beside them, the region signals of
// those images (matching::RegionBank, Takedown's own: never in the feed), read from the shared
// hashes in id order and dropped with the feed's deletions.
//
// Thread-safe: searches share a lock, applying the feed takes it exclusively; while one request
// refreshes, the others search the bank as it was.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "hashing/pdq.h"
#include "matching/hash_bank.h"
#include "matching/region_bank.h"
#include "store/partner_store.h"

namespace takedown::casework {

class PartnerBank {
 public:
  struct Hit {
    int64_t hash_id = 0;  // the partner sees the hash's id, never its case
    int distance = 0;     // PDQ bits, or for "region" the nearest region pair's bits
    // "pdq", or "region" when only the region signals the query carried found it.
    std::string_view signal = "pdq";
    // Strong enough for automatic steps (matching::ImageMatch::AllowsAutomaticAction).
    bool strong = true;
    std::vector<matching::RegionEvidence> regions;  // for "region": the pairs, nearest first
  };

  // `refresh_every`: how stale a search may be relative to changes made by other processes
  // (changes made through this process are applied at once with Refresh()).
  PartnerBank(store::PartnerStore& partners, const Clock& clock, UnixMillis refresh_every = 1000);

  // Applies every feed entry after the last one applied.
  Status Refresh();
  // The shared images a query finds: its PDQ within `radius` and, when it carries region signals,
  // those within the region radius (matching::MatchImage); PDQ matches first. Refreshes first
  // if the last refresh is older than refresh_every.
  Result<std::vector<Hit>> Search(const matching::ImageQuery& query, int radius);
  size_t size() const;

 private:
  Status RefreshLocked();  // refresh_mu_ held

  store::PartnerStore& partners_;
  const Clock& clock_;
  const UnixMillis refresh_every_;
  std::mutex refresh_mu_;         // one refresher at a time; guards cursor_
  mutable std::shared_mutex mu_;  // the bank
  matching::HashBank bank_;
  matching::RegionBank regions_;
  int64_t cursor_ = 0;
  int64_t region_cursor_ = 0;  // the last shared hash id whose region signals were read; guarded
                               // by refresh_mu_
  std::atomic<UnixMillis> refreshed_at_{-1};
};

}  // namespace takedown::casework
