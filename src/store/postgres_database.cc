#include "store/postgres_database.h"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <vector>

namespace takedown::store {
namespace {

// Advisory lock keys: arbitrary, but fixed forever, since processes of different versions must
// agree on them.
constexpr int64_t kMigrationLock = 7'460'393'041'001;
constexpr std::string_view kLockFeed = "SELECT pg_advisory_xact_lock(7460393041002)";

using Connection = std::unique_ptr<pqxx::connection>;

Status FromSqlState(const std::string& state) {
  const std::string cls = state.substr(0, 2);
  // Connection trouble, resources, operator intervention (shutdown, cancel), lock timeouts:
  // conditions that pass, so the caller may retry.
  if (cls == "08" || cls == "53" || cls == "57" || state == "55P03") {
    return Unavailable("the database is busy or unreachable; try again in a moment");
  }
  return Internal("the database failed unexpectedly (PostgreSQL error " + state + ")");
}

// Runs `f`, turning libpqxx's exceptions and DbError into a Status. `lost` (when given) tells
// whether the connection broke before any commit was attempted.
Status Guarded(const std::function<Status()>& f, bool* lost = nullptr) {
  try {
    return f();
  } catch (const pqxx::in_doubt_error&) {
    return Unavailable("the database connection was lost while saving; the change may be lost");
  } catch (const pqxx::broken_connection&) {
    if (lost != nullptr) *lost = true;
    return Unavailable("the database connection was lost; try again in a moment");
  } catch (const pqxx::transaction_rollback&) {
    return Unavailable("the database was busy with a conflicting change; try again");
  } catch (const pqxx::sql_error& e) {
    return FromSqlState(e.sqlstate());
  } catch (const DbError& e) {
    return Status(e.code(), e.what());
  } catch (const std::exception&) {
    return Internal("the store failed unexpectedly");
  }
}

// A Tx over one libpqxx transaction; used by one thread, inside PostgresDatabase::Transact.
class PgTx : public Tx {
 public:
  explicit PgTx(pqxx::transaction_base& t) : t_(t) {}

  Rows Query(std::string_view sql, const Params& params) override {
    std::vector<std::optional<std::string>> values;
    values.reserve(params.size());
    for (const Param& p : params) {
      if (const auto* v = std::get_if<int64_t>(&p)) {
        values.emplace_back(std::to_string(*v));
      } else if (const auto* s = std::get_if<std::string>(&p)) {
        values.emplace_back(*s);
      } else {
        values.emplace_back(std::nullopt);
      }
    }
    const pqxx::result r =
        t_.exec_params(std::string(sql), pqxx::prepare::make_dynamic_params(values));
    Rows rows;
    rows.reserve(r.size());
    for (const pqxx::row& row : r) {
      std::vector<std::optional<std::string>> cells(row.size());
      for (size_t c = 0; c < row.size(); ++c) {
        const pqxx::field f = row[static_cast<pqxx::row::size_type>(c)];
        if (!f.is_null()) cells[c].emplace(f.c_str(), f.size());
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

 private:
  pqxx::transaction_base& t_;
};

// Thread-safe: the pool hands each transaction a connection of its own; a caller waits when all
// `max_` are in use. Broken connections are dropped and replaced on demand.
class PostgresDatabase : public Database {
 public:
  PostgresDatabase(std::string url, int max) : url_(std::move(url)), max_(max) {}

  std::string Backend() const override { return "postgresql"; }

  const Dialect& dialect() const override {
    static constexpr Dialect kPostgres{" FOR UPDATE", " FOR UPDATE SKIP LOCKED", kLockFeed};
    return kPostgres;
  }

  Result<int> Migrate(std::span<const Migration> migrations) override {
    auto conn = Acquire();
    if (!conn.ok()) return conn.status();
    int version = 0;
    // The transaction-scoped advisory lock makes processes that start together migrate one after
    // the other; PostgreSQL's DDL is transactional, so a failed migration leaves nothing behind.
    Status s = Guarded([&] {
      pqxx::work w(**conn);
      w.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
      w.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          "version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
      version = w.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0][0].as<int>();
      for (const Migration& m : migrations) {
        if (m.version <= version) continue;
        w.exec(std::string(m.sql));
        // The database's clock: no caller's Clock exists yet, and this is bookkeeping only.
        w.exec_params(
            "INSERT INTO schema_migrations (version, applied_at) "
            "VALUES ($1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)",
            m.version);
        version = m.version;
      }
      w.commit();
      return Status::Ok();
    });
    Release(std::move(*conn));
    if (!s.ok()) return s;
    return version;
  }

  Status Transact(TxMode mode, const std::function<Status(Tx&)>& body) override {
    // A pooled connection may have died since its last use (a server restart, an idle timeout).
    // Nothing was committed on it, so the transaction runs once more on a fresh connection.
    for (int attempt = 0;; ++attempt) {
      auto conn = Acquire();
      if (!conn.ok()) return conn.status();
      bool lost = false;
      Status s = Guarded(
          [&] {
            return mode == TxMode::kRead ? Run<pqxx::read_transaction>(**conn, body)
                                         : Run<pqxx::work>(**conn, body);
          },
          &lost);
      Release(std::move(*conn));
      if (!lost || attempt == 1) return s;
    }
  }

  // PostgreSQL keeps deleted rows until VACUUM reuses their space and its own log until it
  // recycles the segments, neither of which a client can force to zero bytes: the server's disk
  // encryption and retention are the operator's (docs/storage.md, "Erasure").
  Status ForgetDeleted() override { return Status::Ok(); }

 private:
  Result<Connection> Acquire() {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
      if (!idle_.empty()) {
        Connection c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
      ++open_;
    }
    try {
      return std::make_unique<pqxx::connection>(url_);
    } catch (const std::exception&) {
      Release(nullptr);
      return Unavailable("cannot connect to the PostgreSQL database");
    }
  }

  template <typename Transaction>
  static Status Run(pqxx::connection& c, const std::function<Status(Tx&)>& body) {
    Transaction t(c);
    PgTx tx(t);
    Status s = body(tx);
    if (s.ok()) t.commit();  // otherwise the destructor rolls back
    return s;
  }

  // Returns a connection to the pool; a broken or missing one frees its place for a new one.
  void Release(Connection c) {
    {
      std::lock_guard lock(mu_);
      if (c && c->is_open()) {
        idle_.push_back(std::move(c));
      } else {
        --open_;
      }
    }
    cv_.notify_one();
  }

  const std::string url_;
  const int max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Connection> idle_;
  int open_ = 0;  // connections in existence, idle or lent
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, int pool_size) {
  return std::unique_ptr<Database>(std::make_unique<PostgresDatabase>(url, pool_size));
}

}  // namespace takedown::store
