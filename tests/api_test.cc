// The HTTP API over real HTTP against the real `takedown serve` binary on an ephemeral port, on
// each database: intake -> status -> erase, login, CSRF, roles, PIN throttling (with the manual
// clock), the partner hash feed and match, and bad input.
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

#include "api_backends.h"
#include "base/clock.h"
#include "server_process.h"

namespace takedown {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr char kPdqA[] = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
// kPdqA with 10 bits flipped: a match at radius 31.
constexpr char kPdqNear[] = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c98dd";
constexpr char kPdqB[] = "0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff";

std::string Basic(const std::string& user, const std::string& secret) {
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
    server_ = std::make_unique<testing::ServerProcess>(args);
    ASSERT_GT(server_->port(), 0) << server_->output();
    ASSERT_FALSE(server_->admin_password().empty()) << server_->output();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
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
  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_P(Api, IntakeStatusErase) {
  const json receipt = Intake(true);
  const std::string code = receipt["code"], pin = receipt["pin"];
  EXPECT_EQ(receipt["urls_accepted"], 1);
  EXPECT_EQ(receipt["url_errors"].size(), 1u) << "ftp:// is refused, the good URL kept";

  auto status = client_->Get("/api/v1/status", {{"Authorization", Basic(code, pin)}});
  ASSERT_TRUE(status && status->status == 200) << (status ? status->body : "");
  const json counts = json::parse(status->body);
  EXPECT_EQ(counts["urls_found"], 1);
  EXPECT_EQ(counts["removed"], 0);
  EXPECT_EQ(status->body.find("instagram"), std::string::npos) << "counts only, never URLs";
  // Lowercase codes are accepted (people type them).
  std::string lower = code;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  EXPECT_EQ(client_->Get("/api/v1/status", {{"Authorization", Basic(lower, pin)}})->status, 200);

  auto wrong = client_->Get("/api/v1/status", {{"Authorization", Basic(code, "00000000")}});
  EXPECT_EQ(wrong->status, 403);
  EXPECT_EQ(client_->Get("/api/v1/status")->status, 401);

  auto erase = client_->Delete("/api/v1/case", {{"Authorization", Basic(code, pin)}});
  ASSERT_EQ(erase->status, 200) << erase->body;
  EXPECT_EQ(client_->Get("/api/v1/status", {{"Authorization", Basic(code, pin)}})->status, 403);
  // Gone for caseworkers too.
  auto cases = client_->Get("/api/v1/cases", {{"Cookie", Admin().cookie}});
  EXPECT_EQ(json::parse(cases->body)["cases"].size(), 0u);
}

TEST_P(Api, CaseworkersNeedSessionsCsrfAndTheRightRole) {
  const json receipt = Intake(false);
  EXPECT_EQ(client_->Get("/api/v1/cases")->status, 401);
  auto bad_login = Post("/api/v1/login", {{"username", "admin"}, {"password", "wrong"}});
  EXPECT_EQ(bad_login->status, 401);

  const Session admin = Admin();
  auto list = client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}});
  ASSERT_EQ(list->status, 200);
  const json cases = json::parse(list->body)["cases"];
  ASSERT_EQ(cases.size(), 1u);
  const int64_t id = cases[0]["id"];
  EXPECT_EQ(cases[0]["code"], receipt["code"]);

  const std::string urls = "/api/v1/cases/" + std::to_string(id) + "/urls";
  const json paste = {
      {"text", "https://t.me/somechannel/12\nmailto:x@y\nhttps://t.me/somechannel/12"}};
  // A change without the CSRF token is refused even with a valid session.
  EXPECT_EQ(Post(urls, paste, {{"Cookie", admin.cookie}})->status, 403);
  auto added = Post(urls, paste, Auth(admin));
  ASSERT_EQ(added->status, 200) << added->body;
  const json lines = json::parse(added->body);
  EXPECT_EQ(lines["added"], 1);
  EXPECT_EQ(lines["rejected"], 1);
  EXPECT_EQ(lines["lines"][0]["platform"], "telegram");

  const Session reviewer = UserWithRole("rita", "reviewer");
  EXPECT_EQ(
      client_->Get(("/api/v1/cases/" + std::to_string(id)).c_str(), {{"Cookie", reviewer.cookie}})
          ->status,
      200);
  EXPECT_EQ(Post(urls, paste, Auth(reviewer))->status, 403) << "reviewers cannot change";
  EXPECT_EQ(client_->Get("/api/v1/users", {{"Cookie", reviewer.cookie}})->status, 403);

  // Reading a case is audited.
  auto detail =
      client_->Get(("/api/v1/cases/" + std::to_string(id)).c_str(), {{"Cookie", admin.cookie}});
  EXPECT_EQ(json::parse(detail->body)["contact"], "Signal +852 5555 0000");
  auto events = client_->Get(("/api/v1/cases/" + std::to_string(id) + "/events").c_str(),
                             {{"Cookie", admin.cookie}});
  const json timeline = json::parse(events->body);
  int reads = 0;
  for (const auto& e : timeline["events"]) reads += e["action"] == "case.read" ? 1 : 0;
  EXPECT_GE(reads, 2) << events->body;

  // The dashboard's totals and the case's notices (none drafted yet) are for any caseworker.
  auto overview = client_->Get("/api/v1/stats/overview", {{"Cookie", reviewer.cookie}});
  ASSERT_EQ(overview->status, 200);
  const json totals = json::parse(overview->body);
  EXPECT_EQ(totals["open_cases"], 1);
  EXPECT_EQ(totals["hashes"], 1);
  EXPECT_EQ(totals["sightings_by_state"]["found"], 2) << overview->body;
  auto notices = client_->Get(("/api/v1/cases/" + std::to_string(id) + "/notices").c_str(),
                              {{"Cookie", reviewer.cookie}});
  EXPECT_EQ(notices->body, R"({"notices":[]})");

  // A partner key cannot see cases, and a session cannot use partner endpoints.
  const std::string key = PartnerKey({"hashes:read", "match"});
  EXPECT_EQ(client_->Get("/api/v1/cases", {{"Authorization", "Bearer " + key}})->status, 401);
  EXPECT_EQ(client_->Get("/api/v1/stats/overview", {{"Authorization", "Bearer " + key}})->status,
            401);
  EXPECT_EQ(client_->Get("/api/v1/hashes", {{"Cookie", admin.cookie}})->status, 401);

  // Logging out ends the session.
  EXPECT_EQ(Post("/api/v1/logout", json::object(), Auth(admin))->status, 204);
  EXPECT_EQ(client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}})->status, 401);
}

