// The Store contract for watching, on SQLite and PostgreSQL alike: a case's watching pauses and
// resumes; reposts keep their origin and wait for review until confirmed; watched sources are
// per case or the organisation's, unique per owner, pausable, record their crawls and go with an
// erased case; the organisation's sources see only open, unpaused cases' hashes; a case's jobs
// are counted for its crawl progress and go with it.
#include "store/store_contract_test.h"

namespace takedown::store {
namespace {

using domain::JobState;
using domain::SourceKind;
using domain::WatchedSource;

WatchedSource Source(std::optional<int64_t> case_id, const std::string& url,
                     SourceKind kind = SourceKind::kPage) {
  WatchedSource s;
  s.case_id = case_id;
  s.url = url;
  s.kind = kind;
  s.max_depth = 2;
  s.max_pages = 40;
  s.every = 6 * kMillisPerHour;
  s.created_by = "user:1";
  s.created_at = kT0;
  return s;
}

TEST_P(StoreContract, WatchingACasePausesAndResumes) {
  const int64_t id = Create(MakeCase("TD-WATC-0001", false, 1));
  EXPECT_FALSE(store_->GetCase(id)->watch_paused);
  ASSERT_TRUE(store_->SetCaseWatchPaused(id, true, Ev(id, "case.watch_paused")).ok());
  EXPECT_TRUE(store_->GetCase(id)->watch_paused);
  EXPECT_TRUE((*store_->ListCases({}))[0].c.watch_paused);
  ASSERT_TRUE(store_->SetCaseWatchPaused(id, false, Ev(id, "case.watch_resumed")).ok());
  EXPECT_FALSE(store_->GetCase(id)->watch_paused);
  EXPECT_EQ(store_->SetCaseWatchPaused(id + 99, true, Ev(id, "x")).code(), StatusCode::kNotFound);
  EXPECT_EQ((*store_->ListEvents(id, 10))[0].action, "case.watch_resumed");
}

TEST_P(StoreContract, RepostsKeepTheirOriginAndWaitForReview) {
  const int64_t id = Create(MakeCase("TD-WATC-0002", false, 1, {"https://a.example/reported"}));
  domain::Sighting repost = Seen("https://forum.example/t/9");
  repost.origin = domain::SightingOrigin::kWatch;
  repost.needs_review = true;
  auto added = store_->AddSightings(id, {repost}, "discovery", kT0);
  ASSERT_TRUE(added.ok()) << added.status().message();
  const auto all = *store_->ListSightings(id);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].origin, domain::SightingOrigin::kSurvivor);
  EXPECT_FALSE(all[0].needs_review);
  EXPECT_EQ(all[1].origin, domain::SightingOrigin::kWatch);
  EXPECT_TRUE(all[1].needs_review);

  ASSERT_TRUE(store_->ConfirmSighting(all[1].id, "user:1", Ev(id, "sighting.confirmed")).ok());
  EXPECT_FALSE(store_->GetSighting(all[1].id)->needs_review);
  EXPECT_EQ(store_->GetSighting(all[1].id)->origin, domain::SightingOrigin::kWatch);
  EXPECT_EQ(store_->ConfirmSighting(all[1].id + 99, "user:1", Ev(id, "x")).code(),
            StatusCode::kNotFound);
}

// Issue 21: the person's age, the AI flag and her contact for notices are kept with the case; a
// caseworker's confirmation of a link records who confirmed it.
TEST_P(StoreContract, AgeAiFlagAndHerNoticeContactAreKeptAndAConfirmationNamesItsActor) {
  NewCase c = MakeCase("TD-LAWS-0001", false, 1, {"https://a.example/pasted"});
  c.age = domain::AgeGroup::kMinorWhenMade;
  c.ai_made = true;
  c.notice_contact_ciphertext = "sealed-notice-contact";
  const int64_t id = Create(c);
  auto stored = store_->GetCase(id);
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(stored->age, domain::AgeGroup::kMinorWhenMade);
  EXPECT_TRUE(stored->ai_made);
  EXPECT_EQ(stored->notice_contact_ciphertext, "sealed-notice-contact");
  EXPECT_EQ(stored->contact_ciphertext, "sealed-contact") << "her contact for the organisation";
  EXPECT_EQ((*store_->ListCases({}))[0].c.age, domain::AgeGroup::kMinorWhenMade);

  ASSERT_TRUE(
      store_->SetCaseAgeAndAi(id, domain::AgeGroup::kMinorNow, false, Ev(id, "case.age_ai")).ok());
  EXPECT_EQ(store_->GetCase(id)->age, domain::AgeGroup::kMinorNow);
  EXPECT_FALSE(store_->GetCase(id)->ai_made);
  EXPECT_EQ((*store_->ListEvents(id, 10))[0].action, "case.age_ai");
  EXPECT_EQ(store_->SetCaseAgeAndAi(id + 99, domain::AgeGroup::kAdult, false, Ev(id, "x")).code(),
            StatusCode::kNotFound);

  const domain::Sighting pasted = (*store_->ListSightings(id))[0];
  EXPECT_EQ(pasted.confirmed_by, "") << "nobody has checked it yet";
  ASSERT_TRUE(store_->ConfirmSighting(pasted.id, "user:1", Ev(id, "sighting.confirmed")).ok());
  EXPECT_EQ(store_->GetSighting(pasted.id)->confirmed_by, "user:1");
}

