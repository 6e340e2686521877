// UrlChecker against a loopback web serving real photos: the survivor's photo found directly, in
// srcset and lazy-loading markup, edited (shrunk, blurred, contrast); pages without it, pages
// that are gone, media that cannot be fetched, and a redirect to a private address.
#include "discovery/url_check.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "discovery/edited_photo.h"
#include "fetch/test_web.h"

namespace takedown::discovery {
namespace {

using fetch::testing::MakeFetcher;
using fetch::testing::TestWeb;

const std::string kPdq = std::string(TAKEDOWN_SHARED_DIR) + "/testdata/pdq/";

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The survivor's own hash and region signals of the original photo, as `takedown hash` and the
// browser compute them (full mode).
MediaBank SurvivorBank() {
  hashfile::HashOptions options;
  options.signals = true;
  hashfile::ImageFileHasher hasher(options);
  auto original = hasher.HashFile(kPdq + "bridge-mods/aaa-orig.jpg");
  EXPECT_TRUE(original.ok());
  EXPECT_TRUE(original->signals) << original->signals_status.message();
  MediaBank bank;
  bank.pdq.Put({7, original->pdq.hash, original->pdq.quality, 1});
  EXPECT_TRUE(bank.regions.Put(7, 1, *original->signals).ok());
  return bank;
}

void Serve(httplib::Server& server, const std::string& path, const std::string& file,
           const std::string& type) {
  const std::string bytes = Read(file);
  server.Get(path, [bytes, type](const httplib::Request&, httplib::Response& res) {
    res.set_content(bytes, type);
  });
}

class UrlCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    httplib::Server& forum = web_.Add("forum.example");
    httplib::Server& cdn = web_.Add("cdn.example");
    const std::string cdn_url = "http://cdn.example:";
    Serve(cdn, "/shrunk.jpg", kPdq + "bridge-mods/shrink-a-lot.jpg", "image/jpeg");
    Serve(cdn, "/blurred.jpg", kPdq + "bridge-mods/blur-a-little.jpg", "image/jpeg");
    Serve(cdn, "/contrast.jpg", kPdq + "bridge-mods/high-contrast.jpg", "application/octet-stream");
    Serve(cdn, "/other.jpg", kPdq + "reg-test-input/labelme-subset/q0122.jpg", "image/jpeg");
    Serve(cdn, "/other.png", kPdq + "reg-test-input/pen-and-coaster.png", "image/png");
    cdn.Get("/broken.jpg",
            [](const httplib::Request&, httplib::Response& res) { res.status = 500; });
    forum.Get("/thread/1", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(
          "<!doctype html><title>Thread 1</title>"
          "<img src='" +
              web_.Url("cdn.example", "/other.jpg") +
              "'>"
              "<img srcset='" +
              web_.Url("cdn.example", "/shrunk.jpg") + " 1x, " +
              web_.Url("cdn.example", "/other.png") + " 2x'>",
          "text/html");
    });
    forum.Get("/thread/2", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(
          "<html><head><title>Lazy</title></head><body>"
          "<img data-src='" +
              web_.Url("cdn.example", "/contrast.jpg") +
              "'>"
              "<div style=\"background-image:url('" +
              web_.Url("cdn.example", "/blurred.jpg") + "')\"></div>",
          "text/html");
    });
    forum.Get("/clean", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content("<title>Removed</title><p>This content was removed.</p><img src='" +
                          web_.Url("cdn.example", "/other.jpg") + "'>",
                      "text/html");
    });
    forum.Get("/broken", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content("<img src='" + web_.Url("cdn.example", "/broken.jpg") + "'>", "text/html");
    });
    forum.Get("/gone", [](const httplib::Request&, httplib::Response& res) { res.status = 410; });
    forum.Get("/sneaky", [](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("http://10.0.0.1/admin");
    });
    forum.Get("/direct", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(Read(kPdq + "bridge-mods/shrink-a-little.jpg"), "image/jpeg");
      res.set_header("ETag", "\"v1\"");
    });
    forum.Get("/cached", [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("If-None-Match") == "\"v1\"") {
        res.status = 304;
        return;
      }
      res.set_content(Read(kPdq + "bridge-mods/shrink-a-little.jpg"), "image/jpeg");
      res.set_header("ETag", "\"v1\"");
    });
    // Hostile media: a gzip bomb, a body over the image limit, an answer that never comes, and a
    // page of tag soup around the photo.
    cdn.Get("/bomb.jpg", [](const httplib::Request&, httplib::Response& res) {
      static const std::string bomb = GzipOfZeros(64u << 20);
      res.set_header("Content-Encoding", "gzip");
      res.set_content(bomb, "image/jpeg");
    });
    cdn.Get("/huge.jpg", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(3u << 20, 'x'), "image/jpeg");
    });
    cdn.Get("/slow.jpg", [this](const httplib::Request&, httplib::Response& res) {
      for (int i = 0; i < 50 && !web_.stopping(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      res.set_content("late", "image/jpeg");
    });
    for (const char* name : {"bomb", "huge", "slow"}) {
      forum.Get(
          std::string("/") + name, [this, name](const httplib::Request&, httplib::Response& res) {
            res.set_content("<title>x</title><img src='" +
                                web_.Url("cdn.example", "/" + std::string(name) + ".jpg") + "'>",
                            "text/html");
          });
    }
    forum.Get("/soup", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(
          "<html><title>Soup</title><body><table><div><p><b><i>unclosed <td>cell</tr>"
          "<img src='" +
              web_.Url("cdn.example", "/shrunk.jpg") +
              "' alt=\"x\" <<>></b></i></div></table></span></html></body>",
          "text/html");
    });
    web_.Start();
    fetcher_ = MakeFetcher(web_.Config());
    ASSERT_NE(fetcher_, nullptr);
    checker_.emplace(*fetcher_);
  }

  static std::string GzipOfZeros(size_t n) {
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
    const std::string zeros(n, '\0');
    std::string out(deflateBound(&z, n), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = static_cast<uInt>(n);
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
  }

  CheckResult Check(const std::string& path, const std::string& etag = "") {
    return checker_->Check(web_.Url("forum.example", path), bank_, etag);
  }

  TestWeb web_;
  std::unique_ptr<fetch::Fetcher> fetcher_;
  std::optional<UrlChecker> checker_;
  MediaBank bank_ = SurvivorBank();
};

