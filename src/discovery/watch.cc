#include "discovery/watch.h"

#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "discovery/sighting_check.h"
#include "platforms/url.h"

namespace takedown::discovery {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxErrorsKept = 10;
constexpr int kHashPage = 5000;

std::string HostOf(const std::string& url) {
  auto n = platforms::NormalizeUrl(url);
  return n.ok() ? n->host : std::string();
}

CheckOptions Collecting(CheckOptions options) {
  options.collect_links = true;
  return options;
}

}  // namespace

domain::Job SourceCrawlJob(const domain::WatchedSource& source, UnixMillis run_at,
                           const std::string& reason) {
  domain::Job job;
  job.kind = std::string(kSourceCrawlJob);
  job.payload_json = json{{"source", source.id}}.dump();
  job.run_at = run_at;
  job.case_id = source.case_id;
  job.idempotency_key = "source.crawl:" + std::to_string(source.id) + ":" + reason;
  return job;
}

SourceCrawler::SourceCrawler(Stores stores, const Clock& clock, fetch::Fetcher& fetcher,
                             const platforms::PlatformDirectory& platforms, CheckOptions options)
    : cases_(stores.get<store::CaseStore>()),
      sightings_(stores.get<store::SightingStore>()),
      watch_(stores.get<store::WatchStore>()),
      jobs_(stores.get<store::JobQueue>()),
      settings_(stores.get<store::SettingsStore>()),
      clock_(clock),
      platforms_(platforms),
      checker_(fetcher, Collecting(options)) {}

Status SourceCrawler::Handle(const domain::Job& job) {
  const json payload = json::parse(job.payload_json, nullptr, false);
  if (!payload.is_object() || !payload.contains("source") ||
      !payload["source"].is_number_integer()) {
    return InvalidArgument("a source.crawl job needs {\"source\": id}");
  }
  auto source = watch_.GetWatchedSource(payload["source"].get<int64_t>());
  if (!source.ok()) {
    return source.status().code() == StatusCode::kNotFound ? Status::Ok() : source.status();
  }
  if (source->paused) return Status::Ok();

  // What this crawl looks for: the case's hashes, or every open, watched case's.
  std::vector<domain::MediaHash> watched;
  std::string skipped;
  if (source->case_id) {
    auto c = cases_.GetCase(*source->case_id);
    if (!c.ok()) return c.status().code() == StatusCode::kNotFound ? Status::Ok() : c.status();
    if (c->watch_paused) return Status::Ok();
    if (c->status == domain::CaseStatus::kClosed) {
      skipped = "the case is closed";
    } else {
      auto hashes = cases_.ListHashes(c->id);
      if (!hashes.ok()) return hashes.status();
      watched = std::move(*hashes);
    }
  } else {
    for (int64_t after = 0;;) {
      auto page = watch_.WatchedHashes(after, kHashPage);
      if (!page.ok()) return page.status();
      if (page->empty()) break;
      watched.insert(watched.end(), page->begin(), page->end());
      after = page->back().id;
    }
  }
  const MediaBank bank = MediaBank::Of(watched);
  std::map<int64_t, int64_t> case_of_hash;
  std::map<int64_t, int> quality_of_hash;
  for (const domain::MediaHash& h : watched) {
    if (!bank.pdq.Find(static_cast<uint64_t>(h.id))) continue;
    case_of_hash[h.id] = h.case_id;
    quality_of_hash[h.id] = h.quality;
  }
  if (skipped.empty() && case_of_hash.empty()) skipped = "there are no hashes to look for";
  auto stored_settings = settings_.GetSettings();
  if (!stored_settings.ok()) return stored_settings.status();
  const domain::Settings settings = domain::SettingsFrom(*stored_settings);

  json outcome = {{"pages", 0},        {"media_found", 0},    {"media_checked", 0},
                  {"media_failed", 0}, {"media_deferred", 0}, {"reposts", 0}};
  json errors = json::array();
  std::string etag = source->etag, last_modified = source->last_modified;
  if (!skipped.empty()) {
    outcome["skipped"] = skipped;
  } else {
    const std::string root_host = HostOf(source->url);
    const bool same_host_only =
        source->kind == domain::SourceKind::kPage || source->kind == domain::SourceKind::kChannel;
    struct Visit {
      std::string url;
      int depth = 0;
    };
    std::deque<Visit> queue = {{source->url, 0}};
    std::set<std::string> seen = {source->url};
    int pages = 0;
    while (!queue.empty() && pages < source->max_pages) {
      const Visit visit = std::move(queue.front());
      queue.pop_front();
      const bool root = pages == 0;
      const CheckResult r = root ? checker_.Check(visit.url, bank, etag, last_modified)
                                 : checker_.Check(visit.url, bank);
      ++pages;
      if (root && r.verdict == Verdict::kUnchanged) {
        outcome["unchanged"] = true;
        break;
      }
      if (root && r.verdict != Verdict::kUnreachable) {
        etag = r.etag;
        last_modified = r.last_modified;
      }
      for (const auto& [key, count] : {std::pair{"media_found", r.media_found},
                                       {"media_checked", r.media_checked},
                                       {"media_failed", r.media_failed},
                                       {"media_deferred", r.media_deferred}}) {
        outcome[key] = outcome[key].get<int>() + count;
      }
      if (!r.error.empty() && errors.size() < kMaxErrorsKept) {
        errors.push_back(visit.url + ": " + r.error);
      }
      for (const MediaMatch& m : r.matches) {
        const auto owner = case_of_hash.find(m.hash_id);
        if (owner == case_of_hash.end()) continue;
        const std::string page_url = r.final_url.empty() ? visit.url : r.final_url;
        auto added = AddRepost(*source, owner->second, root ? m.media_url : page_url, page_url, r,
                               m, quality_of_hash[m.hash_id], settings);
        if (!added.ok()) return added.status();
        if (*added) outcome["reposts"] = outcome["reposts"].get<int>() + 1;
      }
      if (visit.depth >= source->max_depth) continue;
      for (const std::string& link : r.links) {
        if (same_host_only && !r.feed && HostOf(link) != root_host) continue;
        if (seen.insert(link).second) queue.push_back({link, visit.depth + 1});
      }
    }
    outcome["pages"] = pages;
    outcome["left_unvisited"] = queue.size();
  }
  outcome["errors"] = errors;
  const UnixMillis now = clock_.Now();
  if (Status s = watch_.RecordCrawl(source->id, now, EvidenceText(outcome), etag, last_modified);
      !s.ok()) {
    return s;
  }
  auto next = jobs_.EnqueueJob(
      SourceCrawlJob(*source, now + source->every, "after:" + std::to_string(job.id)));
  return next.ok() ? Status::Ok() : next.status();
}

