// The Store contract for the statistics' facts, on SQLite and PostgreSQL alike: cases, URLs and
// notices of the period with their image counts, first notices, escalations, replies, removals
// (by discovery or a caseworker) and reappearances; a removal is credited to the notices whose
// deadline window it fell in (all of them, marked shared, when windows overlap; the latest when
// it came after every deadline; only the current cycle's after a return); erased cases drop out.
#include <map>

#include "store/store_contract_test.h"

namespace takedown::store {
namespace {

using domain::NoticeState;
using domain::SightingState;

constexpr UnixMillis kHour = kMillisPerHour;

domain::Event At(std::optional<int64_t> case_id, const std::string& action, UnixMillis at,
                 const std::string& detail = "{}") {
  return {0, case_id, "user:1", action, detail, at};
}

// A notice about `sightings` that went out at `at`.
int64_t SendNotice(Store& store, int64_t case_id, std::vector<int64_t> sightings,
                   const std::string& to, domain::RecipientKind kind, int rung, UnixMillis at,
                   int deadline_hours = 72) {
  domain::Notice n;
  n.deadline_hours = deadline_hours;
  n.case_id = case_id;
  n.sighting_ids = std::move(sightings);
  n.recipient = to;
  n.recipient_kind = kind;
  n.rung = rung;
  n.channel = domain::ChannelKind::kWebForm;
  n.created_at = at;
  const int64_t id = *store.CreateNotice(n, At(case_id, "notice.drafted", at));
  EXPECT_TRUE(
      store.MoveNotice(id, NoticeState::kSubmitted, {at, "user:1", ""}, At(case_id, "x", at)).ok());
  return id;
}

// Discovery's check of `sighting` at `at` moved it to `to`.
void Check(Store& store, int64_t case_id, int64_t sighting, SightingState to, UnixMillis at) {
  const std::string action = "sighting." + std::string(domain::SightingStateName(to));
  EXPECT_TRUE(store
                  .RecordSightingCheck(
                      sighting, "{}", at, to,
                      At(case_id, action, at, "{\"sighting\":" + std::to_string(sighting) + "}"))
                  .ok());
}

TEST_P(StoreContract, StatisticsFactsFollowEachUrlFromNoticeToRemoval) {
  NewCase c = MakeCase("TD-STAT-0001", false, 3,
                       {"https://t.me/a/1", "https://forum.example/2", "https://forum.example/3"});
  c.jurisdiction = "HK";
  c.hashes[2].kind = domain::MediaKind::kVideo;
  const int64_t id = Create(c);
  const int64_t before = Create(MakeCase("TD-STAT-0002", false, 1, {}, kT0 - 10 * kHour));
  auto sightings = *store_->ListSightings(id);
  const int64_t a = sightings[0].id, b = sightings[1].id, dismissed = sightings[2].id;
  ASSERT_TRUE(store_->TransitionSighting(dismissed, SightingState::kDismissed, Ev(id, "x")).ok());

  const int64_t first = SendNotice(*store_, id, {a, b}, "telegram",
                                   domain::RecipientKind::kPlatform, 0, kT0 + 1 * kHour);
  ASSERT_TRUE(store_
                  ->AddReply({0, first, 0, "<r1@x>", "auto_reply", kT0 + 2 * kHour, "sealed"},
                             Ev(id, "notice.reply"))
                  .ok());
  Check(*store_, id, a, SightingState::kRemoved, kT0 + 5 * kHour);  // the platform took one down
  ASSERT_TRUE(store_->TransitionSighting(b, SightingState::kOverdue, Ev(id, "x")).ok());
  const int64_t host =
      SendNotice(*store_, id, {b}, "HostCo", domain::RecipientKind::kHost, 2, kT0 + 50 * kHour);
  ASSERT_TRUE(
      store_
          ->TransitionSighting(b, SightingState::kRemoved,
                               At(id, "sighting.state", kT0 + 60 * kHour,
                                  "{\"sighting\":" + std::to_string(b) + ",\"to\":\"removed\"}"))
          .ok());
  Check(*store_, id, a, SightingState::kReappeared, kT0 + 70 * kHour);

  auto facts = store_->StatsFacts(kT0, kT0 + 100 * kHour);
  ASSERT_TRUE(facts.ok()) << facts.status().message();
  ASSERT_EQ(facts->cases.size(), 1u) << "case " << before << " was reported before the period";
  EXPECT_EQ(facts->cases[0].jurisdiction, "HK");
  EXPECT_EQ(facts->cases[0].images, 2);
  EXPECT_EQ(facts->cases[0].videos, 1);

  ASSERT_EQ(facts->sightings.size(), 2u) << "the dismissed URL is not hers";
  const stats::SightingFact& fa = facts->sightings[0];
  EXPECT_EQ(fa.platform, sightings[0].platform);
  EXPECT_EQ(fa.jurisdiction, "HK");
  EXPECT_EQ(fa.first_notice_at, kT0 + 1 * kHour);
  EXPECT_EQ(fa.removed_at, kT0 + 5 * kHour);
  EXPECT_TRUE(fa.reappeared);
  EXPECT_FALSE(fa.removed_now);
  EXPECT_EQ(fa.escalations, 0);
  const stats::SightingFact& fb = facts->sightings[1];
  EXPECT_EQ(fb.removed_at, kT0 + 60 * kHour) << "a caseworker's move counts too";
  EXPECT_TRUE(fb.removed_now);
  EXPECT_EQ(fb.escalations, 1);

  ASSERT_EQ(facts->notices.size(), 2u);
  const stats::NoticeFact& nf = facts->notices[0];
  EXPECT_EQ(nf.notice_id, first);
  EXPECT_EQ(nf.recipient, "telegram");
  EXPECT_TRUE(nf.acknowledged);
  EXPECT_FALSE(nf.answered);
  EXPECT_EQ(nf.time_to_removal_ms, 4 * kHour) << "the URL it took down first";
  const stats::NoticeFact& hf = facts->notices[1];
  EXPECT_EQ(hf.notice_id, host);
  EXPECT_EQ(hf.kind, domain::RecipientKind::kHost);
  EXPECT_EQ(hf.rung, 2);
  EXPECT_EQ(hf.time_to_removal_ms, 10 * kHour) << "the removal in its window is its own";
  EXPECT_TRUE(hf.shared_credit) << "the platform's 72 hours had not passed: both are credited";
  EXPECT_FALSE(nf.shared_credit) << "its first removal was its alone";
  EXPECT_FALSE(hf.acknowledged);

  EXPECT_TRUE(store_->StatsFacts(kT0 + 100 * kHour, kT0 + 200 * kHour)->sightings.empty());
  ASSERT_TRUE(store_->EraseCase(id, Ev(id, "case.erased")).ok());
  const auto after = *store_->StatsFacts(kT0, kT0 + 100 * kHour);
  EXPECT_TRUE(after.cases.empty() && after.sightings.empty() && after.notices.empty());
}

// Credit by deadline window: a removal after the platform's deadline but inside the host's is
// the host's alone; one after every deadline is the latest notice's; after a return at the same
// URL, only the new cycle's notices compete.
TEST_P(StoreContract, StatisticsCreditRemovalsToTheNoticesWhoseDeadlineWindowTheyFellIn) {
  const int64_t id = Create(MakeCase("TD-STAT-0003", false, 1,
                                     {"https://t.me/a/1", "https://t.me/a/2", "https://t.me/a/3"}));
  auto sightings = *store_->ListSightings(id);
  const int64_t late = sightings[0].id, stale = sightings[1].id, back = sightings[2].id;
  using K = domain::RecipientKind;

  // Platform 48 h, host from hour 50 with 72 h: removed at hour 60, after the platform's deadline.
  const int64_t platform = SendNotice(*store_, id, {late}, "telegram", K::kPlatform, 0, kT0, 48);
  const int64_t host = SendNotice(*store_, id, {late}, "HostCo", K::kHost, 2, kT0 + 50 * kHour);
  Check(*store_, id, late, SightingState::kRemoved, kT0 + 60 * kHour);

  // Every deadline passed: the removal goes to the notice that went out last.
  const int64_t first = SendNotice(*store_, id, {stale}, "telegram", K::kPlatform, 0, kT0, 24);
  const int64_t again =
      SendNotice(*store_, id, {stale}, "telegram", K::kPlatform, 1, kT0 + 24 * kHour, 24);
  Check(*store_, id, stale, SightingState::kRemoved, kT0 + 90 * kHour);

  // Removed, back at the same URL, noticed again and removed again inside both windows of the
  // old notice and the new: only the new cycle's notice is credited with the second removal.
  const int64_t old_cycle = SendNotice(*store_, id, {back}, "telegram", K::kPlatform, 0, kT0);
  Check(*store_, id, back, SightingState::kRemoved, kT0 + 2 * kHour);
  Check(*store_, id, back, SightingState::kReappeared, kT0 + 10 * kHour);
  const int64_t new_cycle =
      SendNotice(*store_, id, {back}, "telegram", K::kPlatform, 0, kT0 + 11 * kHour);
  Check(*store_, id, back, SightingState::kRemoved, kT0 + 14 * kHour);

  auto facts = store_->StatsFacts(kT0, kT0 + 100 * kHour);
  ASSERT_TRUE(facts.ok()) << facts.status().message();
  std::map<int64_t, stats::NoticeFact> by_id;
  for (const stats::NoticeFact& n : facts->notices) by_id[n.notice_id] = n;
  ASSERT_EQ(by_id.size(), 6u);
  EXPECT_EQ(by_id[platform].time_to_removal_ms, std::nullopt) << "its 48 hours had passed";
  EXPECT_EQ(by_id[host].time_to_removal_ms, 10 * kHour);
  EXPECT_FALSE(by_id[host].shared_credit);
  EXPECT_EQ(by_id[first].time_to_removal_ms, std::nullopt);
  EXPECT_EQ(by_id[again].time_to_removal_ms, 66 * kHour) << "the latest, though late";
  EXPECT_EQ(by_id[old_cycle].time_to_removal_ms, 2 * kHour) << "the first removal only";
  EXPECT_FALSE(by_id[old_cycle].shared_credit);
  EXPECT_EQ(by_id[new_cycle].time_to_removal_ms, 3 * kHour);
  EXPECT_FALSE(by_id[new_cycle].shared_credit) << "the old cycle's notice does not compete";

  const stats::SightingFact* returned = nullptr;
  for (const auto& f : facts->sightings) returned = f.reappeared ? &f : returned;
  ASSERT_NE(returned, nullptr);
  EXPECT_TRUE(returned->removed_now);
  EXPECT_EQ(returned->removed_at, kT0 + 2 * kHour) << "first notice to the first check gone";
}

}  // namespace
}  // namespace takedown::store
