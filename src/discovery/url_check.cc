#include "discovery/url_check.h"

#include <algorithm>
#include <map>

#include "fetch/extract.h"
#include "fetch/feed.h"
#include "hashing/digest.h"
#include "video/video.h"

namespace takedown::discovery {
namespace {

hashfile::HashOptions FastImages(const CheckOptions& options, bool regions) {
  hashfile::HashOptions o;
  o.decode.mode = media::DecodeMode::kFast;  // crawling: within a few bits of full, 1.7x faster
  o.max_file_bytes = options.max_image_bytes;
  o.digests = true;
  o.dihedral = true;  // the 8 orientations cost one more pass over the 64x64 DCT input
  // The region signals come from the same decode (rows reduced as they arrive). At the crawler's
  // speed class only the whole content and the collage cells are hashed, without their mirror
  // variants (a mirrored copy is PDQ's dihedral match): docs/matching.md has what that costs.
  o.signals = regions;
  o.signal_regions = hashing::RegionChoice::kWholeAndCells;
  return o;
}

// The closest stored hash to any of `hashes`, if one is within the radius.
// A search radius every hash is within (PDQ distances run 0..256).
constexpr int kAnyDistance = 256;

std::optional<matching::BankMatch> Closest(const std::vector<hashing::Hash256>& hashes,
                                           const matching::HashBank& bank, int radius) {
  std::optional<matching::BankMatch> best;
  for (const auto& h : hashes) {
    for (const auto& m : bank.Search(h, {.radius = radius})) {
      if (!best || m.distance < best->distance) best = m;
      break;  // sorted by distance: the first is this hash's closest
    }
  }
  return best;
}

}  // namespace

MediaBank MediaBank::Of(const std::vector<domain::MediaHash>& hashes,
                        const std::string& pdq_index) {
  matching::BankColumns columns;
  std::vector<std::pair<uint64_t, uint64_t>> region_ids;
  std::vector<hashing::ImageSignals> region_signals;
  for (const domain::MediaHash& h : hashes) {
    auto hash = hashing::Hash256::FromHex(h.pdq);
    if (!hash.ok()) continue;
    const auto id = static_cast<uint64_t>(h.id);
    columns.hashes.push_back(*hash);
    columns.ids.push_back(id);
    columns.owners.push_back(0);
    columns.qualities.push_back(static_cast<uint8_t>(std::clamp(h.quality, 0, 100)));
    if (h.regions.empty()) continue;
    auto signals = matching::RegionsFromText(h.regions);
    if (!signals.ok()) continue;
    region_ids.push_back({id, 0});
    region_signals.push_back(std::move(*signals));
  }
  // The store hands out each id once, so neither build can fail on a repeated id.
  MediaBank bank;
  if (auto built = matching::HashBank::FromColumns(std::move(columns), pdq_index); built.ok()) {
    bank.pdq = std::move(*built);
  }
  if (auto built = matching::RegionBank::FromSignals(region_ids, region_signals); built.ok()) {
    bank.regions = std::move(*built);
  }
  return bank;
}

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kMatched:
      return "matched";
    case Verdict::kNoMatch:
      return "no_match";
    case Verdict::kGone:
      return "gone";
    case Verdict::kUnreachable:
      return "unreachable";
    case Verdict::kUnchanged:
      return "unchanged";
  }
  return "unreachable";
}

UrlChecker::UrlChecker(fetch::Fetcher& fetcher, CheckOptions options)
    : fetcher_(fetcher),
      options_(options),
      images_(FastImages(options, false)),
      images_and_regions_(FastImages(options, true)) {}

