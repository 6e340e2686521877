// Casework: a caseworker's controls over discovery's watching (pause, confirm a repost, watched
// sources, crawl progress).
#include <nlohmann/json.hpp>

#include "casework/access.h"
#include "casework/casework.h"
#include "discovery/sighting_check.h"
#include "discovery/watch.h"
#include "platforms/url.h"

namespace takedown::casework {
namespace {

using json = nlohmann::json;

constexpr int kMaxDepth = 3;
constexpr int kMaxPages = 1000;
constexpr UnixMillis kMinEvery = kMillisPerHour;
constexpr UnixMillis kMaxEvery = 90 * 24 * kMillisPerHour;

Status RequireAdmin(const Actor& who) {
  if (who.kind != Actor::Kind::kUser || who.role != domain::Role::kAdmin) {
    return PermissionDenied("only an admin can watch a source for the whole organisation");
  }
  return Status::Ok();
}

// Sources of a case are the case's caseworkers'; the organisation's are the admins'.
Status RequireSourceOwner(const Actor& who, const domain::WatchedSource& s) {
  if (Status st = RequireUser(who, true); !st.ok()) return st;
  return s.case_id ? Status::Ok() : RequireAdmin(who);
}

}  // namespace

Status Casework::SetWatchPaused(const Actor& who, int64_t case_id, bool paused) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (Status s = store_.SetCaseWatchPaused(
          case_id, paused,
          MakeEvent(who, case_id, paused ? "case.watch_paused" : "case.watch_resumed"));
      !s.ok()) {
    return s;
  }
  if (paused) return Status::Ok();
  const UnixMillis now = clock_.Now();
  const std::string reason = "resumed:" + std::to_string(now);
  auto sightings = store_.ListSightings(case_id);
  if (!sightings.ok()) return sightings.status();
  for (const domain::Sighting& s : *sightings) {
    if (s.state == domain::SightingState::kDismissed) continue;
    auto job = store_.EnqueueJob(discovery::SightingCheckJob(s.id, case_id, now, reason));
    if (!job.ok()) return job.status();
  }
  auto sources = store_.ListWatchedSources(case_id);
  if (!sources.ok()) return sources.status();
  for (const domain::WatchedSource& w : *sources) {
    if (w.paused) continue;
    auto job = store_.EnqueueJob(discovery::SourceCrawlJob(w, now, reason));
    if (!job.ok()) return job.status();
  }
  return Status::Ok();
}

Status Casework::ConfirmSighting(const Actor& who, int64_t sighting_id) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  return store_.ConfirmSighting(sighting_id, MakeEvent(who, std::nullopt, "sighting.confirmed",
                                                       json{{"sighting", sighting_id}}.dump()));
}

Result<domain::WatchedSource> Casework::AddWatchedSource(const Actor& who,
                                                         domain::WatchedSource source) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (!source.case_id) {
    if (Status s = RequireAdmin(who); !s.ok()) return s;
  }
  auto url = platforms::NormalizeUrl(source.url);
  if (!url.ok()) return InvalidArgument("the address to watch: " + url.status().message());
  if (source.max_depth < 0 || source.max_depth > kMaxDepth) {
    return InvalidArgument("the depth must be 0 to " + std::to_string(kMaxDepth));
  }
  if (source.max_pages < 1 || source.max_pages > kMaxPages) {
    return InvalidArgument("the pages per crawl must be 1 to " + std::to_string(kMaxPages));
  }
  if (source.every < kMinEvery || source.every > kMaxEvery) {
    return InvalidArgument("crawl every 1 to 2160 hours");
  }
  // The address as given (trimmed): the crawl fetches what the caseworker saw, not our
  // canonical https form, which a plain-http forum may not serve.
  source.url = url->original;
  source.paused = false;
  source.created_by = who.Name();
  source.created_at = clock_.Now();
  auto id = store_.CreateWatchedSource(
      source,
      MakeEvent(who, source.case_id, "source.added",
                json{{"url", source.url}, {"kind", domain::SourceKindName(source.kind)}}.dump()));
  if (!id.ok()) return id.status();
  source.id = *id;
  auto job = store_.EnqueueJob(discovery::SourceCrawlJob(source, source.created_at, "added"));
  if (!job.ok()) return job.status();
  return source;
}

Result<std::vector<domain::WatchedSource>> Casework::WatchedSources(
    const Actor& who, std::optional<int64_t> case_id) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  if (case_id) {
    if (auto c = store_.GetCase(*case_id); !c.ok()) return c.status();
  }
  return store_.ListWatchedSources(case_id);
}

Status Casework::SetSourcePaused(const Actor& who, int64_t source_id, bool paused) {
  auto source = store_.GetWatchedSource(source_id);
  if (!source.ok()) return source.status();
  if (Status s = RequireSourceOwner(who, *source); !s.ok()) return s;
  const json detail = {{"source", source_id}};
  if (Status s = store_.SetWatchedSourcePaused(
          source_id, paused,
          MakeEvent(who, source->case_id, paused ? "source.paused" : "source.resumed",
                    detail.dump()));
      !s.ok()) {
    return s;
  }
  if (paused) return Status::Ok();
  const UnixMillis now = clock_.Now();
  auto job =
      store_.EnqueueJob(discovery::SourceCrawlJob(*source, now, "resumed:" + std::to_string(now)));
  return job.ok() ? Status::Ok() : job.status();
}

Status Casework::DeleteWatchedSource(const Actor& who, int64_t source_id) {
  auto source = store_.GetWatchedSource(source_id);
  if (!source.ok()) return source.status();
  if (Status s = RequireSourceOwner(who, *source); !s.ok()) return s;
  return store_.DeleteWatchedSource(
      source_id, MakeEvent(who, source->case_id, "source.deleted",
                           json{{"source", source_id}, {"url", source->url}}.dump()));
}

Result<int> Casework::CrawlNow(const Actor& who, int64_t case_id) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  auto c = store_.GetCase(case_id);
  if (!c.ok()) return c.status();
  if (c->watch_paused) {
    return FailedPrecondition("the case's watching is paused: resume it to crawl its sources");
  }
  auto sources = store_.ListWatchedSources(case_id);
  if (!sources.ok()) return sources.status();
  const UnixMillis now = clock_.Now();
  // The time in the reason makes each ask its own job; asking twice in one moment queues once.
  const std::string reason = "asked:" + std::to_string(now);
  int queued = 0;
  for (const domain::WatchedSource& w : *sources) {
    if (w.paused) continue;
    auto job = store_.EnqueueJob(discovery::SourceCrawlJob(w, now, reason));
    if (!job.ok()) return job.status();
    ++queued;
  }
  if (Status s = store_.AppendEvent(
          MakeEvent(who, case_id, "case.crawl_asked", json{{"sources", queued}}.dump()));
      !s.ok()) {
    return s;
  }
  return queued;
}

Result<store::JobProgress> Casework::CrawlProgress(const Actor& who, int64_t case_id) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  if (auto c = store_.GetCase(case_id); !c.ok()) return c.status();
  return store_.CaseJobProgress(case_id);
}

}  // namespace takedown::casework
