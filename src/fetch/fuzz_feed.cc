// libFuzzer target over what a watched source's feed or sitemap goes through: sniffing, gunzip
// under a cap, and parsing (pugixml, then ExtractPage on item HTML). Any crash, sanitizer
// report, leak or timeout is a bug; an error Status is the expected outcome for most inputs.
// The results are checked too: absolute http(s) addresses without fragment, each once, within
// the caps.
//
// With TAKEDOWN_WRITE_SEEDS=DIR in the environment it writes its seed feeds into DIR and exits
// (the Makefile's fuzz target seeds the corpus that way).
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <unordered_set>

#include "fetch/feed.h"

namespace {

using namespace takedown;

constexpr std::string_view kSeeds[] = {
    R"xml(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>t &amp; u</title><media:thumbnail url="/c.jpg"/>
<item><link>/p/1</link><guid>https://a.example/p/1#x</guid>
<enclosure url="/1.jpg" type="image/jpeg" length="1"/>
<media:group><media:content url="//cdn.example/1.mp4" medium="video"><media:thumbnail url="t.jpg"/></media:content>
<media:content url="a.mp3" type="audio/mpeg"/></media:group><media:player url="/embed/1"/>
<description>&lt;img src="i.jpg" srcset="a.jpg 1x, b.jpg 2x"&gt;</description>
<content:encoded><![CDATA[<a href="full.png">x</a><video poster="p.jpg"><source src="v.webm"></video>]]></content:encoded>
</item><item><content:encoded><![CDATA[<style>b{background:url("s\(1\).jpg")} @import url(t.css)</style>
<img data-orig-file="o.jpg" data-orig-size="1,2" data-lazy-srcset="l.jpg 1x" data-bg="url(d.jpg)" data-pin-media="/p.jpg">]]></content:encoded>
</item></channel></rss>)xml",
    R"xml(<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/b/"><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">T</div></title>
<entry xml:base="c/"><link href="e.html"/><link rel="enclosure" type="video/mp4" href="v.mp4"/>
<content type="html">&lt;img src="x.png"&gt;</content><summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><img src="y.jpg"/></div></summary>
<content type="image/png" src="z.png"/></entry></feed>)xml",
    R"xml(<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:enc="http://purl.oclc.org/net/rss_2.0/enc#">
<channel rdf:about="https://a.example/"><title>r</title></channel>
<item rdf:about="https://a.example/1"><link>1</link><enc:enclosure rdf:resource="/1.gif" enc:type="image/gif"/></item></rdf:RDF>)xml",
    R"xml(<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">
<url><loc>https://a.example/w/1</loc><image:image><image:loc>/i/1.jpg</image:loc></image:image>
<video:video><video:thumbnail_loc>/t/1.jpg</video:thumbnail_loc><video:content_loc>/v/1.mp4</video:content_loc><video:player_loc>/e/1</video:player_loc></video:video></url>
<url><loc><![CDATA[/w/2?a=1&b=2]]></loc></url></urlset>)xml",
    R"xml(<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/s/1.xml.gz</loc></sitemap><sitemap><loc>https://a.example/s/2.xml</loc></sitemap></sitemapindex>)xml",
    R"xml(<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY l "lol"><!ENTITY l2 "&l;&l;">]>
<!-- c --><?pi x?><rss><channel><title>&x;&l2;</title><item><link>&l2;</link></item></channel></rss>)xml",
};

std::string Gzip(std::string_view text) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return "";
  std::string out(deflateBound(&zs, text.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

void WriteSeeds(const std::string& dir) {
  int n = 0;
  for (std::string_view seed : kSeeds) {
    std::ofstream(dir + "/seed-" + std::to_string(n++) + ".xml", std::ios::binary) << seed;
  }
  std::ofstream(dir + "/seed-sitemap.xml.gz", std::ios::binary) << Gzip(kSeeds[3]);
}

bool Absolute(const std::string& url) {
  return (url.starts_with("http://") || url.starts_with("https://")) &&
         url.find('#') == std::string::npos;
}

void Check(const fetch::Feed& feed, const fetch::FeedOptions& options) {
  if (feed.pages.size() > options.max_pages || feed.media.size() > options.max_media ||
      feed.sitemaps.size() > options.max_sitemaps || feed.title.size() > options.max_title_bytes) {
    __builtin_trap();
  }
  std::unordered_set<std::string> seen;
  for (const std::string& url : feed.pages) {
    if (!Absolute(url) || !seen.insert(url).second) __builtin_trap();
  }
  seen.clear();
  for (const fetch::MediaRef& m : feed.media) {
    if (!Absolute(m.url) || !seen.insert(m.url).second) __builtin_trap();
  }
  seen.clear();
  for (const std::string& url : feed.sitemaps) {
    if (!Absolute(url) || !seen.insert(url).second) __builtin_trap();
  }
}

void Parse(std::string_view xml) {
  fetch::FeedOptions options;
  // Small enough that the caps and the cut are reached often.
  options.max_input_bytes = 64u << 10;
  options.max_tree_bytes = 4u << 20;
  options.max_entries = 200;
  options.max_pages = 50;
  options.max_media = 50;
  options.max_sitemaps = 20;
  options.max_depth = 8;
  options.max_title_bytes = 100;
  options.max_item_html_bytes = 16u << 10;
  Result<fetch::Feed> feed = fetch::ParseFeed(xml, "https://feed.example/a/feed.xml", options);
  if (feed.ok()) Check(*feed, options);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("TAKEDOWN_WRITE_SEEDS")) {
    WriteSeeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)fetch::LooksLikeFeed(bytes, "application/xml");
  Parse(text);
  Result<std::string> inflated = fetch::GunzipCapped(bytes, 1u << 20);
  if (inflated.ok()) {
    if (inflated->size() > (1u << 20)) __builtin_trap();
    Parse(*inflated);
  }
  return 0;
}
