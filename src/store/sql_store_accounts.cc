// SqlStore: users, sessions, partners and their feedback, PIN throttles.
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
        "SELECT token_hash, user_id, csrf_token, expires_at FROM sessions "
        "WHERE token_hash = $1 AND expires_at > $2",
        {token_hash, now});
    if (r.empty()) return NotFound("there is no live session with that token");
    return Session{r[0].Text(0), r[0].Int(1), r[0].Text(2), r[0].Int(3)};
  });
}

Status SqlStore::DeleteSession(const std::string& token_hash) {
  // Deleting a session that is already gone is fine: signing out twice signs out.
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    tx.Query("DELETE FROM sessions WHERE token_hash = $1", {token_hash});
    return Status::Ok();
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

Result<Throttle> SqlStore::GetThrottle(const std::string& key) {
  return InTx<Throttle>(TxMode::kRead, [&](Tx& tx) -> Result<Throttle> {
    Rows r = tx.Query("SELECT failures, window_start, locked_until FROM throttles WHERE key = $1",
                      {key});
    if (r.empty()) return Throttle{};
    return Throttle{r[0].IntSmall(0), r[0].Int(1), r[0].Int(2)};
  });
}

Status SqlStore::PutThrottle(const std::string& key, const Throttle& t) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    tx.Query(
        "INSERT INTO throttles (key, failures, window_start, locked_until) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
        "window_start = excluded.window_start, locked_until = excluded.locked_until",
        {key, int64_t{t.failures}, t.window_start, t.locked_until});
    return Status::Ok();
  });
}

Status SqlStore::ClearThrottle(const std::string& key) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    tx.Query("DELETE FROM throttles WHERE key = $1", {key});
    return Status::Ok();
  });
}

}  // namespace takedown::store
