// The Store contract (store.h), checked on SQLite and PostgreSQL alike: cases, hashes and the
// partner feed, sightings, notes, events, accounts, migrations, reopening. The job queue's part is
// in store_contract_jobs_test.cc, erasure in store_contract_erase_test.cc.
#include "store/store_contract_test.h"

#include <algorithm>
#include <pqxx/pqxx>
#include <thread>

namespace takedown::store {
namespace {

using domain::SightingState;

TEST_P(StoreContract, MigratesAndNamesItsBackend) {
  EXPECT_EQ(store_->SchemaVersion(), kSchemaVersion);
  EXPECT_EQ(store_->Backend(), GetParam());
  auto bad = Store::Open("mysql://localhost/takedown");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreContract, ConcurrentOpensOfAFreshDatabaseAllMigrate) {
  auto url = NewUrl();
  ASSERT_TRUE(url.ok()) << url.status().message();
  std::vector<std::unique_ptr<Store>> stores(4);
  std::vector<std::thread> threads;
  for (auto& s : stores) {
    threads.emplace_back([&s, &url] { s = Open(*url); });
  }
  for (auto& t : threads) t.join();
  for (auto& s : stores) {
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->SchemaVersion(), stores[0]->SchemaVersion());
  }
  EXPECT_EQ(stores[0]->SchemaVersion(), kSchemaVersion);
  EXPECT_TRUE(stores[3]->CreateCase(MakeCase("TD-CONC-0001", false, 1)).ok());
}

TEST_P(StoreContract, CreatesAndFindsACaseWithItsHashesSightingsAndCounts) {
  const int64_t id =
      Create(MakeCase("TD-AAAA-0001", true, 2, {"https://a.example/1", "https://a.example/2"}));
  auto c = store_->FindCaseByCode("TD-AAAA-0001");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->id, id);
  EXPECT_EQ(c->pin_hash, "$argon2id$pin");
  EXPECT_EQ(c->status, domain::CaseStatus::kOpen);
  EXPECT_EQ(c->jurisdiction, "EU");
  EXPECT_EQ(c->language, "en");
  EXPECT_TRUE(c->consent_share);
  EXPECT_EQ(c->contact_ciphertext, "sealed-contact");
  EXPECT_FALSE(c->assigned_user.has_value());
  EXPECT_EQ(c->created_at, kT0);
  EXPECT_FALSE(c->closed_at.has_value());
  EXPECT_EQ(store_->GetCase(id)->code, "TD-AAAA-0001");

  auto hashes = store_->ListHashes(id);
  ASSERT_TRUE(hashes.ok());
  ASSERT_EQ(hashes->size(), 2u);
  EXPECT_EQ((*hashes)[0].case_id, id);
  EXPECT_EQ((*hashes)[0].quality, 90);
  EXPECT_EQ((*hashes)[0].md5, std::string(32, 'b'));
  EXPECT_EQ((*hashes)[0].origin, domain::HashOrigin::kSurvivor);
  auto sightings = store_->ListSightings(id);
  ASSERT_TRUE(sightings.ok());
  ASSERT_EQ(sightings->size(), 2u);
  EXPECT_EQ((*sightings)[1].url, "https://a.example/2");
  EXPECT_EQ((*sightings)[1].state, SightingState::kFound);

  auto counts = store_->CountCase(id);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->hashes, 2);
  EXPECT_EQ(counts->urls_found, 2);
  EXPECT_EQ(counts->open_sightings, 2);
  EXPECT_EQ(counts->notified, 0);
  auto events = store_->ListEvents(id, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].action, "case.created");

  EXPECT_EQ(store_->GetCase(id + 100).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->FindCaseByCode("TD-NONE-0000").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->CountCase(id + 100).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreContract, ADuplicateCodeIsRefusedAndStoresNothing) {
  Create(MakeCase("TD-DUPE-0001", true, 1));
  auto again = store_->CreateCase(MakeCase("TD-DUPE-0001", true, 3, {"https://x.example/"}));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "a case with that code already exists");
  EXPECT_EQ(store_->SharedHashes(0, 100)->size(), 1u);
  EXPECT_EQ(store_->HashChanges(0, 100)->size(), 1u);
}

