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

TEST_F(BankFile, RepeatedIdsAreRefusedEvenWithAValidChecksum) {
  std::string bytes = Slurp();
  const size_t ids_at = 32 + 499 * 32;
  std::memcpy(bytes.data() + ids_at + 8, bytes.data() + ids_at, 8);  // id[1] = id[0]
  const uint64_t checksum = XXH3_64bits(bytes.data() + 32, bytes.size() - 32);
  std::memcpy(bytes.data() + 24, &checksum, 8);
  Spit(bytes);
  const Status s = ReadStatus();
  EXPECT_EQ(s.code(), StatusCode::kCorrupt);
  EXPECT_NE(s.message().find("appears twice"), std::string::npos) << s.message();
}

TEST_F(BankFile, MissingFileIsNotFound) {
  EXPECT_EQ(ReadBankFile(dir_ / "nope.tdb").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace takedown::matching
