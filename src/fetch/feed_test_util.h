// The feed tests' shared helpers and sample documents, for feed_test.cc, feed_parse_test.cc and
// feed_safety_test.cc: bytes, gzip, the media a feed found, and an RSS 2.0, Atom, RSS 1.0 (RDF),
// sitemap and sitemap index document.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fetch/feed.h"

namespace takedown::fetch::feed_testing {

using Clock = std::chrono::steady_clock;

inline std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

inline std::string Gzip(std::string_view text) {
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

inline std::vector<std::string> MediaUrls(const Feed& feed) {
  std::vector<std::string> out;
  for (const MediaRef& m : feed.media) out.push_back(m.url);
  return out;
}

// "url hint source" per media address, for exact comparisons.
inline std::vector<std::string> MediaRows(const Feed& feed) {
  std::vector<std::string> out;
  for (const MediaRef& m : feed.media) {
    out.push_back(m.url + (m.hint == MediaHint::kImage ? " image " : " video ") +
                  std::string(MediaSourceName(m.source)));
  }
  return out;
}

inline Feed MustParse(std::string_view xml, std::string_view url, const FeedOptions& options = {}) {
  Result<Feed> feed = ParseFeed(xml, url, options);
  EXPECT_TRUE(feed.ok()) << feed.status().message();
  return feed.ok() ? std::move(feed).value() : Feed{};
}

// Every address a feed returned, and its title, in one string (for "is X anywhere" checks).
inline std::string Everything(const Feed& feed) {
  std::string all = feed.title + "\n";
  for (const auto& p : feed.pages) all += p + "\n";
  for (const auto& m : feed.media) all += m.url + "\n";
  for (const auto& s : feed.sitemaps) all += s + "\n";
  return all;
}

inline constexpr char kRss[] = R"xml(<?xml version="1.0" encoding="UTF-8"?>
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

inline constexpr char kAtom[] = R"xml(<?xml version="1.0" encoding="utf-8"?>
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

inline constexpr char kRdf[] = R"xml(<?xml version="1.0"?>
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

inline constexpr char kSitemap[] = R"xml(<?xml version="1.0" encoding="UTF-8"?>
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

inline constexpr char kSitemapIndex[] = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://tube.example/sitemaps/videos-1.xml.gz</loc><lastmod>2024-05-01</lastmod></sitemap>
  <sitemap><loc>sitemaps/videos-2.xml</loc></sitemap>
  <sitemap><loc>https://tube.example/sitemaps/videos-1.xml.gz</loc></sitemap>
  <sitemap><loc>file:///etc/passwd</loc></sitemap>
</sitemapindex>
)xml";

}  // namespace takedown::fetch::feed_testing
