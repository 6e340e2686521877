#include "platforms/platforms.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "platforms/real_directory_test_util.h"
#include "platforms/url.h"

namespace takedown::platforms {
namespace {

TEST(RealDirectory, LoadsWithEveryPlatformTheOrganisationsNamed) {
  const PlatformDirectory& dir = RealDirectory();
  EXPECT_GE(dir.all().size(), 30u);
  EXPECT_EQ(dir.last_reviewed().size(), 10u);
  for (const char* id : {"instagram", "facebook", "telegram", "lihkg", "x", "reddit", "tiktok",
                         "youtube", "discord", "pornhub", "xvideos", "xhamster", "onlyfans",
                         "google_search", "bing", "cloudflare", "content_farm"}) {
    const Platform* p = dir.Find(id);
    ASSERT_NE(p, nullptr) << id;
    EXPECT_EQ(p->id, id);
    EXPECT_FALSE(p->channels.empty()) << id;
    EXPECT_GT(p->deadline_hours, 0) << id;
  }
  EXPECT_EQ(dir.Find("no_such_platform"), nullptr);
  EXPECT_TRUE(dir.Find("content_farm")->domains.empty());
  EXPECT_EQ(dir.Find("facebook")->operator_name, "Meta Platforms, Inc.");
  // Child sexual abuse material goes where the platform asks for it (issue 21).
  ASSERT_FALSE(dir.Find("telegram")->child_safety.empty());
  EXPECT_EQ(dir.Find("telegram")->child_safety[0].destination(), "stopca@telegram.org");
}

TEST(RealDirectory, ConcurrentLookupsAgree) {
  const PlatformDirectory& dir = RealDirectory();
  std::vector<std::thread> threads;
  std::vector<int> found(4, 0);
  for (size_t t = 0; t < found.size(); ++t) {
    threads.emplace_back([&dir, &found, t] {
      for (int i = 0; i < 20000; ++i) {
        const Platform* p = dir.Classify(i % 2 ? "i.redd.it" : "a.b.c.example");
        if (p != nullptr && p == dir.Find("reddit")) ++found[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int n : found) EXPECT_EQ(n, 10000);
}

TEST(ParseUrlLines, ReportsEveryLineClassifiedAndDeduplicated) {
  const std::string pasted =
      "https://www.instagram.com/p/C1a2B3c4D5e/?igsh=MXh5\r\n"  // 1
      "\n"                                                      // 2: blank, skipped
      "  # links from the group chat\n"                         // 3: comment, skipped
      "http://WWW.instagram.com:80/p/C1a2B3c4D5e/#comments\n"   // 4: same as 1
      "javascript:alert(1)\n"                                   // 5
      "i.redd.it/abc.jpg\n"                                     // 6
      "https://unknown-site.example/v/1\xFF\n"                  // 7: not UTF-8
      "https://unknown-site.example/v/1\n"                      // 8
      "https://i.redd.it/abc.jpg?utm_source=share";             // 9: same as 6, no newline
  const std::vector<UrlLine> lines = ParseUrlLines(pasted, RealDirectory());
  ASSERT_EQ(lines.size(), 7u);

  EXPECT_EQ(lines[0].line, 1);
  EXPECT_TRUE(lines[0].ok);
  EXPECT_EQ(lines[0].original, "https://www.instagram.com/p/C1a2B3c4D5e/?igsh=MXh5");
  EXPECT_EQ(lines[0].normalized, "https://www.instagram.com/p/C1a2B3c4D5e/");
  EXPECT_EQ(lines[0].host, "www.instagram.com");
  EXPECT_EQ(lines[0].registrable_domain, "instagram.com");
  EXPECT_EQ(lines[0].platform, "instagram");
  EXPECT_EQ(lines[0].duplicate_of_line, 0);

  EXPECT_EQ(lines[1].line, 4);
  EXPECT_TRUE(lines[1].ok);
  EXPECT_EQ(lines[1].normalized, lines[0].normalized);
  EXPECT_EQ(lines[1].duplicate_of_line, 1);

  EXPECT_EQ(lines[2].line, 5);
  EXPECT_FALSE(lines[2].ok);
  EXPECT_EQ(lines[2].error_code, StatusCode::kInvalidArgument);
  EXPECT_NE(lines[2].error.find("\"javascript:\""), std::string::npos) << lines[2].error;
  EXPECT_EQ(lines[2].original, "javascript:alert(1)");
  EXPECT_TRUE(lines[2].normalized.empty());
  EXPECT_TRUE(lines[2].url.empty());

  EXPECT_EQ(lines[3].line, 6);
  EXPECT_EQ(lines[3].original, "i.redd.it/abc.jpg");
  EXPECT_EQ(lines[3].url, "https://i.redd.it/abc.jpg") << "what is stored has a scheme";
  EXPECT_EQ(lines[3].platform, "reddit");
  EXPECT_EQ(lines[3].registrable_domain, "redd.it");

  EXPECT_EQ(lines[4].line, 7);
  EXPECT_FALSE(lines[4].ok);
  EXPECT_EQ(lines[4].original, "https://unknown-site.example/v/1\xEF\xBF\xBD");

  EXPECT_EQ(lines[5].line, 8);
  EXPECT_TRUE(lines[5].ok);
  EXPECT_EQ(lines[5].platform, "");
  EXPECT_EQ(lines[5].duplicate_of_line, 0);

  EXPECT_EQ(lines[6].line, 9);
  EXPECT_EQ(lines[6].duplicate_of_line, 6);
}

TEST(ParseUrlLines, EmptyPasteAndOverlongLines) {
  EXPECT_TRUE(ParseUrlLines("", RealDirectory()).empty());
  EXPECT_TRUE(ParseUrlLines("\n \n#x\n\xEF\xBB\xBF\n", RealDirectory()).empty());
  const std::string huge = "https://example.com/" + std::string(100000, 'a');
  const std::vector<UrlLine> lines = ParseUrlLines(huge, RealDirectory());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].error_code, StatusCode::kTooLarge);
  EXPECT_EQ(lines[0].original.size(), kMaxUrlBytes);
}

// A valid one-platform file that each broken-file test damages in one place.
constexpr std::string_view kValid = R"(schema_version = 1
last_reviewed = "2026-01-31"

[[platform]]
id = "alpha"
name = "Alpha"
kind = "social"
operator = "Alpha Inc."
domains = ["alpha.example", "alpha-cdn.example"]
languages = ["en", "zh-Hant"]
deadline_hours = 48
deadline_basis = "test"
ncii_partner = false
escalation = ["hosting", "registrar"]
notes = "A test entry."

[[platform.channel]]
kind = "web_form"
url = "https://alpha.example/report"
address = ""
label = "Report form"

[[platform.channel]]
kind = "email"
url = ""
address = "abuse@alpha.example"
label = "Abuse mailbox"
)";

constexpr std::string_view kSecond = R"(
[[platform]]
id = "beta"
name = "Beta"
kind = "cdn"
operator = "Beta Ltd"
domains = ["cdn.alpha.example"]
languages = ["en"]
deadline_hours = 72
deadline_basis = "Takedown default"
ncii_partner = true
escalation = []

[[platform.channel]]
kind = "api"
url = "https://beta.example/api"
address = ""
label = "Abuse API"
)";

class BrokenFile : public ::testing::Test {
 protected:
  // Writes the text to a file of its own and loads it.
  Result<PlatformDirectory> LoadText(std::string_view text) {
    path_ = ::testing::TempDir() + "platforms_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml";
    std::ofstream(path_, std::ios::binary) << text;
    return PlatformDirectory::Load(path_);
  }

