// Watched sources crawled by the job worker against a loopback web: a forum's listing page whose
// threads show the survivor's photo mirrored and cropped a little (reposts found, waiting for
// review; an unrelated photo and another host's links left alone); another host's RSS feed and
// listing page watched for the organisation (only open, unpaused cases match); a source that
// answers 304 is not crawled again; a dismissed repost is never raised again; a paused source is
// not crawled.
#include "discovery/watch.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "discovery/edited_photo.h"
#include "fetch/test_web.h"
#include "jobs/worker.h"
#include "store/store.h"

namespace takedown::discovery {
namespace {

using domain::SightingOrigin;
using domain::SightingState;
using domain::SourceKind;
using fetch::testing::MakeFetcher;
using fetch::testing::TestWeb;
using nlohmann::json;

const std::string kPdq = std::string(TAKEDOWN_SHARED_DIR) + "/testdata/pdq/";
const std::string kBridge = kPdq + "bridge-mods/aaa-orig.jpg";
const std::string kOther = kPdq + "reg-test-input/labelme-subset/q0122.jpg";
const std::string kThird = kPdq + "reg-test-input/labelme-subset/q0291.jpg";
constexpr UnixMillis kT0 = 1'800'000'000'000;
constexpr UnixMillis kDay = 24 * kMillisPerHour;

std::string Edited(const std::string& path, bool mirror, double crop) {
  return testing::EditedPhoto(path, {.mirror = mirror, .crop = crop});
}

class Watch : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-watch-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto platforms = platforms::PlatformDirectory::Load(std::string(TAKEDOWN_SOURCE_DIR) +
                                                        "/data/platforms.toml");
    ASSERT_TRUE(platforms.ok()) << platforms.status().message();
    platforms_ = std::make_unique<platforms::PlatformDirectory>(std::move(*platforms));

    httplib::Server& forum = web_.Add("forum.example");
    httplib::Server& board = web_.Add("board.example");
    Serve(forum, "/img/mirrored.jpg", Edited(kBridge, true, 0));
    Serve(forum, "/img/cropped.jpg", Edited(kBridge, false, 0.01));
    Serve(forum, "/img/other.jpg", testing::ReadFile(kOther));
    forum.Get("/new", [this](const httplib::Request& req, httplib::Response& res) {
      ++listing_fetches_;
      res.set_header("ETag", "\"listing-1\"");
      if (req.get_header_value("If-None-Match") == "\"listing-1\"") {
        res.status = 304;
        return;
      }
      res.set_content(
          "<!doctype html><title>New threads</title><ul>"
          "<li><a href=/t/1>Holiday</a><li><a href=/t/2>New pics</a><li><a href=/t/3>More</a>"
          "<li><a href='" +
              web_.Url("board.example", "/elsewhere") + "'>Elsewhere</a></ul>",
          "text/html");
    });
    forum.Get("/t/1", Page("<img src=/img/other.jpg>"));
    forum.Get("/t/2", Page("<img loading=lazy data-src=/img/mirrored.jpg>"));
    forum.Get("/t/3", Page("<picture><source srcset='/img/cropped.jpg 1x'><img></picture>"));
    board.Get("/elsewhere", [this](const httplib::Request&, httplib::Response& res) {
      ++elsewhere_fetches_;
      res.set_content("<title>Elsewhere</title>", "text/html");
    });
    // Another host's feed and listing page with the photo on them.
    Serve(board, "/media/repost.jpg", Edited(kBridge, false, 0.01));
    board.Get("/feed.xml", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(
          "<?xml version='1.0'?><rss version='2.0'><channel><title>Board</title>"
          "<item><title>x</title><link>" +
              web_.Url("board.example", "/post/77") +
              "</link><enclosure url='/media/repost.jpg' type='image/jpeg' length='1'/></item>"
              "</channel></rss>",
          "application/rss+xml");
    });
    board.Get("/post/77", Page("<p>see the enclosure</p>"));
    board.Get("/latest", Page("<img src=/media/repost.jpg><img src=/media/none.jpg>"));
    // A copy cropped 3% a side inside black bars: PDQ misses it, the region signals do not.
    Serve(board, "/media/framed.jpg",
          testing::EditedPhoto(kBridge, {.crop = 0.03, .letterbox = 0.12}));
    board.Get("/framed", Page("<img src=/media/framed.jpg>"));
    web_.Start();
    fetcher_ = MakeFetcher(web_.Config());

