// The Store contract for the case queue's attention views (store.h: Attention), on SQLite and
// PostgreSQL alike: a notice out with its deadline running is waiting, a passed deadline is
// overdue until a later notice's deadline runs, a reappeared copy or an unreviewed repost is
// reappeared; drafts, removed and dismissed sightings need nobody.
#include "store/store_contract_test.h"

namespace takedown::store {
namespace {

using domain::NoticeState;
using domain::SightingState;

constexpr UnixMillis kHour = kMillisPerHour;

domain::Notice Draft(int64_t case_id, int64_t sighting, int deadline_hours) {
  domain::Notice n;
  n.case_id = case_id;
  n.sighting_ids = {sighting};
  n.recipient = "example";
  n.channel = domain::ChannelKind::kWebForm;
  n.legal_basis = "EU DSA Art. 16";
  n.body = "Please remove ...";
  n.created_at = kT0;
  n.deadline_hours = deadline_hours;
  return n;
}

class Queue : public StoreContract {
 protected:
  // A web-form notice for the sighting, submitted at `at`: its deadline runs from then.
  void Submit(int64_t case_id, int64_t sighting, int deadline_hours, UnixMillis at) {
    auto notice = store_->CreateNotice(Draft(case_id, sighting, deadline_hours),
                                       Ev(case_id, "notice.drafted"));
    ASSERT_TRUE(notice.ok()) << notice.status().message();
    ASSERT_TRUE(store_
                    ->MoveNotice(*notice, NoticeState::kSubmitted, {at, "", ""},
                                 Ev(case_id, "notice.submitted"))
                    .ok());
  }

  // The codes of the open cases in the view at `now`, newest first.
  std::vector<std::string> View(Attention a, UnixMillis now) {
    CaseFilter f;
    f.status = domain::CaseStatus::kOpen;
    f.attention = a;
    f.now = now;
    auto cases = store_->ListCases(f);
    EXPECT_TRUE(cases.ok()) << cases.status().message();
    std::vector<std::string> codes;
    for (const auto& c : cases.ok() ? *cases : std::vector<CaseSummary>{}) {
      codes.push_back(c.c.code);
    }
    return codes;
  }

  CaseAttention Of(int64_t id, UnixMillis now) {
    CaseFilter f;
    f.now = now;
    auto cases = store_->ListCases(f);
    EXPECT_TRUE(cases.ok()) << cases.status().message();
    for (const auto& c : cases.ok() ? *cases : std::vector<CaseSummary>{}) {
      if (c.c.id == id) return c.attention;
    }
    ADD_FAILURE() << "case " << id << " is not listed";
    return {};
  }

