// A page with more media than one check's budget: every image is checked, within the check or
// in the checks after it, and the evidence says how many there are, how many were checked and
// how many are left. The fixture page is written here (300 images behind the shapes real pages
// use: img src, lazy-loading attributes, a <style> block, style attributes), each image served
// from loopback; the survivor's photo is the 251st.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include "discovery/sighting_check.h"
#include "discovery/url_check.h"
#include "fetch/test_web.h"
#include "jobs/worker.h"
#include "store/store.h"

namespace takedown::discovery {
namespace {

using fetch::testing::MakeFetcher;
using fetch::testing::TestWeb;

using nlohmann::json;

const std::string kPdq = std::string(TAKEDOWN_SHARED_DIR) + "/testdata/pdq/";
constexpr int kImages = 300;
constexpr int kHers = 250;  // the index of the survivor's (shrunk) photo on the page

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class PageBudget : public ::testing::Test {
 protected:
  void SetUp() override {
    hashfile::ImageFileHasher hasher({});
    auto original = hasher.HashFile(kPdq + "bridge-mods/aaa-orig.jpg");
    ASSERT_TRUE(original.ok());
    bank_.pdq.Put({7, original->pdq.hash, original->pdq.quality, 1});

    const std::string other = Read(kPdq + "reg-test-input/labelme-subset/q0122.jpg");
    const std::string hers = Read(kPdq + "bridge-mods/shrink-a-lot.jpg");
    web_.Add("cdn.example")
        .Get(R"(/img/(\d+)\.jpg)",
             [this, other, hers](const httplib::Request& req, httplib::Response& res) {
               const int i = std::stoi(req.matches[1]);
               {
                 std::lock_guard lock(mu_);
                 served_.insert(i);
               }
               res.set_content(i == kHers ? hers : other, "image/jpeg");
             });
    httplib::Server& forum = web_.Add("forum.example");
    forum.Get("/gallery", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(Gallery(true), "text/html");
    });
    forum.Get("/clean-gallery", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(Gallery(false), "text/html");
    });
    web_.Start();
    fetcher_ = MakeFetcher(web_.Config());
    ASSERT_NE(fetcher_, nullptr);
  }

  // 300 images in the shapes of a forum thread, a WordPress gallery and a channel widget; the
  // clean gallery has the same page without her photo.
  std::string Gallery(bool with_hers) const {
    const auto url = [&](int i) {
      return web_.Url("cdn.example",
                      "/img/" + std::to_string(i == kHers && !with_hers ? 1000 : i) + ".jpg");
    };
    std::string html = "<!doctype html><title>Gallery</title><style>\n";
    for (int i = 0; i < 20; ++i) {
      html += ".t" + std::to_string(i) + " { background-image: url('" + url(i) + "'); }\n";
    }
    html += "</style><body>";
    for (int i = 20; i < kImages; ++i) {
      switch (i % 4) {
        case 0:
          html += "<img src='" + url(i) + "' alt='photo'>";
          break;
        case 1:
          html += "<img src='data:image/gif;base64,R0lGOD' data-lazy-src='" + url(i) + "'>";
          break;
        case 2:
          html += "<img data-orig-file='" + url(i) + "' data-orig-size='1024,768'>";
          break;
        default:
          html += "<a class='photo' style='background-image:url(" + url(i) + ")'></a>";
          break;
      }
    }
    return html + "</body>";
  }

  CheckResult Check(UrlChecker& checker, const std::string& path, int resume_at = 0) {
    return checker.Check(web_.Url("forum.example", path), bank_, "", "", resume_at);
  }

  size_t Served() {
    std::lock_guard lock(mu_);
    return served_.size();
  }

  TestWeb web_;
  std::unique_ptr<fetch::Fetcher> fetcher_;
  MediaBank bank_;
  std::mutex mu_;
  std::set<int> served_;  // the images fetched, by index
};

