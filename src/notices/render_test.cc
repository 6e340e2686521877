// Tests of notice rendering: the shipped library loads and picks profiles, every profile, kind and
// language renders, and each law's required elements are there (or listed as missing). What values
// become is in render_values_test.cc, broken data in render_data_test.cc.
#include "notices/render.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "notices/render_test_util.h"

namespace takedown::notify {
namespace {

using namespace render_testing;  // NOLINT: the library and inputs every render test uses

TEST(NoticeLibrary, LoadsEveryJurisdictionWithElementsRegulatorAndSources) {
  const NoticeLibrary& lib = Library();
  EXPECT_EQ(lib.languages(), (std::vector<std::string>{"en", "ms", "zh-Hant"}));
  for (const char* id : {"US", "EU", "UK", "AU", "HK", "MY", "SG"}) {
    const LegalProfile* p = lib.Find(id);
    ASSERT_NE(p, nullptr) << id;
    EXPECT_EQ(p->id, id);
    EXPECT_FALSE(p->required.empty()) << id;
    ASSERT_TRUE(p->regulator.has_value()) << id;
    EXPECT_FALSE(p->regulator->name.empty()) << id;
    EXPECT_EQ(p->regulator->url.rfind("https://", 0), 0u) << id;
    EXPECT_FALSE(p->regulator->route.empty()) << id;
    EXPECT_FALSE(p->sources.empty()) << id;
    EXPECT_TRUE(p->minor.has_value()) << id;
    EXPECT_FALSE(p->statements.empty()) << id;
    EXPECT_FALSE(p->deadline_basis.empty()) << id;
    EXPECT_EQ(p->last_reviewed.size(), 10u) << id;
    for (RecipientKind k : kAllKinds) EXPECT_NE(p->BasisFor(k), nullptr) << id;
    for (const std::string& lang : lib.languages()) {
      EXPECT_EQ(p->name.count(lang), 1u) << id << " " << lang;
    }
  }
  const LegalProfile* fallback = lib.Find("default");
  ASSERT_NE(fallback, nullptr);
  EXPECT_FALSE(fallback->regulator.has_value());
  EXPECT_EQ(lib.profiles().size(), 8u);
}

TEST(NoticeLibrary, PicksProfilesByIdAndAliasElseDefault) {
  const NoticeLibrary& lib = Library();
  EXPECT_EQ(lib.Profile("US").id, "US");
  EXPECT_EQ(lib.Profile("us").id, "US");
  EXPECT_EQ(lib.Profile(" hk ").id, "HK");
  EXPECT_EQ(lib.Profile("GB").id, "UK");
  EXPECT_EQ(lib.Profile("DE").id, "EU");
  EXPECT_EQ(lib.Profile("IE").id, "EU");
  EXPECT_EQ(lib.Profile("").id, "default");
  EXPECT_EQ(lib.Profile("XX").id, "default");
  EXPECT_EQ(lib.Find("XX"), nullptr);
}

// Every profile x kind x language renders, every value the input gives shows up in both bodies,
// and nothing of the template syntax leaks.
TEST(NoticeTemplates, EveryKindAndLanguageRendersForEveryProfile) {
  const NoticeLibrary& lib = Library();
  for (const LegalProfile& p : lib.profiles()) {
    for (RecipientKind kind : kAllKinds) {
      for (const std::string& lang : lib.languages()) {
        SCOPED_TRACE(p.id + " " + std::string(domain::RecipientKindName(kind)) + " " + lang);
        NoticeInput in = Complete(p.id, kind);
        in.language = lang;
        in.previous = {{1'764'150'000'000, "ExampleTube", "email", "no reply"}};
        in.circumstances = "CIRCUMSTANCES-SENTINEL";
        RenderedNotice n = MustRender(in);
        const std::string html = Decoded(n.html);
        EXPECT_EQ(n.language, lang);
        EXPECT_EQ(n.profile, p.id);
        EXPECT_EQ(n.legal_basis, p.BasisFor(kind)->cite);
        EXPECT_FALSE(n.subject.empty());
        EXPECT_EQ(n.subject.find('\n'), std::string::npos);
        EXPECT_TRUE(Contains(n.subject, "N-2026-0042")) << n.subject;
        for (const std::string* body : std::array<const std::string*, 2>{&n.text, &html}) {
          EXPECT_FALSE(Contains(*body, "{{")) << *body;
          EXPECT_FALSE(Contains(*body, "}}")) << *body;
          for (const char* want :
               {"https://exampletube.example/watch/111", "https://exampletube.example/watch/222",
                "cdn.exampletube.example/111.mp4", "Safe Harbour Support",
                "notices@safeharbour.example", "+852 5555 0100", "Maria Chan", "/s/ Maria Chan",
                "N-2026-0042", "2025-11-24", "eeeeeeee", "CIRCUMSTANCES-SENTINEL", "ExampleTube"}) {
            EXPECT_TRUE(Contains(*body, want)) << want << " missing from:\n" << *body;
          }
          EXPECT_TRUE(Contains(*body, p.BasisFor(kind)->title.at(lang).substr(0, 6)));
          for (const Source& s : p.sources) {
            // Child-protection and AI law only where the case is about them (RenderMatrix).
            if (!s.minor && !s.ai) {
              EXPECT_TRUE(Contains(*body, s.title)) << s.title;
            }
          }
        }
        EXPECT_EQ(n.html.rfind("{{! ", 0), std::string::npos);
        EXPECT_TRUE(Contains(n.html, "<!DOCTYPE html>"));
        EXPECT_TRUE(Contains(n.html, "<html lang=\"" + lang + "\">"));
        EXPECT_TRUE(Contains(n.html, "<title>"));
        EXPECT_FALSE(Contains(n.text, "&amp;"));
        EXPECT_FALSE(Contains(n.text, "&#"));
        EXPECT_FALSE(Contains(n.text, "\n\n\n")) << n.text;
        EXPECT_EQ(n.text.back(), '\n');
      }
    }
  }
}

TEST(NoticeTemplates, ChineseAndMalaySubjectsAreUtf8) {
  NoticeInput in = Complete("HK");
  in.language = "zh-Hant";
  RenderedNotice zh = MustRender(in);
  EXPECT_EQ(zh.language, "zh-Hant");
  EXPECT_TRUE(Contains(zh.subject, "私密影像")) << zh.subject;
  EXPECT_TRUE(Contains(zh.text, "香港") || Contains(zh.text, "第 200 章")) << zh.text;
  in.jurisdiction = "MY";
  in.language = "ms";
  RenderedNotice ms = MustRender(in);
  EXPECT_TRUE(Contains(ms.subject, "imej intim")) << ms.subject;
  EXPECT_TRUE(Contains(ms.text, "Kanun Keseksaan")) << ms.text;
  // Well-formed UTF-8 (multi-byte sequences intact after rendering).
  for (const std::string* s : {&zh.subject, &zh.text, &zh.html, &ms.subject, &ms.text}) {
    size_t i = 0;
    while (i < s->size()) {
      const auto b = static_cast<unsigned char>((*s)[i]);
      size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
      ASSERT_LE(i + n, s->size());
      for (size_t k = 1; k < n; ++k) {
        ASSERT_EQ(static_cast<unsigned char>((*s)[i + k]) & 0xC0, 0x80) << "byte " << i + k;
      }
      i += n;
    }
  }
}

TEST(NoticeTemplates, LanguageFallsBackToEnglish) {
  const NoticeLibrary& lib = Library();
  EXPECT_EQ(lib.ResolveLanguage("en"), "en");
  EXPECT_EQ(lib.ResolveLanguage("fr"), "en");
  EXPECT_EQ(lib.ResolveLanguage(""), "en");
  EXPECT_EQ(lib.ResolveLanguage("zh-Hant"), "zh-Hant");
  EXPECT_EQ(lib.ResolveLanguage("ZH-hant-HK"), "zh-Hant");
  EXPECT_EQ(lib.ResolveLanguage("zh-HK"), "zh-Hant");
  EXPECT_EQ(lib.ResolveLanguage("zh_TW"), "zh-Hant");
  EXPECT_EQ(lib.ResolveLanguage("zh-Hans"), "en");
  EXPECT_EQ(lib.ResolveLanguage("ms-MY"), "ms");
  EXPECT_EQ(lib.ResolveLanguage("en-GB"), "en");
  NoticeInput in = Complete("US");
  in.language = "fr";
  RenderedNotice n = MustRender(in);
  EXPECT_EQ(n.language, "en");
  EXPECT_TRUE(Contains(n.text, "To the trust and safety team of ExampleTube,")) << n.text;
}

TEST(NoticeUs, HasSignatureIdentificationGoodFaithAndContact) {
  RenderedNotice n = MustRender(Complete("US"));
  EXPECT_TRUE(n.ready()) << n.missing.front().id;
  EXPECT_EQ(n.deadline_hours, 48);
  EXPECT_EQ(n.legal_basis, "TAKE IT DOWN Act (Pub. L. 119-12) s.3");
  const std::string html = Decoded(n.html);
  for (const std::string* body : std::array<const std::string*, 2>{&n.text, &html}) {
    EXPECT_TRUE(Contains(*body, "/s/ Maria Chan"));          // signature
    EXPECT_TRUE(Contains(*body, "Maria Chan, Caseworker"));  // signatory
    EXPECT_TRUE(Contains(*body, "authorised representative of the person depicted"));
    EXPECT_TRUE(Contains(*body, "https://exampletube.example/watch/111"));  // identification
    EXPECT_TRUE(Contains(*body, "https://exampletube.example/watch/222"));
    EXPECT_TRUE(Contains(*body, "Good-faith statement"));
    EXPECT_TRUE(Contains(*body, "not consensual"));
    EXPECT_TRUE(Contains(*body, "notices@safeharbour.example"));  // contact
    EXPECT_TRUE(Contains(*body, "TAKE IT DOWN Act"));
    EXPECT_TRUE(Contains(*body, "48 hours"));
  }
  EXPECT_TRUE(Contains(n.subject, "Removal request under the TAKE IT DOWN Act")) << n.subject;
}

TEST(NoticeUs, ListsTheSignatureAsMissingWithoutASignatory) {
  NoticeInput in = Complete("US");
  in.organisation.signatory = "";
  RenderedNotice n = MustRender(in);
  EXPECT_FALSE(n.ready());
  ASSERT_TRUE(HasMissing(n, "signature"));
  EXPECT_TRUE(Contains(n.missing.front().label, "signature"));
  in = Complete("US");
  in.signature = "  ";
  EXPECT_TRUE(HasMissing(MustRender(in), "signature"));
  in = Complete("US");
  in.organisation.email = in.organisation.phone = in.organisation.address = "";
  EXPECT_TRUE(HasMissing(MustRender(in), "contact"));
  in = Complete("US");
  in.authorised = false;
  EXPECT_TRUE(HasMissing(MustRender(in), "authorisation"));
}

TEST(NoticeEu, HasExactUrlsNotifierNameAndEmailAndBonaFideStatement) {
  RenderedNotice n = MustRender(Complete("DE"));
  EXPECT_EQ(n.profile, "EU");
  EXPECT_TRUE(n.ready());
  const std::string html = Decoded(n.html);
  for (const std::string* body : std::array<const std::string*, 2>{&n.text, &html}) {
    EXPECT_TRUE(Contains(*body, "https://exampletube.example/watch/111"));
    EXPECT_TRUE(Contains(*body, "https://exampletube.example/watch/222"));
    EXPECT_TRUE(Contains(*body, "Safe Harbour Support"));
    EXPECT_TRUE(Contains(*body, "notices@safeharbour.example"));
    EXPECT_TRUE(Contains(*body, "bona fide belief that the information and allegations"));
    EXPECT_TRUE(Contains(*body, "Why this content is illegal"));
    EXPECT_TRUE(Contains(*body, "Article 16"));
  }
  EXPECT_EQ(n.deadline_hours, 72);  // the DSA fixes no hours
}

TEST(NoticeEu, ListsTheNotifierEmailAsMissingWithoutOne) {
  NoticeInput in = Complete("EU");
  in.organisation.email = "";
  RenderedNotice n = MustRender(in);
  EXPECT_FALSE(n.ready());
  EXPECT_TRUE(HasMissing(n, "notifier_email"));
  EXPECT_FALSE(HasMissing(n, "notifier_name"));
  in.organisation.email = "not an address";
  EXPECT_TRUE(HasMissing(MustRender(in), "notifier_email"));
  in = Complete("EU");
  in.organisation.name = "";
  EXPECT_TRUE(HasMissing(MustRender(in), "notifier_name"));
  in = Complete("EU");
  in.items.clear();
  n = MustRender(in);
  EXPECT_TRUE(HasMissing(n, "location"));
}

}  // namespace
}  // namespace takedown::notify
