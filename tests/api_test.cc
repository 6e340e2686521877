// The HTTP API over real HTTP against the real `takedown serve` binary on an ephemeral port, on
// each database: intake -> status -> erase, login, CSRF, roles, PIN throttling (with the manual
// clock), the partner hash feed and match, bad input, and the public resources data (casework:
// api_casework_test.cc).
#include "api_fixture.h"

namespace takedown {
namespace {

TEST_P(Api, IntakeStatusErase) {
  const json receipt = Intake(true);
  const std::string code = receipt["code"], pin = receipt["pin"];
  EXPECT_EQ(receipt["urls_accepted"], 1);
  EXPECT_EQ(receipt["url_errors"].size(), 1u) << "ftp:// is refused, the good URL kept";

  auto status = client_->Get("/api/v1/status", {{"Authorization", Basic(code, pin)}});
  ASSERT_TRUE(status && status->status == 200) << (status ? status->body : "");
  const json counts = json::parse(status->body);
  EXPECT_EQ(counts["images"], 1);
  EXPECT_EQ(counts["being_checked"], 1) << "her own link, not checked yet";
  EXPECT_EQ(counts["copies_found"], 0) << "nothing confirmed yet";
  EXPECT_EQ(counts["removed"], 0);
  EXPECT_EQ(status->body.find("instagram"), std::string::npos) << "counts only, never URLs";
  // Lowercase codes are accepted (people type them).
  std::string lower = code;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  EXPECT_EQ(client_->Get("/api/v1/status", {{"Authorization", Basic(lower, pin)}})->status, 200);

  auto wrong = client_->Get("/api/v1/status", {{"Authorization", Basic(code, "00000000")}});
  EXPECT_EQ(wrong->status, 403);
  EXPECT_EQ(client_->Get("/api/v1/status")->status, 401);

  auto erase = client_->Delete("/api/v1/case", {{"Authorization", Basic(code, pin)}});
  ASSERT_EQ(erase->status, 200) << erase->body;
  EXPECT_EQ(client_->Get("/api/v1/status", {{"Authorization", Basic(code, pin)}})->status, 403);
  // Gone for caseworkers too.
  auto cases = client_->Get("/api/v1/cases", {{"Cookie", Admin().cookie}});
  EXPECT_EQ(json::parse(cases->body)["cases"].size(), 0u);
}

// Issue 20: her status page counts the photos and videos she chose (a video once, not per
// frame), her own links as being checked, and as copies found only links confirmed as hers: a
// caseworker's unverified paste is not one, a link the caseworker moved on is.
TEST_P(Api, HerCountsAreWhatSheChoseAndWhatWasConfirmed) {
  json images = json::array();
  for (const char* pdq : {kPdqA, kPdqB, kPdqNear}) {
    images.push_back({{"pdq", pdq}, {"quality", 90}, {"file", images.size() + 1}});
  }
  for (int frame = 0; frame < 6; ++frame) {  // one video of six frames
    std::string pdq(64, '0');
    pdq[frame] = '1';
    images.push_back({{"pdq", pdq}, {"quality", 80}, {"kind", "video"}, {"file", 4}});
  }
  images.push_back({{"pdq", kPdqA}, {"quality", 90}, {"file", 0}});
  EXPECT_EQ(Post("/api/v1/intake", {{"images", images}, {"language", "en"}})->status, 400)
      << "files count from 1";
  images.erase(images.end() - 1);
  auto intake =
      Post("/api/v1/intake", {{"images", images},
                              {"urls", {"https://example.com/a", "https://example.com/b"}},
                              {"language", "en"}});
  ASSERT_EQ(intake->status, 201) << intake->body;
  const json receipt = json::parse(intake->body);
  auto status = [&] { return HerStatus(receipt); };
  json counts = status();
  EXPECT_EQ(counts["images"], 4) << "3 photos and a video: " << counts.dump();
  EXPECT_EQ(counts["being_checked"], 2);
  EXPECT_EQ(counts["copies_found"], 0);

  const Session admin = Admin();
  const json cases = json::parse(client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}})->body);
  const std::string case_path =
      "/api/v1/cases/" + std::to_string(cases["cases"][0]["id"].get<int64_t>());
  AdvanceClock(60'000);  // she reported a minute ago
  std::string pasted;
  for (int i = 0; i < 5; ++i)
    pasted += "https://example.org/unverified/" + std::to_string(i) + "\n";
  ASSERT_EQ(Post(case_path + "/urls", {{"text", pasted}}, Auth(admin))->status, 200);
  counts = status();
  EXPECT_EQ(counts["copies_found"], 0) << "unverified links are not copies: " << counts.dump();
  EXPECT_EQ(counts["being_checked"], 2) << "only her own links are hers to follow";

  // The caseworker marks her first link removed, and dismisses a pasted one.
  const json detail =
      json::parse(client_->Get(case_path.c_str(), {{"Cookie", admin.cookie}})->body);
  auto move = [&](const std::string& url, const char* state) {
    for (const json& s : detail["sightings"]) {
      if (s["url"] != url) continue;
      const std::string path =
          "/api/v1/sightings/" + std::to_string(s["id"].get<int64_t>()) + "/state";
      auto res = Post(path, {{"state", state}}, Auth(admin));
      EXPECT_TRUE(res && res->status / 100 == 2) << (res ? res->body : "no answer");
      return;
    }
    ADD_FAILURE() << url << " is not in the case";
  };
  move("https://example.com/a", "removed");
  move("https://example.org/unverified/0", "dismissed");
  counts = status();
  EXPECT_EQ(counts["copies_found"], 1) << counts.dump();
  EXPECT_EQ(counts["removed"], 1);
  EXPECT_EQ(counts["being_checked"], 1);
  EXPECT_EQ(counts["images"], 4);
}

