#include "matching/region_bank.h"

#include <gtest/gtest.h>

#include <random>

namespace takedown::matching {
namespace {

using hashing::Hash256;
using hashing::ImageSignals;

Hash256 Random(std::mt19937_64& rng) {
  Hash256 h;
  for (auto& lane : h.lanes) lane = rng();
  return h;
}

Hash256 Flip(Hash256 h, int bits) {
  for (int k = 0; k < bits; ++k) h.lanes[k % 4] ^= uint64_t{1} << (k * 7 % 64);
  return h;
}

int Region(std::string_view name) { return *hashing::RegionFromName(name); }

ImageSignals Signals(std::mt19937_64& rng, std::initializer_list<std::string_view> names) {
  ImageSignals s;
  for (auto name : names) {
    s.regions.push_back({static_cast<uint8_t>(Region(name)), 90, Random(rng)});
  }
  return s;
}

const hashing::RegionHash& Find(const ImageSignals& s, std::string_view name) {
  for (const auto& r : s.regions) {
    if (r.region == Region(name)) return r;
  }
  throw std::logic_error("no such region");
}

class Regions : public ::testing::Test {
 protected:
  void SetUp() override {
    for (uint64_t id = 1; id <= 200; ++id) {
      stored_.push_back(Signals(rng_, {"whole", "centre90", "quadrant1", "quadrant2"}));
      ASSERT_TRUE(bank_.Put(id, id + 1000, stored_.back()).ok());
    }
  }
  ImageSignals Query(std::initializer_list<std::pair<std::string_view, Hash256>> regions) {
    ImageSignals q;
    for (auto [name, hash] : regions)
      q.regions.push_back({static_cast<uint8_t>(Region(name)), 90, hash});
    return q;
  }
  std::mt19937_64 rng_{17};
  std::vector<ImageSignals> stored_;
  RegionBank bank_;
};

TEST_F(Regions, AQueryWholeMatchesAStoredCropAndACellMatchesAStoredWhole) {
  // A crop of image 5: the query's whole is near its stored centre90.
  auto found = bank_.Search(Query({{"whole", Flip(Find(stored_[4], "centre90").hash, 10)}}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, 5u);
  EXPECT_EQ(found[0].owner, 1005u);
  ASSERT_EQ(found[0].regions.size(), 1u);
  EXPECT_EQ(found[0].regions[0].query_region, Region("whole"));
  EXPECT_EQ(found[0].regions[0].stored_region, Region("centre90"));
  EXPECT_EQ(found[0].regions[0].distance, 10);
  EXPECT_TRUE(found[0].AllowsAutomaticAction());  // 10 <= kStrongRegionRadius

  // Image 9 is one cell of a collage: the query's quadrant3 is near its stored whole.
  found = bank_.Search(Query({{"quadrant3", Flip(Find(stored_[8], "whole").hash, 20)}}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, 9u);
  EXPECT_FALSE(found[0].AllowsAutomaticAction());  // 20: shown for review only
  EXPECT_EQ(found[0].signal(), "region");

  // A sticker over the rest: quadrant2 against the same stored quadrant2.
  found = bank_.Search(Query({{"quadrant2", Find(stored_[2], "quadrant2").hash}}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, 3u);
}

TEST_F(Regions, PairsNoRealCopyMakesAreNotCounted) {
  // The query's quadrant1 against a stored centre90 (neither whole nor the same region).
  EXPECT_TRUE(bank_.Search(Query({{"quadrant1", Find(stored_[4], "centre90").hash}})).empty());
  // Beyond the radius, or below the quality floor on either side.
  EXPECT_TRUE(
      bank_.Search(Query({{"whole", Flip(Find(stored_[4], "whole").hash, kRegionRadius + 1)}}))
          .empty());
  auto weak = Query({{"whole", Find(stored_[4], "whole").hash}});
  weak.regions[0].quality = kMinRegionQuality - 1;
  EXPECT_TRUE(bank_.Search(weak).empty());
}

TEST_F(Regions, SeveralIndependentPairsMakeStrongEvidenceAndRemovalIsImmediate) {
  const auto query = Query({{"whole", Flip(Find(stored_[6], "whole").hash, 20)},
                            {"quadrant1", Flip(Find(stored_[6], "quadrant1").hash, 22)},
                            {"quadrant2", Flip(Find(stored_[6], "quadrant2").hash, 21)}});
  auto found = bank_.Search(query);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].regions.front().distance, 20);  // nearest first
  EXPECT_TRUE(found[0].AllowsAutomaticAction());     // three separate pairs
  bank_.Remove(7);
  EXPECT_TRUE(bank_.Search(query).empty());
  EXPECT_EQ(bank_.RemoveOwner(1002), 4u);
  EXPECT_FALSE(bank_.Put(kMaxRegionImageId + 1, 0, stored_[0]).ok());
}

TEST_F(Regions, MirroredRegionsAreSearchedThroughTheirVariant) {
  auto query = Query({{"whole", Random(rng_)}});
  query.variants.push_back({});
  query.variants[0][static_cast<int>(hashing::Dihedral::kFlipX)] = Find(stored_[10], "whole").hash;
  auto found = bank_.Search(query);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].regions[0].variant, hashing::Dihedral::kFlipX);
}

TEST_F(Regions, MatchImageMergesPdqAndRegionsAndBuildsAlikeFromLists) {
  HashBank pdq;
  const Hash256 photo = Random(rng_);
  pdq.Put({12, photo, 100, 1012});
  ImageQuery query;
  query.pdq = {Flip(photo, 12)};
  query.pdq_quality = 100;
  query.signals = Query({{"whole", Flip(Find(stored_[11], "whole").hash, 5)},
                         {"quadrant1", Flip(Find(stored_[30], "whole").hash, 23)}});
  const auto found = MatchImage(pdq, bank_, query);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, 12u);  // PDQ and regions: first, strong
  ASSERT_TRUE(found[0].pdq.has_value());
  EXPECT_EQ(found[0].pdq->distance, 12);
  EXPECT_EQ(found[0].regions.size(), 1u);
  EXPECT_EQ(found[0].signal(), "pdq");
  EXPECT_EQ(found[1].id, 31u);  // regions only, weak
  EXPECT_FALSE(found[1].AllowsAutomaticAction());

