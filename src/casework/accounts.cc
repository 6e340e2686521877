#include "casework/accounts.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <regex>

namespace takedown::casework {
namespace {

constexpr std::array<std::string_view, 3> kScopes = {"hashes:read", "match", "feedback"};

Status WrongLogin() { return PermissionDenied("the username or password is not right"); }

// Passwords tried on one account name (known or not) from addresses it has not logged in from
// lately: 5 at once, then a wait from 1 s doubling to 15 minutes (about a hundred guesses a day).
constexpr domain::AttemptLimit kPerAccount{5, kMillisPerSecond, 15 * 60 * kMillisPerSecond,
                                           kMillisPerHour};
// Passwords tried from one address (an IPv6 /64) on any accounts: 10 at once, then from 1 s
// doubling to a minute. Right passwords are taken back, so an office's logins cost nothing.
constexpr domain::AttemptLimit kPerAddress{10, kMillisPerSecond, 60 * kMillisPerSecond,
                                           kMillisPerHour};
// How long a login address stays known (each login from it moves this on).
constexpr UnixMillis kKnownAddress = 30 * kMillisPerDay;

std::string AccountKey(const std::string& username) { return "login-user:" + username; }
std::string AddressKey(const std::string& address) { return "login-addr:" + AddressBlock(address); }

domain::Event AuditEvent(const Actor& who, std::string action, const nlohmann::json& detail,
                         UnixMillis at) {
  return {0, std::nullopt, who.Name(), std::move(action), detail.dump(), at};
}

Status RequireAdmin(const Actor& who) {
  if (who.kind != Actor::Kind::kUser || who.role != domain::Role::kAdmin) {
    return PermissionDenied("administrators only");
  }
  return Status::Ok();
}

}  // namespace

Accounts::Accounts(Stores stores, const Clock& clock, secrets::HashCost password_cost,
                   UnixMillis session_lifetime)
    : audit_(stores.get<store::AuditLog>()),
      accounts_(stores.get<store::AccountStore>()),
      partners_(stores.get<store::PartnerStore>()),
      throttles_(stores.get<store::ThrottleStore>()),
      clock_(clock),
      password_cost_(password_cost),
      session_lifetime_(session_lifetime) {
  auto dummy = secrets::HashSecret(secrets::RandomToken(), password_cost_);
  if (dummy.ok()) dummy_hash_ = *dummy;
}

Result<LoginResult> Accounts::Login(const std::string& username, const std::string& password,
                                    const std::string& address, NextTry* next) {
  const UnixMillis now = clock_.Now();
  auto user = accounts_.FindUser(username);
  if (!user.ok() && user.status().code() != StatusCode::kNotFound) return user.status();
  std::vector<store::ThrottleKey> keys = {{AddressKey(address), kPerAddress}};
  // From an address the account logged in from lately, the account's own wait does not apply:
  // guessing from elsewhere delays everyone else, never its owner at her usual desk.
  bool known = false;
  if (user.ok()) {
    auto k = accounts_.IsKnownLoginAddress(user->id, AddressBlock(address), now);
    if (!k.ok()) return k.status();
    known = *k;
  }
  if (!known) keys.push_back({AccountKey(username), kPerAccount});
  // Reserved before the password is checked: concurrent guesses each see the others' counts.
  auto reserved = throttles_.ReserveAttempt(keys, now);
  if (!reserved.ok()) return reserved.status();
  *next = {reserved->free_left, reserved->retry_at};
  if (!reserved->granted) return WaitBeforeRetrying("login attempts", now, reserved->retry_at);
  const bool right = secrets::VerifySecret(user.ok() ? user->password_hash : dummy_hash_, password);
  if (!user.ok() || !right || user->disabled) return WrongLogin();
  if (Status s = throttles_.ClearThrottle(AccountKey(username)); !s.ok()) return s;
  if (Status s = throttles_.RefundAttempt(AddressKey(address)); !s.ok()) return s;
  if (Status s =
          accounts_.RememberLoginAddress(user->id, AddressBlock(address), now + kKnownAddress);
      !s.ok()) {
    return s;
  }
  LoginResult out;
  out.session_token = secrets::RandomToken();
  out.csrf_token = secrets::RandomToken();
  out.expires_at = now + session_lifetime_;
  if (Status s = accounts_.CreateSession(
          {secrets::Sha256Hex(out.session_token), user->id, out.csrf_token, out.expires_at});
      !s.ok()) {
    return s;
  }
  auto session = accounts_.FindSession(secrets::Sha256Hex(out.session_token), now);
  if (!session.ok()) return session.status();
  out.must_change_password = session->must_change_password;
  out.user = std::move(*user);
  out.user.password_hash.clear();
  return out;
}

Status Accounts::ChangePassword(const Actor& who, const std::string& current,
                                const std::string& replacement, NextTry* next) {
  if (who.kind != Actor::Kind::kUser) return PermissionDenied("please log in");
  if (replacement.size() < 12 || replacement.size() > 1024) {
    return InvalidArgument("a password needs 12 to 1,024 characters");
  }
  auto user = accounts_.GetUser(who.id);
  if (!user.ok()) return user.status();
  // Counted on the account like a login from elsewhere: a session left open is no way round the
  // account's wait.
  const UnixMillis now = clock_.Now();
  auto reserved = throttles_.ReserveAttempt({{AccountKey(user->username), kPerAccount}}, now);
  if (!reserved.ok()) return reserved.status();
  *next = {reserved->free_left, reserved->retry_at};
  if (!reserved->granted) return WaitBeforeRetrying("login attempts", now, reserved->retry_at);
  if (!secrets::VerifySecret(user->password_hash, current)) {
    return PermissionDenied("the current password is not right");
  }
  if (Status s = throttles_.ClearThrottle(AccountKey(user->username)); !s.ok()) return s;
  if (replacement == current) {
    return InvalidArgument("the new password must differ from the current one");
  }
  auto hash = secrets::HashSecret(replacement, password_cost_);
  if (!hash.ok()) return hash.status();
  return accounts_.SetPasswordHash(
      who.id, *hash, false, AuditEvent(who, "user.password_changed", {{"user_id", who.id}}, now));
}

Result<int64_t> Accounts::PurgeExpired() {
  const UnixMillis now = clock_.Now();
  auto sessions = accounts_.PurgeSessions(now);
  if (!sessions.ok()) return sessions;
  auto throttles = throttles_.PurgeThrottles(now);
  if (!throttles.ok()) return throttles;
  return *sessions + *throttles;
}

Status Accounts::Logout(const std::string& session_token) {
  return accounts_.DeleteSession(secrets::Sha256Hex(session_token));
}

Result<Authenticated> Accounts::FromSession(const std::string& session_token) {
  if (session_token.empty()) return PermissionDenied("please log in");
  auto session = accounts_.FindSession(secrets::Sha256Hex(session_token), clock_.Now());
  if (!session.ok()) {
    if (session.status().code() == StatusCode::kNotFound) {
      return PermissionDenied("your session has ended; please log in again");
    }
    return session.status();
  }
  auto user = accounts_.GetUser(session->user_id);
  if (!user.ok() || user->disabled) return PermissionDenied("please log in");
  Authenticated out;
  out.actor.kind = Actor::Kind::kUser;
  out.actor.id = user->id;
  out.actor.role = user->role;
  out.csrf_token = session->csrf_token;
  out.username = user->username;
  out.must_change_password = session->must_change_password;
  return out;
}

Result<Authenticated> Accounts::FromApiKey(const std::string& api_key) {
  if (api_key.empty()) return PermissionDenied("an API key is required");
  auto partner = partners_.FindPartnerByKeyHash(secrets::Sha256Hex(api_key));
  if (!partner.ok() || partner->revoked) return PermissionDenied("the API key is not valid");
  Authenticated out;
  out.actor.kind = Actor::Kind::kPartner;
  out.actor.id = partner->id;
  out.actor.scopes = partner->scopes;
  out.username = partner->name;
  return out;
}

Result<int64_t> Accounts::CreateUser(const std::string& username, const std::string& password,
                                     domain::Role role) {
  static const std::regex kName("[a-z0-9][a-z0-9._-]{1,63}");
  if (!std::regex_match(username, kName)) {
    return InvalidArgument(
        "a username is 2 to 64 characters: lowercase letters, digits, '.', '_' or '-'");
  }
  if (password.size() < 12 || password.size() > 1024) {
    return InvalidArgument("a password needs 12 to 1,024 characters");
  }
  auto hash = secrets::HashSecret(password, password_cost_);
  if (!hash.ok()) return hash.status();
  domain::User user;
  user.username = username;
  user.password_hash = *hash;
  user.role = role;
  user.created_at = clock_.Now();
  return accounts_.CreateUser(user);
}

Result<int64_t> Accounts::AddUser(const Actor& who, const std::string& username,
                                  const std::string& password, domain::Role role) {
  if (Status s = RequireAdmin(who); !s.ok()) return s;
  auto id = CreateUser(username, password, role);
  if (!id.ok()) return id;
  // Written after the account exists: an audit entry for an account that failed to be made would
  // mislead. The password is never in it.
  if (Status s = audit_.AppendEvent(
          AuditEvent(who, "user.created",
                     {{"user_id", *id}, {"username", username}, {"role", domain::RoleName(role)}},
                     clock_.Now()));
      !s.ok()) {
    return s;
  }
  return id;
}

Result<std::vector<domain::User>> Accounts::ListUsers(const Actor& who) {
  if (Status s = RequireAdmin(who); !s.ok()) return s;
  auto users = accounts_.ListUsers();
  if (!users.ok()) return users.status();
  for (auto& u : *users) u.password_hash.clear();
  return users;
}

Result<NewPartnerKey> Accounts::AddPartner(const Actor& who, const std::string& name,
                                           const std::vector<std::string>& scopes) {
  if (Status s = RequireAdmin(who); !s.ok()) return s;
  if (name.empty() || name.size() > 200) return InvalidArgument("a partner needs a name");
  for (const auto& scope : scopes) {
    if (std::find(kScopes.begin(), kScopes.end(), scope) == kScopes.end()) {
      return InvalidArgument("unknown scope \"" + scope + "\" (hashes:read, match, feedback)");
    }
  }
  NewPartnerKey out;
  out.api_key = "tdk_" + secrets::RandomToken();
  domain::PartnerClient p;
  p.name = name;
  p.key_hash = secrets::Sha256Hex(out.api_key);
  p.scopes = scopes;
  p.created_at = clock_.Now();
  auto id = partners_.CreatePartner(p);
  if (!id.ok()) return id.status();
  out.partner_id = *id;
  // The key itself is never in the audit trail (nor its hash).
  if (Status s = audit_.AppendEvent(
          AuditEvent(who, "partner.created",
                     {{"partner_id", *id}, {"name", name}, {"scopes", scopes}}, clock_.Now()));
      !s.ok()) {
    return s;
  }
  return out;
}

Result<std::vector<domain::PartnerClient>> Accounts::ListPartners(const Actor& who) {
  if (Status s = RequireAdmin(who); !s.ok()) return s;
  auto partners = partners_.ListPartners();
  if (!partners.ok()) return partners.status();
  for (auto& p : *partners) p.key_hash.clear();
  return partners;
}

Status Accounts::RevokePartner(const Actor& who, int64_t partner_id) {
  if (Status s = RequireAdmin(who); !s.ok()) return s;
  return partners_.RevokePartner(
      partner_id, AuditEvent(who, "partner.revoked", {{"partner_id", partner_id}}, clock_.Now()));
}

Status Accounts::SetUserDisabled(const Actor& who, int64_t user_id, bool disabled) {
  if (Status s = RequireAdmin(who); !s.ok()) return s;
  if (disabled && user_id == who.id) {
    return InvalidArgument("you cannot disable your own account; ask another administrator");
  }
  return accounts_.SetUserDisabled(user_id, disabled,
                                   AuditEvent(who, disabled ? "user.disabled" : "user.enabled",
                                              {{"user_id", user_id}}, clock_.Now()));
}

Status Accounts::SetUserRole(const Actor& who, int64_t user_id, domain::Role role) {
  if (Status s = RequireAdmin(who); !s.ok()) return s;
  return accounts_.SetUserRole(
      user_id, role,
      AuditEvent(who, "user.role_changed", {{"user_id", user_id}, {"role", domain::RoleName(role)}},
                 clock_.Now()));
}

Result<std::string> Accounts::ResetPassword(const Actor& who, int64_t user_id) {
  if (Status s = RequireAdmin(who); !s.ok()) return s;
  const std::string password = secrets::RandomToken(18);
  auto hash = secrets::HashSecret(password, password_cost_);
  if (!hash.ok()) return hash.status();
  // The password is never in the audit trail.
  if (Status s = accounts_.SetPasswordHash(
          user_id, *hash, true,
          AuditEvent(who, "user.password_reset", {{"user_id", user_id}}, clock_.Now()));
      !s.ok()) {
    return s;
  }
  return password;
}

Result<std::optional<std::string>> Accounts::EnsureFirstAdmin() {
  auto count = accounts_.CountUsers();
  if (!count.ok()) return count.status();
  if (*count > 0) return std::optional<std::string>();
  const std::string password = secrets::RandomToken(18);
  auto id = CreateUser("admin", password, domain::Role::kAdmin);
  if (!id.ok()) return id.status();
  return std::optional<std::string>(password);
}

}  // namespace takedown::casework