TEST_P(Api, CaseworkersNeedSessionsCsrfAndTheRightRole) {
  const json receipt = Intake(false);
  EXPECT_EQ(client_->Get("/api/v1/cases")->status, 401);
  auto bad_login = Post("/api/v1/login", {{"username", "admin"}, {"password", "wrong"}});
  EXPECT_EQ(bad_login->status, 401);

  const Session admin = Admin();
  auto list = client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}});
  ASSERT_EQ(list->status, 200);
  const json cases = json::parse(list->body)["cases"];
  ASSERT_EQ(cases.size(), 1u);
  const int64_t id = cases[0]["id"];
  EXPECT_EQ(cases[0]["code"], receipt["code"]);

  const std::string urls = "/api/v1/cases/" + std::to_string(id) + "/urls";
  const json paste = {
      {"text", "https://t.me/somechannel/12\nmailto:x@y\nhttps://t.me/somechannel/12"}};
  // A change without the CSRF token is refused even with a valid session.
  EXPECT_EQ(Post(urls, paste, {{"Cookie", admin.cookie}})->status, 403);
  auto added = Post(urls, paste, Auth(admin));
  ASSERT_EQ(added->status, 200) << added->body;
  const json lines = json::parse(added->body);
  EXPECT_EQ(lines["added"], 1);
  EXPECT_EQ(lines["rejected"], 1);
  EXPECT_EQ(lines["lines"][0]["platform"], "telegram");

  const Session reviewer = UserWithRole("rita", "reviewer");
  EXPECT_EQ(
      client_->Get(("/api/v1/cases/" + std::to_string(id)).c_str(), {{"Cookie", reviewer.cookie}})
          ->status,
      200);
  EXPECT_EQ(Post(urls, paste, Auth(reviewer))->status, 403) << "reviewers cannot change";
  EXPECT_EQ(client_->Get("/api/v1/users", {{"Cookie", reviewer.cookie}})->status, 403);

  // Reading a case is audited.
  auto detail =
      client_->Get(("/api/v1/cases/" + std::to_string(id)).c_str(), {{"Cookie", admin.cookie}});
  EXPECT_EQ(json::parse(detail->body)["contact"], "Signal +852 5555 0000");
  auto events = client_->Get(("/api/v1/cases/" + std::to_string(id) + "/events").c_str(),
                             {{"Cookie", admin.cookie}});
  const json timeline = json::parse(events->body);
  int reads = 0;
  for (const auto& e : timeline["events"]) reads += e["action"] == "case.read" ? 1 : 0;
  EXPECT_GE(reads, 2) << events->body;

  // The dashboard's totals and the case's notices (none drafted yet) are for any caseworker.
  auto overview = client_->Get("/api/v1/stats/overview", {{"Cookie", reviewer.cookie}});
  ASSERT_EQ(overview->status, 200);
  const json totals = json::parse(overview->body);
  EXPECT_EQ(totals["open_cases"], 1);
  EXPECT_EQ(totals["hashes"], 1);
  EXPECT_EQ(totals["sightings_by_state"]["found"], 2) << overview->body;
  auto notices = client_->Get(("/api/v1/cases/" + std::to_string(id) + "/notices").c_str(),
                              {{"Cookie", reviewer.cookie}});
  EXPECT_EQ(notices->body, R"({"notices":[]})");

  // A partner key cannot see cases, and a session cannot use partner endpoints.
  const std::string key = PartnerKey({"hashes:read", "match"});
  EXPECT_EQ(client_->Get("/api/v1/cases", {{"Authorization", "Bearer " + key}})->status, 401);
  EXPECT_EQ(client_->Get("/api/v1/stats/overview", {{"Authorization", "Bearer " + key}})->status,
            401);
  EXPECT_EQ(client_->Get("/api/v1/hashes", {{"Cookie", admin.cookie}})->status, 401);

  // Logging out ends the session.
  EXPECT_EQ(Post("/api/v1/logout", json::object(), Auth(admin))->status, 204);
  EXPECT_EQ(client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}})->status, 401);
}

