// Tests of feed parsing against hostile input: external entities, billion laughs, huge input,
// tag soup and deep nesting.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fetch/feed.h"
#include "fetch/feed_test_util.h"

namespace takedown::fetch {
namespace {

using namespace feed_testing;  // NOLINT: the helpers and sample documents every feed test uses

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

}  // namespace
}  // namespace takedown::fetch
