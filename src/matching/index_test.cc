// Every index against brute force: exact results (every hash within the radius, nothing else, in
// order) on random, planted and real PDQ hashes, at radii across the multi-index's probe levels.
#include "matching/index.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <string>

namespace takedown::matching {
namespace {

using hashing::Hash256;

std::vector<Match> BruteForce(const std::vector<Hash256>& hashes, const Hash256& q, int radius) {
  std::vector<Match> out;
  for (size_t i = 0; i < hashes.size(); ++i) {
    const int d = hashing::HammingDistance(hashes[i], q);
    if (d <= radius) out.push_back({static_cast<uint32_t>(i), d});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Match& a, const Match& b) { return a.distance < b.distance; });
  return out;
}

Hash256 RandomHash(std::mt19937_64& rng) {
  Hash256 h;
  for (auto& lane : h.lanes) lane = rng();
  return h;
}

Hash256 FlipBits(Hash256 h, int count, std::mt19937_64& rng) {
  std::vector<int> bits(256);
  for (int i = 0; i < 256; ++i) bits[i] = i;
  std::shuffle(bits.begin(), bits.end(), rng);
  for (int i = 0; i < count; ++i) h.lanes[bits[i] / 64] ^= uint64_t{1} << (bits[i] % 64);
  return h;
}

// The pigeonhole worst case for a multi-index of `slots` slots: d flips spread as evenly as
// possible over its slots, so no slot is closer than floor(d / slots) bits. Random flips almost
// always leave some slot intact, which would hide a multi-index that probes too few values.
Hash256 SpreadBits(Hash256 h, int count, int slots) {
  const int width = 256 / slots, wider = 256 % slots;
  for (int i = 0; i < count; ++i) {
    const int slot = i % slots;
    const int start = slot * width + std::min(slot, wider);  // the wider slots come first
    const int bit = start + i / slots;
    h.lanes[bit / 64] ^= uint64_t{1} << (bit % 64);
  }
  return h;
}

constexpr std::string_view kIndexes[] = {"flat", "multi12", "multi16", "multi21", "multi32"};
constexpr int kSlotCounts[] = {12, 16, 21, 32};

TEST(Index, MatchesBruteForceOnPlantedNeighbours) {
  std::mt19937_64 rng(42);
  std::vector<Hash256> hashes;
  for (int i = 0; i < 20'000; ++i) hashes.push_back(RandomHash(rng));
  // Queries with stored neighbours at every distance 0..64, some clustered (several neighbours).
  std::vector<Hash256> queries;
  for (int d = 0; d <= 64; ++d) {
    const Hash256 q = RandomHash(rng);
    queries.push_back(q);
    for (int copies = 0; copies < 1 + d % 3; ++copies) hashes.push_back(FlipBits(q, d, rng));
    for (int slots : kSlotCounts) hashes.push_back(SpreadBits(q, d, slots));
  }
  hashes.push_back(hashes[7]);  // an exact duplicate is found twice
  for (auto name : kIndexes) {
    auto index = MakeIndex(name);
    ASSERT_NE(index, nullptr);
    index->Build(hashes);
    std::vector<Match> got;
    for (int radius : {0, 1, 15, 16, 31, 32, 47, 48, 64}) {
      size_t found = 0;
      for (const auto& q : queries) {
        index->Search(q, radius, &got);
        EXPECT_EQ(got, BruteForce(hashes, q, radius)) << name << " radius " << radius;
        found += got.size();
      }
      EXPECT_GT(found, 0u) << "the planted neighbours make every radius find something";
      index->Search(hashes[7], radius, &got);
      ASSERT_GE(got.size(), 2u);
      EXPECT_EQ(got[0].distance, 0);
      EXPECT_EQ(got[1].distance, 0);
    }
  }
}

std::vector<Hash256> ReadHashes(const std::string& file) {
  std::ifstream in(std::string(TAKEDOWN_SHARED_DIR) + "/testdata/pdq/" + file);
  std::vector<Hash256> out;
  for (std::string line; std::getline(in, line);) {
    auto h = Hash256::FromHex(line);
    EXPECT_TRUE(h.ok()) << line;
    if (h.ok()) out.push_back(*h);
  }
  return out;
}

TEST(Index, NeedlesInTheSharedHaystack) {
  const auto haystack = ReadHashes("haystack.txt");
  const auto needles = ReadHashes("needles.txt");
  ASSERT_EQ(haystack.size(), 1350u);
  ASSERT_EQ(needles.size(), 100u);
  for (auto name : kIndexes) {
    auto index = MakeIndex(name);
    index->Build(haystack);
    std::vector<Match> got;
    size_t needles_found = 0;
    for (const auto& needle : needles) {
      index->Search(needle, hashing::kDefaultMatchDistance, &got);
      EXPECT_EQ(got, BruteForce(haystack, needle, hashing::kDefaultMatchDistance)) << name;
      needles_found += !got.empty();
    }
    EXPECT_GT(needles_found, 0u) << name;
  }
}

TEST(Index, Empty) {
  for (auto name : kIndexes) {
    auto index = MakeIndex(name);
    index->Build({});
    std::vector<Match> got = {{1, 1}};
    index->Search(Hash256{}, 64, &got);
    EXPECT_TRUE(got.empty());
  }
}

TEST(Index, UnknownNames) {
  for (auto name : {"hnsw", "multi", "multi10", "multi33", "multi16x", "multi-12"}) {
    EXPECT_EQ(MakeIndex(name), nullptr) << name;
  }
}

TEST(ChooseIndex, MultiIndexSizedToTheBankScanForWideRadiiAndSmallBanks) {
  EXPECT_EQ(ChooseIndex(10'000'000, 31), "multi12");  // the 10-million benchmark's index
  EXPECT_EQ(ChooseIndex(1'000'000, 31), "multi16");
  EXPECT_EQ(ChooseIndex(10'000'000, 64), "flat");
  EXPECT_EQ(ChooseIndex(500, 31), "flat");
  EXPECT_EQ(ChooseIndex(500, 0), "flat");
  for (size_t count : {size_t{20'000}, size_t{1'000'000}, size_t{30'000'000}}) {
    for (int radius : {0, 31, 48, 64, 256}) {
      EXPECT_NE(MakeIndex(ChooseIndex(count, radius)), nullptr) << count << " " << radius;
    }
  }
}

}  // namespace
}  // namespace takedown::matching
