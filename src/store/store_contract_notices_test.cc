// The Store contract for notices, sighting checks and the dashboard totals, on SQLite and
// PostgreSQL alike: a notice keeps its sightings, an idempotency key stores it once, a notice
// cannot point at another case's sightings, erasing a case takes its notices; a check's evidence
// is kept with its sighting; the totals count what is there.
#include "store/postgres_database.h"
#include "store/sqlite_database.h"
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
  n.channel = domain::ChannelKind::kEmail;
  n.legal_basis = "EU DSA Art. 16";
  n.sealed_text = "sealed:" + key;
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

namespace takedown::store {
namespace {

using domain::NoticeState;

NoticeMove At(UnixMillis at, std::string actor = "", std::string error = "") {
  return {at, std::move(actor), std::move(error)};
}

TEST_P(StoreContract, TheOutboxMovesANoticeOnceAndItsSightingsBecomeNotified) {
  const int64_t id =
      Create(MakeCase("TD-OUTB-0001", false, 1, {"https://a.example/1", "https://a.example/2"}));
  const auto seen = *store_->ListSightings(id);
  domain::Notice n = Draft(id, {seen[0].id, seen[1].id}, "outbox-1");
  n.sent_at.reset();
  n.deadline.reset();
  n.subject = "Removal request on behalf of Jane Doe";
  n.body = "Please remove ...";
  n.html = "<p>Please remove</p>";
  n.address = "abuse@hosting.example";
  n.language = "zh-Hant";
  n.missing = {"notifier_email", "signature"};
  n.rung = 2;
  n.deadline_hours = 48;
  const int64_t notice = *store_->CreateNotice(n, Ev(id, "notice.drafted"));

  auto got = store_->GetNotice(notice);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->state, NoticeState::kDraft);
  EXPECT_EQ(got->sealed_text, "sealed:outbox-1");
  EXPECT_EQ(got->subject, "") << "only the sealed text is kept";
  EXPECT_EQ(got->body, "");
  EXPECT_EQ(got->html, "");
  EXPECT_TRUE(store_->NoticesWithPlainText(10)->empty());
  EXPECT_EQ(got->address, n.address);
  EXPECT_EQ(got->language, "zh-Hant");
  EXPECT_EQ(got->missing, n.missing);
  EXPECT_EQ(got->rung, 2);
  EXPECT_EQ(got->deadline_hours, 48);
  EXPECT_EQ(got->sighting_ids, (std::vector<int64_t>{seen[0].id, seen[1].id}));
  EXPECT_EQ(store_->GetNotice(notice + 99).status().code(), StatusCode::kNotFound);

  EXPECT_EQ(store_->MoveNotice(notice, NoticeState::kSending, At(kT0), Ev(id, "x")).code(),
            StatusCode::kFailedPrecondition)
      << "a draft is approved before it is sent";
  ASSERT_TRUE(
      store_
          ->MoveNotice(notice, NoticeState::kApproved, At(kT0, "user:4"), Ev(id, "notice.approved"))
          .ok());
  EXPECT_EQ(store_->GetNotice(notice)->approved_by, "user:4");
  ASSERT_TRUE(
      store_->MoveNotice(notice, NoticeState::kSending, At(kT0), Ev(id, "notice.sending")).ok());
  EXPECT_EQ(store_->MoveNotice(notice, NoticeState::kSending, At(kT0), Ev(id, "x")).code(),
            StatusCode::kFailedPrecondition)
      << "a second worker cannot take it to sending again";
  ASSERT_EQ(store_->NoticesInState(NoticeState::kSending, 10)->size(), 1u);
  ASSERT_TRUE(
      store_->MoveNotice(notice, NoticeState::kFailed, At(kT0, "", "relay said 451"), Ev(id, "x"))
          .ok());
  EXPECT_EQ(store_->GetNotice(notice)->last_error, "relay said 451");
  ASSERT_TRUE(
      store_->MoveNotice(notice, NoticeState::kApproved, At(kT0, "system"), Ev(id, "x")).ok());
  EXPECT_EQ(store_->GetNotice(notice)->last_error, "");
  ASSERT_TRUE(store_->MoveNotice(notice, NoticeState::kSending, At(kT0), Ev(id, "x")).ok());

