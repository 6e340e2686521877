#include "fetch/feed.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace takedown::fetch {
namespace {

using Clock = std::chrono::steady_clock;

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string Gzip(std::string_view text) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, text.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::vector<std::string> MediaUrls(const Feed& feed) {
  std::vector<std::string> out;
  for (const MediaRef& m : feed.media) out.push_back(m.url);
  return out;
}

// "url hint source" per media address, for exact comparisons.
std::vector<std::string> MediaRows(const Feed& feed) {
  std::vector<std::string> out;
  for (const MediaRef& m : feed.media) {
    out.push_back(m.url + (m.hint == MediaHint::kImage ? " image " : " video ") +
                  std::string(MediaSourceName(m.source)));
  }
  return out;
}

Feed MustParse(std::string_view xml, std::string_view url, const FeedOptions& options = {}) {
  Result<Feed> feed = ParseFeed(xml, url, options);
  EXPECT_TRUE(feed.ok()) << feed.status().message();
  return feed.ok() ? std::move(feed).value() : Feed{};
}

// Every address a feed returned, and its title, in one string (for "is X anywhere" checks).
std::string Everything(const Feed& feed) {
  std::string all = feed.title + "\n";
  for (const auto& p : feed.pages) all += p + "\n";
  for (const auto& m : feed.media) all += m.url + "\n";
  for (const auto& s : feed.sitemaps) all += s + "\n";
  return all;
}

constexpr char kRss[] = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="/rss.xsl"?>
<!-- generator: WordPress -->
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>  Amateur
     uploads &amp; more </title>
  <link>https://blog.example/</link>
  <atom:link href="https://blog.example/feed/" rel="self" type="application/rss+xml"/>
  <image><url>https://blog.example/logo.png</url><title>logo</title><link>https://blog.example/</link></image>
  <media:thumbnail url="/channel-thumb.jpg"/>
  <item>
    <title>First</title>
    <link>https://blog.example/posts/1</link>
    <guid isPermaLink="false">post-1</guid>
    <enclosure url="/uploads/1.jpg" length="12345" type="image/jpeg"/>
    <media:content url="https://cdn.example/1.mp4" medium="video" type="video/mp4">
      <media:thumbnail url="https://cdn.example/1-thumb.jpg"/>
    </media:content>
    <description>&lt;p&gt;Look &lt;img src="inline.jpg"&gt;&lt;/p&gt;</description>
  </item>
  <item>
    <title>Second</title>
    <link>/posts/2</link>
    <guid>https://blog.example/posts/2</guid>
    <media:group>
      <media:content url="https://cdn.example/2-large.jpg" type="image/jpeg" width="1600"/>
      <media:content url="https://cdn.example/2.mp3" type="audio/mpeg"/>
      <media:content url="https://cdn.example/2-raw" />
      <media:content url="https://cdn.example/2.webm"/>
    </media:group>
    <enclosure url="https://cdn.example/2.mp3" type="audio/mpeg" length="1"/>
    <content:encoded><![CDATA[<p><a href="full-2.png">full size</a> <a href="/about">about</a></p>]]></content:encoded>
  </item>
  <item>
    <link>https://blog.example/posts/3#comments</link>
    <enclosure url="javascript:alert(1)" type="image/png"/>
    <media:content url="ftp://files.example/3.jpg" medium="image"/>
    <media:content url="data:image/gif;base64,R0lGODlhAQABAAAAACw=" medium="image"/>
    <media:player url="https://video.example/embed/3"/>
    <media:thumbnail url="https://cdn.example/1-thumb.jpg"/>
  </item>
  <item>
    <link>https://blog.example/posts/1</link>
    <enclosure url="https://blog.example/uploads/1.jpg" type="image/jpeg"/>
  </item>
</channel>
</rss>
)xml";

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

