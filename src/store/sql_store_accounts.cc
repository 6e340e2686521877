// SqlStore: users, sessions and login addresses, partners and their feedback.
#include <sstream>

#include "store/sql_store.h"

namespace takedown::store {
namespace {

constexpr std::string_view kUserColumns =
    "SELECT id, username, password_hash, role, disabled, created_at FROM users";
constexpr std::string_view kPartnerColumns =
    "SELECT id, name, key_hash, scopes, revoked, created_at FROM partners";

domain::User ReadUser(const Row& r) {
  return {r.Int(0), r.Text(1), r.Text(2), Known(domain::ParseRole(r.Text(3))), r.Flag(4), r.Int(5)};
}

// Scopes are short tokens without spaces ("hashes:read"), kept space-separated in one column.
std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& s : scopes) out += (out.empty() ? "" : " ") + s;
  return out;
}

domain::PartnerClient ReadPartner(const Row& r) {
  domain::PartnerClient p{r.Int(0), r.Text(1), r.Text(2), {}, r.Flag(4), r.Int(5)};
  std::istringstream scopes(r.Text(3));
  for (std::string scope; scopes >> scope;) p.scopes.push_back(scope);
  return p;
}

}  // namespace

Result<int64_t> SqlStore::CreateUser(const domain::User& u) {
  return InTx<int64_t>(TxMode::kWrite, [&](Tx& tx) -> Result<int64_t> {
    Rows r = tx.Query(
        "INSERT INTO users (username, password_hash, role, disabled, created_at) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING RETURNING id",
        {u.username, u.password_hash, std::string(domain::RoleName(u.role)), int64_t{u.disabled},
         u.created_at});
    if (r.empty()) return AlreadyExists("that username is taken");
    return r[0].Int(0);
  });
}

Result<domain::User> SqlStore::GetUser(int64_t id) {
  return InTx<domain::User>(TxMode::kRead, [&](Tx& tx) -> Result<domain::User> {
    Rows r = tx.Query(std::string(kUserColumns) + " WHERE id = $1", {id});
    if (r.empty()) return NotFound("there is no user with that id");
    return ReadUser(r[0]);
  });
}

Result<domain::User> SqlStore::FindUser(const std::string& username) {
  return InTx<domain::User>(TxMode::kRead, [&](Tx& tx) -> Result<domain::User> {
    Rows r = tx.Query(std::string(kUserColumns) + " WHERE username = $1", {username});
    if (r.empty()) return NotFound("there is no user with that name");
    return ReadUser(r[0]);
  });
}

Result<std::vector<domain::User>> SqlStore::ListUsers() {
  return InTx<std::vector<domain::User>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<domain::User>> {
        std::vector<domain::User> out;
        for (const Row& r : tx.Query(std::string(kUserColumns) + " ORDER BY id")) {
          out.push_back(ReadUser(r));
        }
        return out;
      });
}

Result<int64_t> SqlStore::CountUsers() {
  return InTx<int64_t>(TxMode::kRead, [&](Tx& tx) -> Result<int64_t> {
    return tx.Query("SELECT COUNT(*) FROM users")[0].Int(0);
  });
}

Status SqlStore::SetUserDisabled(int64_t id, bool disabled, const domain::Event& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (tx.Query("UPDATE users SET disabled = $2 WHERE id = $1 RETURNING id",
                 {id, int64_t{disabled}})
            .empty()) {
      return NotFound("there is no user with that id");
    }
    // Its sessions end now, so enabling the account again does not bring them back.
    if (disabled) tx.Query("DELETE FROM sessions WHERE user_id = $1", {id});
    InsertEvent(tx, event);
    return Status::Ok();
  });
}

Status SqlStore::SetUserRole(int64_t id, domain::Role role, const domain::Event& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    // The enabled admins, locked: two admins demoting each other at once cannot both pass.
    const std::string admin(domain::RoleName(domain::Role::kAdmin));
    Rows admins = tx.Query("SELECT id FROM users WHERE role = $1 AND disabled = 0" +
                               std::string(db_->dialect().for_update),
                           {admin});
    Rows user = tx.Query("SELECT role, disabled FROM users WHERE id = $1", {id});
    if (user.empty()) return NotFound("there is no user with that id");
    const bool enabled_admin = user[0].Text(0) == admin && !user[0].Flag(1);
    if (enabled_admin && role != domain::Role::kAdmin && admins.size() <= 1) {
      return FailedPrecondition(
          "this is the last admin account: make another account an admin first");
    }
    tx.Query("UPDATE users SET role = $2 WHERE id = $1", {id, std::string(domain::RoleName(role))});
    InsertEvent(tx, event);
    return Status::Ok();
  });
}

Status SqlStore::CreateSession(const Session& s) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (tx.Query("SELECT id FROM users WHERE id = $1", {s.user_id}).empty()) {
      return NotFound("there is no user with that id");
    }
    if (tx.Query("INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) "
                 "VALUES ($1, $2, $3, $4) ON CONFLICT (token_hash) DO NOTHING RETURNING user_id",
                 {s.token_hash, s.user_id, s.csrf_token, s.expires_at})
            .empty()) {
      return AlreadyExists("a session with that token already exists");
    }
    return Status::Ok();
  });
}