TEST_P(Api, PinGuessingMakesTheCodeWaitButNeverLocksHerOut) {
  const json receipt = Intake(false);
  const std::string code = receipt["code"], pin = receipt["pin"];
  auto status = [&](const std::string& guess) {
    return client_->Get("/api/v1/status", {{"Authorization", Basic(code, guess)}});
  };
  // Three wrong PINs at once, each saying how many tries are left before a wait.
  for (int i = 0; i < 3; ++i) {
    auto wrong = status("1234567" + std::to_string(i));
    ASSERT_EQ(wrong->status, 403) << wrong->body;
    EXPECT_EQ(json::parse(wrong->body)["tries_left"], 2 - i) << wrong->body;
  }
  // Then a wait, her right PIN included; it ends, and her right PIN opens the case.
  auto waiting = status(pin);
  EXPECT_EQ(waiting->status, 429) << waiting->body;
  EXPECT_EQ(waiting->get_header_value("Retry-After"), "1");
  EXPECT_EQ(json::parse(waiting->body)["retry_after_seconds"], 1);
  EXPECT_NE(waiting->body.find("try again in 1 second"), std::string::npos) << waiting->body;
  AdvanceClock(1000);
  EXPECT_EQ(status(pin)->status, 200);
  // Her right PIN started the count again.
  EXPECT_EQ(json::parse(status(pin == "00000000" ? "11111111" : "00000000")->body)["tries_left"],
            2);
}