    auto opened = store::Store::Open("sqlite:" + dir_ + "/db");
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(*opened);
    crawler_ = std::make_unique<SourceCrawler>(*store_, clock_, *fetcher_, *platforms_);
    worker_ = std::make_unique<jobs::Worker>(*store_, clock_, "test");
    worker_->Register(std::string(kSourceCrawlJob),
                      [this](const domain::Job& job) { return crawler_->Handle(job); });
    bridge_case_ = NewCase("TD-WTCH-0001", kBridge);
  }
  void TearDown() override {
    worker_.reset();
    crawler_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static void Serve(httplib::Server& server, const std::string& path, std::string bytes) {
    server.Get(path, [bytes = std::move(bytes)](const httplib::Request&, httplib::Response& res) {
      res.set_content(bytes, "image/jpeg");
    });
  }
  static httplib::Server::Handler Page(const std::string& body) {
    return [body](const httplib::Request&, httplib::Response& res) {
      res.set_content("<!doctype html><title>Thread</title>" + body, "text/html");
    };
  }

  // A case whose survivor hashed `photo` (full mode, with its region signals, as the intake page
  // does).
  int64_t NewCase(const std::string& code, const std::string& photo) {
    hashfile::HashOptions options;
    options.signals = true;
    hashfile::ImageFileHasher hasher(options);
    auto hashed = hasher.HashFile(photo);
    EXPECT_TRUE(hashed.ok());
    store::NewCase c;
    c.code = code;
    c.pin_hash = "$argon2id$pin";
    c.language = "en";
    c.now = kT0;
    domain::MediaHash h;
    h.pdq = hashed->pdq.hash.ToHex();
    h.quality = hashed->pdq.quality;
    h.regions = matching::RegionsText(*hashed->signals);
    h.created_at = kT0;
    c.hashes.push_back(h);
    auto id = store_->CreateCase(c);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return *id;
  }

  domain::WatchedSource AddSource(std::optional<int64_t> case_id, const std::string& url,
                                  SourceKind kind, int depth = 1) {
    domain::WatchedSource s;
    s.case_id = case_id;
    s.url = url;
    s.kind = kind;
    s.max_depth = depth;
    s.max_pages = 20;
    s.every = kDay;
    s.created_by = "user:1";
    s.created_at = clock_.Now();
    auto id = store_->CreateWatchedSource(s, {0, case_id, "user:1", "source.added", "{}", kT0});
    EXPECT_TRUE(id.ok()) << id.status().message();
    s.id = *id;
    EXPECT_TRUE(store_->EnqueueJob(SourceCrawlJob(s, clock_.Now(), "added")).ok());
    return s;
  }

  int RunDue() { return *worker_->RunDue(); }

  void Save(const domain::Settings& settings) {
    for (const auto& [key, value] : domain::SettingsEntries(settings)) {
      ASSERT_TRUE(store_->PutSetting(key, value, {0, std::nullopt, "user:1", "x", "{}", kT0}).ok());
    }
  }
  std::vector<domain::Sighting> Sightings(int64_t case_id) {
    return *store_->ListSightings(case_id);
  }
  json Outcome(int64_t source) {
    return json::parse(store_->GetWatchedSource(source)->last_outcome_json);
  }

  std::string dir_;
  TestWeb web_;
  std::atomic<int> listing_fetches_{0}, elsewhere_fetches_{0};
  std::unique_ptr<platforms::PlatformDirectory> platforms_;
  std::unique_ptr<fetch::Fetcher> fetcher_;
  ManualClock clock_{kT0};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SourceCrawler> crawler_;
  std::unique_ptr<jobs::Worker> worker_;
  int64_t bridge_case_ = 0;
};

