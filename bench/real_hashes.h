// Real PDQ hashes for the matching benchmark: the dev corpus photos under many transformations,
// so the bits have the correlations and clusters of a real hash list (uniform random hashes have
// neither, and fill the multi-index's buckets evenly).
#pragma once

#include <string>
#include <vector>

#include "hashing/pdq.h"

namespace takedown::bench {

struct RealHashes {
  std::vector<hashing::Hash256> stored;
  // Half are new transformations of photos whose other variants are stored (they should match
  // many), half of photos kept out of the stored set (they should match few or none).
  std::vector<hashing::Hash256> queries;
  size_t photos = 0;
};

// Decodes every photo under `corpus` once (as grey, short side 256 px), then hashes random
// variants (crop to 92-100% of each side, rescale to 40-100%, contrast +-15%, brightness +-15,
// gamma 0.85-1.2, noise up to +-5), each in its 8 dihedral orientations, until `count` hashes are
// stored. Runs on `threads` threads and is deterministic. Empty when the corpus has no decodable
// photo.
RealHashes MakeRealHashes(const std::string& corpus, size_t count, size_t queries, int threads);

}  // namespace takedown::bench
