// The administrators' routes over real HTTP on each database: users listed, disabled and
// re-enabled (sessions stop at once), partner keys listed without their secrets and revoked, all
// refused to caseworkers; and the platform directory as the dashboard's platform pages read it.
#include "api_fixture.h"

namespace takedown {
namespace {

TEST_P(Api, AdminsDisableAndReEnableAccounts) {
  const Session admin = Admin();
  const Session casey = UserWithRole("casey", "caseworker");
  auto list = client_->Get("/api/v1/users", {{"Cookie", admin.cookie}});
  ASSERT_EQ(list->status, 200);
  const json users = json::parse(list->body)["users"];
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[1]["username"], "casey");
  EXPECT_EQ(users[1]["role"], "caseworker");
  EXPECT_EQ(users[1]["disabled"], false);
  EXPECT_EQ(list->body.find("argon2"), std::string::npos) << "no password hashes";
  const std::string disable =
      "/api/v1/users/" + std::to_string(users[1]["id"].get<int64_t>()) + "/disabled";

  // Caseworkers may not look after accounts or keys.
  EXPECT_EQ(Post(disable, {{"disabled", true}}, Auth(casey))->status, 403);
  EXPECT_EQ(client_->Get("/api/v1/partners", {{"Cookie", casey.cookie}})->status, 403);
  EXPECT_EQ(Post("/api/v1/partners/1/revoke", json::object(), Auth(casey))->status, 403);
  EXPECT_EQ(
      Post("/api/v1/users",
           {{"username", "mallory"}, {"password", "correct horse battery"}, {"role", "admin"}},
           Auth(casey))
          ->status,
      403);

  EXPECT_EQ(Post(disable, json::object(), Auth(admin))->status, 400) << "the field is required";
  EXPECT_EQ(Post(disable, {{"disabled", true}}, {{"Cookie", admin.cookie}})->status, 403)
      << "CSRF token required";
  ASSERT_EQ(Post(disable, {{"disabled", true}}, Auth(admin))->status, 204);
  EXPECT_EQ(client_->Get("/api/v1/cases", {{"Cookie", casey.cookie}})->status, 401)
      << "the open session stops working";
  EXPECT_EQ(
      Post("/api/v1/login", {{"username", "casey"}, {"password", "correct horse battery"}})->status,
      401);
  auto again = client_->Get("/api/v1/users", {{"Cookie", admin.cookie}});
  EXPECT_EQ(json::parse(again->body)["users"][1]["disabled"], true);

  ASSERT_EQ(Post(disable, {{"disabled", false}}, Auth(admin))->status, 204);
  const Session back = Login("casey", "correct horse battery");
  EXPECT_EQ(client_->Get("/api/v1/cases", {{"Cookie", back.cookie}})->status, 200);

  // An admin cannot lock themselves out; an unknown account is 404.
  const std::string self =
      "/api/v1/users/" + std::to_string(users[0]["id"].get<int64_t>()) + "/disabled";
  EXPECT_EQ(Post(self, {{"disabled", true}}, Auth(admin))->status, 400);
  EXPECT_EQ(Post("/api/v1/users/999/disabled", {{"disabled", true}}, Auth(admin))->status, 404);
}

TEST_P(Api, PartnerKeysAreListedWithoutSecretsAndRevoked) {
  Intake(true);
  const std::string key = PartnerKey({"hashes:read"});
  const Session admin = Admin();
  auto list = client_->Get("/api/v1/partners", {{"Cookie", admin.cookie}});
  ASSERT_EQ(list->status, 200) << list->body;
  const json partners = json::parse(list->body)["partners"];
  ASSERT_EQ(partners.size(), 1u);
  EXPECT_EQ(partners[0]["name"], "Example Platform");
  EXPECT_EQ(partners[0]["scopes"], json::array({"hashes:read"}));
  EXPECT_EQ(partners[0]["revoked"], false);
  EXPECT_FALSE(partners[0].contains("key_hash"));
  EXPECT_EQ(list->body.find(key), std::string::npos) << "the key is never shown again";
  EXPECT_EQ(list->body.find("tdk_"), std::string::npos);

  const httplib::Headers bearer = {{"Authorization", "Bearer " + key}};
  EXPECT_EQ(client_->Get("/api/v1/hashes", bearer)->status, 200);
  const std::string revoke =
      "/api/v1/partners/" + std::to_string(partners[0]["id"].get<int64_t>()) + "/revoke";
  EXPECT_EQ(Post(revoke, json::object(), {{"Cookie", admin.cookie}})->status, 403) << "CSRF";
  ASSERT_EQ(Post(revoke, json::object(), Auth(admin))->status, 204);
  EXPECT_EQ(client_->Get("/api/v1/hashes", bearer)->status, 401) << "refused at once";
  EXPECT_EQ(json::parse(client_->Get("/api/v1/partners", {{"Cookie", admin.cookie}})
                            ->body)["partners"][0]["revoked"],
            true);
  EXPECT_EQ(Post("/api/v1/partners/999/revoke", json::object(), Auth(admin))->status, 404);
}

TEST_P(Api, PlatformsCarryTheirRoutesAndReviewDate) {
  const Session casey = UserWithRole("casey", "caseworker");
  auto res = client_->Get("/api/v1/platforms", {{"Cookie", casey.cookie}});
  ASSERT_EQ(res->status, 200);
  const json out = json::parse(res->body);
  EXPECT_EQ(out["last_reviewed"].get<std::string>().size(), 10u) << "YYYY-MM-DD";
  const auto& all = out["platforms"];
  const auto it =
      std::find_if(all.begin(), all.end(), [](const json& p) { return p["id"] == "instagram"; });
  ASSERT_NE(it, all.end());
  EXPECT_EQ((*it)["deadline_hours"], 48);
  EXPECT_NE((*it)["deadline_basis"].get<std::string>().find("TAKE IT DOWN"), std::string::npos);
  EXPECT_EQ((*it)["escalation"], json::array({"regulator"}));
  EXPECT_FALSE((*it)["notes"].get<std::string>().empty());
  EXPECT_EQ((*it)["channels"][0]["kind"], "web_form");
  EXPECT_EQ(client_->Get("/api/v1/platforms")->status, 401);
}

}  // namespace
}  // namespace takedown
