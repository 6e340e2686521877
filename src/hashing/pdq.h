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

// 8-bit pixels as the hasher reads them: 1 channel (grey, used as luminance unchanged) or 3 (R,G,B),
// rows top to bottom, `stride` bytes apart.
struct PixelView {
  const uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int channels = 3;
  size_t stride = 0;
};

// Computes PDQ hashes. Keeps its scratch buffers between calls so hashing many images allocates
// once. Not thread-safe: use one hasher per thread.
class PdqHasher {
 public:
  PdqHash Hash(const PixelView& pixels);
  PdqDihedralHashes HashDihedral(const PixelView& pixels);

  // For callers that already hold a luminance plane (rows x cols floats, row-major). The plane is
  // used as scratch space and overwritten.
  PdqHash HashLuminance(float* luma, int rows, int cols);
  PdqDihedralHashes HashLuminanceDihedral(float* luma, int rows, int cols);

 private:
  // Fills dct_ (16x16) and returns the quality; false when the image is too small to hash.
  bool Transform(float* luma, int rows, int cols, int* quality);
  float* LoadLuminance(const PixelView& pixels);

  std::vector<float> luma_;
  std::vector<float> scratch_;
  std::array<float, 256> dct_{};
};

// The luminance the spec prescribes for one RGB pixel, in its exact float order.
inline float Luminance(uint8_t r, uint8_t g, uint8_t b) {
  return (0.299f * static_cast<float>(r) + 0.587f * static_cast<float>(g)) +
         0.114f * static_cast<float>(b);
}

}  // namespace takedown::hashing
