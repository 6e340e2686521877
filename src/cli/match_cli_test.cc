// End-to-end tests of `takedown bank build` and `takedown match` with the real binary.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
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

// Issue 18: a letterboxed copy and a cropped copy (made with the ffmpeg command) are missed by PDQ
// but found by the region signals that `hash` prints and `bank build` stores, shown as such.
TEST_F(BankAndMatch, LetterboxedAndCroppedCopiesMatchOnRegionSignals) {
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) {
    if (std::getenv("CI") != nullptr) FAIL() << "the ffmpeg command is missing";
    GTEST_SKIP() << "no ffmpeg command";
  }
  const std::string original = kPdqData + "bridge-mods/aaa-orig.jpg";
  const std::string letterbox = dir_ + "/letterbox.jpg", crop = dir_ + "/crop.jpg";
  ASSERT_EQ(std::system(("ffmpeg -v error -y -i " + original +
                         " -vf 'pad=iw:ih*1.5:0:(oh-ih)/2:black' " + letterbox)
                            .c_str()),
            0);
  ASSERT_EQ(
      std::system(
          ("ffmpeg -v error -y -i " + original + " -vf crop=iw*0.88:ih*0.88 " + crop).c_str()),
      0);
  const std::string hashes = dir_ + "/orig.jsonl", plain = dir_ + "/plain.jsonl";
  ASSERT_EQ(Takedown("hash " + original + " > " + hashes).status, 0);
  ASSERT_EQ(Takedown("hash --no-signals " + original + " > " + plain).status, 0);
  std::ifstream in(hashes);
  const auto record = json::parse(in);
  EXPECT_EQ(record["trimmed"]["box"].size(), 4u);
  EXPECT_GE(record["regions"].size(), 55u);
  EXPECT_EQ(record["regions"][0][0], "whole");

  const std::string bank = dir_ + "/bank.tdb", pdq_bank = dir_ + "/pdq.tdb";
  ASSERT_EQ(Takedown("bank build --out " + bank + " --from " + hashes).status, 0);
  ASSERT_EQ(Takedown("bank build --out " + pdq_bank + " --from " + plain).status, 0);
  const std::string queries =
      letterbox + " " + crop + " " + kPdqData + "hma-resources/rgb.jpeg " + original;
  auto pdq_only = Takedown("match --dihedral --bank " + pdq_bank + " " + queries).records();
  ASSERT_EQ(pdq_only.size(), 4u);
  EXPECT_TRUE(pdq_only[0]["matches"].empty());
  EXPECT_TRUE(pdq_only[1]["matches"].empty());

  auto run = Takedown("match --dihedral --bank " + bank + " " + queries);
  EXPECT_EQ(run.status, 0);
  const auto rows = run.records();
  ASSERT_EQ(rows.size(), 4u);
  for (int i : {0, 1}) {
    ASSERT_EQ(rows[i]["matches"].size(), 1u) << rows[i];
    const auto& m = rows[i]["matches"][0];
    EXPECT_EQ(m["id"], 1);
    EXPECT_EQ(m["signal"], "region");
    EXPECT_FALSE(m.contains("distance"));  // no PDQ distance: the evidence is the regions'
    ASSERT_FALSE(m["regions"].empty());
    EXPECT_LE(m["regions"][0]["distance"].get<int>(), 32);
  }
  EXPECT_EQ(rows[1]["matches"][0]["regions"][0]["query_region"], "whole");
  EXPECT_TRUE(rows[2]["matches"].empty()) << rows[2];  // an unrelated photo
  EXPECT_EQ(rows[3]["matches"][0]["signal"], "pdq");
  EXPECT_EQ(rows[3]["matches"][0]["strength"], "strong");
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

