// The casework notice tests' fixture (notices_test.cc, notices_law_test.cc): a real SQLite store
// (or another, where a derived fixture names it: notices_backends_test.cc), the real notice
// library and platform data (data/), intake and the Notices use case, and helpers that report a
// case and draft its notices.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "casework/drafting.h"
#include "casework/notices.h"
#include "casework/outbox.h"
#include "casework/survivors.h"
#include "store/sqlite_database.h"
#include "store/store.h"

namespace takedown::casework::notices_testing {

using domain::NoticeState;
inline constexpr UnixMillis kT0 = 1'800'000'000'000;

class Notices : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-notices-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    const std::string data = std::string(TAKEDOWN_SOURCE_DIR) + "/data";
    auto library = notify::NoticeLibrary::Load(data);
    ASSERT_TRUE(library.ok()) << library.status().message();
    library_ = std::make_unique<notify::NoticeLibrary>(std::move(*library));
    auto platforms = platforms::PlatformDirectory::Load(data + "/platforms.toml");
    ASSERT_TRUE(platforms.ok());
    platforms_ = std::make_unique<platforms::PlatformDirectory>(std::move(*platforms));
    auto url = StoreUrl();
    if (!url.ok()) GTEST_SKIP() << url.status().message();
    auto opened = store::Store::Open(*url);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    bank_ = std::make_unique<PartnerBank>(*store_, clock_);
    Policy policy;
    policy.pin_cost = {1, 8192};  // Argon2id's least: PINs are not what these tests are about
    survivors_ = std::make_unique<Survivors>(*store_, clock_, sealer_, *platforms_, *library_,
                                             *bank_, policy);
    auto dossier = notify::DossierTemplates::Load(data, *library_);
    ASSERT_TRUE(dossier.ok()) << dossier.status().message();
    dossier_ = std::make_unique<notify::DossierTemplates>(std::move(*dossier));
    setup_ = std::make_unique<NoticeSetup>(NoticeSetup{
        *library_,
        {"Harbour Support", "help@harbour.example", "", "", "", "Maria Chan", "Caseworker"},
        sealer_,
        *store_});
    notices_ =
        std::make_unique<casework::Notices>(*store_, clock_, *platforms_, *setup_, *dossier_);
  }
  // The store's URL: a SQLite file in dir_; an error skips the test.
  virtual Result<std::string> StoreUrl() { return "sqlite:" + dir_ + "/db"; }
  void TearDown() override {
    notices_.reset();
    survivors_.reset();
    bank_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  int64_t Report(const std::string& url, domain::NamedInNotices named = domain::NamedInNotices::kNo,
                 const std::string& name = "", const std::string& contact = "") {
    IntakeRequest r;
    r.urls = {url};
    r.jurisdiction = "US";
    r.language = "en";
    r.authorise = true;
    r.named_in_notices = named;
    r.name = name;
    r.contact = contact;
    // Her contact for notices is its own choice (issue 21); these tests give the same one.
    if (named == domain::NamedInNotices::kNameAndContact) r.notice_contact = contact;
    auto receipt = survivors_->Intake(r, &next_);
    EXPECT_TRUE(receipt.ok()) << receipt.status().message();
    return receipt.ok() ? receipt->case_id : 0;
  }
  domain::Notice Draft(int64_t case_id) {
    auto drafts = notices_->DraftNotices(caseworker_, case_id, {});
    EXPECT_TRUE(drafts.ok()) << drafts.status().message();
    return drafts.ok() && !drafts->empty() ? drafts->front() : domain::Notice{};
  }
  int SendJobs() {
    int n = 0;
    while (auto job =
               *store_->ClaimJob({std::string(kSendNoticeJob)}, "test", clock_.Now() + 1, 60'000)) {
      ++n;
      EXPECT_TRUE(store_->CompleteJob(job->id, "test").ok());
    }
    return n;
  }
  // Records that `notice` went out (what the outbox does once the relay accepts it).
  void MarkSent(const domain::Notice& notice) {
    const domain::Event e{0, notice.case_id, "system", "x", "{}", clock_.Now()};
    if (notice.state == NoticeState::kDraft) {
      ASSERT_TRUE(
          store_->MoveNotice(notice.id, NoticeState::kApproved, {clock_.Now(), "user:1", ""}, e)
              .ok());
    }
    ASSERT_TRUE(
        store_->MoveNotice(notice.id, NoticeState::kSending, {clock_.Now(), "", ""}, e).ok());
    ASSERT_TRUE(store_->MoveNotice(notice.id, NoticeState::kSent, {clock_.Now(), "", ""}, e).ok());
  }

  std::string dir_;
  ManualClock clock_{kT0};
  secrets::Sealer sealer_ = secrets::Sealer::FromKey(std::string(32, 'k'));
  std::unique_ptr<notify::NoticeLibrary> library_;
  std::unique_ptr<platforms::PlatformDirectory> platforms_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<PartnerBank> bank_;
  std::unique_ptr<notify::DossierTemplates> dossier_;
  std::unique_ptr<NoticeSetup> setup_;
  std::unique_ptr<Survivors> survivors_;
  NextTry next_;  // where a refused report says when to try again
  std::unique_ptr<casework::Notices> notices_;
  Actor caseworker_{Actor::Kind::kUser, 2, domain::Role::kCaseworker, {}};
  Actor admin_{Actor::Kind::kUser, 1, domain::Role::kAdmin, {}};
  Actor reviewer_{Actor::Kind::kUser, 3, domain::Role::kReviewer, {}};
};

}  // namespace takedown::casework::notices_testing
