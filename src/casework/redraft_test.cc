// Drafts rendered again when what they say changes (issue 20), over a real SQLite store and the
// real notice library: saving the organisation's profile rewrites every draft and no notice that
// went out, and so does changing her case's language; a caseworker's Redraft rewrites a draft in
// place and turns a cancelled notice's links into a new draft; only admins save the profile, and
// the profile says what notices need of it.
#include "casework/notices.h"
#include "casework/notices_fixture.h"

namespace takedown::casework {
namespace {

using domain::NoticeState;
using notices_testing::kT0;
using notices_testing::Notices;

const notify::Organisation kLantern{"Lantern Aid",
                                    "cases@lantern.example",
                                    "+60 3 0000",
                                    "2 Jalan Ampang\nKuala Lumpur",
                                    "https://lantern.example",
                                    "Aisha Rahman",
                                    "Caseworker"};

TEST_F(Notices, SavingTheOrganisationRewritesEveryDraftButNoNoticeThatWentOut) {
  const domain::Notice waiting = Draft(Report("https://t.me/leaks/1"));
  const domain::Notice gone = Draft(Report("https://t.me/leaks/2"));
  MarkSent(gone);
  ASSERT_NE(waiting.body.find("Harbour Support"), std::string::npos) << "the flags' name";

  EXPECT_EQ(notices_->PutOrganisation(caseworker_, kLantern).status().code(),
            StatusCode::kPermissionDenied);
  auto redrafted = notices_->PutOrganisation(admin_, kLantern);
  ASSERT_TRUE(redrafted.ok()) << redrafted.status().message();
  EXPECT_EQ(*redrafted, 1) << "the draft, not the notice that went out";

  const domain::Notice now = *notices_->GetNotice(caseworker_, waiting.id);
  EXPECT_NE(now.body.find("Lantern Aid"), std::string::npos) << now.body;
  EXPECT_NE(now.body.find("cases@lantern.example"), std::string::npos);
  EXPECT_EQ(now.body.find("Harbour Support"), std::string::npos);
  EXPECT_EQ(now.state, NoticeState::kDraft);
  EXPECT_EQ(now.reply_token, waiting.reply_token) << "the same draft, rewritten";
  EXPECT_NE(notices_->GetNotice(caseworker_, gone.id)->body.find("Harbour Support"),
            std::string::npos);

  const OrganisationView view = *notices_->GetOrganisation(reviewer_);
  EXPECT_TRUE(view.saved);
  EXPECT_EQ(view.organisation.name, "Lantern Aid");
  EXPECT_TRUE(view.lacks.empty());
  const auto events = *store_->ListEvents(std::nullopt, 50);
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const domain::Event& e) {
    return e.action == "organisation.updated" && e.actor == "user:1";
  }));
}

TEST_F(Notices, AProfileThatCannotSignANoticeIsRefusedOrToldWhatItLacks) {
  notify::Organisation bad = kLantern;
  bad.website = "http://lantern.example";
  EXPECT_EQ(notices_->PutOrganisation(admin_, bad).status().code(), StatusCode::kInvalidArgument);
  bad = kLantern;
  bad.email = "cases at lantern";
  EXPECT_EQ(notices_->PutOrganisation(admin_, bad).status().code(), StatusCode::kInvalidArgument);

  notify::Organisation unnamed;
  unnamed.phone = "+60 3 0000";
  ASSERT_TRUE(notices_->PutOrganisation(admin_, unnamed).ok());
  EXPECT_EQ(notices_->GetOrganisation(caseworker_)->lacks,
            (std::vector<std::string>{"name", "email", "signatory"}));
}

TEST_F(Notices, ChangingTheCasesLanguageRewritesItsDraftsInIt) {
  // A site no platform entry knows: its notice is in her language, whatever that is.
  const int64_t case_id = Report("https://pics.example.net/4");
  const domain::Notice draft = Draft(case_id);
  ASSERT_EQ(draft.language, "en");
  EXPECT_EQ(notices_->SetCaseLanguage(caseworker_, case_id, "xx").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(notices_->SetCaseLanguage(reviewer_, case_id, "zh-Hant").status().code(),
            StatusCode::kPermissionDenied);
  auto redrafted = notices_->SetCaseLanguage(caseworker_, case_id, "zh-Hant");
  ASSERT_TRUE(redrafted.ok()) << redrafted.status().message();
  EXPECT_EQ(*redrafted, 1);
  const domain::Notice now = *notices_->GetNotice(caseworker_, draft.id);
  EXPECT_EQ(now.language, "zh-Hant");
  EXPECT_NE(now.body, draft.body);
  EXPECT_EQ(store_->GetCase(case_id)->language, "zh-Hant");
}

TEST_F(Notices, RedraftRewritesADraftAndDraftsACancelledNoticesLinksAgain) {
  const int64_t case_id = Report("https://t.me/leaks/3");
  const domain::Notice draft = Draft(case_id);
  ASSERT_TRUE(store_
                  ->PutOrganisation(
                      {"Lantern Aid", "cases@lantern.example", "", "", "", "Aisha Rahman", ""},
                      {0, std::nullopt, "user:1", "x", "{}", kT0})
                  .ok());
  auto again = notices_->Redraft(caseworker_, draft.id);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->id, draft.id);
  EXPECT_NE(again->body.find("Lantern Aid"), std::string::npos);
  EXPECT_EQ(notices_->Redraft(reviewer_, draft.id).status().code(), StatusCode::kPermissionDenied);

  ASSERT_TRUE(notices_->CancelNotice(caseworker_, draft.id).ok());
  EXPECT_EQ(notices_->DraftNotices(caseworker_, case_id, {})->front().state,
            NoticeState::kCancelled)
      << "drafting the case again finds the cancelled notice";
  auto fresh = notices_->Redraft(caseworker_, draft.id);
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  EXPECT_NE(fresh->id, draft.id);
  EXPECT_EQ(fresh->state, NoticeState::kDraft);
  EXPECT_EQ(fresh->sighting_ids, draft.sighting_ids);
  EXPECT_EQ(notices_->Redraft(caseworker_, draft.id)->id, fresh->id) << "asked twice, one draft";

  MarkSent(*fresh);
  EXPECT_EQ(notices_->Redraft(caseworker_, fresh->id).status().code(),
            StatusCode::kFailedPrecondition)
      << "a notice that went out is not drafted again";
}

}  // namespace
}  // namespace takedown::casework
