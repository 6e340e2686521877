#include "jobs/worker.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "store/store.h"

namespace takedown::jobs {
namespace {

constexpr UnixMillis kT0 = 1'800'000'000'000;

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-jobs-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto opened = store::Store::Open("sqlite:" + dir_ + "/db");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  int64_t Enqueue(const std::string& kind, UnixMillis run_at, int max_attempts = 8) {
    domain::Job job;
    job.kind = kind;
    job.payload_json = "{}";
    job.run_at = run_at;
    job.max_attempts = max_attempts;
    return *store_->EnqueueJob(job);
  }
  std::string dir_;
  std::unique_ptr<store::Store> store_;
  ManualClock clock_{kT0};
};

TEST_F(WorkerTest, RunsDueJobsOfItsKindsAndRetriesFailuresWithBackoff) {
  Worker worker(*store_, clock_, "test-worker");
  std::vector<int64_t> ran;
  int flaky_calls = 0;
  worker.Register("ok", [&](const domain::Job& job) {
    ran.push_back(job.id);
    return Status::Ok();
  });
  worker.Register("flaky", [&](const domain::Job&) {
    return ++flaky_calls < 3 ? Unavailable("the site is down") : Status::Ok();
  });
  worker.Register("throws", [](const domain::Job&) -> Status { throw std::runtime_error("boom"); });
  const int64_t now = Enqueue("ok", kT0), later = Enqueue("ok", kT0 + 60'000);
  const int64_t other = Enqueue("not-mine", kT0);
  const int64_t flaky = Enqueue("flaky", kT0);
  const int64_t throws = Enqueue("throws", kT0, 1);

  EXPECT_EQ(*worker.RunDue(), 3);
  EXPECT_EQ(ran, std::vector<int64_t>{now});
  EXPECT_EQ(store_->GetJob(flaky)->state, domain::JobState::kQueued);
  EXPECT_EQ(store_->GetJob(flaky)->last_error, "the site is down");
  EXPECT_EQ(store_->GetJob(throws)->state, domain::JobState::kFailed);
  EXPECT_NE(store_->GetJob(throws)->last_error.find("boom"), std::string::npos);
  EXPECT_EQ(store_->GetJob(other)->state, domain::JobState::kQueued) << "not this worker's kind";
  EXPECT_EQ(*worker.RunDue(), 0) << "the retry waits for its backoff";

  clock_.Advance(domain::RetryDelay(1));
  EXPECT_EQ(*worker.RunDue(), 1);
  clock_.Advance(60 * 60 * 1000);
  EXPECT_EQ(*worker.RunDue(), 2);  // the flaky one's third attempt and the later one
  EXPECT_EQ(store_->GetJob(flaky)->state, domain::JobState::kDone);
  EXPECT_EQ(store_->GetJob(later)->state, domain::JobState::kDone);
  EXPECT_EQ(flaky_calls, 3);
}

TEST_F(WorkerTest, RunStopsWhenAsked) {
  Worker worker(*store_, clock_, "looping");
  int calls = 0;
  worker.Register("ok", [&](const domain::Job&) {
    ++calls;
    return Status::Ok();
  });
  Enqueue("ok", kT0);
  std::jthread loop([&](std::stop_token stop) { worker.Run(stop, std::chrono::seconds(10)); });
  for (int i = 0; i < 200 && calls == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  loop.request_stop();
  loop.join();  // returns within a step of the idle wait, not 10 s
  EXPECT_EQ(calls, 1);
}

TEST_F(WorkerTest, AnIdleLoopWakesWhenTheManualClockMoves) {
  Worker worker(*store_, clock_, "waiting");
  std::atomic<int> calls{0};
  worker.Register("later", [&](const domain::Job&) {
    ++calls;
    return Status::Ok();
  });
  Enqueue("later", kT0 + kMillisPerHour);
  // An idle wait far longer than the test may take: the job runs only because the loop wakes
  // when the clock is moved.
  std::jthread loop([&](std::stop_token stop) { worker.Run(stop, std::chrono::hours(1)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the loop go idle first
  EXPECT_EQ(calls.load(), 0);
  clock_.Advance(kMillisPerHour);
  for (int i = 0; i < 1000 && calls == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(calls.load(), 1);
}

}  // namespace
}  // namespace takedown::jobs