TEST_P(Api, PinGuessingLocksTheCaseUntilTimePasses) {
  const json receipt = Intake(false);
  const std::string code = receipt["code"], pin = receipt["pin"];
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(
        client_
            ->Get("/api/v1/status", {{"Authorization", Basic(code, "1234567" + std::to_string(i))}})
            ->status,
        403);
  }
  auto locked = client_->Get("/api/v1/status", {{"Authorization", Basic(code, pin)}});
  EXPECT_EQ(locked->status, 429) << "locked even for the right PIN";
  EXPECT_NE(locked->body.find("try again after"), std::string::npos);
  AdvanceClock(16 * 60 * 1000);
  EXPECT_EQ(client_->Get("/api/v1/status", {{"Authorization", Basic(code, pin)}})->status, 200);
}

TEST_P(Api, PartnersSeeOnlyConsentingHashesAndDeletions) {
  const json shared = Intake(true, kPdqA);
  Intake(false, kPdqB);
  const std::string key = PartnerKey({"hashes:read", "match"});
  const httplib::Headers bearer = {{"Authorization", "Bearer " + key}};
  auto feed = client_->Get("/api/v1/hashes?since=0", bearer);
  ASSERT_EQ(feed->status, 200) << feed->body;
  json changes = json::parse(feed->body)["changes"];
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0]["pdq"], kPdqA);
  EXPECT_EQ(feed->body.find("TD-"), std::string::npos) << "no case codes";
  const int64_t next = json::parse(feed->body)["next"];

  auto match = Post("/api/v1/match", {{"hashes", {kPdqNear, kPdqB}}}, bearer);
  ASSERT_EQ(match->status, 200) << match->body;
  const json results = json::parse(match->body)["results"];
  ASSERT_EQ(results[0]["matches"].size(), 1u);
  EXPECT_EQ(results[0]["matches"][0]["distance"], 10);
  EXPECT_EQ(results[1]["matches"].size(), 0u) << "the non-consenting case's hash is not shared";

  // Erasure reaches partners as a deletion, and matching stops at once.
  ASSERT_EQ(
      client_->Delete("/api/v1/case", {{"Authorization", Basic(shared["code"], shared["pin"])}})
          ->status,
      200);
  feed = client_->Get(("/api/v1/hashes?since=" + std::to_string(next)).c_str(), bearer);
  changes = json::parse(feed->body)["changes"];
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0]["deleted"], true);
  match = Post("/api/v1/match", {{"hashes", {kPdqNear}}}, bearer);
  EXPECT_EQ(json::parse(match->body)["results"][0]["matches"].size(), 0u);

  // Scopes are enforced.
  EXPECT_EQ(Post("/api/v1/feedback", {{"hash_id", 1}, {"verdict", "removed"}}, bearer)->status,
            403);
  EXPECT_EQ(client_->Get("/api/v1/hashes", {{"Authorization", "Bearer tdk_wrong"}})->status, 401);
}

