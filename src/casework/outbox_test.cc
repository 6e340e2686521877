// The outbox over a real SQLite store with a scripted Courier: an approved notice is sent once
// and its deadline checks are queued; a relay that is down is retried; a send whose outcome is
// unknown is not repeated when the archive shows it went out, and is left to a person when the
// archive cannot be asked; a cancelled notice is never sent.
#include "casework/outbox.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "jobs/worker.h"
#include "store/store.h"

namespace takedown::casework {
namespace {

using domain::NoticeState;
constexpr UnixMillis kT0 = 1'800'000'000'000;

class ScriptedCourier : public Courier {
 public:
  Status Deliver(const domain::Notice& notice, bool* outcome_unknown) override {
    delivered.push_back(notice.id);
    delivered_text.push_back(notice.subject + "\n" + notice.body);
    *outcome_unknown = unknown_next;
    unknown_next = false;
    Status s = next;
    next = Status::Ok();
    return s;
  }
  Result<bool> AlreadyDelivered(const domain::Notice&) override {
    ++asked;
    return archive;
  }
  std::vector<int64_t> delivered;
  std::vector<std::string> delivered_text;
  Status next = Status::Ok();
  bool unknown_next = false;
  Result<bool> archive = true;
  int asked = 0;
};

class Outbox : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-outbox-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto opened = store::Store::Open("sqlite:" + dir_ + "/db");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    store::NewCase c;
    c.code = "TD-OUTB-0001";
    c.pin_hash = "$argon2id$pin";
    c.language = "en";
    c.now = kT0;
    domain::Sighting s;
    s.url = s.normalized_url = "https://forum.example/t/1";
    s.first_seen = kT0;
    c.sightings.push_back(s);
    case_id_ = *store_->CreateCase(c);
    sighting_ = (*store_->ListSightings(case_id_))[0].id;
    outbox_ = std::make_unique<OutboxWorker>(*store_, clock_, sealer_, courier_);
    worker_ = std::make_unique<jobs::Worker>(*store_, clock_, "test");
    worker_->Register(std::string(kSendNoticeJob),
                      [this](const domain::Job& job) { return outbox_->Handle(job); });
  }
  void TearDown() override {
    worker_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // An approved email notice with its send job queued, as Notices::ApproveNotice leaves it.
  int64_t Approved(const std::string& key) {
    domain::Notice n;
    n.case_id = case_id_;
    n.sighting_ids = {sighting_};
    n.recipient = "forum";
    n.channel = domain::ChannelKind::kEmail;
    n.address = "abuse@forum.example";
    n.subject = "Removal request";
    n.body = "Please remove";
    n.idempotency_key = key;
    n.deadline_hours = 48;
    n.created_at = kT0;
    const int64_t id = *SealedNotices(*store_, sealer_).CreateNotice(n, Event("notice.drafted"));
    EXPECT_TRUE(
        store_->MoveNotice(id, NoticeState::kApproved, {kT0, "user:1", ""}, Event("x")).ok());
    n.id = id;
    EXPECT_TRUE(store_->EnqueueJob(SendNoticeJob(n, clock_.Now(), "approved")).ok());
    return id;
  }
  domain::Event Event(const std::string& action) {
    return {0, case_id_, "user:1", action, "{}", clock_.Now()};
  }
  domain::Notice Notice(int64_t id) { return *store_->GetNotice(id); }
  int RunDue() { return *worker_->RunDue(); }

  std::string dir_;
  ManualClock clock_{kT0};
  const secrets::Sealer sealer_ = secrets::Sealer::FromKey(std::string(32, 'k'));
  std::unique_ptr<store::Store> store_;
  ScriptedCourier courier_;
  std::unique_ptr<OutboxWorker> outbox_;
  std::unique_ptr<jobs::Worker> worker_;
  int64_t case_id_ = 0, sighting_ = 0;
};

TEST_F(Outbox, AnApprovedNoticeIsSentOnceAndItsDeadlineChecksAreQueued) {
  const int64_t id = Approved("k1");
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(courier_.delivered, std::vector<int64_t>{id});
  EXPECT_EQ(courier_.delivered_text, std::vector<std::string>{"Removal request\nPlease remove"})
      << "the courier gets the words the store keeps only sealed";
  EXPECT_EQ(Notice(id).subject + Notice(id).body, "");
  EXPECT_FALSE(Notice(id).sealed_text.empty());
  EXPECT_EQ(Notice(id).state, NoticeState::kSent);
  EXPECT_EQ(Notice(id).deadline, kT0 + 48 * kMillisPerHour);
  EXPECT_EQ(store_->GetSighting(sighting_)->state, domain::SightingState::kNotified);
  EXPECT_EQ(store_->CaseJobProgress(case_id_)->queued, 3)
      << "the sighting's first check, and checks before and at the deadline";
  // The same job key again (a double click, a retried request) sends nothing more.
  domain::Notice n = Notice(id);
  ASSERT_TRUE(store_->EnqueueJob(SendNoticeJob(n, clock_.Now(), "approved")).ok());
  ASSERT_TRUE(store_->EnqueueJob(SendNoticeJob(n, clock_.Now(), "again")).ok());
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(courier_.delivered.size(), 1u);
}

TEST_F(Outbox, ARelayThatIsDownIsRetriedAndARefusalWaitsForAPerson) {
  const int64_t id = Approved("k2");
  courier_.next = Unavailable("relay.example: connection refused");
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Notice(id).state, NoticeState::kApproved) << "back in line for the retry";
  clock_.Advance(kMillisPerHour);
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Notice(id).state, NoticeState::kSent);
  EXPECT_EQ(courier_.delivered.size(), 2u);

  const int64_t refused = Approved("k3");
  courier_.next = FailedPrecondition("relay.example: 550 no such user");
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Notice(refused).state, NoticeState::kFailed);
  EXPECT_EQ(Notice(refused).last_error, "relay.example: 550 no such user");
  clock_.Advance(7 * 24 * kMillisPerHour);
  EXPECT_EQ(RunDue(), 0) << "a refused notice is not retried by itself";
  EXPECT_EQ(courier_.delivered.size(), 3u);
}

