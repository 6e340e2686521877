// Test-only: the database arguments for `takedown serve` per backend. "sqlite" is the default
// (a database in the data folder); "postgresql" gets a fresh database in a throw-away cluster
// this test binary starts on loopback once (see store/testing/postgres_cluster.h).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "store/testing/postgres_cluster.h"

namespace takedown::testing {

struct BackendSetup {
  bool available = true;
  std::string why;  // when not available
  std::vector<std::string> args;
};

inline BackendSetup BackendArgs(const std::string& backend, const std::filesystem::path&) {
  if (backend == "sqlite") return {};
  auto url = store::testing::PostgresCluster::Get().NewDatabase();
  if (!url.ok()) return {false, url.status().message(), {}};
  return {true, "", {"--database", *url}};
}

}  // namespace takedown::testing