TEST_P(Api, PartnersSeeOnlyConsentingHashesAndDeletions) {
  const json shared = Intake(true, kPdqA);
  Intake(false, kPdqB);
  const std::string key = PartnerKey({"hashes:read", "match"});
  const httplib::Headers bearer = {{"Authorization", "Bearer " + key}};
  auto feed = client_->Get("/api/v1/hashes?since=0", bearer);
  ASSERT_EQ(feed->status, 200) << feed->body;
  json changes = json::parse(feed->body)["changes"];
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0]["pdq"], kPdqA);
  EXPECT_EQ(feed->body.find("TD-"), std::string::npos) << "no case codes";
  const int64_t next = json::parse(feed->body)["next"];
  // A page size outside 1 to 10000 is refused, not quietly clamped or defaulted.
  for (const char* limit : {"20000", "0", "many"}) {
    auto refused = client_->Get(("/api/v1/hashes?limit=" + std::string(limit)).c_str(), bearer);
    EXPECT_EQ(refused->status, 400) << limit;
    EXPECT_NE(refused->body.find("limit must be a whole number from 1 to 10000"), std::string::npos)
        << refused->body;
  }

  auto match = Post("/api/v1/match", {{"hashes", {kPdqNear, kPdqB}}}, bearer);
  ASSERT_EQ(match->status, 200) << match->body;
  const json results = json::parse(match->body)["results"];
  ASSERT_EQ(results[0]["matches"].size(), 1u);
  EXPECT_EQ(results[0]["matches"][0]["distance"], 10);
  EXPECT_EQ(results[1]["matches"].size(), 0u) << "the non-consenting case's hash is not shared";

  // Erasure reaches partners as a deletion, and matching stops at once.
  ASSERT_EQ(
      client_->Delete("/api/v1/case", {{"Authorization", Basic(shared["code"], shared["pin"])}})
          ->status,
      200);
  feed = client_->Get(("/api/v1/hashes?since=" + std::to_string(next)).c_str(), bearer);
  changes = json::parse(feed->body)["changes"];
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0]["deleted"], true);
  match = Post("/api/v1/match", {{"hashes", {kPdqNear}}}, bearer);
  EXPECT_EQ(json::parse(match->body)["results"][0]["matches"].size(), 0u);

  // Scopes are enforced.
  EXPECT_EQ(Post("/api/v1/feedback", {{"hash_id", 1}, {"verdict", "removed"}}, bearer)->status,
            403);
  EXPECT_EQ(client_->Get("/api/v1/hashes", {{"Authorization", "Bearer tdk_wrong"}})->status, 401);
}

TEST_P(Api, BadInputGetsClearErrorsAndChangesNothing) {
  auto res = client_->Post("/api/v1/intake", "{not json", "application/json");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(json::parse(res->body)["error"], "the body is not valid JSON");
  res =
      Post("/api/v1/intake", {{"language", "en"}, {"images", {{{"pdq", "xyz"}, {"quality", 5}}}}});
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("image 1: pdq must be 64 hexadecimal"), std::string::npos) << res->body;
  res = Post("/api/v1/intake", {{"language", "en"}, {"urls", {"https://x.com/a"}}, {"extra", 1}});
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("unknown field \\\"extra\\\""), std::string::npos) << res->body;
  res = Post("/api/v1/intake",
             {{"language", "en"}, {"urls", {"https://x.com/a"}}, {"consent_share", "yes"}});
  EXPECT_EQ(res->status, 400);
  res = client_->Post("/api/v1/intake", std::string(2 << 20, ' '), "application/json");
  EXPECT_EQ(res->status, 413);
  res = client_->Post("/api/v1/intake", "{}", "text/plain");
  EXPECT_EQ(res->status, 415);
  // SQL meta-characters are data, stored and returned as typed.
  const std::string sneaky = "Robert'); DROP TABLE cases;--";
  res = Post("/api/v1/intake",
             {{"language", "en"}, {"urls", {"https://x.com/a?q=%27%3B--"}}, {"contact", sneaky}});
  ASSERT_EQ(res->status, 201) << res->body;
  const Session admin = Admin();
  auto list = client_->Get("/api/v1/cases", {{"Cookie", admin.cookie}});
  const json cases = json::parse(list->body)["cases"];
  ASSERT_EQ(cases.size(), 1u);
  auto detail =
      client_->Get(("/api/v1/cases/" + std::to_string(cases[0]["id"].get<int64_t>())).c_str(),
                   {{"Cookie", admin.cookie}});
  EXPECT_EQ(json::parse(detail->body)["contact"], sneaky);
  // Errors carry no internals, and the API sets its security headers.
  EXPECT_EQ(detail->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(detail->get_header_value("Cache-Control"), "no-store");
  EXPECT_NE(detail->get_header_value("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  EXPECT_EQ(client_->Get("/api/v1/nothing")->status, 404);
}

// Issue 18: an image's region signals (the text `matching::RegionsText` writes, as the browser
// computes them) come with its PDQ; text that is not region signals is refused saying why.
TEST_P(Api, AnImagesRegionSignalsComeWithItsPdqAndBadOnesAreRefused) {
  const std::string pdq = std::string(63, '0') + "1";
  const std::string regions = "005a" + std::string(64, 'a') + "2a5a" + std::string(64, 'b');
  auto image = [&](const std::string& text, const std::string& kind) {
    return json{{"pdq", pdq}, {"quality", 90}, {"regions", text}, {"kind", kind}};
  };
  auto res = Post("/api/v1/intake", {{"language", "en"}, {"images", {image(regions, "image")}}});
  EXPECT_EQ(res->status, 201) << res->body;
  res =
      Post("/api/v1/intake", {{"language", "en"}, {"images", {image(regions.substr(3), "image")}}});
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("image 1: region signals are 68 hex digits a region"), std::string::npos)
      << res->body;
  res = Post("/api/v1/intake", {{"language", "en"}, {"images", {image(regions, "video")}}});
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("region signals are for images"), std::string::npos) << res->body;
}