constexpr char kAtom[] = R"xml(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"
      xml:base="https://example.org/blog/">
  <title type="text">  Example
    Blog </title>
  <link rel="self" href="https://example.org/blog/atom.xml"/>
  <link rel="alternate" href="/"/>
  <id>tag:example.org,2024:blog</id>
  <entry xml:base="2024/">
    <title>Post one</title>
    <id>tag:example.org,2024:1</id>
    <link rel="alternate" type="text/html" href="post-1.html"/>
    <link href="post-1-short"/>
    <link rel="enclosure" type="video/mp4" length="1000" href="clip.mp4"/>
    <link rel="enclosure" type="audio/mpeg" href="talk.mp3"/>
    <link rel="edit" href="https://example.org/api/1"/>
    <link rel="related" href="https://elsewhere.example/"/>
    <link rel="replies" href="post-1.html#comments"/>
    <content type="html">&lt;img src="pics/a.png"&gt;</content>
  </entry>
  <entry>
    <link href="https://example.org/blog/post-2.html#top"/>
    <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p><img src="b.jpg"/></p></div></summary>
    <content type="image/jpeg" src="/full/c.jpg"/>
  </entry>
  <entry>
    <link rel="alternate" href="https://www.youtube.example/watch?v=abc"/>
    <media:group>
      <media:title>clip</media:title>
      <media:content url="https://www.youtube.example/v/abc?version=3" type="application/x-shockwave-flash"/>
      <media:thumbnail url="https://i.ytimg.example/vi/abc/hqdefault.jpg" width="480"/>
    </media:group>
    <content type="text">not html &lt;img src="no.jpg"&gt;</content>
  </entry>
</feed>
)xml";

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

constexpr char kRdf[] = R"xml(<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"
         xmlns:enc="http://purl.oclc.org/net/rss_2.0/enc#">
  <channel rdf:about="https://board.example/">
    <title>Board</title>
    <link>https://board.example/</link>
    <dc:title>not this one</dc:title>
    <items><rdf:Seq>
      <rdf:li rdf:resource="https://board.example/t/1"/>
      <rdf:li rdf:resource="https://board.example/t/2"/>
    </rdf:Seq></items>
  </channel>
  <image rdf:about="https://board.example/logo.gif"><url>https://board.example/logo.gif</url></image>
  <item rdf:about="https://board.example/t/1">
    <title>one</title>
    <link>https://board.example/t/1</link>
    <enc:enclosure rdf:resource="https://board.example/f/1.jpg" enc:type="image/jpeg"/>
  </item>
  <item rdf:about="urn:board:2">
    <link>t/2</link>
    <description>&lt;img src="/f/2.gif"&gt;</description>
  </item>
</rdf:RDF>)xml";

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

constexpr char kSitemap[] = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
        xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">
  <url>
    <loc>https://tube.example/watch/1</loc>
    <lastmod>2024-05-01</lastmod>
    <image:image><image:loc>https://img.tube.example/1/a.jpg</image:loc></image:image>
    <image:image>
      <image:loc>https://img.tube.example/1/b.jpg</image:loc>
      <image:caption>b</image:caption>
    </image:image>
    <video:video>
      <video:thumbnail_loc>https://img.tube.example/1/thumb.jpg</video:thumbnail_loc>
      <video:title>one</video:title>
      <video:content_loc>https://media.tube.example/1.mp4</video:content_loc>
      <video:player_loc>https://tube.example/embed/1</video:player_loc>
    </video:video>
  </url>
  <url>
    <loc>
      /watch/2
    </loc>
    <image:image><image:loc><![CDATA[/img/2.jpg]]></image:loc></image:image>
  </url>
  <url><loc>https://tube.example/watch/1</loc></url>
  <url><loc>ftp://tube.example/watch/3</loc></url>
  <url><loc>https://tube.example/watch/4?a=1&amp;b=2#t=10</loc></url>
</urlset>
)xml";

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

constexpr char kSitemapIndex[] = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://tube.example/sitemaps/videos-1.xml.gz</loc><lastmod>2024-05-01</lastmod></sitemap>
  <sitemap><loc>sitemaps/videos-2.xml</loc></sitemap>
  <sitemap><loc>https://tube.example/sitemaps/videos-1.xml.gz</loc></sitemap>
  <sitemap><loc>file:///etc/passwd</loc></sitemap>
</sitemapindex>
)xml";

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

