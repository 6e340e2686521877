// The HTTP API's casework over real HTTP against the real `takedown serve`, on each database:
// reported URLs checked with their evidence, a watched listing page raising a repost, and a notice
// drafted in her language under her authorisation with its deadline, a link pasted without a scheme
// stored with https:// and drafted with the others, and a caseworker's messages to her on her
// status page (staff notes never).
#include <map>
#include <set>
#include <string>

#include "api_fixture.h"

namespace takedown {
namespace {

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
  const json receipt = json::parse(intake->body);
  // Her status page counts a copy only once it is confirmed (issue 20).
  auto copies_found = [&] { return HerStatus(receipt).value("copies_found", -1); };
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
  // The queue's "reappeared" view has it, a repost to review, until it is confirmed.
  auto queue = [&](const std::string& attention) {
    return json::parse(
        client_->Get(("/api/v1/cases?attention=" + attention).c_str(), {{"Cookie", admin.cookie}})
            ->body)["cases"];
  };
  EXPECT_EQ(copies_found(), 0) << "a repost counts for her once a caseworker confirms it";
  ASSERT_EQ(queue("reappeared").size(), 1u);
  EXPECT_EQ(queue("reappeared")[0]["attention"]["reposts"], 1);
  EXPECT_TRUE(queue("waiting").empty());
  EXPECT_EQ(client_->Get("/api/v1/cases?attention=later", {{"Cookie", admin.cookie}})->status, 400);
  const std::string confirm =
      "/api/v1/sightings/" + std::to_string(repost["id"].get<int64_t>()) + "/confirm";
  EXPECT_EQ(client_->Post(confirm.c_str(), Auth(reviewer), "", "application/json")->status, 403);
  EXPECT_EQ(client_->Post(confirm.c_str(), Auth(caseworker), "", "application/json")->status, 204);
  EXPECT_TRUE(queue("reappeared").empty());
  EXPECT_EQ(copies_found(), 1) << "the crawl saw her photo there";

  // Crawl now: the case's one source is queued at once; reviewers only look.
  EXPECT_EQ(Post(case_path + "/crawl", json::object(), Auth(reviewer))->status, 403);
  auto crawl_now = Post(case_path + "/crawl", json::object(), Auth(caseworker));
  ASSERT_EQ(crawl_now->status, 202) << crawl_now->body;
  EXPECT_EQ(json::parse(crawl_now->body)["queued"], 1);

  EXPECT_EQ(Post(case_path + "/watch", {{"paused", "yes"}}, Auth(caseworker))->status, 400);
  EXPECT_EQ(Post(case_path + "/watch", {{"paused", true}}, Auth(caseworker))->status, 204);
  detail = json::parse(client_->Get(case_path.c_str(), {{"Cookie", admin.cookie}})->body);
  EXPECT_EQ(detail["watch_paused"], true);
  EXPECT_EQ(Post(case_path + "/crawl", json::object(), Auth(caseworker))->status, 409)
      << "nothing is crawled while the case's watching is paused";
  EXPECT_EQ(detail["sightings"][0]["needs_review"], false);
  const auto events = json::parse(
      client_->Get((case_path + "/events").c_str(), {{"Cookie", admin.cookie}})->body)["events"];
  std::vector<std::string> actions;
  for (const json& e : events) actions.push_back(e["action"]);
  for (const char* action : {"source.added", "sighting.repost", "sighting.confirmed",
                             "case.crawl_asked", "case.watch_paused"}) {
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

// Issue 20: a link pasted without a scheme is stored with https://, as the case page shows it, and
// is drafted with the case's other links rather than failing the whole case.
TEST_P(Api, ALinkPastedWithoutASchemeIsStoredWithHttpsAndDraftedWithTheOthers) {
  const Session admin = Admin();
  auto res = Post("/api/v1/intake", {{"images", {{{"pdq", kPdqA}, {"quality", 90}}}},
                                     {"urls", {"https://t.me/somechannel/12"}},
                                     {"jurisdiction", "HK"},
                                     {"language", "en"},
                                     {"authorise", true}});
  ASSERT_EQ(res->status, 201) << res->body;
  const json cases = json::parse(client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}})->body);
  const std::string case_path =
      "/api/v1/cases/" + std::to_string(cases["cases"][0]["id"].get<int64_t>());
  auto pasted =
      Post(case_path + "/urls", {{"text", "www.instagram.com/p/C1a2B3c4D5e/"}}, Auth(admin));
  ASSERT_EQ(pasted->status, 200) << pasted->body;
  EXPECT_EQ(json::parse(pasted->body)["added"], 1);

