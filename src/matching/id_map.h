// Private to matching/: the bank's id -> position map.
//
// Written by hand because the bank file stores this map as it lies in memory, so that loading 10
// million entries is one read instead of 10 million insertions (std::unordered_map also spends a
// heap node per entry, about 5 seconds and 40+ bytes per entry at that size; no Debian hash table
// can be filled from a file). Open addressing with linear probing and backward-shift deletion (no
// tombstones), at most 3/4 full: 12 bytes per slot, about 20 bytes per entry.
//
// Not thread-safe for writers; concurrent Find calls are fine.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "base/status.h"
#include "matching/huge_pages.h"

namespace takedown::matching::internal {

class IdMap {
 public:
  size_t size() const { return size_; }
  size_t capacity() const { return ids_.size(); }

  std::optional<uint32_t> Find(uint64_t id) const;
  // Inserts or overwrites.
  void Set(uint64_t id, uint32_t position);
  // False (and no change) when the id is already present.
  bool Insert(uint64_t id, uint32_t position);
  bool Erase(uint64_t id);
  // Empties the map, sized for `entries` without growing.
  void Reset(size_t entries);

  // Persistence: the two slot arrays (ids, and position + 1 with 0 for an empty slot).
  std::span<const uint8_t> IdBytes() const;
  std::span<const uint8_t> PositionBytes() const;
  // Sizes the arrays for `capacity` slots (a power of two, or 0 for a map never written to) so
  // that the caller can read them in, then Adopt checks them against the bank's id column: every
  // position below `ids.size()` exactly once, each under its own id, each reachable from its id's
  // home slot. kCorrupt if not.
  Status PrepareLoad(uint64_t capacity, std::span<uint8_t>* id_bytes,
                     std::span<uint8_t>* position_bytes);
  Status Adopt(std::span<const uint64_t> ids);

 private:
  size_t Home(uint64_t id) const;
  size_t FindSlot(uint64_t id) const;  // the id's slot, or the empty slot that ends its run
  void Grow();

  HugeVector<uint64_t> ids_;
  HugeVector<uint32_t> positions_;  // position + 1; 0: empty
  size_t size_ = 0;
  int shift_ = 64;  // 64 - log2(capacity), for Home
};

}  // namespace takedown::matching::internal
