#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "matching/index_impl.h"

namespace takedown::matching::internal {
namespace {

#if defined(__x86_64__) && defined(__GNUC__)
#define TAKEDOWN_POPCNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define TAKEDOWN_POPCNT_CLONES
#endif

// How many values lie within t bits of one w-bit value: sum of C(w, i) for i <= t.
double ProbeCount(int width, int t) {
  double total = 0, choose = 1;
  for (int i = 0; i <= t && i <= width; ++i) {
    total += choose;
    choose = choose * (width - i) / (i + 1);
  }
  return total;
}

// Calls visit(mask) for every `width`-bit mask with exactly `bits` bits set (Gosper's hack).
template <typename Visit>
void ForEachMask(int width, int bits, Visit visit) {
  if (bits == 0) {
    visit(0u);
    return;
  }
  const uint64_t limit = uint64_t{1} << width;
  for (uint64_t m = (uint64_t{1} << bits) - 1; m < limit;) {
    visit(static_cast<uint32_t>(m));
    const uint64_t lowest = m & -m;
    const uint64_t ripple = m + lowest;
    m = (((ripple ^ m) >> 2) / lowest) | ripple;
  }
}

// Verifies candidates whose hashes were prefetched when they were gathered.
TAKEDOWN_POPCNT_CLONES void Verify(const hashing::Hash256* hashes, const uint32_t* begin,
                                   const uint32_t* end, const hashing::Hash256& q, int radius,
                                   std::vector<Match>* out) {
  for (const uint32_t* p = begin; p < end; ++p) {
    const auto& h = hashes[*p].lanes;
    const int d = std::popcount(h[0] ^ q.lanes[0]) + std::popcount(h[1] ^ q.lanes[1]) +
                  std::popcount(h[2] ^ q.lanes[2]) + std::popcount(h[3] ^ q.lanes[3]);
    if (d <= radius) out->push_back({*p, d});
  }
}

// Candidates are gathered (and their hashes prefetched) in chunks this large, then verified:
// enough independent fetches in flight to keep the memory system busy, few enough (64 KB of
// hashes) that they are still in the cache when verified.
constexpr size_t kChunk = 1024;
// Blocks of bucket starts hold at most this many buckets (1 << 8): 4 bytes of base per 256.
constexpr int kMaxBlockShift = 8;

}  // namespace

std::vector<int> SlotWidths(int slots) {
  std::vector<int> widths;
  for (int s = 0; s < slots; ++s) widths.push_back(256 / slots + (s < 256 % slots ? 1 : 0));
  return widths;
}

// Spreads the R + 1 units of the pigeonhole bound over the slots, each to the slot where it adds
// the least estimated work: the probes it adds, each a bucket lookup plus the candidates a bucket
// of that width holds on average. A unit takes a slot from t to t + 1 (-1: not probed).
ProbePlan PlanProbes(const std::vector<int>& widths, size_t hashes, int radius) {
  constexpr double kLookupCost = 2.0;  // a bucket lookup costs about two candidate checks
  const double n = static_cast<double>(hashes);
  auto cost = [&](size_t s, int radius_in_slot) {
    return ProbeCount(widths[s], radius_in_slot) *
           (kLookupCost + n / static_cast<double>(uint64_t{1} << widths[s]));
  };
  ProbePlan plan;
  plan.radii.assign(widths.size(), -1);
  for (int unit = 0; unit <= radius; ++unit) {
    size_t best = widths.size();
    double best_cost = 0;
    for (size_t s = 0; s < widths.size(); ++s) {
      if (plan.radii[s] >= widths[s]) continue;  // already probes every value
      const double added = cost(s, plan.radii[s] + 1) - cost(s, plan.radii[s]);
      if (best == widths.size() || added < best_cost) best = s, best_cost = added;
    }
    if (best == widths.size()) break;  // radius >= 256: every slot probes everything
    ++plan.radii[best];
    plan.cost += best_cost;
  }
  return plan;
}

MultiIndex::MultiIndex(int slots) : name_("multi" + std::to_string(slots)) {
  int start = 0;
  for (int width : SlotWidths(slots)) {
    Slot slot;
    slot.start = start;
    slot.width = width;
    start += width;
    slots_.push_back(slot);
  }
}

uint32_t MultiIndex::Slot::Value(const hashing::Hash256& h) const {
  const int lane = start / 64, shift = start % 64;
  uint64_t bits = h.lanes[lane] >> shift;
  if (shift + width > 64) bits |= h.lanes[lane + 1] << (64 - shift);
  return static_cast<uint32_t>(bits & ((uint64_t{1} << width) - 1));
}

uint32_t MultiIndex::BucketStart(const Slot& slot, uint32_t value) const {
  return block_starts_[slot.block_begin + (value >> slot.block_shift)] +
         starts_low_[slot.bucket_begin + value];
}

uint32_t MultiIndex::PositionAt(const Slot& slot, uint32_t entry) const {
  uint32_t p;
  std::memcpy(&p, positions_.data() + slot.position_begin + size_t{entry} * position_bytes_, 4);
  return position_bytes_ == 4 ? p : p & 0xFFFFFF;
}

void MultiIndex::Lay() {
  const size_t n = hashes_.size();
  size_t buckets = 0, blocks = 0;
  for (size_t s = 0; s < slots_.size(); ++s) {
    Slot& slot = slots_[s];
    const size_t values = size_t{1} << slot.width;
    slot.bucket_begin = buckets;
    slot.block_begin = blocks;
    slot.position_begin = s * n * position_bytes_;
    buckets += values + 1;
    blocks += (values >> slot.block_shift) + 1;
  }
  // Left unset (HugeVector): Build writes every entry, and PrepareLoad's caller reads them in.
  starts_low_.resize(buckets);
  block_starts_.resize(blocks);
  positions_.resize(slots_.size() * n * position_bytes_ + 4);  // + 4: PositionAt reads 4 bytes
  std::fill(positions_.end() - 4, positions_.end(), 0);
}

void MultiIndex::Build(std::span<const hashing::Hash256> hashes) {
  hashes_ = hashes;
  const size_t n = hashes.size();
  position_bytes_ = n <= (size_t{1} << 24) ? 3 : 4;
  // Bucket counts per slot first: they decide each slot's block size.
  std::vector<std::vector<uint32_t>> starts(slots_.size());
  for (size_t s = 0; s < slots_.size(); ++s) {
    Slot& slot = slots_[s];
    const uint32_t values = uint32_t{1} << slot.width;
    std::vector<uint32_t>& start = starts[s];
    start.assign(values + 1, 0);
    for (const auto& h : hashes) ++start[slot.Value(h) + 1];
    for (uint32_t v = 0; v < values; ++v) start[v + 1] += start[v];
    // The largest block whose buckets all start within 65,535 entries of the block's start.
    slot.block_shift = kMaxBlockShift;
    for (; slot.block_shift > 0; --slot.block_shift) {
      bool fits = true;
      for (uint32_t b = 0; b < values && fits; b += 1u << slot.block_shift) {
        const uint32_t last = std::min(values, b + (1u << slot.block_shift)) - 1;
        fits = start[last] - start[b] <= 0xFFFF;
      }
      if (fits) break;
    }
  }
  Lay();
  for (size_t s = 0; s < slots_.size(); ++s) {
    const Slot& slot = slots_[s];
    const uint32_t values = uint32_t{1} << slot.width;
    std::vector<uint32_t>& start = starts[s];
    for (uint32_t v = 0; v <= values; ++v) {
      const size_t block = slot.block_begin + (v >> slot.block_shift);
      if (v % (1u << slot.block_shift) == 0) block_starts_[block] = start[v];
      starts_low_[slot.bucket_begin + v] = static_cast<uint16_t>(start[v] - block_starts_[block]);
    }
    uint8_t* positions = positions_.data() + slot.position_begin;
    for (size_t i = 0; i < n; ++i) {
      const uint32_t entry = start[slot.Value(hashes[i])]++;
      const auto position = static_cast<uint32_t>(i);
      std::memcpy(positions + size_t{entry} * position_bytes_, &position, position_bytes_);
    }
    start = {};
  }
}

Index::Image MultiIndex::Save() const {
  Image image;
  image.descriptor = {hashes_.size(), static_cast<uint64_t>(position_bytes_)};
  for (const Slot& slot : slots_) image.descriptor.push_back(slot.block_shift);
  image.arrays = {
      {reinterpret_cast<const uint8_t*>(starts_low_.data()), starts_low_.size() * 2},
      {reinterpret_cast<const uint8_t*>(block_starts_.data()), block_starts_.size() * 4},
      {positions_.data(), positions_.size()}};
  return image;
}

Result<std::vector<std::span<uint8_t>>> MultiIndex::PrepareLoad(
    std::span<const uint64_t> descriptor, std::span<const hashing::Hash256> hashes) {
  if (descriptor.size() != 2 + slots_.size() || descriptor[0] != hashes.size() ||
      descriptor[1] != (hashes.size() <= (size_t{1} << 24) ? 3u : 4u)) {
    return Corrupt("the " + name_ + " index does not fit the bank's hashes");
  }
  for (size_t s = 0; s < slots_.size(); ++s) {
    if (descriptor[2 + s] > kMaxBlockShift) return Corrupt("the " + name_ + " index is damaged");
    slots_[s].block_shift = static_cast<int>(descriptor[2 + s]);
  }
  hashes_ = hashes;
  position_bytes_ = static_cast<int>(descriptor[1]);
  Lay();
  return std::vector<std::span<uint8_t>>{
      {reinterpret_cast<uint8_t*>(starts_low_.data()), starts_low_.size() * 2},
      {reinterpret_cast<uint8_t*>(block_starts_.data()), block_starts_.size() * 4},
      {positions_.data(), positions_.size()}};
}

Status MultiIndex::FinishLoad() {
  const Status damaged = Corrupt("the " + name_ + " index is damaged");
  const size_t n = hashes_.size();
  for (const Slot& slot : slots_) {
    const uint32_t values = uint32_t{1} << slot.width;
    // Bucket starts must run from 0 to n without going back, so every bucket lies in the slot.
    uint32_t previous = 0;
    for (uint32_t v = 0; v <= values; ++v) {
      const uint64_t start = uint64_t{block_starts_[slot.block_begin + (v >> slot.block_shift)]} +
                             starts_low_[slot.bucket_begin + v];
      if (start < previous || start > n) return damaged;
      previous = static_cast<uint32_t>(start);
    }
    if (previous != n || BucketStart(slot, 0) != 0) return damaged;
    for (uint32_t entry = 0; entry < n; ++entry) {
      if (PositionAt(slot, entry) >= n) return damaged;
    }
  }
  return Status::Ok();
}

void MultiIndex::Search(const hashing::Hash256& query, int radius, std::vector<Match>* out) const {
  out->clear();
  if (radius < 0 || hashes_.empty()) return;
  std::vector<int> widths;
  for (const Slot& slot : slots_) widths.push_back(slot.width);
  const std::vector<int> probe_radii = PlanProbes(widths, hashes_.size(), radius).radii;
  // Three passes, so that each pass's memory accesses are independent of one another and many
  // are in flight at once: the buckets to probe (their starts prefetched), then the non-empty
  // buckets (their positions prefetched), then the candidates (their hashes prefetched), verified
  // a chunk at a time.
  std::vector<Probe> probes;
  for (uint32_t s = 0; s < slots_.size(); ++s) {
    const Slot& slot = slots_[s];
    const uint32_t value = slot.Value(query);
    for (int bits = 0; bits <= probe_radii[s]; ++bits) {
      ForEachMask(slot.width, bits, [&](uint32_t mask) {
        const uint32_t bucket = value ^ mask;
        __builtin_prefetch(&starts_low_[slot.bucket_begin + bucket]);
        __builtin_prefetch(&block_starts_[slot.block_begin + (bucket >> slot.block_shift)]);
        probes.push_back({bucket, s});
      });
    }
  }
  struct Range {
    uint32_t begin, end, slot;
  };
  std::vector<Range> ranges;
  ranges.reserve(probes.size());
  for (const Probe& probe : probes) {
    const Slot& slot = slots_[probe.slot];
    const uint32_t begin = BucketStart(slot, probe.bucket);
    const uint32_t end = BucketStart(slot, probe.bucket + 1);
    if (begin == end) continue;
    __builtin_prefetch(positions_.data() + slot.position_begin + size_t{begin} * position_bytes_);
    ranges.push_back({begin, end, probe.slot});
  }
  std::vector<uint32_t> candidates;
  candidates.reserve(kChunk + 64);
  auto verify = [&] {
    Verify(hashes_.data(), candidates.data(), candidates.data() + candidates.size(), query, radius,
           out);
    candidates.clear();
  };
  for (const Range& range : ranges) {
    const Slot& slot = slots_[range.slot];
    for (uint32_t entry = range.begin; entry < range.end; ++entry) {
      const uint32_t position = PositionAt(slot, entry);
      __builtin_prefetch(&hashes_[position]);
      candidates.push_back(position);
      if (candidates.size() == kChunk) verify();
    }
  }
  verify();
  // A hash close to the query in several slots was found once per slot.
  std::sort(out->begin(), out->end(),
            [](const Match& a, const Match& b) { return a.position < b.position; });
  out->erase(std::unique(out->begin(), out->end()), out->end());
  SortMatches(out);
}

size_t MultiIndex::MemoryBytes() const {
  return starts_low_.capacity() * sizeof(uint16_t) + block_starts_.capacity() * sizeof(uint32_t) +
         positions_.capacity();
}

}  // namespace takedown::matching::internal
