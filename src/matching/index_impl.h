// Private to matching/: the index implementations behind MakeIndex.
#pragma once

#include <array>

#include "matching/huge_pages.h"
#include "matching/index.h"

namespace takedown::matching::internal {

// Sorts by distance, then position: the order every Search returns.
void SortMatches(std::vector<Match>* matches);

// Widths of the slots of a multi-index of `slots` slots: 256 / slots bits each, the first
// 256 % slots of them one bit wider.
std::vector<int> SlotWidths(int slots);

// How a multi-index searches at a radius: each slot's probe radius (-1: not probed) and the
// estimated work, in units of one candidate verified at random.
struct ProbePlan {
  std::vector<int> radii;
  double cost = 0;
};
ProbePlan PlanProbes(const std::vector<int>& widths, size_t hashes, int radius);

// Scans every hash. Memory: nothing beyond the hash array.
class FlatIndex : public Index {
 public:
  std::string_view name() const override { return "flat"; }
  void Build(std::span<const hashing::Hash256> hashes) override;
  void Rebind(std::span<const hashing::Hash256> same_hashes) override { hashes_ = same_hashes; }
  void Search(const hashing::Hash256& query, int radius, std::vector<Match>* out) const override;
  size_t MemoryBytes() const override { return 0; }
  Image Save() const override { return {}; }
  Result<std::vector<std::span<uint8_t>>> PrepareLoad(
      std::span<const uint64_t> descriptor, std::span<const hashing::Hash256> hashes) override;
  Status FinishLoad() override { return Status::Ok(); }

 private:
  std::span<const hashing::Hash256> hashes_;
};

// Multi-index hashing (Norouzi et al.), with the flexible pigeonhole bound: the 256 bits are split
// into `slots` contiguous ranges (the wider ones first), and each slot s gets a probe radius t_s
// with sum(t_s + 1) = R + 1. A stored hash within R of the query then differs from it in at most
// t_s bits in some slot s (otherwise the slots alone would differ in more than R bits), so probing,
// in every slot, the bucket values within t_s bits of the query's finds every candidate; each is
// then verified on all 256 bits. The t_s are spread by an estimate of each slot's cost (probes and
// the candidates they bring), so a slot may get -1 (not probed at all) at small radii.
//
// Buckets are compressed-sparse-row per slot: the positions (3 bytes each while the index holds
// fewer than 2^24 hashes, else 4) sorted by slot value, and each bucket's start as a 32-bit base
// per block of buckets plus a 16-bit offset within the block (the block is shrunk where a 16-bit
// offset would overflow). At 12 slots of 21-22 bits and 10 million hashes that is 36 bytes of
// positions and about 7 of bucket starts per hash.
class MultiIndex : public Index {
 public:
  explicit MultiIndex(int slots);

  std::string_view name() const override { return name_; }
  void Build(std::span<const hashing::Hash256> hashes) override;
  void Rebind(std::span<const hashing::Hash256> same_hashes) override { hashes_ = same_hashes; }
  void Search(const hashing::Hash256& query, int radius, std::vector<Match>* out) const override;
  size_t MemoryBytes() const override;
  // Descriptor: hash count, position bytes, then each slot's block shift.
  Image Save() const override;
  Result<std::vector<std::span<uint8_t>>> PrepareLoad(
      std::span<const uint64_t> descriptor, std::span<const hashing::Hash256> hashes) override;
  Status FinishLoad() override;

 private:
  struct Slot {
    int start = 0, width = 0;
    int block_shift = 0;        // buckets per block: 1 << block_shift
    size_t bucket_begin = 0;    // this slot's first entry in starts_low_
    size_t block_begin = 0;     // this slot's first entry in block_starts_
    size_t position_begin = 0;  // this slot's first byte in positions_
    uint32_t Value(const hashing::Hash256& h) const;
  };
  struct Probe {
    uint32_t bucket;
    uint32_t slot;
  };
  // Start of bucket `value` of `slot` in that slot's positions (value may be 1 << width: the end).
  uint32_t BucketStart(const Slot& slot, uint32_t value) const;
  uint32_t PositionAt(const Slot& slot, uint32_t entry) const;
  // Sets each slot's offsets into the arrays (block shifts already chosen) and sizes the arrays.
  void Lay();

  std::string name_;
  std::vector<Slot> slots_;
  std::span<const hashing::Hash256> hashes_;
  int position_bytes_ = 4;
  HugeVector<uint16_t> starts_low_;    // per slot: (1 << width) + 1 offsets within their block
  HugeVector<uint32_t> block_starts_;  // per slot: ((1 << width) >> block_shift) + 1 bases
  HugeVector<uint8_t> positions_;      // per slot: size() entries of position_bytes_, + padding
};

}  // namespace takedown::matching::internal
