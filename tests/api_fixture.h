// Test-only: the fixture of the HTTP API tests (api_test.cc, api_casework_test.cc): the real
// `takedown serve` on an ephemeral port over each database, with helpers for sessions, requests
// and the manual clock.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>

#include "api_backends.h"
#include "base/clock.h"
#include "response_recorder.h"
#include "server_process.h"

namespace takedown {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr char kPdqA[] = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
// kPdqA with 10 bits flipped: a match at radius 31.
constexpr char kPdqNear[] = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c98dd";
constexpr char kPdqB[] = "0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff";

inline std::string Basic(const std::string& user, const std::string& secret) {
  const std::string raw = user + ":" + secret;
  std::string out(sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return "Basic " + out;
}

struct Session {
  std::string cookie, csrf;
};

class Api : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-api-XXXXXX";
    dir_ = mkdtemp(tmpl);
    auto backend = testing::BackendArgs(GetParam(), dir_);
    if (!backend.available) {
      if (store::testing::PostgresCluster::Required()) FAIL() << backend.why;
      GTEST_SKIP() << backend.why;
    }
    // The discovery worker runs in the server; it reaches only forum.example on loopback.
    std::vector<std::string> args = {"--data",
                                     dir_.string(),
                                     "--clock",
                                     "manual",
                                     "--clock-start",
                                     "2026-01-01T00:00:00Z",
                                     "--no-dns",
                                     "--fetch-allow",
                                     "127.0.0.0/8",
                                     "--fetch-resolve",
                                     "forum.example=127.0.0.1",
                                     "--org-name",
                                     "Harbour Support",
                                     "--org-email",
                                     "help@harbour.example",
                                     "--org-signatory",
                                     "Maria Chan"};
    args.insert(args.end(), backend.args.begin(), backend.args.end());
    database_args_ =
        backend.args.empty()
            ? std::vector<std::string>{"--database", "sqlite:" + (dir_ / "takedown.db").string()}
            : backend.args;
    server_ = std::make_unique<testing::ServerProcess>(args);
    ASSERT_GT(server_->port(), 0) << server_->output();
    ASSERT_FALSE(server_->admin_password().empty()) << server_->output();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    // The API contract test (web/contract) checks every answer against docs/openapi.yaml.
    if (const char* file = std::getenv("TAKEDOWN_API_RECORD")) {
      testing::RecordResponses(*client_, file);
    }
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  httplib::Result Post(const std::string& path, const json& body, httplib::Headers headers = {}) {
    return client_->Post(path.c_str(), headers, body.dump(), "application/json");
  }
  Session Login(const std::string& user, const std::string& password) {
    auto res = Post("/api/v1/login", {{"username", user}, {"password", password}});
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    if (!res || res->status != 200) return {};
    const std::string set = res->get_header_value("Set-Cookie");
    EXPECT_NE(set.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(set.find("Secure"), std::string::npos);
    return {set.substr(0, set.find(';')), json::parse(res->body)["csrf_token"]};
  }
  httplib::Headers Auth(const Session& s) {
    return {{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}};
  }
  Session Admin() { return Login("admin", server_->admin_password()); }
  // Creates a user with `role` and logs in.
  Session UserWithRole(const std::string& name, const std::string& role) {
    auto res = Post("/api/v1/users",
                    {{"username", name}, {"password", "correct horse battery"}, {"role", role}},
                    Auth(Admin()));
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
    return Login(name, "correct horse battery");
  }
  json Intake(bool consent, const std::string& pdq = kPdqA) {
    auto res = Post("/api/v1/intake", {{"images", {{{"pdq", pdq}, {"quality", 90}}}},
                                       {"urls", {"https://www.instagram.com/p/abc/", "ftp://x"}},
                                       {"jurisdiction", "HK"},
                                       {"language", "zh-Hant"},
                                       {"contact", "Signal +852 5555 0000"},
                                       {"consent_share", consent}});
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
    return res && res->status == 201 ? json::parse(res->body) : json::object();
  }
  // Her status page's answer (GET /api/v1/status with the receipt's code and PIN); {} if refused.
  json HerStatus(const json& receipt) {
    auto res = client_->Get("/api/v1/status",
                            {{"Authorization", Basic(receipt["code"].get<std::string>(),
                                                     receipt["pin"].get<std::string>())}});
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    return res && res->status == 200 ? json::parse(res->body) : json::object();
  }
  // An intake (Intake(false)), then its case's notices drafted as `who`: the case's path and the
  // first draft; {} when either was refused.
  std::pair<std::string, json> IntakeAndDraft(const Session& who) {
    Intake(false);
    const json cases = json::parse(client_->Get("/api/v1/cases", {{"Cookie", who.cookie}})->body);
    const std::string case_path =
        "/api/v1/cases/" + std::to_string(cases["cases"][0]["id"].get<int64_t>());
    auto drafted = Post(case_path + "/notices", json::object(), Auth(who));
    EXPECT_TRUE(drafted && drafted->status == 201) << (drafted ? drafted->body : "no answer");
    if (!drafted || drafted->status != 201) return {case_path, json::object()};
    return {case_path, json::parse(drafted->body)["notices"][0]};
  }
  std::string PartnerKey(const std::vector<std::string>& scopes) {
    auto res =
        Post("/api/v1/partners", {{"name", "Example Platform"}, {"scopes", scopes}}, Auth(Admin()));
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
    return json::parse(res->body)["api_key"];
  }
  void AdvanceClock(int64_t ms) {
    auto res = Post("/api/v1/admin/clock", {{"advance_ms", ms}}, Auth(Admin()));
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  }

  fs::path dir_;
  std::vector<std::string> database_args_;  // "--database URL" naming the server's database
  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace takedown
