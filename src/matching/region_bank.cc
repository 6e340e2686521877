#include "matching/region_bank.h"

#include <algorithm>
#include <map>

namespace takedown::matching {
namespace {

constexpr int kRegionBits = 7;
static_assert(2 * hashing::kUntrimmedRegion <= (1 << kRegionBits));
// Evidence kept per image match: enough to show, bounded for a query that matches everything.
constexpr size_t kMaxEvidence = 8;

uint64_t RegionId(uint64_t image_id, int region) { return image_id << kRegionBits | region; }

void Grade(ImageMatch* match, const ImageMatchOptions& options) {
  std::sort(match->regions.begin(), match->regions.end(), [](const auto& a, const auto& b) {
    return std::tie(a.distance, a.query_region, a.stored_region) <
           std::tie(b.distance, b.query_region, b.stored_region);
  });
  // Distinct pairs of regions that do not share a query or stored region: independent-ish views.
  int separate = 0;
  std::vector<int> queries, stored;
  for (const auto& e : match->regions) {
    if (std::find(queries.begin(), queries.end(), e.query_region) != queries.end() &&
        std::find(stored.begin(), stored.end(), e.stored_region) != stored.end()) {
      continue;
    }
    queries.push_back(e.query_region);
    stored.push_back(e.stored_region);
    ++separate;
  }
  if (match->regions.size() > kMaxEvidence) match->regions.resize(kMaxEvidence);
  const bool strong_regions =
      !match->regions.empty() &&
      (match->regions.front().distance <= options.strong_region_radius || separate >= 3);
  match->strength = match->pdq || strong_regions ? MatchStrength::kStrong : MatchStrength::kReview;
}

}  // namespace

Status RegionBank::Put(uint64_t image_id, uint64_t owner, const hashing::ImageSignals& signals) {
  if (image_id > kMaxRegionImageId) {
    return InvalidArgument("an image id with region signals must be below 2^56");
  }
  Remove(image_id);
  for (const auto& r : signals.regions) {
    if (!hashing::IsStoredRegion(r.region)) continue;
    regions_.Put({RegionId(image_id, r.region), r.hash, r.quality, owner});
  }
  return Status::Ok();
}

void RegionBank::Remove(uint64_t image_id) {
  if (image_id > kMaxRegionImageId) return;
  for (int r = 0; r < 2 * hashing::kUntrimmedRegion; ++r) regions_.Remove(RegionId(image_id, r));
}

Result<RegionBank> RegionBank::FromSignals(
    const std::vector<std::pair<uint64_t, uint64_t>>& id_owner,
    const std::vector<hashing::ImageSignals>& signals) {
  if (id_owner.size() != signals.size()) {
    return InvalidArgument("every image needs its id, owner and signals");
  }
  BankColumns columns;
  for (size_t i = 0; i < signals.size(); ++i) {
    const auto [id, owner] = id_owner[i];
    if (id > kMaxRegionImageId) {
      return InvalidArgument("an image id with region signals must be below 2^56");
    }
    for (const auto& r : signals[i].regions) {
      if (!hashing::IsStoredRegion(r.region)) continue;
      columns.hashes.push_back(r.hash);
      columns.ids.push_back(RegionId(id, r.region));
      columns.owners.push_back(owner);
      columns.qualities.push_back(r.quality);
    }
  }
  auto bank = HashBank::FromColumns(std::move(columns));
  if (!bank.ok()) return bank.status();
  return RegionBank(std::move(*bank));
}

std::vector<ImageMatch> RegionBank::Search(const hashing::ImageSignals& query,
                                           const ImageMatchOptions& options) const {
  std::map<uint64_t, ImageMatch> by_image;
  const BankSearchOptions search{options.region_radius, options.min_region_quality};
  for (size_t i = 0; i < query.regions.size(); ++i) {
    const hashing::RegionHash& q = query.regions[i];
    if (q.quality < options.min_region_quality) continue;
    const bool whole = (q.region & ~hashing::kUntrimmedRegion) == hashing::kWholeRegion;
    const bool has_variants = i < query.variants.size();
    for (const hashing::Dihedral v : {hashing::Dihedral::kOrig, hashing::Dihedral::kFlipX}) {
      if (v != hashing::Dihedral::kOrig && !has_variants) break;
      const hashing::Hash256& hash = has_variants ? query.variants[i][static_cast<int>(v)] : q.hash;
      for (const BankMatch& m : regions_.Search(hash, search)) {
        const int stored_region = static_cast<int>(m.id & ((1u << kRegionBits) - 1));
        const bool stored_whole =
            (stored_region & ~hashing::kUntrimmedRegion) == hashing::kWholeRegion;
        if (!whole && !stored_whole && stored_region != q.region) continue;
        ImageMatch& match = by_image[m.id >> kRegionBits];
        match.id = m.id >> kRegionBits;
        match.owner = m.owner;
        const RegionEvidence evidence{q.region, stored_region, m.distance, v};
        auto same = std::find_if(match.regions.begin(), match.regions.end(), [&](const auto& e) {
          return e.query_region == evidence.query_region &&
                 e.stored_region == evidence.stored_region;
        });
        if (same == match.regions.end()) {
          match.regions.push_back(evidence);
        } else if (evidence.distance < same->distance) {
          *same = evidence;
        }
      }
    }
  }
  std::vector<ImageMatch> out;
  for (auto& [id, match] : by_image) {
    Grade(&match, options);
    out.push_back(std::move(match));
  }
  return out;
}

std::string RegionsText(const hashing::ImageSignals& signals) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(signals.regions.size() * kRegionTextDigits);
  for (const hashing::RegionHash& r : signals.regions) {
    for (const uint8_t byte : {r.region, r.quality}) {
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
    out += r.hash.ToHex();
  }
  return out;
}

Result<hashing::ImageSignals> RegionsFromText(std::string_view text) {
  if (text.size() % kRegionTextDigits != 0) {
    return InvalidArgument("region signals are " + std::to_string(kRegionTextDigits) +
                           " hex digits a region; " + std::to_string(text.size()) +
                           " is not a whole number of regions");
  }
  if (text.size() > kMaxRegionsText) {
    return InvalidArgument("region signals hold at most " +
                           std::to_string(kMaxRegionsText / kRegionTextDigits) + " regions");
  }
  auto byte = [](std::string_view two) -> std::optional<uint8_t> {
    uint8_t value = 0;
    for (const char c : two) {
      const int digit = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
      if (digit < 0) return std::nullopt;
      value = static_cast<uint8_t>(value << 4 | digit);
    }
    return value;
  };
  hashing::ImageSignals out;
  for (size_t at = 0; at < text.size(); at += kRegionTextDigits) {
    const auto region = byte(text.substr(at, 2));
    const auto quality = byte(text.substr(at + 2, 2));
    auto hash = hashing::Hash256::FromHex(text.substr(at + 4, 64));
    if (!region || !quality || !hash.ok()) {
      return InvalidArgument("region signals must be hex digits only");
    }
    if (*region >= 2 * hashing::kUntrimmedRegion ||
        (*region & (hashing::kUntrimmedRegion - 1)) >= hashing::kRegions.size()) {
      return InvalidArgument("region signals name a region that does not exist");
    }
    if (*quality > 100) return InvalidArgument("a region's quality must be 0..100");
    out.regions.push_back({*region, *quality, *hash});
  }
  return out;
}

std::vector<ImageMatch> MatchImage(const HashBank& pdq_bank, const RegionBank& regions,
                                   const ImageQuery& query, const ImageMatchOptions& options) {
  std::map<uint64_t, ImageMatch> by_image;
  if (!query.pdq.empty() && query.pdq_quality >= options.pdq.min_quality) {
    std::vector<BankMatch> found;
    if (query.pdq.size() == 8) {
      std::array<hashing::Hash256, 8> variants;
      std::copy(query.pdq.begin(), query.pdq.end(), variants.begin());
      found = pdq_bank.SearchDihedral(variants, options.pdq);
    } else {
      found = pdq_bank.Search(query.pdq.front(), options.pdq);
    }
    for (const BankMatch& m : found) {
      ImageMatch& match = by_image[m.id];
      match.id = m.id;
      match.owner = m.owner;
      match.pdq = m;
    }
  }
  if (query.signals) {
    for (ImageMatch& m : regions.Search(*query.signals, options)) {
      ImageMatch& match = by_image[m.id];
      match.id = m.id;
      match.owner = m.owner;
      match.regions = std::move(m.regions);
    }
  }
  std::vector<ImageMatch> out;
  for (auto& [id, match] : by_image) {
    Grade(&match, options);
    out.push_back(std::move(match));
  }
  // PDQ matches first, then by their nearest evidence.
  std::stable_sort(out.begin(), out.end(), [](const ImageMatch& a, const ImageMatch& b) {
    const int da = a.pdq ? a.pdq->distance : 256 + (a.regions.empty() ? 0 : a.regions[0].distance);
    const int db = b.pdq ? b.pdq->distance : 256 + (b.regions.empty() ? 0 : b.regions[0].distance);
    return da < db;
  });
  return out;
}

}  // namespace takedown::matching
