// The survivor-facing parts of the legal profiles: the [[support]] services and the plain-words
// law of data/jurisdictions/*.toml, as loaded from the real folder and from broken copies of it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>

#include "notices/render.h"

namespace takedown::notify {
namespace {

const std::string kDataDir = TAKEDOWN_SOURCE_DIR "/data";

TEST(SupportServices, EveryProfileLoadsWithItsServicesInEveryLanguage) {
  auto lib = NoticeLibrary::Load(kDataDir);
  ASSERT_TRUE(lib.ok()) << lib.status().message();
  // Every listed service has an official https site, a source and every language's name.
  size_t services = 0;
  for (const LegalProfile& p : lib->profiles()) {
    for (const SupportService& sv : p.support) {
      ++services;
      EXPECT_EQ(sv.url.rfind("https://", 0), 0u) << p.id << " " << sv.id;
      EXPECT_EQ(sv.source.rfind("https://", 0), 0u) << p.id << " " << sv.id;
      for (const std::string& lang : lib->languages()) {
        EXPECT_EQ(sv.name.count(lang), 1u) << p.id << " " << sv.id << " " << lang;
        EXPECT_EQ(sv.offers.count(lang), 1u) << p.id << " " << sv.id << " " << lang;
      }
      // Unverified data must say what to confirm: none of the files has been reviewed yet.
      if (p.reviewed_by.empty()) {
        EXPECT_FALSE(sv.notes.empty()) << p.id << " " << sv.id;
      }
    }
  }
  EXPECT_GT(services, 0u);
  // StopNCII is international: the default profile carries it for every jurisdiction.
  const LegalProfile& fallback = lib->Profile("");
  EXPECT_TRUE(std::any_of(fallback.support.begin(), fallback.support.end(),
                          [](const SupportService& sv) { return sv.id == "stopncii"; }));
  EXPECT_FALSE(lib->Profile("HK").support.empty());
  EXPECT_FALSE(lib->Profile("MY").support.empty());
  EXPECT_EQ(lib->Profile("HK").plain_law.size(), lib->languages().size());
}

// A writable copy of the data folder for the tests that break it.
class SupportBrokenData : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("support_data_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::filesystem::copy(kDataDir + "/jurisdictions", dir_ / "jurisdictions");
    std::filesystem::copy(kDataDir + "/templates", dir_ / "templates",
                          std::filesystem::copy_options::recursive);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Appends a [[support]] entry to hk.toml.
  void AddToHongKong(const std::string& entry) {
    std::ofstream(dir_ / "jurisdictions/hk.toml", std::ios::binary | std::ios::app)
        << "\n[[support]]\n"
        << entry;
  }
  void ExpectLoadFails(std::initializer_list<std::string_view> fragments) {
    Result<NoticeLibrary> lib = NoticeLibrary::Load(dir_);
    ASSERT_FALSE(lib.ok());
    for (std::string_view f : fragments) {
      EXPECT_NE(lib.status().message().find(f), std::string::npos)
          << f << " not in: " << lib.status().message();
    }
  }

  std::filesystem::path dir_;
};

constexpr char kGood[] = R"(id = "example_line"
name.en = "Example line"
name.zh-Hant = "例子熱線"
name.ms = "Talian contoh"
offers.en = "Listens."
offers.zh-Hant = "聆聽。"
offers.ms = "Mendengar."
url = "https://line.example/"
source = "https://line.example/about"
notes = "test entry"
)";

TEST_F(SupportBrokenData, AGoodEntryLoads) {
  AddToHongKong(std::string(kGood) +
                "phone = \"+852 1234 5678\"\nhours.en = \"24 hours\"\nhours.zh-Hant = "
                "\"24 小時\"\nhours.ms = \"24 jam\"\nlanguages = [\"zh-Hant\", \"en\"]\n");
  auto lib = NoticeLibrary::Load(dir_);
  ASSERT_TRUE(lib.ok()) << lib.status().message();
  const SupportService& last = lib->Profile("HK").support.back();
  EXPECT_EQ(last.id, "example_line");
  EXPECT_EQ(last.phone, "+852 1234 5678");
  EXPECT_EQ(last.hours.at("ms"), "24 jam");
}

TEST_F(SupportBrokenData, RejectsBadEntriesNamingTheFileAndField) {
  AddToHongKong(std::string(kGood) + "phone = \"call us\"\n");
  ExpectLoadFails({"hk.toml", "support \"example_line\"", "\"phone\""});
  SetUp();
  std::string http = kGood;
  http.replace(http.find("https://line.example/\""), 5, "http");
  AddToHongKong(http);
  ExpectLoadFails({"hk.toml", "\"url\" must be an https:// URL"});
  SetUp();
  std::string no_ms = kGood;
  no_ms.erase(no_ms.find("offers.ms"), std::string("offers.ms = \"Mendengar.\"\n").size());
  AddToHongKong(no_ms);
  ExpectLoadFails({"hk.toml", "\"offers.ms\" is missing"});
  SetUp();
  AddToHongKong(std::string(kGood) + "emial = \"x@y.example\"\n");
  ExpectLoadFails({"hk.toml", "unknown field \"emial\""});
  SetUp();
  AddToHongKong(std::string(kGood) + "languages = [\"Cantonese\"]\n");
  ExpectLoadFails({"hk.toml", "\"Cantonese\" is not a language tag"});
  SetUp();
  AddToHongKong(std::string(kGood) +
                "hours.en = \"9-5\"\nhours.zh-Hant = \"9-5\"\nhours.ms = "
                "\"9-5\"\n");
  ExpectLoadFails({"hk.toml", "give a phone"});
  SetUp();
  std::string no_source = kGood;
  no_source.erase(no_source.find("source ="),
                  std::string("source = \"https://line.example/about\"\n").size());
  AddToHongKong(no_source);
  ExpectLoadFails({"hk.toml", "\"source\""});
  SetUp();
  AddToHongKong(kGood);
  AddToHongKong(kGood);
  ExpectLoadFails({"hk.toml", "used by an earlier [[support]]"});
}

TEST_F(SupportBrokenData, RejectsAPlainLawMissingALanguage) {
  std::ifstream in(dir_ / "jurisdictions/my.toml", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  const size_t at = s.find("plain_law.ms");
  ASSERT_NE(at, std::string::npos);
  s.replace(at, std::string("plain_law.ms").size(), "plain_law.id");
  std::ofstream(dir_ / "jurisdictions/my.toml", std::ios::binary | std::ios::trunc) << s;
  ExpectLoadFails({"my.toml", "plain_law.id", "no templates in that language"});
}

}  // namespace
}  // namespace takedown::notify
