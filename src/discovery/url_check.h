// Checking one URL for a case's media: fetch it (through fetch/'s SSRF guard and limits), and
// whatever it is (an image, a video, a page or an RSS/Atom feed or sitemap whose images and
// videos are fetched in turn) hash the media in memory and match them against the case's hashes.
// Images are matched in all eight orientations (a mirrored or rotated copy is still hers) and,
// where the bank holds region signals, also on Takedown's region signals (the same border
// trimming and regions as `takedown hash`, hashing/signals.h), which find crops, borders,
// captions, screenshots and collages that PDQ misses. Media bytes are dropped as soon as they are
// hashed; only hashes, digests and addresses leave this file.
//
// Not thread-safe: a UrlChecker drives one fetch::Fetcher, which belongs to one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/entities.h"
#include "fetch/extract.h"
#include "fetch/fetcher.h"
#include "hashfile/hash_file.h"
#include "matching/hash_bank.h"
#include "matching/region_bank.h"

namespace takedown::discovery {

struct CheckOptions {
  int radius = 31;  // PDQ distance that counts as the same image
  // A page's (or feed's) media are fetched in document order, media_batch at a time (memory
  // holds one batch's bodies), until all are checked or the page's budget is spent: a batch
  // starts only while less than page_media_bytes were fetched for the page's media and
  // page_media_time has not passed since the first began (a batch under way is finished; the
  // first always runs). What is left is counted (media_deferred) and the next check of the page
  // starts there (media_resume_at).
  size_t media_batch = 32;
  uint64_t page_media_bytes = 256ull << 20;
  std::chrono::milliseconds page_media_time{60'000};
  uint64_t max_image_bytes = 32ull << 20;
  uint64_t max_video_bytes = 256ull << 20;
  uint64_t max_video_pixels = 4096ull * 2304;
  double max_video_seconds = 3 * 3600;
  // Also return the addresses the page links to (HTML <a href>; a feed's items; a sitemap's
  // pages and child sitemaps): what a crawl of a watched source follows.
  bool collect_links = false;
  // Also find the medium nearest to the hashes at any distance (CheckResult::nearest): a
  // sighting's check against one case's few hashes, never a crawl against many cases'.
  bool find_nearest = false;
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

// What a check looks for. Entry ids are the case's MediaHash ids in both banks: whole-image PDQ
// hashes (images and, through video frames, videos) and the region signals of those images that
// have them. Images are hashed for region signals only when `regions` holds some.
struct MediaBank {
  matching::HashBank pdq;
  matching::RegionBank regions;

  // The bank of stored hashes, each index built once. A hash whose PDQ or region text does not
  // parse (never written so by the intake) is left out, or searched on PDQ alone.
  // `pdq_index`: as HashBank's.
  static MediaBank Of(const std::vector<domain::MediaHash>& hashes,
                      const std::string& pdq_index = "auto");
};

struct MediaMatch {
  std::string media_url;  // the image or video that matched (the page itself for direct media)
  std::string kind;       // "image" or "video"
  int64_t hash_id = 0;    // the case's MediaHash it matched
  // The closest distance (for a video, over its frames), of the signal that found it: PDQ bits,
  // or for "region" the nearest region pair's bits (matching::kRegionRadius).
  int distance = 0;
  std::string sha256;  // of the matched media's bytes, as evidence of what was seen
  // "pdq" (the whole image's PDQ, or a video frame's) or "region" (Takedown's region signals only:
  // a crop, border, caption, screenshot frame or collage that PDQ missed).
  std::string_view signal = "pdq";
  // For "region": the region pairs that matched, nearest first (what the caseworker is shown).
  std::vector<matching::RegionEvidence> regions;
  // Whether the evidence is strong enough for automatic steps (auto-confirming a repost, a notice
  // without a person): a PDQ match, or strong region evidence (matching::ImageMatch). Weak region
  // evidence is shown to a caseworker and never acted on alone.
  bool allows_automatic_action = true;
};

// A medium the check hashed that did not match: how close it came to the case's hashes.
struct NearestMedium {
  std::string media_url;
  std::string sha256;  // of its bytes
  int distance = 0;    // the smallest PDQ distance to any of the case's hashes (0..256)
};

struct CheckResult {
  Verdict verdict = Verdict::kUnreachable;
  std::string url, final_url;
  int http_status = 0;
  std::string title;                // of the page, when it was HTML
  std::string error;                // why, for kUnreachable (and failed media, summarised)
  std::string etag, last_modified;  // for the next, conditional, check
  std::vector<MediaMatch> matches;
  // Of the media hashed, the one nearest to the case's hashes (a crop or a border PDQ cannot
  // match is still nearer than anything unrelated): what a copy that never matched is followed by
  // once a notice names it. Empty when no medium could be hashed, or unless
  // CheckOptions::find_nearest.
  std::optional<NearestMedium> nearest;
  int media_found = 0;        // media addresses the page or feed lists, each once
  int media_from = 0;         // where in them this check began (a resumed check: past 0)
  int media_checked = 0;      // media fetched and hashed
  int media_failed = 0;       // media that could not be fetched or decoded
  int media_deferred = 0;     // left for the next check: the page's budget was spent
  int media_resume_at = 0;    // where the next check begins: 0 unless media were deferred
  uint64_t media_bytes = 0;   // fetched for the page's media
  bool media_capped = false;  // the page listed more than extraction keeps: those were not seen
  uint64_t budget_bytes = 0;  // the budget this check ran under (CheckOptions)
  int64_t budget_ms = 0;
  bool feed = false;               // the URL was an RSS/Atom feed or a sitemap, not a page
  std::vector<std::string> links;  // when CheckOptions::collect_links, document order, each once
};

class UrlChecker {
 public:
  UrlChecker(fetch::Fetcher& fetcher, CheckOptions options = {});

  // Checks `url` against `bank` (MediaBank). `etag` / `last_modified`: from the previous check, for
  // a conditional request. `resume_at`: the previous check's media_resume_at, where the page's
  // media are taken up again (from the start when the page now has fewer); the page is then fetched
  // without the conditional headers, since its deferred media are still to be seen. A page whose
  // media were not all checked and none matched is kUnreachable: her image may be among the
  // rest.
  CheckResult Check(const std::string& url, const MediaBank& bank, const std::string& etag = "",
                    const std::string& last_modified = "", int resume_at = 0);

 private:
  // Fetches `media` from `resume_at` in batches, concurrently within one, while the budget
  // lasts, and matches each (counting failures, the first one's reason kept in *error).
  void MatchAll(std::vector<fetch::MediaRef> media, int resume_at, const MediaBank& bank,
                CheckResult* out, std::string* error);
  // Hashes fetched bytes (image or video) and appends its matches; false when it could not be
  // hashed (the reason in *error).
  bool MatchMedia(const fetch::FetchResult& fetched, const MediaBank& bank, CheckResult* out,
                  std::string* error);

  fetch::Fetcher& fetcher_;
  CheckOptions options_;
  hashfile::ImageFileHasher images_;              // PDQ in 8 orientations
  hashfile::ImageFileHasher images_and_regions_;  // and the crawler's region signals
};

// The JSON text of what a check or a crawl saw. Pages, titles and headers come from the network
// and may hold bytes that are not UTF-8, which nlohmann's dump() throws on (and the check would
// fail for good, the copy never matched): such bytes become U+FFFD instead.
std::string EvidenceText(const nlohmann::json& evidence);

// A match as a sighting's evidence records it: media_url, kind, hash_id, distance, sha256, signal,
// strength ("strong" when it allows automatic action, else "weak") and, for a region match,
// regions: [{query, stored, distance, variant}] with the regions' names (hashing::RegionName).
nlohmann::json MatchJson(const MediaMatch& m);

// How much of the page's media a check saw, for the evidence of a sighting or a crawl:
// media_found, media_from, media_checked, media_failed, media_deferred, media_resume_at,
// media_bytes, media_capped and media_budget ({bytes, ms}).
nlohmann::json MediaEvidence(const CheckResult& r);

}  // namespace takedown::discovery
