// Tests of what a notice makes of its values: the survivor named only by choice (and how her
// values print), hostile values escaped and cleaned, non-HTTP addresses refused, deadlines,
// per-law paragraphs, follow-ups, the dossier section, and rendering from many threads.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <thread>
#include <vector>

#include "notices/render.h"
#include "notices/render_test_util.h"

namespace takedown::notify {
namespace {

using namespace render_testing;  // NOLINT: the library and inputs every render test uses

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

// What a reviewer's view withholds (casework::Withheld) is found as the notice printed it.
TEST(NoticeRender, SaysHowItPrintsHerValues) {
  NoticeInput in = Complete("UK");
  in.survivor = Survivor{"Jane\n  O'Neil", "Flat 3 <B> & co, jane/x@mail.example"};
  RenderedNotice named = MustRender(in);
  const PrintedValue name = AsPrinted(in.survivor->name);
  const PrintedValue contact = AsPrinted(in.survivor->contact);
  EXPECT_EQ(contact.html, "Flat 3 &lt;B&gt; &amp; co, jane/x@mail.example");
  EXPECT_TRUE(Contains(named.text, name.text)) << named.text;
  EXPECT_TRUE(Contains(named.text, contact.text));
  EXPECT_TRUE(Contains(named.html, name.html)) << named.html;
  EXPECT_TRUE(Contains(named.html, contact.html));
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
  EXPECT_EQ(DeadlineHours(0, lib.Profile("MY")), 24);  // the Period Regulations 2025
  EXPECT_EQ(DeadlineHours(0, lib.Profile("SG")), 24);  // kept at the shorter figure
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
  n = MustRender(Complete("HK"));
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

}  // namespace
}  // namespace takedown::notify