TEST_P(StoreContract, ListsCasesByStatusAssigneeAndCodePrefixNewestFirst) {
  auto user =
      store_->CreateUser({0, "maria", "$argon2id$pw", domain::Role::kCaseworker, false, kT0});
  ASSERT_TRUE(user.ok());
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(Create(MakeCase("TD-LIST-000" + std::to_string(i), false, 1, {}, kT0 + i)));
  }
  Create(MakeCase("TD-OTHR-0001", false, 0, {}, kT0 + 10));
  ASSERT_TRUE(store_->AssignCase(ids[1], *user, Ev(std::nullopt, "case.assigned")).ok());
  ASSERT_TRUE(
      store_
          ->SetCaseStatus(ids[2], domain::CaseStatus::kClosed, kT0 + 50, Ev(ids[2], "case.status"))
          .ok());

  auto all = store_->ListCases({});
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 6u);
  EXPECT_EQ((*all)[0].c.code, "TD-OTHR-0001");
  EXPECT_EQ((*all)[1].c.id, ids[4]);
  EXPECT_EQ((*all)[1].counts.hashes, 1);

  CaseFilter prefix;
  prefix.search = "td-list";
  EXPECT_EQ(store_->ListCases(prefix)->size(), 5u);
  prefix.limit = 2;
  prefix.offset = 1;
  auto page = store_->ListCases(prefix);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].c.id, ids[3]);
  EXPECT_EQ((*page)[1].c.id, ids[2]);

  CaseFilter closed;
  closed.status = domain::CaseStatus::kClosed;
  auto closed_cases = store_->ListCases(closed);
  ASSERT_EQ(closed_cases->size(), 1u);
  EXPECT_EQ((*closed_cases)[0].c.closed_at, kT0 + 50);
  CaseFilter mine;
  mine.assigned_user = *user;
  auto assigned = store_->ListCases(mine);
  ASSERT_EQ(assigned->size(), 1u);
  EXPECT_EQ((*assigned)[0].c.assigned_user, *user);
  CaseFilter unassigned;
  unassigned.unassigned_only = true;
  unassigned.status = domain::CaseStatus::kOpen;
  EXPECT_EQ(store_->ListCases(unassigned)->size(), 4u);

  // The assignment's event names the case even though the caller left it out.
  EXPECT_EQ((*store_->ListEvents(ids[1], 10))[0].action, "case.assigned");
  EXPECT_EQ(store_->AssignCase(ids[1], *user + 100, Ev(ids[1], "case.assigned")).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->AssignCase(ids[0] + 100, std::nullopt, Ev(std::nullopt, "x")).code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(store_->AssignCase(ids[1], std::nullopt, Ev(ids[1], "case.assigned")).ok());
  EXPECT_FALSE(store_->GetCase(ids[1])->assigned_user.has_value());
}

TEST_P(StoreContract, AddSightingsDeduplicatesWithinACaseOnly) {
  const int64_t a = Create(MakeCase("TD-SIGH-0001", false, 0, {"https://s.example/1"}));
  const int64_t b = Create(MakeCase("TD-SIGH-0002", false, 0));
  const int64_t first = (*store_->ListSightings(a))[0].id;
  auto added = store_->AddSightings(
      a, {Seen("https://s.example/2"), Seen("https://s.example/1"), Seen("https://s.example/2")},
      "user:1", kT0 + 5);
  ASSERT_TRUE(added.ok()) << added.status().message();
  ASSERT_EQ(added->size(), 3u);
  EXPECT_FALSE((*added)[0].duplicate);
  EXPECT_TRUE((*added)[1].duplicate);
  EXPECT_EQ((*added)[1].sighting_id, first);
  EXPECT_TRUE((*added)[2].duplicate);
  EXPECT_EQ((*added)[2].sighting_id, (*added)[0].sighting_id);
  EXPECT_EQ(store_->ListSightings(a)->size(), 2u);

  auto other = store_->AddSightings(b, {Seen("https://s.example/1")}, "user:1", kT0);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE((*other)[0].duplicate);

  auto events = store_->ListEvents(a, 10);
  ASSERT_EQ(events->size(), 2u);  // case.created + one sighting.added
  EXPECT_EQ((*events)[0].action, "sighting.added");
  EXPECT_EQ((*events)[0].actor, "user:1");
  EXPECT_EQ((*events)[0].at, kT0 + 5);
  EXPECT_EQ(
      store_->AddSightings(b + 100, {Seen("https://s.example/9")}, "user:1", kT0).status().code(),
      StatusCode::kNotFound);
}