TEST_F(UrlCheck, FindsEditedCopiesInPagesAndMarkup) {
  const CheckResult one = Check("/thread/1");
  EXPECT_EQ(one.verdict, Verdict::kMatched) << one.error;
  EXPECT_EQ(one.http_status, 200);
  EXPECT_EQ(one.title, "Thread 1");
  EXPECT_EQ(one.media_checked, 3);
  ASSERT_EQ(one.matches.size(), 1u);
  EXPECT_EQ(one.matches[0].media_url, web_.Url("cdn.example", "/shrunk.jpg"));
  EXPECT_EQ(one.matches[0].hash_id, 7);
  EXPECT_EQ(one.matches[0].kind, "image");
  EXPECT_LE(one.matches[0].distance, 31);
  EXPECT_EQ(one.matches[0].sha256.size(), 64u);

  // Lazy-loaded and CSS background copies, one served with a wrong content type.
  const CheckResult two = Check("/thread/2");
  EXPECT_EQ(two.verdict, Verdict::kMatched);
  ASSERT_EQ(two.matches.size(), 2u);
  EXPECT_EQ(two.matches[0].media_url, web_.Url("cdn.example", "/contrast.jpg"));
  EXPECT_EQ(two.matches[1].media_url, web_.Url("cdn.example", "/blurred.jpg"));
}

