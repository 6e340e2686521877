// Internal to store/: the small SQL surface the Store logic (sql_store.cc) needs from a database,
// so the Store's queries are written once for SQLite and PostgreSQL. Queries use $1, $2, ...
// placeholders on both backends; values travel as text or integers. A backend's failures are
// thrown as DbError inside a transaction and become a Status when the transaction ends, so no
// exception leaves the module.
#pragma once

#include <charconv>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/status.h"

namespace takedown::store {

// A query parameter: NULL, an integer or a text.
using Param = std::variant<std::nullptr_t, int64_t, std::string>;
using Params = std::vector<Param>;

inline Param NullableInt(std::optional<int64_t> v) {
  if (v) return *v;
  return nullptr;
}
// Empty as NULL: for columns unique only when set (idempotency keys).
inline Param NullableText(const std::string& v) {
  if (v.empty()) return nullptr;
  return v;
}

// One result row; columns are read by position (the queries name them in a fixed order).
// Copyable value, not shared.
class Row {
 public:
  explicit Row(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}
  bool IsNull(size_t i) const { return !cells_.at(i).has_value(); }
  std::string Text(size_t i) const { return cells_.at(i).value_or(""); }
  int64_t Int(size_t i) const;  // 0 for NULL
  int IntSmall(size_t i) const { return static_cast<int>(Int(i)); }
  bool Flag(size_t i) const { return Int(i) != 0; }
  std::optional<int64_t> OptInt(size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Int(i);
  }

 private:
  std::vector<std::optional<std::string>> cells_;
};
using Rows = std::vector<Row>;

// Thrown inside a transaction; Database::Transact turns it into a Status. `what` is a generic
// sentence fit for a caller (never SQL text nor the driver's message, which may quote data).
class DbError : public std::runtime_error {
 public:
  DbError(StatusCode code, const std::string& what) : std::runtime_error(what), code_(code) {}
  StatusCode code() const { return code_; }

 private:
  StatusCode code_;
};

inline int64_t Row::Int(size_t i) const {
  const std::optional<std::string>& cell = cells_.at(i);
  if (!cell) return 0;
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(cell->data(), cell->data() + cell->size(), v);
  if (ec != std::errc() || end != cell->data() + cell->size()) {
    throw DbError(StatusCode::kInternal, "the database returned a number that cannot be read");
  }
  return v;
}

// For a stored name (a state, a role) that this version does not know: a newer version wrote it.
template <typename E>
E Known(std::optional<E> parsed) {
  if (!parsed) {
    throw DbError(StatusCode::kInternal, "the database holds a value this version cannot read");
  }
  return *parsed;
}

// An open transaction. Used by one thread, only inside Database::Transact.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual Rows Query(std::string_view sql, const Params& params = {}) = 0;
};

// The few places where the SQL differs between backends.
struct Dialect {
  // Appended to a SELECT that reads rows it is about to change.
  std::string_view for_update;
  // Appended to the job claim's SELECT so concurrent workers pass over each other's rows.
  std::string_view skip_locked;
  // Run before appending to hash_feed, or empty. PostgreSQL hands out sequence values at insert
  // time, not commit time: without serialising the writers, a partner could read cursor 11
  // before cursor 10 commits and never see 10.
  std::string_view lock_feed;
};

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

enum class TxMode { kRead, kWrite };

// A connection (or pool of them) to one database. Thread-safe.
class Database {
 public:
  virtual ~Database() = default;
  virtual std::string Backend() const = 0;
  virtual const Dialect& dialect() const = 0;
  // Applies the migrations newer than the stored version, each with its schema_migrations row,
  // safely against other processes doing the same; returns the version reached.
  virtual Result<int> Migrate(std::span<const Migration> migrations) = 0;
  // Runs `body` in one transaction: committed when it returns OK, rolled back when it returns an
  // error or throws DbError.
  virtual Status Transact(TxMode mode, const std::function<Status(Tx&)>& body) = 0;
  // Makes what committed deletions removed unrecoverable from the database's own files, as far as
  // the backend lets a client: after a survivor's erase, nothing of hers may linger on disk.
  virtual Status ForgetDeleted() = 0;
};

// The migrations embedded at build time from migrations/<backend>/NNNN_name.sql.
std::span<const Migration> SqliteMigrations();
std::span<const Migration> PostgresMigrations();

}  // namespace takedown::store
