// End-to-end tests of `takedown bank build` and `takedown match` with the real binary.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli/cli_test_util.h"

namespace {

namespace fs = std::filesystem;
using namespace takedown::cli::testing;

const std::string kPdqData = std::string(TAKEDOWN_SHARED_DIR) + "/testdata/pdq/";

class BankAndMatch : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-match-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  std::string dir_;
};

TEST_F(BankAndMatch, HashListLinesOfEveryKindAndBadOnesReported) {
  const std::string a = std::string(64, 'a'), b = std::string(63, 'b') + "0";
  const std::string list =
      Write("list.txt", "# a comment\n" + a + "\n" + b + ",42\n" +
                            "{\"path\":\"x.jpg\",\"ok\":true,\"pdq\":\"" + std::string(64, 'c') +
                            "\",\"quality\":30}\n" +
                            "{\"path\":\"y.jpg\",\"ok\":false,\"error\":\"truncated\"}\n" +
                            "not a hash\n" + a + ",forty-two\n");
  const std::string bank = dir_ + "/bank.tdb";
  auto build = Takedown("bank build --out " + bank + " --from " + list);
  EXPECT_EQ(build.status, 1);  // two unreadable lines, reported; the rest is written
  ASSERT_TRUE(fs::exists(bank));

  auto run = Takedown("match --bank " + bank + " " + a + " " + b + " " + std::string(64, 'c'));
  EXPECT_EQ(run.status, 0);
  auto rows = run.records();
  ASSERT_EQ(rows.size(), 3u);
  ASSERT_EQ(rows[0]["matches"].size(), 1u);
  EXPECT_EQ(rows[0]["matches"][0]["id"], 2);  // the line number
  EXPECT_EQ(rows[1]["matches"][0]["id"], 42);
  EXPECT_EQ(rows[1]["matches"][0]["distance"], 0);
  EXPECT_TRUE(rows[2]["matches"].empty());  // quality 30 is held but not matched by default
  auto weak = Takedown("match --min-quality 0 --bank " + bank + " " + std::string(64, 'c'));
  EXPECT_EQ(weak.records().at(0)["matches"].size(), 1u);
}

TEST_F(BankAndMatch, EditedPhotosMatchTheOriginalFromHashOutput) {
  const std::string hashes = dir_ + "/orig.jsonl";
  ASSERT_EQ(Takedown("hash " + kPdqData + "bridge-mods/aaa-orig.jpg > " + hashes).status, 0);
  const std::string bank = dir_ + "/bank.tdb";
  ASSERT_EQ(Takedown("bank build --out " + bank + " --from " + hashes).status, 0);
  auto run =
      Takedown("match --bank " + bank + " " + kPdqData + "bridge-mods/blur-a-lot.jpg " + kPdqData +
               "bridge-mods/high-contrast.jpg " + kPdqData + "hma-resources/rgb.jpeg");
  EXPECT_EQ(run.status, 0);
  auto rows = run.records();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["matches"].size(), 1u);
  EXPECT_EQ(rows[1]["matches"].size(), 1u);
  EXPECT_LE(rows[1]["matches"][0]["distance"].get<int>(), 31);
  EXPECT_TRUE(rows[2]["matches"].empty());  // an unrelated photo
}

TEST_F(BankAndMatch, DihedralFindsTheRotatedCopy) {
  const std::string hashes = dir_ + "/orig.jsonl";
  ASSERT_EQ(
      Takedown("hash " + kPdqData + "reg-test-input/dih/bridge-1-original.jpg > " + hashes).status,
      0);
  const std::string bank = dir_ + "/bank.tdb";
  ASSERT_EQ(Takedown("bank build --out " + bank + " --from " + hashes).status, 0);
  const std::string rotated = kPdqData + "reg-test-input/dih/bridge-2-rotate-90.jpg";
  EXPECT_TRUE(Takedown("match --bank " + bank + " " + rotated).records().at(0)["matches"].empty());
  auto run = Takedown("match --dihedral --bank " + bank + " " + rotated);
  EXPECT_EQ(run.status, 0);
  const auto row = run.records().at(0);
  ASSERT_EQ(row["matches"].size(), 1u);
  EXPECT_NE(row["matches"][0]["variant"], "orig");
}

TEST_F(BankAndMatch, ClearErrorsForBadBanksAndQueries) {
  const std::string bogus = Write("bogus.tdb", "this is not a bank");
  auto run = Takedown("match --bank " + bogus + " " + std::string(64, 'a'));
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(run.out.empty());

  const std::string list = Write("list.txt", std::string(64, 'a') + "\n");
  const std::string bank = dir_ + "/bank.tdb";
  ASSERT_EQ(Takedown("bank build --out " + bank + " --from " + list).status, 0);
  auto bad = Takedown("match --dihedral --bank " + bank + " " + std::string(64, 'a') + " " + dir_ +
                      "/missing.jpg");
  EXPECT_EQ(bad.status, 1);
  auto rows = bad.records();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["ok"], false);
  EXPECT_NE(rows[0]["error"].get<std::string>().find("needs the image"), std::string::npos);
  EXPECT_EQ(rows[1]["error_code"], "not_found");
  EXPECT_EQ(Takedown("match --radius 300 --bank " + bank + " x").status, 2);
  EXPECT_EQ(Takedown("bank --help").status, 0);
  EXPECT_EQ(Takedown("bank build --help").status, 0);
  EXPECT_EQ(Takedown("match --help").status, 0);
}

}  // namespace
