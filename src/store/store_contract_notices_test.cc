// The Store contract for notices, sighting checks and the dashboard totals, on SQLite and
// PostgreSQL alike: a notice keeps its sightings, an idempotency key stores it once, a notice
// cannot point at another case's sightings, erasing a case takes its notices; a check's evidence
// is kept with its sighting; the totals count what is there.
#include "store/store_contract_test.h"

namespace takedown::store {
namespace {

using domain::Notice;
using domain::SightingState;

Notice Draft(int64_t case_id, std::vector<int64_t> sightings, const std::string& key = "") {
  Notice n;
  n.case_id = case_id;
  n.sighting_ids = std::move(sightings);
  n.recipient_kind = domain::RecipientKind::kHost;
  n.recipient = "hosting.example";
  n.channel = "email";
  n.legal_basis = "EU DSA Art. 16";
  n.body = "Please remove ...";
  n.idempotency_key = key;
  n.created_at = kT0;
  n.deadline = kT0 + 48 * kMillisPerHour;
  return n;
}

TEST_P(StoreContract, NoticesKeepTheirSightingsAndAreStoredOncePerKey) {
  const int64_t id =
      Create(MakeCase("TD-NOTI-0001", false, 1, {"https://a.example/1", "https://a.example/2"}));
  const int64_t other = Create(MakeCase("TD-NOTI-0002", false, 1, {"https://b.example/1"}));
  const auto mine = *store_->ListSightings(id);
  const auto theirs = *store_->ListSightings(other);

  auto first = store_->CreateNotice(Draft(id, {mine[1].id, mine[0].id}, "notice-1"),
                                    Ev(id, "notice.drafted"));
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto again = store_->CreateNotice(Draft(id, {mine[0].id}, "notice-1"), Ev(id, "notice.drafted"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *first) << "the same idempotency key stores one notice";
  ASSERT_TRUE(store_->CreateNotice(Draft(id, {}), Ev(id, "notice.drafted")).ok());
  ASSERT_TRUE(store_->CreateNotice(Draft(id, {}), Ev(id, "notice.drafted")).ok())
      << "notices without a key never collide";

  const auto stolen = store_->CreateNotice(Draft(id, {theirs[0].id}), Ev(id, "notice.drafted"));
  EXPECT_EQ(stolen.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateNotice(Draft(other + 100, {}), Ev(id, "x")).status().code(),
            StatusCode::kNotFound);

  const auto notices = *store_->ListNotices(id);
  ASSERT_EQ(notices.size(), 3u);
  EXPECT_EQ(notices[0].id, *first);
  EXPECT_EQ(notices[0].sighting_ids, (std::vector<int64_t>{mine[0].id, mine[1].id}));
  EXPECT_EQ(notices[0].recipient_kind, domain::RecipientKind::kHost);
  EXPECT_EQ(notices[0].legal_basis, "EU DSA Art. 16");
  EXPECT_EQ(notices[0].deadline, kT0 + 48 * kMillisPerHour);
  EXPECT_FALSE(notices[0].sent_at.has_value());
  EXPECT_TRUE(store_->ListNotices(other)->empty());
  const auto events = *store_->ListEvents(id, 20);
  EXPECT_EQ(std::count_if(events.begin(), events.end(),
                          [](const domain::Event& e) { return e.action == "notice.drafted"; }),
            3);

  ASSERT_TRUE(store_->EraseCase(id, Ev(id, "case.erased")).ok());
  EXPECT_TRUE(store_->ListNotices(id)->empty());
}

TEST_P(StoreContract, OverviewCountsCasesSightingsAndNotices) {
  const auto empty = *store_->GetOverview();
  EXPECT_EQ(empty.open_cases + empty.closed_cases + empty.hashes + empty.notices, 0);

  const int64_t a =
      Create(MakeCase("TD-OVER-0001", false, 2, {"https://a.example/1", "https://a.example/2"}));
  const int64_t b = Create(MakeCase("TD-OVER-0002", true, 1, {"https://b.example/1"}));
  ASSERT_TRUE(
      store_->SetCaseStatus(b, domain::CaseStatus::kClosed, kT0, Ev(b, "case.closed")).ok());
  const auto sightings = *store_->ListSightings(a);
  ASSERT_TRUE(
      store_->TransitionSighting(sightings[0].id, SightingState::kNotified, Ev(a, "s")).ok());
  Notice sent = Draft(a, {sightings[0].id});
  sent.sent_at = kT0 + 1;
  ASSERT_TRUE(store_->CreateNotice(sent, Ev(a, "notice.sent")).ok());
  ASSERT_TRUE(store_->CreateNotice(Draft(a, {}), Ev(a, "notice.drafted")).ok());

  const auto o = *store_->GetOverview();
  EXPECT_EQ(o.open_cases, 1);
  EXPECT_EQ(o.closed_cases, 1);
  EXPECT_EQ(o.hashes, 3);
  EXPECT_EQ(o.sightings_by_state.at("found"), 2);
  EXPECT_EQ(o.sightings_by_state.at("notified"), 1);
  EXPECT_EQ(o.notices, 2);
  EXPECT_EQ(o.notices_sent, 1);
}

// What a check of a sighting's URL saw is kept with it, and moves it in the same transaction
// only along the state machine.
TEST_P(StoreContract, ACheckRecordsEvidenceAndMovesTheSightingOnlyWhereAllowed) {
  const int64_t id = Create(MakeCase("TD-CHEK-0001", false, 1, {"https://c.example/1"}));
  const int64_t s = (*store_->ListSightings(id))[0].id;
  const std::string seen = R"({"verdict":"matched","distance":6})";
  ASSERT_TRUE(
      store_->RecordSightingCheck(s, seen, kT0 + 5, std::nullopt, Ev(id, "sighting.checked")).ok());
  auto got = *store_->GetSighting(s);
  EXPECT_EQ(got.evidence_json, seen);
  EXPECT_EQ(got.last_checked, kT0 + 5);
  EXPECT_EQ(got.state, SightingState::kFound);

  const Status refused = store_->RecordSightingCheck(s, "{\"verdict\":\"gone\"}", kT0 + 6,
                                                     SightingState::kReappeared, Ev(id, "x"));
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetSighting(s)->evidence_json, seen) << "a refused move records nothing";

  ASSERT_TRUE(store_
                  ->RecordSightingCheck(s, "{\"verdict\":\"gone\"}", kT0 + 7,
                                        SightingState::kRemoved, Ev(id, "sighting.removed"))
                  .ok());
  got = *store_->GetSighting(s);
  EXPECT_EQ(got.state, SightingState::kRemoved);
  EXPECT_EQ(got.last_checked, kT0 + 7);
  EXPECT_EQ(store_->GetSighting(s + 100).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->UncheckedSightings(0, 10)->empty()) << "it was checked";
  const auto events = *store_->ListEvents(id, 5);
  EXPECT_EQ(events[0].action, "sighting.removed");
  EXPECT_EQ(events[1].action, "sighting.checked");
}

TEST_P(StoreContract, UncheckedSightingsArePagedLeavingDismissedOnesOut) {
  const int64_t id = Create(MakeCase("TD-UNCH-0001", false, 0,
                                     {"https://u.example/1", "https://u.example/2",
                                      "https://u.example/3", "https://u.example/4"}));
  const auto all = *store_->ListSightings(id);
  ASSERT_TRUE(store_->TransitionSighting(all[1].id, SightingState::kDismissed, Ev(id, "x")).ok());
  ASSERT_TRUE(store_->RecordSightingCheck(all[2].id, "{}", kT0, std::nullopt, Ev(id, "y")).ok());
  EXPECT_EQ(*store_->UncheckedSightings(0, 10), (std::vector<int64_t>{all[0].id, all[3].id}));
  EXPECT_EQ(*store_->UncheckedSightings(all[0].id, 10), (std::vector<int64_t>{all[3].id}));
  EXPECT_EQ(store_->UncheckedSightings(0, 1)->size(), 1u);
}

}  // namespace
}  // namespace takedown::store
