// A notice by email end to end: the real `takedown serve` with a real SMTP relay on loopback
// (aiosmtpd): a caseworker drafts the notice for a Telegram post, approves it, the outbox sends
// it once through the relay (Message-ID from the notice's key, the post's URL in the text), and a
// second approval sends nothing. And a server killed (SIGKILL) after the relay took the message
// but before it heard "accepted": restarted, it finds the message in the archive mailbox (Dovecot)
// and records it sent, without a second email.
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "mail/testing/imap_server.h"
#include "mail/testing/smtp_server.h"
#include "server_process.h"

namespace takedown {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

TEST(NoticeMail, AnApprovedNoticeGoesThroughTheRelayOnce) {
  auto relay = notify::testing::SmtpServer::Start();
  if (!relay.ok()) {
    if (notify::testing::SmtpServer::Required()) FAIL() << relay.status().message();
    GTEST_SKIP() << relay.status().message();
  }
  char tmpl[] = "/tmp/takedown-mail-XXXXXX";
  const fs::path dir = ::mkdtemp(tmpl);
  testing::ServerProcess server(
      {"--data", dir.string(), "--clock", "manual", "--clock-start", "2026-01-01T00:00:00Z",
       "--no-dns", "--org-name", "Harbour Support", "--org-email", "help@harbour.example",
       "--org-signatory", "Maria Chan", "--smtp-url", (*relay)->url(), "--smtp-plain-loopback",
       "--mail-from", "notices@harbour.example"});
  ASSERT_GT(server.port(), 0) << server.output();
  httplib::Client client("127.0.0.1", server.port());
  auto post = [&](const std::string& path, const json& body, const httplib::Headers& headers) {
    return client.Post(path.c_str(), headers, body.dump(), "application/json");
  };

  auto intake = post("/api/v1/intake",
                     {{"images", {{{"pdq", std::string(64, 'a')}, {"quality", 90}}}},
                      {"urls", {"https://t.me/leaks/12"}},
                      {"jurisdiction", "EU"},
                      {"language", "en"},
                      {"authorise", true}},
                     {});
  ASSERT_EQ(intake->status, 201) << intake->body;
  auto login =
      post("/api/v1/login", {{"username", "admin"}, {"password", server.admin_password()}}, {});
  ASSERT_EQ(login->status, 200);
  const std::string set = login->get_header_value("Set-Cookie");
  const httplib::Headers auth = {{"Cookie", set.substr(0, set.find(';'))},
                                 {"X-CSRF-Token", json::parse(login->body)["csrf_token"]}};
  const json cases = json::parse(client.Get("/api/v1/cases", auth)->body);
  const std::string case_path =
      "/api/v1/cases/" + std::to_string(cases["cases"][0]["id"].get<int64_t>());

  auto drafted = post(case_path + "/notices", json::object(), auth);
  ASSERT_EQ(drafted->status, 201) << drafted->body;
  const json notice = json::parse(drafted->body)["notices"][0];
  EXPECT_EQ(notice["recipient"], "telegram");
  EXPECT_EQ(notice["channel"], "email");
  EXPECT_EQ(notice["address"], "abuse@telegram.org");
  ASSERT_TRUE(notice["missing"].empty()) << notice["missing"].dump();
  const std::string path = "/api/v1/notices/" + std::to_string(notice["id"].get<int64_t>());
  ASSERT_EQ(post(path + "/approve", json::object(), auth)->status, 204);

  json sent;
  for (int i = 0; i < 150; ++i) {
    sent = json::parse(client.Get(path.c_str(), auth)->body);
    if (sent["state"] == "sent" || sent["state"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(sent["state"], "sent") << sent.dump();
  EXPECT_FALSE(sent["deadline"].is_null());
  EXPECT_EQ(post(path + "/approve", json::object(), auth)->status, 409) << "it went out already";

  const auto messages = (*relay)->Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].mail_from, "notices@harbour.example");
  ASSERT_EQ(messages[0].rcpt_tos, std::vector<std::string>{"abuse@telegram.org"});
  EXPECT_NE(messages[0].raw.find("Message-ID: <notice"), std::string::npos) << messages[0].raw;
  EXPECT_NE(messages[0].raw.find("@harbour.example>"), std::string::npos);
  EXPECT_NE(
      messages[0].raw.find("X-Takedown-Notice: " + std::to_string(notice["id"].get<int64_t>())),
      std::string::npos);
  EXPECT_NE(messages[0].summary.find("https://t.me/leaks/12"), std::string::npos)
      << "the decoded text names the post";
  fs::remove_all(dir);
}

TEST(NoticeMail, AServerKilledMidSendFindsTheMessageInTheArchiveAndSendsNoSecond) {
  auto archive = notify::testing::ImapServer::Start("archive", "archive-pass");
  if (!archive.ok()) {
    if (notify::testing::SmtpServer::Required()) FAIL() << archive.status().message();
    GTEST_SKIP() << archive.status().message();
  }
  notify::testing::SmtpServerOptions options;
  options.archive_address = "archive@harbour.example";
  options.archive_maildir = (*archive)->maildir();
  options.hold_reply_seconds = 30;  // the server is killed while it waits for "250"
  auto relay = notify::testing::SmtpServer::Start(options);
  ASSERT_TRUE(relay.ok()) << relay.status().message();
  char tmpl[] = "/tmp/takedown-kill-XXXXXX";
  const fs::path dir = ::mkdtemp(tmpl);
  std::ofstream(dir / "imap-password") << "archive-pass\n";
  const std::vector<std::string> args = {"--data",
                                         dir.string(),
                                         "--clock",
                                         "manual",
                                         "--clock-start",
                                         "2026-01-01T00:00:00Z",
                                         "--no-dns",
                                         "--org-name",
                                         "Harbour Support",
                                         "--org-email",
                                         "help@harbour.example",
                                         "--org-signatory",
                                         "Maria Chan",
                                         "--smtp-url",
                                         (*relay)->url(),
                                         "--smtp-plain-loopback",
                                         "--mail-from",
                                         "notices@harbour.example",
                                         "--archive-bcc",
                                         "archive@harbour.example",
                                         "--imap-url",
                                         (*archive)->url(),
                                         "--imap-user",
                                         "archive",
                                         "--imap-password-file",
                                         (dir / "imap-password").string(),
                                         "--imap-plain-loopback"};
  auto first = std::make_unique<testing::ServerProcess>(args);
  ASSERT_GT(first->port(), 0) << first->output();
  const std::string password = first->admin_password();
  auto session = [&](int port) {
    httplib::Client client("127.0.0.1", port);
    auto login =
        client.Post("/api/v1/login", json{{"username", "admin"}, {"password", password}}.dump(),
                    "application/json");
    EXPECT_EQ(login->status, 200);
    const std::string set = login->get_header_value("Set-Cookie");
    return httplib::Headers{{"Cookie", set.substr(0, set.find(';'))},
                            {"X-CSRF-Token", json::parse(login->body)["csrf_token"]}};
  };
  {
    httplib::Client client("127.0.0.1", first->port());
    const auto auth = session(first->port());
    ASSERT_EQ(client
                  .Post("/api/v1/intake",
                        json{{"urls", {"https://t.me/leaks/12"}},
                             {"jurisdiction", "EU"},
                             {"language", "en"},
                             {"authorise", true}}
                            .dump(),
                        "application/json")
                  ->status,
              201);
    auto drafted = client.Post("/api/v1/cases/1/notices", auth, "{}", "application/json");
    ASSERT_EQ(drafted->status, 201) << drafted->body;
    ASSERT_EQ(client.Post("/api/v1/notices/1/approve", auth, "{}", "application/json")->status,
              204);
  }
  for (int i = 0; i < 150 && (*relay)->Messages().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ((*relay)->Messages().size(), 1u) << "the relay has it and holds back its answer";
  first->Stop(SIGKILL);
  first.reset();

  testing::ServerProcess second(args);
  ASSERT_GT(second.port(), 0) << second.output();
  httplib::Client client("127.0.0.1", second.port());
  auto auth = session(second.port());
  EXPECT_EQ(json::parse(client.Get("/api/v1/notices/1", auth)->body)["state"], "sending");
  // The dead worker's lease on the job runs out; another takes it and asks the archive.
  ASSERT_EQ(client
                .Post("/api/v1/admin/clock", auth, json{{"advance_ms", 11 * 60 * 1000}}.dump(),
                      "application/json")
                ->status,
            200);
  auth = session(second.port());
  json notice;
  for (int i = 0; i < 200; ++i) {
    notice = json::parse(client.Get("/api/v1/notices/1", auth)->body);
    if (notice["state"] != "sending") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(notice["state"], "sent") << notice.dump();
  EXPECT_EQ((*relay)->Messages().size(), 1u) << "no second email";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace takedown
