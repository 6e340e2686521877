// The PDF, read back with poppler's tools (poppler-utils): pdftotext for its words and numbers,
// pdftoppm to prove it renders. Page 1 in each language is kept as PNG for review in
// <build>/report-screenshots/.
#include "report/pdf.h"

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "report/advocacy.h"
#include "report/charts.h"
#include "report/html.h"
#include "report/report_test_util.h"

extern char** environ;

namespace takedown::report {
namespace {

namespace fs = std::filesystem;

// A folder of its own for one test, removed after.
class PdfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "report-pdf-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs a program (no shell) and returns its exit status.
  static int Run(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  static std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  fs::path Save(const std::string& bytes, const std::string& name) {
    fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  // The PDF's text, pages separated by form feeds.
  std::string Text(const std::string& pdf) {
    fs::path in = Save(pdf, "text.pdf"), out = dir_ / "text.txt";
    EXPECT_EQ(Run({"pdftotext", "-enc", "UTF-8", in.string(), out.string()}), 0);
    return Read(out);
  }

  static std::vector<std::string> Pages(const std::string& text) {
    std::vector<std::string> pages;
    std::stringstream in(text);
    for (std::string page; std::getline(in, page, '\f');) pages.push_back(page);
    return pages;
  }

  static std::set<std::string> Words(const std::string& text) {
    std::set<std::string> words;
    std::stringstream in(text);
    for (std::string w; in >> w;) words.insert(w);
    return words;
  }

  Document Report(std::string_view language) {
    auto labels = Labels::Load(TAKEDOWN_SOURCE_DIR "/data", language);
    EXPECT_TRUE(labels.ok()) << labels.status().message();
    return BuildAdvocacyReport(figures_, {"Survivor Support Line", testing::kJul2026},
                               labels.ok() ? *labels : Labels());
  }

  std::string Pdf(const Document& doc) {
    Result<std::string> pdf = WritePdf(doc);
    EXPECT_TRUE(pdf.ok()) << pdf.status().message();
    return pdf.ok() ? *pdf : "";
  }

  fs::path dir_;
  const stats::Figures figures_ = testing::SampleFigures();
};

TEST_F(PdfTest, RendersEveryPageAndKeepsPageOneForReview) {
  const fs::path shots = TAKEDOWN_REPORT_SCREENSHOTS;
  fs::create_directories(shots);
  for (const char* language : {"en", "zh-Hant"}) {
    const Document doc = Report(language);
    const std::string pdf = Pdf(doc);
    ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u) << language;
    const fs::path file = Save(pdf, std::string(language) + ".pdf");
    ASSERT_EQ(Run({"pdftoppm", "-png", "-r", "50", file.string(), (dir_ / language).string()}), 0);
    std::vector<fs::path> pngs;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().extension() == ".png" && e.path().stem().string().rfind(language, 0) == 0) {
        pngs.push_back(e.path());
      }
    }
    std::sort(pngs.begin(), pngs.end());
    ASSERT_GE(pngs.size(), 3u) << language;
    for (const fs::path& png : pngs) {
      const std::string bytes = Read(png);
      EXPECT_EQ(bytes.rfind("\x89PNG", 0), 0u) << png;
      EXPECT_GT(bytes.size(), 4000u) << png << " looks blank";
    }
    fs::copy_file(pngs.front(), shots / ("report-" + std::string(language) + "-page1.png"),
                  fs::copy_options::overwrite_existing);
    std::ofstream(shots / ("report-" + std::string(language) + ".pdf"), std::ios::binary) << pdf;
    std::ofstream(shots / ("report-" + std::string(language) + ".html")) << WriteHtml(doc);
  }
}

TEST_F(PdfTest, HasEveryFigureFormattedAsTheHtmlAndJsonHaveThem) {
  for (const char* language : {"en", "zh-Hant"}) {
    const std::string text = Text(Pdf(Report(language)));
    const std::set<std::string> words = Words(text);
    for (const std::string& value : testing::FormattedFigures(figures_)) {
      EXPECT_TRUE(words.count(value) > 0 || text.find(value) != std::string::npos)
          << language << ": " << value;
    }
    for (const auto& p : figures_.platforms) {
      EXPECT_EQ(words.count(FormatShare(p.removal_rate, p.notices_sent)), 1u) << p.name;
      EXPECT_NE(text.find(p.name), std::string::npos) << p.name;  // the table and the chart
    }
    EXPECT_NE(text.find("<script>&\""), std::string::npos);  // printed as it is, harmlessly
  }
}

