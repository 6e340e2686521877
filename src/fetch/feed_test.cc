// Tests of the feed and sitemap formats: RSS 2.0 (enclosures, Media RSS, item HTML), Atom
// (links, xml:base), RSS 1.0 (RDF), sitemaps, sitemap indexes, gzipped sitemaps and the gunzip
// cap. Sniffing and parsing rules are in feed_parse_test.cc, hostile input in
// feed_safety_test.cc.
#include "fetch/feed.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fetch/feed_test_util.h"

namespace takedown::fetch {
namespace {

using namespace feed_testing;  // NOLINT: the helpers and sample documents every feed test uses

TEST(FeedRssTest, ReadsItemsEnclosuresMediaRssAndItemHtml) {
  const Feed feed = MustParse(kRss, "https://blog.example/feed/");
  EXPECT_EQ(feed.kind, FeedKind::kRss);
  EXPECT_EQ(feed.title, "Amateur uploads & more");
  EXPECT_EQ(feed.pages, (std::vector<std::string>{
                            "https://blog.example/posts/1",
                            "https://blog.example/posts/2",
                            "https://blog.example/posts/3",
                            "https://video.example/embed/3",
                        }));
  EXPECT_EQ(MediaRows(feed), (std::vector<std::string>{
                                 "https://blog.example/channel-thumb.jpg image media rss",
                                 "https://blog.example/uploads/1.jpg image feed enclosure",
                                 "https://cdn.example/1.mp4 video media rss",
                                 "https://cdn.example/1-thumb.jpg image media rss",
                                 "https://blog.example/posts/inline.jpg image img src",
                                 "https://cdn.example/2-large.jpg image media rss",
                                 "https://cdn.example/2-raw image media rss",
                                 "https://cdn.example/2.webm video media rss",
                                 "https://blog.example/posts/full-2.png image link to a media file",
                             }));
  EXPECT_TRUE(feed.sitemaps.empty());
  EXPECT_FALSE(feed.truncated);
  EXPECT_FALSE(feed.capped);
}

TEST(FeedRssTest, ItemHtmlOfManyItemsIsQuick) {
  std::string xml = "<rss><channel>";
  for (int i = 0; i < 5000; ++i) {
    xml += "<item><link>/p/" + std::to_string(i) +
           "</link><description>&lt;p&gt;Hello &lt;img src=\"/i/" + std::to_string(i) +
           ".jpg\"&gt; &lt;a href=\"/x\"&gt;more&lt;/a&gt;&lt;/p&gt;</description></item>";
  }
  xml += "</channel></rss>";
  const auto start = Clock::now();
  const Feed feed = MustParse(xml, "https://a.example/rss");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(feed.pages.size(), 5000u);
  ASSERT_EQ(feed.media.size(), 5000u);
  EXPECT_EQ(feed.media[4999].url, "https://a.example/i/4999.jpg");
  EXPECT_FALSE(feed.capped);
}

TEST(FeedRssTest, ItemHtmlCanBeSwitchedOff) {
  FeedOptions options;
  options.item_html = false;
  const Feed feed = MustParse(kRss, "https://blog.example/feed/", options);
  for (const MediaRef& m : feed.media) {
    EXPECT_NE(m.source, MediaSource::kImgSrc) << m.url;
    EXPECT_NE(m.source, MediaSource::kAnchor) << m.url;
  }
  EXPECT_EQ(feed.media.size(), 7u);
}

TEST(FeedAtomTest, ReadsAlternateAndEnclosureLinksWithXmlBase) {
  const Feed feed = MustParse(kAtom, "https://feeds.example/atom");
  EXPECT_EQ(feed.kind, FeedKind::kAtom);
  EXPECT_EQ(feed.title, "Example Blog");
  EXPECT_EQ(feed.pages, (std::vector<std::string>{
                            "https://example.org/blog/2024/post-1.html",
                            "https://example.org/blog/2024/post-1-short",
                            "https://example.org/blog/post-2.html",
                            "https://www.youtube.example/watch?v=abc",
                        }));
  EXPECT_EQ(MediaRows(feed), (std::vector<std::string>{
                                 "https://example.org/blog/2024/clip.mp4 video feed enclosure",
                                 "https://example.org/blog/2024/pics/a.png image img src",
                                 "https://example.org/full/c.jpg image feed enclosure",
                                 "https://example.org/blog/b.jpg image img src",
                                 "https://i.ytimg.example/vi/abc/hqdefault.jpg image media rss",
                             }));
}

TEST(FeedAtomTest, PrefixedAtomAndXmlBaseOnOneElement) {
  const Feed feed = MustParse(R"xml(<atom:feed xmlns:atom="http://www.w3.org/2005/Atom">
  <atom:title>Prefixed</atom:title>
  <atom:entry>
    <atom:link href="a.html" xml:base="https://other.example/dir/"/>
    <atom:link href="b.html"/>
    <atom:link rel="enclosure" href="x.jpg" xml:base="ftp://files.example/"/>
  </atom:entry>
</atom:feed>)xml",
                              "https://feeds.example/sub/feed.atom");
  EXPECT_EQ(feed.title, "Prefixed");
  EXPECT_EQ(feed.pages, (std::vector<std::string>{"https://other.example/dir/a.html",
                                                  "https://feeds.example/sub/b.html"}));
  // An xml:base that is not http(s) is ignored: x.jpg resolves against the feed.
  EXPECT_EQ(MediaUrls(feed), (std::vector<std::string>{"https://feeds.example/sub/x.jpg"}));
}

TEST(FeedRdfTest, ReadsRss1Items) {
  const Feed feed = MustParse(kRdf, "https://board.example/index.rdf");
  EXPECT_EQ(feed.kind, FeedKind::kRdf);
  EXPECT_EQ(feed.title, "Board");
  EXPECT_EQ(feed.pages,
            (std::vector<std::string>{"https://board.example/t/1", "https://board.example/t/2"}));
  EXPECT_EQ(MediaRows(feed), (std::vector<std::string>{
                                 "https://board.example/f/1.jpg image feed enclosure",
                                 "https://board.example/f/2.gif image img src",
                             }));
}

TEST(FeedSitemapTest, ReadsLocsImagesAndVideos) {
  const Feed feed = MustParse(kSitemap, "https://tube.example/sitemap.xml");
  EXPECT_EQ(feed.kind, FeedKind::kSitemap);
  EXPECT_EQ(feed.title, "");
  EXPECT_EQ(feed.pages, (std::vector<std::string>{
                            "https://tube.example/watch/1",
                            "https://tube.example/embed/1",
                            "https://tube.example/watch/2",
                            "https://tube.example/watch/4?a=1&b=2",
                        }));
  EXPECT_EQ(MediaRows(feed), (std::vector<std::string>{
                                 "https://img.tube.example/1/a.jpg image image sitemap",
                                 "https://img.tube.example/1/b.jpg image image sitemap",
                                 "https://img.tube.example/1/thumb.jpg image video sitemap",
                                 "https://media.tube.example/1.mp4 video video sitemap",
                                 "https://tube.example/img/2.jpg image image sitemap",
                             }));
}

TEST(FeedSitemapTest, ReadsASitemapIndex) {
  const Feed feed = MustParse(kSitemapIndex, "https://tube.example/sitemap_index.xml");
  EXPECT_EQ(feed.kind, FeedKind::kSitemapIndex);
  EXPECT_EQ(feed.sitemaps, (std::vector<std::string>{
                               "https://tube.example/sitemaps/videos-1.xml.gz",
                               "https://tube.example/sitemaps/videos-2.xml",
                           }));
  EXPECT_TRUE(feed.pages.empty());
  EXPECT_TRUE(feed.media.empty());
}

TEST(FeedSitemapTest, GzippedSitemap) {
  const std::string gz = Gzip(kSitemap);
  EXPECT_TRUE(LooksLikeFeed(Bytes(gz), "application/x-gzip"));
  EXPECT_TRUE(LooksLikeFeed(Bytes(gz), "application/octet-stream"));
  EXPECT_FALSE(LooksLikeFeed(Bytes(Gzip("<html><body>hi</body></html>")), "application/gzip"));
  Result<std::string> xml = GunzipCapped(Bytes(gz));
  ASSERT_TRUE(xml.ok()) << xml.status().message();
  EXPECT_EQ(*xml, kSitemap);
  const Feed feed = MustParse(*xml, "https://tube.example/sitemap.xml.gz");
  EXPECT_EQ(feed.pages.size(), 4u);
  EXPECT_EQ(feed.media.size(), 5u);

  // Two members, as `gzip -c a b` writes.
  const std::string two = Gzip("<urlset><url><loc>/a</loc></url>") + Gzip("</urlset>");
  Result<std::string> joined = GunzipCapped(Bytes(two));
  ASSERT_TRUE(joined.ok()) << joined.status().message();
  EXPECT_EQ(*joined, "<urlset><url><loc>/a</loc></url></urlset>");
}

TEST(FeedGunzipTest, BombStopsAtTheCap) {
  const std::string zeros(100u << 20, '\0');
  const std::string bomb = Gzip(zeros);
  ASSERT_LT(bomb.size(), 200u << 10);
  const auto start = Clock::now();
  Result<std::string> out = GunzipCapped(Bytes(bomb), 1u << 20);
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(500));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kTooLarge);
  EXPECT_EQ(out.status().message(), "the gzip data decompresses to more than 1048576 bytes");
  // Exactly at the cap is fine.
  Result<std::string> exact = GunzipCapped(Bytes(Gzip(std::string(1000, 'x'))), 1000);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->size(), 1000u);
}

TEST(FeedGunzipTest, DamagedOrTruncatedOrNotGzip) {
  const std::string gz = Gzip(kSitemap);
  Result<std::string> cut = GunzipCapped(Bytes(std::string_view(gz).substr(0, gz.size() / 2)));
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(cut.status().message(), "the gzip data ends early");

  std::string damaged = gz;
  for (size_t i = 20; i < 60; ++i) damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
  Result<std::string> bad = GunzipCapped(Bytes(damaged));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorrupt);

  Result<std::string> plain = GunzipCapped(Bytes(kSitemap));
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.status().message(), "the data is not gzip (it does not start with 1f 8b)");
  EXPECT_FALSE(GunzipCapped({}).ok());
}

}  // namespace
}  // namespace takedown::fetch
