// Takedown's own image signals beside PDQ, for copies that PDQ alone misses: crops, borders
// (letterbox, pillarbox, caption bars, phone screenshot frames), collages and stickers.
//
// The image is reduced once to a small grey plane (at most kPlaneLongSide pixels on its long side),
// uniform or blurred borders are trimmed from it, and a fixed table of overlapping regions of what
// is left (the whole content, centre, corner and edge crops, halves, thirds, quadrants) is each
// hashed like PDQ: a 64x64 area average, PDQ's 16x16 DCT, its quality and its median threshold.
// The region hashes are not PDQ hashes (PDQ blurs differently) and never leave Takedown.
//
// Pure computation, integer arithmetic up to the 64x64 samples and then PDQ's float order, so
// the browser's WebAssembly build computes the same bits (tests/wasm).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "hashing/pdq.h"

namespace takedown::hashing {

// The grey plane's long side is between this and twice this (an integer reduction factor).
inline constexpr int kPlaneLongSide = 256;
// The name of a region (RegionHash::region), "untrimmed:" prefixed for the untrimmed image's,
// and back (nullopt for a name that is none).
std::string RegionName(int region);
std::optional<int> RegionFromName(std::string_view name);
// Whether a region is stored in banks (RegionSpec::stored).
bool IsStoredRegion(int region);
// Images smaller than this on either side have no region signals.
inline constexpr int kMinSignalSide = 16;

// A rectangle in pixels of the image.
struct Box {
  int x = 0, y = 0, width = 0, height = 0;
  bool operator==(const Box&) const = default;
};

// One region of the content box, in 1/1000ths of its width and height.
struct RegionSpec {
  std::string_view name;
  int x0, y0, x1, y1;
  // Stored regions are banked. Every region is; the flag keeps the choice in the table.
  bool stored;
};
// The whole content; crops centred and in each corner keeping 98% down to 84% of each side (70%
// of the area) in steps of 2%, because a region hash tolerates only about 1% of scale change;
// then the cells of 2x2, 3x1, 1x3 and 2x1 collages.
inline constexpr std::array<RegionSpec, 55> kRegions = {{
    {"whole", 0, 0, 1000, 1000, true},
    {"centre98", 10, 10, 990, 990, true},
    {"topleft98", 0, 0, 980, 980, true},
    {"topright98", 20, 0, 1000, 980, true},
    {"bottomleft98", 0, 20, 980, 1000, true},
    {"bottomright98", 20, 20, 1000, 1000, true},
    {"centre96", 20, 20, 980, 980, true},
    {"topleft96", 0, 0, 960, 960, true},
    {"topright96", 40, 0, 1000, 960, true},
    {"bottomleft96", 0, 40, 960, 1000, true},
    {"bottomright96", 40, 40, 1000, 1000, true},
    {"centre94", 30, 30, 970, 970, true},
    {"topleft94", 0, 0, 940, 940, true},
    {"topright94", 60, 0, 1000, 940, true},
    {"bottomleft94", 0, 60, 940, 1000, true},
    {"bottomright94", 60, 60, 1000, 1000, true},
    {"centre92", 40, 40, 960, 960, true},
    {"topleft92", 0, 0, 920, 920, true},
    {"topright92", 80, 0, 1000, 920, true},
    {"bottomleft92", 0, 80, 920, 1000, true},
    {"bottomright92", 80, 80, 1000, 1000, true},
    {"centre90", 50, 50, 950, 950, true},
    {"topleft90", 0, 0, 900, 900, true},
    {"topright90", 100, 0, 1000, 900, true},
    {"bottomleft90", 0, 100, 900, 1000, true},
    {"bottomright90", 100, 100, 1000, 1000, true},
    {"centre88", 60, 60, 940, 940, true},
    {"topleft88", 0, 0, 880, 880, true},
    {"topright88", 120, 0, 1000, 880, true},
    {"bottomleft88", 0, 120, 880, 1000, true},
    {"bottomright88", 120, 120, 1000, 1000, true},
    {"centre86", 70, 70, 930, 930, true},
    {"topleft86", 0, 0, 860, 860, true},
    {"topright86", 140, 0, 1000, 860, true},
    {"bottomleft86", 0, 140, 860, 1000, true},
    {"bottomright86", 140, 140, 1000, 1000, true},
    {"centre84", 80, 80, 920, 920, true},
    {"topleft84", 0, 0, 840, 840, true},
    {"topright84", 160, 0, 1000, 840, true},
    {"bottomleft84", 0, 160, 840, 1000, true},
    {"bottomright84", 160, 160, 1000, 1000, true},
    {"quadrant1", 0, 0, 500, 500, true},
    {"quadrant2", 500, 0, 1000, 500, true},
    {"quadrant3", 0, 500, 500, 1000, true},
    {"quadrant4", 500, 500, 1000, 1000, true},
    {"column1", 0, 0, 333, 1000, true},
    {"column2", 333, 0, 667, 1000, true},
    {"column3", 667, 0, 1000, 1000, true},
    {"row1", 0, 0, 1000, 333, true},
    {"row2", 0, 333, 1000, 667, true},
    {"row3", 0, 667, 1000, 1000, true},
    {"lefthalf", 0, 0, 500, 1000, true},
    {"righthalf", 500, 0, 1000, 1000, true},
    {"tophalf", 0, 0, 1000, 500, true},
    {"bottomhalf", 0, 500, 1000, 1000, true},
}};
inline constexpr int kWholeRegion = 0;
// Added to a region's index when it is a region of the untrimmed image rather than of the trimmed
// content (only where trimming took something, and only stored regions).
inline constexpr int kUntrimmedRegion = 64;
static_assert(kRegions.size() <= kUntrimmedRegion);

struct RegionHash {
  uint8_t region = 0;  // index into kRegions, plus kUntrimmedRegion for the untrimmed image's
  uint8_t quality = 0;
  Hash256 hash;
  bool operator==(const RegionHash&) const = default;
};

// What SignalExtractor finds in one image. A plain value.
struct ImageSignals {
  Box content;  // what trimming the borders kept, in the image's pixels
  // Every region large enough to hash, in kRegions order (the trimmed content's, then the
  // untrimmed image's).
  std::vector<RegionHash> regions;
  // With `dihedral`: the 8 variants of each region's hash (Dihedral order), same order as regions.
  std::vector<std::array<Hash256, 8>> variants;
  bool operator==(const ImageSignals&) const = default;
};

// Which regions SignalExtractor::Finish hashes.
enum class RegionChoice {
  kAll,  // every region: what a bank stores, and what `takedown match` queries with
  // What a crawler queries with at its speed class (docs/matching.md): the whole content, trimmed
  // and untrimmed, which meets every stored region (crops, trimmed copies), and the cells of 2x2
  // and 3x1 collages, which meet the stored whole. A seventh of the regions.
  kWholeAndCells,
};

// Extracts ImageSignals from pixels given whole or row by row (as a decoder produces them); the
// rows are reduced into the grey plane as they come, so a large photo is never held whole.
// Not thread-safe: one extractor per thread (it keeps its buffers between images).
class SignalExtractor {
 public:
  // Streaming: Begin, AddRow once per row (width * channels bytes, 1 or 3 channels), Finish.
  void Begin(int width, int height, int channels);
  void AddRow(const uint8_t* row);
  // kInvalidArgument, with a sentence saying why, for an image too small to have regions, of one
  // colour, or with nothing left once its borders are trimmed.
  Result<ImageSignals> Finish(bool dihedral, RegionChoice choice = RegionChoice::kAll);

  Result<ImageSignals> Extract(const PixelView& pixels, bool dihedral,
                               RegionChoice choice = RegionChoice::kAll);

 private:
  void EmitPlaneRow();

  int width_ = 0, height_ = 0, channels_ = 3, factor_ = 1, rows_added_ = 0;
  int plane_width_ = 0, plane_height_ = 0;
  std::vector<uint32_t> column_sums_;  // per image column, the rows of this plane row so far
  std::vector<uint8_t> plane_;         // grey, plane_width_ x plane_height_
  std::vector<uint32_t> integral_;     // (plane_width_ + 1) x (plane_height_ + 1) summed areas
};

}  // namespace takedown::hashing
