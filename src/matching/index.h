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

  // Persistence, so that a bank file can carry a built index and loading skips the rebuild: a
  // few numbers that describe the index, and its large arrays, written verbatim.
  struct Image {
    std::vector<uint64_t> descriptor;
    std::vector<std::span<const uint8_t>> arrays;
  };
  virtual Image Save() const = 0;
  // Sizes the arrays an image with this descriptor has, over the hashes it was built over, and
  // returns them for the caller to fill; then FinishLoad checks that the filled arrays are safe to
  // search (every bucket and position in range), so that a damaged image is refused, never read
  // out of bounds. Both fail with kCorrupt.
  virtual Result<std::vector<std::span<uint8_t>>> PrepareLoad(
      std::span<const uint64_t> descriptor, std::span<const hashing::Hash256> hashes) = 0;
  virtual Status FinishLoad() = 0;
};

// "flat": a scan of every hash. "multi<S>" (S = 11..32): a multi-index of S slots of 256/S bits,
// best at radii well below 256/S * S/4. Both are exact at any radius 0..256. Null for an unknown
// name.
std::unique_ptr<Index> MakeIndex(std::string_view name);

// The index to use for `count` hashes searched at `radius`: the one with the least estimated work
// per query (a scan, or the multi-index whose slot width suits the count), with the multi-index's
// bucket starts kept to 8 bytes per hash.
std::string_view ChooseIndex(size_t count, int radius);

}  // namespace takedown::matching