TEST(LooksLikeFeedTest, ByTheRootElement) {
  EXPECT_TRUE(LooksLikeFeed(Bytes(kRss), "text/html"));
  EXPECT_TRUE(LooksLikeFeed(Bytes(kAtom), ""));
  EXPECT_TRUE(LooksLikeFeed(Bytes(kRdf), "application/octet-stream"));
  EXPECT_TRUE(LooksLikeFeed(Bytes(kSitemap), "text/plain"));
  EXPECT_TRUE(LooksLikeFeed(Bytes(kSitemapIndex), "application/xml"));
  EXPECT_TRUE(LooksLikeFeed(Bytes("\xEF\xBB\xBF  \n<rss version=\"2.0\">"), ""));
  EXPECT_TRUE(LooksLikeFeed(Bytes("<feed/>"), ""));
  EXPECT_TRUE(LooksLikeFeed(Bytes("<atom:feed xmlns:atom=\"http://www.w3.org/2005/Atom\">"), ""));
  EXPECT_TRUE(LooksLikeFeed(Bytes("<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS "
                                  "0.91//EN\" \"http://my.netscape.com/publish/formats/"
                                  "rss-0.91.dtd\">\n<rss version=\"0.91\">"),
                            ""));
  EXPECT_TRUE(
      LooksLikeFeed(Bytes("<?xml version='1.0'?><!DOCTYPE urlset [<!ENTITY a '<b>'> <!-- ] > -->]>"
                          "<!-- c --><?pi x?>\r\n<urlset>"),
                    ""));
  EXPECT_TRUE(LooksLikeFeed(Bytes("<!DOCTYPE rss [<!-- x -->]><!DOCTYPE x <!-- y -->><rss>"), ""));
  EXPECT_FALSE(LooksLikeFeed(Bytes("<!DOCTYPE rss <!-- x -->><html>"), ""));
  // UTF-16LE with a byte order mark.
  const std::string_view ascii = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss>";
  std::string utf16 = "\xFF\xFE";
  for (char c : ascii) utf16 += {c, '\0'};
  EXPECT_TRUE(LooksLikeFeed(Bytes(utf16), ""));
}

