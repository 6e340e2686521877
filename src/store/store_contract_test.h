// The Store contract tests' fixture, shared by store_contract_test.cc and
// store_contract_jobs_test.cc: every test runs once per backend ("sqlite" on a temporary file,
// "postgresql" on a fresh database in a throw-away cluster; see store/testing/postgres_cluster.h).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"
#include "store/testing/postgres_cluster.h"

namespace takedown::store {

inline constexpr UnixMillis kT0 = 1'800'000'000'000;
// The newest migration's number: bump it with each new migrations/<backend>/NNNN_*.sql.
inline constexpr int kSchemaVersion = 12;

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-store-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto url = NewUrl();
    if (!url.ok()) {
      if (testing::PostgresCluster::Required()) FAIL() << url.status().message();
      GTEST_SKIP() << url.status().message();
    }
    url_ = *url;
    store_ = Open(url_);
    ASSERT_NE(store_, nullptr);
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // A URL for a database nobody has opened yet: a new file, or a new PostgreSQL database.
  Result<std::string> NewUrl() {
    if (GetParam() == "sqlite") return "sqlite:" + dir_ + "/db" + std::to_string(++files_);
    return testing::PostgresCluster::Get().NewDatabase();
  }

  static std::unique_ptr<Store> Open(const std::string& url) {
    auto store = Store::Open(url);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // A distinct 64-hex PDQ for each n.
  static std::string Pdq(int n) {
    std::string hex = std::to_string(n);
    return std::string(64 - hex.size(), 'a') + hex;
  }

  static domain::Sighting Seen(const std::string& url, UnixMillis at = kT0) {
    domain::Sighting s;
    s.url = url;
    s.normalized_url = url;
    s.platform = "example";
    s.host = "example.com";
    s.first_seen = at;
    s.evidence_json = "{}";
    return s;
  }

  static NewCase MakeCase(const std::string& code, bool consent, int hashes,
                          const std::vector<std::string>& urls = {}, UnixMillis now = kT0) {
    NewCase c;
    c.code = code;
    c.pin_hash = "$argon2id$pin";
    c.jurisdiction = "EU";
    c.language = "en";
    c.consent_share = consent;
    c.contact_ciphertext = "sealed-contact";
    c.now = now;
    for (int i = 0; i < hashes; ++i) {
      domain::MediaHash h;
      h.pdq = Pdq(next_hash_++);
      h.quality = 90;
      h.md5 = std::string(32, 'b');
      h.created_at = now;
      c.hashes.push_back(h);
    }
    for (const std::string& url : urls) c.sightings.push_back(Seen(url, now));
    return c;
  }

  int64_t Create(const NewCase& c) {
    auto id = store_->CreateCase(c);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }

  static domain::Event Ev(std::optional<int64_t> case_id, const std::string& action,
                          const std::string& detail = "{}", UnixMillis at = kT0) {
    return {0, case_id, "user:1", action, detail, at};
  }

  std::string dir_, url_;
  std::unique_ptr<Store> store_;
  int files_ = 0;
  static inline int next_hash_ = 0;
};

}  // namespace takedown::store