TEST_F(Outbox, AnUnknownOutcomeIsCheckedInTheArchiveBeforeAnySecondSend) {
  const int64_t id = Approved("k4");
  courier_.next = Unavailable("relay.example: no reply after the message");
  courier_.unknown_next = true;
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Notice(id).state, NoticeState::kSending);
  courier_.archive = true;  // the relay had accepted it
  clock_.Advance(kMillisPerHour);
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(courier_.asked, 1);
  EXPECT_EQ(courier_.delivered.size(), 1u) << "not sent a second time";
  EXPECT_EQ(Notice(id).state, NoticeState::kSent);

  // Not in the archive: sent again. No archive to ask: a person decides.
  const int64_t lost = Approved("k5");
  courier_.next = Unavailable("timeout");
  courier_.unknown_next = true;
  EXPECT_EQ(RunDue(), 1);
  courier_.archive = false;
  for (int i = 0; i < 3; ++i) {  // the archive copy may be late: asked again for ~15 minutes
    clock_.Advance(kMillisPerHour);
    EXPECT_EQ(RunDue(), 1);
    EXPECT_EQ(Notice(lost).state, NoticeState::kSending);
  }
  clock_.Advance(kMillisPerHour);
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Notice(lost).state, NoticeState::kSent);
  EXPECT_EQ(courier_.delivered.size(), 3u);

  const int64_t unsure = Approved("k6");
  courier_.next = Unavailable("timeout");
  courier_.unknown_next = true;
  EXPECT_EQ(RunDue(), 1);
  courier_.archive = Unsupported("no archive mailbox is configured");
  clock_.Advance(kMillisPerHour);
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Notice(unsure).state, NoticeState::kFailed);
  EXPECT_NE(Notice(unsure).last_error.find("sent mail"), std::string::npos);
  EXPECT_EQ(courier_.delivered.size(), 4u);
}

TEST_F(Outbox, ACancelledNoticeIsNeverSent) {
  const int64_t id = Approved("k7");
  ASSERT_TRUE(
      store_->MoveNotice(id, NoticeState::kCancelled, {kT0, "user:1", ""}, Event("x")).ok());
  EXPECT_EQ(RunDue(), 1);
  EXPECT_TRUE(courier_.delivered.empty());
}

}  // namespace
}  // namespace takedown::casework
