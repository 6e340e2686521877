// Staff accounts and sessions, attempt throttles, and the organisation's settings.
//
// A role of the Store (store/store.h), which says what every method promises: one transaction,
// durable on OK, times passed in, the same error codes. Consumers take the roles they use.
//
// Thread-safety: implementations may be used from many threads at once.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/attempts.h"
#include "domain/entities.h"

namespace takedown::store {

// One key's attempts (keys like "case:17" or "pin-addr:203.0.113.5"), as ReserveAttempt left them.
struct Throttle {
  int attempts = 0;        // counted since the key was last quiet for its limit's quiet period
  UnixMillis last_at = 0;  // the latest attempt
  UnixMillis next_at = 0;  // no attempt before this
};

// A key to reserve an attempt on, under its limit.
struct ThrottleKey {
  std::string key;
  domain::AttemptLimit limit;
};

// The answer of ReserveAttempt.
struct Reservation {
  bool granted = false;
  // Refused: when every key allows an attempt again. Granted: when the next one may be made
  // (`now` when no key makes it wait).
  UnixMillis retry_at = 0;
  int free_left = 0;  // granted: attempts left before any wait (the fewest over the keys)
};

struct Session {
  std::string token_hash;  // SHA-256 hex of the cookie value (the cookie itself is never stored)
  int64_t user_id = 0;
  std::string csrf_token;
  UnixMillis expires_at = 0;
  // Read back from the account: its password was set by an admin (a reset), so the session may
  // do nothing but set a new one. Ignored by CreateSession.
  bool must_change_password = false;
};

// Caseworker, reviewer and admin accounts and their login sessions.
class AccountStore {
 public:
  virtual ~AccountStore() = default;

  virtual Result<int64_t> CreateUser(const domain::User& user) = 0;  // kAlreadyExists
  virtual Result<domain::User> GetUser(int64_t id) = 0;
  virtual Result<domain::User> FindUser(const std::string& username) = 0;
  virtual Result<std::vector<domain::User>> ListUsers() = 0;
  virtual Result<int64_t> CountUsers() = 0;
  // Disables (or re-enables) an account and writes `event` in the same transaction; disabling
  // ends its sessions. kNotFound.
  virtual Status SetUserDisabled(int64_t id, bool disabled, const domain::Event& event) = 0;
  // Changes the account's role and writes `event`. kFailedPrecondition when that would leave no
  // enabled admin (nobody could manage accounts again); kNotFound.
  virtual Status SetUserRole(int64_t id, domain::Role role, const domain::Event& event) = 0;
  virtual Status CreateSession(const Session& s) = 0;
  virtual Result<Session> FindSession(const std::string& token_hash, UnixMillis now) = 0;  // live
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  // Remembers that `address` (an address or an IPv6 /64) logged in to the account, until `until`
  // (a later login moves it on). kNotFound for an unknown account.
  virtual Status RememberLoginAddress(int64_t user_id, const std::string& address,
                                      UnixMillis until) = 0;
  virtual Result<bool> IsKnownLoginAddress(int64_t user_id, const std::string& address,
                                           UnixMillis now) = 0;
  // Sets the account's password hash and writes `event`; ends its sessions and forgets its login
  // addresses, so whoever knew the old password is out. With `must_change` (an admin's reset) the
  // account's sessions say must_change_password until the next SetPasswordHash without it.
  // kNotFound.
  virtual Status SetPasswordHash(int64_t id, const std::string& password_hash, bool must_change,
                                 const domain::Event& event) = 0;
  // Deletes the sessions and login addresses past their time; returns how many rows went.
  virtual Result<int64_t> PurgeSessions(UnixMillis now) = 0;
};

// Attempts counted per key before a secret is checked (PINs, passwords) or an action is taken
// (a report), so that concurrent attempts can never pass the limit together.
class ThrottleStore {
 public:
  virtual ~ThrottleStore() = default;

  virtual Result<Throttle> GetThrottle(const std::string& key) = 0;  // zeros when none
  // In one transaction over all `keys`: when any of them makes the next attempt wait past `now`,
  // counts nothing and says until when; otherwise counts one attempt on each and sets each key's
  // next allowed time by its limit. Concurrent calls on a key are serialised (row locks taken in
  // key order), so each sees the others' counts.
  virtual Result<Reservation> ReserveAttempt(const std::vector<ThrottleKey>& keys,
                                             UnixMillis now) = 0;
  // Forgets the key's attempts (the right secret was given).
  virtual Status ClearThrottle(const std::string& key) = 0;
  // Takes back one counted attempt (it succeeded) without changing the key's wait.
  virtual Status RefundAttempt(const std::string& key) = 0;
  // Deletes the keys unused for their quiet period and past their wait, the addresses in them
  // with them; returns how many.
  virtual Result<int64_t> PurgeThrottles(UnixMillis now) = 0;
};

// The organisation's settings (key -> value; casework gives them meaning).
class SettingsStore {
 public:
  virtual ~SettingsStore() = default;

  virtual Result<std::map<std::string, std::string>> GetSettings() = 0;
  // Sets (or, with an empty value, removes) one setting and writes `event`.
  virtual Status PutSetting(const std::string& key, const std::string& value,
                            const domain::Event& event) = 0;
  // Sets `key` to `value` unless it already has a value, atomically; returns the value it holds
  // afterwards: the first claimant's, whichever process that was.
  virtual Result<std::string> ClaimSetting(const std::string& key, const std::string& value) = 0;
};

}  // namespace takedown::store
