#include "notices/render.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace takedown::notify {
namespace {

using domain::RecipientKind;

constexpr RecipientKind kAllKinds[] = {RecipientKind::kPlatform, RecipientKind::kHost,
                                       RecipientKind::kRegistrar, RecipientKind::kCdn,
                                       RecipientKind::kRegulator};
const std::string kDataDir = TAKEDOWN_SOURCE_DIR "/data";

const NoticeLibrary& Library() {
  static const NoticeLibrary* lib = [] {
    auto loaded = NoticeLibrary::Load(kDataDir);
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    return loaded.ok() ? new NoticeLibrary(std::move(*loaded)) : nullptr;
  }();
  if (lib == nullptr) throw std::runtime_error("the data folder did not load");
  return *lib;
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// The text of an HTML fragment's character references, for checking what a reader sees.
std::string Decoded(std::string html) {
  for (auto [from, to] :
       {std::pair{"&#x2F;", "/"}, std::pair{"&quot;", "\""}, std::pair{"&#39;", "'"},
        std::pair{"&lt;", "<"}, std::pair{"&gt;", ">"}, std::pair{"&amp;", "&"}}) {
    for (size_t at = html.find(from); at != std::string::npos; at = html.find(from, at + 1)) {
      html.replace(at, std::string_view(from).size(), to);
    }
  }
  return html;
}

bool HasMissing(const RenderedNotice& n, std::string_view id) {
  return std::any_of(n.missing.begin(), n.missing.end(),
                     [&](const Element& e) { return e.id == id; });
}

// A complete notice: every required element of every shipped profile is present.
NoticeInput Complete(std::string jurisdiction, RecipientKind kind = RecipientKind::kPlatform) {
  NoticeInput in;
  in.recipient_kind = kind;
  in.recipient_name = "ExampleTube";
  in.site = "exampletube.example";
  in.language = "en";
  in.jurisdiction = std::move(jurisdiction);
  in.organisation = {"Safe Harbour Support",
                     "notices@safeharbour.example",
                     "+852 5555 0100",
                     "1 Example Road\nHong Kong",
                     "https://safeharbour.example",
                     "Maria Chan",
                     "Caseworker"};
  in.authorised = true;
  in.reference = "N-2026-0042";
  Item a;
  a.url = "https://exampletube.example/watch/111";
  a.title = "A page title";
  a.media_url = "https://cdn.exampletube.example/111.mp4";
  a.first_seen = 1'764'000'000'000;  // 2025-11-24
  a.last_checked = 1'764'100'000'000;
  a.sha256 = std::string(64, 'e');
  a.distance = 6;
  Item b;
  b.url = "https://exampletube.example/watch/222";
  b.first_seen = 1'764'000'000'000;
  in.items = {a, b};
  in.signature = "/s/ Maria Chan";
  in.drafted_at = 1'764'200'000'000;
  return in;
}

RenderedNotice MustRender(const NoticeInput& in) {
  Result<RenderedNotice> n = Library().Render(in);
  EXPECT_TRUE(n.ok()) << n.status().message();
  return n.ok() ? std::move(*n) : RenderedNotice{};
}

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
          for (const Source& s : p.sources) EXPECT_TRUE(Contains(*body, s.title)) << s.title;
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

TEST(NoticeRender, NamesTheSurvivorOnlyWhenSheChoseTo) {
  NoticeInput in = Complete("UK");
  RenderedNotice anonymous = MustRender(in);
  EXPECT_TRUE(Contains(anonymous.text, "we do not give their name"));
  in.survivor = Survivor{"Jane Survivor-Sentinel", "jane@mail.example"};
  RenderedNotice named = MustRender(in);
  const std::string named_html = Decoded(named.html);
  for (const std::string* body : std::array<const std::string*, 2>{&named.text, &named_html}) {
    EXPECT_TRUE(Contains(*body, "Jane Survivor-Sentinel"));
    EXPECT_TRUE(Contains(*body, "jane@mail.example"));
    EXPECT_FALSE(Contains(*body, "we do not give their name"));
  }
  for (const std::string* body : {&anonymous.text, &anonymous.html, &anonymous.subject}) {
    EXPECT_FALSE(Contains(*body, "Jane"));
  }
  // A name left empty is not a choice to be named: her contact stays out too.
  in.survivor = Survivor{"", "jane@mail.example"};
  RenderedNotice empty = MustRender(in);
  EXPECT_FALSE(Contains(empty.text, "jane@mail.example"));
  EXPECT_TRUE(Contains(empty.text, "we do not give their name"));
}

TEST(NoticeRender, EscapesHostileValuesInHtmlButNotInText) {
  NoticeInput in = Complete("US");
  in.items[0].url = "https://evil.example/x?q=<script>alert(1)</script>&a=\"b\"";
  in.items[0].title = "<img src=x onerror=alert(1)> & 'quoted'";
  in.organisation.name = "Help & <Support>";
  in.recipient_name = "</title><script>x</script>";
  RenderedNotice n = MustRender(in);
  EXPECT_FALSE(Contains(n.html, "<script>"));
  EXPECT_FALSE(Contains(n.html, "<img src=x"));
  EXPECT_TRUE(Contains(n.html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(Contains(n.html, "href=\"https://evil.example/x?q=&lt;script&gt;"));
  EXPECT_TRUE(Contains(n.html, "Help &amp; &lt;Support&gt;"));
  EXPECT_TRUE(Contains(n.html, "&quot;b&quot;"));
  EXPECT_TRUE(Contains(n.text, "https://evil.example/x?q=<script>alert(1)</script>&a=\"b\""));
  EXPECT_TRUE(Contains(n.text, "<img src=x onerror=alert(1)> & 'quoted'"));
  EXPECT_TRUE(Contains(n.text, "Help & <Support>"));
  EXPECT_TRUE(Contains(n.subject, "N-2026-0042"));
}

TEST(NoticeRender, CleansControlCharactersAndBidiOverrides) {
  NoticeInput in = Complete("US");
  in.items[0].title = "Title\r\nBcc: victim@example.org\x01";
  in.reference = "N-1\nInjected: header";
  in.recipient_name = "Exam\xE2\x80\xAEple";  // U+202E RIGHT-TO-LEFT OVERRIDE
  in.items[1].title = "bad \xC3\x28 utf8";
  RenderedNotice n = MustRender(in);
  EXPECT_TRUE(Contains(n.text, "Page title: Title Bcc: victim@example.org\n"));
  EXPECT_TRUE(Contains(n.subject, "N-1 Injected: header"));
  EXPECT_FALSE(Contains(n.text, "\xE2\x80\xAE"));
  EXPECT_TRUE(Contains(n.text, "Exam\xEF\xBF\xBDple"));
  EXPECT_TRUE(Contains(n.text, "bad \xEF\xBF\xBD( utf8"));
  EXPECT_FALSE(Contains(n.text, "\r"));
}

TEST(NoticeRender, RefusesUrlsThatAreNotHttp) {
  NoticeInput in = Complete("US");
  in.items[1].url = "javascript:alert(1)";
  Result<RenderedNotice> n = Library().Render(in);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(n.status().message(), "item 2"));
  in = Complete("US");
  in.items[0].media_url = "data:image/png;base64,AAAA";
  EXPECT_FALSE(Library().Render(in).ok());
  in = Complete("US");
  in.organisation.website = "javascript:x";
  EXPECT_FALSE(Library().Render(in).ok());
  in = Complete("US");
  in.items[0].url = "HTTPS://EXAMPLE.ORG/A";
  EXPECT_TRUE(Library().Render(in).ok());
}

TEST(NoticeDeadline, PlatformElseJurisdictionElse72) {
  const NoticeLibrary& lib = Library();
  EXPECT_EQ(DeadlineHours(48, lib.Profile("AU")), 48);  // the platform's hours win
  EXPECT_EQ(DeadlineHours(0, lib.Profile("AU")), 24);
  EXPECT_EQ(DeadlineHours(0, lib.Profile("US")), 48);
  EXPECT_EQ(DeadlineHours(0, lib.Profile("EU")), 72);
  EXPECT_EQ(DeadlineHours(0, lib.Profile("HK")), 72);
  EXPECT_EQ(DeadlineHours(0, lib.Profile("")), 72);
  EXPECT_EQ(DeadlineHours(96, lib.Profile("")), 96);

  NoticeInput in = Complete("AU");
  in.platform_deadline_hours = 48;
  RenderedNotice n = MustRender(in);
  EXPECT_EQ(n.deadline_hours, 48);
  EXPECT_TRUE(Contains(n.deadline_basis, "platform"));
  EXPECT_TRUE(Contains(n.text, "within 48 hours"));
  in.platform_deadline_hours = 0;
  n = MustRender(in);
  EXPECT_EQ(n.deadline_hours, 24);
  EXPECT_TRUE(Contains(n.deadline_basis, "AU:"));
  n = MustRender(Complete("SG"));
  EXPECT_EQ(n.deadline_hours, 72);
  EXPECT_TRUE(Contains(n.deadline_basis, "default"));
}

TEST(NoticeRender, HongKongRestsOnThePlatformsPolicyAndTheOffence) {
  RenderedNotice n = MustRender(Complete("HK"));
  EXPECT_TRUE(Contains(n.text, "under your own terms of service"));
  EXPECT_TRUE(Contains(n.text, "section 159AAE of the Crimes Ordinance (Cap. 200)"));
  for (const char* overclaim : {"must remove", "required to remove", "legal duty", "obliged"}) {
    EXPECT_FALSE(Contains(n.text, overclaim)) << overclaim;
  }
}

TEST(NoticeRender, MinorsGetTheProfilesChildParagraph) {
  NoticeInput in = Complete("US");
  EXPECT_FALSE(Contains(MustRender(in).text, "CyberTipline"));
  in.depicts_minor = true;
  RenderedNotice n = MustRender(in);
  EXPECT_TRUE(Contains(n.text, "under 18"));
  EXPECT_TRUE(Contains(n.text, "CyberTipline"));
  EXPECT_TRUE(Contains(n.html, "CyberTipline"));
  EXPECT_TRUE(n.ready());
  in.jurisdiction = "MY";
  EXPECT_TRUE(Contains(MustRender(in).text, "Sexual Offences Against Children Act 2017"));
}

TEST(NoticeRender, FollowUpsListTheEarlierNotices) {
  NoticeInput in = Complete("US");
  in.previous = {{1'764'150'000'000, "ExampleTube", "web form", "no reply"},
                 {1'764'120'000'000, "ExampleTube", "email", ""}};
  RenderedNotice n = MustRender(in);
  EXPECT_TRUE(Contains(n.text, "This is a follow-up to our notice of 2025-11-26"));
  EXPECT_TRUE(Contains(n.text, "ExampleTube (web form): no reply"));
  EXPECT_FALSE(Contains(MustRender(Complete("US")).text, "follow-up"));
}

TEST(NoticeDossier, ListsTheMaterialAndTheNoticesSent) {
  NoticeInput in = Complete("AU", RecipientKind::kRegulator);
  in.recipient_name = "eSafety Commissioner";
  in.previous = {{1'764'150'000'000, "ExampleTube", "email", "no reply"},
                 {1'764'160'000'000, "Example Hosting Ltd", "email", "refused"}};
  RenderedNotice n = MustRender(in);
  EXPECT_TRUE(n.ready());
  EXPECT_EQ(n.legal_basis,
            "Online Safety Act 2021 (Cth) s.32: complaint to the eSafety Commissioner");
  for (const char* want :
       {"To eSafety Commissioner,", "1. THE MATERIAL", "2. NOTICES SENT",
        "Example Hosting Ltd (email): refused", "section 32", "We do not keep copies of the images",
        "https://exampletube.example/watch/222"}) {
    EXPECT_TRUE(Contains(n.text, want)) << want << "\n" << n.text;
  }
  in.previous.clear();
  EXPECT_TRUE(Contains(MustRender(in).text, "No notice has been sent yet."));
  // The default profile names no regulator: a dossier under it cannot be sent.
  in.jurisdiction = "";
  n = MustRender(in);
  EXPECT_TRUE(HasMissing(n, "regulator"));
}

TEST(NoticeLibrary, RendersFromManyThreadsAtOnce) {
  const NoticeLibrary& lib = Library();
  const std::string want = MustRender(Complete("EU")).text;
  std::vector<std::thread> threads;
  std::vector<int> same(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        Result<RenderedNotice> n = lib.Render(Complete("EU"));
        same[static_cast<size_t>(t)] += n.ok() && n->text == want;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int s : same) EXPECT_EQ(s, 25);
}

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
  Replace("jurisdictions/uk.toml", "deadline_hours = 0", "deadline_hours = -1");
  ExpectLoadFails({"uk.toml", "deadline_hours"});
  SetUp();
  Replace("jurisdictions/au.toml", "url = \"https://www.esafety.gov.au/report/image-based-abuse\"",
          "url = \"http://www.esafety.gov.au/\"");
  ExpectLoadFails({"au.toml", "https://"});
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
