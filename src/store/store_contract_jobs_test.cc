// The Store contract's job queue, on SQLite and PostgreSQL alike: idempotent enqueue, claim order,
// leases that expire, retries with backoff, many workers on separate connections claiming each
// job exactly once, and a sighting's first check queued with the sighting.
#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "domain/sighting_jobs.h"
#include "store/store_contract_test.h"

namespace takedown::store {
namespace {

using domain::Job;
using domain::JobState;

constexpr UnixMillis kLease = 60'000;

Job MakeJob(const std::string& kind, UnixMillis run_at, const std::string& key = "",
            int max_attempts = 8) {
  Job j;
  j.kind = kind;
  j.payload_json = "{\"n\":1}";
  j.run_at = run_at;
  j.idempotency_key = key;
  j.max_attempts = max_attempts;
  return j;
}

TEST_P(StoreContract, EnqueueWithTheSameKeyReturnsTheSameJob) {
  auto a = store_->EnqueueJob(MakeJob("fetch", kT0, "fetch:sighting:1"));
  ASSERT_TRUE(a.ok()) << a.status().message();
  auto b = store_->EnqueueJob(MakeJob("fetch", kT0 + 99, "fetch:sighting:1"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(store_->GetJob(*a)->run_at, kT0);
  // Jobs without a key never collide.
  auto c = store_->EnqueueJob(MakeJob("fetch", kT0));
  auto d = store_->EnqueueJob(MakeJob("fetch", kT0));
  ASSERT_TRUE(c.ok() && d.ok());
  EXPECT_NE(*c, *d);
  auto job = store_->GetJob(*c);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->state, JobState::kQueued);
  EXPECT_EQ(job->attempts, 0);
  EXPECT_EQ(job->payload_json, "{\"n\":1}");
  EXPECT_EQ(job->idempotency_key, "");
  EXPECT_EQ(store_->GetJob(*d + 100).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreContract, ClaimsTheEarliestDueJobOfTheWantedKinds) {
  const int64_t late = *store_->EnqueueJob(MakeJob("fetch", kT0 + 20));
  const int64_t early = *store_->EnqueueJob(MakeJob("fetch", kT0 + 10));
  const int64_t send = *store_->EnqueueJob(MakeJob("send", kT0));
  EXPECT_FALSE(store_->ClaimJob({}, "w1", kT0 - 1, kLease)->has_value());

  auto fetch = store_->ClaimJob({"fetch", "recheck"}, "w1", kT0 + 15, kLease);
  ASSERT_TRUE(fetch.ok()) << fetch.status().message();
  ASSERT_TRUE(fetch->has_value());
  EXPECT_EQ((*fetch)->id, early);
  EXPECT_EQ((*fetch)->state, JobState::kRunning);
  EXPECT_EQ((*fetch)->lease_owner, "w1");
  EXPECT_EQ((*fetch)->lease_until, kT0 + 15 + kLease);
  EXPECT_EQ((*fetch)->attempts, 1);
  // `late` is not due yet, and `send` is not a wanted kind.
  EXPECT_FALSE(store_->ClaimJob({"fetch"}, "w1", kT0 + 15, kLease)->has_value());
  EXPECT_EQ((*store_->ClaimJob({}, "w1", kT0 + 15, kLease))->id, send);
  EXPECT_EQ((*store_->ClaimJob({}, "w1", kT0 + 20, kLease))->id, late);
  EXPECT_FALSE(store_->ClaimJob({}, "w1", kT0 + 20, kLease)->has_value());
}

TEST_P(StoreContract, TheQueueStateCountsWhatIsDueOrRunningAndWhenTheNextComes) {
  auto empty = store_->QueueStateAt(kT0);
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_EQ(empty->due, 0);
  EXPECT_FALSE(empty->next_run.has_value());
  ASSERT_TRUE(store_->EnqueueJob(MakeJob("fetch", kT0)).ok());
  ASSERT_TRUE(store_->EnqueueJob(MakeJob("fetch", kT0 + 30)).ok());
  ASSERT_TRUE(store_->EnqueueJob(MakeJob("fetch", kT0 + 20)).ok());
  EXPECT_EQ(store_->QueueStateAt(kT0)->due, 1);
  EXPECT_EQ(store_->QueueStateAt(kT0)->next_run, kT0 + 20);
  auto claimed = store_->ClaimJob({}, "w1", kT0, kLease);
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ(store_->QueueStateAt(kT0)->due, 1) << "a running job is still work in hand";
  ASSERT_TRUE(store_->CompleteJob((*claimed)->id, "w1").ok());
  EXPECT_EQ(store_->QueueStateAt(kT0)->due, 0);
  EXPECT_EQ(store_->QueueStateAt(kT0 + 25)->due, 1);
  EXPECT_EQ(store_->QueueStateAt(kT0 + 25)->next_run, kT0 + 30);
}

TEST_P(StoreContract, AnExpiredLeaseIsClaimedAgainAndTheOldWorkerCannotFinish) {
  const int64_t id = *store_->EnqueueJob(MakeJob("recheck", kT0));
  ASSERT_EQ((*store_->ClaimJob({}, "crashed", kT0, kLease))->id, id);
  EXPECT_FALSE(store_->ClaimJob({}, "w2", kT0 + kLease - 1, kLease)->has_value());
  auto again = store_->ClaimJob({}, "w2", kT0 + kLease + 1, kLease);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->id, id);
  EXPECT_EQ((*again)->lease_owner, "w2");
  EXPECT_EQ((*again)->attempts, 2);

  const Status lost = store_->CompleteJob(id, "crashed");
  EXPECT_EQ(lost.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->FailJob(id, "crashed", "late", kT0).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->CompleteJob(id, "w2").ok());
  EXPECT_EQ(store_->GetJob(id)->state, JobState::kDone);
  EXPECT_EQ(store_->CompleteJob(id, "w2").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->CompleteJob(id + 100, "w2").code(), StatusCode::kNotFound);
  EXPECT_FALSE(store_->ClaimJob({}, "w3", kT0 + 10 * kLease, kLease)->has_value());
}

TEST_P(StoreContract, AFailedJobRetriesAfterTheDelayThenFailsForGood) {
  const int64_t id = *store_->EnqueueJob(MakeJob("send", kT0, "", 2));
  ASSERT_TRUE(store_->ClaimJob({}, "w", kT0, kLease)->has_value());
  ASSERT_TRUE(store_->FailJob(id, "w", "smtp said no", kT0 + 5).ok());
  auto job = *store_->GetJob(id);
  EXPECT_EQ(job.state, JobState::kQueued);
  EXPECT_EQ(job.run_at, kT0 + 5 + domain::RetryDelay(1));
  EXPECT_EQ(job.last_error, "smtp said no");
  EXPECT_EQ(job.lease_owner, "");
  EXPECT_FALSE(store_->ClaimJob({}, "w", job.run_at - 1, kLease)->has_value());

  ASSERT_TRUE(store_->ClaimJob({}, "w", job.run_at, kLease)->has_value());
  ASSERT_TRUE(store_->FailJob(id, "w", "smtp said no again", job.run_at + 1).ok());
  job = *store_->GetJob(id);
  EXPECT_EQ(job.state, JobState::kFailed);
  EXPECT_EQ(job.attempts, 2);
  EXPECT_EQ(job.last_error, "smtp said no again");
  EXPECT_FALSE(store_->ClaimJob({}, "w", kT0 + 1000 * kLease, kLease)->has_value());
}

TEST_P(StoreContract, ConcurrentWorkersOnSeparateConnectionsClaimEachJobOnce) {
  constexpr int kJobs = 200;
  for (int i = 0; i < kJobs; ++i) {
    ASSERT_TRUE(store_->EnqueueJob(MakeJob("fetch", kT0 + i % 7)).ok());
  }
  std::unique_ptr<Store> other = Open(url_);
  ASSERT_NE(other, nullptr);
  std::mutex mu;
  std::map<int64_t, int> claims;
  std::atomic<int> errors{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 8; ++t) {
    Store* store = t % 2 == 0 ? store_.get() : other.get();
    workers.emplace_back([&, store, t] {
      const std::string name = "worker-" + std::to_string(t);
      for (;;) {
        auto job = store->ClaimJob({"fetch"}, name, kT0 + 10, kLease);
        if (!job.ok()) {
          ++errors;
          ADD_FAILURE() << job.status().message();
          return;
        }
        if (!job->has_value()) return;
        {
          std::lock_guard lock(mu);
          ++claims[(*job)->id];
        }
        if (!store->CompleteJob((*job)->id, name).ok()) ++errors;
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claims.size(), static_cast<size_t>(kJobs));
  for (const auto& [id, n] : claims) EXPECT_EQ(n, 1) << "job " << id;
  EXPECT_FALSE(store_->ClaimJob({}, "late", kT0 + 10 * kLease, kLease)->has_value());
}

// A sighting is committed with its first check or not at all: a process that dies right after
// the intake or the paste must not leave a copy nobody ever looks at.
TEST_P(StoreContract, EverySightingIsStoredWithItsFirstCheckQueued) {
  const int64_t a =
      Create(MakeCase("TD-FRST-0001", false, 0, {"https://s.example/1", "https://s.example/2"}));
  auto added = store_->AddSightings(
      a, {Seen("https://s.example/3", kT0 + 7), Seen("https://s.example/1", kT0 + 7)}, "user:1",
      kT0 + 7);
  ASSERT_TRUE(added.ok()) << added.status().message();
  std::map<int64_t, UnixMillis> due;  // sighting -> when its first check runs
  while (true) {
    auto job = store_->ClaimJob({std::string(domain::kSightingCheckJob)}, "w", kT0 + 100, kLease);
    ASSERT_TRUE(job.ok()) << job.status().message();
    if (!job->has_value()) break;
    EXPECT_EQ((*job)->case_id, a);
    const int64_t sighting = nlohmann::json::parse((*job)->payload_json)["sighting"];
    EXPECT_EQ((*job)->idempotency_key, "sighting.check:" + std::to_string(sighting) + ":added");
    due[sighting] = (*job)->run_at;
  }
  std::map<int64_t, UnixMillis> expected;
  auto listed = store_->ListSightings(a);
  ASSERT_TRUE(listed.ok());
  for (const domain::Sighting& s : *listed) expected[s.id] = s.first_seen;
  EXPECT_EQ(due, expected) << "one first check per sighting, none for the duplicate";
  EXPECT_EQ(due.at((*added)[0].sighting_id), kT0 + 7);
}

}  // namespace
}  // namespace takedown::store
