// The Store contract's hash exchange (hash_exchange_store.h), on SQLite and PostgreSQL alike:
// consenting cases' values in (modified_at, id) order, withdrawals on erasure kept only while a
// partner may hold them, and partners' feedback.
#include "store/store_contract_test.h"

namespace takedown::store {
namespace {

std::vector<std::string> Values(const std::vector<SharedValue>& page) {
  std::vector<std::string> out;
  for (const SharedValue& v : page) out.push_back(v.value);
  return out;
}

TEST_P(StoreContract, ExchangeHoldsConsentingValuesInChangeOrder) {
  NewCase video = MakeCase("TD-EXCH-0001", true, 1);
  for (int frame = 0; frame < 2; ++frame) {
    domain::MediaHash h = video.hashes[0];
    h.kind = domain::MediaKind::kVideo;
    h.pdq = Pdq(9000 + frame);
    h.md5 = std::string(32, 'd');
    video.hashes.push_back(h);
  }
  video.hashes.push_back(video.hashes[1]);
  video.hashes.back().md5 = "";  // a frame without its file's MD5: not exchanged
  const int64_t a = Create(video);
  Create(MakeCase("TD-EXCH-0002", false, 2));
  const int64_t c = Create(MakeCase("TD-EXCH-0003", true, 1));
  const auto a_hashes = *store_->ListHashes(a);
  const auto c_hashes = *store_->ListHashes(c);
  auto partner = store_->CreatePartner({0, "Platform", "keyhash", {"hashes:read"}, false, kT0});
  ASSERT_TRUE(partner.ok());

  auto all = store_->ExchangedValues(0, {}, 100, *partner);
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(Values(*all),
            (std::vector<std::string>{a_hashes[0].pdq, std::string(32, 'd'), c_hashes[0].pdq}));
  ASSERT_EQ((*all)[1].hashes.size(), 2u);  // both frames carry the file's MD5
  EXPECT_EQ((*all)[1].kind, domain::MediaKind::kVideo);
  // The same clock time, yet every write is above the last: the cursor never ties.
  EXPECT_LT((*all)[0].modified_at, (*all)[2].modified_at);
  EXPECT_EQ(*store_->ExchangeHighWater(), (*all)[2].modified_at);

  // Paging one at a time gets the same, and `from` leaves out what changed earlier.
  std::vector<std::string> paged;
  ExchangeCursor at;
  for (;;) {
    auto page = store_->ExchangedValues(0, at, 1, *partner);
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    paged.push_back((*page)[0].value);
    at = {(*page)[0].modified_at, (*page)[0].id};
  }
  EXPECT_EQ(paged, Values(*all));
  EXPECT_EQ(Values(*store_->ExchangedValues((*all)[2].modified_at, {}, 100, *partner)),
            std::vector<std::string>{c_hashes[0].pdq});
}

TEST_P(StoreContract, ErasureWithdrawsValuesOnlyWhilePartnersMayHoldThem) {
  const int64_t unread = Create(MakeCase("TD-EXCH-0011", true, 1));
  auto partner = store_->CreatePartner({0, "Platform", "keyhash", {"hashes:read"}, false, kT0});
  ASSERT_TRUE(partner.ok());
  // Nobody has read the exchange: the erase forgets the value at once.
  ASSERT_TRUE(store_->EraseCase(unread, Ev(unread, "case.erased")).ok());
  EXPECT_TRUE(store_->ExchangedValues(0, {}, 100, *partner)->empty());

  const int64_t read = Create(MakeCase("TD-EXCH-0012", true, 2));
  const auto hashes = *store_->ListHashes(read);
  ASSERT_EQ(store_->ExchangedValues(0, {}, 100, *partner)->size(), 2u);  // the partner has them
  const UnixMillis checkpoint = *store_->ExchangeHighWater();
  ASSERT_TRUE(store_->EraseCase(read, Ev(read, "case.erased")).ok());
  // Both withdrawals share one modified_at: paging one at a time, the first read must not
  // forget the second before the partner is sent it.
  ExchangeCursor at;
  std::vector<std::string> withdrawn;
  for (;;) {
    auto page = store_->ExchangedValues(checkpoint + 1, at, 1, *partner);
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    ASSERT_EQ((*page)[0].hashes.size(), 1u);
    EXPECT_TRUE((*page)[0].hashes[0].withdrawn);
    withdrawn.push_back((*page)[0].value);
    at = {(*page)[0].modified_at, (*page)[0].id};
  }
  EXPECT_EQ(withdrawn, (std::vector<std::string>{hashes[0].pdq, hashes[1].pdq}));
  // Those reads passed the withdrawals: the values are gone for good.
  EXPECT_TRUE(store_->ExchangedValues(0, {}, 100, *partner)->empty());

  // Another case with the same value shares it afresh.
  NewCase again = MakeCase("TD-EXCH-0013", true, 1);
  again.hashes[0].pdq = hashes[0].pdq;
  Create(again);
  auto back = store_->ExchangedValues(0, {}, 100, *partner);
  ASSERT_EQ(back->size(), 1u);
  EXPECT_FALSE((*back)[0].hashes[0].withdrawn);
}

TEST_P(StoreContract, PartnersFeedbackOnValuesShowsOnTheCaseAndInTotals) {
  const int64_t a = Create(MakeCase("TD-EXCH-0021", true, 2));
  const int64_t b = Create(MakeCase("TD-EXCH-0022", false, 1));
  const auto a_hashes = *store_->ListHashes(a);
  const std::string unshared = (*store_->ListHashes(b))[0].pdq;
  auto partner = store_->CreatePartner({0, "Platform", "keyhash", {"feedback"}, false, kT0});
  ASSERT_TRUE(partner.ok());
  const UnixMillis before = *store_->ExchangeHighWater();

  // All or nothing: one value nobody shared refuses the lot.
  EXPECT_EQ(store_
                ->PutValueFeedback(*partner,
                                   {{a_hashes[0].pdq, "Blocked", {}, 0, "", 0},
                                    {unshared, "Blocked", {}, 0, "", 0}},
                                   kT0)
                .code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(store_->CaseValueFeedback(a)->empty());

  ASSERT_TRUE(
      store_->PutValueFeedback(*partner, {{a_hashes[1].pdq, "PendingReview", {}, 0, "", 0}}, kT0)
          .ok());
  ASSERT_TRUE(store_
                  ->PutValueFeedback(*partner,
                                     {{a_hashes[1].pdq, "Blocked", {"Nude", "Adult"}, 0, "", 0}},
                                     kT0 + 5)
                  .ok());  // replaces the earlier word
  auto on_case = store_->CaseValueFeedback(a);
  ASSERT_EQ(on_case->size(), 1u);
  EXPECT_EQ((*on_case)[0].hash_id, a_hashes[1].id);
  EXPECT_EQ((*on_case)[0].partner, "Platform");
  EXPECT_EQ((*on_case)[0].verdict, "Blocked");
  EXPECT_EQ((*on_case)[0].tags, (std::vector<std::string>{"Nude", "Adult"}));
  EXPECT_EQ((*on_case)[0].at, kT0 + 5);
  EXPECT_EQ(store_->GetOverview()->partner_feedback,
            (std::map<std::string, int64_t>{{"Blocked", 1}}));

  // The value changed: it is in the partner's next delta, with its own word.
  auto delta = store_->ExchangedValues(before + 1, {}, 100, *partner);
  ASSERT_EQ(delta->size(), 1u);
  ASSERT_EQ((*delta)[0].feedback.size(), 1u);
  EXPECT_EQ((*delta)[0].feedback[0].verdict, "Blocked");
  EXPECT_EQ((*delta)[0].feedback[0].partner, "Platform");

  // Her erasure takes what partners said about her values with it.
  ASSERT_TRUE(store_->EraseCase(a, Ev(a, "case.erased")).ok());
  EXPECT_TRUE(store_->GetOverview()->partner_feedback.empty());
  EXPECT_EQ(
      store_->PutValueFeedback(*partner, {{a_hashes[1].pdq, "Blocked", {}, 0, "", 0}}, kT0).code(),
      StatusCode::kNotFound);
}

}  // namespace
}  // namespace takedown::store
