#include "matching/hash_bank.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace takedown::matching {
namespace {

using hashing::Hash256;

Hash256 Random(std::mt19937_64& rng) {
  Hash256 h;
  for (auto& lane : h.lanes) lane = rng();
  return h;
}

// Flips `bits` random bits (a bit may flip twice, so the distance is at most `bits`).
Hash256 Flip(Hash256 h, uint64_t bits, std::mt19937_64& rng) {
  for (uint64_t i = 0; i < bits; ++i) {
    const uint64_t bit = rng() % 256;
    h.lanes[bit / 64] ^= uint64_t{1} << (bit % 64);
  }
  return h;
}

TEST(HashBank, PutFindRemoveAndReplace) {
  std::mt19937_64 rng(1);
  HashBank bank;
  const Hash256 a = Random(rng), b = Random(rng);
  bank.Put({7, a, 90, 100});
  bank.Put({8, b, 90, 100});
  EXPECT_EQ(bank.size(), 2u);
  ASSERT_TRUE(bank.Find(7).has_value());
  EXPECT_EQ(bank.Find(7)->hash, a);
  ASSERT_EQ(bank.Search(a).size(), 1u);
  EXPECT_EQ(bank.Search(a)[0], (BankMatch{7, 0, 100, 90, hashing::Dihedral::kOrig}));

  bank.Put({7, b, 80, 200});  // same id: replaced
  EXPECT_EQ(bank.size(), 2u);
  EXPECT_TRUE(bank.Search(a).empty());
  EXPECT_EQ(bank.Search(b).size(), 2u);

  EXPECT_TRUE(bank.Remove(8));
  EXPECT_FALSE(bank.Remove(8));
  EXPECT_FALSE(bank.Find(8).has_value());
  ASSERT_EQ(bank.Search(b).size(), 1u);
  EXPECT_EQ(bank.Search(b)[0].id, 7u);
}

TEST(HashBank, WeakHashesAreHeldButNotMatchedByDefault) {
  std::mt19937_64 rng(2);
  HashBank bank;
  const Hash256 h = Random(rng);
  bank.Put({1, h, 49, 0});
  EXPECT_TRUE(bank.Find(1).has_value());
  EXPECT_TRUE(bank.Search(h).empty());
  EXPECT_EQ(bank.Search(h, {.radius = 31, .min_quality = 0}).size(), 1u);
}

TEST(HashBank, ErasingACaseRemovesAllItsHashes) {
  std::mt19937_64 rng(3);
  HashBank bank;
  const Hash256 h = Random(rng);
  for (uint64_t id = 1; id <= 5; ++id) bank.Put({id, Flip(h, 3, rng), 100, id % 2});
  EXPECT_EQ(bank.RemoveOwner(1), 3u);
  const auto left = bank.Search(h);
  ASSERT_EQ(left.size(), 2u);
  for (const auto& m : left) EXPECT_EQ(m.owner, 0u);
}

TEST(HashBank, CursorWalksEntriesOnceAcrossRemovalsAndCompaction) {
  std::mt19937_64 rng(4);
  HashBank bank;
  for (uint64_t id = 0; id < 3000; ++id) bank.Put({id, Random(rng), 100, 0});
  std::vector<BankEntry> page;
  uint64_t cursor = bank.Scan(0, 1000, &page);
  ASSERT_EQ(page.size(), 1000u);
  EXPECT_EQ(page.front().id, 0u);
  EXPECT_EQ(page.back().id, 999u);
  // Remove most of what is left (forcing a compaction) and add new ones.
  for (uint64_t id = 1000; id < 2900; ++id) bank.Remove(id);
  bank.Put({5000, Random(rng), 100, 0});
  std::vector<uint64_t> rest;
  while (true) {
    cursor = bank.Scan(cursor, 64, &page);
    if (page.empty()) break;
    for (const auto& e : page) rest.push_back(e.id);
  }
  std::vector<uint64_t> expected;
  for (uint64_t id = 2900; id < 3000; ++id) expected.push_back(id);
  expected.push_back(5000);
  EXPECT_EQ(rest, expected);
}

// A model (id -> entry) searched by brute force must agree with the bank through thousands of
// puts, removals and re-adds, across the switch from scanning to the multi-index.
class HashBankModel : public testing::TestWithParam<std::string> {};

TEST_P(HashBankModel, AgreesWithBruteForceThroughChanges) {
  std::mt19937_64 rng(5);
  HashBank bank(GetParam());
  std::map<uint64_t, BankEntry> model;
  std::vector<Hash256> centres;
  for (int i = 0; i < 50; ++i) centres.push_back(Random(rng));
  auto check = [&](const Hash256& q, int radius) {
    std::vector<BankMatch> want;
    for (const auto& [id, e] : model) {
      const int d = hashing::HammingDistance(e.hash, q);
      if (d <= radius && e.quality >= 50) want.push_back({id, d, e.owner, e.quality});
    }
    std::sort(want.begin(), want.end(), [](const BankMatch& a, const BankMatch& b) {
      return a.distance != b.distance ? a.distance < b.distance : a.id < b.id;
    });
    EXPECT_EQ(bank.Search(q, {.radius = radius}), want) << bank.index_name() << " r=" << radius;
  };
  for (int round = 0; round < 6; ++round) {
    for (int i = 0; i < 4000; ++i) {
      const uint64_t id = rng() % 30'000;
      const int action = static_cast<int>(rng() % 10);
      if (action < 8) {
        // Clustered near a centre so searches find many, or anywhere.
        const Hash256 h =
            action < 6 ? Flip(centres[rng() % centres.size()], rng() % 40, rng) : Random(rng);
        const BankEntry e{id, h, static_cast<int>(rng() % 101), rng() % 5};
        bank.Put(e);
        model[id] = e;
      } else {
        EXPECT_EQ(bank.Remove(id), model.erase(id) == 1);
      }
    }
    EXPECT_EQ(bank.size(), model.size());
    for (int radius : {0, 16, 31, 47, 64}) {
      for (int q = 0; q < 5; ++q)
        check(Flip(centres[rng() % centres.size()], rng() % 20, rng), radius);
    }
  }
  EXPECT_EQ(bank.index_name(), GetParam() == "auto" ? "flat" : GetParam());
}

// "auto" scans a bank this small; the others pin multi-indexes of different slot widths.
INSTANTIATE_TEST_SUITE_P(Indexes, HashBankModel, testing::Values("auto", "multi16", "multi24"));

TEST(HashBank, DihedralSearchReportsTheVariantThatMatched) {
  std::mt19937_64 rng(6);
  HashBank bank;
  std::array<Hash256, 8> variants;
  for (auto& v : variants) v = Random(rng);
  bank.Put({1, variants[static_cast<int>(hashing::Dihedral::kRot90)], 100, 0});
  bank.Put({2, Flip(variants[static_cast<int>(hashing::Dihedral::kFlipY)], 5, rng), 100, 0});
  const auto found = bank.SearchDihedral(variants);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, 1u);
  EXPECT_EQ(found[0].variant, hashing::Dihedral::kRot90);
  EXPECT_EQ(found[1].id, 2u);
  EXPECT_EQ(found[1].distance, 5);
  EXPECT_EQ(found[1].variant, hashing::Dihedral::kFlipY);
  EXPECT_TRUE(bank.Search(variants[0]).empty());
}

}  // namespace
}  // namespace takedown::matching