TEST_P(StoreContract, SightingsMoveOnlyAlongTheStateMachine) {
  const int64_t id =
      Create(MakeCase("TD-STAT-0001", false, 0, {"https://t.example/1", "https://t.example/2"}));
  const auto sightings = *store_->ListSightings(id);
  const int64_t s1 = sightings[0].id, s2 = sightings[1].id;
  auto move = [&](int64_t s, SightingState to) {
    return store_->TransitionSighting(s, to, Ev(std::nullopt, "sighting.state"));
  };
  ASSERT_TRUE(move(s1, SightingState::kNotified).ok());
  ASSERT_TRUE(move(s1, SightingState::kOverdue).ok());
  ASSERT_TRUE(move(s1, SightingState::kRemoved).ok());
  const Status refused = move(s2, SightingState::kEscalated);
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.message(), "a sighting cannot go from found to escalated");
  ASSERT_TRUE(move(s2, SightingState::kDismissed).ok());
  EXPECT_EQ(move(s2, SightingState::kNotified).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(move(s2 + 100, SightingState::kNotified).code(), StatusCode::kNotFound);

  EXPECT_EQ((*store_->ListSightings(id))[0].state, SightingState::kRemoved);
  auto counts = *store_->CountCase(id);
  EXPECT_EQ(counts.urls_found, 1);
  EXPECT_EQ(counts.notified, 1);  // still counted after removal
  EXPECT_EQ(counts.removed, 1);
  EXPECT_EQ(counts.open_sightings, 0);
  auto events = *store_->ListEvents(id, 10);
  EXPECT_EQ(std::count_if(events.begin(), events.end(),
                          [](const domain::Event& e) { return e.action == "sighting.state"; }),
            4);
}

TEST_P(StoreContract, HashChangesPageByCursorAndSharedHashesOnlyConsenting) {
  const int64_t shared = Create(MakeCase("TD-FEED-0001", true, 3));
  Create(MakeCase("TD-FEED-0002", false, 2));
  const int64_t later = Create(MakeCase("TD-FEED-0003", true, 2));

  std::vector<HashChange> all;
  int64_t cursor = 0;
  for (;;) {
    auto page = store_->HashChanges(cursor, 2);
    ASSERT_TRUE(page.ok()) << page.status().message();
    if (page->empty()) break;
    EXPECT_LE(page->size(), 2u);
    for (const HashChange& h : *page) {
      EXPECT_GT(h.cursor, cursor);
      cursor = h.cursor;
      all.push_back(h);
    }
  }
  ASSERT_EQ(all.size(), 5u);
  const auto first = *store_->ListHashes(shared);
  EXPECT_EQ(all[0].hash_id, first[0].id);
  EXPECT_EQ(all[0].pdq, first[0].pdq);
  EXPECT_EQ(all[0].quality, 90);
  EXPECT_EQ(all[0].kind, domain::MediaKind::kImage);
  EXPECT_FALSE(all[0].deleted);
  EXPECT_EQ(all[4].hash_id, (*store_->ListHashes(later))[1].id);
  EXPECT_TRUE(store_->HashChanges(cursor, 10)->empty());

  auto hashes = store_->SharedHashes(0, 10);
  ASSERT_EQ(hashes->size(), 5u);
  for (const auto& h : *hashes) EXPECT_TRUE(h.case_id == shared || h.case_id == later);
  auto after = store_->SharedHashes((*hashes)[2].id, 1);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].id, (*hashes)[3].id);
}

TEST_P(StoreContract, NotesAndEventsAreKeptInOrder) {
  const int64_t id = Create(MakeCase("TD-NOTE-0001", false, 0));
  auto n1 = store_->AddNote({0, id, 7, "sealed-1", kT0 + 1}, std::nullopt);
  auto n2 = store_->AddNote({0, id, 8, "sealed-2", kT0 + 2}, std::nullopt);
  ASSERT_TRUE(n1.ok() && n2.ok());
  auto notes = *store_->ListNotes(id);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[1].ciphertext, "sealed-2");
  EXPECT_EQ(notes[1].author_user, 8);
  EXPECT_EQ(store_->AddNote({0, id + 100, 7, "x", kT0}, std::nullopt).status().code(),
            StatusCode::kNotFound);

  ASSERT_TRUE(store_->AppendEvent({0, std::nullopt, "system", "server.started", "", kT0}).ok());
  auto global = *store_->ListEvents(std::nullopt, 2);
  ASSERT_EQ(global.size(), 2u);
  EXPECT_EQ(global[0].action, "server.started");
  EXPECT_FALSE(global[0].case_id.has_value());
  EXPECT_EQ(global[0].detail_json, "{}");
  EXPECT_EQ(global[1].action, "case.created");
}

