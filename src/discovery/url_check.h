// Checking one URL for a case's media: fetch it (through fetch/'s SSRF guard and limits), and
// whatever it is (an image, a video, a page or an RSS/Atom feed or sitemap whose images and
// videos are fetched in turn) hash the media in memory and match them against the case's hashes.
// Images are matched in all eight orientations (a mirrored or rotated copy is still hers). Media
// bytes are dropped as soon as they are hashed; only hashes, digests and addresses leave this
// file.
//
// Not thread-safe: a UrlChecker drives one fetch::Fetcher, which belongs to one thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fetch/extract.h"
#include "fetch/fetcher.h"
#include "hashfile/hash_file.h"
#include "matching/hash_bank.h"

namespace takedown::discovery {

struct CheckOptions {
  int radius = 31;                 // PDQ distance that counts as the same image
  size_t max_media_per_page = 60;  // media fetched from one page, in document order
  uint64_t max_image_bytes = 32ull << 20;
  uint64_t max_video_bytes = 256ull << 20;
  uint64_t max_video_pixels = 4096ull * 2304;
  double max_video_seconds = 3 * 3600;
  // Also return the addresses the page links to (HTML <a href>; a feed's items; a sitemap's
  // pages and child sitemaps): what a crawl of a watched source follows.
  bool collect_links = false;
};

// What a URL showed when it was checked.
enum class Verdict {
  kMatched,      // media matching the case's hashes are there
  kNoMatch,      // the page answered, but none of its media match (removed, or replaced)
  kGone,         // 404 or 410: the content is gone
  kUnreachable,  // a timeout, 5xx, refused address or broken transfer: nothing can be said
  kUnchanged,    // a conditional check answered 304: as it was at the last check
};
std::string_view VerdictName(Verdict v);  // "matched", "no_match", "gone", "unreachable", ...

struct MediaMatch {
  std::string media_url;  // the image or video that matched (the page itself for direct media)
  std::string kind;       // "image" or "video"
  int64_t hash_id = 0;    // the case's MediaHash it matched
  int distance = 0;       // the closest distance (for a video, over its frames)
  std::string sha256;     // of the matched media's bytes, as evidence of what was seen
};

struct CheckResult {
  Verdict verdict = Verdict::kUnreachable;
  std::string url, final_url;
  int http_status = 0;
  std::string title;                // of the page, when it was HTML
  std::string error;                // why, for kUnreachable (and failed media, summarised)
  std::string etag, last_modified;  // for the next, conditional, check
  std::vector<MediaMatch> matches;
  int media_checked = 0;           // media fetched and hashed
  int media_failed = 0;            // media that could not be fetched or decoded
  bool feed = false;               // the URL was an RSS/Atom feed or a sitemap, not a page
  std::vector<std::string> links;  // when CheckOptions::collect_links, document order, each once
};

class UrlChecker {
 public:
  UrlChecker(fetch::Fetcher& fetcher, CheckOptions options = {});

  // Checks `url` against `bank` (entry ids are the case's MediaHash ids; images and, through
  // video frames, videos). `etag` / `last_modified`: from the previous check, for a conditional
  // request.
  CheckResult Check(const std::string& url, const matching::HashBank& bank,
                    const std::string& etag = "", const std::string& last_modified = "");

 private:
  // Fetches `media` concurrently and matches each (counting failures, the first one's reason
  // kept in *error).
  void MatchAll(std::vector<fetch::MediaRef> media, const matching::HashBank& bank,
                CheckResult* out, std::string* error);
  // Hashes fetched bytes (image or video) and appends its matches; false when it could not be
  // hashed (the reason in *error).
  bool MatchMedia(const fetch::FetchResult& fetched, const matching::HashBank& bank,
                  CheckResult* out, std::string* error);

  fetch::Fetcher& fetcher_;
  CheckOptions options_;
  hashfile::ImageFileHasher images_;
};

// The JSON text of what a check or a crawl saw. Pages, titles and headers come from the network
// and may hold bytes that are not UTF-8, which nlohmann's dump() throws on (and the check would
// fail for good, the copy never matched): such bytes become U+FFFD instead.
std::string EvidenceText(const nlohmann::json& evidence);

}  // namespace takedown::discovery
