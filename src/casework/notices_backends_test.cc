// Issue 17's notice moves on SQLite and PostgreSQL alike, over the Notices fixture with the
// store it is given: a notice written in a language the platform takes, and a copy put back at
// the same URL after its removal drafted a new notice (its cycle in the idempotency key).
#include "casework/notices.h"
#include "casework/notices_fixture.h"
#include "store/testing/postgres_cluster.h"

namespace takedown::casework {
namespace {

using domain::NoticeState;
using notices_testing::Notices;

// The Notices fixture on the backend named by the test's parameter.
class NoticesOnBoth : public Notices, public ::testing::WithParamInterface<std::string> {
 protected:
  Result<std::string> StoreUrl() override {
    if (GetParam() == "sqlite") return Notices::StoreUrl();
    auto url = store::testing::PostgresCluster::Get().NewDatabase();
    if (!url.ok() && store::testing::PostgresCluster::Required()) {
      ADD_FAILURE() << url.status().message();
    }
    return url;
  }
};

// Issue 17, item 5: a notice goes in her language only where the platform takes it; elsewhere in
// the first language the platform lists.
TEST_P(NoticesOnBoth, ANoticeIsWrittenInALanguageThePlatformTakes) {
  IntakeRequest r;
  r.urls = {"https://www.instagram.com/p/Malay1/", "https://t.me/leaks/2",
            "https://forum.lowyat.net/topic/1"};
  r.jurisdiction = "MY";
  r.language = "ms";
  r.authorise = true;
  auto receipt = survivors_->Intake(r, &next_);
  ASSERT_TRUE(receipt.ok()) << receipt.status().message();
  auto drafts = notices_->DraftNotices(caseworker_, receipt->case_id, {});
  ASSERT_TRUE(drafts.ok()) << drafts.status().message();
  std::map<std::string, std::string> language;
  for (const domain::Notice& n : *drafts) language[n.recipient] = n.language;
  EXPECT_EQ(language["instagram"], "ms") << "Instagram takes Malay";
  EXPECT_EQ(language["lowyat"], "ms");
  EXPECT_EQ(language["telegram"], "en") << "Telegram lists English only";
}

// Issue 17: a copy put back at the same URL after its removal gets a new notice, not the one that
// went out before it came down.
TEST_P(NoticesOnBoth, ACopyBackAfterItsRemovalGetsANewNotice) {
  const int64_t case_id = Report("https://t.me/leaks/back");
  const domain::Notice first = Draft(case_id);
  MarkSent(first);
  const int64_t sighting = first.sighting_ids.at(0);
  const domain::Event e{0, case_id, "discovery", "x", "{}", clock_.Now()};
  ASSERT_EQ(store_->GetSighting(sighting)->state, domain::SightingState::kNotified);
  ASSERT_TRUE(store_->TransitionSighting(sighting, domain::SightingState::kRemoved, e).ok());
  // As discovery records its return (the evidence counts the cycle).
  ASSERT_TRUE(store_
                  ->RecordSightingCheck(sighting, "{\"cycle\":1}", clock_.Now(),
                                        domain::SightingState::kReappeared, e)
                  .ok());
  const domain::Notice again = Draft(case_id);
  EXPECT_NE(again.id, first.id) << "a new notice for the new cycle";
  EXPECT_EQ(again.state, NoticeState::kDraft);
  EXPECT_EQ(again.sighting_ids, first.sighting_ids);
  EXPECT_EQ(Draft(case_id).id, again.id) << "drafting the same cycle again finds it";
}

INSTANTIATE_TEST_SUITE_P(casework, NoticesOnBoth, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& backend) { return backend.param; });

}  // namespace
}  // namespace takedown::casework