// Videos end to end: `hash` gives frame hashes (and the vPDQ file), `bank build` stores them,
// `match` finds a smaller, re-encoded, trimmed copy and not an unrelated clip. The clips are made
// with the ffmpeg command: a slideshow of real photos from the shared test data.
TEST_F(BankAndMatch, AReencodedVideoMatchesItsOriginalAndAnUnrelatedOneDoesNot) {
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) {
    if (std::getenv("CI") != nullptr) FAIL() << "the ffmpeg command is missing";
    GTEST_SKIP() << "no ffmpeg command";
  }
  auto slideshow = [&](const std::string& name, const std::vector<std::string>& photos,
                       const std::string& options) {
    std::string inputs, concat;
    for (size_t i = 0; i < photos.size(); ++i) {
      inputs += " -loop 1 -t 2 -i " + kPdqData + photos[i];
      concat += "[" + std::to_string(i) + ":v]scale=480:270,setsar=1[v" + std::to_string(i) + "];";
    }
    for (size_t i = 0; i < photos.size(); ++i) concat += "[v" + std::to_string(i) + "]";
    const std::string out = dir_ + "/" + name;
    const std::string command = "ffmpeg -v error -y" + inputs + " -filter_complex \"" + concat +
                                "concat=n=" + std::to_string(photos.size()) +
                                ":v=1[v]\" -map [v] -r 10 -pix_fmt yuv420p " + options + " " + out;
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return out;
  };
  const std::string original = slideshow(
      "original.mp4",
      {"reg-test-input/labelme-subset/q0122.jpg", "reg-test-input/labelme-subset/q0291.jpg",
       "reg-test-input/labelme-subset/q0746.jpg", "reg-test-input/labelme-subset/q1050.jpg",
       "reg-test-input/pen-and-coaster.png"},
      "");
  const std::string unrelated =
      slideshow("unrelated.mp4",
                {"hma-resources/rgb.jpeg", "hma-resources/sample-b.jpg",
                 "misc-images/modes/original.jpg", "bridge-mods/aaa-orig.jpg"},
                "");
  const std::string copy = dir_ + "/copy.mp4";
  ASSERT_EQ(
      std::system(("ffmpeg -v error -y -ss 2 -i " + original + " -vf scale=320:-2 -b:v 60k " + copy)
                      .c_str()),
      0);

  const std::string hashes = dir_ + "/videos.jsonl", vpdq = dir_ + "/vpdq";
  ASSERT_EQ(Takedown("hash --vpdq-out " + vpdq + " " + original + " > " + hashes).status, 0);
  std::ifstream in(hashes);
  const auto record = json::parse(in);
  EXPECT_EQ(record["kind"], "video");
  EXPECT_EQ(record["fps"], 10);
  // One frame per second: every 10th of the ~10 seconds' frames, the first one included.
  const int frame_count = record["frame_count"];
  EXPECT_GE(frame_count, 100);
  EXPECT_EQ(record["frames"].size(), static_cast<size_t>((frame_count + 9) / 10));
  EXPECT_EQ(record["frames"][3]["frame"], 30);
  EXPECT_EQ(record["frames"][3]["alternates"].size(), 4u);  // the centre crops; no black borders
  EXPECT_EQ(record["frames"][3]["alternates"][0]["kind"], "centre95");
  EXPECT_TRUE(fs::exists(vpdq + "/original.mp4.vpdq"));

  const std::string bank = dir_ + "/videos.tdb";
  ASSERT_EQ(Takedown("bank build --out " + bank + " --from " + hashes).status, 0);
  auto run = Takedown("match --bank " + bank + " " + copy + " " + unrelated);
  EXPECT_EQ(run.status, 0);
  const auto rows = run.records();
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[0]["matches"].size(), 1u) << rows[0];
  EXPECT_EQ(rows[0]["matches"][0]["id"], 1);  // the line number
  EXPECT_GE(rows[0]["matches"][0]["query_percent"], 80);
  EXPECT_LT(rows[0]["matches"][0]["compared_percent"], 100);  // the first 2 seconds are cut
  EXPECT_TRUE(rows[1]["matches"].empty()) << rows[1];
}

}  // namespace
