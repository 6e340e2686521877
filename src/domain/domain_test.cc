#include <gtest/gtest.h>

#include "domain/attempts.h"
#include "domain/attention.h"
#include "domain/entities.h"

namespace takedown::domain {
namespace {

TEST(SightingState, FollowsTheDesignedLife) {
  using S = SightingState;
  EXPECT_TRUE(CanTransition(S::kFound, S::kNotified));
  EXPECT_TRUE(CanTransition(S::kNotified, S::kRemoved));
  EXPECT_TRUE(CanTransition(S::kNotified, S::kOverdue));
  EXPECT_TRUE(CanTransition(S::kOverdue, S::kEscalated));
  EXPECT_TRUE(CanTransition(S::kEscalated, S::kRemoved));
  EXPECT_TRUE(CanTransition(S::kEscalated, S::kOverdue)) << "the next rung's deadline passed";
  EXPECT_TRUE(CanTransition(S::kRemoved, S::kReappeared));
  EXPECT_TRUE(CanTransition(S::kReappeared, S::kNotified));
  EXPECT_TRUE(CanTransition(S::kFound, S::kDismissed));
  // A dismissed sighting (not a match) never comes back by itself; removal is not undone
  // except by reappearing; nothing skips the notice.
  EXPECT_FALSE(CanTransition(S::kDismissed, S::kNotified));
  EXPECT_FALSE(CanTransition(S::kRemoved, S::kNotified));
  EXPECT_FALSE(CanTransition(S::kFound, S::kEscalated));
  EXPECT_FALSE(CanTransition(S::kNotified, S::kNotified));
}

TEST(Names, RoundTrip) {
  for (auto s : {SightingState::kFound, SightingState::kNotified, SightingState::kOverdue,
                 SightingState::kEscalated, SightingState::kRemoved, SightingState::kReappeared,
                 SightingState::kDismissed}) {
    EXPECT_EQ(ParseSightingState(SightingStateName(s)), s);
  }
  for (auto r : {Role::kAdmin, Role::kCaseworker, Role::kReviewer}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_EQ(ParseRole("root"), std::nullopt);
  EXPECT_EQ(ParseCaseStatus("closed"), CaseStatus::kClosed);
}

TEST(AttemptLimit, WaitsOnlyPastTheFreeAttemptsThenDoublesUpToTheCap) {
  const AttemptLimit limit{3, 1000, 8000, kMillisPerHour};
  EXPECT_EQ(limit.WaitAfter(0), 0);
  EXPECT_EQ(limit.WaitAfter(2), 0);
  EXPECT_EQ(limit.WaitAfter(3), 1000);
  EXPECT_EQ(limit.WaitAfter(4), 2000);
  EXPECT_EQ(limit.WaitAfter(5), 4000);
  EXPECT_EQ(limit.WaitAfter(6), 8000);
  EXPECT_EQ(limit.WaitAfter(1'000'000), 8000) << "never more than the cap, however many";
}

TEST(RetryDelay, DoublesFromThirtySecondsUpToSixHours) {
  EXPECT_EQ(RetryDelay(1), 30 * kMillisPerSecond);
  EXPECT_EQ(RetryDelay(2), 60 * kMillisPerSecond);
  EXPECT_EQ(RetryDelay(5), 480 * kMillisPerSecond);
  EXPECT_EQ(RetryDelay(30), 6 * kMillisPerHour);
}

TEST(NoticeStates, GoOutOnceAndAFailedSendIsRetriedAfterApproval) {
  using N = NoticeState;
  EXPECT_TRUE(CanTransition(N::kDraft, N::kApproved));
  EXPECT_TRUE(CanTransition(N::kApproved, N::kSending));
  EXPECT_TRUE(CanTransition(N::kSending, N::kSent));
  EXPECT_TRUE(CanTransition(N::kDraft, N::kSubmitted)) << "a web form the caseworker filled in";
  EXPECT_TRUE(CanTransition(N::kFailed, N::kApproved));
  EXPECT_FALSE(CanTransition(N::kDraft, N::kSending)) << "never sent without approval";
  EXPECT_FALSE(CanTransition(N::kSent, N::kSending)) << "never sent twice";
  EXPECT_FALSE(CanTransition(N::kSent, N::kCancelled));
  EXPECT_TRUE(WentOut(N::kSent));
  EXPECT_TRUE(WentOut(N::kSubmitted));
  EXPECT_FALSE(WentOut(N::kSending));
  for (N s :
       {N::kDraft, N::kApproved, N::kSending, N::kSent, N::kSubmitted, N::kFailed, N::kCancelled}) {
    EXPECT_EQ(ParseNoticeState(NoticeStateName(s)), s);
  }
  EXPECT_FALSE(ParseNoticeState("queued").has_value());
}

TEST(Time, FormatsAndParsesIso8601) {
  UnixMillis t = 0;
  ASSERT_TRUE(ParseTime("2026-11-22T14:03:05.123Z", &t));
  EXPECT_EQ(FormatTime(t), "2026-11-22T14:03:05.123Z");
  ASSERT_TRUE(ParseTime("1970-01-01T00:00:00Z", &t));
  EXPECT_EQ(t, 0);
  EXPECT_FALSE(ParseTime("2026-02-30T00:00:00Z", &t));
  EXPECT_FALSE(ParseTime("2026-11-22 14:03:05", &t));
  ManualClock clock(1000);
  clock.Advance(kMillisPerDay);
  EXPECT_EQ(clock.Now(), 1000 + kMillisPerDay);
}

TEST(Attention, ACopyPastItsDeadlineWithNoLaterNoticeRunningIsOverdue) {
  using S = SightingState;
  const UnixMillis now = 1000;
  const CaseAttention a = AttentionOf(
      {
          {S::kNotified, false, {900}},         // its only deadline passed: overdue
          {S::kEscalated, false, {900, 1500}},  // the next rung's deadline runs: waiting
          {S::kNotified, false, {2000}},        // waiting, the later deadline
          {S::kOverdue, false, {}},             // discovery already moved it
          {S::kReappeared, false, {}},
          {S::kFound, true, {}},      // a repost waiting for review
          {S::kDismissed, true, {}},  // dismissed: no longer waiting for anyone
          {S::kRemoved, false, {900}},
      },
      now);
  EXPECT_EQ(a.waiting, 2);
  EXPECT_EQ(a.next_deadline, 1500);
  EXPECT_EQ(a.overdue, 2);
  EXPECT_EQ(a.reappeared, 1);
  EXPECT_EQ(a.reposts, 1);
  EXPECT_TRUE(InView(a, Attention::kWaiting));
  EXPECT_TRUE(InView(a, Attention::kOverdue));
  EXPECT_TRUE(InView(a, Attention::kReappeared));
  EXPECT_FALSE(InView(AttentionOf({{S::kFound, false, {}}}, now), Attention::kOverdue));
}

TEST(Attention, OnlyStatesThatCanNeedACaseworkerArePreselected) {
  EXPECT_EQ(SightingStatesWhere(MayNeedAttention),
            (std::vector<SightingState>{SightingState::kNotified, SightingState::kOverdue,
                                        SightingState::kEscalated, SightingState::kReappeared}));
  EXPECT_EQ(SightingStatesWhere(IsOpen),
            (std::vector<SightingState>{SightingState::kFound, SightingState::kNotified,
                                        SightingState::kOverdue, SightingState::kEscalated,
                                        SightingState::kReappeared}));
  EXPECT_EQ(NoticeStatesWhere(WentOut),
            (std::vector<NoticeState>{NoticeState::kSent, NoticeState::kSubmitted}));
}

TEST(NoticeReference, IsOnePerNoticeAndNeverTheCaseCode) {
  EXPECT_EQ(NoticeReference(12, {34, 35}), "N12-34");
  EXPECT_EQ(NoticeReference(12, {34, 35}, 2), "N12-34-2") << "a later rung has its own";
  EXPECT_EQ(NoticeReference(12, {}), "");
  Notice n;
  n.case_id = 12;
  n.sighting_ids = {34};
  n.rung = 3;
  EXPECT_EQ(NoticeReference(n), "N12-34-3");
}

}  // namespace
}  // namespace takedown::domain
