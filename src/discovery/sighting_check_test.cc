// A sighting's life driven by the job worker over days of a manual clock, against a loopback page
// that shows the survivor's photo, then removes it, then shows it again: found (matched) ->
// notified -> removed -> reappeared (reopening the closed case), with its events, and with the
// store reopened between steps (a restart loses no scheduled check). Every test runs on SQLite
// and on PostgreSQL.
#include "discovery/sighting_check.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "discovery/edited_photo.h"
#include "fetch/test_web.h"
#include "jobs/worker.h"
#include "store/store.h"
#include "store/testing/postgres_cluster.h"

namespace takedown::discovery {
namespace {

using domain::SightingState;
using fetch::testing::MakeFetcher;
using fetch::testing::TestWeb;
using nlohmann::json;

const std::string kPdq = std::string(TAKEDOWN_SHARED_DIR) + "/testdata/pdq/";
constexpr UnixMillis kT0 = 1'800'000'000'000;
constexpr UnixMillis kDay = 24 * kMillisPerHour;

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class SightingLife : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-sighting-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    url_ = "sqlite:" + dir_ + "/db";
    if (GetParam() == "postgresql") {
      auto url = store::testing::PostgresCluster::Get().NewDatabase();
      if (!url.ok()) {
        if (store::testing::PostgresCluster::Required()) FAIL() << url.status().message();
        GTEST_SKIP() << url.status().message();
      }
      url_ = *url;
    }
    const std::string copy = Read(kPdq + "bridge-mods/shrink-a-lot.jpg");
    httplib::Server& forum = web_.Add("forum.example");
    forum.Get("/post/9", [this](const httplib::Request&, httplib::Response& res) {
      if (!etag_.empty()) res.set_header("ETag", etag_);
      res.set_content(showing_ ? "<title>Post</title><img src=/img/9.jpg>"
                               : "<title>Post</title><p>This post was removed.</p>",
                      "text/html");
    });
    forum.Get("/img/9.jpg", [copy](const httplib::Request&, httplib::Response& res) {
      res.set_content(copy, "image/jpeg");
    });
    // A copy PDQ cannot match (as a crop or a border would be), which she reported herself.
    const std::string unmatched = Read(kPdq + "misc-images/wee.jpg");
    forum.Get("/post/crop", [this](const httplib::Request&, httplib::Response& res) {
      if (crop_page_ == CropPage::kGone) {
        res.status = 410;
        return;
      }
      res.set_content(crop_page_ == CropPage::kShowing
                          ? "<title>Crop</title><img src=/img/crop.jpg>"
                          : "<title>Crop</title><p>This content is no longer available.</p>",
                      "text/html");
    });
    const std::string plain = testing::EditedPhoto(kPdq + "misc-images/wee.jpg", {.plain = true});
    forum.Get("/img/crop.jpg",
              [this, unmatched, plain](const httplib::Request&, httplib::Response& res) {
                res.set_content(crop_plain_ ? plain : unmatched, "image/jpeg");
              });
    web_.Start();
    fetcher_ = MakeFetcher(web_.Config());
    Reopen();