  const UnixMillis sent = kT0 + 5000;
  ASSERT_TRUE(store_->MoveNotice(notice, NoticeState::kSent, At(sent), Ev(id, "notice.sent")).ok());
  const auto out = *store_->GetNotice(notice);
  EXPECT_EQ(out.state, NoticeState::kSent);
  EXPECT_EQ(out.sent_at, sent);
  EXPECT_EQ(out.deadline, sent + 48 * kMillisPerHour);
  const auto notified = *store_->ListSightings(id);
  for (const auto& s : notified) EXPECT_EQ(s.state, domain::SightingState::kNotified);
  EXPECT_EQ(store_->CountCase(id)->notified, 2);
  EXPECT_TRUE(store_->NoticesInState(NoticeState::kSending, 10)->empty());
  const auto events = *store_->ListEvents(id, 20);
  EXPECT_EQ(std::count_if(events.begin(), events.end(),
                          [](const auto& e) { return e.action == "sighting.notified"; }),
            2);
}

TEST_P(StoreContract, ANoticeAboutAnOverdueCopyEscalatesIt) {
  const int64_t id = Create(MakeCase("TD-ESCL-0001", false, 1, {"https://a.example/1"}));
  const int64_t sighting = (*store_->ListSightings(id))[0].id;
  ASSERT_TRUE(store_->TransitionSighting(sighting, SightingState::kNotified, Ev(id, "x")).ok());
  ASSERT_TRUE(store_->TransitionSighting(sighting, SightingState::kOverdue, Ev(id, "x")).ok());
  domain::Notice next = Draft(id, {sighting}, "escalate-1");
  next.rung = 2;
  const int64_t notice = *store_->CreateNotice(next, Ev(id, "notice.escalated"));
  ASSERT_TRUE(store_->MoveNotice(notice, NoticeState::kSubmitted, At(kT0), Ev(id, "x")).ok());
  EXPECT_EQ(store_->GetSighting(sighting)->state, SightingState::kEscalated)
      << "its deadline can pass again and the ladder climb on";
}

TEST_P(StoreContract, AWebFormNoticeIsSubmittedByItsCaseworker) {
  const int64_t id = Create(MakeCase("TD-OUTB-0002", false, 1, {"https://a.example/1"}));
  const auto seen = *store_->ListSightings(id);
  domain::Notice n = Draft(id, {seen[0].id});
  n.sent_at.reset();
  n.deadline.reset();
  n.channel = domain::ChannelKind::kWebForm;
  n.deadline_hours = 24;
  const int64_t notice = *store_->CreateNotice(n, Ev(id, "notice.drafted"));
  ASSERT_TRUE(
      store_->MoveNotice(notice, NoticeState::kSubmitted, At(kT0), Ev(id, "notice.submitted"))
          .ok());
  EXPECT_EQ(store_->GetNotice(notice)->deadline, kT0 + 24 * kMillisPerHour);
  EXPECT_EQ(store_->GetSighting(seen[0].id)->state, domain::SightingState::kNotified);
  EXPECT_EQ(store_->MoveNotice(notice, NoticeState::kCancelled, At(kT0), Ev(id, "x")).code(),
            StatusCode::kFailedPrecondition)
      << "what went out cannot be cancelled";
}

// Issue 20: one item of a bulk request moves without an event of its own (the request writes one
// for all of them); the sightings a submitted web form notifies still say so, as a single submit's
// do, in the mover's name.
TEST_P(StoreContract, MovesWithoutAnEventWriteOnlyTheSightingsEvents) {
  const int64_t id =
      Create(MakeCase("TD-BULK-0001", false, 1, {"https://a.example/1", "https://a.example/2"}));
  const auto seen = *store_->ListSightings(id);
  domain::Notice n = Draft(id, {seen[0].id});
  n.sent_at.reset();
  n.deadline.reset();
  n.channel = domain::ChannelKind::kWebForm;
  const int64_t notice = *store_->CreateNotice(n, Ev(id, "notice.drafted"));
  const size_t before = store_->ListEvents(id, 100)->size();

  ASSERT_TRUE(
      store_->MoveNotice(notice, NoticeState::kSubmitted, At(kT0, "user:7"), std::nullopt).ok());
  EXPECT_EQ(store_->GetNotice(notice)->state, NoticeState::kSubmitted);
  EXPECT_EQ(store_->GetSighting(seen[0].id)->state, domain::SightingState::kNotified);
  auto events = *store_->ListEvents(id, 100);
  ASSERT_EQ(events.size(), before + 1);
  const auto notified = std::find_if(events.begin(), events.end(),
                                     [](const auto& e) { return e.action == "sighting.notified"; });
  ASSERT_NE(notified, events.end());
  EXPECT_EQ(notified->actor, "user:7");
  EXPECT_NE(notified->detail_json.find(std::to_string(seen[0].id)), std::string::npos);
  ASSERT_TRUE(store_->ConfirmSighting(seen[1].id, "user:7", std::nullopt).ok());
  EXPECT_EQ(store_->GetSighting(seen[1].id)->confirmed_by, "user:7");
  ASSERT_TRUE(
      store_->TransitionSighting(seen[1].id, domain::SightingState::kDismissed, std::nullopt).ok());
  EXPECT_EQ(store_->GetSighting(seen[1].id)->state, domain::SightingState::kDismissed);
  EXPECT_EQ(store_->TransitionSighting(seen[1].id, domain::SightingState::kDismissed, std::nullopt)
                .code(),
            StatusCode::kFailedPrecondition)
      << "the state machine holds without an event too";
  EXPECT_EQ(store_->ListEvents(id, 100)->size(), before + 1) << "sighting moves write none";
}

}  // namespace
}  // namespace takedown::store

