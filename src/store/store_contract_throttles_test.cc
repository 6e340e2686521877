// The Store contract's attempt throttles and the purge, on SQLite and PostgreSQL alike: an attempt
// is reserved before a secret is checked, so concurrent guesses on separate connections never
// pass the limit together; waits grow and end; login addresses; expired rows purged.
#include <atomic>
#include <thread>

#include "store/store_contract_test.h"

namespace takedown::store {
namespace {

// Three free attempts, then a wait of 1 s doubling to 8 s; quiet for an hour starts again.
const domain::AttemptLimit kLimit{3, 1000, 8000, kMillisPerHour};

TEST_P(StoreContract, AnAttemptIsReservedUntilTheLimitThenTheWaitGrows) {
  const std::vector<ThrottleKey> key = {{"case:1", kLimit}};
  for (int i = 0; i < 3; ++i) {
    auto r = store_->ReserveAttempt(key, kT0);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(r->granted);
    EXPECT_EQ(r->free_left, 2 - i);
  }
  // The third attempt made the next one wait 1 s; a refused attempt counts nothing.
  auto refused = store_->ReserveAttempt(key, kT0 + 999);
  EXPECT_FALSE(refused->granted);
  EXPECT_EQ(refused->retry_at, kT0 + 1000);
  EXPECT_EQ(store_->GetThrottle("case:1")->attempts, 3);
  auto fourth = store_->ReserveAttempt(key, kT0 + 1000);
  EXPECT_TRUE(fourth->granted);
  EXPECT_EQ(fourth->retry_at, kT0 + 3000) << "the wait doubled";
  EXPECT_EQ(fourth->free_left, 0);
  // The right secret: the key starts again.
  ASSERT_TRUE(store_->ClearThrottle("case:1").ok());
  EXPECT_EQ(store_->GetThrottle("case:1")->attempts, 0);
  EXPECT_TRUE(store_->ReserveAttempt(key, kT0 + 1001)->granted);
}

TEST_P(StoreContract, AnyWaitingKeyRefusesTheAttemptOnAllKeys) {
  const domain::AttemptLimit one{1, 60'000, 60'000, kMillisPerHour};
  ASSERT_TRUE(store_->ReserveAttempt({{"pin-addr:198.51.100.7", one}}, kT0)->granted);
  auto refused =
      store_->ReserveAttempt({{"case:2", kLimit}, {"pin-addr:198.51.100.7", one}}, kT0 + 1);
  EXPECT_FALSE(refused->granted);
  EXPECT_EQ(refused->retry_at, kT0 + 60'000);
  EXPECT_EQ(store_->GetThrottle("case:2")->attempts, 0) << "nothing counted on the other key";
  // A refund takes back the count but not the wait.
  ASSERT_TRUE(store_->RefundAttempt("pin-addr:198.51.100.7").ok());
  EXPECT_EQ(store_->GetThrottle("pin-addr:198.51.100.7")->attempts, 0);
  EXPECT_EQ(store_->GetThrottle("pin-addr:198.51.100.7")->next_at, kT0 + 60'000);
}

TEST_P(StoreContract, AQuietPeriodStartsTheCountAgain) {
  const std::vector<ThrottleKey> key = {{"login-user:dana", kLimit}};
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store_->ReserveAttempt(key, kT0)->granted);
  auto later = store_->ReserveAttempt(key, kT0 + kMillisPerHour + 1);
  EXPECT_TRUE(later->granted);
  EXPECT_EQ(later->free_left, 2);
}

// Issue 19 item 7: 64 concurrent wrong PINs were 48 verified against a limit of 5.
TEST_P(StoreContract, ConcurrentAttemptsOnSeparateConnectionsNeverPassTheLimitTogether) {
  std::unique_ptr<Store> other = Open(url_);
  ASSERT_NE(other, nullptr);
  const std::vector<ThrottleKey> key = {{"case:3", {5, 60'000, 60'000, kMillisPerHour}}};
  std::atomic<int> granted{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    Store* store = t % 2 == 0 ? store_.get() : other.get();
    threads.emplace_back([&, store] {
      for (int i = 0; i < 4; ++i) {
        auto r = store->ReserveAttempt(key, kT0);
        if (!r.ok()) {
          ++errors;
          ADD_FAILURE() << r.status().message();
        } else if (r->granted) {
          ++granted;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::printf("64 concurrent attempts on a limit of 5: %d granted, %d errors\n", granted.load(),
              errors.load());
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(granted.load(), 5);
  EXPECT_EQ(store_->GetThrottle("case:3")->attempts, 5);
}

TEST_P(StoreContract, LoginAddressesAreKnownUntilTheyExpireOrThePasswordChanges) {
  auto id = store_->CreateUser({0, "erin", "$argon2id$e", domain::Role::kAdmin, false, kT0});
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(store_->RememberLoginAddress(*id, "192.0.2.4", kT0 + 1000).ok());
  EXPECT_TRUE(*store_->IsKnownLoginAddress(*id, "192.0.2.4", kT0));
  EXPECT_FALSE(*store_->IsKnownLoginAddress(*id, "192.0.2.5", kT0));
  EXPECT_FALSE(*store_->IsKnownLoginAddress(*id, "192.0.2.4", kT0 + 1000)) << "expired";
  EXPECT_EQ(store_->RememberLoginAddress(*id + 100, "192.0.2.4", kT0).code(),
            StatusCode::kNotFound);

  ASSERT_TRUE(store_->RememberLoginAddress(*id, "192.0.2.4", kT0 + 1000).ok());
  ASSERT_TRUE(store_->CreateSession({"erin-session", *id, "csrf", kT0 + kMillisPerDay}).ok());
  const domain::Event event{0, std::nullopt, "user:1", "user.password_changed", "{}", kT0};
  ASSERT_TRUE(store_->SetPasswordHash(*id, "$argon2id$new", false, event).ok());
  EXPECT_EQ(store_->GetUser(*id)->password_hash, "$argon2id$new");
  EXPECT_EQ(store_->FindSession("erin-session", kT0).status().code(), StatusCode::kNotFound)
      << "a new password ends the sessions the old one opened";
  EXPECT_FALSE(*store_->IsKnownLoginAddress(*id, "192.0.2.4", kT0));
  EXPECT_EQ(store_->SetPasswordHash(*id + 100, "x", false, event).code(), StatusCode::kNotFound);
}

// Issue 20: after an admin's reset the account's sessions must set a new password first.
TEST_P(StoreContract, AResetPasswordMustBeChangedUntilItsOwnerSetsOne) {
  auto id = store_->CreateUser({0, "gus", "$argon2id$g", domain::Role::kCaseworker, false, kT0});
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(store_->CreateSession({"before", *id, "csrf", kT0 + kMillisPerDay}).ok());
  EXPECT_FALSE(store_->FindSession("before", kT0)->must_change_password);

  const domain::Event reset{0, std::nullopt, "user:1", "user.password_reset", "{}", kT0};
  ASSERT_TRUE(store_->SetPasswordHash(*id, "$argon2id$reset", true, reset).ok());
  ASSERT_TRUE(store_->CreateSession({"after-reset", *id, "csrf", kT0 + kMillisPerDay}).ok());
  EXPECT_TRUE(store_->FindSession("after-reset", kT0)->must_change_password);

  const domain::Event own{0, std::nullopt, "user:2", "user.password_changed", "{}", kT0};
  ASSERT_TRUE(store_->SetPasswordHash(*id, "$argon2id$own", false, own).ok());
  ASSERT_TRUE(store_->CreateSession({"after-change", *id, "csrf", kT0 + kMillisPerDay}).ok());
  EXPECT_FALSE(store_->FindSession("after-change", kT0)->must_change_password);
}

// Issue 19 item 15: sessions and throttle rows, with the addresses in them, were never purged.
TEST_P(StoreContract, ThePurgeDeletesExpiredSessionsAddressesAndThrottles) {
  auto id = store_->CreateUser({0, "fay", "$argon2id$f", domain::Role::kCaseworker, false, kT0});
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(store_->CreateSession({"old", *id, "csrf", kT0 + 10}).ok());
  ASSERT_TRUE(store_->CreateSession({"live", *id, "csrf", kT0 + kMillisPerDay}).ok());
  ASSERT_TRUE(store_->RememberLoginAddress(*id, "192.0.2.9", kT0 + 10).ok());
  ASSERT_TRUE(store_->RememberLoginAddress(*id, "2001:db8:1:2::/64", kT0 + kMillisPerDay).ok());
  ASSERT_TRUE(store_->ReserveAttempt({{"pin-addr:203.0.113.5", kLimit}}, kT0).ok());
  const domain::AttemptLimit day{3, 1000, 8000, kMillisPerDay};
  ASSERT_TRUE(store_->ReserveAttempt({{"login-addr:203.0.113.6", day}}, kT0).ok());

  EXPECT_EQ(*store_->PurgeSessions(kT0 + 10), 2) << "one session and one address";
  EXPECT_EQ(*store_->PurgeThrottles(kT0 + kMillisPerHour), 1) << "the key quiet for its hour";
  EXPECT_EQ(store_->FindSession("live", kT0 + 11)->user_id, *id);
  EXPECT_FALSE(*store_->IsKnownLoginAddress(*id, "192.0.2.9", kT0));
  EXPECT_TRUE(*store_->IsKnownLoginAddress(*id, "2001:db8:1:2::/64", kT0 + 11));
  EXPECT_EQ(store_->GetThrottle("pin-addr:203.0.113.5")->attempts, 0);
  EXPECT_EQ(store_->GetThrottle("login-addr:203.0.113.6")->attempts, 1);
  EXPECT_EQ(*store_->PurgeThrottles(kT0 + kMillisPerDay), 1);
  EXPECT_EQ(*store_->PurgeSessions(kT0 + kMillisPerDay), 2);
  EXPECT_EQ(*store_->PurgeSessions(kT0 + kMillisPerDay), 0);
}

}  // namespace
}  // namespace takedown::store