TEST(LooksLikeFeedTest, NotFeeds) {
  EXPECT_FALSE(LooksLikeFeed(Bytes("<!doctype html><html><body><rss>"), "application/rss+xml"));
  EXPECT_FALSE(LooksLikeFeed(Bytes("<html><head><title>rss</title>"), "application/rss+xml"));
  EXPECT_FALSE(
      LooksLikeFeed(Bytes("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">"),
                    "application/atom+xml"));
  EXPECT_FALSE(LooksLikeFeed(Bytes("<rsss>"), ""));
  EXPECT_FALSE(LooksLikeFeed(Bytes("<feeds>"), ""));
  EXPECT_FALSE(LooksLikeFeed(Bytes("{\"rss\": 1}"), "application/rss+xml"));
  EXPECT_FALSE(LooksLikeFeed(Bytes("\xFF\xD8\xFF\xE0\x00\x10JFIF"), "application/rss+xml"));
  EXPECT_FALSE(LooksLikeFeed({}, "application/rss+xml"));
  EXPECT_FALSE(LooksLikeFeed(Bytes("   "), "application/rss+xml"));
  EXPECT_FALSE(LooksLikeFeed(Bytes(Gzip("plain text")), "application/gzip"));
}

TEST(LooksLikeFeedTest, ContentTypeDecidesOnlyWhenTheBytesCannot) {
  // A prolog longer than the sniffing window: the bytes say nothing either way.
  const std::string long_prolog = "<!--" + std::string(70000, 'x') + "--><rss>";
  EXPECT_TRUE(LooksLikeFeed(Bytes(long_prolog), "application/rss+xml; charset=utf-8"));
  EXPECT_TRUE(LooksLikeFeed(Bytes(long_prolog), "text/xml"));
  EXPECT_FALSE(LooksLikeFeed(Bytes(long_prolog), "text/html"));
  EXPECT_FALSE(LooksLikeFeed(Bytes(long_prolog), ""));
}

TEST(FeedParseTest, ByteOrderMarkDeclarationAndEncodings) {
  const Feed bom = MustParse(
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<rss><channel><title>Caf\xC3\xA9</title>"
      "<item><link>/p/caf\xC3\xA9</link></item></channel></rss>",
      "https://a.example/feed");
  EXPECT_EQ(bom.title, "Caf\xC3\xA9");
  EXPECT_EQ(bom.pages, (std::vector<std::string>{"https://a.example/p/caf%C3%A9"}));

  const Feed latin1 = MustParse(
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
      "<rss><channel><title>Caf\xE9</title></channel></rss>",
      "https://a.example/feed");
  EXPECT_EQ(latin1.title, "Caf\xC3\xA9");

  const std::string_view ascii =
      "<rss><channel><title>wide</title><item><link>/w</link></item>"
      "</channel></rss>";
  std::string utf16 = "\xFE\xFF";
  for (char c : ascii) utf16 += {'\0', c};
  const Feed wide = MustParse(utf16, "https://a.example/feed");
  EXPECT_EQ(wide.title, "wide");
  EXPECT_EQ(wide.pages, (std::vector<std::string>{"https://a.example/w"}));
  FeedOptions small;
  small.max_input_bytes = 64;
  Result<Feed> too_wide = ParseFeed(utf16, "https://a.example/feed", small);
  ASSERT_FALSE(too_wide.ok());
  EXPECT_EQ(too_wide.status().code(), StatusCode::kUnsupported);
}

TEST(FeedParseTest, ResolvesRelativeAddressesAndDropsOtherSchemes) {
  const Feed feed = MustParse(R"xml(<rss><channel>
  <item><link>../up/one</link></item>
  <item><link>//cdn.example/two</link></item>
  <item><link>  three?x=1#frag  </link></item>
  <item><link>HTTPS://UPPER.example:443/Four</link></item>
  <item><link>mailto:abuse@example.org</link></item>
  <item><link>javascript:alert(1)</link></item>
  <item><link>data:text/html,hi</link></item>
  <item><link>file:///etc/passwd</link></item>
  <item><link>ftp://files.example/x</link></item>
  <item><link>gopher://old.example/</link></item>
  <item><link>https://user:pw@cred.example/five</link></item>
  <item><link>#only-a-fragment</link></item>
  <item><link></link></item>
  <item><enclosure url="../img/a.jpg" type="image/jpeg"/></item>
  <item><enclosure url="blob:https://x.example/1" type="image/jpeg"/></item>
</channel></rss>)xml",
                              "https://site.example/feeds/main/rss.xml?page=1");
  EXPECT_EQ(feed.pages, (std::vector<std::string>{
                            "https://site.example/feeds/up/one",
                            "https://cdn.example/two",
                            "https://site.example/feeds/main/three?x=1",
                            "https://upper.example/Four",
                            "https://cred.example/five",
                        }));
  EXPECT_EQ(MediaUrls(feed), (std::vector<std::string>{"https://site.example/feeds/img/a.jpg"}));
}

TEST(FeedParseTest, EachAddressOnce) {
  std::string xml = "<rss><channel>";
  for (int i = 0; i < 50; ++i) {
    xml += "<item><link>https://a.example/p/" + std::to_string(i % 5) +
           "</link><guid>https://a.example/p/" + std::to_string(i % 5) + "#x</guid>" +
           "<enclosure url='https://a.example/m/" + std::to_string(i % 3) +
           ".jpg' type='image/jpeg'/><media:content xmlns:media='http://search.yahoo.com/mrss/' "
           "url='/m/" +
           std::to_string(i % 3) + ".jpg'/></item>";
  }
  xml += "</channel></rss>";
  const Feed feed = MustParse(xml, "https://a.example/rss");
  EXPECT_EQ(feed.pages.size(), 5u);
  EXPECT_EQ(feed.media.size(), 3u);
  EXPECT_FALSE(feed.capped);
}

