// Issue 20: bulk decisions on a case's notices and sightings over real HTTP against the real
// `takedown serve`, on each database: one request decides every item as its single route would,
// refuses ids of another case in its results, and writes one audit event for the request.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "api_fixture.h"

namespace takedown {
namespace {

// The case's events by action, read through its timeline.
std::map<std::string, int> ActionCounts(httplib::Client& client, const std::string& case_path,
                                        const std::string& cookie) {
  auto res = client.Get((case_path + "/events?limit=1000").c_str(), {{"Cookie", cookie}});
  std::map<std::string, int> out;
  const json events = json::parse(res->body)["events"];
  for (const json& e : events) ++out[e["action"].get<std::string>()];
  return out;
}

TEST_P(Api, OneBulkRequestApprovesACasesNoticesAndWritesOneEvent) {
  const Session admin = Admin();
  auto intake = [&](const std::vector<std::string>& urls) {
    auto res = Post("/api/v1/intake", {{"images", {{{"pdq", kPdqA}, {"quality", 90}}}},
                                       {"urls", urls},
                                       {"jurisdiction", "HK"},
                                       {"language", "en"},
                                       {"authorise", true}});
    EXPECT_EQ(res->status, 201) << res->body;
  };
  intake({"https://www.instagram.com/p/abc/", "https://t.me/somechannel/12",
          "https://www.reddit.com/r/x/comments/1/"});
  intake({"https://www.instagram.com/p/other/"});
  const json cases = json::parse(client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}})->body);
  std::vector<int64_t> ids;
  for (const json& c : cases["cases"]) ids.push_back(c["id"]);
  std::sort(ids.begin(), ids.end());
  const std::string case_path = "/api/v1/cases/" + std::to_string(ids[0]);
  const std::string other_path = "/api/v1/cases/" + std::to_string(ids[1]);

  auto drafted = Post(case_path + "/notices", json::object(), Auth(admin));
  ASSERT_EQ(drafted->status, 201) << drafted->body;
  std::map<std::string, int64_t> notice_of;  // recipient -> notice id
  const json drafts = json::parse(drafted->body)["notices"];
  for (const json& n : drafts)
    notice_of[n["recipient"].get<std::string>()] = n["id"].get<int64_t>();
  ASSERT_EQ(notice_of.size(), 3u) << drafted->body;
  auto other = Post(other_path + "/notices", json::object(), Auth(admin));
  ASSERT_EQ(other->status, 201) << other->body;
  const int64_t foreign = json::parse(other->body)["notices"][0]["id"];

  const std::string bulk = case_path + "/notices/bulk";
  const json all = {notice_of["instagram"], notice_of["telegram"], notice_of["reddit"], foreign};
  const Session reviewer = UserWithRole("rita", "reviewer");
  EXPECT_EQ(Post(bulk, {{"action", "approve"}, {"notice_ids", all}}, Auth(reviewer))->status, 403);
  EXPECT_EQ(Post(bulk, {{"action", "approve"}, {"notice_ids", json::array()}}, Auth(admin))->status,
            400);
  EXPECT_EQ(Post(bulk, {{"action", "publish"}, {"notice_ids", all}}, Auth(admin))->status, 400);
  EXPECT_EQ(Post(bulk, {{"action", "approve"}, {"notice_ids", std::vector<int64_t>(1001, 1)}},
                 Auth(admin))
                ->status,
            400);
  EXPECT_EQ(Post("/api/v1/cases/999999/notices/bulk", {{"action", "approve"}, {"notice_ids", all}},
                 Auth(admin))
                ->status,
            404);

  auto approved = Post(bulk, {{"action", "approve"}, {"notice_ids", all}}, Auth(admin));
  ASSERT_EQ(approved->status, 200) << approved->body;
  const json results = json::parse(approved->body)["results"];
  ASSERT_EQ(results.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(results[i]["ok"]) << results[i].dump();
    EXPECT_FALSE(results[i].contains("error")) << results[i].dump();
  }
  EXPECT_EQ(results[0]["state"], "approved") << "a web form waits for the caseworker";
  EXPECT_FALSE(results[3]["ok"]) << "a notice of another case";
  EXPECT_FALSE(results[3]["error"].get<std::string>().empty());
  const json foreign_now = json::parse(
      client_
          ->Get(("/api/v1/notices/" + std::to_string(foreign)).c_str(), {{"Cookie", admin.cookie}})
          ->body);
  EXPECT_EQ(foreign_now["state"], "draft") << "the other case's notice is untouched";

  // Approving again is refused item by item, as the single route refuses it.
  auto twice =
      Post(bulk, {{"action", "approve"}, {"notice_ids", {notice_of["instagram"]}}}, Auth(admin));
  ASSERT_EQ(twice->status, 200) << twice->body;
  EXPECT_FALSE(json::parse(twice->body)["results"][0]["ok"]);

  // The web forms submitted in one more request: their deadlines run.
  auto submitted =
      Post(bulk,
           {{"action", "submitted"}, {"notice_ids", {notice_of["instagram"], notice_of["reddit"]}}},
           Auth(admin));
  ASSERT_EQ(submitted->status, 200) << submitted->body;
  const json submitted_results = json::parse(submitted->body)["results"];
  for (const json& r : submitted_results) {
    EXPECT_TRUE(r["ok"]) << r.dump();
    EXPECT_EQ(r["state"], "submitted");
  }

  const auto actions = ActionCounts(*client_, case_path, admin.cookie);
  EXPECT_EQ(actions.count("notice.approved"), 0u) << "no event per item";
  EXPECT_EQ(actions.count("notice.submitted"), 0u);
  EXPECT_EQ(actions.at("notices.bulk"), 3) << "one per bulk request";
  EXPECT_EQ(actions.at("sighting.notified"), 2)
      << "each submitted form's link is notified, as a single submit says";
}