  // kValid with `from` replaced by `to`, loaded; expects the error code and message parts.
  void ExpectError(std::string_view from, std::string_view to, StatusCode code,
                   std::vector<std::string> parts) {
    std::string text(kValid);
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    auto loaded = LoadText(text);
    ASSERT_FALSE(loaded.ok()) << to;
    EXPECT_EQ(loaded.status().code(), code) << loaded.status().message();
    parts.push_back(path_);
    for (const std::string& part : parts) {
      EXPECT_NE(loaded.status().message().find(part), std::string::npos)
          << "\"" << loaded.status().message() << "\" lacks \"" << part << "\"";
    }
  }

  std::string path_;
};

TEST_F(BrokenFile, ValidFileLoadsAndLongestDomainWins) {
  auto loaded = LoadText(std::string(kValid) + std::string(kSecond));
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const PlatformDirectory& dir = *loaded;
  ASSERT_EQ(dir.all().size(), 2u);
  EXPECT_EQ(dir.Classify("alpha.example")->id, "alpha");
  EXPECT_EQ(dir.Classify("www.alpha.example")->id, "alpha");
  EXPECT_EQ(dir.Classify("cdn.alpha.example")->id, "beta");
  EXPECT_EQ(dir.Classify("img.cdn.alpha.example")->id, "beta");
  EXPECT_EQ(dir.Classify("xcdn.alpha.example")->id, "alpha");
  EXPECT_EQ(dir.Classify("example"), nullptr);
  EXPECT_EQ(dir.Classify(""), nullptr);
  const Platform& alpha = dir.all()[0];
  EXPECT_EQ(alpha.languages, (std::vector<std::string>{"en", "zh-Hant"}));
  EXPECT_EQ(alpha.escalation, (std::vector<std::string>{"hosting", "registrar"}));
  ASSERT_EQ(alpha.channels.size(), 2u);
  EXPECT_EQ(alpha.channels[1].kind, domain::ChannelKind::kEmail);
  EXPECT_EQ(alpha.channels[1].address, "abuse@alpha.example");
  EXPECT_TRUE(dir.all()[1].ncii_partner);
  EXPECT_EQ(dir.all()[1].deadline_hours, 72);
}

TEST_F(BrokenFile, MissingFileIsNotFound) {
  auto loaded = PlatformDirectory::Load(::testing::TempDir() + "no/such/platforms.toml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kNotFound);
  EXPECT_NE(loaded.status().message().find("no/such/platforms.toml"), std::string::npos);
}

TEST_F(BrokenFile, InvalidTomlIsCorruptWithItsLine) {
  ExpectError("name = \"Alpha\"", "name = \"Alpha", StatusCode::kCorrupt,
              {"line 6", "not valid TOML"});
  ExpectError("ncii_partner = false", "ncii_partner = false\nncii_partner = true",
              StatusCode::kCorrupt, {"not valid TOML"});
}

TEST_F(BrokenFile, TopLevelProblems) {
  ExpectError("schema_version = 1", "schema_version = 2", StatusCode::kInvalidArgument,
              {"line 1", "schema_version must be 1"});
  ExpectError("schema_version = 1\n", "", StatusCode::kInvalidArgument, {"schema_version"});
  ExpectError("last_reviewed = \"2026-01-31\"", "last_reviewed = \"January\"",
              StatusCode::kInvalidArgument, {"last_reviewed"});
  ExpectError("last_reviewed", "reviewed_on = \"2026-01-31\"\nlast_reviewed",
              StatusCode::kInvalidArgument, {"unknown field \"reviewed_on\""});
  auto empty = LoadText("schema_version = 1\nlast_reviewed = \"2026-01-31\"\n");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("no [[platform]]"), std::string::npos);
}

TEST_F(BrokenFile, PlatformFieldProblemsNameThePlatform) {
  const auto kInvalid = StatusCode::kInvalidArgument;
  ExpectError("id = \"alpha\"", "id = \"Alpha Site\"", kInvalid, {"platform #1", "Alpha Site"});
  ExpectError("id = \"alpha\"\n", "", kInvalid, {"platform #1", "\"id\" is missing"});
  ExpectError("name = \"Alpha\"\n", "", kInvalid, {"platform \"alpha\"", "\"name\" is missing"});
  ExpectError("kind = \"social\"", "kind = \"blog\"", kInvalid, {"\"alpha\"", "kind \"blog\""});
  ExpectError("\"alpha.example\", ", "\"Alpha.example\", ", kInvalid, {"\"alpha\"", "lowercase"});
  ExpectError("\"alpha.example\", ", "\"www.alpha.example\", ", kInvalid, {"www."});
  ExpectError("\"alpha.example\", ", "\"https://alpha.example/\", ", kInvalid,
              {"is not a domain name"});
  ExpectError("\"alpha-cdn.example\"", "\"alpha.example\"", kInvalid,
              {"domain \"alpha.example\" is already listed by platform \"alpha\""});
  ExpectError("[\"en\", \"zh-Hant\"]", "[]", kInvalid, {"languages"});
  ExpectError("\"zh-Hant\"", "\"Chinese\"", kInvalid, {"\"Chinese\" is not a language tag"});
  ExpectError("deadline_hours = 48", "deadline_hours = 0", kInvalid, {"line 11", "deadline_hours"});
  ExpectError("deadline_hours = 48", "deadline_hours = -5", kInvalid, {"deadline_hours"});
  ExpectError("deadline_hours = 48", "deadline_hours = \"48\"", kInvalid, {"deadline_hours"});
  ExpectError("ncii_partner = false", "ncii_partner = \"no\"", kInvalid, {"ncii_partner"});
  ExpectError("\"hosting\", \"registrar\"", "\"hosting\", \"police\"", kInvalid,
              {"\"alpha\"", "escalation rung \"police\""});
  ExpectError("\"hosting\", \"registrar\"", "\"hosting\", \"hosting\"", kInvalid, {"listed twice"});
  ExpectError("deadline_basis", "deadline_hour = 48\ndeadline_basis", kInvalid,
              {"unknown field \"deadline_hour\""});
  ExpectError("[\"alpha.example\", \"alpha-cdn.example\"]", "\"alpha.example\"", kInvalid,
              {"\"domains\" must be a list of strings"});
}

TEST_F(BrokenFile, ChannelProblemsNameThePlatform) {
  const auto kInvalid = StatusCode::kInvalidArgument;
  ExpectError("kind = \"web_form\"", "kind = \"fax\"", kInvalid,
              {"platform \"alpha\"", "channel kind \"fax\""});
  ExpectError("url = \"https://alpha.example/report\"", "url = \"http://alpha.example/report\"",
              kInvalid, {"\"alpha\"", "needs an https:// url"});
  ExpectError("url = \"https://alpha.example/report\"", "url = \"\"", kInvalid, {"https://"});
  ExpectError("address = \"abuse@alpha.example\"", "address = \"abuse at alpha\"", kInvalid,
              {"\"alpha\"", "needs an address"});
  ExpectError("label = \"Report form\"", "label = \"\"", kInvalid, {"\"label\" is empty"});
  ExpectError("label = \"Report form\"", "label = \"Form\"\nphone = \"123\"", kInvalid,
              {"unknown field \"phone\""});
  std::string no_channels(kValid.substr(0, kValid.find("[[platform.channel]]")));
  auto loaded = LoadText(no_channels);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("at least one [[platform.channel]]"), std::string::npos);
}

// Issue 21: a platform's child-safety route is read as strictly as its other channels, and a
// platform without one has none (its notices about a minor use its ordinary channels).
TEST_F(BrokenFile, ChildSafetyChannelsAreReadAndChecked) {
  const std::string child = R"(
[[platform.child_safety]]
kind = "email"
url = ""
address = "child-safety@alpha.example"
label = "Child sexual abuse material"
)";
  auto loaded = LoadText(std::string(kValid) + child + std::string(kSecond));
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const Platform& alpha = loaded->all()[0];
  ASSERT_EQ(alpha.child_safety.size(), 1u);
  EXPECT_EQ(alpha.child_safety[0].destination(), "child-safety@alpha.example");
  EXPECT_EQ(alpha.channels.size(), 2u) << "the ordinary channels are unchanged";
  EXPECT_TRUE(loaded->all()[1].child_safety.empty());

  std::string bad = std::string(kValid) + child;
  bad.replace(bad.find("child-safety@alpha.example"), 26, "the child safety team");
  auto refused = LoadText(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("needs an address"), std::string::npos)
      << refused.status().message();
}

TEST_F(BrokenFile, DuplicateIdsAreRefused) {
  std::string text = std::string(kValid) + std::string(kSecond);
  text.replace(text.find("id = \"beta\""), 11, "id = \"alpha\"");
  auto loaded = LoadText(text);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("platform \"alpha\": the id is used by an earlier"),
            std::string::npos)
      << loaded.status().message();
}

}  // namespace
}  // namespace takedown::platforms