TEST(FeedParseTest, Caps) {
  std::string xml = "<rss><channel>";
  for (int i = 0; i < 100; ++i) {
    xml += "<item><link>/p/" + std::to_string(i) + "</link><enclosure url='/m/" +
           std::to_string(i) + ".jpg'/></item>";
  }
  xml += "</channel></rss>";
  FeedOptions options;
  options.max_pages = 10;
  Feed feed = MustParse(xml, "https://a.example/rss", options);
  EXPECT_EQ(feed.pages.size(), 10u);
  EXPECT_EQ(feed.pages.back(), "https://a.example/p/9");
  EXPECT_EQ(feed.media.size(), 100u);
  EXPECT_TRUE(feed.capped);

  options = {};
  options.max_media = 7;
  feed = MustParse(xml, "https://a.example/rss", options);
  EXPECT_EQ(feed.pages.size(), 100u);
  EXPECT_EQ(feed.media.size(), 7u);
  EXPECT_TRUE(feed.capped);

  options = {};
  options.max_entries = 20;
  feed = MustParse(xml, "https://a.example/rss", options);
  EXPECT_EQ(feed.pages.size(), 20u);
  EXPECT_EQ(feed.media.size(), 20u);
  EXPECT_TRUE(feed.capped);

  options = {};
  options.max_sitemaps = 1;
  feed = MustParse(kSitemapIndex, "https://tube.example/sitemap_index.xml", options);
  EXPECT_EQ(feed.sitemaps.size(), 1u);
  EXPECT_TRUE(feed.capped);

  // At the cap exactly is not capped.
  options = {};
  options.max_pages = 100;
  options.max_media = 100;
  options.max_entries = 100;
  feed = MustParse(xml, "https://a.example/rss", options);
  EXPECT_FALSE(feed.capped);

  // The default caps.
  std::string big = "<urlset>";
  for (int i = 0; i < 6000; ++i) big += "<url><loc>/" + std::to_string(i) + "</loc></url>";
  big += "</urlset>";
  feed = MustParse(big, "https://a.example/sitemap.xml");
  EXPECT_EQ(feed.pages.size(), 5000u);
  EXPECT_TRUE(feed.capped);
}

TEST(FeedParseTest, MalformedXmlIsAClearError) {
  const char* kBroken[] = {
      "<rss><channel><item></channel></rss>",
      "<rss><channel><title>a < b</title></channel></rss>",
      "<rss><channel attr=\"unterminated></channel></rss>",
      "<rss><channel></channel></rss></extra>",
      "<rss><!-- unterminated comment </rss>",
      "<rss><![CDATA[ unterminated </rss>",
  };
  for (const char* xml : kBroken) {
    Result<Feed> feed = ParseFeed(xml, "https://a.example/rss");
    ASSERT_FALSE(feed.ok()) << xml;
    EXPECT_EQ(feed.status().code(), StatusCode::kCorrupt) << xml;
    EXPECT_TRUE(
        feed.status().message().starts_with("https://a.example/rss is not well-formed XML: "))
        << feed.status().message();
  }
  Result<Feed> mismatch =
      ParseFeed("<rss><channel><item></channel></rss>", "https://a.example/rss");
  EXPECT_EQ(mismatch.status().message(),
            "https://a.example/rss is not well-formed XML: start-end tags mismatch at byte 22");

  for (std::string_view junk :
       {std::string_view(""), std::string_view("   "),
        std::string_view("\xFF\xD8\xFF\xE0 binary", 11), std::string_view("just text, no tags")}) {
    Result<Feed> feed = ParseFeed(junk, "https://a.example/rss");
    ASSERT_FALSE(feed.ok());
    EXPECT_EQ(feed.status().code(), StatusCode::kCorrupt) << feed.status().message();
  }
  Result<Feed> html = ParseFeed("<html><body><p>hi</p></body></html>", "https://a.example/");
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(html.status().message(),
            "https://a.example/ is not a feed or sitemap: its root element is <html>");
  Result<Feed> html5 =
      ParseFeed("<!doctype html><html><body><img src=x><br></body></html>", "https://a.example/");
  EXPECT_FALSE(html5.ok());

  Result<Feed> bad_url = ParseFeed(kRss, "feed.xml");
  ASSERT_FALSE(bad_url.ok());
  EXPECT_EQ(bad_url.status().code(), StatusCode::kInvalidArgument);
}

