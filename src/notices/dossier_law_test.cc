// Issue 21 in the regulator dossier: it says what the case's notices said of the person's age and
// of images made by AI, and the UK's 48-hour duty where it applies.
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "notices/dossier_test_util.h"

namespace takedown::notify {
namespace {

using dossier_testing::Complete;
using dossier_testing::MustRender;
using render_testing::Contains;
using render_testing::Library;

// Issue 21: the dossier says what the case's notices said. Every profile x language x age x AI
// flag: child-protection law, its hotline and sources only about a minor; the statute's own words
// on AI-made images, their citation and sources only when the case says so.
TEST(Dossier, SaysWhatTheNoticesSaidOfTheAgeAndOfAiMadeImages) {
  int rendered = 0;
  for (const LegalProfile& p : Library().profiles()) {
    ASSERT_TRUE(p.minor.has_value()) << p.id;
    for (const std::string& lang : Library().languages()) {
      for (bool minor : {false, true}) {
        for (bool ai_made : {false, true}) {
          const std::string where =
              p.id + "/" + lang + (minor ? "/minor" : "/adult") + (ai_made ? "/ai" : "");
          DossierInput in = Complete(p.id, lang);
          in.depicts_minor = minor;
          in.ai_made = ai_made;
          const Dossier d = MustRender(in);
          ++rendered;
          for (const std::string* body : {&d.text, &d.html}) {
            EXPECT_EQ(Contains(*body, p.minor->hotline_url), minor) << where;
            for (const std::string& cite : p.minor->cites) {
              if (lang == "en") {
                EXPECT_EQ(Contains(*body, cite), minor) << where << ": " << cite;
              }
            }
            for (const Source& src : p.sources) {
              const bool listed = (!src.minor || minor) && (!src.ai || ai_made);
              const std::string shown = body == &d.html ? render_testing::Decoded(*body) : *body;
              EXPECT_EQ(Contains(shown, src.url) && Contains(shown, src.title), listed)
                  << where << ": " << src.title;
            }
          }
          if (!p.ai) continue;
          // The paragraph's first words, before any variable, show whether it was printed.
          const std::string& ai_text = p.ai->text.at(lang);
          const std::string opening = ai_text.substr(0, std::min<size_t>(60, ai_text.find("{{")));
          EXPECT_EQ(Contains(d.text, opening), ai_made) << where;
          if (!p.ai->cite.empty()) {
            EXPECT_EQ(Contains(d.text, p.ai->cite), ai_made) << where;
          }
        }
      }
    }
  }
  std::printf("rendered %d dossiers\n", rendered);
}

// Issue 21: where the UK's 48-hour duty applies, neither the dossier nor the law in plain words
// says "swiftly" (the duty before the Crime and Policing Act 2026), in any language.
TEST(Dossier, TheUkDossierStatesTheFortyEightHourDuty) {
  const LegalProfile& uk = Library().Profile("UK");
  ASSERT_EQ(uk.id, "UK");
  EXPECT_EQ(uk.deadline_hours, 48);
  const std::map<std::string, std::vector<std::string>> said = {{"en", {"48 hours", "swiftly"}},
                                                                {"zh-Hant", {"48 小時", "迅速"}},
                                                                {"ms", {"48 jam", "segera"}}};
  for (const auto& [lang, words] : said) {
    const Dossier d = MustRender(Complete("UK", lang));
    for (const std::string* body : {&d.text, &d.html}) {
      EXPECT_TRUE(Contains(*body, words[0])) << lang;
      EXPECT_FALSE(Contains(*body, words[1])) << lang;
    }
    EXPECT_TRUE(Contains(uk.plain_law.at(lang), words[0])) << lang;
    EXPECT_FALSE(Contains(uk.plain_law.at(lang), words[1])) << lang;
  }
}

}  // namespace
}  // namespace takedown::notify
