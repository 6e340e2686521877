// The escalation ladder end to end on the manual clock: the real `takedown serve` with a real SMTP
// relay (aiosmtpd), a real IMAP reply mailbox (Dovecot), a loopback site that shows her image and
// a loopback RDAP registry. A caseworker sends the first notice to the site's abuse address, and
// the hosting provider's abuse contact, found by RDAP, is written to beside it (a site no platform
// entry knows rarely reads its mailbox, so its deadline is a day); 48 hours pass with the image
// still up: both are written to again and the registrar and the regulator (with the search
// engines' de-listing forms) open beside them; the provider removes it and the
// removal is recorded with its time. Replies to the notices (an auto-reply, then
// the provider's answer) are read from the mailbox and attached to their notices.
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "base/clock.h"
#include "fetch/test_web.h"
#include "hashfile/hash_file.h"
#include "mail/testing/imap_server.h"
#include "mail/testing/smtp_server.h"
#include "server_process.h"

namespace takedown {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;
constexpr int64_t kHour = 3600 * 1000;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Waits up to 30 s for `done`.
bool Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 300; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// The value of a header line in a raw message ("" when absent).
std::string Header(const std::string& raw, const std::string& name) {
  const size_t at = raw.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  const size_t start = at + name.size() + 4;
  return raw.substr(start, raw.find("\r\n", start) - start);
}

void Deliver(const std::string& maildir, const std::string& name, const std::string& message) {
  std::ofstream(fs::path(maildir) / "new" / name, std::ios::binary) << message;
}

TEST(Escalation, ANoticeUnansweredClimbsToTheHostWhoRemovesIt) {
  auto relay = notify::testing::SmtpServer::Start();
  auto mailbox = notify::testing::ImapServer::Start("replies", "reply-pass");
  for (const Status& s : {relay.status(), mailbox.status()}) {
    if (s.ok()) continue;
    if (notify::testing::SmtpServer::Required()) FAIL() << s.message();
    GTEST_SKIP() << s.message();
  }

  // Her image, and the site that shows it until its host takes it down.
  const std::string image =
      ReadFile(fs::path(TAKEDOWN_SHARED_DIR) / "testdata/pdq/bridge-mods/aaa-orig.jpg");
  ASSERT_FALSE(image.empty());
  hashfile::ImageFileHasher hasher({});
  auto hash =
      hasher.HashBytes(std::span(reinterpret_cast<const uint8_t*>(image.data()), image.size()));
  ASSERT_TRUE(hash.ok()) << hash.status().message();
  std::atomic<bool> up{true};
  fetch::testing::TestWeb web;
  auto& site = web.Add("leaks.example");
  site.Get("/post/1", [&](const httplib::Request&, httplib::Response& res) {
    if (!up) {
      res.status = 404;
      return;
    }
    res.set_content("<html><head><title>post</title></head><body><img src=\"/i/1.jpg\"></body>",
                    "text/html");
  });
  site.Get("/i/1.jpg", [&](const httplib::Request&, httplib::Response& res) {
    if (!up) {
      res.status = 404;
      return;
    }
    res.set_content(image, "image/jpeg");
  });
  auto& rdap = web.Add("rdap.example");
  std::atomic<int> rdap_asked{0};
  rdap.Get("/ipv4.json", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        json{{"version", "1.0"}, {"services", {{{"127.0.0.0/8"}, {web.Url("rdap.example", "/")}}}}}
            .dump(),
        "application/json");
  });
  rdap.Get(R"(/ip/(.+))", [&](const httplib::Request&, httplib::Response& res) {
    ++rdap_asked;
    const json abuse = {{"objectClassName", "entity"},
                        {"roles", {"abuse"}},
                        {"vcardArray",
                         {"vcard",
                          {{"version", json::object(), "text", "4.0"},
                           {"fn", json::object(), "text", "HostCo Abuse Desk"},
                           {"email", json::object(), "text", "abuse@hostco.example"}}}}};
    res.set_content(json{{"rdapConformance", {"rdap_level_0"}},
                         {"objectClassName", "ip network"},
                         {"handle", "NET-127"},
                         {"startAddress", "127.0.0.0"},
                         {"endAddress", "127.255.255.255"},
                         {"ipVersion", "v4"},
                         {"name", "HOSTCO-NET"},
                         {"entities",
                          {{{"objectClassName", "entity"},
                            {"roles", {"registrant"}},
                            {"vcardArray",
                             {"vcard",
                              {{"version", json::object(), "text", "4.0"},
                               {"fn", json::object(), "text", "HostCo B.V."}}}},
                            {"entities", {abuse}}}}}}
                        .dump(),
                    "application/rdap+json");
  });
  web.Start();

  char tmpl[] = "/tmp/takedown-ladder-XXXXXX";
  const fs::path dir = ::mkdtemp(tmpl);
  std::ofstream(dir / "imap-password") << "reply-pass\n";
  testing::ServerProcess server({"--data",
                                 dir.string(),
                                 "--clock",
                                 "manual",
                                 "--clock-start",
                                 "2026-01-01T00:00:00Z",
                                 "--no-dns",
                                 "--fetch-allow",
                                 "127.0.0.0/8",
                                 "--fetch-resolve",
                                 "leaks.example=127.0.0.1",
                                 "--fetch-resolve",
                                 "rdap.example=127.0.0.1",
                                 "--rdap-bootstrap",
                                 web.Url("rdap.example", "/"),
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
                                 "--reply-domain",
                                 "replies.harbour.example",
                                 "--replies-imap-url",
                                 (*mailbox)->url(),
                                 "--replies-imap-user",
                                 "replies",
                                 "--replies-imap-password-file",
                                 (dir / "imap-password").string(),
                                 "--imap-plain-loopback",
                                 "--replies-every",
                                 "60"});
  ASSERT_GT(server.port(), 0) << server.output();
  httplib::Client client("127.0.0.1", server.port());
  auto post = [&](const std::string& path, const json& body, const httplib::Headers& headers) {
    return client.Post(path.c_str(), headers, body.dump(), "application/json");
  };
  httplib::Headers auth;
  auto login = [&] {
    auto in =
        post("/api/v1/login", {{"username", "admin"}, {"password", server.admin_password()}}, {});
    ASSERT_EQ(in->status, 200);
    const std::string cookie = in->get_header_value("Set-Cookie");
    auth = {{"Cookie", cookie.substr(0, cookie.find(';'))},
            {"X-CSRF-Token", json::parse(in->body)["csrf_token"]}};
  };
  login();
  auto get = [&](const std::string& path) { return json::parse(client.Get(path, auth)->body); };
  // Days pass: the caseworker's session ends meanwhile, so she logs in again.
  auto advance = [&](int64_t ms) {
    ASSERT_EQ(post("/api/v1/admin/clock", {{"advance_ms", ms}, {"settle", true}}, auth)->status,
              200);
    login();
  };

  const std::string url = web.Url("leaks.example", "/post/1");
  auto intake = post("/api/v1/intake",
                     {{"images", {{{"pdq", hash->pdq.hash.ToHex()}, {"quality", 90}}}},
                      {"urls", {url}},
                      {"jurisdiction", "US"},
                      {"language", "en"},
                      {"authorise", true}},
                     {});
  ASSERT_EQ(intake->status, 201) << intake->body;
  const int64_t case_id = get("/api/v1/cases")["cases"][0]["id"];
  const std::string case_path = "/api/v1/cases/" + std::to_string(case_id);
  auto sighting_state = [&] {
    const json c = get(case_path);
    const json state = c.contains("sightings") ? c["sightings"][0]["state"] : json();
    return state.is_string() ? state.get<std::string>() : c.dump();
  };
  ASSERT_TRUE(Eventually([&] {
    return get(case_path)["sightings"][0]["evidence"].contains("last_match");
  })) << "the first check finds her image: "
      << get(case_path).dump();

  // Rung 0: the site's abuse address.
  auto drafted = post(case_path + "/notices", json::object(), auth);
  ASSERT_EQ(drafted->status, 201) << drafted->body;
  const json first = json::parse(drafted->body)["notices"][0];
  EXPECT_EQ(first["address"], "abuse@leaks.example");
  EXPECT_EQ(first["deadline_hours"], 24) << "a guessed mailbox's day";
  const std::string first_path = "/api/v1/notices/" + std::to_string(first["id"].get<int64_t>());
  ASSERT_EQ(post(first_path + "/approve", json::object(), auth)->status, 204);
  ASSERT_TRUE(Eventually([&] { return get(first_path)["state"] == "sent"; }))
      << get(first_path).dump();
  ASSERT_EQ((*relay)->Messages().size(), 1u);
  const std::string sent_first = (*relay)->Messages()[0].raw;
  const std::string reply_to = Header(sent_first, "Reply-To");
  ASSERT_TRUE(reply_to.starts_with("notice+")) << sent_first.substr(0, 1500);
  EXPECT_TRUE((*relay)->Messages()[0].mail_from.starts_with("bounce+"))
      << "bounces come back to an address that names the notice";

  // A site no platform entry knows rarely reads its own mailbox: its hosting provider, found by
  // RDAP, gets a notice beside the first one at once.
  json notices;
  ASSERT_TRUE(Eventually([&] {
    notices = get(case_path + "/notices")["notices"];
    return notices.size() == 2;
  })) << notices.dump();
  const json to_host = notices[1];
  EXPECT_EQ(to_host["rung"], 2);
  EXPECT_EQ(to_host["recipient_kind"], "host");
  EXPECT_EQ(to_host["address"], "abuse@hostco.example");
  EXPECT_GE(rdap_asked.load(), 1);
  EXPECT_NE(to_host["body"].get<std::string>().find(url), std::string::npos);
  const std::string host_path = "/api/v1/notices/" + std::to_string(to_host["id"].get<int64_t>());
  ASSERT_EQ(post(host_path + "/approve", json::object(), auth)->status, 204);
  ASSERT_TRUE(Eventually([&] { return get(host_path)["state"] == "sent"; }));
  ASSERT_EQ((*relay)->Messages().size(), 2u) << "each notice sent once";
  EXPECT_EQ((*relay)->Messages()[1].rcpt_tos, std::vector<std::string>{"abuse@hostco.example"});

  // An out-of-office answer arrives; 48 hours pass with the image still up: both rungs are
  // written to again, and the next rungs open beside them (the registrar's RDAP record is missing
  // here, so its draft waits with that said).
  Deliver((*mailbox)->maildir(), "1.oof",
          "From: Webmaster <webmaster@leaks.example>\r\nTo: " + reply_to +
              "\r\nSubject: Automatic reply: away\r\nMessage-ID: <oof-1@leaks.example>\r\n"
              "Auto-Submitted: auto-replied\r\nDate: Thu, 01 Jan 2026 01:00:00 +0000\r\n\r\n"
              "I am away.\r\n");
  advance(48 * kHour);
  ASSERT_TRUE(Eventually([&] { return sighting_state() == "overdue"; })) << sighting_state();
  // The escalation jobs run 5 minutes after the deadline checks (a check that lost a race with
  // the other notice's check on another thread retries a little later).
  // Both deadlines pass together and their jobs may run on two threads at once: a rung both
  // opened at once is kept once (the later draft is cancelled and the next rung opens instead).
  auto open_notices = [&] {
    json kept = json::array();
    const json all = get(case_path + "/notices")["notices"];
    for (const json& n : all) {
      if (n["state"] != "cancelled") kept.push_back(n);
    }
    return kept;
  };
  for (int step = 0; step < 12 && notices.size() < 8; ++step) {
    advance(5 * 60 * 1000);
    notices = open_notices();
  }
  auto listed = [&] {
    std::string out;
    const json all = get(case_path + "/notices")["notices"];
    for (const json& n : all) {
      out += "\n  " + n.value("recipient_kind", json()).dump() + ":" +
             n.value("rung", json()).dump() + " " + n.value("recipient", json()).dump() + " " +
             n.value("state", json()).dump() + " " + n.value("created_at", json()).dump();
    }
    return out;
  };
  ASSERT_EQ(notices.size(), 8u) << listed() << "\n" << get(case_path + "/crawl").dump();
  std::map<std::string, int> at_deadline;
  for (size_t i = 2; i < notices.size(); ++i) {
    ++at_deadline[notices[i]["recipient_kind"].get<std::string>() + ":" +
                  std::to_string(notices[i]["rung"].get<int>())];
    if (notices[i]["rung"] == 0 || notices[i]["rung"] == 2) {
      EXPECT_EQ(notices[i]["deadline_hours"], 24) << "a day's repeat";
    }
  }
  // Each deadline opens the next rung not yet written to: the registrar, then the regulator, with
  // Google's and Bing's de-listing forms beside it (rung 6).
  EXPECT_EQ(at_deadline, (std::map<std::string, int>{{"platform:0", 1},
                                                     {"host:2", 1},
                                                     {"registrar:3", 1},
                                                     {"regulator:5", 1},
                                                     {"platform:6", 2}}));

  const json replies = get(case_path + "/replies")["replies"];
  ASSERT_EQ(replies.size(), 1u) << "the mailbox was read when the clock moved: " << replies.dump();
  EXPECT_EQ(replies[0]["kind"], "auto_reply");
  EXPECT_EQ(replies[0]["notice_id"], first["id"]);
  EXPECT_EQ(replies[0]["text"], "I am away.\n");

  // The provider answers and takes it down; the check before the deadline sees it gone.
  const std::string host_reply_to = Header((*relay)->Messages()[1].raw, "Reply-To");
  Deliver((*mailbox)->maildir(), "2.host",
          "From: HostCo Abuse Desk <abuse@hostco.example>\r\nTo: " + host_reply_to +
              "\r\nSubject: Re: Removal request\r\nMessage-ID: <ticket-7@hostco.example>\r\n"
              "Date: Mon, 05 Jan 2026 02:00:00 +0000\r\n\r\nWe have removed the content.\r\n");
  up = false;
  advance(47 * kHour);
  ASSERT_TRUE(Eventually([&] { return sighting_state() == "removed"; })) << sighting_state();
  const json events = get(case_path + "/events?limit=200")["events"];
  json removed;
  for (const json& e : events) {
    if (e["action"] == "sighting.removed") removed = e;
  }
  ASSERT_FALSE(removed.is_null()) << events.dump();
  const json detail = removed["detail"].is_string()
                          ? json::parse(removed["detail"].get<std::string>())
                          : removed["detail"];
  UnixMillis seen_gone = 0, sent = 0;
  ASSERT_TRUE(ParseTime(removed["at"].get<std::string>(), &seen_gone));
  ASSERT_TRUE(ParseTime(get(host_path)["sent_at"].get<std::string>(), &sent));
  EXPECT_GT(seen_gone - sent, 95 * kHour) << "the host acted after 95 hours";
  EXPECT_EQ(detail["time_to_removal_ms"].get<int64_t>(), seen_gone - sent)
      << "from the notices (both sent at once) to the first check after it came down";

  ASSERT_TRUE(Eventually([&] { return get(case_path + "/replies")["replies"].size() == 2; }));
  const json answer = get(case_path + "/replies")["replies"][1];
  EXPECT_EQ(answer["kind"], "human");
  EXPECT_EQ(answer["notice_id"], to_host["id"]);

  // The dossier for the regulator holds the whole chronology.
  auto dossier = client.Get(case_path + "/dossier?format=json", auth);
  ASSERT_EQ(dossier->status, 200) << dossier->body;
  const std::string html = json::parse(dossier->body)["html"];
  EXPECT_NE(html.find("abuse@hostco.example"), std::string::npos);
  EXPECT_NE(html.find("We have removed the content."), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace takedown
