// What a fetched page holds: the media addresses in its HTML, its title and its links, and what
// kind of thing a body is (image, video, HTML) judged by its bytes.
//
// ExtractPage parses with gumbo (a real HTML5 parser) after a linear guard pass that keeps
// hostile markup (deep nesting, huge tags) from making the parse slow or huge; input beyond
// max_html_bytes is not read. The rules (which elements and attributes, <base href>, dedupe,
// caps) are in docs/fetch.md. SniffMedia never trusts a file name or extension.
//
// All functions are pure: safe to call from many threads at once. Results are plain values.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace takedown::fetch {

struct ExtractOptions {
  size_t max_html_bytes = 4u << 20;  // only the first 4 MiB of a page are parsed
  size_t max_media_urls = 1000;
  size_t max_links = 2000;
  size_t max_title_bytes = 1024;
  size_t max_depth = 512;       // elements nested deeper are dropped before parsing
  size_t max_attributes = 128;  // attributes of one element past this are dropped
  // Past either, the parse is given up (ResourceExhausted): the last line against pages built
  // to make the HTML5 tree builder slow or huge.
  std::chrono::milliseconds max_parse_time{3000};
  size_t max_parse_memory = 1u << 30;
};

// What the markup says a media address holds; only the fetched bytes decide (SniffMedia).
enum class MediaHint { kImage, kVideo };

// Where in the page a media address was found.
enum class MediaSource {
  kImgSrc,         // <img src>
  kImgSrcset,      // <img srcset>, every candidate
  kLazy,           // lazy-loading data- attributes of any element (data-src, data-orig-file, ...)
  kPictureSource,  // <picture><source srcset>
  kVideoSrc,       // <video src>, <video><source src>
  kVideoPoster,    // <video poster>
  kMeta,           // og:image, og:image:secure_url, og:video, twitter:image, ...
  kLinkImageSrc,   // <link rel="image_src" href>
  kAnchor,         // <a href> to an address whose path ends in an image or video extension
  kStyle,          // url(...) in a style attribute or a <style> block (background-image)
  kSvgImage,       // <svg><image href>
  // In feeds and sitemaps (ParseFeed, feed.h):
  kEnclosure,     // RSS <enclosure url>, Atom <link rel="enclosure" href>, Atom <content src>
  kMediaRss,      // Media RSS <media:content url>, <media:thumbnail url>, in <media:group> too
  kSitemapImage,  // image sitemap <image:image><image:loc>
  kSitemapVideo,  // video sitemap <video:content_loc>, <video:thumbnail_loc>
};

std::string_view MediaSourceName(MediaSource source);  // "img src", "og/twitter meta", ...

struct MediaRef {
  std::string url;  // absolute http(s), no fragment
  MediaHint hint = MediaHint::kImage;
  MediaSource source = MediaSource::kImgSrc;
};

struct Page {
  std::string title;               // whitespace collapsed, at most max_title_bytes
  std::string base_url;            // what relative addresses were resolved against
  std::vector<MediaRef> media;     // document order, each address once
  std::vector<std::string> links;  // <a href> targets (http/https), document order, each once
  bool truncated = false;          // the HTML was longer than max_html_bytes
  bool media_capped = false;       // more media than max_media_urls: the rest were left out
  bool links_capped = false;
  size_t dropped_tags = 0;  // elements the nesting guard removed (hostile or very broken HTML)
};

// Extracts from `html`, fetched from `page_url` (the final URL, after redirects). Relative
// addresses resolve against the first <base href> (when it is http or https) or page_url;
// data:, javascript:, blob: and every other non-http(s) address are dropped. Any bytes are
// accepted as HTML. Errors: InvalidArgument when page_url is not an absolute http(s) address;
// ResourceExhausted when parsing runs past max_parse_time or max_parse_memory.
Result<Page> ExtractPage(std::string_view html, std::string_view page_url,
                         const ExtractOptions& options = {});

enum class MediaKind { kImage, kVideo, kHtml, kOther };

std::string_view MediaKindName(MediaKind kind);  // "image", "video", "html", "other"

// Decides what a body is by its leading bytes first: images as media::SniffImageFormat knows
// them; video as video::LooksLikeVideo knows them (MP4/QuickTime, WebM/Matroska, AVI, FLV,
// MPEG-TS/PS, Ogg video, ASF).
// HTML when the content type says text/html or application/xhtml+xml, or the text starts with
// "<!doctype html" or "<html" (after a byte order mark and spaces). Anything else is kOther,
// whatever the content type claims.
MediaKind SniffMedia(std::span<const uint8_t> bytes, std::string_view content_type);

}  // namespace takedown::fetch
