// The report's model, numbers, words, charts and HTML page. PDF tests are in pdf_test.cc.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "report/advocacy.h"
#include "report/charts.h"
#include "report/format.h"
#include "report/html.h"
#include "report/labels.h"
#include "report/report_test_util.h"

namespace takedown::report {
namespace {

namespace fs = std::filesystem;
using testing::kHostileName;
using testing::SampleFigures;

const fs::path kDataDir = TAKEDOWN_SOURCE_DIR "/data";

Labels MustLoad(std::string_view language) {
  auto labels = Labels::Load(kDataDir, language);
  EXPECT_TRUE(labels.ok()) << labels.status().message();
  return labels.ok() ? std::move(*labels) : Labels();
}

std::string Html(std::string_view language, const stats::Figures& f = SampleFigures()) {
  return WriteHtml(
      BuildAdvocacyReport(f, {"Survivor Support Line", testing::kJul2026}, MustLoad(language)));
}

TEST(Format, NumbersReadTheSameInEveryLanguage) {
  EXPECT_EQ(FormatInteger(0), "0");
  EXPECT_EQ(FormatInteger(999), "999");
  EXPECT_EQ(FormatInteger(1234567), "1,234,567");
  EXPECT_EQ(FormatInteger(-1234), "-1,234");
  EXPECT_EQ(FormatPercent(0), "0%");
  EXPECT_EQ(FormatPercent(0.5), "50%");
  EXPECT_EQ(FormatPercent(0.714), "71%");
  EXPECT_EQ(FormatPercent(1), "100%");
  EXPECT_EQ(FormatHours(36.54), "36.5");
  EXPECT_EQ(FormatHours(0.04), "0.0");
  EXPECT_EQ(FormatDate(testing::kJan2026), "2026-01-01");
}

TEST(Format, AShareNeverRoundsToNoneOrAll) {
  EXPECT_EQ(FormatPercent(0.004), "1%");
  EXPECT_EQ(FormatPercent(0.996), "99%");
}

TEST(Format, WithheldIsTheMarkerAndNothingToMeasureIsADash) {
  EXPECT_EQ(FormatCount(std::nullopt), "[c]");
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatShare(std::nullopt, std::nullopt), "[c]");
  EXPECT_EQ(FormatShare(std::nullopt, 40), "[c]");  // its numerator was withheld
  EXPECT_EQ(FormatShare(std::nullopt, 0), "—");
  EXPECT_EQ(FormatShare(0.25, 40), "25%");
  EXPECT_EQ(FormatHours(std::nullopt, std::nullopt), "[c]");
  EXPECT_EQ(FormatHours(std::nullopt, 0), "—");
}

// --- labels

TEST(Labels, EveryLanguageHasEveryKey) {
  int languages = 0;
  for (const auto& entry : fs::directory_iterator(kDataDir / "report")) {
    if (entry.path().extension() != ".toml") continue;
    ++languages;
    auto labels = Labels::Load(kDataDir, entry.path().stem().string());
    EXPECT_TRUE(labels.ok()) << entry.path() << ": " << labels.status().message();
  }
  EXPECT_GE(languages, 2);
  EXPECT_EQ(MustLoad("en").Text("col_platform"), "Platform");
  EXPECT_EQ(MustLoad("zh-Hant").Text("col_platform"), "平台");
  EXPECT_EQ(MustLoad("en").Text("note_withheld", {{"k", "10"}, {"max", "9"}}).substr(0, 34),
            "[c]: withheld, being from 1 to 9 o");
}

TEST(Labels, NoReportEverPrintsAMissingLabel) {
  for (const char* language : {"en", "zh-Hant"}) {
    EXPECT_EQ(Html(language).find("[missing label"), std::string::npos) << language;
  }
}

class BrokenTranslation : public ::testing::Test {
 protected:
  // A data folder whose "xx" translation is en.toml edited by `edit`.
  Result<Labels> LoadEdited(const std::function<void(std::string*)>& edit) {
    std::ifstream in(kDataDir / "report" / "en.toml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    edit(&text);
    fs::create_directories(dir_ / "report");
    std::ofstream(dir_ / "report" / "xx.toml") << text;
    return Labels::Load(dir_, "xx");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_ =
      fs::temp_directory_path() /
      ("report-labels-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
       ::testing::UnitTest::GetInstance()->current_test_info()->name());
};

TEST_F(BrokenTranslation, UnchangedLoads) {
  EXPECT_TRUE(LoadEdited([](std::string*) {}).ok());
}

TEST_F(BrokenTranslation, AMissingKeyIsRefused) {
  auto labels = LoadEdited([](std::string* t) {
    t->erase(t->find("col_platform ="),
             t->find('\n', t->find("col_platform =")) - t->find("col_platform =") + 1);
  });
  ASSERT_FALSE(labels.ok());
  EXPECT_NE(labels.status().message().find("col_platform"), std::string::npos)
      << labels.status().message();
}

TEST_F(BrokenTranslation, AnUnknownKeyIsRefused) {
  auto labels = LoadEdited([](std::string* t) { *t += "col_platfrom = \"Platform\"\n"; });
  ASSERT_FALSE(labels.ok());
  EXPECT_NE(labels.status().message().find("col_platfrom"), std::string::npos);
}

TEST_F(BrokenTranslation, ADroppedOrStrayPlaceholderIsRefused) {
  EXPECT_FALSE(LoadEdited([](std::string* t) {
                 t->replace(t->find("from 1 to {max}"), 15, "from 1 to 9");
               }).ok());
  EXPECT_FALSE(LoadEdited([](std::string* t) {
                 t->replace(t->find("from 1 to {max}"), 15, "from 1 to {n}");
               }).ok());
  EXPECT_FALSE(LoadEdited([](std::string* t) {
                 t->replace(t->find("from 1 to {max}"), 15, "from 1 to {max");
               }).ok());
}

TEST(Labels, AnUnknownLanguageIsNotFound) {
  EXPECT_EQ(Labels::Load(kDataDir, "fr").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Labels::Load(kDataDir, "../en").status().code(), StatusCode::kInvalidArgument);
}

// --- charts

// The rect elements of an SVG whose class starts with "bar"; -1 when it is not well-formed XML.
int CountBars(const Svg& svg, int* hatched = nullptr) {
  const std::string& m = svg.markup();
  xmlDocPtr doc = xmlReadMemory(m.data(), static_cast<int>(m.size()), "chart.svg", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == nullptr) return -1;
  int bars = 0;
  std::function<void(xmlNodePtr)> walk = [&](xmlNodePtr node) {
    for (; node != nullptr; node = node->next) {
      if (node->type == XML_ELEMENT_NODE && xmlStrEqual(node->name, BAD_CAST "rect")) {
        xmlChar* cls = xmlGetProp(node, BAD_CAST "class");
        std::string c = cls != nullptr ? reinterpret_cast<char*>(cls) : "";
        xmlFree(cls);
        if (c.rfind("bar", 0) == 0) ++bars;
        if (hatched != nullptr && c == "bar suppressed") ++*hatched;
      }
      walk(node->children);
    }
  };
  walk(xmlDocGetRootElement(doc));
  xmlFreeDoc(doc);
  return bars;
}

TEST(Charts, ABarPerPlatformAndSuppressedOnesHatched) {
  const stats::Figures f = SampleFigures();
  const Document doc = BuildAdvocacyReport(f, {"Org", 0}, MustLoad("en"));
  std::vector<const Chart*> charts;
  for (const Section& s : doc.sections) {
    for (const Block& b : s.blocks) {
      if (const auto* c = std::get_if<Chart>(&b)) charts.push_back(c);
    }
  }
  ASSERT_EQ(charts.size(), 3u);
  int hatched = 0;
  EXPECT_EQ(CountBars(charts[0]->svg, &hatched), static_cast<int>(f.platforms.size()));
  EXPECT_EQ(hatched, 1);  // Tiny Board
  EXPECT_NE(charts[0]->svg.markup().find(">withheld [c]<"), std::string::npos);
  EXPECT_NE(charts[0]->svg.markup().find("LIHKG 連登"), std::string::npos);
  hatched = 0;
  EXPECT_EQ(CountBars(charts[1]->svg, &hatched), 6);  // one per time band
  EXPECT_EQ(hatched, 1);
  hatched = 0;
  EXPECT_EQ(CountBars(charts[2]->svg, &hatched), 12);  // found and removed, six months
  EXPECT_EQ(hatched, 1);
}

TEST(Charts, HostileLabelsStayText) {
  Svg svg = ShareBarChart("x\"y", "<title>", {kHostileName, std::string("bad\x01\xff utf-8")},
                          {{0.5, "50%", false}, {std::nullopt, "—", false}});
  EXPECT_EQ(CountBars(svg), 1);
  EXPECT_EQ(svg.markup().find("<script"), std::string::npos);
  EXPECT_NE(svg.markup().find("&lt;script&gt;&amp;&quot;"), std::string::npos);
}

// --- HTML

TEST(Html, IsSelfContained) {
  for (const char* language : {"en", "zh-Hant"}) {
    std::string html = Html(language);
    std::string lower = html;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    EXPECT_EQ(lower.find("<script"), std::string::npos);
    for (const char* resource : {"<link", "<img", "<iframe", "<object", "src=", "href=", "@import",
                                 "url(h", "url(/", "url('", "url(\""}) {
      EXPECT_EQ(lower.find(resource), std::string::npos) << resource;
    }
    // The SVG namespace is a name, not something fetched; nothing else may name a web address.
    const std::string ns = "xmlns=\"http://www.w3.org/2000/svg\"";
    for (size_t at; (at = lower.find(ns)) != std::string::npos;) lower.erase(at, ns.size());
    EXPECT_EQ(lower.find("http://"), std::string::npos);
    EXPECT_EQ(lower.find("https://"), std::string::npos);
    EXPECT_NE(html.find("<html lang=\"" + std::string(language) + "\">"), std::string::npos);
    EXPECT_NE(html.find("@media print"), std::string::npos);
  }
}

TEST(Html, EscapesAHostileProviderName) {
  const std::string html = Html("en");
  EXPECT_EQ(html.find(kHostileName), std::string::npos);
  EXPECT_NE(html.find("<td>&lt;script&gt;&amp;&quot;</td>"), std::string::npos);
}

TEST(Html, ShowsEveryFigureFormatted) {
  const stats::Figures f = SampleFigures();
  for (const char* language : {"en", "zh-Hant"}) {
    const std::string html = Html(language, f);
    for (const std::string& value : testing::FormattedFigures(f)) {
      // A cell or a key figure, or a number in a sentence (the count of timed removals).
      EXPECT_TRUE(html.find(">" + value + "<") != std::string::npos ||
                  html.find(" " + value + " ") != std::string::npos)
          << language << ": " << value;
    }
    EXPECT_NE(html.find("<td class=\"num\">86%</td>"), std::string::npos);  // a right-aligned cell
  }
}

TEST(Html, WithheldFiguresAreTheMarkerNeverZero) {
  const std::string html = Html("en");
  const size_t row = html.find("<tr><td>Tiny Board</td>");
  ASSERT_NE(row, std::string::npos);
  const std::string cells = html.substr(row, html.find("</tr>", row) - row);
  EXPECT_NE(cells.find(">[c]<"), std::string::npos);
  EXPECT_EQ(cells.find(">0<"), std::string::npos) << cells;
  EXPECT_NE(html.find("<li>[c]: withheld, being from 1 to 9"), std::string::npos);
  EXPECT_NE(html.find("Counts from 1 to 9, and any figure"), std::string::npos);
  EXPECT_NE(html.find("(k = 10)"), std::string::npos);
}

TEST(Html, TheCoverSaysWhoWhenAndWhichPeriod) {
  const std::string html = Html("zh-Hant");
  EXPECT_NE(html.find("製作單位：Survivor Support Line"), std::string::npos);
  EXPECT_NE(html.find("統計期間：2026-01-01 至 2026-06-30"), std::string::npos);
  EXPECT_NE(html.find("docs/statistics.md"), std::string::npos);
  EXPECT_NE(html.find("不明"), std::string::npos);  // the unknown jurisdiction
}

TEST(Html, EmptyFiguresSayNoneInsteadOfEmptyTables) {
  stats::Figures empty;
  empty.k = 10;
  const std::string html = Html("en", empty);
  EXPECT_NE(html.find("None in this period."), std::string::npos);
  EXPECT_EQ(html.find("[missing label"), std::string::npos);
}

}  // namespace
}  // namespace takedown::report
