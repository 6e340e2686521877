// Staff accounts and sessions, guessing throttles, and the organisation's settings.
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
#include "domain/entities.h"

namespace takedown::store {

// Per-key failure counting for PIN guessing (keys like "case:17" or "addr:203.0.113.5").
struct Throttle {
  int failures = 0;  // within the current window
  UnixMillis window_start = 0;
  UnixMillis locked_until = 0;  // 0: not locked
};

struct Session {
  std::string token_hash;  // SHA-256 hex of the cookie value (the cookie itself is never stored)
  int64_t user_id = 0;
  std::string csrf_token;
  UnixMillis expires_at = 0;
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
  virtual Status CreateSession(const Session& s) = 0;
  virtual Result<Session> FindSession(const std::string& token_hash, UnixMillis now) = 0;  // live
  virtual Status DeleteSession(const std::string& token_hash) = 0;
};

// Per-key failure counting for PIN guessing.
class ThrottleStore {
 public:
  virtual ~ThrottleStore() = default;

  virtual Result<Throttle> GetThrottle(const std::string& key) = 0;  // zeros when none
  virtual Status PutThrottle(const std::string& key, const Throttle& t) = 0;
  virtual Status ClearThrottle(const std::string& key) = 0;
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
