// Feeds and sitemaps of watched sources: which pages to visit and which media to fetch, read out
// of RSS 2.0, RSS 1.0 (RDF), Atom, Media RSS and XML sitemaps (image and video sitemaps, sitemap
// indexes), and gzipped sitemaps.
//
// Parsing is pugixml, which never loads a DTD or an external entity (no XXE) and never expands
// an entity a document declares (no billion laughs). Elements are matched by local name, so
// any prefix works (media:, image:, video:, atom:). The rules, limits and safety properties are
// in docs/fetch.md.
//
// All functions are pure: safe to call from many threads at once. Results are plain values.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "fetch/extract.h"

namespace takedown::fetch {

// Limits of ParseFeed. Past a count cap the rest is left out and Feed::capped is set.
struct FeedOptions {
  // Only a prefix is parsed (cut after its last '>', Feed::truncated set) when the input is
  // longer than max_input_bytes, or when its tree could need more than max_tree_bytes (a bound
  // from counting '<' and '=': 132 bytes per start tag, 66 per end tag, 42 per '=').
  size_t max_input_bytes = 16u << 20;
  size_t max_tree_bytes = 256u << 20;
  size_t max_entries = 50000;  // items, entries, sitemap <url>s and <sitemap>s read
  size_t max_pages = 5000;
  size_t max_media = 5000;
  size_t max_sitemaps = 1000;
  size_t max_depth = 16;  // elements deeper below an item, entry or channel are not looked at
  size_t max_title_bytes = 1024;
  // The HTML of item descriptions and entry contents is searched for media with ExtractPage
  // (against the item's link in RSS, xml:base or the feed in Atom), its first
  // max_item_html_bytes in all.
  bool item_html = true;
  size_t max_item_html_bytes = 4u << 20;
};

// What the document is, by its root element.
enum class FeedKind { kRss, kAtom, kRdf, kSitemap, kSitemapIndex };

std::string_view FeedKindName(FeedKind kind);  // "rss", "atom", "rdf", "sitemap", "sitemapindex"

// What a feed points at. Every address is absolute http(s) without fragment, each list in
// document order with each address once.
struct Feed {
  FeedKind kind = FeedKind::kRss;
  std::string title;                  // channel or feed title, whitespace collapsed
  std::vector<std::string> pages;     // item and entry links, sitemap <loc>s, media:player
  std::vector<MediaRef> media;        // enclosures, Media RSS, image and video sitemap entries
  std::vector<std::string> sitemaps;  // the sitemaps a sitemap index lists
  bool truncated = false;  // only a prefix was read: over a size limit, or the document stops
  bool capped = false;     // a cap (entries, pages, media, sitemaps, item HTML) left some out
};

// Whether a body is a feed or sitemap, by its bytes: after a byte order mark, whitespace, the
// XML declaration, processing instructions, comments and a DOCTYPE, the root is <rss>, <feed>,
// <rdf:RDF>, <urlset> or <sitemapindex> (any prefix). A gzip body is looked into. The content
// type (application/rss+xml, atom+xml, rdf+xml, xml, text/xml) decides only when the bytes
// cannot: a prolog longer than 64 KiB. Never by the address's extension.
bool LooksLikeFeed(std::span<const uint8_t> body, std::string_view content_type);

// Reads a feed or sitemap fetched from `feed_url` (the final URL). Relative addresses resolve
// against xml:base and then feed_url; only http and https are kept. Errors: InvalidArgument
// when feed_url is not an absolute http(s) address; Corrupt when the XML is not well-formed
// (the message says what and where) or holds no complete tag within the limits; Unsupported
// when the root is none of the kinds above, or the input is UTF-16/32 and over the limits.
// ResourceExhausted if memory runs out. A document that just stops with elements open (a cut
// transfer) is read as far as it goes.
Result<Feed> ParseFeed(std::string_view xml, std::string_view feed_url,
                       const FeedOptions& options = {});

// Decompresses a gzip body (one member or several, as .xml.gz sitemaps are served without
// Content-Encoding). TooLarge as soon as the output would pass max_output_bytes (so a
// decompression bomb costs at most that), Corrupt when the data is not gzip or ends early.
Result<std::string> GunzipCapped(std::span<const uint8_t> gzip,
                                 size_t max_output_bytes = 64u << 20);

}  // namespace takedown::fetch
