// Casework: a caseworker's controls over discovery's watching (watching.h).
#include "casework/watching.h"

#include <nlohmann/json.hpp>

#include "casework/access.h"
#include "discovery/sighting_check.h"
#include "discovery/watch.h"
#include "domain/sighting_jobs.h"
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

Watching::Watching(Stores stores, const Clock& clock)
    : cases_(stores.get<store::CaseStore>()),
      audit_(stores.get<store::AuditLog>()),
      sightings_(stores.get<store::SightingStore>()),
      watch_(stores.get<store::WatchStore>()),
      jobs_(stores.get<store::JobQueue>()),
      clock_(clock) {}

domain::Event Watching::EventOf(const Actor& who, std::optional<int64_t> case_id,
                                std::string action, std::string detail_json) const {
  return MakeEvent(who, case_id, std::move(action), clock_.Now(), std::move(detail_json));
}

Status Watching::SetWatchPaused(const Actor& who, int64_t case_id, bool paused) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (Status s = watch_.SetCaseWatchPaused(
          case_id, paused,
          EventOf(who, case_id, paused ? "case.watch_paused" : "case.watch_resumed"));
      !s.ok()) {
    return s;
  }
  if (paused) return Status::Ok();
  const UnixMillis now = clock_.Now();
  const std::string reason = "resumed:" + std::to_string(now);
  auto sightings = sightings_.ListSightings(case_id);
  if (!sightings.ok()) return sightings.status();
  for (const domain::Sighting& s : *sightings) {
    if (s.state == domain::SightingState::kDismissed) continue;
    auto job = jobs_.EnqueueJob(discovery::SightingCheckJob(s.id, case_id, now, reason));
    if (!job.ok()) return job.status();
  }
  auto sources = watch_.ListWatchedSources(case_id);
  if (!sources.ok()) return sources.status();
  for (const domain::WatchedSource& w : *sources) {
    if (w.paused) continue;
    auto job = jobs_.EnqueueJob(discovery::SourceCrawlJob(w, now, reason));
    if (!job.ok()) return job.status();
  }
  return Status::Ok();
}

Status Watching::ConfirmSighting(const Actor& who, int64_t sighting_id, Audit audit) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  std::optional<domain::Event> event;
  if (audit == Audit::kEach) {
    event =
        EventOf(who, std::nullopt, "sighting.confirmed", json{{"sighting", sighting_id}}.dump());
  }
  if (Status s = sightings_.ConfirmSighting(sighting_id, who.Name(), event); !s.ok()) return s;
  // Its notice is drafted without a person where the settings say so (notice_drafter.h).
  auto confirmed = sightings_.GetSighting(sighting_id);
  if (!confirmed.ok()) return confirmed.status();
  auto queued = jobs_.EnqueueJob(domain::DraftCaseJob(confirmed->case_id, clock_.Now()));
  return queued.ok() ? Status::Ok() : queued.status();
}

Result<std::vector<BulkResult>> Watching::DecideSightings(const Actor& who, int64_t case_id,
                                                          SightingDecision decision,
                                                          const std::vector<int64_t>& ids) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (Status s = CheckBulkIds(ids); !s.ok()) return s;
  if (auto c = cases_.GetCase(case_id); !c.ok()) return c.status();
  auto listed = sightings_.ListSightings(case_id);
  if (!listed.ok()) return listed.status();
  std::set<int64_t> in_case;
  for (const domain::Sighting& s : *listed) in_case.insert(s.id);
  auto decide = [&](int64_t id) {
    if (decision == SightingDecision::kConfirm) return ConfirmSighting(who, id, Audit::kInBulk);
    return sightings_.TransitionSighting(id, domain::SightingState::kDismissed, std::nullopt);
  };
  auto state_of = [&](int64_t id) -> Result<std::string> {
    auto s = sightings_.GetSighting(id);
    if (!s.ok()) return s.status();
    return std::string(domain::SightingStateName(s->state));
  };
  std::vector<BulkResult> results = DecideEach(ids, in_case, decide, state_of);
  if (Status s = audit_.AppendEvent(EventOf(who, case_id, "sightings.bulk",
                                            BulkDetail(SightingDecisionName(decision), results)));
      !s.ok()) {
    return s;
  }
  return results;
}

