// Private to matching/: the index implementations behind MakeIndex.
#pragma once

#include <array>

#include "matching/huge_pages.h"
#include "matching/index.h"

namespace takedown::matching::internal {

// Sorts by distance, then position: the order every Search returns.
void SortMatches(std::vector<Match>* matches);

// Scans every hash. Memory: nothing beyond the hash array.
class FlatIndex : public Index {
 public:
  std::string_view name() const override { return "flat"; }
  void Build(std::span<const hashing::Hash256> hashes) override;
  void Rebind(std::span<const hashing::Hash256> same_hashes) override { hashes_ = same_hashes; }
  void Search(const hashing::Hash256& query, int radius, std::vector<Match>* out) const override;
  size_t MemoryBytes() const override { return 0; }

 private:
  std::span<const hashing::Hash256> hashes_;
};

// Multi-index hashing (Norouzi et al.): the 256 bits split into 16 slots of 16 bits (the spec's
// 16 words). If a stored hash is within radius R of the query, then by the pigeonhole principle at
// least one slot differs in at most floor(R / 16) bits, so probing, in every slot, the values
// within that many bits of the query's finds every candidate; each is then verified on all 256
// bits. Buckets are compressed-sparse-row: per slot, 65,537 offsets and the positions sorted by
// slot value (4 bytes per hash per slot: 64 bytes per hash).
class MultiIndex16 : public Index {
 public:
  static constexpr int kSlots = 16;
  static constexpr int kValues = 1 << 16;

  std::string_view name() const override { return "multi16"; }
  void Build(std::span<const hashing::Hash256> hashes) override;
  void Rebind(std::span<const hashing::Hash256> same_hashes) override { hashes_ = same_hashes; }
  void Search(const hashing::Hash256& query, int radius, std::vector<Match>* out) const override;
  size_t MemoryBytes() const override;

 private:
  std::span<const hashing::Hash256> hashes_;
  HugeVector<uint32_t> offsets_;    // kSlots * (kValues + 1)
  HugeVector<uint32_t> positions_;  // kSlots * hashes_.size()
};

}  // namespace takedown::matching::internal