bool UrlChecker::MatchMedia(const fetch::FetchResult& fetched, const MediaBank& bank,
                            CheckResult* out, std::string* error) {
  const std::span<const uint8_t> bytes(fetched.body);
  const fetch::MediaKind kind = fetch::SniffMedia(bytes, fetched.content_type);
  std::vector<hashing::Hash256> hashes;  // usable PDQ hashes of what was fetched
  std::string sha256;
  std::optional<MediaMatch> found;
  if (kind == fetch::MediaKind::kImage) {
    const bool regions = bank.regions.hashes().size() > 0;
    auto record = (regions ? images_and_regions_ : images_).HashBytes(bytes);
    if (!record.ok()) {
      *error = record.status().message();
      return false;
    }
    if (record->pdq.quality >= hashing::kMinUsefulQuality) {
      hashes.assign(record->dihedral->begin(), record->dihedral->end());
    }
    sha256 = record->digests.sha256;
    // Both signals at once: the PDQ match first, else the nearest region evidence. An image
    // without region signals (too small, one colour, all border) is matched on PDQ alone.
    matching::ImageQuery query{hashes, record->pdq.quality, std::move(record->signals)};
    matching::ImageMatchOptions match_options;
    match_options.pdq.radius = options_.radius;
    const auto matched = matching::MatchImage(bank.pdq, bank.regions, query, match_options);
    if (!matched.empty()) {
      const matching::ImageMatch& best = matched.front();
      found = MediaMatch{fetched.final_url,
                         "image",
                         static_cast<int64_t>(best.id),
                         best.pdq ? best.pdq->distance : best.regions.front().distance,
                         sha256,
                         best.signal(),
                         best.pdq ? std::vector<matching::RegionEvidence>() : best.regions,
                         best.AllowsAutomaticAction()};
    }
  } else if (kind == fetch::MediaKind::kVideo) {
    video::VideoHashOptions options;
    options.limits.max_file_bytes = options_.max_video_bytes;
    options.limits.max_frame_pixels = options_.max_video_pixels;
    options.limits.max_duration_seconds = options_.max_video_seconds;
    auto record = video::HashVideoBytes(bytes, options);
    if (!record.ok()) {
      *error = record.status().message();
      return false;
    }
    for (const auto& f : record->frames) {
      if (f.pdq.quality < hashing::kMinUsefulQuality) continue;
      hashes.push_back(f.pdq.hash);
      for (const auto& a : f.alternates) {
        if (a.pdq.quality >= hashing::kMinUsefulQuality) hashes.push_back(a.pdq.hash);
      }
    }
    sha256 = hashing::ComputeDigests(bytes).sha256;
  } else {
    *error = "not an image or a video";
    return false;
  }
  ++out->media_checked;
  // One PDQ search: at any distance when the nearest medium is wanted (the closest within the
  // radius is then the same entry), else within the radius only (what a crawl over many cases can
  // afford); an image's was matched above.
  const bool video = kind == fetch::MediaKind::kVideo;
  if (video || options_.find_nearest) {
    const auto best =
        Closest(hashes, bank.pdq, options_.find_nearest ? kAnyDistance : options_.radius);
    if (video && best && best->distance <= options_.radius) {
      found = MediaMatch{.media_url = fetched.final_url,
                         .kind = "video",
                         .hash_id = static_cast<int64_t>(best->id),
                         .distance = best->distance,
                         .sha256 = sha256,
                         .regions = {}};
    }
    if (options_.find_nearest && best &&
        (!out->nearest || best->distance < out->nearest->distance)) {
      out->nearest = NearestMedium{fetched.final_url, sha256, best->distance};
    }
  }
  if (found) out->matches.push_back(std::move(*found));
  return true;
}

void UrlChecker::MatchAll(std::vector<fetch::MediaRef> media, int resume_at, const MediaBank& bank,
                          CheckResult* out, std::string* error) {
  const int found = static_cast<int>(media.size());
  out->media_found = found;
  out->media_from = resume_at > 0 && resume_at < found ? resume_at : 0;
  const auto deadline = std::chrono::steady_clock::now() + options_.page_media_time;
  const size_t batch = std::max<size_t>(options_.media_batch, 1);
  size_t next = static_cast<size_t>(out->media_from);
  while (next < media.size()) {
    if (next > static_cast<size_t>(out->media_from) &&
        (out->media_bytes >= options_.page_media_bytes ||
         std::chrono::steady_clock::now() >= deadline)) {
      break;
    }
    std::vector<fetch::Request> requests;
    for (; next < media.size() && requests.size() < batch; ++next) {
      const fetch::MediaRef& ref = media[next];
      fetch::Request r(ref.url);
      r.max_body_bytes = ref.hint == fetch::MediaHint::kVideo ? options_.max_video_bytes
                                                              : options_.max_image_bytes;
      r.accept = "image/*,video/*;q=0.9,*/*;q=0.5";
      requests.push_back(std::move(r));
    }
    for (fetch::FetchResult& m : fetcher_.FetchAll(std::move(requests))) {
      out->media_bytes += m.body.size();
      const bool fetched = m.ok() && m.http_status >= 200 && m.http_status < 300;
      std::string why;
      if (!fetched || !MatchMedia(m, bank, out, &why)) {
        ++out->media_failed;
        if (error->empty()) {
          *error = m.url + ": " +
                   (!m.ok()    ? m.status.message()
                    : !fetched ? "HTTP " + std::to_string(m.http_status)
                               : why);
        }
      }
      m.body.clear();
      m.body.shrink_to_fit();
    }
  }
  out->media_deferred = found - static_cast<int>(next);
  out->media_resume_at = out->media_deferred > 0 ? static_cast<int>(next) : 0;
}

