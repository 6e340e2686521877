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
          regions_.Remove(id);
          continue;
        }
        auto hash = hashing::Hash256::FromHex(change.pdq);
        if (!hash.ok()) continue;  // the store validated it at intake; never match on damage
        bank_.Put({id, *hash, change.quality, 0});
      }
    }
    if (changes->size() < static_cast<size_t>(kPage)) break;
  }
  // The region signals of hashes shared since: ids are handed out in commit order, and a hash
  // erased after this read is dropped by its deletion in the feed at the next refresh.
  for (;;) {
    auto shared = partners_.SharedHashes(region_cursor_, kPage);
    if (!shared.ok()) return shared.status();
    {
      std::unique_lock lock(mu_);
      for (const domain::MediaHash& h : *shared) {
        region_cursor_ = h.id;
        if (h.regions.empty()) continue;
        auto signals = matching::RegionsFromText(h.regions);
        if (signals.ok()) (void)regions_.Put(static_cast<uint64_t>(h.id), 0, *signals);
      }
    }
    if (shared->size() < static_cast<size_t>(kPage)) break;
  }
  refreshed_at_.store(now);
  return Status::Ok();
}

Result<std::vector<PartnerBank::Hit>> PartnerBank::Search(const matching::ImageQuery& query,
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
  matching::ImageMatchOptions options;
  options.pdq.radius = radius;
  std::shared_lock lock(mu_);
  std::vector<Hit> hits;
  for (matching::ImageMatch& m : matching::MatchImage(bank_, regions_, query, options)) {
    const bool pdq = m.pdq.has_value();
    hits.push_back({static_cast<int64_t>(m.id), pdq ? m.pdq->distance : m.regions.front().distance,
                    m.signal(), m.AllowsAutomaticAction(),
                    pdq ? std::vector<matching::RegionEvidence>() : std::move(m.regions)});
  }
  return hits;
}

size_t PartnerBank::size() const {
  std::shared_lock lock(mu_);
  return bank_.size();
}

}  // namespace takedown::casework