    hashfile::ImageFileHasher hasher({});
    auto original = hasher.HashFile(kPdq + "bridge-mods/aaa-orig.jpg");
    ASSERT_TRUE(original.ok());
    store::NewCase c;
    c.code = "TD-LIFE-0001";
    c.pin_hash = "$argon2id$pin";
    c.language = "en";
    c.now = kT0;
    domain::MediaHash h;
    h.pdq = original->pdq.hash.ToHex();
    h.quality = original->pdq.quality;
    h.created_at = kT0;
    c.hashes.push_back(h);
    domain::Sighting s;
    s.url = s.normalized_url = web_.Url("forum.example", "/post/9");
    s.host = "forum.example";
    s.first_seen = kT0;
    c.sightings.push_back(s);
    auto id = store_->CreateCase(c);
    ASSERT_TRUE(id.ok()) << id.status().message();
    case_id_ = *id;
    sighting_ = (*store_->ListSightings(case_id_))[0].id;
    ASSERT_TRUE(store_->EnqueueJob(SightingCheckJob(sighting_, case_id_, kT0, "added")).ok());
  }
  void TearDown() override {
    worker_.reset();
    checker_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // As after a restart: a new store on the same file, a new checker and worker.
  void Reopen() {
    worker_.reset();
    checker_.reset();
    store_.reset();
    auto opened = store::Store::Open(url_);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    checker_ = std::make_unique<SightingChecker>(*store_, clock_, *fetcher_);
    worker_ = std::make_unique<jobs::Worker>(*store_, clock_, "test");
    worker_->Register(std::string(kSightingCheckJob),
                      [this](const domain::Job& job) { return checker_->Handle(job); });
  }
  int RunDue() { return *worker_->RunDue(); }
  domain::Sighting Sighting() { return *store_->GetSighting(sighting_); }
  json Evidence() { return json::parse(Sighting().evidence_json); }

  // She reports /post/crop, and it has its first check (with the first post's).
  void AddTheCrop() {
    domain::Sighting s;
    s.url = s.normalized_url = web_.Url("forum.example", "/post/crop");
    s.host = "forum.example";
    s.first_seen = clock_.Now();
    auto added = store_->AddSightings(case_id_, {s}, "user:1", clock_.Now());
    ASSERT_TRUE(added.ok());
    crop_ = added->at(0).sighting_id;
    EXPECT_EQ(RunDue(), 2) << "the first checks of both";
    EXPECT_EQ(Crop().state, SightingState::kFound);
    EXPECT_EQ(CropEvidence()["verdict"], "no_match");
  }
  // Notified on her word about /post/crop, with a deadline 48 hours on.
  domain::Notice NoticeAboutTheCrop() {
    AddTheCrop();
    EXPECT_TRUE(CropEvidence()["noticed_medium"].contains("sha256"));
    const domain::Notice notice = Notify(crop_);
    EXPECT_EQ(*QueueDeadlineChecks(*store_, notice, clock_.Now()), 2);
    return notice;
  }
  // `sighting` notified now by a notice sent now, with a deadline 48 hours on.
  domain::Notice Notify(int64_t sighting) {
    EXPECT_TRUE(store_
                    ->TransitionSighting(
                        sighting, SightingState::kNotified,
                        domain::Event{0, case_id_, "user:1", "sighting.notified", "{}", kT0})
                    .ok());
    domain::Notice notice;
    notice.case_id = case_id_;
    notice.sighting_ids = {sighting};
    notice.recipient = "forum";
    notice.created_at = notice.sent_at.emplace(clock_.Now());
    notice.deadline = clock_.Now() + 48 * kMillisPerHour;
    auto id = store_->CreateNotice(notice, {0, case_id_, "user:1", "notice.sent", "{}", kT0});
    EXPECT_TRUE(id.ok());
    notice.id = *id;
    return notice;
  }
  // Whether the escalation of `notice` had been queued (for its case), as the ladder's key says:
  // queueing it again finds the job the deadline check queued.
  bool EscalationQueued(const domain::Notice& notice) {
    domain::Job escalate;
    escalate.kind = std::string(kEscalateJob);
    escalate.idempotency_key = "notice.escalate:" + std::to_string(notice.id);
    const auto queued = store_->GetJob(*store_->EnqueueJob(escalate));
    return queued.ok() && queued->case_id == case_id_ &&
           queued->payload_json == "{\"notice\":" + std::to_string(notice.id) + "}";
  }
  // Runs every check due in the next `hours`, hour by hour.
  void Pass(int hours) {
    for (int i = 0; i < hours; ++i) {
      clock_.Advance(kMillisPerHour);
      RunDue();
    }
  }
  domain::Sighting Crop() { return *store_->GetSighting(crop_); }
  json CropEvidence() { return json::parse(Crop().evidence_json); }
  enum class CropPage { kShowing, kSoftRemoved, kGone };

  std::string dir_, url_;  // the store's: a file in dir_, or a PostgreSQL database
  TestWeb web_;
  std::atomic<CropPage> crop_page_{CropPage::kShowing};
  std::atomic<bool> crop_plain_{false};  // the crop's image one colour: no PDQ to follow it by
  int64_t crop_ = 0;
  std::atomic<bool> showing_{true};
  std::string etag_;  // sent with the page when set
  std::unique_ptr<fetch::Fetcher> fetcher_;
  ManualClock clock_{kT0};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SightingChecker> checker_;
  std::unique_ptr<jobs::Worker> worker_;
  int64_t case_id_ = 0, sighting_ = 0;
};

// A header that is not UTF-8 (seen on the web: ETag: "\xff\xfe") is kept with the evidence as
// U+FFFD: the check still records the match instead of failing for good.
TEST_P(SightingLife, AHeaderThatIsNotUtf8DoesNotFailTheCheck) {
  etag_ = "\"\xff\xfe\"";
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Sighting().state, SightingState::kFound);
  EXPECT_EQ(Sighting().last_checked, kT0);
  EXPECT_EQ(Evidence()["verdict"], "matched");
  EXPECT_EQ(Evidence()["etag"], "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST_P(SightingLife, FoundNotifiedRemovedAndReappearedOverDays) {
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Sighting().state, SightingState::kFound);
  EXPECT_EQ(Evidence()["verdict"], "matched");
  EXPECT_EQ(Evidence()["last_match"]["media_url"], web_.Url("forum.example", "/img/9.jpg"));
  EXPECT_EQ(Evidence()["title"], "Post");
  EXPECT_EQ(Sighting().last_checked, kT0);
  EXPECT_EQ(RunDue(), 0) << "the next check waits 12 hours";