// Issue 18: a partner who sends an image's region signals finds a shared image's crop that its
// PDQ alone misses, and is told it was the region signals and how strong the evidence is.
TEST_P(Api, PartnersMatchingOnRegionSignalsAreToldWhichSignalMatched) {
  // The shared image's whole content and its centre crop (matching::RegionsText).
  const std::string whole = std::string(64, 'a'),
                    centre = std::string(32, 'c') + "0f0f" + std::string(28, '3');
  const std::string stored = "005a" + whole + "155a" + centre;
  auto res = Post("/api/v1/intake",
                  {{"language", "en"},
                   {"consent_share", true},
                   {"images", {{{"pdq", kPdqA}, {"quality", 90}, {"regions", stored}}}}});
  ASSERT_EQ(res->status, 201) << res->body;
  const httplib::Headers bearer = {{"Authorization", "Bearer " + PartnerKey({"match"})}};
  // A crop of it: its PDQ is far from kPdqA, its whole content is the stored centre crop with one
  // bit changed.
  std::string crop = centre;
  crop[0] = 'd';
  const json query = {{"pdq", kPdqB}, {"regions", "005a" + crop}};
  auto match = Post("/api/v1/match", {{"hashes", {kPdqNear}}, {"images", {query}}}, bearer);
  ASSERT_EQ(match->status, 200) << match->body;
  const json results = json::parse(match->body)["results"];
  ASSERT_EQ(results.size(), 2u);
  ASSERT_EQ(results[0]["matches"].size(), 1u);
  EXPECT_EQ(results[0]["matches"][0]["signal"], "pdq");
  EXPECT_EQ(results[0]["matches"][0]["strength"], "strong");
  EXPECT_EQ(results[1]["query"], kPdqB);
  ASSERT_EQ(results[1]["matches"].size(), 1u) << match->body;
  const json found = results[1]["matches"][0];
  EXPECT_EQ(found["id"], results[0]["matches"][0]["id"]) << "the same shared image";
  EXPECT_EQ(found["signal"], "region");
  EXPECT_EQ(found["distance"], 1);
  EXPECT_EQ(found["strength"], "strong") << "1 bit is within the strong radius";
  EXPECT_EQ(found["regions"][0]["query"], "whole");
  EXPECT_EQ(found["regions"][0]["stored"], "centre90");

  // Bad region signals and unknown fields are refused, saying why.
  res = Post("/api/v1/match", {{"images", {{{"pdq", kPdqB}, {"regions", "00"}}}}}, bearer);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("hash 1: region signals are 68 hex digits a region"), std::string::npos)
      << res->body;
  res = Post("/api/v1/match", {{"images", {{{"pdq", kPdqB}, {"colour", 1}}}}}, bearer);
  EXPECT_EQ(res->status, 400);
}

