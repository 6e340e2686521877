#include "notices/dossier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "notices/dossier_test_util.h"

namespace takedown::notify {
namespace {

using domain::RecipientKind;
using domain::SightingState;
using dossier_testing::AmpEscaped;
using dossier_testing::Complete;
using dossier_testing::kDay;
using dossier_testing::kStart;
using dossier_testing::MustRender;
using dossier_testing::Templates;
using render_testing::Contains;
using render_testing::kDataDir;
using render_testing::Library;

bool HasMissing(const Dossier& d, std::string_view id) {
  return std::any_of(d.missing.begin(), d.missing.end(),
                     [&](const Element& e) { return e.id == id; });
}

TEST(DossierTemplates, LoadFromTheDataFolder) {
  ASSERT_NO_THROW(Templates());
  // NoticeLibrary::Load accepts the dossier/ folder beside the recipient kinds.
  EXPECT_TRUE(NoticeLibrary::Load(kDataDir).ok());
}

// Every language x the profiles the project's partners work under: every URL, check, notice and
// reply is there in both forms, with the profile's law, and no template syntax leaks.
TEST(Dossier, RendersEveryLanguageForEveryProfile) {
  for (const char* jurisdiction : {"US", "HK", "MY", "default"}) {
    for (const std::string& lang : Library().languages()) {
      SCOPED_TRACE(std::string(jurisdiction) + " " + lang);
      const DossierInput in = Complete(jurisdiction, lang);
      const Dossier d = MustRender(in);
      const LegalProfile& p = Library().Profile(jurisdiction);
      EXPECT_EQ(d.profile, p.id);
      EXPECT_EQ(d.language, lang);
      EXPECT_TRUE(Contains(d.title, "D-2026-0007"));
      EXPECT_EQ(d.html.rfind("<!DOCTYPE html>", 0), 0u);
      EXPECT_TRUE(Contains(d.html, "<html lang=\"" + lang + "\">"));
      EXPECT_TRUE(Contains(d.html, "@media print"));
      EXPECT_TRUE(Contains(d.html, "break-before: page"));
      for (const std::string* body : {&d.html, &d.text}) {
        EXPECT_FALSE(Contains(*body, "{{")) << *body;
        EXPECT_FALSE(Contains(*body, "}}")) << *body;
        EXPECT_TRUE(Contains(*body, "D-2026-0007"));
        EXPECT_TRUE(Contains(*body, "2025-12-05T21:00:00Z"));  // generated
        EXPECT_TRUE(Contains(*body, "Safe Harbour Support"));
        EXPECT_TRUE(Contains(*body, "/s/ Maria Chan"));
        EXPECT_TRUE(Contains(*body, "Caseworker"));
        EXPECT_TRUE(Contains(*body, p.name.at(lang)));
        EXPECT_TRUE(Contains(*body, p.BasisFor(RecipientKind::kRegulator)->cite));
        EXPECT_TRUE(Contains(*body, "Reposted after the first removal."));
        if (p.regulator) {
          EXPECT_TRUE(Contains(*body, p.regulator->name));
          EXPECT_TRUE(Contains(*body, p.regulator->url));
        }
        for (const Source& src : p.sources) {
          if (src.minor || src.ai) continue;  // an adult's case, images not said to be AI-made
          EXPECT_TRUE(Contains(*body, body == &d.html ? AmpEscaped(src.url) : src.url));
        }
        for (const DossierItem& item : in.items) {
          EXPECT_TRUE(Contains(*body, item.url)) << item.url;
          EXPECT_TRUE(Contains(*body, FormatTime(item.first_seen).substr(0, 19) + "Z"));
          for (const DossierCheck& c : item.checks) {
            EXPECT_TRUE(Contains(*body, FormatTime(c.at).substr(0, 19) + "Z"));
            EXPECT_TRUE(Contains(*body, c.outcome));
          }
        }
        EXPECT_TRUE(Contains(*body, std::string(64, 'e')));
        for (const DossierNotice& n : in.notices) {
          EXPECT_TRUE(Contains(*body, n.recipient));
          EXPECT_TRUE(Contains(*body, n.address));
          EXPECT_TRUE(Contains(*body, n.subject));
          EXPECT_TRUE(Contains(*body, n.outcome));
          EXPECT_TRUE(Contains(*body, FormatTime(n.sent_at).substr(0, 19) + "Z"));
          EXPECT_TRUE(Contains(*body, FormatTime(n.deadline).substr(0, 19) + "Z"));
          // The notice as sent, line for line.
          EXPECT_TRUE(Contains(*body, n.text.substr(0, n.text.find('\n'))));
          EXPECT_TRUE(Contains(*body, n.text.substr(n.text.find('\n') + 1)));
        }
        EXPECT_TRUE(Contains(*body, "noreply@exampletube.example"));
        EXPECT_TRUE(Contains(*body, "Thank you for your report."));
      }
    }
  }
}

TEST(Dossier, SummarisesAndOrdersTheChronology) {
  const Dossier d = MustRender(Complete("HK"));
  EXPECT_TRUE(Contains(d.text, "URLs reported: 3\n"));
  EXPECT_TRUE(Contains(d.text, "Still available at the last check: 2\n"));
  EXPECT_TRUE(Contains(d.text, "Removed: 1\n"));
  EXPECT_TRUE(Contains(d.text, "Notices sent: 2\n"));
  EXPECT_TRUE(Contains(d.text, "Replies received: 1\n"));
  EXPECT_TRUE(Contains(d.text, "First notice sent: 2025-11-25T16:00:00Z\n"));
  // From the first notice (day 1) to generation (day 11, 21:00): 10 whole days.
  EXPECT_TRUE(Contains(d.text, "still available: 10\n"));
  EXPECT_TRUE(Contains(d.text, "(matched by hash only): 4\n"));
  // Notices in the order sent, whatever the input's order; the reply points at ExampleTube's.
  EXPECT_TRUE(Contains(d.text, "A.1 2025-11-25T16:00:00Z: ExampleTube (platform), by web_form"));
  EXPECT_TRUE(Contains(d.text, "A.2 2025-11-26T16:00:00Z: Example Hosting Ltd (hosting provider)"));
  EXPECT_TRUE(Contains(d.text, "(auto-reply), in reply to A.1\n"));
  EXPECT_LT(d.html.find("Please remove the video."), d.html.find("Dear abuse team,"));
  // A check without an answer shows no HTTP status; a check with one shows it.
  EXPECT_TRUE(Contains(d.text, "- 2025-11-26T16:00:00Z: unreachable\n"));
  EXPECT_TRUE(Contains(d.text, "- 2025-11-25T16:00:00Z: match, HTTP 200, SHA-256 " +
                                   std::string(64, 'e') + ", PDQ distance 6\n"));
  EXPECT_TRUE(Contains(d.text, "No check recorded."));  // the removed URL has none
}

TEST(Dossier, NoDaysOutstandingOnceEverythingIsRemoved) {
  DossierInput in = Complete("US");
  for (DossierItem& item : in.items) item.state = SightingState::kRemoved;
  const Dossier d = MustRender(in);
  EXPECT_TRUE(Contains(d.text, "Still available at the last check: 0\n"));
  EXPECT_FALSE(Contains(d.text, "Days since the first notice"));
}

TEST(Dossier, EscapesEveryValueInHtmlAndNoneInText) {
  const std::string hostile_url = "https://evil.example/?q=<script>alert(1)</script>&x=\"'y";
  const std::string hostile = "<script>alert('x')</script> \"quoted\" & <b>bold</b>";
  DossierInput in = Complete("US");
  in.items[0].url = hostile_url;
  in.items[0].platform = hostile;
  in.items[0].checks[0].outcome = hostile;
  in.notices[0].subject = hostile;
  in.notices[0].text = hostile;
  in.notices[0].address = hostile;
  in.replies[0].from = hostile;
  in.replies[0].text = hostile;
  in.organisation.name = hostile;
  in.circumstances = hostile;
  in.survivor = Survivor{hostile, hostile};
  const Dossier d = MustRender(in);
  EXPECT_FALSE(Contains(d.html, "<script"));
  EXPECT_FALSE(Contains(d.html, "<b>"));
  EXPECT_FALSE(Contains(d.html, "\"quoted\""));
  EXPECT_FALSE(Contains(d.html, "'x'"));
  EXPECT_TRUE(Contains(d.html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
  EXPECT_TRUE(Contains(d.html,
                       "href=\"https://evil.example/?q=&lt;script&gt;alert(1)&lt;/"
                       "script&gt;&amp;x=&quot;&#39;y\""));
  // The plain text is never HTML-escaped.
  EXPECT_TRUE(Contains(d.text, hostile_url));
  EXPECT_TRUE(Contains(d.text, hostile));
  EXPECT_FALSE(Contains(d.text, "&lt;"));
}

// The HTML must open from a file and under a strict Content-Security-Policy: nothing to load, no
// script; the only URLs are the evidence, the law's sources, the regulator's, the hotline's and
// the organisation's website.
TEST(Dossier, LoadsNothingAndLinksOnlyToTheRecord) {
  for (const char* jurisdiction : {"US", "HK", "MY", "default"}) {
    DossierInput in = Complete(jurisdiction);
    in.depicts_minor = true;
    const Dossier d = MustRender(in);
    const LegalProfile& p = Library().Profile(jurisdiction);
    for (const char* banned : {"<script", "<img", "<link", "<iframe", "<object", "<embed", "<svg",
                               "<video", "<audio", "<source", "<form", "<base", " src=", " style=",
                               "url(", "@import", "@font-face", "javascript:"}) {
      EXPECT_FALSE(Contains(d.html, banned)) << jurisdiction << ": " << banned;
    }
    EXPECT_FALSE(std::regex_search(d.html, std::regex("\\son[a-z]+\\s*=", std::regex::icase)))
        << jurisdiction << ": an event handler attribute";
    std::set<std::string> allowed = {in.organisation.website};
    for (const DossierItem& item : in.items) allowed.insert(item.url);
    for (const Source& src : p.sources) allowed.insert(AmpEscaped(src.url));
    if (p.regulator) allowed.insert(p.regulator->url);
    if (p.minor) allowed.insert(p.minor->hotline_url);
    size_t links = 0;
    for (size_t at = d.html.find("href=\""); at != std::string::npos;
         at = d.html.find("href=\"", at + 1)) {
      EXPECT_EQ(d.html.compare(at - 3, 3, "<a "), 0) << jurisdiction << ": href outside <a>";
      const size_t start = at + 6;
      const std::string url = d.html.substr(start, d.html.find('"', start) - start);
      if (url.rfind("mailto:", 0) == 0) continue;
      EXPECT_EQ(allowed.count(url), 1u) << jurisdiction << ": " << url;
      ++links;
    }
    EXPECT_GE(links, in.items.size());
  }
}

TEST(Dossier, NeverHoldsTheCaseCode) {
  DossierInput in = Complete("HK");
  in.reference = "N-42";
  in.notices[0].text = "Our reference: TD-7KQ3-M9XP. Case td-7kq3-m9xp again, and TD-7KQ3M9XP.";
  in.notices[0].subject = "Removal request: TD-7KQ3-M9XP";
  in.replies[0].text = "> Our reference: TD-7KQ3-M9XP";
  const Dossier d = MustRender(in);
  for (const std::string* body : {&d.html, &d.text, &d.title}) {
    EXPECT_FALSE(Contains(*body, "7KQ3")) << *body;
    EXPECT_FALSE(Contains(*body, "7kq3")) << *body;
  }
  EXPECT_TRUE(Contains(d.html, "N-42"));
  EXPECT_TRUE(Contains(d.text, "Our reference: TD-****-****. Case TD-****-**** again"));
  // Look-alikes are left alone: a longer token is not a code.
  in.notices[0].text = "Ticket XTD-7KQ3-M9XP, TD-7KQ3-M9XPQ and TD-2024-0001.";
  EXPECT_TRUE(
      Contains(MustRender(in).text, "Ticket XTD-7KQ3-M9XP, TD-7KQ3-M9XPQ and TD-2024-0001."));
  // Evidence URLs stay as found.
  in.items[0].url = "https://exampletube.example/td-7kq3-m9xp";
  EXPECT_TRUE(Contains(MustRender(in).html, "href=\"https://exampletube.example/td-7kq3-m9xp\""));

  in.reference = "TD-7KQ3-M9XP";
  Result<Dossier> refused = RenderDossier(Library(), Templates(), in);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  in.reference = "Case td-7kq3-m9xp";
  EXPECT_FALSE(RenderDossier(Library(), Templates(), in).ok());
}

TEST(Dossier, NamesTheSurvivorOnlyWhenSheChoseTo) {
  DossierInput in = Complete("MY", "ms");
  Dossier d = MustRender(in);
  EXPECT_FALSE(Contains(d.html, "Amira"));
  EXPECT_TRUE(Contains(d.text, "kami tidak menyatakan namanya"));

  in.survivor = Survivor{"Amira Binti Hassan", "amira@example.org"};
  d = MustRender(in);
  EXPECT_TRUE(Contains(d.html, "Amira Binti Hassan"));
  EXPECT_TRUE(Contains(d.text, "amira@example.org"));

  in.survivor = Survivor{"", "amira@example.org"};  // named with no name: not named at all
  d = MustRender(in);
  EXPECT_FALSE(Contains(d.html, "amira@example.org"));
  EXPECT_FALSE(Contains(d.text, "amira@example.org"));
}

TEST(Dossier, FallsBackToTheNearestLanguage) {
  EXPECT_EQ(MustRender(Complete("HK", "zh-HK")).language, "zh-Hant");
  EXPECT_EQ(MustRender(Complete("HK", "zh_hant_hk")).language, "zh-Hant");
  EXPECT_EQ(MustRender(Complete("MY", "ms-MY")).language, "ms");
  EXPECT_EQ(MustRender(Complete("US", "fr")).language, "en");
  const Dossier zh = MustRender(Complete("HK", "zh-HK"));
  EXPECT_TRUE(Contains(zh.html, "<html lang=\"zh-Hant\">"));
  EXPECT_TRUE(Contains(zh.html, "香港"));
  EXPECT_TRUE(Contains(zh.html, "附錄 A"));
}

TEST(Dossier, AddsTheMinorRouteOnlyForAMinor) {
  DossierInput in = Complete("HK");
  EXPECT_FALSE(Contains(MustRender(in).html, "e-Report Centre"));
  in.depicts_minor = true;
  const Dossier d = MustRender(in);
  EXPECT_TRUE(Contains(d.html, "Hong Kong Police Force e-Report Centre"));
  EXPECT_TRUE(Contains(d.text, "Prevention of Child Pornography Ordinance"));
}

TEST(Dossier, ListsWhatItLacks) {
  EXPECT_TRUE(MustRender(Complete("US")).ready());
  EXPECT_TRUE(MustRender(Complete("HK")).ready());
  EXPECT_TRUE(MustRender(Complete("MY")).ready());
  // The default profile names no regulator: the dossier renders, addressed to whoever is
  // competent, but casework must pick the authority by hand.
  const Dossier fallback = MustRender(Complete("XX"));
  EXPECT_EQ(fallback.profile, "default");
  EXPECT_TRUE(HasMissing(fallback, "regulator"));
  EXPECT_TRUE(Contains(fallback.text, "the competent regulator or police"));

  DossierInput in = Complete("US");
  in.authorised = false;
  in.signature.clear();
  const Dossier d = MustRender(in);
  EXPECT_TRUE(HasMissing(d, "authorisation"));
  EXPECT_TRUE(HasMissing(d, "signature"));
}

TEST(Dossier, RefusesInputNoDossierCanBeMadeOf) {
  DossierInput in = Complete("US");
  in.items[1].url = "javascript:alert(1)";
  Result<Dossier> d = RenderDossier(Library(), Templates(), in);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(d.status().message(), "item 2"));

  in = Complete("US");
  in.organisation.website = "data:text/html,x";
  EXPECT_FALSE(RenderDossier(Library(), Templates(), in).ok());
}

TEST(Dossier, DigestIsTheSha256OfTheHtmlAndStable) {
  const Dossier a = MustRender(Complete("HK", "zh-Hant"));
  const Dossier b = MustRender(Complete("HK", "zh-Hant"));
  EXPECT_EQ(a.digest.size(), 64u);
  EXPECT_TRUE(std::all_of(a.digest.begin(), a.digest.end(),
                          [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }));
  EXPECT_EQ(a.html, b.html);
  EXPECT_EQ(a.digest, b.digest);
  DossierInput later = Complete("HK", "zh-Hant");
  later.generated_at += 1000;
  EXPECT_NE(MustRender(later).digest, a.digest);
  // The digest is of the bytes a regulator receives; sha256("") is the usual constant.
  EXPECT_NE(a.digest, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Dossier, RendersFromManyThreadsAtOnce) {
  const Dossier expected = MustRender(Complete("MY", "ms"));
  std::vector<std::thread> threads;
  std::vector<std::string> digests(8);
  for (size_t i = 0; i < digests.size(); ++i) {
    threads.emplace_back([&, i] {
      Result<Dossier> d = RenderDossier(Library(), Templates(), Complete("MY", "ms"));
      if (d.ok()) digests[i] = d->digest;
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& digest : digests) EXPECT_EQ(digest, expected.digest);
}

// A copy of the data folder whose dossier templates a test may break.
class BrokenTemplates : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("dossier_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::copy(kDataDir, dir_, std::filesystem::copy_options::recursive);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / "templates" / "dossier" / name, std::ios::binary) << text;
  }
  Status Load() {
    Result<DossierTemplates> t = DossierTemplates::Load(dir_, Library());
    return t.ok() ? Status::Ok() : t.status();
  }

  std::filesystem::path dir_;
};

TEST_F(BrokenTemplates, UnescapedValueInHtml) {
  Write("en.html.mustache", "<p>{{{org_name}}}</p>");
  const Status s = Load();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s.message(), "must escape every value")) << s.message();
}

TEST_F(BrokenTemplates, UnknownVariable) {
  Write("ms.txt.mustache", "{{{case_code}}}");
  const Status s = Load();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s.message(), "case_code")) << s.message();
}

TEST_F(BrokenTemplates, TextAndHtmlSayDifferentThings) {
  Write("en.txt.mustache", "{{{title}}}\n");
  const Status s = Load();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s.message(), "different variables")) << s.message();
}

TEST_F(BrokenTemplates, MissingLanguageOrStrayFile) {
  std::filesystem::remove(dir_ / "templates" / "dossier" / "zh-Hant.txt.mustache");
  EXPECT_EQ(Load().code(), StatusCode::kNotFound);
  Write("zh-Hant.txt.mustache", "x");
  Write("fr.html.mustache", "x");
  EXPECT_EQ(Load().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace takedown::notify