TEST_F(PageBudget, AllThreeHundredImagesAreCheckedWithinTheDefaultBudget) {
  UrlChecker checker(*fetcher_);
  const CheckResult r = Check(checker, "/gallery");
  EXPECT_EQ(r.verdict, Verdict::kMatched) << r.error;
  EXPECT_EQ(r.media_found, kImages);
  EXPECT_EQ(r.media_checked, kImages);
  EXPECT_EQ(r.media_failed, 0);
  EXPECT_EQ(r.media_deferred, 0);
  EXPECT_EQ(Served(), static_cast<size_t>(kImages));
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].media_url, web_.Url("cdn.example", "/img/250.jpg"));

  const nlohmann::json evidence = MediaEvidence(r);
  EXPECT_EQ(evidence["media_found"], kImages);
  EXPECT_EQ(evidence["media_checked"], kImages);
  EXPECT_EQ(evidence["media_deferred"], 0);
  EXPECT_EQ(evidence["media_resume_at"], 0);
  EXPECT_GT(evidence["media_bytes"].get<uint64_t>(), 0u);
  EXPECT_EQ(evidence["media_budget"]["bytes"], CheckOptions{}.page_media_bytes);
  EXPECT_EQ(evidence["media_budget"]["ms"], CheckOptions{}.page_media_time.count());
}

TEST_F(PageBudget, PastTheByteBudgetTheRestIsCheckedByTheNextChecks) {
  CheckOptions options;
  options.media_batch = 40;
  options.page_media_bytes = 1;  // spent by the first batch: one batch a check
  UrlChecker checker(*fetcher_, options);
  int resume_at = 0, checked = 0, checks = 0, matched = 0;
  CheckResult r;
  do {
    r = Check(checker, "/gallery", resume_at);
    ++checks;
    EXPECT_EQ(r.media_found, kImages);
    EXPECT_EQ(r.media_from, resume_at);
    EXPECT_EQ(r.media_checked + r.media_deferred + r.media_from, kImages);
    EXPECT_EQ(MediaEvidence(r)["media_budget"]["bytes"], 1);
    checked += r.media_checked;
    resume_at = r.media_resume_at;
    if (!r.matches.empty()) {
      ++matched;
      EXPECT_EQ(r.media_from, 240) << "her photo is in the seventh batch";
    } else {
      // Her photo may be among the images not seen by this check: not evidence of removal.
      EXPECT_EQ(r.verdict, Verdict::kUnreachable);
      EXPECT_NE(r.error.find(r.media_deferred > 0 ? "left for the next check" : "earlier checks"),
                std::string::npos)
          << r.error;
    }
    if (r.media_deferred > 0) {
      EXPECT_EQ(r.media_resume_at, r.media_from + r.media_checked);
    }
  } while (r.media_deferred > 0 && checks < 20);
  EXPECT_EQ(checks, 8);  // 300 images, 40 a check
  EXPECT_EQ(checked, kImages);
  EXPECT_EQ(matched, 1);
  EXPECT_EQ(Served(), static_cast<size_t>(kImages));
  EXPECT_EQ(r.media_resume_at, 0) << "the next check starts over";
}

TEST_F(PageBudget, PastTheTimeBudgetOneBatchRunsAndOnlyAWholeCheckTellsNoMatch) {
  CheckOptions options;
  options.media_batch = 100;
  options.page_media_time = std::chrono::milliseconds(0);  // passed once the first batch runs
  UrlChecker checker(*fetcher_, options);
  const CheckResult first = Check(checker, "/clean-gallery");
  EXPECT_EQ(first.verdict, Verdict::kUnreachable);
  EXPECT_EQ(first.media_checked, 100);
  EXPECT_EQ(first.media_deferred, 200);
  EXPECT_EQ(first.media_resume_at, 100);
  const CheckResult second = Check(checker, "/clean-gallery", first.media_resume_at);
  EXPECT_EQ(second.verdict, Verdict::kUnreachable);
  EXPECT_EQ(second.media_from, 100);
  const CheckResult last = Check(checker, "/clean-gallery", second.media_resume_at);
  EXPECT_EQ(last.media_from, 200);
  EXPECT_EQ(last.media_checked, 100);
  EXPECT_EQ(last.media_deferred, 0);
  EXPECT_EQ(last.verdict, Verdict::kUnreachable) << "the first 200 were seen by other checks";

  // Only a check that sees every image tells that none is hers.
  UrlChecker whole(*fetcher_);
  const CheckResult all = Check(whole, "/clean-gallery");
  EXPECT_EQ(all.media_checked, kImages);
  EXPECT_EQ(all.verdict, Verdict::kNoMatch) << all.error;

  // A page that shrank below the place to resume from is checked from its start.
  const CheckResult shrunk = Check(checker, "/clean-gallery", 5000);
  EXPECT_EQ(shrunk.media_from, 0);
  EXPECT_EQ(shrunk.media_checked, 100);
}

