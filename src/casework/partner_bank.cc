#include "casework/partner_bank.h"

#include <mutex>

namespace takedown::casework {

PartnerBank::PartnerBank(store::PartnerStore& partners, const Clock& clock,
                         UnixMillis refresh_every)
    : partners_(partners), clock_(clock), refresh_every_(refresh_every) {}

Status PartnerBank::Refresh() {
  std::lock_guard refreshing(refresh_mu_);
  return RefreshLocked();
}

Status PartnerBank::RefreshLocked() {
  constexpr int kPage = 10'000;
  const UnixMillis now = clock_.Now();
  for (;;) {
    // Read the feed without blocking searches; only applying it takes the bank exclusively.
    auto changes = partners_.HashChanges(cursor_, kPage);
    if (!changes.ok()) return changes.status();
    {
      std::unique_lock lock(mu_);
      for (const store::HashChange& change : *changes) {
        cursor_ = change.cursor;
        const auto id = static_cast<uint64_t>(change.hash_id);
        if (change.deleted) {
          bank_.Remove(id);
          continue;
        }
        auto hash = hashing::Hash256::FromHex(change.pdq);
        if (!hash.ok()) continue;  // the store validated it at intake; never match on damage
        bank_.Put({id, *hash, change.quality, 0});
      }
    }
    if (changes->size() < static_cast<size_t>(kPage)) break;
  }
  refreshed_at_.store(now);
  return Status::Ok();
}

Result<std::vector<PartnerBank::Hit>> PartnerBank::Search(const hashing::Hash256& query,
                                                          int radius) {
  if (refreshed_at_.load() < 0) {
    if (Status s = Refresh(); !s.ok()) return s;
  } else if (clock_.Now() - refreshed_at_.load() >= refresh_every_) {
    // One request refreshes; the others search the bank as it is rather than queue behind it.
    std::unique_lock refreshing(refresh_mu_, std::try_to_lock);
    if (refreshing.owns_lock()) {
      if (Status s = RefreshLocked(); !s.ok()) return s;
    }
  }
  std::shared_lock lock(mu_);
  std::vector<Hit> hits;
  for (const auto& m : bank_.Search(query, {.radius = radius})) {
    hits.push_back({static_cast<int64_t>(m.id), m.distance});
  }
  return hits;
}

size_t PartnerBank::size() const {
  std::shared_lock lock(mu_);
  return bank_.size();
}

}  // namespace takedown::casework
