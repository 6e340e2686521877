// Hamming-radius search over PDQ hashes: "which stored hashes are within distance R of this one?",
// exactly (every hash within the radius, nothing else), at millions of hashes.
//
// FAISS-style: one abstract Index, implementations chosen by name. An index is built once over a
// caller-owned array of hashes and answers by position in that array; the bank that maps positions
// to ids, owners and qualities, and handles additions and removals, is built on top (issue 3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "hashing/pdq.h"

namespace takedown::matching {

// One stored hash found by a search.
struct Match {
  uint32_t position = 0;  // index into the hash array the index was built over
  int distance = 0;       // Hamming distance to the query, 0..256
  bool operator==(const Match&) const = default;
};

// Build is not thread-safe; Search is const and may run on many threads at once. The hash array
// must outlive the index and stay unchanged.
class Index {
 public:
  virtual ~Index() = default;

  virtual std::string_view name() const = 0;
  virtual void Build(std::span<const hashing::Hash256> hashes) = 0;
  // The same hashes now live at another address (a vector grew): no rebuild needed.
  virtual void Rebind(std::span<const hashing::Hash256> same_hashes) = 0;
  // Appends to *out every stored hash within `radius` (0..256) of `query`, sorted by distance,
  // then position. *out is cleared first.
  virtual void Search(const hashing::Hash256& query, int radius, std::vector<Match>* out) const = 0;
  // Memory the index holds beyond the hash array itself.
  virtual size_t MemoryBytes() const = 0;
};

// "flat": a scan of every hash (any radius). "multi16": a multi-index of 16 slots of 16 bits,
// exact at any radius but only fast up to about 47. Null for an unknown name.
std::unique_ptr<Index> MakeIndex(std::string_view name);

// The index to use for `count` hashes searched at `radius`: the multi-index where it visits far
// fewer candidates than a scan (radius < 48 and at least 10,000 hashes), the flat scan otherwise.
std::string_view ChooseIndex(size_t count, int radius);

}  // namespace takedown::matching
