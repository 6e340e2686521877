// Store::Open: picks the backend from the URL, migrates, and wraps it in the SQL Store.
#include "store/store.h"

#include "store/postgres_database.h"
#include "store/sql_store.h"
#include "store/sqlite_database.h"

namespace takedown::store {

Result<std::unique_ptr<Store>> Store::Open(const std::string& url) {
  std::unique_ptr<Database> db;
  std::span<const Migration> migrations;
  if (url.starts_with("sqlite:")) {
    auto sqlite = SqliteDatabase::Open(url.substr(std::string_view("sqlite:").size()));
    if (!sqlite.ok()) return sqlite.status();
    db = std::move(*sqlite);
    migrations = SqliteMigrations();
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    auto postgres = OpenPostgres(url);
    if (!postgres.ok()) return postgres.status();
    db = std::move(*postgres);
    migrations = PostgresMigrations();
  } else {
    return InvalidArgument(
        "the database URL must start with sqlite: or postgresql:// (or postgres://)");
  }
  auto version = db->Migrate(migrations);
  if (!version.ok()) return version.status();
  return std::unique_ptr<Store>(std::make_unique<SqlStore>(std::move(db), *version));
}

}  // namespace takedown::store
