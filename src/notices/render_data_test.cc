// Tests of the library's validation of its data: a writable copy of the data folder, broken in
// each way a template or profile can be, must be refused with a clear error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "notices/render.h"
#include "notices/render_test_util.h"

namespace takedown::notify {
namespace {

using namespace render_testing;  // NOLINT: the library and inputs every render test uses

// A writable copy of the data folder for the tests that break it.
class NoticeBrokenData : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("notify_data_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::filesystem::copy(kDataDir + "/jurisdictions", dir_ / "jurisdictions");
    std::filesystem::copy(kDataDir + "/templates", dir_ / "templates",
                          std::filesystem::copy_options::recursive);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Read(const std::string& rel) {
    std::ifstream in(dir_ / rel, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(dir_ / rel, std::ios::binary | std::ios::trunc) << text;
  }
  void Replace(const std::string& rel, const std::string& from, const std::string& to) {
    std::string text = Read(rel);
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from << " not in " << rel;
    text.replace(at, from.size(), to);
    Write(rel, text);
  }
  // Loads, expecting failure with a message that holds every fragment.
  void ExpectLoadFails(std::initializer_list<std::string_view> fragments) {
    Result<NoticeLibrary> lib = NoticeLibrary::Load(dir_);
    ASSERT_FALSE(lib.ok());
    for (std::string_view f : fragments) {
      EXPECT_TRUE(Contains(lib.status().message(), f))
          << f << " not in: " << lib.status().message();
    }
  }

  std::filesystem::path dir_;
};

TEST_F(NoticeBrokenData, TheCopyLoads) { EXPECT_TRUE(NoticeLibrary::Load(dir_).ok()); }

TEST_F(NoticeBrokenData, RejectsAProfileThatLeavesItsDeadlineOrElementsOpen) {
  Replace("jurisdictions/uk.toml", "deadline = \"\"\"Resolved: 48 hours",
          "deadline = \"\"\"Confirm: 48 hours");
  ExpectLoadFails({"uk.toml", "review", "\"deadline\" must start with"});
  SetUp();
  Replace("jurisdictions/my.toml", "Safe default: the larger set", "Meanwhile, the larger set");
  ExpectLoadFails({"my.toml", "review", "\"elements\" is kept unresolved", "Safe default: "});
  SetUp();
  const std::string text = Read("jurisdictions/sg.toml");
  const size_t from = text.find("\n[review]\n");
  const size_t to = text.find("\n[[element]]\n");
  ASSERT_NE(from, std::string::npos);
  Write("jurisdictions/sg.toml", text.substr(0, from) + text.substr(to));
  ExpectLoadFails({"sg.toml", "there is no [review]"});
}

TEST_F(NoticeBrokenData, RejectsAnUnknownTemplateVariable) {
  Replace("templates/host/ms.txt.mustache", "{{{org_name}}}", "{{{org_nmae}}}");
  ExpectLoadFails({"host/ms.txt.mustache", "org_nmae", "not a variable"});
}

TEST_F(NoticeBrokenData, RejectsAnItemVariableOutsideTheItems) {
  Replace("templates/platform/en.html.mustache", "<h1>{{basis_title}}</h1>", "<h1>{{url}}</h1>");
  ExpectLoadFails({"platform/en.html.mustache", "\"url\""});
}

TEST_F(NoticeBrokenData, RejectsEscapingInTextAndRawValuesInHtml) {
  Replace("templates/cdn/en.txt.mustache", "{{{recipient_name}}}", "{{recipient_name}}");
  ExpectLoadFails({"cdn/en.txt.mustache", "must not HTML-escape"});
  SetUp();
  Replace("templates/cdn/en.html.mustache", "{{recipient_name}}", "{{{recipient_name}}}");
  ExpectLoadFails({"cdn/en.html.mustache", "must escape"});
  SetUp();
  Replace("templates/cdn/en.html.mustache", "{{recipient_name}}", "{{&recipient_name}}");
  ExpectLoadFails({"cdn/en.html.mustache", "must escape"});
}

TEST_F(NoticeBrokenData, RejectsUnbalancedSectionsPartialsAndDelimiters) {
  Replace("templates/registrar/en.txt.mustache", "{{/title}}", "");
  ExpectLoadFails({"registrar/en.txt.mustache"});
  SetUp();
  Replace("templates/registrar/en.txt.mustache", "{{/title}}", "{{> footer}}{{/title}}");
  ExpectLoadFails({"partials"});
  SetUp();
  Replace("templates/registrar/en.txt.mustache", "{{/title}}", "{{/title}}{{=<% %>=}}");
  ExpectLoadFails({"delimiters"});
}

TEST_F(NoticeBrokenData, RejectsTextAndHtmlThatSayDifferentThings) {
  Replace("templates/platform/zh-Hant.html.mustache", "{{#org_phone}}", "{{#org_fax}}");
  ExpectLoadFails({"org_fax"});
  SetUp();
  std::string html = Read("templates/platform/zh-Hant.html.mustache");
  const size_t from = html.find("{{#org_phone}}");
  const size_t to = html.find("{{/org_phone}}") + std::string("{{/org_phone}}").size();
  html.erase(from, to - from);
  Write("templates/platform/zh-Hant.html.mustache", html);
  ExpectLoadFails({"platform/zh-Hant", "org_phone (only in txt)"});
}

TEST_F(NoticeBrokenData, RejectsAMissingTemplateOrLanguage) {
  std::filesystem::remove(dir_ / "templates/regulator/ms.html.mustache");
  ExpectLoadFails({"regulator/ms.html.mustache"});
  SetUp();
  std::filesystem::remove(dir_ / "templates/registrar/zh-Hant.txt.mustache");
  std::filesystem::remove(dir_ / "templates/registrar/zh-Hant.html.mustache");
  std::filesystem::remove(dir_ / "templates/registrar/zh-Hant.subject.mustache");
  ExpectLoadFails({"registrar", "zh-Hant"});
  SetUp();
  Write("templates/platform/en.text.mustache", "x");
  ExpectLoadFails({"en.text.mustache", "is not named"});
}

TEST_F(NoticeBrokenData, RejectsAProfileTextMissingALanguage) {
  Replace("jurisdictions/hk.toml", "title.ms = \"Permintaan menurunkan imej intim",
          "title.xx = \"Permintaan menurunkan imej intim");
  ExpectLoadFails({"hk.toml", "title.xx", "no templates in that language"});
  SetUp();
  Replace("jurisdictions/sg.toml", "name.ms = \"Singapura\"\n", "");
  ExpectLoadFails({"sg.toml", "name.ms", "missing"});
}

TEST_F(NoticeBrokenData, RejectsProfileSchemaErrors) {
  Replace("jurisdictions/us.toml", "id = \"good_faith\"\nlabel", "id = \"good_fiath\"\nlabel");
  ExpectLoadFails({"us.toml", "good_fiath", "neither a checked element"});
  SetUp();
  Replace("jurisdictions/eu.toml", "kinds = [\"registrar\", \"cdn\"]", "kinds = [\"registrar\"]");
  ExpectLoadFails({"eu.toml", "\"cdn\""});
  SetUp();
  Replace("jurisdictions/uk.toml", "deadline_hours = 48", "deadline_hours = -1");
  ExpectLoadFails({"uk.toml", "deadline_hours"});
  SetUp();
  Replace(
      "jurisdictions/au.toml",
      "url = \"https://www.esafety.gov.au/key-topics/image-based-abuse/report-image-based-abuse\"",
      "url = \"http://www.esafety.gov.au/\"");
  ExpectLoadFails({"au.toml", "https://"});
  SetUp();
  Replace("jurisdictions/hk.toml", "cites = [\"Cap. 579\"]", "cites = [\"Cap. 999\"]");
  ExpectLoadFails({"hk.toml", "Cap. 999", "does not cite"});
  SetUp();
  Replace("jurisdictions/uk.toml",
          "label = \"the declarations of an intimate image content report (OSA 2023 "
          "s.20A(2)(a)-(c))\"\nkinds = [\"platform\"]",
          "label = \"the declarations\"");
  ExpectLoadFails({"uk.toml", "iic_report", "not printed for kind"});
  SetUp();
  Replace("jurisdictions/my.toml", "{{org_name}}, acting", "{{#org_name}}x{{/org_name}}, acting");
  ExpectLoadFails({"my.toml", "no sections"});
  SetUp();
  Replace("jurisdictions/my.toml", "{{org_name}}, acting", "{{basis_text}}, acting");
  ExpectLoadFails({"my.toml", "basis_text"});
  SetUp();
  Replace("jurisdictions/sg.toml", "id = \"SG\"", "id = \"MY\"");
  ExpectLoadFails({"sg.toml", "file name"});
  SetUp();
  Replace("jurisdictions/hk.toml", "aliases = [\"HKG\"]", "aliases = [\"GB\"]");
  ExpectLoadFails({"\"GB\" is already"});
  SetUp();
  Replace("jurisdictions/us.toml", "reviewed_by = \"\"", "reviewd_by = \"\"");
  ExpectLoadFails({"us.toml", "unknown field \"reviewd_by\""});
  SetUp();
  Replace("jurisdictions/us.toml", "[regulator]\nname", "[regulatr]\nname");
  ExpectLoadFails({"us.toml"});
  SetUp();
  std::filesystem::remove(dir_ / "jurisdictions/default.toml");
  ExpectLoadFails({"default.toml"});
  SetUp();
  Write("jurisdictions/xx.toml", "schema_version = 1\nid = [");
  ExpectLoadFails({"xx.toml", "not valid TOML"});
}

}  // namespace
}  // namespace takedown::notify
