// Issue 21: every shipped profile x language x recipient kind x the person's age x the AI flag
// renders a notice that has every required element, cites child-protection law only about a
// minor, quotes the statute's words on AI-made images only when the case says so, and never
// names a link nobody has checked.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "notices/render_test_util.h"

namespace takedown::notify {
namespace {

using domain::AgeGroup;
using domain::RecipientKind;
using render_testing::Complete;
using render_testing::Contains;
using render_testing::Decoded;
using render_testing::kAllKinds;
using render_testing::Library;

// The start of a profile text up to its first variable: what shows whether a notice printed it.
std::string Opening(const Translations& text, const std::string& lang, size_t bytes) {
  const std::string& t = text.at(lang);
  return t.substr(0, std::min(bytes, t.find("{{")));
}

constexpr AgeGroup kAges[] = {AgeGroup::kAdult, AgeGroup::kMinorWhenMade, AgeGroup::kMinorNow};

// What the law of a profile makes a notice say, in English, to the kinds named and to no other:
// the UK report's declarations (OSA 2023 s.20A(2)) to platforms, the route to MCMC under
// Malaysia's Act 866, the eSafety scheme in Australia, and the EU AI Act as an added basis only
// for AI-made images (in the text and in the stored legal basis).
struct LawSays {
  const char* profile;
  std::vector<RecipientKind> kinds;
  bool only_ai_made;
  bool in_legal_basis;  // the stored legal basis, else the notice's text
  const char* words;
};

const std::vector<LawSays>& WhatTheLawSays() {
  using enum RecipientKind;
  const std::vector<RecipientKind> every(std::begin(kAllKinds), std::end(kAllKinds));
  static const std::vector<LawSays> says = {
      {"UK", {kPlatform}, false, false, "Intimate image content report (Online Safety Act 2023"},
      {"UK", {kPlatform}, false, false, "is intimate image content present on your service"},
      {"UK", {kPlatform}, false, false, "acting on behalf of the subject of the content"},
      {"UK", {kPlatform}, false, false, "made in good faith and, to the best of our knowledge"},
      {"UK", {kPlatform, kRegulator}, false, true, "Online Safety Act 2023 ss.10(3A) and 20A"},
      {"MY", every, false, false, "Malaysian Communications and Multimedia Commission"},
      {"MY", {kPlatform, kRegulator}, false, false, "under section 24"},
      {"MY", {kRegulator}, false, true, "Act 866) s.24: report of harmful content to the MCMC"},
      {"AU", every, false, false, "eSafety Commissioner"},
      {"AU", {kRegulator}, false, true, "s.32: complaint to the eSafety Commissioner"},
      {"EU", every, true, false, "Article 50(4) requires"},
      {"EU", every, true, true, "AI Act (Regulation (EU) 2024/1689)"},
  };
  return says;
}

TEST(RenderMatrix, EveryProfileLanguageKindAgeAndAiFlagSaysWhatTheLawAsksAndNoMore) {
  int rendered = 0, adult_notices = 0, minor_notices = 0;
  for (const LegalProfile& p : Library().profiles()) {
    for (const std::string& lang : Library().languages()) {
      for (RecipientKind kind : kAllKinds) {
        for (AgeGroup age : kAges) {
          for (bool ai_made : {false, true}) {
            const std::string where =
                p.id + "/" + lang + "/" + std::string(domain::RecipientKindName(kind)) + "/" +
                std::string(domain::AgeGroupName(age)) + (ai_made ? "/ai" : "");
            NoticeInput in = Complete(p.id, kind);
            in.language = lang;
            in.depicts_minor = domain::IsMinor(age);
            in.ai_made = ai_made;
            auto n = Library().Render(in);
            ASSERT_TRUE(n.ok()) << where << ": " << n.status().message();
            ++rendered;
            // Every required element is there: only the default profile lacks a regulator.
            for (const Element& e : n->missing) {
              EXPECT_TRUE(p.id == "default" && e.id == "regulator")
                  << where << " lacks " << e.id << ": " << e.label;
            }
            const std::string text = n->text, html = Decoded(n->html);
            for (const Statement& st : p.statements) {
              const bool printed =
                  std::find(st.kinds.begin(), st.kinds.end(), kind) != st.kinds.end();
              // A statement's first words, before any variable, show whether it was printed.
              const std::string opening = Opening(st.text, lang, 60);
              EXPECT_EQ(Contains(text, opening), printed) << where << ": statement " << st.id;
            }
            const bool minor = domain::IsMinor(age);
            ASSERT_TRUE(p.minor.has_value()) << p.id;
            for (const std::string& cite : p.minor->cites) {
              if (lang != "en") continue;  // the cites are the English text's
              EXPECT_EQ(Contains(text, cite), minor) << where << ": " << cite;
              EXPECT_EQ(Contains(html, cite), minor) << where << ": " << cite;
            }
            // The jurisdiction's child-protection hotline is named, by name and address, in both
            // parts of a minor's notice (the platform's child-safety channel is casework's
            // choice of address: notices_law_test), and in no adult's.
            for (const std::string* part : {&text, &html}) {
              EXPECT_EQ(Contains(*part, p.minor->hotline_url), minor) << where;
              EXPECT_EQ(Contains(*part, p.minor->hotline), minor) << where << ": " << *part;
            }
            for (const Source& src : p.sources) {
              const bool listed = (!src.minor || minor) && (!src.ai || ai_made);
              EXPECT_EQ(Contains(text, src.url) && Contains(text, src.title), listed)
                  << where << ": source " << src.title;
            }
            if (p.ai) {
              const std::string opening = Opening(p.ai->text, lang, 60);
              EXPECT_EQ(Contains(text, opening), ai_made) << where;
              EXPECT_EQ(Contains(n->legal_basis, p.ai->cite) && !p.ai->cite.empty(),
                        ai_made && !p.ai->cite.empty())
                  << where;
            }
            if (lang == "en") {
              for (const LawSays& says : WhatTheLawSays()) {
                if (p.id != says.profile) continue;
                const bool expected =
                    std::find(says.kinds.begin(), says.kinds.end(), kind) != says.kinds.end() &&
                    (!says.only_ai_made || ai_made);
                EXPECT_EQ(Contains(says.in_legal_basis ? n->legal_basis : text, says.words),
                          expected)
                    << where << ": " << says.words;
              }
            }
            (minor ? minor_notices : adult_notices)++;
          }
        }
      }
    }
  }
  const int combinations =
      static_cast<int>(Library().profiles().size() * Library().languages().size() *
                       std::size(kAllKinds) * std::size(kAges) * 2);
  EXPECT_EQ(rendered, combinations);
  std::printf("rendered %d notices (%d about an adult, %d about a minor)\n", rendered,
              adult_notices, minor_notices);
}

// A link that matched none of her images and that she did not report is named in no notice
// until a caseworker confirms it; each item says what the claim rests on.
TEST(RenderMatrix, EachItemSaysWhatItRestsOnAndAnUncheckedLinkBlocksTheNotice) {
  for (const LegalProfile& p : Library().profiles()) {
    NoticeInput in = Complete(p.id);
    in.items[0].evidence = Evidence::kMatched;
    in.items[1].evidence = Evidence::kReported;
    in.items[1].reported_at = 1'764'000'000'000;
    auto n = Library().Render(in);
    ASSERT_TRUE(n.ok());
    EXPECT_TRUE(Contains(n->text, "matches an image the person depicted holds")) << p.id;
    EXPECT_TRUE(Contains(n->text, "reported by the person depicted on 2025-11-24")) << p.id;

    in.items[1].evidence = Evidence::kUnconfirmed;
    n = Library().Render(in);
    ASSERT_TRUE(n.ok());
    EXPECT_FALSE(n->ready()) << p.id;
    EXPECT_TRUE(render_testing::HasMissing(*n, "confirmation")) << p.id;

    in.items[1].evidence = Evidence::kConfirmed;
    n = Library().Render(in);
    ASSERT_TRUE(n.ok());
    EXPECT_TRUE(Contains(n->text, "confirmed that it shows the person depicted")) << p.id;
  }
}

}  // namespace
}  // namespace takedown::notify
