#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "stats/stats.h"
#include "stats/test_history.h"

namespace takedown::stats {
namespace {

using history::kFrom;
using history::kTo;

// The lines of a CSV text, without their CRLF (fields here hold no line break).
std::vector<std::string> Lines(const std::string& csv) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = csv.find("\r\n", start)) != std::string::npos; start = end + 2) {
    lines.push_back(csv.substr(start, end - start));
  }
  EXPECT_EQ(start, csv.size()) << "every line ends with CRLF";
  return lines;
}

size_t Fields(const std::string& line) {
  size_t n = 1;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) ++n;
  }
  return n;
}

Figures Seeded(int k) {
  Facts facts = history::SeededHistory();
  return Suppress(Compute(facts, kFrom, kTo, {{"telegram", "Telegram, \"the app\""}}), k);
}

TEST(ToCsv, OneTableWithASectionColumn) {
  const std::vector<std::string> lines = Lines(ToCsv(Seeded(0)));
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(lines[0].starts_with("section,key,name,kind,cases,images,videos,urls_foun"))
      << lines[0];
  EXPECT_NE(lines[0].find(",hours_0_24,hours_24_48,hours_48_72,hours_72_168,hours_168_720,"
                          "hours_over_720"),
            std::string::npos);
  // Header, totals, 4 platforms (a site's among them), 2 hosts, 2 jurisdictions, 3 months; no
  // note when k is 0.
  ASSERT_EQ(lines.size(), 13u);
  for (const std::string& line : lines) EXPECT_EQ(Fields(line), Fields(lines[0])) << line;
  EXPECT_TRUE(lines[1].starts_with(
      "totals,2026-01-01T00:00:00.000Z/2026-04-01T00:00:00.000Z,,,10,20,4,12,8"))
      << lines[1];
  EXPECT_TRUE(lines[2].starts_with("platform,telegram,\"Telegram, \"\"the app\"\"\",platform,,"))
      << lines[2];
  EXPECT_TRUE(lines[4].starts_with("platform,tube,t")) << lines[4];
  EXPECT_TRUE(lines[5].starts_with("platform,site.example,site.example,platform,,,,1,1,,,,,,0,"))
      << "its URLs found and removed: " << lines[5];
  EXPECT_TRUE(lines[6].starts_with("host,Hostco,Hostco,host,,,,,,")) << lines[6];
  EXPECT_TRUE(lines[7].starts_with("host,Reg,Reg,registrar,,,,")) << lines[7];
  EXPECT_TRUE(lines[11].starts_with("month,2026-02,,,3,,,3,2,,,")) << lines[11];
  EXPECT_TRUE(lines[0].ends_with(",hours_over_720,acted_on_shared")) << "added last";
}

TEST(ToCsv, WithheldIsMarkedAndExplained) {
  const std::vector<std::string> lines = Lines(ToCsv(Seeded(5)));
  ASSERT_EQ(lines.size(), 14u);
  EXPECT_TRUE(lines[1].starts_with(
      "totals,2026-01-01T00:00:00.000Z/2026-04-01T00:00:00.000Z,,,10,20,[c],12"))
      << lines[1];
  EXPECT_TRUE(lines.back().starts_with("note,,\"[c]: withheld, being from 1 to")) << lines.back();
  EXPECT_NE(lines.back().find(" 4 or "), std::string::npos);
  EXPECT_EQ(Fields(lines.back()), Fields(lines[0]));
}

TEST(ToCsv, NumbersAreShortestExact) {
  const std::string csv = ToCsv(Seeded(0));
  EXPECT_NE(csv.find(",0.6,"), std::string::npos) << "Telegram's removal rate, 3 of 5";
  EXPECT_NE(csv.find(",0.6666666666666666,"), std::string::npos) << "8 of 12";
}

TEST(ToJson, NullsForWithheldSurviveARoundTrip) {
  const nlohmann::json j = nlohmann::json::parse(ToJson(Seeded(5)).dump());
  EXPECT_EQ(j["k"], 5);
  EXPECT_EQ(j["from"], "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(j["totals"]["cases"], 10);
  EXPECT_TRUE(j["totals"]["videos"].is_null());
  EXPECT_TRUE(j["totals"]["reappearance_rate"].is_null());
  EXPECT_EQ(j["totals"]["time_to_removal"]["median_hours"], 30.0);
  EXPECT_TRUE(j["totals"]["time_to_removal"]["buckets"][0]["count"].is_null());
  EXPECT_EQ(j["totals"]["time_to_removal"]["buckets"][0]["max_hours"], 24.0);
  EXPECT_TRUE(j["totals"]["time_to_removal"]["buckets"][5]["max_hours"].is_null());
  EXPECT_EQ(j["platforms"][0]["name"], "Telegram, \"the app\"");
  EXPECT_EQ(j["platforms"][0]["notices_sent"], 5);
  EXPECT_TRUE(j["platforms"][0]["acted_on"].is_null());
  EXPECT_EQ(j["platforms"][1]["notices_sent"], 0) << "published: before the withheld rows";
  EXPECT_TRUE(j["platforms"][1]["urls_found"].is_null()) << "1 is below k";
  EXPECT_TRUE(j["platforms"][2]["notices_sent"].is_null());
  EXPECT_TRUE(j["platforms"][2].contains("escalations_needed"));
  EXPECT_TRUE(j["platforms"][2].contains("acted_on_shared"));
  EXPECT_FALSE(j["hosts"][0].contains("escalations_needed")) << "not defined for hosts";
  EXPECT_EQ(j["hosts"][1]["kind"], "registrar");
  EXPECT_EQ(j["jurisdictions"][0]["jurisdiction"], "GB");
  EXPECT_EQ(j["months"][2]["month"], "2026-03");
  EXPECT_TRUE(j["months"][2]["cases"].is_null());
}

TEST(ToJson, ExactFiguresHaveNoNullCounts) {
  const nlohmann::json j = ToJson(Seeded(0));
  EXPECT_EQ(j["totals"]["videos"], 4);
  EXPECT_EQ(j["hosts"][1]["time_to_removal"]["median_hours"], 608.0);
  EXPECT_EQ(j["months"][0]["notices_sent"], 5);
}

}  // namespace
}  // namespace takedown::stats