TEST_P(StoreContract, WatchedSourcesBelongToACaseOrTheOrganisation) {
  const int64_t id = Create(MakeCase("TD-WATC-0003", false, 1));
  auto mine =
      store_->CreateWatchedSource(Source(id, "https://forum.example/new"), Ev(id, "source.added"));
  ASSERT_TRUE(mine.ok()) << mine.status().message();
  auto org = store_->CreateWatchedSource(
      Source(std::nullopt, "https://forum.example/new", SourceKind::kFeed), Ev({}, "source.added"));
  ASSERT_TRUE(org.ok()) << "the organisation may watch a URL a case watches";
  EXPECT_EQ(store_->CreateWatchedSource(Source(id, "https://forum.example/new"), Ev(id, "x"))
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(
      store_->CreateWatchedSource(Source(std::nullopt, "https://forum.example/new"), Ev({}, "x"))
          .status()
          .code(),
      StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateWatchedSource(Source(id + 99, "https://x.example/"), Ev({}, "x"))
                .status()
                .code(),
            StatusCode::kNotFound);

  const auto got = store_->GetWatchedSource(*mine);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->case_id, id);
  EXPECT_EQ(got->kind, SourceKind::kPage);
  EXPECT_EQ(got->max_depth, 2);
  EXPECT_EQ(got->max_pages, 40);
  EXPECT_EQ(got->every, 6 * kMillisPerHour);
  EXPECT_FALSE(got->last_crawled.has_value());
  EXPECT_EQ(store_->ListWatchedSources(id)->size(), 1u);
  const auto org_sources = *store_->ListWatchedSources(std::nullopt);
  ASSERT_EQ(org_sources.size(), 1u);
  EXPECT_EQ(org_sources[0].kind, SourceKind::kFeed);
  EXPECT_FALSE(org_sources[0].case_id.has_value());

  ASSERT_TRUE(store_->SetWatchedSourcePaused(*mine, true, Ev(id, "source.paused")).ok());
  EXPECT_TRUE(store_->GetWatchedSource(*mine)->paused);
  ASSERT_TRUE(store_->RecordCrawl(*mine, kT0 + 5, R"({"pages":3})", "\"v1\"", "Tue").ok());
  const auto crawled = *store_->GetWatchedSource(*mine);
  EXPECT_EQ(crawled.last_crawled, kT0 + 5);
  EXPECT_EQ(crawled.last_outcome_json, R"({"pages":3})");
  EXPECT_EQ(crawled.etag, "\"v1\"");
  EXPECT_EQ(crawled.last_modified, "Tue");

  ASSERT_TRUE(store_->DeleteWatchedSource(*org, Ev({}, "source.deleted")).ok());
  EXPECT_EQ(store_->GetWatchedSource(*org).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteWatchedSource(*org, Ev({}, "x")).code(), StatusCode::kNotFound);

  ASSERT_TRUE(store_->EraseCase(id, Ev(id, "case.erased")).ok());
  EXPECT_EQ(store_->GetWatchedSource(*mine).status().code(), StatusCode::kNotFound)
      << "a case's watched URLs go with it";
}