TEST_F(Watch, AListingPagesThreadsWithMirroredAndCroppedCopiesBecomeRepostsForReview) {
  const auto source = AddSource(bridge_case_, web_.Url("forum.example", "/new"), SourceKind::kPage);
  EXPECT_EQ(RunDue(), 1);

  const auto found = Sightings(bridge_case_);
  ASSERT_EQ(found.size(), 2u) << Outcome(source.id).dump() << (found.empty() ? "" : found[0].url);
  EXPECT_EQ(found[0].url, web_.Url("forum.example", "/t/2")) << "the mirrored copy";
  EXPECT_EQ(found[1].url, web_.Url("forum.example", "/t/3"))
      << "the copy cropped 1% per edge (PDQ: 18 bits here; 2% is 36, past the radius)";
  for (const auto& s : found) {
    EXPECT_EQ(s.origin, SightingOrigin::kWatch);
    EXPECT_TRUE(s.needs_review);
    EXPECT_EQ(s.state, SightingState::kFound);
    const json evidence = json::parse(s.evidence_json);
    EXPECT_EQ(evidence["verdict"], "matched");
    EXPECT_EQ(evidence["found_by"]["source"], source.id);
    EXPECT_LE(evidence["last_match"]["distance"].get<int>(), 31);
    EXPECT_TRUE(s.last_checked.has_value()) << "the crawl's evidence counts as its first check";
  }
  EXPECT_EQ(json::parse(found[0].evidence_json)["last_match"]["media_url"],
            web_.Url("forum.example", "/img/mirrored.jpg"));
  const json outcome = Outcome(source.id);
  EXPECT_EQ(outcome["pages"], 4) << "the listing and its three threads";
  EXPECT_EQ(outcome["reposts"], 2);
  EXPECT_EQ(elsewhere_fetches_, 0) << "another host's link on a listing page is not followed";
  const auto events = *store_->ListEvents(bridge_case_, 10);
  EXPECT_EQ(std::count_if(events.begin(), events.end(),
                          [](const auto& e) { return e.action == "sighting.repost"; }),
            2);
  const auto progress = *store_->CaseJobProgress(bridge_case_);
  EXPECT_EQ(progress.done, 1);
  EXPECT_EQ(progress.queued, 3) << "the next crawl and each repost's own recheck";
}

TEST_F(Watch, AFramedCopyPdqMissesIsARepostFoundOnTheRegionSignalsAndSaysSo) {
  // Confirming without a person is on, with the loosest threshold: a region match still waits.
  domain::Settings settings;
  settings.confirm_automatically = true;
  settings.confirm_max_distance = domain::kMaxConfirmDistance;
  settings.confirm_min_quality = 0;
  Save(settings);
  const auto source =
      AddSource(bridge_case_, web_.Url("board.example", "/framed"), SourceKind::kPage, 0);
  EXPECT_EQ(RunDue(), 1);
  const auto found = Sightings(bridge_case_);
  ASSERT_EQ(found.size(), 1u) << Outcome(source.id).dump();
  EXPECT_EQ(found[0].url, web_.Url("board.example", "/media/framed.jpg"));
  EXPECT_TRUE(found[0].needs_review) << "a match on region signals alone waits for a person";
  EXPECT_EQ(found[0].confirmed_by, "");
  // What the caseworker is shown: found on the region signals, how strongly, and where.
  const json match = json::parse(found[0].evidence_json)["last_match"];
  EXPECT_EQ(match["signal"], "region") << match.dump();
  EXPECT_EQ(match["strength"], "strong");
  ASSERT_FALSE(match["regions"].empty());
  EXPECT_EQ(match["regions"][0]["query"], "whole") << "the copy's content once its bars are cut";
  EXPECT_LE(match["distance"].get<int>(), matching::kRegionRadius);
}

// Issue 17 item 6: the organisation may let a strong match confirm a repost without a person;
// one past its threshold still waits, and the timeline says which was which.
TEST_F(Watch, ARepostWithinTheConfirmThresholdIsConfirmedWithoutAPersonAndTheRestWait) {
  domain::Settings settings;
  settings.confirm_automatically = true;
  settings.confirm_max_distance = 16;
  Save(settings);
  AddSource(bridge_case_, web_.Url("forum.example", "/new"), SourceKind::kPage);
  EXPECT_EQ(RunDue(), 1);

  const auto found = Sightings(bridge_case_);
  ASSERT_EQ(found.size(), 2u);
  ASSERT_LE(json::parse(found[0].evidence_json)["last_match"]["distance"].get<int>(), 16);
  EXPECT_FALSE(found[0].needs_review) << "the mirrored copy matched within 16 bits";
  EXPECT_EQ(found[0].confirmed_by, "system");
  ASSERT_GT(json::parse(found[1].evidence_json)["last_match"]["distance"].get<int>(), 16);
  EXPECT_TRUE(found[1].needs_review) << "the cropped copy (18 bits) waits for a caseworker";
  EXPECT_EQ(found[1].confirmed_by, "");
  int automatic = 0;
  const auto events = *store_->ListEvents(bridge_case_, 10);
  for (const auto& e : events) {
    if (e.action == "sighting.repost") {
      automatic += json::parse(e.detail_json)["confirmed_automatically"].get<bool>();
    }
  }
  EXPECT_EQ(automatic, 1);
}