  ASSERT_TRUE(
      store_
          ->TransitionSighting(sighting_, SightingState::kNotified,
                               domain::Event{0, case_id_, "user:1", "sighting.notified", "{}", kT0})
          .ok());
  showing_ = false;
  Reopen();
  clock_.Advance(12 * kMillisPerHour);
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Sighting().state, SightingState::kRemoved);
  EXPECT_EQ(Evidence()["verdict"], "no_match");

  // Removed: checked every day for a week; it comes back between two checks.
  clock_.Advance(kDay);
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Sighting().state, SightingState::kRemoved);
  ASSERT_TRUE(store_
                  ->SetCaseStatus(case_id_, domain::CaseStatus::kClosed, clock_.Now(),
                                  {0, case_id_, "user:1", "case.closed", "{}", clock_.Now()})
                  .ok());
  showing_ = true;
  Reopen();
  clock_.Advance(kDay - kMillisPerHour);
  EXPECT_EQ(RunDue(), 0) << "the second recheck of a removed sighting is a day after the first";
  clock_.Advance(kMillisPerHour);
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Sighting().state, SightingState::kReappeared);
  EXPECT_EQ(Evidence()["cycle"], 1) << "its return opens a new notice cycle";
  EXPECT_EQ(store_->GetCase(case_id_)->status, domain::CaseStatus::kOpen) << "reopened";

  const auto events = *store_->ListEvents(case_id_, 20);
  std::vector<std::string> actions;
  for (const auto& e : events) actions.push_back(e.action);
  EXPECT_EQ(actions,
            (std::vector<std::string>{"case.reopened", "sighting.reappeared", "case.closed",
                                      "sighting.checked", "sighting.removed", "sighting.notified",
                                      "sighting.checked", "case.created"}));
}

