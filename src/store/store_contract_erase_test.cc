// The Store contract's erasure, on SQLite and PostgreSQL alike: erasing a case removes it and all
// that is hers, tells partners what was shared, keeps the audit trail without its detail, and
// leaves nothing of her in the database's files.
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "store/store_contract_test.h"

namespace takedown::store {
namespace {

TEST_P(StoreContract, EraseRemovesTheCaseAndTellsPartnersWhatWasShared) {
  const int64_t a = Create(MakeCase("TD-ERAS-0001", true, 2, {"https://e.example/1"}));
  const int64_t b = Create(MakeCase("TD-ERAS-0002", false, 1, {"https://e.example/1"}));
  const auto a_hashes = *store_->ListHashes(a);
  ASSERT_TRUE(store_->AddNote({0, a, 1, "sealed-note", kT0}, std::nullopt).ok());
  ASSERT_TRUE(store_->AddNote({0, a, 1, "sealed-message", kT0, true}, std::nullopt).ok());
  ASSERT_TRUE(store_->AppendEvent(Ev(a, "case.read", "{\"why\":\"review\"}")).ok());
  const domain::AttemptLimit limit;
  ASSERT_TRUE(store_->ReserveAttempt({{"case:" + std::to_string(a), limit}}, kT0).ok());
  ASSERT_TRUE(store_->ReserveAttempt({{"pin-addr:203.0.113.5", limit}}, kT0).ok());
  auto partner = store_->CreatePartner({0, "Platform", "keyhash", {"feedback"}, false, kT0});
  ASSERT_TRUE(
      store_->AddFeedback({*partner, a_hashes[0].id, "removed", "https://e.example/1", kT0}).ok());

  ASSERT_TRUE(store_->EraseCase(a, Ev(a, "case.erased", "{\"by\":\"survivor\"}", kT0 + 9)).ok());
  EXPECT_EQ(store_->GetCase(a).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->FindCaseByCode("TD-ERAS-0001").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->ListHashes(a)->empty());
  EXPECT_TRUE(store_->ListSightings(a)->empty());
  EXPECT_TRUE(store_->ListNotes(a)->empty());
  EXPECT_EQ(store_->GetThrottle("case:" + std::to_string(a))->attempts, 0);
  EXPECT_EQ(store_->GetThrottle("pin-addr:203.0.113.5")->attempts, 1);
  EXPECT_TRUE(store_->SharedHashes(0, 100)->empty());

  // The feed keeps no trace of the erased hashes but their deletions.
  auto feed = *store_->HashChanges(0, 100);
  ASSERT_EQ(feed.size(), 2u);
  for (size_t i = 0; i < feed.size(); ++i) {
    EXPECT_TRUE(feed[i].deleted);
    EXPECT_EQ(feed[i].hash_id, a_hashes[i].id);
    EXPECT_EQ(feed[i].pdq, "");
    EXPECT_EQ(feed[i].at, kT0 + 9);
  }

  // The audit trail keeps who did what and when, without the detail.
  auto events = *store_->ListEvents(a, 10);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].action, "case.erased");
  EXPECT_EQ(events[0].detail_json, "{\"by\":\"survivor\"}");
  EXPECT_EQ(events[1].action, "case.read");
  EXPECT_EQ(events[1].detail_json, "{}");
  EXPECT_EQ(events[2].action, "case.created");
  EXPECT_EQ(events[2].detail_json, "{}");

  // A case that never consented adds nothing to the feed; the other case is untouched.
  ASSERT_TRUE(store_->EraseCase(b, Ev(b, "case.erased")).ok());
  EXPECT_EQ(store_->HashChanges(0, 100)->size(), 2u);
  EXPECT_EQ(store_->EraseCase(a, Ev(a, "case.erased")).code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->CreateCase(MakeCase("TD-ERAS-0001", false, 0)).ok());
}

// Erased means gone from the disk too, not only from queries: deleted rows left in free pages
// or old page images in the write-ahead log would still hold her code, her links and her hashes.
TEST_P(StoreContract, AnErasedCaseLeavesNothingInTheDatabaseFiles) {
  if (GetParam() != "sqlite") {
    GTEST_SKIP() << "PostgreSQL's files are the server's (docs/storage.md, Erasure on disk)";
  }
  NewCase c = MakeCase("TD-GONE-4711", true, 1, {"https://forget.example/page-marker-4711"});
  c.hashes[0].pdq = "d15c0d" + std::string(58, 'e');
  c.contact_ciphertext = "contact-marker-4711";
  const int64_t id = Create(c);
  ASSERT_TRUE(store_->AddNote({0, id, 1, "note-marker-4711", kT0}, std::nullopt).ok());
  ASSERT_TRUE(store_->AppendEvent(Ev(id, "case.read", "{\"why\":\"event-marker-4711\"}")).ok());
  // Enough other writes that the case's pages were written to the log more than once.
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(store_->AppendEvent(Ev(id, "case.read", "{\"n\":" + std::to_string(i) + "}")).ok());
  }
  Create(MakeCase("TD-KEEP-0001", false, 1, {"https://kept.example/1"}));
  // As SQLite's automatic checkpoint does once the log grows: her rows reach the main file.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(url_.substr(std::string("sqlite:").size()).c_str(), &other), SQLITE_OK);
  EXPECT_EQ(sqlite3_wal_checkpoint_v2(other, nullptr, SQLITE_CHECKPOINT_FULL, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(other);

  ASSERT_TRUE(store_->EraseCase(id, Ev(id, "case.erased")).ok());
  const std::vector<std::string> markers = {"TD-GONE-4711",     "forget.example/page-marker-4711",
                                            "d15c0deeeeeeee",   "contact-marker-4711",
                                            "note-marker-4711", "event-marker-4711"};
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const std::string& marker : markers) {
      EXPECT_EQ(bytes.find(marker), std::string::npos)
          << entry.path().filename() << " still holds " << marker;
    }
  }
  EXPECT_GE(files, 1);
  // The other case is untouched.
  EXPECT_TRUE(store_->FindCaseByCode("TD-KEEP-0001").ok());
}

}  // namespace
}  // namespace takedown::store