Result<domain::WatchedSource> Watching::AddWatchedSource(const Actor& who,
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
  // The address as given (trimmed, with https:// when it had none): the crawl fetches what the
  // caseworker saw, not our canonical https form, which a plain-http forum may not serve.
  source.url = url->url;
  source.paused = false;
  source.created_by = who.Name();
  source.created_at = clock_.Now();
  auto id = watch_.CreateWatchedSource(
      source,
      EventOf(who, source.case_id, "source.added",
              json{{"url", source.url}, {"kind", domain::SourceKindName(source.kind)}}.dump()));
  if (!id.ok()) return id.status();
  source.id = *id;
  auto job = jobs_.EnqueueJob(discovery::SourceCrawlJob(source, source.created_at, "added"));
  if (!job.ok()) return job.status();
  return source;
}

Result<std::vector<domain::WatchedSource>> Watching::WatchedSources(
    const Actor& who, std::optional<int64_t> case_id) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  if (case_id) {
    if (auto c = cases_.GetCase(*case_id); !c.ok()) return c.status();
    if (Status s = audit_.AppendEvent(ReadEvent(who, *case_id, "sources", clock_.Now())); !s.ok()) {
      return s;
    }
  }
  return watch_.ListWatchedSources(case_id);
}

Status Watching::SetSourcePaused(const Actor& who, int64_t source_id, bool paused) {
  auto source = watch_.GetWatchedSource(source_id);
  if (!source.ok()) return source.status();
  if (Status s = RequireSourceOwner(who, *source); !s.ok()) return s;
  const json detail = {{"source", source_id}};
  if (Status s = watch_.SetWatchedSourcePaused(
          source_id, paused,
          EventOf(who, source->case_id, paused ? "source.paused" : "source.resumed",
                  detail.dump()));
      !s.ok()) {
    return s;
  }
  if (paused) return Status::Ok();
  const UnixMillis now = clock_.Now();
  auto job =
      jobs_.EnqueueJob(discovery::SourceCrawlJob(*source, now, "resumed:" + std::to_string(now)));
  return job.ok() ? Status::Ok() : job.status();
}

Status Watching::DeleteWatchedSource(const Actor& who, int64_t source_id) {
  auto source = watch_.GetWatchedSource(source_id);
  if (!source.ok()) return source.status();
  if (Status s = RequireSourceOwner(who, *source); !s.ok()) return s;
  return watch_.DeleteWatchedSource(
      source_id, EventOf(who, source->case_id, "source.deleted",
                         json{{"source", source_id}, {"url", source->url}}.dump()));
}

Result<int> Watching::CrawlNow(const Actor& who, int64_t case_id) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  auto c = cases_.GetCase(case_id);
  if (!c.ok()) return c.status();
  if (c->watch_paused) {
    return FailedPrecondition("the case's watching is paused: resume it to crawl its sources");
  }
  auto sources = watch_.ListWatchedSources(case_id);
  if (!sources.ok()) return sources.status();
  const UnixMillis now = clock_.Now();
  // The time in the reason makes each ask its own job; asking twice in one moment queues once.
  const std::string reason = "asked:" + std::to_string(now);
  int queued = 0;
  for (const domain::WatchedSource& w : *sources) {
    if (w.paused) continue;
    auto job = jobs_.EnqueueJob(discovery::SourceCrawlJob(w, now, reason));
    if (!job.ok()) return job.status();
    ++queued;
  }
  if (Status s = audit_.AppendEvent(
          EventOf(who, case_id, "case.crawl_asked", json{{"sources", queued}}.dump()));
      !s.ok()) {
    return s;
  }
  return queued;
}

Result<store::JobProgress> Watching::CrawlProgress(const Actor& who, int64_t case_id) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  if (auto c = cases_.GetCase(case_id); !c.ok()) return c.status();
  if (Status s = audit_.AppendEvent(ReadEvent(who, case_id, "crawl", clock_.Now())); !s.ok()) {
    return s;
  }
  return watch_.CaseJobProgress(case_id);
}

}  // namespace takedown::casework
