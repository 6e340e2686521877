// The queue's controls over real HTTP on each database: assigning a case and closing it move it
// between the queue's views, reviewers may do neither; and the organisation's settings, which
// every caseworker reads and only admins change.
#include "api_fixture.h"

namespace takedown {
namespace {

TEST_P(Api, AssigningAndClosingMoveACaseBetweenTheQueuesViews) {
  Intake(false);
  const Session casey = UserWithRole("casey", "caseworker");
  const Session rita = UserWithRole("rita", "reviewer");
  auto queue = [&](const std::string& query) {
    auto res = client_->Get(("/api/v1/cases" + query).c_str(), {{"Cookie", casey.cookie}});
    EXPECT_EQ(res->status, 200) << res->body;
    return json::parse(res->body)["cases"];
  };
  const json all = queue("");
  ASSERT_EQ(all.size(), 1u);
  const std::string base = "/api/v1/cases/" + std::to_string(all[0]["id"].get<int64_t>());
  const int64_t casey_id =
      json::parse(client_->Get("/api/v1/me", {{"Cookie", casey.cookie}})->body)["id"];

  EXPECT_EQ(queue("?assigned=me").size(), 0u);
  EXPECT_EQ(Post(base + "/assign", {{"user_id", casey_id}}, Auth(rita))->status, 403)
      << "reviewers change nothing";
  ASSERT_EQ(Post(base + "/assign", {{"user_id", casey_id}}, Auth(casey))->status, 204);
  EXPECT_EQ(queue("?assigned=me").size(), 1u);
  EXPECT_EQ(queue("?assigned=none").size(), 0u);
  ASSERT_EQ(Post(base + "/assign", {{"user_id", nullptr}}, Auth(casey))->status, 204);
  EXPECT_EQ(queue("?assigned=none").size(), 1u);

  EXPECT_EQ(Post(base + "/status", {{"status", "archived"}}, Auth(casey))->status, 400);
  EXPECT_EQ(Post(base + "/status", {{"status", "closed"}}, Auth(rita))->status, 403);
  ASSERT_EQ(Post(base + "/status", {{"status", "closed"}}, Auth(casey))->status, 204);
  EXPECT_EQ(queue("?status=open").size(), 0u);
  const json closed = queue("?status=closed");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_FALSE(closed[0]["closed_at"].is_null());
  ASSERT_EQ(Post(base + "/status", {{"status", "open"}}, Auth(casey))->status, 204);
  EXPECT_EQ(queue("?status=open").size(), 1u);
}

TEST_P(Api, EveryCaseworkerReadsTheSettingsAndOnlyAdminsChangeThem) {
  const Session admin = Admin();
  const Session casey = UserWithRole("casey", "caseworker");
  auto read = [&] {
    auto res = client_->Get("/api/v1/settings", {{"Cookie", casey.cookie}});
    EXPECT_EQ(res->status, 200) << res->body;
    return json::parse(res->body);
  };
  auto put = [&](const json& body, const Session& who) {
    return client_->Put("/api/v1/settings", Auth(who), body.dump(), "application/json");
  };
  // Out of the box nothing happens without a person; the thresholds are the documented ones.
  EXPECT_EQ(read(), (json{{"send_automatically", false},
                          {"first_contact", "person"},
                          {"draft_automatically", false},
                          {"confirm_automatically", false},
                          {"confirm_max_distance", 24},
                          {"confirm_min_quality", 70}}));
  EXPECT_EQ(put({{"send_automatically", true}}, casey)->status, 403);
  EXPECT_EQ(put(json::object(), admin)->status, 400) << "a change names at least one setting";
  EXPECT_EQ(put({{"first_contact", "nobody"}}, admin)->status, 400);
  EXPECT_EQ(put({{"confirm_max_distance", 32}}, admin)->status, 400)
      << "never beyond PDQ's matching radius";
  EXPECT_EQ(put({{"confirm_min_quality", "high"}}, admin)->status, 400);
  EXPECT_EQ(put({{"colour", "blue"}}, admin)->status, 400);
  auto changed = put({{"send_automatically", true}, {"first_contact", "published"}}, admin);
  ASSERT_EQ(changed->status, 200) << changed->body;
  EXPECT_EQ(json::parse(changed->body)["send_automatically"], true);
  // One PUT changes what it names and keeps the rest.
  ASSERT_EQ(put({{"confirm_automatically", true}, {"confirm_max_distance", 16}}, admin)->status,
            200);
  const json now = read();
  EXPECT_EQ(now["send_automatically"], true);
  EXPECT_EQ(now["first_contact"], "published");
  EXPECT_EQ(now["confirm_automatically"], true);
  EXPECT_EQ(now["confirm_max_distance"], 16);
  EXPECT_EQ(now["draft_automatically"], false);
}

}  // namespace
}  // namespace takedown
