// Statistics end to end on the manual clock: a history seeded through the real server's API whose
// figures are known by construction (six Instagram posts taken down 10, 20, ... 60 hours after
// their notices, two Facebook posts never), read back exactly with `takedown report --stats-k 1`,
// suppressed in the API's export (k = 5: Facebook's two notices are withheld), and printed as a
// PDF that renders (pdftoppm) and whose numbers are the JSON's (pdftotext).
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/format.h"
#include "response_recorder.h"
#include "server_process.h"

namespace takedown {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;
constexpr int64_t kHour = 3600 * 1000;

// Runs a command; its standard output, or "" when it failed.
std::string Output(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  return ::pclose(p) == 0 ? out : "";
}

const json* Recipient(const json& list, const std::string& id) {
  for (const json& r : list) {
    if (r["recipient"] == id) return &r;
  }
  return nullptr;
}

TEST(Statistics, ASeededHistoryGivesKnownFiguresSuppressedForExportAndPrinted) {
  char tmpl[] = "/tmp/takedown-stats-XXXXXX";
  const fs::path dir = ::mkdtemp(tmpl);
  testing::ServerProcess server({"--data", dir.string(), "--clock", "manual", "--clock-start",
                                 "2026-01-05T00:00:00Z", "--no-worker", "--org-name",
                                 "Harbour Support", "--org-email", "help@harbour.example",
                                 "--org-signatory", "Maria Chan", "--stats-k", "5"});
  ASSERT_GT(server.port(), 0) << server.output();
  httplib::Client client("127.0.0.1", server.port());
  // The API contract test (web/contract) checks every answer against docs/openapi.yaml.
  if (const char* file = std::getenv("TAKEDOWN_API_RECORD")) testing::RecordResponses(client, file);
  httplib::Headers auth;
  auto post = [&](const std::string& path, const json& body) {
    return client.Post(path.c_str(), auth, body.dump(), "application/json");
  };
  auto login = [&] {
    auth.clear();
    auto in = post("/api/v1/login", {{"username", "admin"}, {"password", server.admin_password()}});
    ASSERT_EQ(in->status, 200);
    const std::string cookie = in->get_header_value("Set-Cookie");
    auth = {{"Cookie", cookie.substr(0, cookie.find(';'))},
            {"X-CSRF-Token", json::parse(in->body)["csrf_token"]}};
  };
  login();

  // Eight reports; a notice for each goes out at once through the platform's web form.
  std::vector<int64_t> instagram_sightings;
  for (int i = 0; i < 8; ++i) {
    const bool facebook = i >= 6;
    const std::string url = facebook ? "https://www.facebook.com/photo/?fbid=" + std::to_string(i)
                                     : "https://www.instagram.com/p/post" + std::to_string(i);
    auto intake = client.Post(
        "/api/v1/intake",
        json{{"images", {{{"pdq", std::string(63, 'a') + char('0' + i)}, {"quality", 90}}}},
             {"urls", {url}},
             {"jurisdiction", "HK"},
             {"language", "en"},
             {"authorise", true}}
            .dump(),
        "application/json");
    ASSERT_EQ(intake->status, 201) << intake->body;
    const int64_t case_id = i + 1;
    auto drafted = post("/api/v1/cases/" + std::to_string(case_id) + "/notices", json::object());
    ASSERT_EQ(drafted->status, 201) << drafted->body;
    const json notice = json::parse(drafted->body)["notices"][0];
    ASSERT_EQ(notice["channel"], "web_form");
    const std::string path = "/api/v1/notices/" + std::to_string(notice["id"].get<int64_t>());
    ASSERT_EQ(post(path + "/approve", json::object())->status, 204);
    ASSERT_EQ(post(path + "/submitted", json::object())->status, 204);
    if (!facebook) instagram_sightings.push_back(notice["sighting_ids"][0]);
  }
  // Instagram takes them down one every 10 hours.
  for (int64_t sighting : instagram_sightings) {
    ASSERT_EQ(post("/api/v1/admin/clock", {{"advance_ms", 10 * kHour}})->status, 200);
    login();
    ASSERT_EQ(
        post("/api/v1/sightings/" + std::to_string(sighting) + "/state", {{"state", "removed"}})
            ->status,
        204);
  }

  // Exact figures (k = 1), from the command line beside the running server.
  const std::string report = std::string(TAKEDOWN_BINARY) + " report --data " + dir.string() +
                             " --from 2026-01-01 --to 2026-02-01 --org-name 'Harbour Support'";
  const std::string exact_text = Output(report + " --format json --stats-k 1");
  ASSERT_FALSE(exact_text.empty());
  const json exact = json::parse(exact_text);
  const json& t = exact["totals"];
  EXPECT_EQ(t["cases"], 8);
  EXPECT_EQ(t["images"], 8);
  EXPECT_EQ(t["urls_found"], 8);
  EXPECT_EQ(t["urls_removed"], 6);
  EXPECT_DOUBLE_EQ(t["removal_rate"].get<double>(), 0.75);
  EXPECT_EQ(t["urls_notified"], 8);
  EXPECT_EQ(t["time_to_removal"]["n"], 6);
  EXPECT_DOUBLE_EQ(t["time_to_removal"]["median_hours"].get<double>(), 30)
      << "nearest rank: the 3rd of 10, 20, ... 60";
  EXPECT_DOUBLE_EQ(t["time_to_removal"]["p90_hours"].get<double>(), 60);
  const json* instagram = Recipient(exact["platforms"], "instagram");
  const json* facebook = Recipient(exact["platforms"], "facebook");
  ASSERT_TRUE(instagram && facebook) << exact["platforms"].dump();
  EXPECT_EQ((*instagram)["name"], "Instagram");
  EXPECT_EQ((*instagram)["notices_sent"], 6);
  EXPECT_EQ((*instagram)["acted_on"], 6);
  EXPECT_DOUBLE_EQ((*instagram)["removal_rate"].get<double>(), 1.0);
  EXPECT_EQ((*facebook)["notices_sent"], 2);
  EXPECT_EQ((*facebook)["acted_on"], 0);
  EXPECT_EQ((*facebook)["never_responded"], 2);
  ASSERT_EQ(exact["jurisdictions"].size(), 1u);
  EXPECT_EQ(exact["jurisdictions"][0]["jurisdiction"], "HK");
  EXPECT_EQ(exact["months"][0]["month"], "2026-01");

  // The API's export suppresses what could single someone out.
  auto api = client.Get("/api/v1/stats?from=2026-01-01&to=2026-02-01", auth);
  ASSERT_EQ(api->status, 200) << api->body;
  const json shown = json::parse(api->body);
  EXPECT_EQ(shown["k"], 5);
  const json* facebook_shown = Recipient(shown["platforms"], "facebook");
  ASSERT_NE(facebook_shown, nullptr);
  EXPECT_TRUE((*facebook_shown)["notices_sent"].is_null()) << "2 notices: fewer than k";
  EXPECT_TRUE((*facebook_shown)["never_responded"].is_null());
  EXPECT_EQ(shown["totals"]["cases"], 8) << "a total of k or more stays";
  EXPECT_EQ(api->body.find("instagram.com/p/"), std::string::npos) << "no URL is exported";
  auto csv = client.Get("/api/v1/stats?from=2026-01-01&to=2026-02-01&format=csv", auth);
  ASSERT_EQ(csv->status, 200);
  EXPECT_NE(csv->body.find("[c]"), std::string::npos) << csv->body;
  EXPECT_EQ(client.Get("/api/v1/stats?from=2026-02-01&to=2026-01-01", auth)->status, 400);
  EXPECT_EQ(client.Get("/api/v1/stats?from=2026-01-01&to=2026-02-01")->status, 401);

  // The printed report: it renders, and its numbers are the exported JSON's.
  const fs::path pdf = dir / "report.pdf";
  ASSERT_FALSE(Output(report + " --format pdf --out " + pdf.string() + " 2>&1").empty());
  ASSERT_TRUE(fs::exists(pdf));
  ASSERT_EQ(
      std::system(("pdftoppm -png -r 40 " + pdf.string() + " " + (dir / "page").string()).c_str()),
      0);
  EXPECT_TRUE(fs::exists(dir / "page-1.png") || fs::exists(dir / "page-01.png"));
  const std::string text = Output("pdftotext -layout " + pdf.string() + " -");
  ASSERT_FALSE(text.empty());
  EXPECT_NE(text.find("Harbour Support"), std::string::npos);
  std::vector<std::string> figures = {
      report::FormatCount(shown["totals"]["cases"].get<int64_t>()),
      report::FormatPercent(shown["totals"]["removal_rate"].get<double>()),
      report::FormatHours(shown["totals"]["time_to_removal"]["median_hours"].get<double>())};
  // Instagram's rate is printed unless suppression withheld it to protect Facebook's figures.
  const json* instagram_shown = Recipient(shown["platforms"], "instagram");
  ASSERT_NE(instagram_shown, nullptr);
  if (!(*instagram_shown)["removal_rate"].is_null()) {
    figures.push_back(report::FormatPercent((*instagram_shown)["removal_rate"].get<double>()));
  }
  for (const std::string& figure : figures) {
    EXPECT_NE(text.find(figure), std::string::npos) << figure << " is not in the PDF:\n" << text;
  }
  const std::string zh = Output(report + " --format html --language zh-Hant");
  EXPECT_NE(zh.find("lang=\"zh-Hant\""), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace takedown