TEST(FeedParseTest, ADocumentThatEndsEarlyIsReadAsFarAsItGoes) {
  const Feed feed = MustParse(
      "<rss><channel><item><link>https://a.example/1</link></item><item><link>https://a.example/2"
      "</link>",
      "https://a.example/rss");
  EXPECT_TRUE(feed.truncated);
  EXPECT_EQ(feed.pages, (std::vector<std::string>{"https://a.example/1", "https://a.example/2"}));
  // Cut in the middle of an address: the part is not taken for the whole.
  const Feed cut = MustParse(
      "<rss><channel><item><link>https://a.example/1</link></item><item><link>https://a.exa",
      "https://a.example/rss");
  EXPECT_TRUE(cut.truncated);
  EXPECT_EQ(cut.pages, (std::vector<std::string>{"https://a.example/1"}));
  // Text after the root element is not an error.
  EXPECT_TRUE(ParseFeed("<rss></rss>\n\n", "https://a.example/rss").ok());
}

TEST(FeedSafetyTest, NoExternalEntities) {
  std::ifstream passwd_file("/etc/passwd");
  std::stringstream passwd;
  passwd << passwd_file.rdbuf();
  ASSERT_NE(passwd.str().find("root:"), std::string::npos);

  const char* kPayloads[] = {
      R"xml(<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><title>&xxe;</title>
<item><link>https://a.example/&xxe;</link><description>&xxe;</description>
<enclosure url="https://a.example/&xxe;.jpg" type="image/jpeg"/></item></channel></rss>)xml",
      R"xml(<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY % dtd SYSTEM "file:///etc/passwd"> %dtd;]>
<urlset><url><loc>https://a.example/x</loc></url></urlset>)xml",
      R"xml(<?xml version="1.0"?>
<!DOCTYPE feed SYSTEM "file:///etc/passwd">
<feed><title>&root;</title><entry><link href="https://a.example/e"/></entry></feed>)xml",
      R"xml(<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "http://127.0.0.1:1/secret">]>
<rss><channel><title>&xxe;</title></channel></rss>)xml",
      R"xml(<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xi SYSTEM "file:///etc/passwd">]>
<rss xmlns:xi="http://www.w3.org/2001/XInclude"><channel>
<title><xi:include href="file:///etc/passwd" parse="text"/></title></channel></rss>)xml",
  };
  for (const char* xml : kPayloads) {
    Result<Feed> feed = ParseFeed(xml, "https://a.example/feed");
    ASSERT_TRUE(feed.ok()) << feed.status().message();
    const std::string all = Everything(*feed);
    EXPECT_EQ(all.find("root:"), std::string::npos) << all;
    EXPECT_EQ(all.find("/bin/"), std::string::npos) << all;
  }
  Result<Feed> titled = ParseFeed(kPayloads[0], "https://a.example/feed");
  EXPECT_EQ(titled->title, "&xxe;");  // left as written, never expanded
}

TEST(FeedSafetyTest, BillionLaughsIsNotExpanded) {
  const std::string laughs = R"xml(<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss><channel><title>&lol9;</title>
<item><link>https://a.example/&lol9;</link><description>&lt;img src="&lol9;.jpg"&gt; &lol9;</description>
<media:content xmlns:media="http://search.yahoo.com/mrss/" url="https://a.example/&lol9;.jpg"/>
</item></channel></rss>)xml";
  // Quadratic blowup: one big entity referenced many times.
  std::string quadratic = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"" +
                          std::string(100000, 'a') + "\">]><rss><channel><title>";
  for (int i = 0; i < 20000; ++i) quadratic += "&a;";
  quadratic += "</title></channel></rss>";

  for (const std::string& xml : {laughs, quadratic}) {
    const auto start = Clock::now();
    Result<Feed> feed = ParseFeed(xml, "https://a.example/feed");
    EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(500));
    ASSERT_TRUE(feed.ok()) << feed.status().message();
    EXPECT_LE(Everything(*feed).size(), 2000u);
    EXPECT_EQ(Everything(*feed).find("lollol"), std::string::npos);
    EXPECT_EQ(Everything(*feed).find("aaaa"), std::string::npos);
  }
}