TEST_F(UrlCheck, CropsAndLetterboxesPdqMissesAreFoundOnTheRegionSignalsAndSaySo) {
  const std::string original = kPdq + "bridge-mods/aaa-orig.jpg";
  TestWeb web;
  httplib::Server& site = web.Add("site.example");
  const std::string cropped = testing::EditedPhoto(original, {.crop = 0.06});
  const std::string framed = testing::EditedPhoto(original, {.crop = 0.03, .letterbox = 0.12});
  site.Get("/cropped.jpg", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(cropped, "image/jpeg");
  });
  site.Get("/framed.jpg", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(framed, "image/jpeg");
  });
  site.Get("/other.jpg", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Read(kPdq + "reg-test-input/labelme-subset/q0122.jpg"), "image/jpeg");
  });
  site.Get("/page", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        "<title>Reposts</title><img src='/cropped.jpg'><img src='/other.jpg'>"
        "<img src='/framed.jpg'>",
        "text/html");
  });
  web.Start();
  auto fetcher = MakeFetcher(web.Config());
  UrlChecker checker(*fetcher);

  // PDQ alone misses both copies: the page shows nothing of hers.
  MediaBank pdq_only;
  pdq_only.pdq.Put(*bank_.pdq.Find(7));
  EXPECT_EQ(checker.Check(web.Url("site.example", "/page"), pdq_only).verdict, Verdict::kNoMatch);

  const CheckResult r = checker.Check(web.Url("site.example", "/page"), bank_);
  EXPECT_EQ(r.verdict, Verdict::kMatched) << r.error;
  EXPECT_EQ(r.media_checked, 3);
  ASSERT_EQ(r.matches.size(), 2u);
  for (const MediaMatch& m : r.matches) {
    EXPECT_EQ(m.hash_id, 7);
    EXPECT_EQ(m.signal, "region") << m.media_url;
    ASSERT_FALSE(m.regions.empty()) << m.media_url;
    EXPECT_EQ(m.distance, m.regions[0].distance);
    EXPECT_LE(m.distance, matching::kRegionRadius);
    // What the caseworker is shown: the signal, its strength and the regions that matched.
    const nlohmann::json shown = MatchJson(m);
    EXPECT_EQ(shown["signal"], "region");
    EXPECT_EQ(shown["strength"], m.allows_automatic_action ? "strong" : "weak");
    EXPECT_EQ(shown["regions"].size(), m.regions.size());
    EXPECT_EQ(shown["regions"][0]["query"], hashing::RegionName(m.regions[0].query_region));
    EXPECT_EQ(shown["regions"][0]["stored"], hashing::RegionName(m.regions[0].stored_region));
  }
  EXPECT_EQ(r.matches[0].media_url, web.Url("site.example", "/cropped.jpg"));
  EXPECT_EQ(r.matches[1].media_url, web.Url("site.example", "/framed.jpg"));
  // The framed copy's content, once its bars are trimmed, is the photo itself: strong evidence.
  EXPECT_TRUE(r.matches[1].allows_automatic_action);
}

TEST_F(UrlCheck, APdqMatchIsStrongAndSaysPdq) {
  const CheckResult direct = Check("/direct");
  ASSERT_EQ(direct.matches.size(), 1u);
  EXPECT_EQ(direct.matches[0].signal, "pdq");
  EXPECT_TRUE(direct.matches[0].allows_automatic_action);
  EXPECT_TRUE(direct.matches[0].regions.empty());
  EXPECT_EQ(MatchJson(direct.matches[0])["strength"], "strong");
  EXPECT_FALSE(MatchJson(direct.matches[0]).contains("regions"));
}