// A URL given at intake is checked by the server's discovery worker: the page on loopback shows
// an edited copy of the survivor's photo, and the case's sighting gets the evidence.
TEST_P(Api, ManualClockIsAdminOnly) {
  const Session caseworker = UserWithRole("carol", "caseworker");
  EXPECT_EQ(Post("/api/v1/admin/clock", {{"advance_ms", 1000}}, Auth(caseworker))->status, 403);
  auto res = Post("/api/v1/admin/clock", {{"set", "2026-03-01T00:00:00Z"}}, Auth(Admin()));
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(json::parse(res->body)["now"], "2026-03-01T00:00:00.000Z");
  EXPECT_EQ(client_->Get("/healthz")->status, 200);
  auto metrics = client_->Get("/metrics");
  EXPECT_NE(metrics->body.find("takedown_http_request_duration_seconds_count{route=\"login\""),
            std::string::npos);
}

// The resources page's data: public, read-only, the same for everyone, in the language asked for.
TEST_P(Api, ResourcesArePublicPerJurisdictionAndLanguage) {
  Intake(true);  // a case exists; nothing of it may show
  auto res = client_->Get("/api/v1/resources?jurisdiction=HK&language=zh-Hant");
  ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  const json hk = json::parse(res->body);
  EXPECT_EQ(hk["jurisdiction"], "HK");
  EXPECT_EQ(hk["language"], "zh-Hant");
  EXPECT_EQ(hk["name"], "香港");
  EXPECT_EQ(hk["reviewed"], false);
  EXPECT_EQ(hk["last_reviewed"].get<std::string>().size(), 10u);
  EXPECT_NE(hk["plain_law"].get<std::string>().find("159AAE"), std::string::npos);
  EXPECT_FALSE(hk["sources"].empty());
  EXPECT_EQ(hk["regulator"]["url"], "https://www.pcpd.org.hk/");
  // Her own services first, then the international ones the default profile lists.
  ASSERT_GE(hk["support"].size(), 2u);
  EXPECT_EQ(hk["support"][0]["id"], "rainlily");
  EXPECT_EQ(hk["support"][0]["name"], "風雨蘭");
  EXPECT_EQ(hk["support"][0]["international"], false);
  EXPECT_EQ(hk["support"].back()["international"], true);
  // Platforms people post on, with their own reporting page; not hosts or CDNs.
  bool instagram = false;
  for (const json& p : hk["platforms"]) {
    EXPECT_NE(p["id"], "cloudflare");
    if (p["id"] == "instagram") {
      instagram = true;
      EXPECT_EQ(p["ncii_partner"], true);
      EXPECT_EQ(p["report_url"].get<std::string>().rfind("https://", 0), 0u);
    }
  }
  EXPECT_TRUE(instagram);
  EXPECT_EQ(res->body.find("Signal +852"), std::string::npos) << "no case data";
  EXPECT_EQ(res->body.find(kPdqA), std::string::npos) << "no case data";

  // "Not sure", an unknown code and an alias; an unknown language reads English.
  const json fallback = json::parse(client_->Get("/api/v1/resources")->body);
  EXPECT_EQ(fallback["jurisdiction"], "default");
  EXPECT_TRUE(fallback["regulator"].is_null());
  EXPECT_EQ(fallback["language"], "en");
  EXPECT_EQ(fallback["support"][0]["id"], "stopncii");
  EXPECT_EQ(json::parse(client_->Get("/api/v1/resources?jurisdiction=XX")->body)["jurisdiction"],
            "default");
  const json my =
      json::parse(client_->Get("/api/v1/resources?jurisdiction=mys&language=ms-MY")->body);
  EXPECT_EQ(my["jurisdiction"], "MY");
  EXPECT_EQ(my["language"], "ms");
  EXPECT_EQ(client_->Get("/api/v1/resources?jurisdiction=WAYTOOLONG")->status, 400);
}