// Issue 17 item 5 and issue 20: a notice written in another language than the case's, on its own
// or a case's drafts written again in one bulk request.
TEST_P(Api, ANoticeIsRedraftedInAnotherLanguageAloneOrInBulk) {
  const Session admin = Admin();
  const auto [case_path, notice] = IntakeAndDraft(admin);
  ASSERT_EQ(notice["language"], "zh-Hant") << "hers";
  const int64_t id = notice["id"];
  const std::string path = "/api/v1/notices/" + std::to_string(id);

  EXPECT_EQ(Post(path + "/redraft", {{"language", "xx"}}, Auth(admin))->status, 400);
  EXPECT_EQ(Post(path + "/redraft", {{"language", 7}}, Auth(admin))->status, 400);
  auto malay = Post(path + "/redraft", {{"language", "ms"}}, Auth(admin));
  ASSERT_EQ(malay->status, 200) << malay->body;
  EXPECT_EQ(json::parse(malay->body)["id"], id) << "a draft is written again in place";
  EXPECT_EQ(json::parse(malay->body)["language"], "ms");
  const json events = json::parse(
      client_->Get((case_path + "/events").c_str(), {{"Cookie", admin.cookie}})->body)["events"];
  const auto redrafted = std::find_if(events.begin(), events.end(), [](const json& e) {
    return e["action"] == "notice.redrafted";
  });
  ASSERT_NE(redrafted, events.end());
  EXPECT_EQ((*redrafted)["detail"]["language"], "ms") << "the timeline says which language";

  auto bulk =
      Post(case_path + "/notices/bulk", {{"action", "redraft"}, {"notice_ids", {id}}}, Auth(admin));
  ASSERT_EQ(bulk->status, 200) << bulk->body;
  const json result = json::parse(bulk->body)["results"][0];
  EXPECT_TRUE(result["ok"]) << result.dump();
  EXPECT_EQ(result["state"], "draft");
  const json again = json::parse(client_->Get(path, {{"Cookie", admin.cookie}})->body);
  EXPECT_EQ(again["language"], "zh-Hant") << "a bulk redraft writes in the case's language";
  const auto actions = ActionCounts(*client_, case_path, admin.cookie);
  EXPECT_EQ(actions.at("notice.redrafted"), 1) << "the bulk request's one event, not one each";
  EXPECT_EQ(actions.at("notices.bulk"), 1);

  ASSERT_EQ(Post(path + "/cancel", json::object(), Auth(admin))->status, 204);
  auto refused =
      Post(case_path + "/notices/bulk", {{"action", "redraft"}, {"notice_ids", {id}}}, Auth(admin));
  ASSERT_EQ(refused->status, 200) << refused->body;
  EXPECT_TRUE(json::parse(refused->body)["results"][0]["ok"])
      << "a cancelled notice's links are drafted again";
}

TEST_P(Api, OneBulkRequestConfirmsAndDismissesPastedLinks) {
  Intake(false);
  const Session admin = Admin();
  const json cases = json::parse(client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}})->body);
  const std::string case_path =
      "/api/v1/cases/" + std::to_string(cases["cases"][0]["id"].get<int64_t>());
  auto pasted = Post(case_path + "/urls",
                     {{"text",
                       "https://x.com/a/status/1\nhttps://x.com/a/status/2\n"
                       "https://x.com/a/status/3"}},
                     Auth(admin));
  ASSERT_EQ(pasted->status, 200) << pasted->body;
  std::vector<int64_t> ids;
  const json lines = json::parse(pasted->body)["lines"];
  for (const json& l : lines) ids.push_back(l["sighting_id"].get<int64_t>());
  ASSERT_EQ(ids.size(), 3u);

  const std::string bulk = case_path + "/sightings/bulk";
  auto confirmed =
      Post(bulk, {{"action", "confirm"}, {"sighting_ids", {ids[0], ids[1]}}}, Auth(admin));
  ASSERT_EQ(confirmed->status, 200) << confirmed->body;
  auto dismissed = Post(bulk, {{"action", "dismiss"}, {"sighting_ids", {ids[2]}}}, Auth(admin));
  ASSERT_EQ(dismissed->status, 200) << dismissed->body;
  EXPECT_EQ(json::parse(dismissed->body)["results"][0]["state"], "dismissed");
  // A dismissed link cannot be dismissed again (domain::CanTransition).
  auto again = Post(bulk, {{"action", "dismiss"}, {"sighting_ids", {ids[2]}}}, Auth(admin));
  EXPECT_FALSE(json::parse(again->body)["results"][0]["ok"]);
  EXPECT_EQ(Post(bulk, {{"action", "remove"}, {"sighting_ids", {ids[0]}}}, Auth(admin))->status,
            400);

  // The confirmed links can now be named in notices; the dismissed one never.
  auto drafted = Post(case_path + "/notices", {{"sighting_ids", ids}}, Auth(admin));
  ASSERT_EQ(drafted->status, 201) << drafted->body;
  const json notice = json::parse(drafted->body)["notices"][0];
  EXPECT_EQ(notice["sighting_ids"], json({ids[0], ids[1]}));

  const auto actions = ActionCounts(*client_, case_path, admin.cookie);
  EXPECT_EQ(actions.count("sighting.confirmed"), 0u) << "no event per item";
  EXPECT_EQ(actions.count("sighting.state"), 0u);
  EXPECT_EQ(actions.at("sightings.bulk"), 3);
}

}  // namespace
}  // namespace takedown