TEST_P(Api, BadInputGetsClearErrorsAndChangesNothing) {
  auto res = client_->Post("/api/v1/intake", "{not json", "application/json");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(json::parse(res->body)["error"], "the body is not valid JSON");
  res =
      Post("/api/v1/intake", {{"language", "en"}, {"images", {{{"pdq", "xyz"}, {"quality", 5}}}}});
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("image 1: pdq must be 64 hexadecimal"), std::string::npos) << res->body;
  res = Post("/api/v1/intake", {{"language", "en"}, {"urls", {"https://x.com/a"}}, {"extra", 1}});
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("unknown field \\\"extra\\\""), std::string::npos) << res->body;
  res = Post("/api/v1/intake",
             {{"language", "en"}, {"urls", {"https://x.com/a"}}, {"consent_share", "yes"}});
  EXPECT_EQ(res->status, 400);
  res = client_->Post("/api/v1/intake", std::string(2 << 20, ' '), "application/json");
  EXPECT_EQ(res->status, 413);
  res = client_->Post("/api/v1/intake", "{}", "text/plain");
  EXPECT_EQ(res->status, 415);
  // SQL meta-characters are data, stored and returned as typed.
  const std::string sneaky = "Robert'); DROP TABLE cases;--";
  res = Post("/api/v1/intake",
             {{"language", "en"}, {"urls", {"https://x.com/a?q=%27%3B--"}}, {"contact", sneaky}});
  ASSERT_EQ(res->status, 201) << res->body;
  const Session admin = Admin();
  auto list = client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}});
  const json cases = json::parse(list->body)["cases"];
  ASSERT_EQ(cases.size(), 1u);
  auto detail =
      client_->Get(("/api/v1/cases/" + std::to_string(cases[0]["id"].get<int64_t>())).c_str(),
                   {{"Cookie", admin.cookie}});
  EXPECT_EQ(json::parse(detail->body)["contact"], sneaky);
  // Errors carry no internals, and the API sets its security headers.
  EXPECT_EQ(detail->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(detail->get_header_value("Cache-Control"), "no-store");
  EXPECT_NE(detail->get_header_value("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  EXPECT_EQ(client_->Get("/api/v1/nothing")->status, 404);
}

// A URL given at intake is checked by the server's discovery worker: the page on loopback shows
// an edited copy of the survivor's photo, and the case's sighting gets the evidence.
TEST_P(Api, ReportedUrlsAreCheckedAndTheEvidenceShows) {
  std::ifstream photo(
      std::string(TAKEDOWN_SHARED_DIR) + "/testdata/pdq/bridge-mods/shrink-a-lot.jpg",
      std::ios::binary);
  const std::string copy((std::istreambuf_iterator<char>(photo)), {});
  ASSERT_FALSE(copy.empty());
  httplib::Server forum;
  forum.set_keep_alive_timeout(1);  // stop() waits for the worker's kept-alive connection
  std::atomic<bool> showing{true};
  forum.Get("/post/1", [&showing](const httplib::Request&, httplib::Response& res) {
    res.set_content(showing ? "<title>Leak</title><img src=/img/1.jpg>"
                            : "<title>Leak</title><p>Removed by the moderators.</p>",
                    "text/html");
  });
  forum.Get("/img/1.jpg", [&copy](const httplib::Request&, httplib::Response& res) {
    res.set_content(copy, "image/jpeg");
  });
  const int port = forum.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { forum.listen_after_bind(); });
  const std::string url = "http://forum.example:" + std::to_string(port) + "/post/1";

  auto res =
      Post("/api/v1/intake",
           {{"images", {{{"pdq", kPdqA}, {"quality", 100}}}}, {"urls", {url}}, {"language", "en"}});
  ASSERT_EQ(res->status, 201) << res->body;
  const Session admin = Admin();
  const json cases = json::parse(client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}})->body);
  const std::string detail_path =
      "/api/v1/cases/" + std::to_string(cases["cases"][0]["id"].get<int64_t>());
  // Polls the case until its sighting's evidence says `verdict`.
  auto await_verdict = [&](const std::string& verdict) {
    json sighting;
    for (int i = 0; i < 150; ++i) {
      const json detail =
          json::parse(client_->Get(detail_path.c_str(), {{"Cookie", admin.cookie}})->body);
      sighting = detail["sightings"][0];
      if (sighting["evidence"].value("verdict", "") == verdict) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return sighting;
  };
  const json sighting = await_verdict("matched");
  EXPECT_EQ(sighting["url"], url);
  EXPECT_EQ(sighting["evidence"]["verdict"], "matched") << sighting.dump();
  EXPECT_EQ(sighting["evidence"]["title"], "Leak");
  EXPECT_EQ(sighting["evidence"]["last_match"]["media_url"],
            "http://forum.example:" + std::to_string(port) + "/img/1.jpg");
  EXPECT_LE(sighting["evidence"]["last_match"]["distance"], 31);
  EXPECT_EQ(sighting["state"], "found");

  // The moderators remove it; a caseworker asks for a recheck instead of waiting 12 hours.
  showing = false;
  const std::string check =
      "/api/v1/sightings/" + std::to_string(sighting["id"].get<int64_t>()) + "/check";
  EXPECT_EQ(
      client_->Post(check.c_str(), {{"Cookie", admin.cookie}}, "", "application/json")->status, 403)
      << "a change needs the CSRF token";
  auto asked = client_->Post(check.c_str(), Auth(admin), "", "application/json");
  EXPECT_EQ(asked->status, 202) << asked->body;
  const json after = await_verdict("no_match");
  forum.stop();
  serving.join();
  EXPECT_EQ(after["evidence"]["verdict"], "no_match") << after.dump();
  EXPECT_EQ(after["state"], "removed");
}

