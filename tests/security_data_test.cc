// Issue 19, items 4 and 6, as an attacker who copies the data folder would find it: the real
// `takedown serve` on SQLite with a real SMTP relay on loopback (aiosmtpd) goes through a full
// flow - her intake naming her with her contact, a caseworker's note and message to her, notices
// drafted, read, approved and sent, the dossier and the trail read - and then every file of the
// data folder (the database, its -wal and -shm) is scanned for her name, her contact and the
// notes as raw bytes, while the server runs and after it stopped: none may be there. The notice
// that went out names her (she chose so), and a reviewer reads every view with her name and
// contact withheld (staff notes are for reviewers too).
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "mail/testing/smtp_server.h"
#include "server_process.h"

namespace takedown {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

// Distinctive enough that no other bytes in the folder hold them by chance.
constexpr char kName[] = "Qwenlyn Marrowfield";
constexpr char kContact[] = "qwenlyn.marrowfield@survivor.example";
constexpr char kNote[] = "Zarkovian staff note about her";
constexpr char kMessage[] = "Zarkovian message to her";

struct Scan {
  int files = 0;
  uintmax_t bytes = 0;
  std::map<std::string, std::vector<std::string>> found;  // marker -> files holding it
};

Scan ScanFolder(const fs::path& dir) {
  Scan scan;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), {}};
    ++scan.files;
    scan.bytes += bytes.size();
    for (const char* marker : {kName, kContact, kNote, kMessage}) {
      if (bytes.find(marker) != std::string::npos) {
        scan.found[marker].push_back(entry.path().filename().string());
      }
    }
  }
  return scan;
}

void ExpectNoMarkers(const Scan& scan, const std::string& when) {
  int hits = 0;
  for (const auto& [marker, files] : scan.found) hits += static_cast<int>(files.size());
  std::printf("%s: %d files, %ju bytes scanned, %d plaintext markers found\n", when.c_str(),
              scan.files, scan.bytes, hits);
  for (const auto& [marker, files] : scan.found) {
    for (const std::string& file : files) {
      ADD_FAILURE() << when << ": \"" << marker << "\" in plain text in " << file;
    }
  }
  EXPECT_GT(scan.files, 0);
}

TEST(SecurityData, NoPlaintextOfHerNameContactOrNotesInTheDataFolderAfterAFullFlow) {
  auto relay = notify::testing::SmtpServer::Start();
  if (!relay.ok()) {
    if (notify::testing::SmtpServer::Required()) FAIL() << relay.status().message();
    GTEST_SKIP() << relay.status().message();
  }
  char tmpl[] = "/tmp/takedown-secdata-XXXXXX";
  const fs::path dir = ::mkdtemp(tmpl);
  auto server = std::make_unique<testing::ServerProcess>(std::vector<std::string>{
      "--data", dir.string(), "--clock", "manual", "--clock-start", "2026-01-01T00:00:00Z",
      "--no-dns", "--org-name", "Harbour Support", "--org-email", "help@harbour.example",
      "--org-signatory", "Maria Chan", "--smtp-url", (*relay)->url(), "--smtp-plain-loopback",
      "--mail-from", "notices@harbour.example"});
  ASSERT_GT(server->port(), 0) << server->output();
  httplib::Client client("127.0.0.1", server->port());
  const auto post = [&](const std::string& path, const json& body,
                        const httplib::Headers& headers) {
    return client.Post(path.c_str(), headers, body.dump(), "application/json");
  };
  const auto get = [&](const std::string& path, const httplib::Headers& headers) {
    auto res = client.Get(path.c_str(), headers);
    EXPECT_TRUE(res && res->status == 200) << path << ": " << (res ? res->body : "no answer");
    return res ? res->body : std::string();
  };
  const auto login = [&](const std::string& user, const std::string& password) {
    auto res = post("/api/v1/login", {{"username", user}, {"password", password}}, {});
    EXPECT_EQ(res->status, 200) << res->body;
    const std::string set = res->get_header_value("Set-Cookie");
    return httplib::Headers{{"Cookie", set.substr(0, set.find(';'))},
                            {"X-CSRF-Token", json::parse(res->body)["csrf_token"]}};
  };

  auto intake = post("/api/v1/intake",
                     {{"images", {{{"pdq", std::string(64, 'a')}, {"quality", 90}}}},
                      {"urls", {"https://t.me/leaks/12"}},
                      {"jurisdiction", "EU"},
                      {"language", "en"},
                      {"authorise", true},
                      {"in_notices", "name_and_contact"},
                      {"name", kName},
                      {"contact", kContact},
                      {"notice_contact", kContact}},
                     {});
  ASSERT_EQ(intake->status, 201) << intake->body;
  const httplib::Headers admin = login("admin", server->admin_password());
  for (const char* role : {"caseworker", "reviewer"}) {
    ASSERT_EQ(
        post("/api/v1/users",
             {{"username", role}, {"password", "correct horse battery"}, {"role", role}}, admin)
            ->status,
        201);
  }
  const httplib::Headers worker = login("caseworker", "correct horse battery");
  const httplib::Headers reviewer = login("reviewer", "correct horse battery");
  const std::string code = json::parse(intake->body)["code"];
  const json queue = json::parse(get("/api/v1/cases?q=" + code, worker));
  ASSERT_EQ(queue["cases"].size(), 1u);
  const std::string case_path =
      "/api/v1/cases/" + std::to_string(queue["cases"][0]["id"].get<int64_t>());

  ASSERT_EQ(post(case_path + "/notes", {{"text", kNote}}, worker)->status, 201);
  ASSERT_EQ(post(case_path + "/notes", {{"text", kMessage}, {"to_survivor", true}}, worker)->status,
            201);
  auto drafted = post(case_path + "/notices", json::object(), worker);
  ASSERT_EQ(drafted->status, 201) << drafted->body;
  EXPECT_NE(drafted->body.find(kName), std::string::npos) << "the caseworker's draft names her";
  const json notice = json::parse(drafted->body)["notices"][0];
  ASSERT_TRUE(notice["missing"].empty()) << notice["missing"].dump();
  const std::string notice_path = "/api/v1/notices/" + std::to_string(notice["id"].get<int64_t>());
  ASSERT_EQ(post(notice_path + "/approve", json::object(), worker)->status, 204);
  json sent;
  for (int i = 0; i < 150; ++i) {
    sent = json::parse(get(notice_path, worker));
    if (sent["state"] == "sent" || sent["state"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(sent["state"], "sent") << sent.dump();
  const auto messages = (*relay)->Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].summary.find(kName), std::string::npos)
      << "the notice leaves naming her, as she chose";
  EXPECT_NE(messages[0].summary.find(kContact), std::string::npos);

  // Every view a caseworker has, then a reviewer's: hers withheld from the reviewer in each.
  const std::vector<std::string> views = {case_path,
                                          case_path + "/notices",
                                          notice_path,
                                          case_path + "/replies",
                                          case_path + "/events",
                                          case_path + "/dossier?format=json",
                                          case_path + "/dossier?format=html",
                                          case_path + "/dossier?format=text"};
  std::string seen;
  for (const std::string& view : views) seen += get(view, worker);
  EXPECT_NE(seen.find(kName), std::string::npos);
  int withheld = 0;
  for (const std::string& view : views) {
    const std::string body = get(view, reviewer);
    for (const char* marker : {kName, kContact}) {
      EXPECT_EQ(body.find(marker), std::string::npos)
          << "a reviewer sees " << marker << " in " << view;
    }
    withheld += body.find("[withheld]") != std::string::npos;
  }
  std::printf("reviewer views: %zu, with her name and contact withheld in %d\n", views.size(),
              withheld);
  EXPECT_GE(withheld, 2) << "the notices list and the notice show where she is withheld";

  ExpectNoMarkers(ScanFolder(dir), "server running");
  const int stopped = server->Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(stopped) && WEXITSTATUS(stopped) == 0) << server->output();
  ExpectNoMarkers(ScanFolder(dir), "server stopped");
  fs::remove_all(dir);
}

