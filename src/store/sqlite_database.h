// Internal to store/: SQLite behind the Database interface. One connection per Database, in WAL
// mode with synchronous=FULL (a commit is on disk when it returns), foreign keys on, secure_delete
// on (deleted rows are overwritten with zeros, not left in free space), the log truncated back to
// journal_size_limit after checkpoints, and a 5 s busy timeout for other processes (or other
// Database objects) writing the same file.
//
// Thread-safe: a mutex serialises every transaction on the one connection, reads included. SQLite
// admits one writer at a time anyway, and the embedded deployment is one box with modest traffic,
// so a single connection keeps the code simple and every read sees the latest commit.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "store/database.h"

namespace takedown::store {

class SqliteDatabase : public Database {
 public:
  // Opens (creating it, readable by its owner only, when missing) the database file at `path`.
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path);
  ~SqliteDatabase() override;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  std::string Backend() const override { return "sqlite"; }
  const Dialect& dialect() const override;
  Result<int> Migrate(std::span<const Migration> migrations) override;
  Status Transact(TxMode mode, const std::function<Status(Tx&)>& body) override;
  // Deleted content is zeroed as it is deleted (secure_delete), but the write-ahead log still
  // holds the pages as they were until a checkpoint: this checkpoints and truncates it to zero
  // bytes, waiting (busy timeout) for other connections' readers to finish.
  Status ForgetDeleted() override;

 private:
  class SqliteTx;
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}

  // Runs SQL without parameters or results (pragmas, BEGIN, migration scripts); throws DbError.
  void Exec(const std::string& sql);
  // The prepared statement for `sql` ($N placeholders), prepared once and kept.
  sqlite3_stmt* Statement(std::string_view sql);
  [[noreturn]] void Fail(int rc) const;

  std::mutex mu_;
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace takedown::store