  const json detail =
      json::parse(client_->Get(case_path.c_str(), {{"Cookie", admin.cookie}})->body);
  std::set<std::string> stored;
  for (const json& s : detail["sightings"]) stored.insert(s["url"].get<std::string>());
  EXPECT_EQ(stored, (std::set<std::string>{"https://t.me/somechannel/12",
                                           "https://www.instagram.com/p/C1a2B3c4D5e/"}));
  // Issue 21: a pasted link that matched none of her images is named only once confirmed.
  const int64_t pasted_id = json::parse(pasted->body)["lines"][0]["sighting_id"];
  ASSERT_EQ(Post("/api/v1/sightings/" + std::to_string(pasted_id) + "/confirm", json::object(),
                 Auth(admin))
                ->status,
            204);

  auto drafted = Post(case_path + "/notices", json::object(), Auth(admin));
  ASSERT_EQ(drafted->status, 201) << drafted->body;
  std::map<std::string, std::string> bodies;
  const json notices = json::parse(drafted->body);
  for (const json& n : notices["notices"]) bodies[n["recipient"]] = n["body"];
  ASSERT_EQ(bodies.size(), 2u) << client_->Get(case_path.c_str(), {{"Cookie", admin.cookie}})->body;
  EXPECT_NE(bodies["instagram"].find("https://www.instagram.com/p/C1a2B3c4D5e/"),
            std::string::npos);
  EXPECT_NE(bodies["telegram"].find("https://t.me/somechannel/12"), std::string::npos);
}

// Issue 8: a message to her is a note marked for her status page; staff notes never reach it, nor
// who wrote a message. Reviewers cannot write either; each message is audited without its text;
// erasing the case erases them.
TEST_P(Api, ACaseworkersMessageReachesHerStatusPageAndAStaffNoteNever) {
  const json receipt = Intake(false);
  const std::string code = receipt["code"], pin = receipt["pin"];
  const Session admin = Admin();
  const json cases = json::parse(client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}})->body);
  const std::string path =
      "/api/v1/cases/" + std::to_string(cases["cases"][0]["id"].get<int64_t>());
  const std::string notes = path + "/notes";
  auto status = [&] { return HerStatus(receipt); };
  EXPECT_EQ(status()["messages"], json::array());

  ASSERT_EQ(Post(notes, {{"text", "Staff only: she sounded frightened"}}, Auth(admin))->status,
            201);
  auto sent =
      Post(notes, {{"text", "Instagram removed one image."}, {"to_survivor", true}}, Auth(admin));
  ASSERT_EQ(sent->status, 201) << sent->body;
  AdvanceClock(60'000);
  ASSERT_EQ(Post(notes, {{"text", "第二則訊息"}, {"to_survivor", true}}, Auth(admin))->status, 201);
  EXPECT_EQ(Post(notes, {{"text", "x"}, {"to_survivor", "yes"}}, Auth(admin))->status, 400);
  EXPECT_EQ(Post(notes, {{"text", ""}, {"to_survivor", true}}, Auth(admin))->status, 400);
  const Session reviewer = UserWithRole("rita", "reviewer");
  EXPECT_EQ(Post(notes, {{"text", "hello"}, {"to_survivor", true}}, Auth(reviewer))->status, 403);
  EXPECT_EQ(Post(notes, {{"text", "hello"}}, Auth(reviewer))->status, 403);

  // Hers: time and text of the messages, oldest first.
  const json seen = status();
  ASSERT_EQ(seen["messages"].size(), 2u) << seen.dump();
  EXPECT_EQ(seen["messages"][0]["text"], "Instagram removed one image.");
  EXPECT_EQ(seen["messages"][1]["text"], "第二則訊息");
  EXPECT_LT(seen["messages"][0]["at"].get<std::string>(),
            seen["messages"][1]["at"].get<std::string>());
  for (const json& m : seen["messages"]) EXPECT_EQ(m.size(), 2u) << "time and text only";
  EXPECT_EQ(seen.dump().find("frightened"), std::string::npos) << seen.dump();
  EXPECT_EQ(seen.dump().find("admin"), std::string::npos) << seen.dump();

  // The case view lists all three, the messages marked.
  const json detail = json::parse(client_->Get(path.c_str(), {{"Cookie", admin.cookie}})->body);
  ASSERT_EQ(detail["notes"].size(), 3u) << detail.dump();
  EXPECT_FALSE(detail["notes"][0]["to_survivor"].get<bool>());
  EXPECT_TRUE(detail["notes"][1]["to_survivor"].get<bool>());
  EXPECT_TRUE(detail["notes"][2]["to_survivor"].get<bool>());

  // Each message is audited, its text left out of the trail.
  auto events = client_->Get((path + "/events").c_str(), {{"Cookie", admin.cookie}});
  const json trail = json::parse(events->body);
  int messages = 0;
  for (const json& e : trail["events"]) {
    messages += e["action"] == "case.message" ? 1 : 0;
  }
  EXPECT_EQ(messages, 2) << events->body;
  EXPECT_EQ(events->body.find("Instagram removed"), std::string::npos);

  // Erasing the case erases the messages with it.
  EXPECT_EQ(client_->Delete("/api/v1/case", {{"Authorization", Basic(code, pin)}})->status, 200);
  EXPECT_EQ(client_->Get(path.c_str(), {{"Cookie", admin.cookie}})->status, 404);
}

