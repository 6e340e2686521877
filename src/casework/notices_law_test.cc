// Issue 21, as a caseworker meets it: a notice names a link only on evidence (it matched her
// images, she reported it, or a caseworker confirmed it), says which, and names no link nobody has
// checked; the person's age chooses child-protection law and the AI flag the statute's words.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "casework/drafting.h"
#include "casework/notices_fixture.h"
#include "platforms/platforms.h"

namespace takedown::casework {
namespace {

using notices_testing::Notices;

class NoticesUnderTheLaw : public Notices {
 protected:
  int64_t ReportAs(const std::string& jurisdiction, domain::AgeGroup age, bool ai_made) {
    IntakeRequest r;
    r.urls = {"https://t.me/leaks/21"};
    r.jurisdiction = jurisdiction;
    r.language = "en";
    r.authorise = true;
    r.age = age;
    r.ai_made = ai_made;
    auto receipt = survivors_->Intake(r, &next_);
    EXPECT_TRUE(receipt.ok()) << receipt.status().message();
    return receipt.ok() ? receipt->case_id : 0;
  }
};

TEST_F(NoticesUnderTheLaw, ALinkNobodyCheckedIsNamedByNoNoticeUntilACaseworkerConfirmsIt) {
  const int64_t id = Report("https://t.me/leaks/1");
  domain::Sighting pasted;
  pasted.url = pasted.normalized_url = "https://t.me/leaks/2";
  pasted.platform = "telegram";
  pasted.host = "t.me";
  pasted.origin = domain::SightingOrigin::kCaseworker;
  pasted.first_seen = clock_.Now();
  pasted.evidence_json = "{}";
  auto added = store_->AddSightings(id, {pasted}, "user:2", clock_.Now());
  ASSERT_TRUE(added.ok()) << added.status().message();

  const domain::Notice first = Draft(id);
  EXPECT_NE(first.body.find("https://t.me/leaks/1"), std::string::npos) << first.body;
  EXPECT_NE(first.body.find("reported by the person depicted"), std::string::npos);
  EXPECT_EQ(first.body.find("https://t.me/leaks/2"), std::string::npos)
      << "nobody has checked it: " << first.body;
  EXPECT_EQ(first.sighting_ids.size(), 1u);
  EXPECT_EQ(first.body.find("First found"), std::string::npos)
      << "she reported it: no crawl first saw the copy";

  const int64_t pasted_id = (*store_->ListSightings(id))[1].id;
  ASSERT_TRUE(store_
                  ->ConfirmSighting(
                      pasted_id, "user:2",
                      domain::Event{0, id, "user:2", "sighting.confirmed", "{}", clock_.Now()})
                  .ok());
  auto drafts = notices_->DraftNotices(caseworker_, id, {pasted_id});
  ASSERT_TRUE(drafts.ok()) << drafts.status().message();
  ASSERT_EQ(drafts->size(), 1u);
  EXPECT_NE(drafts->front().body.find("https://t.me/leaks/2"), std::string::npos);
  EXPECT_NE(drafts->front().body.find("confirmed that it shows the person depicted"),
            std::string::npos)
      << drafts->front().body;
}

TEST_F(NoticesUnderTheLaw, OnlyAMinorsNoticeCitesChildProtectionLaw) {
  const domain::Notice adult = Draft(ReportAs("HK", domain::AgeGroup::kAdult, false));
  EXPECT_EQ(adult.body.find("Cap. 579"), std::string::npos) << adult.body;
  EXPECT_EQ(adult.body.find("erc.police.gov.hk"), std::string::npos);
  for (domain::AgeGroup minor : {domain::AgeGroup::kMinorWhenMade, domain::AgeGroup::kMinorNow}) {
    const domain::Notice n = Draft(ReportAs("HK", minor, false));
    EXPECT_NE(n.body.find("Cap. 579"), std::string::npos) << n.body;
    EXPECT_NE(n.body.find("https://www.erc.police.gov.hk/"), std::string::npos);
  }
}

// A minor's notice goes to the platform's child-safety channel where it publishes one (Telegram's
// stopca@ mailbox, YouTube's child endangerment page), to its ordinary channel where it publishes
// none (Instagram), and names the jurisdiction's child-protection hotline; an adult's goes to the
// ordinary channel without it.
TEST_F(NoticesUnderTheLaw, AMinorsNoticeGoesToTheChildSafetyChannelAndNamesTheHotline) {
  for (domain::AgeGroup age :
       {domain::AgeGroup::kAdult, domain::AgeGroup::kMinorWhenMade, domain::AgeGroup::kMinorNow}) {
    const bool minor = domain::IsMinor(age);
    IntakeRequest r;
    r.urls = {"https://t.me/leaks/31", "https://www.instagram.com/p/C1a2B3c4D5e/",
              "https://www.youtube.com/watch?v=aBcDeFgHiJk"};
    r.jurisdiction = "UK";
    r.language = "en";
    r.authorise = true;
    r.age = age;
    auto receipt = survivors_->Intake(r, &next_);
    ASSERT_TRUE(receipt.ok()) << receipt.status().message();
    auto drafts = notices_->DraftNotices(caseworker_, receipt->case_id, {});
    ASSERT_TRUE(drafts.ok()) << drafts.status().message();
    std::map<std::string, domain::Notice> to;
    for (const domain::Notice& n : *drafts) to[n.recipient] = n;
    ASSERT_EQ(to.size(), 3u);
    EXPECT_EQ(to["telegram"].address, minor ? "stopca@telegram.org" : "abuse@telegram.org");
    EXPECT_EQ(to["youtube"].address, minor ? "https://support.google.com/youtube/answer/2801999"
                                           : "https://support.google.com/youtube/answer/142443");
    EXPECT_EQ(to["instagram"].address, "https://help.instagram.com/contact/504521742987441");
    for (const auto& [recipient, n] : to) {
      EXPECT_EQ(n.body.find("https://report.iwf.org.uk/") != std::string::npos, minor)
          << recipient << ": " << n.body;
      EXPECT_EQ(n.body.find("Protection of Children Act 1978") != std::string::npos, minor);
    }
  }
}

// Every platform of data/platforms.toml that publishes a child-safety channel gets a minor's notice
// there, and an adult's never; a platform that publishes none gets both at its ordinary channel.
// The data decides, so a channel added to the file is covered here.
TEST(ChildSafetyChannels, AMinorsNoticeGoesToThemAndAnAdultsNever) {
  auto dir = platforms::PlatformDirectory::Load(TAKEDOWN_SOURCE_DIR "/data/platforms.toml");
  ASSERT_TRUE(dir.ok()) << dir.status().message();
  const auto one_of = [](const platforms::Channel* c, const std::vector<platforms::Channel>& in) {
    return std::any_of(in.begin(), in.end(), [c](const platforms::Channel& x) { return &x == c; });
  };
  for (const platforms::Platform& p : dir->all()) {
    const platforms::Channel* adult = ChannelOf(&p, domain::AgeGroup::kAdult);
    EXPECT_TRUE(one_of(adult, p.channels)) << p.id;
    for (domain::AgeGroup age : {domain::AgeGroup::kMinorWhenMade, domain::AgeGroup::kMinorNow}) {
      const platforms::Channel* minor = ChannelOf(&p, age);
      EXPECT_TRUE(p.child_safety.empty() ? minor == adult : one_of(minor, p.child_safety))
          << p.id << " " << domain::AgeGroupName(age);
    }
  }
  // The platforms whose published channel data/platforms.toml records, with its source.
  for (const char* id : {"telegram", "tiktok", "youtube", "google_search"}) {
    ASSERT_NE(dir->Find(id), nullptr) << id;
    EXPECT_FALSE(dir->Find(id)->child_safety.empty()) << id;
  }
}

TEST_F(NoticesUnderTheLaw, ImagesMadeByAiAreDescribedInTheStatutesOwnWords) {
  const domain::Notice real = Draft(ReportAs("US", domain::AgeGroup::kAdult, false));
  EXPECT_EQ(real.body.find("\"digital forgery\""), std::string::npos);
  const domain::Notice forged = Draft(ReportAs("US", domain::AgeGroup::kAdult, true));
  EXPECT_NE(forged.body.find("\"digital forgery\""), std::string::npos) << forged.body;
  EXPECT_NE(forged.legal_basis.find("223(h)(1)(B)"), std::string::npos) << forged.legal_basis;
}

// The regulator's dossier says what the notices said: the statute's words on AI-made images only
// when the case is flagged so.
TEST_F(NoticesUnderTheLaw, TheDossierDescribesAiMadeImagesInTheStatutesOwnWords) {
  for (bool ai_made : {false, true}) {
    const int64_t id = ReportAs("US", domain::AgeGroup::kAdult, ai_made);
    auto dossier = notices_->Dossier(caseworker_, id, "");
    ASSERT_TRUE(dossier.ok()) << dossier.status().message();
    EXPECT_EQ(dossier->text.find("\"digital forgery\"") != std::string::npos, ai_made)
        << dossier->text;
    EXPECT_EQ(dossier->text.find("223(h)(1)(B)") != std::string::npos, ai_made);
  }
}

}  // namespace
}  // namespace takedown::casework