TEST_P(StoreContract, UsersAreUniqueAndSessionsExpire) {
  auto id = store_->CreateUser({0, "amal", "$argon2id$a", domain::Role::kAdmin, false, kT0});
  ASSERT_TRUE(id.ok()) << id.status().message();
  auto dupe = store_->CreateUser({0, "amal", "$argon2id$b", domain::Role::kReviewer, false, kT0});
  EXPECT_EQ(dupe.status().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(
      store_->CreateUser({0, "ben", "$argon2id$c", domain::Role::kReviewer, false, kT0}).ok());
  EXPECT_EQ(*store_->CountUsers(), 2);
  EXPECT_EQ(store_->FindUser("amal")->role, domain::Role::kAdmin);
  EXPECT_EQ(store_->GetUser(*id)->username, "amal");
  EXPECT_EQ(store_->FindUser("nobody").status().code(), StatusCode::kNotFound);
  const domain::Event disabled{0, std::nullopt, "user:9", "user.disabled", "{}", kT0};
  ASSERT_TRUE(store_->SetUserDisabled(*id, true, disabled).ok());
  EXPECT_TRUE(store_->GetUser(*id)->disabled);
  EXPECT_EQ((*store_->ListEvents(std::nullopt, 1))[0].action, "user.disabled");
  ASSERT_TRUE(
      store_->SetUserDisabled(*id, false, {0, std::nullopt, "user:9", "user.enabled", "{}", kT0})
          .ok());
  EXPECT_FALSE(store_->GetUser(*id)->disabled);
  EXPECT_EQ(store_->SetUserDisabled(*id + 100, true, disabled).code(), StatusCode::kNotFound);
  // The refused change wrote nothing.
  EXPECT_EQ((*store_->ListEvents(std::nullopt, 1))[0].action, "user.enabled");
  EXPECT_EQ((*store_->ListUsers())[1].username, "ben");

  ASSERT_TRUE(store_->CreateSession({"tokenhash", *id, "csrf", kT0 + 1000}).ok());
  auto live = store_->FindSession("tokenhash", kT0 + 999);
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->user_id, *id);
  EXPECT_EQ(live->csrf_token, "csrf");
  EXPECT_EQ(store_->FindSession("tokenhash", kT0 + 1000).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->DeleteSession("tokenhash").ok());
  EXPECT_EQ(store_->FindSession("tokenhash", kT0).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->DeleteSession("tokenhash").ok());
}

TEST_P(StoreContract, PartnersAreFoundByKeyHash) {
  auto id = store_->CreatePartner(
      {0, "Platform A", "hash-a", {"hashes:read", "match", "feedback"}, false, kT0});
  ASSERT_TRUE(id.ok()) << id.status().message();
  ASSERT_TRUE(store_->CreatePartner({0, "Platform B", "hash-b", {}, true, kT0}).ok());
  EXPECT_EQ(store_->CreatePartner({0, "Again", "hash-a", {}, false, kT0}).status().code(),
            StatusCode::kAlreadyExists);
  auto p = store_->FindPartnerByKeyHash("hash-a");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->id, *id);
  EXPECT_EQ(p->name, "Platform A");
  EXPECT_EQ(p->scopes, (std::vector<std::string>{"hashes:read", "match", "feedback"}));
  EXPECT_FALSE(p->revoked);
  EXPECT_TRUE(store_->FindPartnerByKeyHash("hash-b")->revoked);
  EXPECT_EQ(store_->FindPartnerByKeyHash("hash-c").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->ListPartners()->size(), 2u);
  const domain::Event revoked{0, std::nullopt, "user:1", "partner.revoked", "{}", kT0};
  ASSERT_TRUE(store_->RevokePartner(*id, revoked).ok());
  EXPECT_TRUE(store_->FindPartnerByKeyHash("hash-a")->revoked);
  EXPECT_TRUE(store_->ListPartners()->front().revoked);
  EXPECT_TRUE(store_->RevokePartner(*id, revoked).ok()) << "revoking twice is no error";
  EXPECT_EQ(store_->RevokePartner(*id + 100, revoked).code(), StatusCode::kNotFound);
  EXPECT_EQ((*store_->ListEvents(std::nullopt, 5)).size(), 2u);
  EXPECT_EQ(store_->AddFeedback({*id, 12345, "not_found", "", kT0}).code(), StatusCode::kNotFound)
      << "no shared hash has that id (FeedbackIsOnlyAboutHashesPartnersCanSee)";
  EXPECT_EQ(store_->AddFeedback({*id + 100, 1, "removed", "", kT0}).code(), StatusCode::kNotFound);
}

