// Hashing an image file end to end: read (with a size limit), decode, PDQ (optionally with the 8
// dihedral variants), the region signals (hashing/signals.h), MD5 and SHA-256 of the bytes. What
// `takedown hash`, the benchmarks and later the crawler share, so that every path produces the same
// record for the same bytes.
#pragma once

#include <filesystem>
#include <optional>
#include <span>

#include "base/status.h"
#include "hashing/digest.h"
#include "hashing/pdq.h"
#include "hashing/signals.h"
#include "media/media.h"

namespace takedown::hashfile {

struct HashOptions {
  media::DecodeOptions decode;
  uint64_t max_file_bytes = 256ull << 20;
  bool dihedral = false;         // also compute the 8 dihedral variants
  bool digests = true;           // MD5 and SHA-256 of the file bytes
  bool signals = false;          // also the region signals
  bool signal_variants = false;  // and the 8 dihedral variants of each region (for queries)
  hashing::RegionChoice signal_regions = hashing::RegionChoice::kAll;
};

struct ImageHashRecord {
  media::ImageFormat format = media::ImageFormat::kUnknown;
  int width = 0;  // the image's own size
  int height = 0;
  hashing::PdqHash pdq;
  std::optional<std::array<hashing::Hash256, 8>> dihedral;  // set when options.dihedral
  hashing::FileDigests digests;                             // empty when !options.digests
  // With options.signals: the region signals, or why the image has none (too small, one colour,
  // all border); the PDQ above is still valid then.
  std::optional<hashing::ImageSignals> signals;
  Status signals_status;
};

// Keeps one PDQ hasher's scratch buffers between files. Not thread-safe: one per thread.
class ImageFileHasher {
 public:
  explicit ImageFileHasher(HashOptions options) : options_(options) {}

  Result<ImageHashRecord> HashBytes(std::span<const uint8_t> bytes);
  Result<ImageHashRecord> HashFile(const std::filesystem::path& path);

  const HashOptions& options() const { return options_; }

 private:
  HashOptions options_;
  hashing::PdqHasher hasher_;
  hashing::SignalExtractor extractor_;
};

}  // namespace takedown::hashfile