Result<Session> SqlStore::FindSession(const std::string& token_hash, UnixMillis now) {
  return InTx<Session>(TxMode::kRead, [&](Tx& tx) -> Result<Session> {
    Rows r = tx.Query(
        "SELECT s.token_hash, s.user_id, s.csrf_token, s.expires_at, u.must_change_password "
        "FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.token_hash = $1 AND s.expires_at > $2",
        {token_hash, now});
    if (r.empty()) return NotFound("there is no live session with that token");
    return Session{r[0].Text(0), r[0].Int(1), r[0].Text(2), r[0].Int(3), r[0].Flag(4)};
  });
}

Status SqlStore::DeleteSession(const std::string& token_hash) {
  // Deleting a session that is already gone is fine: signing out twice signs out.
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    tx.Query("DELETE FROM sessions WHERE token_hash = $1", {token_hash});
    return Status::Ok();
  });
}

Status SqlStore::RememberLoginAddress(int64_t user_id, const std::string& address,
                                      UnixMillis until) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (tx.Query("SELECT id FROM users WHERE id = $1", {user_id}).empty()) {
      return NotFound("there is no user with that id");
    }
    tx.Query(
        "INSERT INTO login_addresses (user_id, address, expires_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (user_id, address) DO UPDATE SET expires_at = excluded.expires_at",
        {user_id, address, until});
    return Status::Ok();
  });
}

Result<bool> SqlStore::IsKnownLoginAddress(int64_t user_id, const std::string& address,
                                           UnixMillis now) {
  return InTx<bool>(TxMode::kRead, [&](Tx& tx) -> Result<bool> {
    return !tx.Query(
                  "SELECT 1 FROM login_addresses "
                  "WHERE user_id = $1 AND address = $2 AND expires_at > $3",
                  {user_id, address, now})
                .empty();
  });
}

Status SqlStore::SetPasswordHash(int64_t id, const std::string& password_hash, bool must_change,
                                 const domain::Event& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (tx.Query("UPDATE users SET password_hash = $2, must_change_password = $3 WHERE id = $1 "
                 "RETURNING id",
                 {id, password_hash, int64_t{must_change}})
            .empty()) {
      return NotFound("there is no user with that id");
    }
    tx.Query("DELETE FROM sessions WHERE user_id = $1", {id});
    tx.Query("DELETE FROM login_addresses WHERE user_id = $1", {id});
    InsertEvent(tx, event);
    return Status::Ok();
  });
}

Result<int64_t> SqlStore::PurgeSessions(UnixMillis now) {
  return InTx<int64_t>(TxMode::kWrite, [&](Tx& tx) -> Result<int64_t> {
    const size_t sessions =
        tx.Query("DELETE FROM sessions WHERE expires_at <= $1 RETURNING user_id", {now}).size();
    const size_t addresses =
        tx.Query("DELETE FROM login_addresses WHERE expires_at <= $1 RETURNING user_id", {now})
            .size();
    return static_cast<int64_t>(sessions + addresses);
  });
}

Result<int64_t> SqlStore::CreatePartner(const domain::PartnerClient& p) {
  return InTx<int64_t>(TxMode::kWrite, [&](Tx& tx) -> Result<int64_t> {
    Rows r = tx.Query(
        "INSERT INTO partners (name, key_hash, scopes, revoked, created_at) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key_hash) DO NOTHING RETURNING id",
        {p.name, p.key_hash, JoinScopes(p.scopes), int64_t{p.revoked}, p.created_at});
    if (r.empty()) return AlreadyExists("a partner with that key already exists");
    return r[0].Int(0);
  });
}

Result<domain::PartnerClient> SqlStore::FindPartnerByKeyHash(const std::string& key_hash) {
  return InTx<domain::PartnerClient>(TxMode::kRead, [&](Tx& tx) -> Result<domain::PartnerClient> {
    Rows r = tx.Query(std::string(kPartnerColumns) + " WHERE key_hash = $1", {key_hash});
    if (r.empty()) return NotFound("there is no partner with that key");
    return ReadPartner(r[0]);
  });
}

Result<std::vector<domain::PartnerClient>> SqlStore::ListPartners() {
  return InTx<std::vector<domain::PartnerClient>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<domain::PartnerClient>> {
        std::vector<domain::PartnerClient> out;
        for (const Row& r : tx.Query(std::string(kPartnerColumns) + " ORDER BY id")) {
          out.push_back(ReadPartner(r));
        }
        return out;
      });
}

Status SqlStore::RevokePartner(int64_t id, const domain::Event& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (tx.Query("UPDATE partners SET revoked = 1 WHERE id = $1 RETURNING id", {id}).empty()) {
      return NotFound("there is no partner with that id");
    }
    InsertEvent(tx, event);
    return Status::Ok();
  });
}

Status SqlStore::AddFeedback(const Feedback& f) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (tx.Query("SELECT id FROM partners WHERE id = $1", {f.partner_id}).empty()) {
      return NotFound("there is no partner with that id");
    }
    // Only about a hash the partner can see: one of a case whose survivor consented to sharing.
    if (tx.Query("SELECT h.id FROM media_hashes h JOIN cases c ON c.id = h.case_id "
                 "WHERE h.id = $1 AND c.consent_share = 1",
                 {f.hash_id})
            .empty()) {
      return NotFound("no shared hash has that id");
    }
    tx.Query(
        "INSERT INTO feedback (partner_id, hash_id, verdict, url, at) VALUES ($1, $2, $3, $4, $5)",
        {f.partner_id, f.hash_id, f.verdict, f.url, f.at});
    return Status::Ok();
  });
}

}  // namespace takedown::store