// An intake entry is one address: a line break inside one (20,000 addresses in a single entry, or
// CR/LF splitting one) is refused, and no case is made.
TEST_P(Api, AnIntakeUrlEntryHoldingLineBreaksIsRefused) {
  std::string many;
  for (int i = 0; i < 20'000; ++i) many += "https://forum.example/p/" + std::to_string(i) + "\n";
  for (const std::string& entry : {many, std::string("https://x.com/a\r\nhttps://x.com/b"),
                                   std::string("https://x.com/a\rb")}) {
    auto res = Post("/api/v1/intake", {{"language", "en"}, {"urls", {"https://x.com/ok", entry}}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << res->body.substr(0, 200);
    EXPECT_NE(res->body.find("URL 2 holds a line break"), std::string::npos) << res->body;
  }
  auto list = client_->Get("/api/v1/cases", {{"Cookie", Admin().cookie}});
  EXPECT_TRUE(json::parse(list->body)["cases"].empty());
}

// Logout ends the session its cookie names, read by the same parser as every login check: a
// cookie whose name merely ends in td_session must not stand in for it.
TEST_P(Api, LogoutEndsTheSessionItsCookieNames) {
  const Session admin = Admin();
  auto out = client_->Post(
      "/api/v1/logout",
      {{"Cookie", "old_td_session=zzz; " + admin.cookie}, {"X-CSRF-Token", admin.csrf}}, "",
      "application/json");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 204);
  auto me = client_->Get("/api/v1/me", Auth(admin));
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 401) << "the session is over";
}

// Two servers on one port would have the kernel split its connections between them (logins
// failing at random): the second refuses to start and says why. (`timeout` turns a second server
// that did start into a failure instead of a hung test.)
TEST_P(Api, ASecondServerOnAPortInUseRefusesToStart) {
  const fs::path other = dir_ / "second";
  fs::create_directories(other);
  const std::string command = "timeout 60 " + std::string(TAKEDOWN_BINARY) +
                              " serve --no-worker --data " + other.string() +
                              " --listen 127.0.0.1:" + std::to_string(server_->port()) + " 2>&1";
  FILE* second = popen(command.c_str(), "r");
  ASSERT_NE(second, nullptr);
  std::string said;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, second) != nullptr) said += buffer;
  const int status = pclose(second);
  ASSERT_TRUE(WIFEXITED(status)) << said;
  EXPECT_EQ(WEXITSTATUS(status), 1) << said;
  EXPECT_NE(said.find("in use"), std::string::npos) << said;
  // The first still answers.
  auto health = client_->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

// A second server or a worker on the same database with a key of its own could open none of the
// sealed records (her contact, her messages): it refuses to start and says why.
TEST_P(Api, AServerOrWorkerWithAnotherKeyRefusesToStart) {
  const fs::path other = dir_ / "other-key";
  fs::create_directories(other);
  const auto run = [&](const std::string& command) {
    std::string line =
        "timeout 60 " + std::string(TAKEDOWN_BINARY) + " " + command + " --data " + other.string();
    for (const std::string& arg : database_args_) line += " '" + arg + "'";
    FILE* process = popen((line + " 2>&1").c_str(), "r");
    std::string said;
    char buffer[512];
    while (process != nullptr && fgets(buffer, sizeof buffer, process) != nullptr) said += buffer;
    const int status = process ? pclose(process) : -1;
    return std::pair(WIFEXITED(status) ? WEXITSTATUS(status) : -1, said);
  };
  const auto [serve_status, serve_said] = run("serve --no-worker --listen 127.0.0.1:0");
  EXPECT_EQ(serve_status, 1) << serve_said;
  EXPECT_NE(serve_said.find("is not the key this database's records are sealed with"),
            std::string::npos)
      << serve_said;
  ASSERT_TRUE(fs::exists(other / "secret.key"));
  const auto [worker_status, worker_said] = run("worker");
  EXPECT_EQ(worker_status, 1) << worker_said;
  EXPECT_NE(worker_said.find("secret.key"), std::string::npos) << worker_said;

  // With the first server's key it starts.
  fs::copy_file(dir_ / "secret.key", other / "secret.key", fs::copy_options::overwrite_existing);
  std::vector<std::string> args = {"--no-worker", "--data", other.string()};
  args.insert(args.end(), database_args_.begin(), database_args_.end());
  testing::ServerProcess second(args);
  EXPECT_GT(second.port(), 0) << second.output();
}

INSTANTIATE_TEST_SUITE_P(Backends, Api, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace takedown