// Erased is erased on disk too: her code, her links, her hashes and her words are in no file of
// the data folder once her erase is answered, while the server still runs.
TEST(SecurityData, NothingOfAnErasedCaseIsLeftInTheDataFolder) {
  char tmpl[] = "/tmp/takedown-secerase-XXXXXX";
  const fs::path dir = ::mkdtemp(tmpl);
  auto server = std::make_unique<testing::ServerProcess>(std::vector<std::string>{
      "--data", dir.string(), "--clock", "manual", "--clock-start", "2026-01-01T00:00:00Z",
      "--no-dns", "--org-name", "Harbour Support", "--org-email", "help@harbour.example"});
  ASSERT_GT(server->port(), 0) << server->output();
  httplib::Client client("127.0.0.1", server->port());
  const std::string url = "https://t.me/erasemarker/4711";
  const std::string pdq = "e7a5e" + std::string(59, 'c');
  auto intake = client.Post("/api/v1/intake",
                            json{{"images", {{{"pdq", pdq}, {"quality", 90}}}},
                                 {"urls", {url}},
                                 {"jurisdiction", "EU"},
                                 {"language", "en"},
                                 {"authorise", true},
                                 {"in_notices", "name_and_contact"},
                                 {"name", kName},
                                 {"contact", kContact},
                                 {"notice_contact", kContact}}
                                .dump(),
                            "application/json");
  ASSERT_EQ(intake->status, 201) << intake->body;
  const std::string code = json::parse(intake->body)["code"];
  const std::string pin = json::parse(intake->body)["pin"];
  const std::vector<std::string> markers = {code, url, pdq, kName, kContact};
  const auto holding = [&] {
    std::vector<std::string> found;
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      ++files;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string bytes{std::istreambuf_iterator<char>(in), {}};
      for (const std::string& marker : markers) {
        if (bytes.find(marker) != std::string::npos) {
          found.push_back(marker + " in " + entry.path().filename().string());
        }
      }
    }
    std::printf("%d files scanned, %zu of the case's markers found\n", files, found.size());
    return found;
  };
  EXPECT_FALSE(holding().empty()) << "before the erase her code and link are on disk";

  client.set_basic_auth(code, pin);
  auto erased = client.Delete("/api/v1/case");
  ASSERT_TRUE(erased);
  ASSERT_EQ(erased->status, 200) << erased->body;
  for (const std::string& left : holding()) ADD_FAILURE() << "after her erase: " << left;
  server->Stop(SIGTERM);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace takedown