TEST_P(Api, AWatchedListingPageRaisesARepostForReviewAndItsCrawlShows) {
  std::ifstream photo(
      std::string(TAKEDOWN_SHARED_DIR) + "/testdata/pdq/bridge-mods/shrink-a-lot.jpg",
      std::ios::binary);
  const std::string copy((std::istreambuf_iterator<char>(photo)), {});
  httplib::Server forum;
  forum.set_keep_alive_timeout(1);
  forum.Get("/new", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<title>New</title><a href=/t/1>one</a> <a href=/t/2>two</a>", "text/html");
  });
  forum.Get("/t/1", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<title>One</title><p>nothing here</p>", "text/html");
  });
  forum.Get("/t/2", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<title>Two</title><img src=/img/2.jpg>", "text/html");
  });
  forum.Get("/img/2.jpg", [&copy](const httplib::Request&, httplib::Response& res) {
    res.set_content(copy, "image/jpeg");
  });
  const int port = forum.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { forum.listen_after_bind(); });
  struct Stop {  // also when an assertion returns early: a joinable thread would abort the test
    httplib::Server& server;
    std::thread& thread;
    ~Stop() {
      server.stop();
      if (thread.joinable()) thread.join();
    }
  } stop{forum, serving};
  const std::string site = "http://forum.example:" + std::to_string(port);

  auto intake = Post("/api/v1/intake",
                     {{"images", {{{"pdq", kPdqA}, {"quality", 100}}}}, {"language", "en"}});
  ASSERT_EQ(intake->status, 201) << intake->body;
  const Session admin = Admin();
  const Session caseworker = UserWithRole("cora", "caseworker");
  const Session reviewer = UserWithRole("rita", "reviewer");
  const json cases = json::parse(client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}})->body);
  const std::string case_path =
      "/api/v1/cases/" + std::to_string(cases["cases"][0]["id"].get<int64_t>());

  const json source = {{"url", site + "/new"}, {"kind", "page"}, {"depth", 1}, {"every_hours", 6}};
  EXPECT_EQ(Post(case_path + "/sources", source, Auth(reviewer))->status, 403);
  EXPECT_EQ(Post("/api/v1/sources", source, Auth(caseworker))->status, 403)
      << "only admins watch for the whole organisation";
  EXPECT_EQ(Post(case_path + "/sources", {{"url", "ftp://x/"}}, Auth(caseworker))->status, 400);
  EXPECT_EQ(
      Post(case_path + "/sources", {{"url", site}, {"kind", "blog"}}, Auth(caseworker))->status,
      400);
  EXPECT_EQ(Post(case_path + "/sources", {{"url", site}, {"depth", 9}}, Auth(caseworker))->status,
            400);
  auto added = Post(case_path + "/sources", source, Auth(caseworker));
  ASSERT_EQ(added->status, 201) << added->body;
  EXPECT_EQ(json::parse(added->body)["every_hours"], 6);
  EXPECT_EQ(Post(case_path + "/sources", source, Auth(caseworker))->status, 409);

  // The worker crawls it: the listing, both threads; the second shows her photo.
  json crawl;
  for (int i = 0; i < 150; ++i) {
    crawl =
        json::parse(client_->Get((case_path + "/crawl").c_str(), {{"Cookie", admin.cookie}})->body);
    if (crawl["done"].get<int>() >= 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GE(crawl["done"].get<int>(), 1) << crawl.dump();
  EXPECT_EQ(crawl["failed"], 0);
  ASSERT_EQ(crawl["sources"].size(), 1u);
  EXPECT_EQ(crawl["sources"][0]["last_outcome"]["pages"], 3) << crawl.dump();
  EXPECT_EQ(crawl["sources"][0]["last_outcome"]["reposts"], 1);
  EXPECT_FALSE(crawl["next_run"].is_null()) << "the next crawl and the repost's recheck wait";

  json detail = json::parse(client_->Get(case_path.c_str(), {{"Cookie", admin.cookie}})->body);
  ASSERT_EQ(detail["sightings"].size(), 1u);
  const json repost = detail["sightings"][0];
  EXPECT_EQ(repost["url"], site + "/t/2");
  EXPECT_EQ(repost["origin"], "watch");
  EXPECT_EQ(repost["needs_review"], true);
  const std::string confirm =
      "/api/v1/sightings/" + std::to_string(repost["id"].get<int64_t>()) + "/confirm";
  EXPECT_EQ(client_->Post(confirm.c_str(), Auth(reviewer), "", "application/json")->status, 403);
  EXPECT_EQ(client_->Post(confirm.c_str(), Auth(caseworker), "", "application/json")->status, 204);

  EXPECT_EQ(Post(case_path + "/watch", {{"paused", "yes"}}, Auth(caseworker))->status, 400);
  EXPECT_EQ(Post(case_path + "/watch", {{"paused", true}}, Auth(caseworker))->status, 204);
  detail = json::parse(client_->Get(case_path.c_str(), {{"Cookie", admin.cookie}})->body);
  EXPECT_EQ(detail["watch_paused"], true);
  EXPECT_EQ(detail["sightings"][0]["needs_review"], false);
  const auto events = json::parse(
      client_->Get((case_path + "/events").c_str(), {{"Cookie", admin.cookie}})->body)["events"];
  std::vector<std::string> actions;
  for (const json& e : events) actions.push_back(e["action"]);
  for (const char* action :
       {"source.added", "sighting.repost", "sighting.confirmed", "case.watch_paused"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), action), actions.end()) << action;
  }

  const std::string source_path =
      "/api/v1/sources/" + std::to_string(json::parse(added->body)["id"].get<int64_t>());
  EXPECT_EQ(Post(source_path + "/pause", {{"paused", true}}, Auth(caseworker))->status, 204);
  EXPECT_EQ(client_->Delete(source_path.c_str(), Auth(caseworker))->status, 204);
  EXPECT_EQ(client_->Delete(source_path.c_str(), Auth(caseworker))->status, 404);
  auto org = Post("/api/v1/sources", {{"url", site + "/feed.xml"}, {"kind", "feed"}}, Auth(admin));
  EXPECT_EQ(org->status, 201) << org->body;
  EXPECT_EQ(
      json::parse(client_->Get("/api/v1/sources", {{"Cookie", caseworker.cookie}})->body)["sources"]
          .size(),
      1u);
}