// A sighting on the gallery, checked by the job worker under a budget of 100 images a check:
// each check takes the page up where the last one stopped (its evidence says where and under
// what budget), a check that saw part of the page moves nothing and comes back within the hour,
// and her photo is found by the third.
TEST_F(PageBudget, ASightingsChecksTakeThePageUpWhereTheLastOneStopped) {
  char tmpl[] = "/tmp/takedown-budget-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  {
    auto store = store::Store::Open("sqlite:" + dir + "/db");
    ASSERT_TRUE(store.ok()) << store.status().message();
    constexpr UnixMillis kT0 = 1'800'000'000'000;
    store::NewCase c;
    c.code = "TD-BUDGET-0001";
    c.pin_hash = "$argon2id$pin";
    c.language = "en";
    c.now = kT0;
    domain::MediaHash h;
    const std::optional<matching::BankEntry> hers = bank_.pdq.Find(7);
    ASSERT_TRUE(hers.has_value());
    h.pdq = hers->hash.ToHex();
    h.quality = hers->quality;
    h.created_at = kT0;
    c.hashes.push_back(h);
    domain::Sighting sighting;
    sighting.url = sighting.normalized_url = web_.Url("forum.example", "/gallery");
    sighting.host = "forum.example";
    sighting.first_seen = kT0;
    c.sightings.push_back(sighting);
    auto case_id = (*store)->CreateCase(c);
    ASSERT_TRUE(case_id.ok()) << case_id.status().message();
    const int64_t id = (*(*store)->ListSightings(*case_id))[0].id;
    ASSERT_TRUE((*store)->EnqueueJob(SightingCheckJob(id, *case_id, kT0, "added")).ok());

    ManualClock clock(kT0);
    CheckOptions options;
    options.media_batch = 100;
    options.page_media_bytes = 1;
    SightingChecker checker(**store, clock, *fetcher_, {}, options);
    jobs::Worker worker(**store, clock, "test");
    worker.Register(std::string(kSightingCheckJob),
                    [&](const domain::Job& job) { return checker.Handle(job); });
    for (int check = 0; check < 3; ++check) {
      ASSERT_EQ(*worker.RunDue(), 1) << check;
      const json e = json::parse((*store)->GetSighting(id)->evidence_json);
      EXPECT_EQ(e["media_found"], kImages);
      EXPECT_EQ(e["media_from"], 100 * check);
      EXPECT_EQ(e["media_checked"], 100);
      EXPECT_EQ(e["media_deferred"], 200 - 100 * check);
      EXPECT_EQ(e["media_resume_at"], check < 2 ? 100 * (check + 1) : 0);
      EXPECT_EQ(e["media_budget"]["bytes"], 1);
      EXPECT_EQ(e["verdict"], check < 2 ? "unreachable" : "matched") << e["error"];
      EXPECT_EQ((*store)->GetSighting(id)->state, domain::SightingState::kFound);
      clock.Advance(kMillisPerHour);  // the retry of a check that could not tell
    }
    EXPECT_EQ(Served(), static_cast<size_t>(kImages));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace takedown::discovery