// Issue 21: intake takes the person's age, the AI flag and her contact for notices apart from the
// organisation's; a caseworker changes the age and flag later; a pasted link nobody checked is
// named by no notice; a minor's notice cites child-protection law and an adult's never.
TEST_P(Api, AgeAndTheAiFlagChooseTheLawAndAnUncheckedLinkWaitsForConfirmation) {
  const Session admin = Admin();
  auto res = Post("/api/v1/intake", {{"urls", {"https://t.me/somechannel/21"}},
                                     {"jurisdiction", "HK"},
                                     {"language", "en"},
                                     {"authorise", true},
                                     {"age", "adult"},
                                     {"ai_made", true},
                                     {"contact", "home 2345 6789"},
                                     {"in_notices", "name_and_contact"},
                                     {"name", "Lee Siu Ling"},
                                     {"notice_contact", "lee.notices@example.com"}});
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(
      Post("/api/v1/intake", {{"urls", {"https://t.me/x/1"}}, {"language", "en"}, {"age", "teen"}})
          ->status,
      400);
  const json cases = json::parse(client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}})->body);
  const std::string path =
      "/api/v1/cases/" + std::to_string(cases["cases"][0]["id"].get<int64_t>());
  json detail = json::parse(client_->Get(path.c_str(), {{"Cookie", admin.cookie}})->body);
  EXPECT_EQ(detail["age"], "adult");
  EXPECT_EQ(detail["ai_made"], true);
  EXPECT_EQ(detail["notice_contact"], "lee.notices@example.com");
  EXPECT_EQ(detail["contact"], "home 2345 6789");
  ASSERT_EQ(
      Post(path + "/urls", {{"text", "https://www.instagram.com/p/C9z8Y7x6W5v/"}}, Auth(admin))
          ->status,
      200);

  auto drafted = Post(path + "/notices", json::object(), Auth(admin));
  ASSERT_EQ(drafted->status, 201) << drafted->body;
  const json adult = json::parse(drafted->body)["notices"];
  ASSERT_EQ(adult.size(), 1u) << "the pasted Instagram link waits for a caseworker: "
                              << drafted->body;
  const std::string body = adult[0]["body"];
  EXPECT_EQ(body.find("instagram.com"), std::string::npos);
  EXPECT_EQ(body.find("Cap. 579"), std::string::npos) << body;
  EXPECT_NE(body.find("reports that these images were made or altered by software"),
            std::string::npos)
      << "the AI paragraph: " << body;
  EXPECT_NE(body.find("lee.notices@example.com"), std::string::npos) << body;
  EXPECT_EQ(body.find("2345 6789"), std::string::npos) << "her contact for the organisation";

  EXPECT_EQ(Post(path + "/age", {{"age", "minor_now"}}, Auth(admin))->status, 400);
  ASSERT_EQ(Post(path + "/age", {{"age", "minor_now"}, {"ai_made", false}}, Auth(admin))->status,
            204);
  detail = json::parse(client_->Get(path.c_str(), {{"Cookie", admin.cookie}})->body);
  EXPECT_EQ(detail["age"], "minor_now");
  EXPECT_EQ(detail["ai_made"], false);
  const Session reviewer = UserWithRole("rita", "reviewer");
  EXPECT_EQ(Post(path + "/age", {{"age", "adult"}, {"ai_made", false}}, Auth(reviewer))->status,
            403);
}

}  // namespace
}  // namespace takedown