TEST_F(UrlCheck, AnImageAddressIsHashedDirectlyAndRechecksAreConditional) {
  const CheckResult direct = Check("/direct");
  EXPECT_EQ(direct.verdict, Verdict::kMatched);
  ASSERT_EQ(direct.matches.size(), 1u);
  EXPECT_EQ(direct.matches[0].media_url, web_.Url("forum.example", "/direct"));
  EXPECT_EQ(direct.etag, "\"v1\"");
  EXPECT_EQ(Check("/cached", "\"v1\"").verdict, Verdict::kUnchanged);
  EXPECT_EQ(Check("/cached", "\"v0\"").verdict, Verdict::kMatched);
}

TEST_F(UrlCheck, RemovedGoneAndUnreachableAreTold) {
  const CheckResult clean = Check("/clean");
  EXPECT_EQ(clean.verdict, Verdict::kNoMatch);
  EXPECT_EQ(clean.title, "Removed");
  EXPECT_EQ(clean.media_checked, 1);
  EXPECT_EQ(Check("/gone").verdict, Verdict::kGone);

  // A page whose only image fails is not evidence of removal.
  const CheckResult broken = Check("/broken");
  EXPECT_EQ(broken.verdict, Verdict::kUnreachable);
  EXPECT_EQ(broken.media_failed, 1);

  const CheckResult sneaky = Check("/sneaky");
  EXPECT_EQ(sneaky.verdict, Verdict::kUnreachable);
  EXPECT_NE(sneaky.error.find("10.0.0.1"), std::string::npos) << sneaky.error;
}

TEST_F(UrlCheck, HostileMediaAreUnreachableNotRemovedAndTagSoupStillShowsThePhoto) {
  fetch::FetcherConfig config = web_.Config();
  config.transfer_timeout = std::chrono::milliseconds(1000);
  config.request_deadline = std::chrono::milliseconds(2000);
  config.max_attempts = 1;
  auto fetcher = MakeFetcher(config);
  ASSERT_NE(fetcher, nullptr);
  CheckOptions options;
  options.max_image_bytes = 1u << 20;
  UrlChecker strict(*fetcher, options);
  for (const char* page : {"/bomb", "/huge", "/slow"}) {
    const CheckResult r = strict.Check(web_.Url("forum.example", page), bank_);
    EXPECT_EQ(r.verdict, Verdict::kUnreachable) << page << ": " << r.error;
    EXPECT_EQ(r.media_failed, 1) << page;
    EXPECT_FALSE(r.error.empty()) << page;
  }
  const CheckResult soup = Check("/soup");
  EXPECT_EQ(soup.verdict, Verdict::kMatched) << soup.error;
  EXPECT_EQ(soup.title, "Soup");
}

TEST_F(UrlCheck, AVideoOfThePhotoIsMatchedFrameByFrame) {
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) {
    if (std::getenv("CI") != nullptr) FAIL() << "the ffmpeg command is missing";
    GTEST_SKIP() << "no ffmpeg command";
  }
  char dir[] = "/tmp/takedown-discovery-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string clip = std::string(dir) + "/clip.mp4";
  const std::string command = "ffmpeg -v error -y -loop 1 -t 3 -i " + kPdq +
                              "bridge-mods/aaa-orig.jpg -vf scale=640:-2 -r 10 -pix_fmt yuv420p " +
                              clip;
  ASSERT_EQ(std::system(command.c_str()), 0);
  const std::string bytes = Read(clip);
  std::filesystem::remove_all(dir);

  TestWeb web;
  web.Add("tube.example").Get("/v/1.mp4", [bytes](const httplib::Request&, httplib::Response& res) {
    res.set_content(bytes, "video/mp4");
  });
  web.Start();
  auto fetcher = MakeFetcher(web.Config());
  UrlChecker checker(*fetcher);
  const CheckResult r = checker.Check(web.Url("tube.example", "/v/1.mp4"), bank_);
  EXPECT_EQ(r.verdict, Verdict::kMatched) << r.error;
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].kind, "video");
  EXPECT_EQ(r.matches[0].hash_id, 7);
}

}  // namespace
}  // namespace takedown::discovery