Result<bool> SourceCrawler::AddRepost(const domain::WatchedSource& source, int64_t case_id,
                                      const std::string& url, const std::string& page_url,
                                      const CheckResult& r, const MediaMatch& m, int her_quality,
                                      const domain::Settings& settings) {
  const auto lines = platforms::ParseUrlLines(url, platforms_);
  if (lines.empty() || !lines[0].ok) return false;  // an address no caseworker could act on
  const UnixMillis now = clock_.Now();
  domain::Sighting s = platforms::SightingOf(lines[0], now);
  s.origin = domain::SightingOrigin::kWatch;
  // Confirmed without a person only on a PDQ match the settings call strong (domain/settings.h):
  // the event says so, and a caseworker can still dismiss it. A match on region signals alone
  // always waits for a person (its distance is not PDQ bits; docs/matching.md).
  const bool automatic = m.signal == "pdq" && m.allows_automatic_action &&
                         domain::ConfirmsAutomatically(settings, m.distance, her_quality);
  s.needs_review = !automatic;
  if (automatic) s.confirmed_by = "system";
  auto added = sightings_.AddSightings(case_id, {s}, "discovery", now);
  if (!added.ok()) {
    // The case was erased while the crawl ran: nothing to add it to.
    return added.status().code() == StatusCode::kNotFound ? Result<bool>(false) : added.status();
  }
  if (added->at(0).duplicate) return false;
  const int64_t id = added->at(0).sighting_id;

  const json match = MatchJson(m);
  json last_match = match;
  last_match["at"] = FormatTime(now);
  const json evidence = {{"checked_at", FormatTime(now)},
                         {"verdict", VerdictName(Verdict::kMatched)},
                         {"http_status", r.http_status},
                         {"final_url", page_url},
                         {"title", r.title},
                         {"matches", json::array({match})},
                         {"last_match", last_match},
                         {"found_by", {{"source", source.id}, {"page", page_url}}}};
  const domain::Event event{0,
                            case_id,
                            "discovery",
                            "sighting.repost",
                            EvidenceText(json{{"sighting", id},
                                              {"source", source.id},
                                              {"page", page_url},
                                              {"hash_id", m.hash_id},
                                              {"distance", m.distance},
                                              {"her_quality", her_quality},
                                              {"confirmed_automatically", automatic}}),
                            now};
  if (Status st =
          sightings_.RecordSightingCheck(id, EvidenceText(evidence), now, std::nullopt, event);
      !st.ok()) {
    return st;
  }
  return true;
}

}  // namespace takedown::discovery
