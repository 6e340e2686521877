#include <algorithm>
#include <bit>

#include "matching/index_impl.h"

namespace takedown::matching::internal {
namespace {

uint32_t SlotValue(const hashing::Hash256& h, int slot) {
  return static_cast<uint32_t>((h.lanes[slot / 4] >> (16 * (slot % 4))) & 0xFFFF);
}

// All 16-bit masks ordered by how many bits they flip, so the masks within p bits are a prefix.
struct ProbeMasks {
  std::array<uint16_t, 1 << 16> masks;
  std::array<uint32_t, 18> prefix;  // prefix[p]: number of masks flipping fewer than p bits
};

const ProbeMasks& Masks() {
  static const ProbeMasks table = [] {
    ProbeMasks t{};
    uint32_t next = 0;
    for (int bits = 0; bits <= 16; ++bits) {
      t.prefix[bits] = next;
      for (uint32_t m = 0; m < (1u << 16); ++m) {
        if (std::popcount(m) == bits) t.masks[next++] = static_cast<uint16_t>(m);
      }
    }
    t.prefix[17] = next;
    return t;
  }();
  return table;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define TAKEDOWN_POPCNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define TAKEDOWN_POPCNT_CLONES
#endif

// Verifies a bucket's candidates, prefetching a few ahead: candidates are scattered through the
// hash array, so without it every one is a cache miss waited on in turn.
TAKEDOWN_POPCNT_CLONES void VerifyBucket(const hashing::Hash256* hashes, const uint32_t* begin,
                                         const uint32_t* end, const hashing::Hash256& q, int radius,
                                         std::vector<Match>* out) {
  constexpr int kAhead = 8;
  for (const uint32_t* p = begin; p < end; ++p) {
    if (end - p > kAhead) __builtin_prefetch(&hashes[p[kAhead]]);
    const auto& h = hashes[*p].lanes;
    const int d = std::popcount(h[0] ^ q.lanes[0]) + std::popcount(h[1] ^ q.lanes[1]) +
                  std::popcount(h[2] ^ q.lanes[2]) + std::popcount(h[3] ^ q.lanes[3]);
    if (d <= radius) out->push_back({*p, d});
  }
}

}  // namespace

void MultiIndex16::Build(std::span<const hashing::Hash256> hashes) {
  hashes_ = hashes;
  const size_t n = hashes.size();
  offsets_.assign(static_cast<size_t>(kSlots) * (kValues + 1), 0);
  positions_.resize(static_cast<size_t>(kSlots) * n);
  std::vector<uint32_t> cursor(kValues);
  for (int s = 0; s < kSlots; ++s) {
    uint32_t* offsets = offsets_.data() + static_cast<size_t>(s) * (kValues + 1);
    for (const auto& h : hashes) ++offsets[SlotValue(h, s) + 1];
    for (int v = 0; v < kValues; ++v) offsets[v + 1] += offsets[v];
    std::copy(offsets, offsets + kValues, cursor.begin());
    uint32_t* positions = positions_.data() + static_cast<size_t>(s) * n;
    for (size_t i = 0; i < n; ++i)
      positions[cursor[SlotValue(hashes[i], s)]++] = static_cast<uint32_t>(i);
  }
}

void MultiIndex16::Search(const hashing::Hash256& query, int radius,
                          std::vector<Match>* out) const {
  out->clear();
  if (radius < 0 || hashes_.empty()) return;
  const int probe_bits = std::min(radius / kSlots, 16);
  const ProbeMasks& masks = Masks();
  const uint32_t probes = masks.prefix[probe_bits + 1];
  const size_t n = hashes_.size();
  for (int s = 0; s < kSlots; ++s) {
    const uint32_t* offsets = offsets_.data() + static_cast<size_t>(s) * (kValues + 1);
    const uint32_t* positions = positions_.data() + static_cast<size_t>(s) * n;
    const uint32_t value = SlotValue(query, s);
    for (uint32_t i = 0; i < probes; ++i) {
      const uint32_t probe = value ^ masks.masks[i];
      VerifyBucket(hashes_.data(), positions + offsets[probe], positions + offsets[probe + 1],
                   query, radius, out);
    }
  }
  // A hash close to the query in several slots was found once per slot.
  std::sort(out->begin(), out->end(),
            [](const Match& a, const Match& b) { return a.position < b.position; });
  out->erase(std::unique(out->begin(), out->end()), out->end());
  SortMatches(out);
}

size_t MultiIndex16::MemoryBytes() const {
  return (offsets_.capacity() + positions_.capacity()) * sizeof(uint32_t);
}

}  // namespace takedown::matching::internal