TEST(FeedSafetyTest, HugeInputIsCutAtTheByteCap) {
  std::string xml = "<rss><channel><title>big</title>";
  int items = 0;
  while (xml.size() < (20u << 20)) {
    xml += "<item><link>https://a.example/p/" + std::to_string(items) + "</link><description>" +
           std::string(200, 'x') + "</description></item>\n";
    ++items;
  }
  xml += "</channel></rss>";
  const auto start = Clock::now();
  FeedOptions options;
  options.max_pages = 1u << 20;
  options.max_entries = 1u << 20;
  const Feed feed = MustParse(xml, "https://a.example/rss", options);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(feed.truncated);
  EXPECT_EQ(feed.title, "big");
  // Every link that ended within the first 16 MiB, and not one more.
  size_t complete = 0;
  for (size_t p = xml.find("</link>"); p != std::string::npos && p + 7 <= (16u << 20);
       p = xml.find("</link>", p + 1)) {
    ++complete;
  }
  EXPECT_LT(complete, static_cast<size_t>(items));
  EXPECT_EQ(feed.pages.size(), complete);
  EXPECT_EQ(feed.pages.back(), "https://a.example/p/" + std::to_string(complete - 1));
}

TEST(FeedSafetyTest, TagSoupIsCutByTheTreeBound) {
  // 8 MiB of empty elements would make a tree of some 300 MB; the bound stops at 64 MiB.
  std::string xml = "<urlset><url><loc>https://a.example/first</loc></url>";
  while (xml.size() < (8u << 20)) xml += "<a/>x";
  xml += "<url><loc>https://a.example/last</loc></url></urlset>";
  FeedOptions options;
  options.max_tree_bytes = 64u << 20;
  const auto start = Clock::now();
  const Feed feed = MustParse(xml, "https://a.example/sitemap.xml", options);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(feed.truncated);
  EXPECT_EQ(feed.pages, (std::vector<std::string>{"https://a.example/first"}));

  Result<Feed> no_tag = ParseFeed(std::string(100, 'x') + "<rss>", "https://a.example/", [] {
    FeedOptions o;
    o.max_input_bytes = 50;
    return o;
  }());
  ASSERT_FALSE(no_tag.ok());
  EXPECT_EQ(no_tag.status().code(), StatusCode::kCorrupt);
}

TEST(FeedSafetyTest, DeepNestingNeitherCrashesNorIsFollowedFar) {
  std::string xml = "<rss><channel><item><link>https://a.example/1</link>";
  const int kDepth = 1000000;
  for (int i = 0; i < kDepth; ++i) xml += "<x>";
  xml += "<enclosure url='https://a.example/deep.jpg'/>";
  for (int i = 0; i < kDepth; ++i) xml += "</x>";
  xml += "<x><x><enclosure url='https://a.example/shallow.jpg'/></x></x>";
  xml += "</item></channel></rss>";
  const auto start = Clock::now();
  const Feed feed = MustParse(xml, "https://a.example/rss");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(feed.pages, (std::vector<std::string>{"https://a.example/1"}));
  EXPECT_EQ(MediaUrls(feed), (std::vector<std::string>{"https://a.example/shallow.jpg"}));

  // Unclosed nesting to the end: read as a document that ends early.
  std::string open = "<feed><entry><link href='https://a.example/e'/>";
  for (int i = 0; i < kDepth; ++i) open += "<div>";
  const Feed unclosed = MustParse(open, "https://a.example/atom");
  EXPECT_TRUE(unclosed.truncated);
  EXPECT_EQ(unclosed.pages, (std::vector<std::string>{"https://a.example/e"}));
}

TEST(FeedParseTest, Names) {
  EXPECT_EQ(FeedKindName(FeedKind::kRss), "rss");
  EXPECT_EQ(FeedKindName(FeedKind::kAtom), "atom");
  EXPECT_EQ(FeedKindName(FeedKind::kRdf), "rdf");
  EXPECT_EQ(FeedKindName(FeedKind::kSitemap), "sitemap");
  EXPECT_EQ(FeedKindName(FeedKind::kSitemapIndex), "sitemapindex");
  EXPECT_EQ(MediaSourceName(MediaSource::kEnclosure), "feed enclosure");
  EXPECT_EQ(MediaSourceName(MediaSource::kMediaRss), "media rss");
  EXPECT_EQ(MediaSourceName(MediaSource::kSitemapImage), "image sitemap");
  EXPECT_EQ(MediaSourceName(MediaSource::kSitemapVideo), "video sitemap");
}

}  // namespace
}  // namespace takedown::fetch
