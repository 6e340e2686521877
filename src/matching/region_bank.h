// The region signals of banked images (hashing/signals.h), searchable like PDQ hashes, and the
// matching of a query image on both signals: the whole-image PDQ (interoperable, as today) and
// Takedown's region hashes (crops, borders, collages, stickers).
//
// A region match pairs a region of the query with a region of a stored image. Only pairs that a
// real copy produces are counted: the query's whole content against any stored region (the query
// is a crop or a trimmed copy of the stored image), any query region against the stored whole
// content (the stored image is a part of the query: a collage cell, a copy with a caption bar),
// and a region against the same region (a sticker or caption over another part of the image).
// That keeps the comparisons per image pair near the sum of the two region counts, not their
// product.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hashing/signals.h"
#include "matching/hash_bank.h"

namespace takedown::matching {

// The measured thresholds (docs/matching.md): a region pair matches within kRegionRadius when
// both hashes have quality >= kMinRegionQuality; kStrongRegionRadius or two distinct region pairs
// make the evidence strong enough for automatic steps.
inline constexpr int kRegionRadius = 26;
inline constexpr int kStrongRegionRadius = 16;
inline constexpr int kMinRegionQuality = 50;
// Image ids in a region bank stay below 2^56 (the region fills the low 7 bits).
inline constexpr uint64_t kMaxRegionImageId = (uint64_t{1} << 56) - 1;

// One region pair within the radius: the evidence a caseworker is shown.
struct RegionEvidence {
  int query_region = 0;  // hashing::RegionHash::region (hashing::RegionName names it)
  int stored_region = 0;
  int distance = 0;
  hashing::Dihedral variant = hashing::Dihedral::kOrig;  // which variant of the query region
  bool operator==(const RegionEvidence&) const = default;
};

// How much an image match can be trusted without a person looking at it.
enum class MatchStrength {
  kStrong,  // whole-image PDQ within its radius, or strong region evidence: automatic steps may act
  kReview,  // region evidence only, weaker: shown to a caseworker, never acted on automatically
};

// One stored image found for a query, with every signal that found it.
struct ImageMatch {
  uint64_t id = 0;
  uint64_t owner = 0;
  std::optional<BankMatch> pdq;         // the whole-image PDQ match, when there is one
  std::vector<RegionEvidence> regions;  // region pairs within kRegionRadius, nearest first
  MatchStrength strength = MatchStrength::kReview;
  // Automatic steps (auto-confirming a repost, sending a notice) require this.
  bool AllowsAutomaticAction() const { return strength == MatchStrength::kStrong; }
  // "pdq" or "region": the strongest signal that matched.
  std::string_view signal() const { return pdq ? "pdq" : "region"; }
};

// A query image's signals: its PDQ (1 or 8 dihedral hashes) and its region signals. Of the
// regions' variants, when present, the mirror image (kFlipX) is searched besides the original:
// reposts are mirrored far more often than turned, and each variant costs a search per region.
struct ImageQuery {
  std::vector<hashing::Hash256> pdq;  // 1 hash, or the 8 dihedral variants
  int pdq_quality = 0;
  std::optional<hashing::ImageSignals> signals;
};

struct ImageMatchOptions {
  BankSearchOptions pdq;
  int region_radius = kRegionRadius;
  int strong_region_radius = kStrongRegionRadius;
  int min_region_quality = kMinRegionQuality;
};

// The region hashes of banked images. Same threading rules as HashBank (it is one): not
// thread-safe for writers; concurrent searches are fine while nothing is added or removed.
class RegionBank {
 public:
  RegionBank() = default;
  explicit RegionBank(HashBank regions) : regions_(std::move(regions)) {}

  // Replaces the image's regions. kInvalidArgument for an id above kMaxRegionImageId.
  Status Put(uint64_t image_id, uint64_t owner, const hashing::ImageSignals& signals);
  void Remove(uint64_t image_id);
  size_t RemoveOwner(uint64_t owner) { return regions_.RemoveOwner(owner); }

  // Stored images with a region pair within the radius, each with its pairs (nearest first).
  std::vector<ImageMatch> Search(const hashing::ImageSignals& query,
                                 const ImageMatchOptions& options = {}) const;

  // The bank of region hashes itself (id = image id << 7 | region): for the bank file.
  const HashBank& hashes() const { return regions_; }
  // Builds from whole lists in one pass (one index build).
  static Result<RegionBank> FromSignals(const std::vector<std::pair<uint64_t, uint64_t>>& id_owner,
                                        const std::vector<hashing::ImageSignals>& signals);

 private:
  HashBank regions_;
};

// The region hashes of one image as one line of text, what the intake carries and the store keeps
// beside the image's PDQ: per region 68 lowercase hex digits (2 of the region's index, 2 of its
// quality, 64 of its hash), in the signals' order; "" for an image without region signals.
std::string RegionsText(const hashing::ImageSignals& signals);
// Back from that text (upper-case hex is read too). kInvalidArgument, saying what is wrong, for a
// length that is not a whole number of regions, more regions than an image has, a region that
// names none, a quality over 100 or a digit that is not hex.
Result<hashing::ImageSignals> RegionsFromText(std::string_view text);
inline constexpr size_t kRegionTextDigits = 68;
inline constexpr size_t kMaxRegionsText = 2 * hashing::kUntrimmedRegion * kRegionTextDigits;

// Both signals together: the whole-image PDQ matches from `pdq_bank` and the region matches
// from `regions`, merged by image id and graded. What the CLI, the partner API and discovery call.
std::vector<ImageMatch> MatchImage(const HashBank& pdq_bank, const RegionBank& regions,
                                   const ImageQuery& query, const ImageMatchOptions& options = {});

}  // namespace takedown::matching
