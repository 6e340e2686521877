// PDQ perceptual hashing, exactly as ../shared/spec/pdq.md defines it.
//
// Pure computation: no I/O, no allocation beyond the hasher's own scratch buffers, and it builds
// with emscripten for the browser. Media decoding lives in media/; this module only sees pixels.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace takedown::hashing {

// A 256-bit PDQ hash. Bit k (0..255) is bit (k & 63) of lanes[k >> 6], which is also bit (k & 15)
// of the spec's 16-bit word k >> 4. A plain value: copy freely.
struct Hash256 {
  std::array<uint64_t, 4> lanes{};

  bool bit(int k) const { return (lanes[k >> 6] >> (k & 63)) & 1; }
  void set_bit(int k) { lanes[k >> 6] |= uint64_t{1} << (k & 63); }

  // 64 lowercase hex characters, word 15 first (the format of every PDQ hash list).
  std::string ToHex() const;
  // Accepts exactly 64 hex characters in either case; anything else is kInvalidArgument.
  static Result<Hash256> FromHex(std::string_view hex);

  bool operator==(const Hash256&) const = default;
};

// Number of differing bits, 0..256.
int HammingDistance(const Hash256& a, const Hash256& b);

// The published PDQ match threshold (distance <= 31) and the quality below which a hash is too weak
// to act on.
inline constexpr int kDefaultMatchDistance = 31;
inline constexpr int kMinUsefulQuality = 50;

// The eight dihedral variants in the spec's order (section 4).
enum class Dihedral { kOrig, kRot90, kRot180, kRot270, kFlipX, kFlipY, kFlipP, kFlipM };
inline constexpr std::array<std::string_view, 8> kDihedralNames = {
    "orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipp", "flipm"};

struct PdqHash {
  Hash256 hash;
  int quality = 0;  // 0..100
};

struct PdqDihedralHashes {
  std::array<Hash256, 8> hashes;  // indexed by Dihedral
  int quality = 0;
};

// 8-bit pixels as the hasher reads them: 1 channel (grey, used as luminance unchanged) or 3
// (R,G,B), rows top to bottom, `stride` bytes apart.
struct PixelView {
  const uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int channels = 3;
  size_t stride = 0;
};

namespace internal {
// The spec's box window along a line of `length` samples (section 3.2).
struct BoxWindow {
  int before_enter = 0;  // floor(w/2): samples summed before output 0; lead of the entering one
  int lag = 0;           // ceil(w/2): how far behind output k the leaving sample is
  int length = 0;
  float Count(int k) const;  // samples inside the window of output k
};
}  // namespace internal

// Computes PDQ hashes, whole images at once or streamed row by row (as a decoder produces them).
// Rows pass through the blur in strips of 8, so the scratch memory is a few dozen rows, never a
// float copy of the image; it is kept between images so hashing many allocates once.
// Not thread-safe: use one hasher per thread.
class PdqHasher {
 public:
  PdqHash Hash(const PixelView& pixels);
  PdqDihedralHashes HashDihedral(const PixelView& pixels);

  // Streaming: Begin, then AddRow once per row top to bottom (width * channels bytes, 1 or 3
  // channels), then FinishHash or FinishDihedral. Finishing before every row was added gives the
  // all-zero hash with quality 0.
  void Begin(int width, int height, int channels);
  void AddRow(const uint8_t* row);
  PdqHash FinishHash();
  PdqDihedralHashes FinishDihedral();

 private:
  void AddPixels(const PixelView& pixels);
  float* RingRow(int r);
  void FirstHorizontal(int r0);
  void FirstVertical(int available);
  void SecondHorizontal(int r0);
  // Fills dct_ (16x16) and the quality; false when there is nothing to hash.
  bool Finish(int* quality);

  int rows_ = 0, cols_ = 0, channels_ = 3;
  int rows_added_ = 0, vertical_done_ = 0, ring_rows_ = 0;
  internal::BoxWindow along_row_, along_col_;
  std::array<int, 64> sample_rows_{}, sample_cols_{};
  std::vector<float> luma_rows_;  // up to 8 rows of luminance, row-major
  std::vector<float> strip_;      // the same rows transposed: strip_[c * 8 + l] is row l, column c
  std::vector<float> ring_;       // recent rows after the first horizontal pass
  std::vector<float> spare_row_;  // where lanes past the last row write
  std::vector<float> col_sums_;   // running sums of the first vertical pass
  std::vector<float> vertical_;   // first-vertical-pass rows of one strip, transposed like strip_
  std::vector<float> second_;     // second horizontal pass, kept only at the 64 sampled columns
  std::array<float, 256> dct_{};
};

// The luminance the spec prescribes for one RGB pixel, in its exact float order.
inline float Luminance(uint8_t r, uint8_t g, uint8_t b) {
  return (0.299f * static_cast<float>(r) + 0.587f * static_cast<float>(g)) +
         0.114f * static_cast<float>(b);
}

}  // namespace takedown::hashing