  using V = std::vector<std::string>;
};

TEST_P(Queue, DeadlinesRunningPassedAndRenewedSortCasesIntoWaitingAndOverdue) {
  const int64_t a = Create(MakeCase("TD-QUEU-000A", false, 1, {"https://a.example/1"}));
  const int64_t b = Create(MakeCase("TD-QUEU-000B", false, 1, {"https://b.example/1"}));
  const int64_t draft = Create(MakeCase("TD-QUEU-000D", false, 1, {"https://d.example/1"}));
  const int64_t a1 = (*store_->ListSightings(a))[0].id;
  const int64_t b1 = (*store_->ListSightings(b))[0].id;
  Submit(a, a1, 48, kT0);
  Submit(b, b1, 24, kT0);
  ASSERT_TRUE(store_
                  ->CreateNotice(Draft(draft, (*store_->ListSightings(draft))[0].id, 24),
                                 Ev(draft, "notice.drafted"))
                  .ok());

  EXPECT_EQ(View(Attention::kWaiting, kT0 + kHour), (V{"TD-QUEU-000B", "TD-QUEU-000A"}))
      << "a draft that never went out waits on nothing";
  EXPECT_EQ(View(Attention::kOverdue, kT0 + kHour), V{});
  EXPECT_EQ(Of(a, kT0 + kHour).next_deadline, kT0 + 48 * kHour);
  EXPECT_EQ(Of(a, kT0 + kHour).waiting, 1);
  EXPECT_EQ(Of(b, kT0 + kHour).next_deadline, kT0 + 24 * kHour);
  EXPECT_FALSE(Of(draft, kT0 + kHour).next_deadline.has_value());

  // B's deadline passed: overdue at once, before discovery moves the sighting.
  EXPECT_EQ(View(Attention::kWaiting, kT0 + 30 * kHour), V{"TD-QUEU-000A"});
  EXPECT_EQ(View(Attention::kOverdue, kT0 + 30 * kHour), V{"TD-QUEU-000B"});
  EXPECT_EQ(Of(b, kT0 + 30 * kHour).overdue, 1);
  EXPECT_FALSE(Of(b, kT0 + 30 * kHour).next_deadline.has_value());
  ASSERT_TRUE(
      store_->TransitionSighting(b1, SightingState::kOverdue, Ev(b, "sighting.state")).ok());
  EXPECT_EQ(View(Attention::kOverdue, kT0 + 30 * kHour), V{"TD-QUEU-000B"});
  EXPECT_EQ(Of(b, kT0 + 30 * kHour).overdue, 1) << "counted once, by state or by deadline";

  // A's passes too; a second notice to the platform starts a new deadline: waiting again.
  EXPECT_EQ(View(Attention::kOverdue, kT0 + 50 * kHour), (V{"TD-QUEU-000B", "TD-QUEU-000A"}));
  Submit(a, a1, 24, kT0 + 50 * kHour);
  EXPECT_EQ(View(Attention::kOverdue, kT0 + 51 * kHour), V{"TD-QUEU-000B"});
  EXPECT_EQ(View(Attention::kWaiting, kT0 + 51 * kHour), V{"TD-QUEU-000A"});
  EXPECT_EQ(Of(a, kT0 + 51 * kHour).next_deadline, kT0 + 74 * kHour);

  // Removed: nobody waits for it, and its passed deadline no longer matters.
  ASSERT_TRUE(
      store_->TransitionSighting(b1, SightingState::kRemoved, Ev(b, "sighting.state")).ok());
  ASSERT_TRUE(
      store_->TransitionSighting(a1, SightingState::kRemoved, Ev(a, "sighting.state")).ok());
  EXPECT_EQ(View(Attention::kOverdue, kT0 + 100 * kHour), V{});
  EXPECT_EQ(View(Attention::kWaiting, kT0 + 52 * kHour), V{});
}

TEST_P(Queue, ReappearedCopiesAndUnreviewedRepostsAreReappeared) {
  const int64_t back = Create(MakeCase("TD-QUEU-0001", false, 1, {"https://c.example/1"}));
  const int64_t reposted = Create(MakeCase("TD-QUEU-0002", false, 1));
  const int64_t dismissed = Create(MakeCase("TD-QUEU-0003", false, 1));
  const int64_t closed = Create(MakeCase("TD-QUEU-0004", false, 1, {"https://c.example/4"}));
  for (int64_t id : {back, closed}) {
    const int64_t s = (*store_->ListSightings(id))[0].id;
    ASSERT_TRUE(store_->TransitionSighting(s, SightingState::kRemoved, Ev(id, "x")).ok());
    ASSERT_TRUE(store_->TransitionSighting(s, SightingState::kReappeared, Ev(id, "x")).ok());
  }
  ASSERT_TRUE(
      store_->SetCaseStatus(closed, domain::CaseStatus::kClosed, kT0, Ev(closed, "x")).ok());
  domain::Sighting repost = Seen("https://forum.example/t/9");
  repost.origin = domain::SightingOrigin::kWatch;
  repost.needs_review = true;
  ASSERT_TRUE(store_->AddSightings(reposted, {repost}, "discovery", kT0).ok());
  ASSERT_TRUE(store_->AddSightings(dismissed, {repost}, "discovery", kT0).ok());
  const int64_t gone = (*store_->ListSightings(dismissed))[0].id;
  ASSERT_TRUE(store_->TransitionSighting(gone, SightingState::kDismissed, Ev(dismissed, "x")).ok());

  EXPECT_EQ(View(Attention::kReappeared, kT0), (V{"TD-QUEU-0002", "TD-QUEU-0001"}))
      << "a dismissed repost needs nobody; the closed case is not in the open queue";
  EXPECT_EQ(Of(back, kT0).reappeared, 1);
  EXPECT_EQ(Of(back, kT0).reposts, 0);
  EXPECT_EQ(Of(reposted, kT0).reposts, 1);
  EXPECT_EQ(Of(dismissed, kT0).reposts, 0);

  const int64_t confirm = (*store_->ListSightings(reposted))[0].id;
  ASSERT_TRUE(store_->ConfirmSighting(confirm, "user:1", Ev(reposted, "sighting.confirmed")).ok());
  EXPECT_EQ(View(Attention::kReappeared, kT0), V{"TD-QUEU-0001"}) << "a confirmed repost is hers";
  EXPECT_EQ(ParseAttention("overdue"), Attention::kOverdue);
  EXPECT_FALSE(ParseAttention("late").has_value());
}

INSTANTIATE_TEST_SUITE_P(store, Queue, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& backend) { return backend.param; });

}  // namespace
}  // namespace takedown::store