TEST_F(Watch, AnUnchangedSourceIsNotCrawledAgainAndADismissedRepostIsNeverRaisedAgain) {
  const auto source = AddSource(bridge_case_, web_.Url("forum.example", "/new"), SourceKind::kPage);
  EXPECT_EQ(RunDue(), 1);
  ASSERT_EQ(Sightings(bridge_case_).size(), 2u);
  const int64_t mirrored = Sightings(bridge_case_)[0].id;
  ASSERT_TRUE(store_
                  ->TransitionSighting(
                      mirrored, SightingState::kDismissed,
                      domain::Event{0, bridge_case_, "user:1", "sighting.state", "{}", kT0})
                  .ok());

  clock_.Advance(kDay);
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Outcome(source.id)["unchanged"], true) << "the listing answered 304";
  EXPECT_EQ(Outcome(source.id)["pages"], 1);

  // The source changes its validator (new threads): crawled again, nothing raised twice.
  ASSERT_TRUE(store_->RecordCrawl(source.id, clock_.Now(), "{}", "", "").ok());
  clock_.Advance(kDay);
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Outcome(source.id)["pages"], 4);
  EXPECT_EQ(Outcome(source.id)["reposts"], 0);
  const auto after = Sightings(bridge_case_);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].state, SightingState::kDismissed);
}

TEST_F(Watch, TheOrganisationsFeedAndListingMatchOnlyOpenWatchedCases) {
  const int64_t other_case = NewCase("TD-WTCH-0002", kThird);
  const int64_t paused_case = NewCase("TD-WTCH-0003", kBridge);
  ASSERT_TRUE(store_
                  ->SetCaseWatchPaused(paused_case, true,
                                       {0, paused_case, "user:1", "case.watch_paused", "{}", kT0})
                  .ok());
  const auto feed =
      AddSource(std::nullopt, web_.Url("board.example", "/feed.xml"), SourceKind::kFeed);
  const auto listing =
      AddSource(std::nullopt, web_.Url("board.example", "/latest"), SourceKind::kPage, 0);
  EXPECT_EQ(RunDue(), 2);

  const auto found = Sightings(bridge_case_);
  ASSERT_EQ(found.size(), 1u) << "the feed's enclosure and the listing's image are one address";
  EXPECT_EQ(found[0].url, web_.Url("board.example", "/media/repost.jpg"))
      << "a match on the source itself is recorded at the medium's own address";
  EXPECT_TRUE(found[0].needs_review);
  EXPECT_TRUE(Sightings(other_case).empty());
  EXPECT_TRUE(Sightings(paused_case).empty()) << "a paused case is not watched";
  EXPECT_EQ(Outcome(feed.id)["pages"], 2) << "the feed and its item's page";
  EXPECT_EQ(Outcome(listing.id)["pages"], 1);
  EXPECT_EQ(Outcome(listing.id)["media_failed"], 1) << "the missing image is counted";
  EXPECT_FALSE(Outcome(listing.id)["errors"].empty());
}

TEST_F(Watch, APausedSourceIsNotCrawledNorRescheduled) {
  const auto source = AddSource(bridge_case_, web_.Url("forum.example", "/new"), SourceKind::kPage);
  ASSERT_TRUE(store_
                  ->SetWatchedSourcePaused(source.id, true,
                                           {0, bridge_case_, "user:1", "source.paused", "{}", kT0})
                  .ok());
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(listing_fetches_, 0);
  clock_.Advance(30 * kDay);
  EXPECT_EQ(RunDue(), 0);
  EXPECT_FALSE(store_->GetWatchedSource(source.id)->last_crawled.has_value());
}

}  // namespace
}  // namespace takedown::discovery