namespace takedown::store {
namespace {

TEST_P(StoreContract, ACaseKeepsHerAuthorisationToActForHer) {
  NewCase authorised = MakeCase("TD-AUTH-0001", false, 1);
  authorised.authorised = true;
  const int64_t yes = Create(authorised);
  const int64_t no = Create(MakeCase("TD-AUTH-0002", false, 1));
  EXPECT_TRUE(store_->GetCase(yes)->authorised);
  EXPECT_FALSE(store_->GetCase(no)->authorised);
  const auto listed = *store_->ListCases({});
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].counts.hashes, 1) << "the counts still follow the case's columns";
}

// Issue 19, item 4 (migration 0007): a notice drafted before its text was sealed is found after
// the upgrade, and sealing it leaves no plain text in its row.
TEST_P(StoreContract, NoticesDraftedInPlainTextBeforeTheUpgradeAreFoundAndSealed) {
  auto url = NewUrl();
  ASSERT_TRUE(url.ok()) << url.status().message();
  {
    std::unique_ptr<Database> old;
    std::span<const Migration> migrations;
    if (GetParam() == "sqlite") {
      auto db = SqliteDatabase::Open(url->substr(std::string_view("sqlite:").size()));
      ASSERT_TRUE(db.ok()) << db.status().message();
      old = std::move(*db);
      migrations = SqliteMigrations();
    } else {
      auto db = OpenPostgres(*url);
      ASSERT_TRUE(db.ok()) << db.status().message();
      old = std::move(*db);
      migrations = PostgresMigrations();
    }
    ASSERT_EQ(*old->Migrate(migrations.first(6)), 6);
    const Status inserted = old->Transact(TxMode::kWrite, [](Tx& tx) {
      tx.Query(
          "INSERT INTO cases (code, pin_hash, status, jurisdiction, language, consent_share, "
          "contact_ciphertext, created_at) VALUES ('TD-OLDN-0001', 'x', 'open', 'EU', 'en', 0, "
          "'', 1)",
          {});
      tx.Query(
          "INSERT INTO notices (case_id, recipient_kind, recipient, channel, legal_basis, body, "
          "idempotency_key, created_at, outcome, state, subject, html) "
          "SELECT id, 'platform', 'p', 'email', 'b', 'Jane Doe asks', 'old-1', 1, '', 'draft', "
          "'For Jane Doe', '<p>Jane Doe</p>' FROM cases",
          {});
      return Status::Ok();
    });
    ASSERT_TRUE(inserted.ok()) << inserted.message();
  }
  auto upgraded = Open(*url);
  ASSERT_NE(upgraded, nullptr);
  auto plain = upgraded->NoticesWithPlainText(10);
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  ASSERT_EQ(plain->size(), 1u);
  EXPECT_EQ((*plain)[0].subject, "For Jane Doe");
  EXPECT_EQ((*plain)[0].body, "Jane Doe asks");
  EXPECT_EQ((*plain)[0].html, "<p>Jane Doe</p>");
  EXPECT_EQ((*plain)[0].sealed_text, "");

  ASSERT_TRUE(upgraded->SealNoticeText((*plain)[0].id, "sealed-once").ok());
  ASSERT_TRUE(upgraded->SealNoticeText((*plain)[0].id, "sealed-twice").ok());
  EXPECT_TRUE(upgraded->NoticesWithPlainText(10)->empty());
  auto sealed = upgraded->GetNotice((*plain)[0].id);
  ASSERT_TRUE(sealed.ok()) << sealed.status().message();
  EXPECT_EQ(sealed->sealed_text, "sealed-once") << "a notice sealed already is left alone";
  EXPECT_EQ(sealed->subject + sealed->body + sealed->html, "");
}

}  // namespace
}  // namespace takedown::store
