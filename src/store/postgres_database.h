// Internal to store/: PostgreSQL (libpqxx) behind the Database interface, for the deployment
// where many `takedown serve` and `takedown worker` processes share one system of record.
#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace takedown::store {

// A pool of up to `pool_size` connections to `url` (a libpq URI,
// "postgresql://user@host:port/db"), opened on demand: the first transaction (or Migrate) reports
// kUnavailable when the server cannot be reached. The result is thread-safe.
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, int pool_size = 4);

}  // namespace takedown::store
