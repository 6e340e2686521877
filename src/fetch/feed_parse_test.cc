// Tests of feed sniffing and parsing rules: LooksLikeFeed, encodings, relative addresses, each
// address once, the caps, malformed and truncated XML, and the formats' names.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fetch/feed.h"
#include "fetch/feed_test_util.h"

namespace takedown::fetch {
namespace {

using namespace feed_testing;  // NOLINT: the helpers and sample documents every feed test uses

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
