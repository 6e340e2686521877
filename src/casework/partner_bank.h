// The hashes partner platforms may match against: those of cases whose survivor consented to
// sharing, held in a matching::HashBank and kept current by following the store's hash feed (the
// same feed partners pull), so every server process converges on the same bank and an erased
// case stops matching as soon as its deletion is applied.
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
#include "store/partner_store.h"

namespace takedown::casework {

class PartnerBank {
 public:
  struct Hit {
    int64_t hash_id = 0;  // the partner sees the hash's id, never its case
    int distance = 0;
  };

  // `refresh_every`: how stale a search may be relative to changes made by other processes
  // (changes made through this process are applied at once with Refresh()).
  PartnerBank(store::PartnerStore& partners, const Clock& clock, UnixMillis refresh_every = 1000);

  // Applies every feed entry after the last one applied.
  Status Refresh();
  // Searches after refreshing if the last refresh is older than refresh_every.
  Result<std::vector<Hit>> Search(const hashing::Hash256& query, int radius);
  size_t size() const;

 private:
  Status RefreshLocked();  // refresh_mu_ held

  store::PartnerStore& partners_;
  const Clock& clock_;
  const UnixMillis refresh_every_;
  std::mutex refresh_mu_;         // one refresher at a time; guards cursor_
  mutable std::shared_mutex mu_;  // the bank
  matching::HashBank bank_;
  int64_t cursor_ = 0;
  std::atomic<UnixMillis> refreshed_at_{-1};
};

}  // namespace takedown::casework