TEST_P(StoreContract, TheOrganisationsSourcesSeeOnlyOpenUnpausedCases) {
  const int64_t open = Create(MakeCase("TD-WATC-0004", false, 2));
  const int64_t paused = Create(MakeCase("TD-WATC-0005", false, 1));
  const int64_t closed = Create(MakeCase("TD-WATC-0006", false, 1));
  ASSERT_TRUE(store_->SetCaseWatchPaused(paused, true, Ev(paused, "case.watch_paused")).ok());
  ASSERT_TRUE(
      store_->SetCaseStatus(closed, domain::CaseStatus::kClosed, kT0, Ev(closed, "case.closed"))
          .ok());
  const auto hashes = *store_->WatchedHashes(0, 100);
  ASSERT_EQ(hashes.size(), 2u);
  for (const auto& h : hashes) EXPECT_EQ(h.case_id, open);
  const auto after = *store_->WatchedHashes(hashes[0].id, 100);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].id, hashes[1].id);
}

TEST_P(StoreContract, AnImagesRegionSignalsAreKeptBesideItsPdqForDiscoveryAndThePartnerBank) {
  NewCase c = MakeCase("TD-WATC-0009", true, 2);
  // Two regions (matching::RegionsText): whole and centre98, quality 90.
  const std::string regions = "005a" + std::string(64, 'a') + "015a" + std::string(64, '0');
  c.hashes[0].regions = regions;
  const int64_t id = Create(c);
  const auto listed = *store_->ListHashes(id);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].regions, regions);
  EXPECT_EQ(listed[1].regions, "") << "an image sent without them";
  const auto watched = *store_->WatchedHashes(0, 100);
  ASSERT_EQ(watched.size(), 2u);
  EXPECT_EQ(watched[0].regions, regions);
  const auto shared = *store_->SharedHashes(0, 100);
  ASSERT_EQ(shared.size(), 2u);
  EXPECT_EQ(shared[0].regions, regions);
}

TEST_P(StoreContract, ACasesJobsAreCountedForItsProgressAndGoWithIt) {
  const int64_t id = Create(MakeCase("TD-WATC-0007", false, 1));
  const int64_t other = Create(MakeCase("TD-WATC-0008", false, 1));
  auto job = [](std::optional<int64_t> case_id, UnixMillis run_at, const std::string& key) {
    domain::Job j;
    j.kind = "sighting.check";
    j.run_at = run_at;
    j.case_id = case_id;
    j.idempotency_key = key;
    j.max_attempts = 1;
    return j;
  };
  ASSERT_TRUE(store_->EnqueueJob(job(id, kT0, "a")).ok());
  ASSERT_TRUE(store_->EnqueueJob(job(id, kT0 + 10, "b")).ok());
  ASSERT_TRUE(store_->EnqueueJob(job(id, kT0 + 20, "c")).ok());
  ASSERT_TRUE(store_->EnqueueJob(job(other, kT0 + 25, "d")).ok());
  EXPECT_EQ(store_->GetJob(*store_->EnqueueJob(job(id, kT0, "a")))->case_id, id);

  // The worker takes the earliest ("a") and finishes it, then fails the next ("b") for good.
  auto first = *store_->ClaimJob({}, "w", kT0 + 30, 1000);
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(store_->CompleteJob(first->id, "w").ok());
  auto second = *store_->ClaimJob({}, "w", kT0 + 30, 1000);
  ASSERT_TRUE(second.has_value());
  ASSERT_TRUE(store_->FailJob(second->id, "w", "HTTP 503 from forum.example", kT0 + 31).ok());

  const auto p = *store_->CaseJobProgress(id);
  EXPECT_EQ(p.done, 1);
  EXPECT_EQ(p.failed, 1);
  EXPECT_EQ(p.queued, 1);
  EXPECT_EQ(p.running, 0);
  EXPECT_EQ(p.next_run, kT0 + 20);
  ASSERT_EQ(p.failures.size(), 1u);
  EXPECT_EQ(p.failures[0].last_error, "HTTP 503 from forum.example");
  EXPECT_EQ(p.failures[0].kind, "sighting.check");

  ASSERT_TRUE(store_->EraseCase(id, Ev(id, "case.erased")).ok());
  const auto gone = *store_->CaseJobProgress(id);
  EXPECT_EQ(gone.queued + gone.done + gone.failed + gone.running, 0) << "jobs go with the case";
  EXPECT_EQ(store_->CaseJobProgress(other)->queued, 1);
}

}  // namespace
}  // namespace takedown::store
