// SqlStore: attempts counted per key (PIN and password guessing, reports per address).
#include <algorithm>
#include <climits>

#include "store/sql_store.h"

namespace takedown::store {

Result<Throttle> SqlStore::GetThrottle(const std::string& key) {
  return InTx<Throttle>(TxMode::kRead, [&](Tx& tx) -> Result<Throttle> {
    Rows r = tx.Query("SELECT attempts, last_at, next_at FROM throttles WHERE key = $1", {key});
    if (r.empty()) return Throttle{};
    return Throttle{r[0].IntSmall(0), r[0].Int(1), r[0].Int(2)};
  });
}

Result<Reservation> SqlStore::ReserveAttempt(const std::vector<ThrottleKey>& keys, UnixMillis now) {
  // Locked in key order, so two reservations sharing keys cannot deadlock.
  std::vector<const ThrottleKey*> ordered;
  for (const ThrottleKey& k : keys) ordered.push_back(&k);
  std::sort(ordered.begin(), ordered.end(),
            [](const ThrottleKey* a, const ThrottleKey* b) { return a->key < b->key; });
  const std::string for_update(db_->dialect().for_update);
  return InTx<Reservation>(TxMode::kWrite, [&](Tx& tx) -> Result<Reservation> {
    std::vector<int> counted;
    UnixMillis blocked_until = 0;
    for (const ThrottleKey* k : ordered) {
      // The row exists before it is locked: two first attempts cannot both count from zero. A
      // purge may delete an expired row between the two statements; then it is made again.
      Rows r;
      for (int tries = 0; r.empty() && tries < 2; ++tries) {
        tx.Query(
            "INSERT INTO throttles (key, attempts, last_at, next_at, expires_at) "
            "VALUES ($1, 0, $2, 0, $2) ON CONFLICT (key) DO NOTHING",
            {k->key, now});
        r = tx.Query("SELECT attempts, last_at, next_at FROM throttles WHERE key = $1" + for_update,
                     {k->key});
      }
      if (r.empty()) return Unavailable("the attempt could not be counted; try again in a moment");
      const bool quiet = now - r[0].Int(1) > k->limit.quiet_period;
      counted.push_back(quiet ? 0 : r[0].IntSmall(0));
      if (r[0].Int(2) > now) blocked_until = std::max(blocked_until, r[0].Int(2));
    }
    Reservation out;
    if (blocked_until > 0) {
      out.retry_at = blocked_until;
      return out;
    }
    out.granted = true;
    out.retry_at = now;
    out.free_left = INT_MAX;
    for (size_t i = 0; i < ordered.size(); ++i) {
      const domain::AttemptLimit& limit = ordered[i]->limit;
      const int attempts = counted[i] + 1;
      const UnixMillis next_at = now + limit.WaitAfter(attempts);
      tx.Query(
          "UPDATE throttles SET attempts = $2, last_at = $3, next_at = $4, expires_at = $5 "
          "WHERE key = $1",
          {ordered[i]->key, int64_t{attempts}, now, next_at,
           std::max(next_at, now + limit.quiet_period)});
      out.retry_at = std::max(out.retry_at, next_at);
      out.free_left = std::min(out.free_left, std::max(0, limit.free_attempts - attempts));
    }
    if (ordered.empty()) out.free_left = 0;
    return out;
  });
}

Status SqlStore::ClearThrottle(const std::string& key) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    tx.Query("DELETE FROM throttles WHERE key = $1", {key});
    return Status::Ok();
  });
}

Status SqlStore::RefundAttempt(const std::string& key) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    tx.Query("UPDATE throttles SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0", {key});
    return Status::Ok();
  });
}

Result<int64_t> SqlStore::PurgeThrottles(UnixMillis now) {
  // Rows a reservation holds are passed over (PostgreSQL): deleting in another order than its
  // key order could deadlock with it, and the next purge takes them.
  const std::string skip_locked(db_->dialect().skip_locked);
  return InTx<int64_t>(TxMode::kWrite, [&](Tx& tx) -> Result<int64_t> {
    return static_cast<int64_t>(
        tx.Query("DELETE FROM throttles WHERE key IN (SELECT key FROM throttles "
                 "WHERE expires_at <= $1" +
                     skip_locked + ") RETURNING key",
                 {now})
            .size());
  });
}

}  // namespace takedown::store
