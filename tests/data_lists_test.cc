// Jurisdictions and languages come from the data folder, not from lists in code: each test copies
// data/ into a temporary folder, adds one thing there the way a maintainer would (a profile file
// from tests/fixtures/, or a language's files), starts the real `takedown serve` on it, and sees
// the addition everywhere it should be: the resources API's lists, intake, a drafted notice, and
// the statistics report (`takedown report` beside the server).
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <toml++/toml.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "server_process.h"

namespace takedown {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

const fs::path kSource = TAKEDOWN_SOURCE_DIR;

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

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void Write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// A temporary folder holding data/ (a copy of the repository's) and the server's database.
class DataLists : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-lists-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    fs::copy(kSource / "data", data(), fs::copy_options::recursive);
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  fs::path data() const { return dir_ / "data"; }

  void Start() {
    server_ = std::make_unique<testing::ServerProcess>(std::vector<std::string>{
        "--data", (dir_ / "db").string(), "--notices", data().string(), "--platforms",
        (data() / "platforms.toml").string(), "--clock", "manual", "--clock-start",
        "2026-01-05T00:00:00Z", "--no-worker", "--org-name", "Harbour Support", "--org-email",
        "help@harbour.example", "--org-signatory", "Maria Chan"});
    ASSERT_GT(server_->port(), 0) << server_->output();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    auto in =
        client_->Post("/api/v1/login",
                      json{{"username", "admin"}, {"password", server_->admin_password()}}.dump(),
                      "application/json");
    ASSERT_TRUE(in && in->status == 200);
    const std::string cookie = in->get_header_value("Set-Cookie");
    auth_ = {{"Cookie", cookie.substr(0, cookie.find(';'))},
             {"X-CSRF-Token", json::parse(in->body)["csrf_token"]}};
  }

  json Resources(const std::string& query) {
    auto res = client_->Get("/api/v1/resources?" + query);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    return res && res->status == 200 ? json::parse(res->body) : json::object();
  }

  httplib::Result Intake(const std::string& jurisdiction, const std::string& language) {
    return client_->Post("/api/v1/intake",
                         json{{"urls", {"https://www.instagram.com/p/lists/"}},
                              {"jurisdiction", jurisdiction},
                              {"language", language},
                              {"authorise", true}}
                             .dump(),
                         "application/json");
  }

  // The notice drafted for case 1 (the only one).
  json DraftNotice() {
    auto drafted = client_->Post("/api/v1/cases/1/notices", auth_, "{}", "application/json");
    EXPECT_TRUE(drafted && drafted->status == 201) << (drafted ? drafted->body : "no answer");
    if (!drafted || drafted->status != 201) return json::object();
    return json::parse(drafted->body)["notices"][0];
  }

  // `takedown report` over January 2026 on this data folder, every count shown.
  std::string Report(const std::string& args) {
    return Output(std::string(TAKEDOWN_BINARY) + " report --data " + (dir_ / "db").string() +
                  " --notices " + data().string() +
                  " --from 2026-01-01 --to 2026-02-01 --stats-k 1 " + args);
  }

  fs::path dir_;
  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
  httplib::Headers auth_;
};

