// What admins change for the whole organisation over real HTTP on each database (issue 20): the
// profile notices are signed by (the server's flags until saved; saving it writes every draft
// again), a notice drafted again (a draft in place, a cancelled one's links as a new draft), and
// accounts' roles (never the last admin's) and passwords (a new one shown once).
#include "api_fixture.h"

namespace takedown {
namespace {

const json kLantern = {{"name", "Lantern Aid"},
                       {"email", "cases@lantern.example"},
                       {"phone", "+60 3 0000 0000"},
                       {"address", "2 Jalan Ampang\nKuala Lumpur"},
                       {"website", "https://lantern.example"},
                       {"signatory", "Aisha Rahman"},
                       {"signatory_role", "Caseworker"}};

TEST_P(Api, SavingTheOrganisationRewritesTheDraftsAndARedraftFollowsACancel) {
  const Session admin = Admin();
  const Session casey = UserWithRole("casey", "caseworker");
  auto before = client_->Get("/api/v1/organisation", {{"Cookie", casey.cookie}});
  ASSERT_EQ(before->status, 200) << before->body;
  const json flags = json::parse(before->body);
  EXPECT_EQ(flags["name"], "Harbour Support") << "the flags stand in until a profile is saved";
  EXPECT_EQ(flags["saved"], false);
  EXPECT_TRUE(flags["lacks"].empty());

  const auto [case_path, notice] = IntakeAndDraft(admin);
  ASSERT_FALSE(notice.empty());
  const std::string path = "/api/v1/notices/" + std::to_string(notice["id"].get<int64_t>());
  ASSERT_NE(notice["body"].get<std::string>().find("Harbour Support"), std::string::npos);

  auto put = [&](const json& profile, const Session& who) {
    return client_->Put("/api/v1/organisation", Auth(who), profile.dump(), "application/json");
  };
  EXPECT_EQ(put(kLantern, casey)->status, 403) << "admins only";
  json partial = kLantern;
  partial.erase("phone");
  EXPECT_EQ(put(partial, admin)->status, 400) << "every field is sent";
  json insecure = kLantern;
  insecure["website"] = "http://lantern.example";
  EXPECT_EQ(put(insecure, admin)->status, 400);
  auto saved = put(kLantern, admin);
  ASSERT_EQ(saved->status, 200) << saved->body;
  EXPECT_EQ(json::parse(saved->body)["drafts_rewritten"], 1);
  EXPECT_EQ(json::parse(saved->body)["saved"], true);

  // The advocacy report names the organisation as saved, not the server's flag.
  auto report =
      client_->Get("/api/v1/stats?from=2020-01-01&to=2040-01-01&format=html", Auth(admin));
  ASSERT_EQ(report->status, 200) << report->body;
  EXPECT_NE(report->body.find("Lantern Aid"), std::string::npos);
  EXPECT_EQ(report->body.find("Harbour Support"), std::string::npos);

  const json now = json::parse(client_->Get(path, {{"Cookie", casey.cookie}})->body);
  EXPECT_EQ(now["state"], "draft");
  EXPECT_NE(now["body"].get<std::string>().find("Lantern Aid"), std::string::npos);
  EXPECT_EQ(now["body"].get<std::string>().find("Harbour Support"), std::string::npos);

  // Cancelled, its links can be drafted again; asked twice, one new draft.
  ASSERT_EQ(Post(path + "/cancel", json::object(), Auth(casey))->status, 204);
  auto fresh = Post(path + "/redraft", json::object(), Auth(casey));
  ASSERT_EQ(fresh->status, 200) << fresh->body;
  const json redrafted = json::parse(fresh->body);
  EXPECT_NE(redrafted["id"], notice["id"]);
  EXPECT_EQ(redrafted["state"], "draft");
  EXPECT_EQ(redrafted["sighting_ids"], notice["sighting_ids"]);
  EXPECT_EQ(json::parse(Post(path + "/redraft", json::object(), Auth(casey))->body)["id"],
            redrafted["id"]);
  EXPECT_EQ(Post("/api/v1/notices/999/redraft", json::object(), Auth(casey))->status, 404);

  // Her case in another language: its draft is written again in it.
  auto language = Post(case_path + "/language", {{"language", "en"}}, Auth(casey));
  ASSERT_EQ(language->status, 200) << language->body;
  EXPECT_EQ(json::parse(language->body)["drafts_rewritten"], 1);
  EXPECT_EQ(Post(case_path + "/language", {{"language", "xx"}}, Auth(casey))->status, 400);

  const json events =
      json::parse(client_->Get(case_path + "/events", {{"Cookie", admin.cookie}})->body);
  EXPECT_NE(events.dump().find("notice.redrafted"), std::string::npos);
  EXPECT_NE(events.dump().find("case.language"), std::string::npos);
}

TEST_P(Api, AdminsChangeRolesButNeverTheLastAdminsAndResetPasswords) {
  const Session admin = Admin();
  const Session casey = UserWithRole("casey", "caseworker");
  const json users = json::parse(client_->Get("/api/v1/users", {{"Cookie", admin.cookie}})->body);
  const std::string self =
      "/api/v1/users/" + std::to_string(users["users"][0]["id"].get<int64_t>());
  const std::string other =
      "/api/v1/users/" + std::to_string(users["users"][1]["id"].get<int64_t>());

  EXPECT_EQ(Post(other + "/role", {{"role", "admin"}}, Auth(casey))->status, 403);
  EXPECT_EQ(Post(other + "/password-reset", json::object(), Auth(casey))->status, 403);
  EXPECT_EQ(Post(self + "/role", {{"role", "caseworker"}}, Auth(admin))->status, 409)
      << "the last admin stays one";
  EXPECT_EQ(Post(other + "/role", {{"role", "owner"}}, Auth(admin))->status, 400);
  ASSERT_EQ(Post(other + "/role", {{"role", "reviewer"}}, Auth(admin))->status, 204);
  const json listed = json::parse(client_->Get("/api/v1/users", {{"Cookie", admin.cookie}})->body);
  EXPECT_EQ(listed["users"][1]["role"], "reviewer");
  EXPECT_EQ(Post("/api/v1/users/999/role", {{"role", "admin"}}, Auth(admin))->status, 404);

  auto reset = Post(other + "/password-reset", json::object(), Auth(admin));
  ASSERT_EQ(reset->status, 200) << reset->body;
  const std::string password = json::parse(reset->body)["password"];
  EXPECT_EQ(client_->Get("/api/v1/cases", {{"Cookie", casey.cookie}})->status, 401)
      << "her open session ends";
  EXPECT_EQ(
      Post("/api/v1/login", {{"username", "casey"}, {"password", "correct horse battery"}})->status,
      401);
  const Session back = Login("casey", password);
  auto me = client_->Get("/api/v1/me", {{"Cookie", back.cookie}});
  EXPECT_EQ(json::parse(me->body)["role"], "reviewer");

  // The reset password is known to the admin too: nothing but setting her own until she has.
  EXPECT_EQ(json::parse(me->body)["must_change_password"], true);
  auto refused = client_->Get("/api/v1/cases", {{"Cookie", back.cookie}});
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(json::parse(refused->body)["error_code"], "password_change_required");
  const std::string own = "casey's own long password";
  ASSERT_EQ(Post("/api/v1/me/password", {{"current_password", password}, {"new_password", own}},
                 Auth(back))
                ->status,
            204);
  const Session mine = Login("casey", own);
  EXPECT_EQ(
      json::parse(
          client_->Get("/api/v1/me", {{"Cookie", mine.cookie}})->body)["must_change_password"],
      false);
  EXPECT_EQ(client_->Get("/api/v1/cases", {{"Cookie", mine.cookie}})->status, 200);
}

TEST_P(Api, TheQueueIsSearchedByCodeLinkOrPlatformAndCasesGoToColleagues) {
  const Session admin = Admin();
  const Session casey = UserWithRole("casey", "caseworker");
  UserWithRole("rita", "reviewer");
  const json receipt = Intake(false);
  const std::string code = receipt["code"];
  auto search = [&](const std::string& q) {
    httplib::Params params{{"q", q}};
    auto res = client_->Get("/api/v1/cases", params, {{"Cookie", casey.cookie}});
    EXPECT_EQ(res->status, 200) << res->body;
    return json::parse(res->body)["cases"];
  };
  EXPECT_EQ(search(code).size(), 1u);
  EXPECT_EQ(search(code.substr(3)).size(), 1u) << "without TD-";
  EXPECT_EQ(search("instagram.com/p/ABC").size(), 1u) << "a piece of a link";
  EXPECT_EQ(search("instagram").size(), 1u) << "a platform";
  EXPECT_TRUE(search("tiktok.com").empty());

  const json row = search(code)[0];
  EXPECT_TRUE(row["assignee"].is_null());
  EXPECT_EQ(row["language"], "zh-Hant");
  EXPECT_TRUE(row.contains("last_activity"));
  const std::string assign =
      "/api/v1/cases/" + std::to_string(row["id"].get<int64_t>()) + "/assign";

  auto colleagues = client_->Get("/api/v1/colleagues", {{"Cookie", casey.cookie}});
  ASSERT_EQ(colleagues->status, 200) << colleagues->body;
  const json listed = json::parse(colleagues->body)["colleagues"];
  std::vector<std::string> names;
  for (const json& c : listed) names.push_back(c["username"]);
  EXPECT_EQ(names, (std::vector<std::string>{"admin", "casey"})) << "no reviewer";

  const json users = json::parse(client_->Get("/api/v1/users", {{"Cookie", admin.cookie}})->body);
  const int64_t rita = users["users"][2]["id"];
  EXPECT_EQ(Post(assign, {{"user_id", rita}}, Auth(casey))->status, 409) << "a reviewer";
  ASSERT_EQ(Post(assign, {{"user_id", listed[0]["id"]}}, Auth(casey))->status, 204);
  EXPECT_EQ(search(code)[0]["assignee"], "admin");
}

}  // namespace
}  // namespace takedown