  std::vector<std::pair<uint64_t, uint64_t>> ids;
  for (uint64_t id = 1; id <= stored_.size(); ++id) ids.emplace_back(id, id + 1000);
  auto built = RegionBank::FromSignals(ids, stored_);
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(MatchImage(pdq, *built, query).size(), 2u);
}

TEST_F(Regions, TheTextFormRoundTripsAndBadTextIsRefusedSayingWhy) {
  ImageSignals signals = Signals(rng_, {"whole", "centre90", "row3"});
  signals.regions.push_back({static_cast<uint8_t>(Region("untrimmed:whole")), 7, Random(rng_)});
  const std::string text = RegionsText(signals);
  EXPECT_EQ(text.size(), 4 * kRegionTextDigits);
  auto back = RegionsFromText(text);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->regions, signals.regions);
  EXPECT_TRUE(RegionsFromText("")->regions.empty());

  auto refused = [](const std::string& bad) {
    const Status s = RegionsFromText(bad).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    return s.message();
  };
  EXPECT_NE(refused(text.substr(1)).find("whole number of regions"), std::string::npos);
  EXPECT_NE(refused("zz" + text.substr(2)).find("hex"), std::string::npos);
  EXPECT_NE(refused("3f" + text.substr(2)).find("does not exist"), std::string::npos);
  EXPECT_NE(refused(text.substr(0, 2) + "ff" + text.substr(4)).find("0..100"), std::string::npos);
  std::string many;
  for (int i = 0; i <= 2 * hashing::kUntrimmedRegion; ++i)
    many += text.substr(0, kRegionTextDigits);
  EXPECT_NE(refused(many).find("at most"), std::string::npos);
}

}  // namespace
}  // namespace takedown::matching
