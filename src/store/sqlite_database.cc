#include "store/sqlite_database.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <thread>

namespace takedown::store {
namespace {

// What the log is cut back to after a checkpoint (SQLite otherwise leaves it at its largest),
// so old page images do not linger in it for long.
constexpr int64_t kJournalSizeLimit = 4 << 20;

bool IsBusy(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// SQLite numbers ?NNN parameters explicitly; PostgreSQL's $N maps onto them one to one.
std::string ToSqlitePlaceholders(std::string_view sql) {
  std::string out(sql);
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '$' && std::isdigit(static_cast<unsigned char>(out[i + 1]))) out[i] = '?';
  }
  return out;
}

}  // namespace

// A Tx over the one connection; used only inside Transact, which holds the mutex.
class SqliteDatabase::SqliteTx : public Tx {
 public:
  explicit SqliteTx(SqliteDatabase& db) : db_(db) {}

  Rows Query(std::string_view sql, const Params& params) override {
    sqlite3_stmt* stmt = db_.Statement(sql);
    // Reset even when a bind or step throws, so the cached statement is clean for the next use.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      if (const auto* v = std::get_if<int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(stmt, index, *v);
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(stmt, index);
      }
      if (rc != SQLITE_OK) db_.Fail(rc);
    }
    Rows rows;
    const int columns = sqlite3_column_count(stmt);
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) db_.Fail(rc);
      std::vector<std::optional<std::string>> cells(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) continue;
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        cells[static_cast<size_t>(c)].emplace(text,
                                              static_cast<size_t>(sqlite3_column_bytes(stmt, c)));
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

 private:
  SqliteDatabase& db_;
};

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path) {
  if (path.empty()) return InvalidArgument("the SQLite database URL names no file (sqlite:PATH)");
  // Created here rather than by SQLite so survivors' records are never readable by others; SQLite
  // gives its -wal and -shm files the same mode.
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("cannot open or create the database file " + path);
  ::close(fd);
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(raw));  // closes `raw` even on failure
  if (rc != SQLITE_OK) return IoError("cannot open the database file " + path);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  // Switching a new file to WAL needs the file to itself, and SQLite answers BUSY at once (its
  // busy handler is not asked) while another process or thread is opening the same new file:
  // retry for up to the busy timeout.
  for (int attempt = 0;; ++attempt) {
    const int wal = sqlite3_exec(raw, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (wal == SQLITE_OK) break;
    if (!IsBusy(wal) || attempt == 100) {
      return Status(IsBusy(wal) ? StatusCode::kUnavailable : StatusCode::kIoError,
                    "cannot switch the database file " + path +
                        " to WAL (SQLite: " + sqlite3_errstr(wal) + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  try {
    db->Exec("PRAGMA synchronous=FULL");
    db->Exec("PRAGMA foreign_keys=ON");
    db->Exec("PRAGMA secure_delete=ON");
    db->Exec("PRAGMA journal_size_limit=" + std::to_string(kJournalSizeLimit));
  } catch (const DbError& e) {
    return Status(e.code(), e.what());
  }
  return db;
}

SqliteDatabase::~SqliteDatabase() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

const Dialect& SqliteDatabase::dialect() const {
  // One writer at a time (BEGIN IMMEDIATE) makes row locks unnecessary.
  static constexpr Dialect kSqlite{"", "", ""};
  return kSqlite;
}

void SqliteDatabase::Fail(int rc) const {
  if (IsBusy(rc)) {
    throw DbError(StatusCode::kUnavailable, "the database is busy; try again in a moment");
  }
  throw DbError(StatusCode::kInternal, std::string("the database failed unexpectedly (SQLite: ") +
                                           sqlite3_errstr(rc) + ")");
}

void SqliteDatabase::Exec(const std::string& sql) {
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) Fail(rc);
}

sqlite3_stmt* SqliteDatabase::Statement(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it != statements_.end()) return it->second;
  const std::string translated = ToSqlitePlaceholders(sql);
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, translated.c_str(), static_cast<int>(translated.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) Fail(rc);
  statements_.emplace(std::string(sql), stmt);
  return stmt;
}

Result<int> SqliteDatabase::Migrate(std::span<const Migration> migrations) {
  int version = 0;
  // BEGIN IMMEDIATE takes the write lock first, so processes opening the same file at once
  // migrate one after the other and each sees the version the previous one reached.
  Status s = Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
    version = tx.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0].IntSmall(0);
    for (const Migration& m : migrations) {
      if (m.version <= version) continue;
      Exec(std::string(m.sql));
      // The database's clock: no caller's Clock exists yet, and this is bookkeeping only.
      tx.Query(
          "INSERT INTO schema_migrations (version, applied_at) "
          "VALUES ($1, CAST(strftime('%s', 'now') AS INTEGER) * 1000)",
          {int64_t{m.version}});
      version = m.version;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return version;
}

Status SqliteDatabase::ForgetDeleted() {
  std::lock_guard lock(mu_);
  int log_frames = -1, checkpointed = -1;
  const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames,
                                           &checkpointed);
  if (rc == SQLITE_OK) return Status::Ok();
  return Status(IsBusy(rc) ? StatusCode::kUnavailable : StatusCode::kIoError,
                std::string("the write-ahead log could not be truncated (SQLite: ") +
                    sqlite3_errstr(rc) + ")");
}

Status SqliteDatabase::Transact(TxMode mode, const std::function<Status(Tx&)>& body) {
  std::lock_guard lock(mu_);
  try {
    // IMMEDIATE takes the write lock at BEGIN, where the busy timeout applies; a deferred
    // transaction that upgrades later can fail at once with SQLITE_BUSY instead of waiting.
    Exec(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
  } catch (const DbError& e) {
    return Status(e.code(), e.what());
  }
  Status result;
  try {
    SqliteTx tx(*this);
    result = body(tx);
    if (result.ok()) {
      Exec("COMMIT");
      return result;
    }
  } catch (const DbError& e) {
    result = Status(e.code(), e.what());
  } catch (const std::exception&) {
    result = Internal("the store failed unexpectedly");
  }
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  return result;
}

}  // namespace takedown::store
