// The exact scan: every stored hash's distance, computed with the CPU's popcount instruction where
// it has one (x86-64's baseline lacks it, and the portable bit-trick popcount is several times
// slower).
#include <algorithm>
#include <bit>

#include "matching/index_impl.h"

namespace takedown::matching::internal {
namespace {

#if defined(__x86_64__) && defined(__GNUC__)
#define TAKEDOWN_POPCNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define TAKEDOWN_POPCNT_CLONES
#endif

TAKEDOWN_POPCNT_CLONES void ScanAll(std::span<const hashing::Hash256> hashes,
                                    const hashing::Hash256& q, int radius,
                                    std::vector<Match>* out) {
  const uint64_t q0 = q.lanes[0], q1 = q.lanes[1], q2 = q.lanes[2], q3 = q.lanes[3];
  for (size_t i = 0; i < hashes.size(); ++i) {
    const auto& h = hashes[i].lanes;
    const int d = std::popcount(h[0] ^ q0) + std::popcount(h[1] ^ q1) + std::popcount(h[2] ^ q2) +
                  std::popcount(h[3] ^ q3);
    if (d <= radius) out->push_back({static_cast<uint32_t>(i), d});
  }
}

}  // namespace

void FlatIndex::Build(std::span<const hashing::Hash256> hashes) { hashes_ = hashes; }

void FlatIndex::Search(const hashing::Hash256& query, int radius, std::vector<Match>* out) const {
  out->clear();
  ScanAll(hashes_, query, radius, out);
  SortMatches(out);
}

Result<std::vector<std::span<uint8_t>>> FlatIndex::PrepareLoad(
    std::span<const uint64_t> descriptor, std::span<const hashing::Hash256> hashes) {
  if (!descriptor.empty()) return Corrupt("the flat index's image has a descriptor");
  hashes_ = hashes;
  return std::vector<std::span<uint8_t>>{};
}

void SortMatches(std::vector<Match>* matches) {
  std::sort(matches->begin(), matches->end(), [](const Match& a, const Match& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.position < b.position;
  });
}

}  // namespace takedown::matching::internal