TEST_P(Api, ANoticeIsDraftedInHerLanguageNeedsHerAuthorisationAndStartsItsDeadline) {
  const Session admin = Admin();
  auto intake = [&](bool authorise) {
    auto res = Post("/api/v1/intake", {{"images", {{{"pdq", kPdqA}, {"quality", 90}}}},
                                       {"urls", {"https://www.instagram.com/p/abc/"}},
                                       {"jurisdiction", "HK"},
                                       {"language", "zh-Hant"},
                                       {"authorise", authorise}});
    EXPECT_EQ(res->status, 201) << res->body;
    const json cases = json::parse(client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}})->body);
    return "/api/v1/cases/" + std::to_string(cases["cases"][0]["id"].get<int64_t>());
  };

  // Without her authorisation the draft lists it as missing and cannot go out.
  const std::string unauthorised = intake(false);
  auto drafted = Post(unauthorised + "/notices", json::object(), Auth(admin));
  ASSERT_EQ(drafted->status, 201) << drafted->body;
  const json blocked = json::parse(drafted->body)["notices"][0];
  EXPECT_FALSE(blocked["missing"].empty()) << blocked.dump();
  const std::string blocked_path =
      "/api/v1/notices/" + std::to_string(blocked["id"].get<int64_t>());
  EXPECT_EQ(Post(blocked_path + "/approve", json::object(), Auth(admin))->status, 409);
  EXPECT_EQ(Post(blocked_path + "/submitted", json::object(), Auth(admin))->status, 409);

  const std::string case_path = intake(true);
  drafted = Post(case_path + "/notices", json::object(), Auth(admin));
  ASSERT_EQ(drafted->status, 201) << drafted->body;
  const json notices = json::parse(drafted->body)["notices"];
  ASSERT_EQ(notices.size(), 1u);
  const json notice = notices[0];
  EXPECT_EQ(notice["recipient"], "instagram");
  EXPECT_EQ(notice["channel"], "web_form");
  EXPECT_EQ(notice["address"], "https://help.instagram.com/contact/504521742987441");
  EXPECT_EQ(notice["language"], "zh-Hant");
  EXPECT_EQ(notice["state"], "draft");
  EXPECT_TRUE(notice["missing"].empty()) << notice["missing"].dump();
  EXPECT_EQ(notice["deadline_hours"], 48) << "Instagram's hours";
  const std::string body = notice["body"];
  EXPECT_NE(body.find("https://www.instagram.com/p/abc/"), std::string::npos);
  EXPECT_NE(body.find("Harbour Support"), std::string::npos);
  EXPECT_EQ(body.find("TD-"), std::string::npos) << "never her case code";
  // Drafting the same sightings again gives the same notice.
  auto again = Post(case_path + "/notices", json::object(), Auth(admin));
  EXPECT_EQ(json::parse(again->body)["notices"][0]["id"], notice["id"]);

  const std::string path = "/api/v1/notices/" + std::to_string(notice["id"].get<int64_t>());
  const Session reviewer = UserWithRole("rita", "reviewer");
  EXPECT_EQ(Post(path + "/approve", json::object(), Auth(reviewer))->status, 403);
  EXPECT_EQ(Post(path + "/approve", json::object(), Auth(admin))->status, 204);
  EXPECT_EQ(Post(path + "/submitted", json::object(), Auth(admin))->status, 204);
  const json sent = json::parse(client_->Get(path.c_str(), {{"Cookie", admin.cookie}})->body);
  EXPECT_EQ(sent["state"], "submitted");
  EXPECT_EQ(sent["approved_by"].get<std::string>().rfind("user:", 0), 0u);
  UnixMillis at = 0, deadline = 0;
  ASSERT_TRUE(ParseTime(sent["sent_at"].get<std::string>(), &at));
  ASSERT_TRUE(ParseTime(sent["deadline"].get<std::string>(), &deadline));
  EXPECT_EQ(deadline - at, 48 * kMillisPerHour);
  const json detail =
      json::parse(client_->Get(case_path.c_str(), {{"Cookie", admin.cookie}})->body);
  EXPECT_EQ(detail["sightings"][0]["state"], "notified");
  EXPECT_EQ(detail["authorised"], true);
  EXPECT_EQ(Post(path + "/cancel", json::object(), Auth(admin))->status, 409)
      << "what went out cannot be cancelled";
}

TEST_P(Api, ManualClockIsAdminOnly) {
  const Session caseworker = UserWithRole("carol", "caseworker");
  EXPECT_EQ(Post("/api/v1/admin/clock", {{"advance_ms", 1000}}, Auth(caseworker))->status, 403);
  auto res = Post("/api/v1/admin/clock", {{"set", "2026-03-01T00:00:00Z"}}, Auth(Admin()));
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(json::parse(res->body)["now"], "2026-03-01T00:00:00.000Z");
  EXPECT_EQ(client_->Get("/healthz")->status, 200);
  auto metrics = client_->Get("/metrics");
  EXPECT_NE(metrics->body.find("takedown_http_request_duration_seconds_count{route=\"login\""),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, Api, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace takedown