TEST_P(SightingLife, AFirstCheckLostToACrashIsQueuedAgain) {
  // As if the process died after storing a sighting and before queueing its check.
  domain::Sighting lost;
  lost.url = lost.normalized_url = web_.Url("forum.example", "/post/9") + "?page=2";
  lost.first_seen = kT0;
  auto added = store_->AddSightings(case_id_, {lost}, "user:1", kT0);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*QueueUncheckedSightings(*store_, kT0), 2);
  EXPECT_EQ(*QueueUncheckedSightings(*store_, kT0), 2) << "idempotent";
  EXPECT_EQ(RunDue(), 2) << "the original first check and the recovered one, each once";
  EXPECT_EQ(Evidence()["verdict"], "matched");
  EXPECT_EQ(*QueueUncheckedSightings(*store_, kT0), 0);
}

TEST_P(SightingLife, ANoticesDeadlineBringsAChecksBeforeAndAtItAndStillUpIsOverdue) {
  EXPECT_EQ(RunDue(), 1);  // the first check: matched
  const domain::Notice notice = Notify(sighting_);
  EXPECT_EQ(*QueueDeadlineChecks(*store_, notice, kT0), 2);
  EXPECT_EQ(*QueueDeadlineChecks(*store_, notice, kT0), 2) << "idempotent: still two jobs";

  // 12 h, 24 h and 36 h: the regular checks; 46 h: the one before the deadline.
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(12 * kMillisPerHour);
    EXPECT_EQ(RunDue(), 1);
  }
  clock_.Advance(10 * kMillisPerHour);
  EXPECT_EQ(RunDue(), 1) << "the check 2 hours before the deadline";
  EXPECT_EQ(Sighting().state, SightingState::kNotified) << "not overdue before the deadline";
  clock_.Advance(2 * kMillisPerHour);
  EXPECT_EQ(RunDue(), 2) << "the check at the deadline, and the regular one due then";
  EXPECT_EQ(Sighting().state, SightingState::kOverdue);
  // The escalation ladder is asked to draft the next rung (once per notice).
  EXPECT_TRUE(EscalationQueued(notice)) << "the deadline check had queued it already";
  const auto events = *store_->ListEvents(case_id_, 10);
  EXPECT_TRUE(std::any_of(events.begin(), events.end(),
                          [](const domain::Event& e) { return e.action == "sighting.overdue"; }));

  // The regular schedule went on alone: one check 12 hours later, which sees it removed and
  // records how long it took since the notice went out.
  showing_ = false;
  clock_.Advance(12 * kMillisPerHour);
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Sighting().state, SightingState::kRemoved);
  const auto last = (*store_->ListEvents(case_id_, 1))[0];
  EXPECT_EQ(last.action, "sighting.removed");
  const json detail = json::parse(last.detail_json);
  EXPECT_EQ(detail["notice"], notice.id);
  EXPECT_EQ(detail["time_to_removal_ms"], 60 * kMillisPerHour);
}

// Issue 17: a copy that never matched (noticed on her word) still climbs the ladder while its
// page shows what it showed when noticed, and its removal is recorded when that goes.
TEST_P(SightingLife, ACopyThatNeverMatchedIsOverdueWhileItsPageShowsTheSameMedium) {
  const domain::Notice notice = NoticeAboutTheCrop();
  Pass(47);
  EXPECT_EQ(Crop().state, SightingState::kNotified) << "not overdue before the deadline";
  Pass(1);
  EXPECT_EQ(Crop().state, SightingState::kOverdue);
  EXPECT_TRUE(EscalationQueued(notice)) << "the deadline check had queued its escalation";

  // The page stays, but the image goes (a soft removal): removed, with the time it took.
  crop_page_ = CropPage::kSoftRemoved;
  Pass(12);
  EXPECT_EQ(Crop().state, SightingState::kRemoved);
  const auto events = *store_->ListEvents(case_id_, 50);
  const auto removed = std::find_if(events.begin(), events.end(), [](const domain::Event& e) {
    return e.action == "sighting.removed";
  });
  ASSERT_NE(removed, events.end());
  EXPECT_EQ(json::parse(removed->detail_json)["notice"], notice.id);

  // The same medium back on the page: reappeared.
  crop_page_ = CropPage::kShowing;
  Pass(24);
  EXPECT_EQ(Crop().state, SightingState::kReappeared);
}

