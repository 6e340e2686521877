// Issue 17 item 6: what the organisation lets Takedown do without a person (domain/settings.h):
// first notices by its first-contact policy, drafting as soon as a copy is confirmed, and every
// automatic step audited as "system".
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "casework/notice_drafter.h"
#include "casework/notices.h"
#include "casework/notices_fixture.h"
#include "domain/sighting_jobs.h"

namespace takedown::casework {
namespace {

using domain::NoticeState;
using json = nlohmann::json;
using notices_testing::Notices;

class Automation : public Notices {
 protected:
  void Set(const domain::Settings& settings) {
    ASSERT_TRUE(notices_->PutSettings(admin_, settings).ok());
  }
  // Runs the case's "case.draft" job as the job loop would.
  void RunDraftJob(int64_t case_id) {
    NoticeDrafter drafter(*store_, clock_, *platforms_, *setup_);
    ASSERT_TRUE(drafter.HandleDraftJob(domain::DraftCaseJob(case_id, clock_.Now())).ok());
  }
  std::vector<domain::Notice> NoticesOf(int64_t case_id) {
    return *notices_->CaseNotices(caseworker_, case_id);
  }
  int EventsNamed(int64_t case_id, const std::string& action, const std::string& actor) {
    int n = 0;
    const auto events = *store_->ListEvents(case_id, 100);
    for (const auto& e : events) n += e.action == action && e.actor == actor;
    return n;
  }
};

TEST_F(Automation, AFirstNoticeGoesWithoutAPersonOnlyWhereThePolicySaysSo) {
  domain::Settings settings;
  settings.send_automatically = true;
  Set(settings);
  EXPECT_EQ(Draft(Report("https://t.me/leaks/1")).state, NoticeState::kDraft)
      << "by default every first contact waits for a person";

  settings.first_contact = domain::FirstContact::kPublished;
  Set(settings);
  const domain::Notice published = Draft(Report("https://t.me/leaks/2"));
  EXPECT_EQ(published.state, NoticeState::kApproved)
      << "Telegram's address is published in the platform data";
  EXPECT_EQ(published.approved_by, "system");
  bool said_first = false;
  const auto events = *store_->ListEvents(published.case_id, 100);
  for (const auto& e : events) {
    if (e.action == "notice.approved" && e.actor == "system") {
      said_first = json::parse(e.detail_json).value("first_contact", false);
    }
  }
  EXPECT_TRUE(said_first) << "the timeline says it was a first contact made automatically";
  const domain::Notice guessed = Draft(Report("https://pics-unknown.example/p/1"));
  EXPECT_EQ(guessed.address, "abuse@pics-unknown.example");
  EXPECT_EQ(guessed.state, NoticeState::kDraft) << "a guessed abuse@ mailbox still waits";

  settings.first_contact = domain::FirstContact::kAny;
  Set(settings);
  EXPECT_EQ(Draft(Report("https://other-unknown.example/p/1")).state, NoticeState::kApproved);
  EXPECT_EQ(Draft(Report("https://www.instagram.com/p/abc/")).state, NoticeState::kDraft)
      << "a web form is still filled in by a person";
}

TEST_F(Automation, ConfirmedCopiesAreDraftedWithoutAPersonOnlyWhenTheSettingSaysSo) {
  const int64_t case_id = Report("https://t.me/leaks/1");
  RunDraftJob(case_id);
  EXPECT_TRUE(NoticesOf(case_id).empty()) << "off by default: a caseworker drafts";

  domain::Settings settings;
  settings.draft_automatically = true;
  Set(settings);
  RunDraftJob(case_id);
  auto drafted = NoticesOf(case_id);
  ASSERT_EQ(drafted.size(), 1u);
  EXPECT_EQ(drafted[0].state, NoticeState::kDraft);
  EXPECT_EQ(EventsNamed(case_id, "notice.drafted", "system"), 1);

  RunDraftJob(case_id);
  EXPECT_EQ(NoticesOf(case_id).size(), 1u) << "a copy already in a draft is not drafted twice";
  EXPECT_EQ(EventsNamed(case_id, "notice.drafted", "system"), 1);
}

TEST_F(Automation, EveryChangedSettingIsAuditedWithWhatItWas) {
  domain::Settings settings;
  settings.confirm_automatically = true;
  settings.confirm_max_distance = 12;
  Set(settings);
  Set(settings);  // nothing changes the second time
  std::map<std::string, std::pair<std::string, std::string>> changed;
  int changes = 0;
  const auto events = *store_->ListEvents(std::nullopt, 100);
  for (const auto& e : events) {
    if (e.action != "settings.changed") continue;
    ++changes;
    const json d = json::parse(e.detail_json);
    changed[d["setting"]] = {d["from"], d["to"]};
    EXPECT_EQ(e.actor, "user:1");
  }
  EXPECT_EQ(changes, 2);
  using Change = std::pair<std::string, std::string>;
  EXPECT_EQ(changed["confirm_automatically"], Change("false", "true"));
  EXPECT_EQ(changed["confirm_max_distance"], Change("24", "12"));
}

}  // namespace
}  // namespace takedown::casework