CheckResult UrlChecker::Check(const std::string& url, const MediaBank& bank,
                              const std::string& etag, const std::string& last_modified,
                              int resume_at) {
  CheckResult out;
  out.url = url;
  out.budget_bytes = options_.page_media_bytes;
  out.budget_ms = options_.page_media_time.count();
  fetch::Request request(url);
  if (resume_at <= 0) {
    request.if_none_match = etag;
    request.if_modified_since = last_modified;
  }
  request.max_body_bytes = std::max(options_.max_image_bytes, options_.max_video_bytes);
  fetch::FetchResult page = fetcher_.Fetch(std::move(request));
  out.final_url = page.final_url;
  out.http_status = page.http_status;
  out.etag = page.etag;
  out.last_modified = page.last_modified;
  if (!page.ok()) {
    out.error = page.status.message();
    return out;  // kUnreachable
  }
  if (page.not_modified()) {
    out.verdict = Verdict::kUnchanged;
    return out;
  }
  if (page.http_status == 404 || page.http_status == 410) {
    out.verdict = Verdict::kGone;
    return out;
  }
  const std::span<const uint8_t> body(page.body);
  const fetch::MediaKind kind = fetch::SniffMedia(body, page.content_type);
  const std::string_view text(reinterpret_cast<const char*>(page.body.data()), page.body.size());
  std::string error;
  bool unreadable = false;  // a page or feed that could not be parsed proves nothing
  if (kind == fetch::MediaKind::kImage || kind == fetch::MediaKind::kVideo) {
    out.media_found = 1;
    if (!MatchMedia(page, bank, &out, &error)) ++out.media_failed;
  } else if (kind == fetch::MediaKind::kHtml) {
    auto extracted = fetch::ExtractPage(text, page.final_url);
    if (extracted.ok()) {
      out.title = extracted->title;
      if (options_.collect_links) out.links = std::move(extracted->links);
      page.body.clear();
      page.body.shrink_to_fit();
      out.media_capped = extracted->media_capped;
      MatchAll(std::move(extracted->media), resume_at, bank, &out, &error);
    } else {
      error = extracted.status().message();
      unreadable = true;
    }
  } else if (fetch::LooksLikeFeed(body, page.content_type)) {
    // Sitemaps are often served gzipped without a Content-Encoding (sitemap.xml.gz).
    Result<std::string> unzipped = std::string();
    const bool gzipped = body.size() >= 2 && body[0] == 0x1f && body[1] == 0x8b;
    if (gzipped) unzipped = fetch::GunzipCapped(body, options_.max_image_bytes);
    auto feed = !unzipped.ok() ? Result<fetch::Feed>(unzipped.status())
                               : fetch::ParseFeed(gzipped ? *unzipped : text, page.final_url);
    if (feed.ok()) {
      out.feed = true;
      out.title = feed->title;
      if (options_.collect_links) {
        out.links = std::move(feed->pages);
        out.links.insert(out.links.end(), feed->sitemaps.begin(), feed->sitemaps.end());
      }
      page.body.clear();
      page.body.shrink_to_fit();
      out.media_capped = feed->capped;
      MatchAll(std::move(feed->media), resume_at, bank, &out, &error);
    } else {
      error = feed.status().message();
      unreadable = true;
    }
  }
  out.error = error;
  if (!out.matches.empty()) {
    out.verdict = Verdict::kMatched;
  } else if ((out.media_checked == 0 && out.media_failed > 0) || unreadable ||
             out.media_deferred > 0 || out.media_from > 0) {
    // Media were there but none could be fetched, the page could not be read, or this check
    // saw only part of the page's media: that is not evidence of removal (her image may be in
    // the part not seen now).
    out.verdict = Verdict::kUnreachable;
    if (out.media_deferred > 0 || out.media_from > 0) {
      const int end = out.media_found - out.media_deferred;
      out.error = "media " + std::to_string(out.media_from + 1) + " to " + std::to_string(end) +
                  " of the page's " + std::to_string(out.media_found) + " checked" +
                  (out.media_deferred > 0
                       ? ", the rest left for the next check (the page's budget was spent)"
                       : ", the earlier ones by earlier checks: only a check that sees them all "
                         "tells that none matches") +
                  (out.error.empty() ? "" : "; " + out.error);
    }
  } else {
    out.verdict = Verdict::kNoMatch;
  }
  return out;
}

std::string EvidenceText(const nlohmann::json& evidence) {
  return evidence.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json MatchJson(const MediaMatch& m) {
  nlohmann::json j = {{"media_url", m.media_url},
                      {"kind", m.kind},
                      {"hash_id", m.hash_id},
                      {"distance", m.distance},
                      {"sha256", m.sha256},
                      {"signal", m.signal},
                      {"strength", m.allows_automatic_action ? "strong" : "weak"}};
  if (!m.regions.empty()) {
    auto& regions = j["regions"] = nlohmann::json::array();
    for (const matching::RegionEvidence& e : m.regions) {
      regions.push_back({{"query", hashing::RegionName(e.query_region)},
                         {"stored", hashing::RegionName(e.stored_region)},
                         {"distance", e.distance},
                         {"variant", hashing::kDihedralNames[static_cast<int>(e.variant)]}});
    }
  }
  return j;
}

nlohmann::json MediaEvidence(const CheckResult& r) {
  return {{"media_found", r.media_found},
          {"media_from", r.media_from},
          {"media_checked", r.media_checked},
          {"media_failed", r.media_failed},
          {"media_deferred", r.media_deferred},
          {"media_resume_at", r.media_resume_at},
          {"media_bytes", r.media_bytes},
          {"media_capped", r.media_capped},
          {"media_budget", {{"bytes", r.budget_bytes}, {"ms", r.budget_ms}}}};
}

}  // namespace takedown::discovery