// What the JSON export says and what the PDF prints agree, through format.h.
TEST_F(PdfTest, PrintsEachPlatformsRemovalRateAsTheJsonExportHasIt) {
  const nlohmann::json json = stats::ToJson(figures_);
  ASSERT_EQ(json["platforms"].size(), figures_.platforms.size());
  for (const char* language : {"en", "zh-Hant"}) {
    const std::set<std::string> words = Words(Text(Pdf(Report(language))));
    for (const nlohmann::json& p : json["platforms"]) {
      const stats::Share rate =
          p["removal_rate"].is_null() ? stats::Share() : p["removal_rate"].get<double>();
      const stats::Count sent =
          p["notices_sent"].is_null() ? stats::Count() : p["notices_sent"].get<int64_t>();
      EXPECT_EQ(words.count(FormatShare(rate, sent)), 1u) << p["name"];
    }
  }
}

TEST_F(PdfTest, TraditionalChineseIsShapedWithARealFont) {
  const std::string text = Text(Pdf(Report("zh-Hant")));
  for (const char* words : {"讓私密影像下架", "移除率", "各平台的移除情況", "不公開 [c]", "連登"}) {
    EXPECT_NE(text.find(words), std::string::npos) << words;
  }
}

TEST_F(PdfTest, WithheldValuesShowTheMarker) {
  const std::string text = Text(Pdf(Report("en")));
  EXPECT_NE(text.find("withheld [c]"), std::string::npos);  // the chart's bar
  EXPECT_NE(text.find("[c]: withheld, being from 1 to 9"), std::string::npos);
  EXPECT_GE(Words(text).count("[c]"), 1u);
}

TEST_F(PdfTest, ALongTableRepeatsItsHeaderOnEveryPage) {
  Table table{"Caption", {"HeaderAlpha", "HeaderBeta"}, {false, true}, {}, {"a footnote"}};
  for (int i = 0; i < 150; ++i) {
    table.rows.push_back({"row-" + std::to_string(1000 + i), FormatInteger(i * 1001)});
  }
  const Document doc{"en", "Long", "", {{"Section", {Paragraph{"intro"}, table}}}};
  const std::vector<std::string> pages = Pages(Text(Pdf(doc)));
  int with_rows = 0;
  for (const std::string& page : pages) {
    const size_t first_row = page.find("row-");
    if (first_row == std::string::npos) continue;
    ++with_rows;
    const size_t header = page.find("HeaderAlpha");
    ASSERT_NE(header, std::string::npos) << page;
    EXPECT_LT(header, first_row);
    EXPECT_NE(page.find("HeaderBeta"), std::string::npos);
  }
  EXPECT_GE(with_rows, 3);
  EXPECT_NE(pages.back().find("row-1149"), std::string::npos);
  EXPECT_NE(pages.back().find("a footnote"), std::string::npos);
}

TEST_F(PdfTest, AChartIsNeverSplitFromItsCaption) {
  Section s{"Section", {}};
  for (int i = 0; i < 40; ++i)
    s.blocks.push_back(Paragraph{"filler paragraph " + std::to_string(i)});
  s.blocks.push_back(Chart{ShareBarChart("c", "alt", {"UniqueBarLabel", "Other"},
                                         {{0.5, "50%", false}, {0.25, "25%", false}}),
                           "UniqueCaption"});
  const std::vector<std::string> pages = Pages(Text(Pdf(Document{"en", "T", "", {s}})));
  ASSERT_GE(pages.size(), 2u);
  bool found = false;
  for (const std::string& page : pages) {
    if (page.find("UniqueCaption") == std::string::npos) continue;
    found = true;
    EXPECT_NE(page.find("UniqueBarLabel"), std::string::npos);  // drawn by librsvg, as text
    EXPECT_NE(page.find("25%"), std::string::npos);
  }
  EXPECT_TRUE(found);
}

TEST_F(PdfTest, EmptyFiguresStillMakeAReport) {
  stats::Figures empty;
  empty.k = 10;
  auto labels = Labels::Load(TAKEDOWN_SOURCE_DIR "/data", "en");
  ASSERT_TRUE(labels.ok());
  const std::string text = Text(Pdf(BuildAdvocacyReport(empty, {"Org", 0}, *labels)));
  EXPECT_NE(text.find("None in this period."), std::string::npos);
}

TEST_F(PdfTest, HostileTextIsDrawnNotInterpreted) {
  const Document doc{
      "en", "T<b>\x01", "sub", {{"<i>", {Paragraph{"broken \xff utf-8 & <markup>"}}}}};
  const std::string text = Text(Pdf(doc));
  EXPECT_NE(text.find("broken"), std::string::npos);
  EXPECT_NE(text.find("& <markup>"), std::string::npos);
  EXPECT_NE(text.find("<i>"), std::string::npos);
}

}  // namespace
}  // namespace takedown::report