TEST_P(SightingLife, ACopyThatNeverMatchedIsRemovedWhenItsPageIsGone) {
  NoticeAboutTheCrop();
  crop_page_ = CropPage::kGone;
  Pass(12);
  EXPECT_EQ(Crop().state, SightingState::kRemoved);
  EXPECT_EQ(CropEvidence()["http_status"], 410);
  Pass(48);
  EXPECT_EQ(Crop().state, SightingState::kRemoved) << "gone at the deadline is not overdue";

  // The statistics count its removal (issue 17 item 7), timed from the notice to the check
  // that saw the page gone, and credit it to the notice whose 48 hours it fell in.
  const auto facts = store_->StatsFacts(kT0, kT0 + 30 * kDay);
  ASSERT_TRUE(facts.ok()) << facts.status().message();
  ASSERT_EQ(facts->sightings.size(), 2u) << "the matched post and the crop";
  const stats::SightingFact& crop = facts->sightings[1];
  EXPECT_TRUE(crop.removed_now);
  ASSERT_TRUE(crop.first_notice_at && crop.removed_at);
  EXPECT_EQ(*crop.removed_at - *crop.first_notice_at, 12 * kMillisPerHour);
  ASSERT_EQ(facts->notices.size(), 1u);
  EXPECT_EQ(facts->notices[0].time_to_removal_ms, 12 * kMillisPerHour);
}

// A page whose medium PDQ cannot follow (too plain to hash usefully) is followed by how many
// media it lists: a soft removal that takes them all off is seen, and their return too.
TEST_P(SightingLife, ACopyWhoseMediumCannotBeFollowedIsRemovedWhenItsPageListsNone) {
  crop_plain_ = true;
  AddTheCrop();
  EXPECT_FALSE(CropEvidence().contains("noticed_medium")) << "nothing PDQ could follow";
  EXPECT_EQ(CropEvidence()["noticed_media"], 1);
  EXPECT_EQ(*QueueDeadlineChecks(*store_, Notify(crop_), clock_.Now()), 2);
  Pass(48);
  EXPECT_EQ(Crop().state, SightingState::kOverdue) << "its page still lists its medium";

  crop_page_ = CropPage::kSoftRemoved;
  Pass(12);
  EXPECT_EQ(Crop().state, SightingState::kRemoved);
  crop_page_ = CropPage::kShowing;
  Pass(24);
  EXPECT_EQ(Crop().state, SightingState::kReappeared);
}

TEST_P(SightingLife, PausedWatchingChecksNothingUntilResumed) {
  ASSERT_TRUE(store_
                  ->SetCaseWatchPaused(case_id_, true,
                                       {0, case_id_, "user:1", "case.watch_paused", "{}", kT0})
                  .ok());
  EXPECT_EQ(RunDue(), 1);
  EXPECT_FALSE(Sighting().last_checked.has_value()) << "a paused case's sighting is not fetched";
  clock_.Advance(30 * kDay);
  EXPECT_EQ(RunDue(), 0) << "and nothing was rescheduled";
}

TEST_P(SightingLife, AnErasedCaseEndsItsChecks) {
  ASSERT_TRUE(
      store_->EraseCase(case_id_, {0, case_id_, "survivor", "case.erased", "{}", kT0}).ok());
  EXPECT_EQ(RunDue(), 0) << "the case's queued checks went with it";
  // A check queued without its case (or in flight during the erasure) finds nothing to do.
  domain::Job orphan = SightingCheckJob(sighting_, case_id_, kT0, "orphan");
  orphan.case_id.reset();
  ASSERT_TRUE(store_->EnqueueJob(orphan).ok());
  EXPECT_EQ(RunDue(), 1);
  clock_.Advance(30 * kDay);
  EXPECT_EQ(RunDue(), 0) << "nothing rescheduled";
}

INSTANTIATE_TEST_SUITE_P(discovery, SightingLife, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& backend) { return backend.param; });

}  // namespace
}  // namespace takedown::discovery
