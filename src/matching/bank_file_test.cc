#include "matching/bank_file.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xxhash.h>

#include <cstring>
#include <fstream>
#include <random>

namespace takedown::matching {
namespace {

namespace fs = std::filesystem;

class BankFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-bank-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    path_ = dir_ / "bank.tdb";
    std::mt19937_64 rng(9);
    for (uint64_t id = 1; id <= 500; ++id) {
      hashing::Hash256 h;
      for (auto& lane : h.lanes) lane = rng();
      bank_.Put({id * 3, h, static_cast<int>(id % 101), id % 7});
    }
    bank_.Remove(3);  // removed entries are not written
    ASSERT_TRUE(WriteBankFile(path_, bank_).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Slurp() {
    std::ifstream in(path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  void Spit(const std::string& bytes) { std::ofstream(path_, std::ios::binary) << bytes; }
  Status ReadStatus() { return ReadBankFile(path_).status(); }

  fs::path dir_, path_;
  HashBank bank_;
};

TEST_F(BankFile, RoundTripsTheLiveEntries) {
  auto loaded = ReadBankFile(path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->size(), 499u);
  const BankColumns want = bank_.ExportColumns(), got = loaded->ExportColumns();
  EXPECT_EQ(got.hashes, want.hashes);
  EXPECT_EQ(got.ids, want.ids);
  EXPECT_EQ(got.owners, want.owners);
  EXPECT_EQ(got.qualities, want.qualities);
  EXPECT_FALSE(loaded->Find(3).has_value());
  const auto entry = bank_.Find(300);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(loaded->Search(entry->hash, {.radius = 0, .min_quality = 0}).at(0).id, 300u);
  EXPECT_FALSE(fs::exists(path_.string() + ".tmp"));
}

TEST_F(BankFile, AnEmptyBankIsWrittenAndReadBack) {
  // A case's bank before any hash, or a hash list whose entries were all removed.
  HashBank empty;
  ASSERT_TRUE(WriteBankFile(path_, empty).ok());
  auto loaded = ReadBankFileWithRegions(path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->hashes.size(), 0u);
  EXPECT_EQ(loaded->regions.hashes().size(), 0u);
  EXPECT_TRUE(loaded->hashes.Search(hashing::Hash256{}, {.radius = 256, .min_quality = 0}).empty());

  // Emptied by removals, with an empty region bank beside it.
  for (const uint64_t id : bank_.ExportColumns().ids) bank_.Remove(id);
  const RegionBank no_regions;
  ASSERT_TRUE(WriteBankFile(path_, bank_, &no_regions).ok());
  auto emptied = ReadBankFileWithRegions(path_);
  ASSERT_TRUE(emptied.ok()) << emptied.status().message();
  EXPECT_EQ(emptied->hashes.size(), 0u);
  emptied->hashes.Put({1, hashing::Hash256{}, 100, 1});  // and it can be added to
  EXPECT_EQ(emptied->hashes.Search(hashing::Hash256{}).size(), 1u);
}

TEST_F(BankFile, DamageAnywhereIsCaughtByTheChecksum) {
  std::string bytes = Slurp();
  for (size_t at : {size_t{32}, bytes.size() / 2, bytes.size() - 1}) {
    std::string damaged = bytes;
    damaged[at] ^= 0x10;
    Spit(damaged);
    const Status s = ReadStatus();
    EXPECT_EQ(s.code(), StatusCode::kCorrupt) << at;
    EXPECT_NE(s.message().find("checksum mismatch"), std::string::npos) << s.message();
  }
}

TEST_F(BankFile, TruncatedTrailingAndForeignFilesAreRefused) {
  const std::string bytes = Slurp();
  Spit(bytes.substr(0, bytes.size() - 1));
  EXPECT_NE(ReadStatus().message().find("is truncated"), std::string::npos);
  Spit(bytes.substr(0, 20));
  EXPECT_NE(ReadStatus().message().find("not a Takedown bank file"), std::string::npos);
  Spit(bytes + "x");
  EXPECT_NE(ReadStatus().message().find("bytes after its last entry"), std::string::npos);
  Spit("\x89PNG\r\n\x1A\n" + bytes.substr(8));
  EXPECT_NE(ReadStatus().message().find("not a Takedown bank file"), std::string::npos);
  Spit("");
  EXPECT_EQ(ReadStatus().code(), StatusCode::kCorrupt);
}

TEST_F(BankFile, AHugeCountIsNotBelievedBeforeTheSizeIsChecked) {
  std::string bytes = Slurp();
  const uint64_t count = uint64_t{1} << 60;
  std::memcpy(bytes.data() + 16, &count, 8);
  Spit(bytes);
  EXPECT_NE(ReadStatus().message().find("is truncated"), std::string::npos);
}

TEST_F(BankFile, NewerVersionsAreUnsupportedNotMisread) {
  std::string bytes = Slurp();
  const uint32_t version = kBankFileVersion + 1;
  std::memcpy(bytes.data() + 8, &version, 4);
  Spit(bytes);
  EXPECT_EQ(ReadStatus().code(), StatusCode::kUnsupported);
}

// A file whose checksum is valid but whose parts disagree (made by hand, not by damage) is
// refused too, never searched out of bounds.
void Rechecksum(std::string* bytes) {
  const uint64_t checksum = XXH3_64bits(bytes->data() + 32, bytes->size() - 32);
  std::memcpy(bytes->data() + 24, &checksum, 8);
}

TEST_F(BankFile, RepeatedIdsAreRefusedEvenWithAValidChecksum) {
  std::string bytes = Slurp();
  const size_t ids_at = 32 + 499 * 32;
  std::memcpy(bytes.data() + ids_at + 8, bytes.data() + ids_at, 8);  // id[1] = id[0]
  Rechecksum(&bytes);
  Spit(bytes);
  const Status s = ReadStatus();
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_NE(s.message().find("the id map does not match"), std::string::npos) << s.message();
}

// Version 1 files (the columns alone, unpadded) are still read, their index and id map built.
TEST_F(BankFile, ReadsVersionOneFiles) {
  const BankColumns columns = bank_.ExportColumns();
  std::string bytes(32, '\0');
  std::memcpy(bytes.data(), "TKDNBANK", 8);
  const uint32_t version = 1;
  const uint64_t count = columns.hashes.size();
  std::memcpy(bytes.data() + 8, &version, 4);
  std::memcpy(bytes.data() + 16, &count, 8);
  bytes.append(reinterpret_cast<const char*>(columns.hashes.data()), count * 32);
  bytes.append(reinterpret_cast<const char*>(columns.ids.data()), count * 8);
  bytes.append(reinterpret_cast<const char*>(columns.owners.data()), count * 8);
  bytes.append(reinterpret_cast<const char*>(columns.qualities.data()), count);
  Rechecksum(&bytes);
  Spit(bytes);
  auto loaded = ReadBankFile(path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->ExportColumns().ids, columns.ids);
  EXPECT_TRUE(loaded->Find(300).has_value());
  // The same ids repeated in a version 1 file are named.
  std::memcpy(bytes.data() + 32 + count * 32 + 8, bytes.data() + 32 + count * 32, 8);
  Rechecksum(&bytes);
  Spit(bytes);
  EXPECT_NE(ReadStatus().message().find("appears twice"), std::string::npos);
}

// A bank large enough for a multi-index carries it in the file: the loaded bank searches with the
// same index, without rebuilding, and answers as the original does.
TEST_F(BankFile, LargeBanksCarryTheirIndex) {
  std::mt19937_64 rng(10);
  HashBank big("multi16");
  std::vector<hashing::Hash256> stored;
  for (uint64_t id = 1; id <= 12'000; ++id) {
    hashing::Hash256 h;
    for (auto& lane : h.lanes) lane = rng();
    stored.push_back(h);
    big.Put({id, h, 100, id % 3});
  }
  big.Remove(5);
  big.Put({5, stored[4], 90, 7});  // re-added: moves to the end, outside the index until written
  ASSERT_TRUE(WriteBankFile(path_, big).ok());
  auto loaded = ReadBankFile(path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->index_name(), "multi16");
  EXPECT_EQ(loaded->size(), 12'000u);
  for (size_t i = 0; i < 200; i += 7) {
    hashing::Hash256 q = stored[i];
    q.lanes[0] ^= 0xFFFF'FFFFull;  // 32 bits away: none at radius 31, itself at 32
    EXPECT_EQ(loaded->Search(q, {.radius = 31}), big.Search(q, {.radius = 31}));
    EXPECT_EQ(loaded->Search(q, {.radius = 32}), big.Search(q, {.radius = 32}));
    EXPECT_EQ(loaded->Search(q, {.radius = 32}).size(), 1u);
  }
  EXPECT_EQ(loaded->Find(5)->owner, 7u);
  EXPECT_TRUE(loaded->Remove(5));
  EXPECT_TRUE(loaded->Search(stored[4], {.radius = 0}).empty());

  // An index position out of range, behind a valid checksum, is refused, not followed.
  std::string bytes = Slurp();
  // the id map's capacity field: capacity * 12 bytes of slots follow, then the region count
  size_t map_at = 0;
  for (uint64_t capacity = 16; capacity < (1u << 20); capacity *= 2) {
    const size_t at = bytes.size() - 16 - capacity * 12;
    uint64_t stored_capacity = 0;
    std::memcpy(&stored_capacity, bytes.data() + at, 8);
    if (stored_capacity == capacity) map_at = at;
  }
  ASSERT_NE(map_at, 0u);
  // The index's last array is the positions (16 slots x 12,000 x 3 bytes + 4, then 4 of padding);
  // its last entry's 3 bytes sit 11 bytes before the id map.
  std::memset(bytes.data() + map_at - 11, 0xFF, 3);
  Rechecksum(&bytes);
  Spit(bytes);
  const Status s = ReadStatus();
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_NE(s.message().find("index is damaged"), std::string::npos) << s.message();
}

TEST_F(BankFile, MissingFileIsNotFound) {
  EXPECT_EQ(ReadBankFile(dir_ / "nope.tdb").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace takedown::matching

namespace takedown::matching {
namespace {

RegionBank SomeRegions(uint64_t images) {
  std::mt19937_64 rng(4);
  RegionBank regions;
  for (uint64_t id = 1; id <= images; ++id) {
    hashing::ImageSignals signals;
    for (int r = 0; r < 20; ++r) {
      hashing::RegionHash& region = signals.regions.emplace_back();
      region.region = static_cast<uint8_t>(r);
      region.quality = static_cast<uint8_t>(40 + r * 3);
      for (auto& lane : region.hash.lanes) lane = rng();
    }
    EXPECT_TRUE(regions.Put(id * 3, id % 7, signals).ok());
  }
  return regions;
}

class RegionBankFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-region-bank-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    path_ = dir_ / "bank.tdb";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_, path_;
};

TEST_F(RegionBankFile, RegionSignalsRoundTripBesideThePdqBank) {
  HashBank bank;
  bank.Put({3, {}, 100, 1});
  RegionBank regions = SomeRegions(800);  // 16,000 region hashes: an index is carried
  regions.Remove(6);
  ASSERT_TRUE(WriteBankFile(path_, bank, &regions).ok());
  auto loaded = ReadBankFileWithRegions(path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->hashes.size(), 1u);
  EXPECT_EQ(loaded->regions.hashes().size(), 799u * 20);
  const BankColumns want = regions.hashes().ExportColumns();
  const BankColumns got = loaded->regions.hashes().ExportColumns();
  EXPECT_EQ(got.hashes, want.hashes);
  EXPECT_EQ(got.ids, want.ids);
  EXPECT_EQ(loaded->regions.hashes().index_name(), regions.hashes().index_name());
  // The PDQ bank alone reads the same file.
  EXPECT_EQ(ReadBankFile(path_)->size(), 1u);
}

TEST_F(RegionBankFile, VersionTwoFilesStillLoadWithoutRegions) {
  HashBank bank;
  for (uint64_t id = 1; id <= 50; ++id) bank.Put({id, {{id, id * 7, 0, id}}, 90, 0});
  ASSERT_TRUE(WriteBankFile(path_, bank).ok());
  std::ifstream in(path_, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), {}};
  // A version 2 file is a version 3 file without the region section (its count, 0 here).
  bytes.resize(bytes.size() - 8);
  const uint32_t version = 2;
  std::memcpy(bytes.data() + 8, &version, 4);
  Rechecksum(&bytes);
  std::ofstream(path_, std::ios::binary) << bytes;
  auto loaded = ReadBankFileWithRegions(path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->hashes.size(), 50u);
  EXPECT_EQ(loaded->regions.hashes().size(), 0u);
  EXPECT_TRUE(loaded->hashes.Find(17).has_value());
}

TEST_F(RegionBankFile, ARegionHashNamingNoRegionIsRefused) {
  HashBank ids;
  ids.Put({(5 << 7) | 60, {}, 90, 0});  // region 60 does not exist
  const RegionBank regions(std::move(ids));
  HashBank bank;
  bank.Put({1, {}, 100, 0});
  ASSERT_TRUE(WriteBankFile(path_, bank, &regions).ok());
  auto loaded = ReadBankFileWithRegions(path_);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(loaded.status().message().find("names no region"), std::string::npos)
      << loaded.status().message();
}

TEST_F(RegionBankFile, TruncatedRegionSectionsAreRefused) {
  const RegionBank regions = SomeRegions(30);
  HashBank bank;
  bank.Put({1, {}, 100, 0});
  ASSERT_TRUE(WriteBankFile(path_, bank, &regions).ok());
  std::ifstream in(path_, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), {}};
  for (size_t cut : {size_t{8}, size_t{100}, bytes.size() / 2}) {
    std::string shorter = bytes.substr(0, bytes.size() - cut);
    Rechecksum(&shorter);
    std::ofstream(path_, std::ios::binary) << shorter;
    EXPECT_EQ(ReadBankFileWithRegions(path_).status().code(), StatusCode::kCorrupt) << cut;
  }
}

}  // namespace
}  // namespace takedown::matching