bool Has(const json& list, const json& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST_F(DataLists, AJurisdictionIsAddedByItsProfileFileAlone) {
  fs::copy_file(kSource / "tests/fixtures/jurisdiction-zz.toml", data() / "jurisdictions/zz.toml");
  Start();

  // (a) The API lists it, named in the language asked, beside the shipped ones.
  const json en = Resources("language=en");
  EXPECT_TRUE(Has(en["jurisdictions"], json{{"code", "ZZ"}, {"name", "Zedland"}}))
      << en["jurisdictions"].dump();
  EXPECT_TRUE(Has(en["jurisdictions"], json{{"code", "HK"}, {"name", "Hong Kong"}}));
  EXPECT_EQ(en["jurisdictions"][0]["code"], "") << "no jurisdiction recorded comes first";
  const json zh = Resources("language=zh-Hant&jurisdiction=ZZ");
  EXPECT_TRUE(Has(zh["jurisdictions"], json{{"code", "ZZ"}, {"name", "澤德蘭"}}));
  EXPECT_EQ(zh["jurisdiction"], "ZZ");
  EXPECT_EQ(zh["regulator"]["name"], "Zedland Image Commissioner");

  // (b) Intake takes it; a code with no profile is still refused, and says what is accepted.
  auto refused = Intake("QQ", "en");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_NE(refused->body.find("ZZ"), std::string::npos) << refused->body;
  auto taken = Intake("ZZ", "en");
  ASSERT_TRUE(taken);
  ASSERT_EQ(taken->status, 201) << taken->body;

  // (c) Her notice is rendered under its profile.
  const json notice = DraftNotice();
  EXPECT_EQ(notice["legal_basis"], "Zedland Image Act s.9") << notice.dump();
  EXPECT_NE(notice["body"].get<std::string>().find("Section 9 of the Zedland Image Act"),
            std::string::npos);

  // (d) The statistics count her case under it, in the JSON and in the printed report.
  const std::string figures = Report("--format json");
  ASSERT_FALSE(figures.empty());
  const json stats = json::parse(figures);
  ASSERT_EQ(stats["jurisdictions"].size(), 1u) << stats["jurisdictions"].dump();
  EXPECT_EQ(stats["jurisdictions"][0]["jurisdiction"], "ZZ");
  EXPECT_EQ(stats["jurisdictions"][0]["cases"], 1);
  EXPECT_NE(Report("--format html").find(">ZZ<"), std::string::npos);
}

// Every "en" text of a TOML table gains a `tag` twin: the English marked with `mark`.
void AddTranslation(toml::table& table, const std::string& tag, const std::string& mark) {
  if (const auto* english = table.get_as<std::string>("en"); english != nullptr) {
    table.insert_or_assign(tag, mark + english->get());
  }
  for (auto&& [key, node] : table) {
    if (auto* child = node.as_table()) AddTranslation(*child, tag, mark);
    if (auto* list = node.as_array()) {
      for (auto& item : *list) {
        if (auto* child = item.as_table()) AddTranslation(*child, tag, mark);
      }
    }
  }
}

TEST_F(DataLists, ALanguageIsAddedByItsFilesAlone) {
  // French, as a translator would add it: notice templates for every kind, the profiles' texts,
  // the report's labels. The fixture's words are the English ones, marked, so that the test can
  // tell which language a notice was rendered from.
  const std::string mark = "[fr] ";
  for (const auto& kind : fs::directory_iterator(data() / "templates")) {
    for (const auto& file : fs::directory_iterator(kind.path())) {
      const std::string name = file.path().filename().string();
      if (name.rfind("en.", 0) != 0) continue;
      std::string text = Read(file.path());
      if (name == "en.subject.mustache" || name == "en.txt.mustache") text = mark + text;
      Write(kind.path() / ("fr." + name.substr(3)), text);
    }
  }
  for (const auto& file : fs::directory_iterator(data() / "jurisdictions")) {
    toml::table profile = toml::parse_file(file.path().string());
    AddTranslation(profile, "fr", mark);
    std::ostringstream out;
    out << profile;
    Write(file.path(), out.str());
  }
  fs::copy_file(data() / "report/en.toml", data() / "report/fr.toml");
  // A notice goes in her language only to a platform that takes it: say Instagram takes French.
  std::string platforms = Read(data() / "platforms.toml");
  const std::string instagram = "id = \"instagram\"";
  const std::string takes = "languages = [\"en\",";
  const size_t at = platforms.find(takes, platforms.find(instagram));
  ASSERT_NE(at, std::string::npos);
  platforms.replace(at, takes.size(), "languages = [\"fr\", \"en\",");
  Write(data() / "platforms.toml", platforms);
  Start();

  const json resources = Resources("language=fr&jurisdiction=HK");
  EXPECT_TRUE(Has(resources["languages"], "fr")) << resources["languages"].dump();
  EXPECT_TRUE(Has(resources["report_languages"], "fr")) << resources["report_languages"].dump();
  EXPECT_EQ(resources["language"], "fr");
  EXPECT_TRUE(Has(resources["jurisdictions"], json{{"code", "HK"}, {"name", "[fr] Hong Kong"}}));

  auto refused = Intake("HK", "de");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_NE(refused->body.find("fr"), std::string::npos) << refused->body;
  auto taken = Intake("HK", "fr");
  ASSERT_TRUE(taken);
  ASSERT_EQ(taken->status, 201) << taken->body;

  const json notice = DraftNotice();
  EXPECT_EQ(notice["language"], "fr") << notice.dump();
  EXPECT_EQ(notice["subject"].get<std::string>().rfind(mark, 0), 0u) << notice["subject"];
  EXPECT_NE(notice["body"].get<std::string>().find("[fr] We make this request"), std::string::npos)
      << notice["body"];

  const std::string html = Report("--format html --language fr");
  EXPECT_NE(html.find("lang=\"fr\""), std::string::npos) << html.substr(0, 300);
}

}  // namespace
}  // namespace takedown