// Issue 8 (migration 0005): a note can be a message to the survivor, written with its audit event
// in one transaction; plain notes stay staff-only.
TEST_P(StoreContract, AMessageToTheSurvivorIsANoteMarkedForHerAndAudited) {
  const int64_t id = Create(MakeCase("TD-MSG-0001", false, 0));
  ASSERT_TRUE(store_->AddNote({0, id, 7, "sealed-staff", kT0 + 1}, std::nullopt).ok());
  auto m = store_->AddNote({0, id, 7, "sealed-message", kT0 + 2, true},
                           Ev(id, "case.message", "{}", kT0 + 2));
  ASSERT_TRUE(m.ok()) << m.status().message();
  auto notes = *store_->ListNotes(id);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_FALSE(notes[0].to_survivor);
  EXPECT_TRUE(notes[1].to_survivor);
  EXPECT_EQ(notes[1].id, *m);
  EXPECT_EQ(notes[1].ciphertext, "sealed-message");
  EXPECT_EQ(notes[1].at, kT0 + 2);
  auto events = *store_->ListEvents(id, 10);
  EXPECT_EQ(std::count_if(events.begin(), events.end(),
                          [](const domain::Event& e) { return e.action == "case.message"; }),
            1);
  // No case, no note and no event.
  EXPECT_EQ(store_->AddNote({0, id + 100, 7, "x", kT0, true}, Ev(id + 100, "case.message", "{}"))
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(store_->ListEvents(id + 100, 10)->empty());
}

TEST_P(StoreContract, FeedbackIsOnlyAboutHashesPartnersCanSee) {
  const int64_t shared = Create(MakeCase("TD-FDBK-0001", true, 1));
  const int64_t kept = Create(MakeCase("TD-FDBK-0002", false, 1));
  auto partner = store_->CreatePartner({0, "Platform", "keyhash", {"feedback"}, false, kT0});
  ASSERT_TRUE(partner.ok());
  const int64_t shared_hash = (*store_->ListHashes(shared))[0].id;
  const int64_t kept_hash = (*store_->ListHashes(kept))[0].id;
  EXPECT_TRUE(store_->AddFeedback({*partner, shared_hash, "removed", "", kT0}).ok());
  EXPECT_EQ(store_->AddFeedback({*partner, kept_hash, "removed", "", kT0}).code(),
            StatusCode::kNotFound)
      << "a hash of a case that did not consent to sharing";
  EXPECT_EQ(store_->AddFeedback({*partner, kept_hash + 1000, "removed", "", kT0}).code(),
            StatusCode::kNotFound);
}

TEST_P(StoreContract, DisablingAnAccountEndsItsSessionsForGood) {
  auto id = store_->CreateUser({0, "dana", "$argon2id$d", domain::Role::kCaseworker, false, kT0});
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(store_->CreateSession({"dana-session", *id, "csrf", kT0 + kMillisPerDay}).ok());
  const domain::Event event{0, std::nullopt, "user:1", "user.disabled", "{}", kT0};
  ASSERT_TRUE(store_->SetUserDisabled(*id, true, event).ok());
  ASSERT_TRUE(store_->SetUserDisabled(*id, false, event).ok());
  EXPECT_EQ(store_->FindSession("dana-session", kT0).status().code(), StatusCode::kNotFound)
      << "enabling the account again does not bring its old session back";
}

TEST_P(StoreContract, AClaimedSettingKeepsTheFirstClaimantsValue) {
  EXPECT_EQ(*store_->ClaimSetting("sealing_key_fingerprint", "first"), "first");
  EXPECT_EQ(*store_->ClaimSetting("sealing_key_fingerprint", "second"), "first");
  auto other = Open(url_);
  EXPECT_EQ(*other->ClaimSetting("sealing_key_fingerprint", "third"), "first");
  EXPECT_EQ(store_->GetSettings()->at("sealing_key_fingerprint"), "first");
}

TEST_P(StoreContract, AReopenedStoreFindsWhatWasAcknowledged) {
  const int64_t id = Create(MakeCase("TD-KEEP-0001", true, 1, {"https://k.example/"}));
  store_.reset();
  store_ = Open(url_);
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(store_->SchemaVersion(), kSchemaVersion);
  auto c = store_->FindCaseByCode("TD-KEEP-0001");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->id, id);
  EXPECT_EQ(store_->CountCase(id)->urls_found, 1);
}

TEST_P(StoreContract, APooledConnectionThatDiedIsReplacedWithoutAFailedRequest) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "PostgreSQL's connection pool only";
  const int64_t id = Create(MakeCase("TD-POOL-0001", false, 0));
  // As a server restart would, end every connection the store holds.
  pqxx::connection admin(url_);
  pqxx::nontransaction(admin).exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  auto c = store_->GetCase(id);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->code, "TD-POOL-0001");
}

INSTANTIATE_TEST_SUITE_P(store, StoreContract, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& backend) { return backend.param; });

}  // namespace
}  // namespace takedown::store
