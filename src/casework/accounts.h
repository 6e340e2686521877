// Who may use the API: caseworker accounts (passwords as Argon2id, sessions as random cookies
// whose SHA-256 alone is stored, a CSRF token per session), partner API keys (scoped, stored as
// SHA-256), and the first admin account of a new installation.
//
// Password guessing is slowed per account and per address (an IPv6 /64), each attempt counted
// before the password is checked. The account's own wait is skipped from an address it logged in
// from in the last 30 days, so nobody guessing from elsewhere can lock its owner out: she is
// limited only as her address is (see Login).
//
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "casework/actor.h"
#include "casework/attempts.h"
#include "secrets/secrets.h"
#include "store/account_store.h"
#include "store/case_store.h"
#include "store/partner_store.h"
#include "store/roles.h"

namespace takedown::casework {

struct LoginResult {
  std::string session_token;  // the cookie value; shown to the browser only
  std::string csrf_token;
  domain::User user;
  UnixMillis expires_at = 0;
  bool must_change_password = false;  // an admin reset the password: ChangePassword first
};

struct Authenticated {
  Actor actor;
  std::string csrf_token;  // sessions only
  std::string username;
  // Sessions only: an admin reset the password, which two people now know, so the session may
  // only set a new one (the HTTP front refuses everything else).
  bool must_change_password = false;
};

struct NewPartnerKey {
  int64_t partner_id = 0;
  std::string api_key;  // shown once
};

class Accounts {
 public:
  // The roles of the store it uses.
  using Stores =
      store::Roles<store::AuditLog, store::AccountStore, store::PartnerStore, store::ThrottleStore>;

  Accounts(Stores stores, const Clock& clock, secrets::HashCost password_cost = {},
           UnixMillis session_lifetime = 12 * kMillisPerHour);

  // kPermissionDenied with one sentence for a wrong name, a wrong password or a disabled account;
  // kResourceExhausted while the account or the address must wait. `next` then says how many
  // tries are left before a wait, or when the next one is allowed. An unknown name is counted
  // and checked (against a dummy hash) like a known one.
  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const std::string& address, NextTry* next);
  Status Logout(const std::string& session_token);
  Result<Authenticated> FromSession(const std::string& session_token);
  Result<Authenticated> FromApiKey(const std::string& api_key);

  // Admins only (checked here).
  Result<int64_t> AddUser(const Actor& who, const std::string& username,
                          const std::string& password, domain::Role role);
  Result<std::vector<domain::User>> ListUsers(const Actor& who);
  Result<NewPartnerKey> AddPartner(const Actor& who, const std::string& name,
                                   const std::vector<std::string>& scopes);
  // Partners without their key hashes: a key is shown once, at creation, and never again.
  Result<std::vector<domain::PartnerClient>> ListPartners(const Actor& who);
  // The key stops working at once (FromApiKey refuses revoked partners); for good.
  Status RevokePartner(const Actor& who, int64_t partner_id);
  // A disabled account cannot log in and its open sessions stop working (FromSession checks).
  // An admin cannot disable their own account, so an installation is not locked out by mistake.
  Status SetUserDisabled(const Actor& who, int64_t user_id, bool disabled);
  // Gives the account another role (user.role_changed). Never leaves the installation without an
  // enabled admin: the last one stays an admin (kFailedPrecondition).
  Status SetUserRole(const Actor& who, int64_t user_id, domain::Role role);
  // Gives the account a new random password (user.password_reset), returned to be shown once
  // and handed over in person; every session of the account ends and its known login addresses
  // are forgotten, so whoever held the old password is out. Its owner must set a password of
  // her own (ChangePassword) before anything else.
  Result<std::string> ResetPassword(const Actor& who, int64_t user_id);

  // The user's own password: the current one is checked (counted like a login's), the new one
  // needs 12 to 1,024 characters and, after a reset, must differ from the one the admin gave.
  // Every session of the account ends, this one too, and its known login addresses are forgotten.
  Status ChangePassword(const Actor& who, const std::string& current,
                        const std::string& replacement, NextTry* next);

  // Deletes expired sessions, login addresses past their 30 days and throttle counts past their
  // quiet period (with the addresses in them); returns how many rows went. The server runs it
  // periodically.
  Result<int64_t> PurgeExpired();

  // For the command line and first start, no actor: creates the user directly.
  Result<int64_t> CreateUser(const std::string& username, const std::string& password,
                             domain::Role role);
  // On a store with no users: creates "admin" with a random password and returns the password
  // (to print once). nullopt when users exist already.
  Result<std::optional<std::string>> EnsureFirstAdmin();

 private:
  store::AuditLog& audit_;
  store::AccountStore& accounts_;
  store::PartnerStore& partners_;
  store::ThrottleStore& throttles_;
  const Clock& clock_;
  secrets::HashCost password_cost_;
  UnixMillis session_lifetime_;
  std::string dummy_hash_;  // verified against on unknown names, so timing does not tell
};

}  // namespace takedown::casework
