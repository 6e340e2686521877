#include "discovery/sighting_check.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace takedown::discovery {
namespace {

using domain::SightingState;
using json = nlohmann::json;

constexpr UnixMillis kDay = 24 * kMillisPerHour;

// The removed sighting's recheck ladder, by how many checks it has had since it was removed.
UnixMillis RemovedDelay(int checks_since_removal) {
  // Daily for the first week, when copies put back after a removal mostly come back (a return is
  // seen within a day, and a removal counted while the copy is up again lasts at most that), then
  // further apart.
  static constexpr UnixMillis kLadder[] = {kDay, kDay, kDay,     kDay,      kDay,
                                           kDay, kDay, 7 * kDay, 14 * kDay, 30 * kDay};
  const int n = static_cast<int>(std::size(kLadder));
  return kLadder[std::min(std::max(checks_since_removal, 0), n - 1)];
}

bool IsNotifiedState(SightingState s) {
  return s == SightingState::kNotified || s == SightingState::kOverdue ||
         s == SightingState::kEscalated || s == SightingState::kReappeared;
}

// Whether a copy is up, as far as one check can tell.
enum class Presence { kUp, kDown, kUnknown };

// PDQ bits a re-encoding (a resize, a recompression) of the same medium may move it by.
constexpr int kReencodingSlack = 8;

// Whether a copy that never matched her hashes (noticed on her word: a crop or a border PDQ
// cannot match) is still up. Its page gone (404, 410) is down. Its page answering without the
// medium it showed when the notice named it (`noticed`: the medium nearest to her hashes then) is
// down: a soft removal, or the image taken off the page. The same medium, or one as near (the same
// image re-encoded), is up. A page that listed media when noticed (`noticed_media`, how many) and
// now lists none is down even when none of them could be followed (a format or a size the check
// could not hash); a page that showed no medium to follow is up while it answers.
Presence UnmatchedPresence(const CheckResult& r, const json& noticed, int noticed_media) {
  switch (r.verdict) {
    case Verdict::kGone:
      return Presence::kDown;
    case Verdict::kMatched:
    case Verdict::kUnchanged:
      return Presence::kUp;
    case Verdict::kUnreachable:
      return Presence::kUnknown;
    case Verdict::kNoMatch:
      break;
  }
  if (noticed_media > 0 && r.media_found == 0) return Presence::kDown;
  if (!noticed.is_object() || !noticed.contains("sha256")) return Presence::kUp;
  if (r.nearest && (r.nearest->sha256 == noticed.value("sha256", "") ||
                    r.nearest->distance <= noticed.value("distance", 0) + kReencodingSlack)) {
    return Presence::kUp;
  }
  // A medium that could not be fetched might have been hers.
  return r.media_failed == 0 ? Presence::kDown : Presence::kUnknown;
}

// A sighting's checks follow a copy that never matched by its nearest medium.
CheckOptions FindingNearest(CheckOptions options) {
  options.find_nearest = true;
  return options;
}

}  // namespace

Result<int> QueueDeadlineChecks(store::JobQueue& jobs, const domain::Notice& notice, UnixMillis now,
                                UnixMillis lead) {
  if (!notice.deadline) return 0;
  const UnixMillis deadline = *notice.deadline;
  const UnixMillis before = deadline - now >= 2 * lead
                                ? deadline - lead
                                : now + std::max<UnixMillis>(0, deadline - now) / 2;
  const std::string of_notice = std::to_string(notice.id);
  int queued = 0;
  for (int64_t sighting : notice.sighting_ids) {
    domain::Job early =
        SightingCheckJob(sighting, notice.case_id, before, "before-deadline:" + of_notice);
    early.payload_json = json{{"sighting", sighting}, {"notice", notice.id}}.dump();
    domain::Job due = SightingCheckJob(sighting, notice.case_id, deadline, "deadline:" + of_notice);
    due.payload_json =
        json{{"sighting", sighting}, {"notice", notice.id}, {"at_deadline", true}}.dump();
    for (const domain::Job& job : {early, due}) {
      auto id = jobs.EnqueueJob(job);
      if (!id.ok()) return id.status();
      ++queued;
    }
  }
  return queued;
}

Result<int> QueueUncheckedSightings(UncheckedStores stores, UnixMillis now) {
  store::SightingStore& sightings = stores.get<store::SightingStore>();
  store::JobQueue& jobs = stores.get<store::JobQueue>();
  int seen = 0;
  for (int64_t after = 0;;) {
    auto page = sightings.UncheckedSightings(after, 1000);
    if (!page.ok()) return page.status();
    if (page->empty()) return seen;
    for (int64_t id : *page) {
      auto sighting = sightings.GetSighting(id);
      if (!sighting.ok()) continue;  // erased since
      auto job = jobs.EnqueueJob(SightingCheckJob(id, sighting->case_id, now, "added"));
      if (!job.ok()) return job.status();
      ++seen;
    }
    after = page->back();
  }
}

SightingChecker::SightingChecker(Stores stores, const Clock& clock, fetch::Fetcher& fetcher,
                                 RecheckPolicy policy, CheckOptions options)
    : cases_(stores.get<store::CaseStore>()),
      sightings_(stores.get<store::SightingStore>()),
      notices_(stores.get<store::NoticeStore>()),
      jobs_(stores.get<store::JobQueue>()),
      clock_(clock),
      checker_(fetcher, FindingNearest(options)),
      policy_(policy) {}

Status SightingChecker::Handle(const domain::Job& job) {
  const json payload = json::parse(job.payload_json, nullptr, false);
  if (!payload.is_object() || !payload.contains("sighting") ||
      !payload["sighting"].is_number_integer()) {
    return InvalidArgument("a sighting.check job needs {\"sighting\": id}");
  }
  const int64_t id = payload["sighting"].get<int64_t>();
  auto sighting = sightings_.GetSighting(id);
  if (!sighting.ok()) {
    return sighting.status().code() == StatusCode::kNotFound ? Status::Ok() : sighting.status();
  }
  if (sighting->state == SightingState::kDismissed) return Status::Ok();
  auto owner = cases_.GetCase(sighting->case_id);
  if (!owner.ok())
    return owner.status().code() == StatusCode::kNotFound ? Status::Ok() : owner.status();
  if (owner->watch_paused) return Status::Ok();  // resuming queues the checks again
  // A notice's deadline checks come on top of the regular schedule, which goes on as it was.
  const bool extra = payload.contains("notice");
  const bool at_deadline = payload.value("at_deadline", false);
  auto hashes = cases_.ListHashes(sighting->case_id);
  if (!hashes.ok()) return hashes.status();
  const MediaBank bank = MediaBank::Of(*hashes, "flat");

  json previous = json::parse(sighting->evidence_json, nullptr, false);
  if (!previous.is_object()) previous = json::object();
  const CheckResult r =
      checker_.Check(sighting->url, bank, previous.value("etag", ""),
                     previous.value("last_modified", ""), previous.value("media_resume_at", 0));
  const UnixMillis now = clock_.Now();

  // What the check proves, by the sighting's state. A copy that matched her hashes is up while
  // it matches; one that never did is followed by the medium its page showed when noticed.
  const bool ever_matched = previous.contains("last_match");
  const json noticed = previous.value("noticed_medium", json());
  const int noticed_media = previous.value("noticed_media", 0);
  const Presence unmatched =
      ever_matched ? Presence::kUnknown : UnmatchedPresence(r, noticed, noticed_media);
  const bool notified =
      IsNotifiedState(sighting->state) && sighting->state != SightingState::kReappeared;
  std::optional<SightingState> to;
  const bool absent = r.verdict == Verdict::kGone || r.verdict == Verdict::kNoMatch;
  if (absent && ever_matched &&
      (sighting->state == SightingState::kFound || IsNotifiedState(sighting->state))) {
    to = SightingState::kRemoved;
  } else if (!ever_matched && notified && unmatched == Presence::kDown) {
    to = SightingState::kRemoved;
  } else if (sighting->state == SightingState::kRemoved &&
             (r.verdict == Verdict::kMatched ||
              (!ever_matched && r.nearest && r.nearest->sha256 == noticed.value("sha256", "-")) ||
              (!ever_matched && !noticed.contains("sha256") && r.verdict == Verdict::kNoMatch &&
               noticed_media > 0 && r.media_found > 0))) {
    // Her image, or the very medium noticed, is back; or media on a page whose media could not
    // be followed and which had listed none since its removal.
    to = SightingState::kReappeared;
  }
  const bool still_up = r.verdict == Verdict::kMatched ||
                        (r.verdict == Verdict::kUnchanged && ever_matched) ||
                        (!ever_matched && unmatched == Presence::kUp);
  // Still up when a notice's deadline passed: overdue, and that notice's rung is written to again
  // and the ladder climbs (also when another notice's deadline made it overdue already: rungs
  // that went out together each have their own deadline).
  const bool past_deadline =
      !to && at_deadline && still_up &&
      (sighting->state == SightingState::kNotified ||
       sighting->state == SightingState::kEscalated || sighting->state == SightingState::kOverdue);
  if (past_deadline && sighting->state != SightingState::kOverdue) to = SightingState::kOverdue;

  json evidence = previous;
  evidence["checked_at"] = FormatTime(now);
  if (r.verdict != Verdict::kUnchanged) {
    evidence["verdict"] = VerdictName(r.verdict);
    evidence["http_status"] = r.http_status;
    evidence["final_url"] = r.final_url;
    evidence["title"] = r.title;
    evidence["error"] = r.error;
    evidence.update(MediaEvidence(r));
    json matches = json::array();
    for (const auto& m : r.matches) matches.push_back(MatchJson(m));
    evidence["matches"] = matches;
    if (!r.matches.empty()) {
      evidence["last_match"] = MatchJson(r.matches[0]);
      evidence["last_match"]["at"] = FormatTime(now);
    }
    // What a copy that never matched is followed by: the medium nearest to her hashes as it
    // stood when the notice named it (kept current until then, never moved after).
    const bool before_notice =
        sighting->state == SightingState::kFound || sighting->state == SightingState::kReappeared;
    if (!ever_matched && r.verdict == Verdict::kNoMatch &&
        (before_notice || !evidence.contains("noticed_media"))) {
      evidence["noticed_media"] = r.media_found;
    }
    if (!ever_matched && r.matches.empty() && r.nearest &&
        (before_notice || !evidence.contains("noticed_medium"))) {
      evidence["noticed_medium"] = {{"media_url", r.nearest->media_url},
                                    {"sha256", r.nearest->sha256},
                                    {"distance", r.nearest->distance}};
    }
    if (r.verdict != Verdict::kUnreachable) {
      evidence["etag"] = r.etag;
      evidence["last_modified"] = r.last_modified;
    }
  }
  const SightingState state = to.value_or(sighting->state);
  const int removed_checks =
      to == SightingState::kRemoved ? 0 : evidence.value("checks_since_removal", 0) + 1;
  if (state == SightingState::kRemoved) evidence["checks_since_removal"] = removed_checks;
  // Each return after a removal opens a new notice cycle: its notices are new ones, not the
  // earlier cycle's (their idempotency keys name the cycle, casework::DraftOf).
  if (to == SightingState::kReappeared) evidence["cycle"] = evidence.value("cycle", 0) + 1;

  // What the check saw, kept in the audit trail: the evidence timeline of a regulator dossier.
  json detail = {{"sighting", id}, {"verdict", VerdictName(r.verdict)}};
  if (r.http_status != 0) detail["http_status"] = r.http_status;
  if (!r.matches.empty()) {
    detail["sha256"] = r.matches[0].sha256;
    detail["distance"] = r.matches[0].distance;
    detail["signal"] = r.matches[0].signal;
  }
  if (to == SightingState::kRemoved && IsNotifiedState(sighting->state)) {
    // How long the platform (or the next rung) took: from the latest notice that went out about
    // it to this check, the figure advocacy asks for.
    if (auto notices = notices_.ListNotices(sighting->case_id); notices.ok()) {
      std::optional<domain::Notice> latest;
      for (const domain::Notice& n : *notices) {
        const bool about_it =
            std::find(n.sighting_ids.begin(), n.sighting_ids.end(), id) != n.sighting_ids.end();
        if (about_it && n.sent_at && (!latest || *n.sent_at > *latest->sent_at)) latest = n;
      }
      if (latest) {
        detail["notice"] = latest->id;
        detail["recipient"] = latest->recipient;
        detail["time_to_removal_ms"] = now - *latest->sent_at;
      }
    }
  }
  domain::Event event{0,
                      sighting->case_id,
                      "discovery",
                      to ? "sighting." + std::string(domain::SightingStateName(*to))
                         : std::string("sighting.checked"),
                      EvidenceText(detail),
                      now};
  Status recorded = sightings_.RecordSightingCheck(id, EvidenceText(evidence), now, to, event);
  if (recorded.code() == StatusCode::kFailedPrecondition && to == SightingState::kOverdue) {
    // Another notice's deadline check, on another worker thread, made it overdue a moment ago:
    // this notice's deadline passed all the same.
    auto now_is = sightings_.GetSighting(id);
    if (now_is.ok() && now_is->state == SightingState::kOverdue) {
      event.action = "sighting.checked";
      recorded =
          sightings_.RecordSightingCheck(id, EvidenceText(evidence), now, std::nullopt, event);
    }
  }
  if (!recorded.ok()) return recorded;
  if ((state == SightingState::kFound || state == SightingState::kReappeared) &&
      !sighting->needs_review) {
    // A copy waiting for its notice: drafted without a person where the settings say so.
    auto queued = jobs_.EnqueueJob(domain::DraftCaseJob(sighting->case_id, now));
    if (!queued.ok()) return queued.status();
  }
  if (past_deadline && payload["notice"].is_number_integer()) {
    domain::Job escalate;
    escalate.kind = std::string(kEscalateJob);
    escalate.payload_json = json{{"notice", payload["notice"]}}.dump();
    escalate.run_at = now + 5 * 60 * 1000;
    escalate.case_id = sighting->case_id;
    escalate.idempotency_key = "notice.escalate:" + payload["notice"].dump();
    if (auto queued = jobs_.EnqueueJob(escalate); !queued.ok()) return queued.status();
  }
  if (to == SightingState::kReappeared) {
    // Her images are back: a closed case is open again for the caseworkers.
    if (owner->status == domain::CaseStatus::kClosed) {
      const domain::Event reopened{
          0, sighting->case_id, "discovery", "case.reopened", json{{"sighting", id}}.dump(), now};
      if (Status s =
              cases_.SetCaseStatus(sighting->case_id, domain::CaseStatus::kOpen, now, reopened);
          !s.ok()) {
        return s;
      }
    }
  }

  UnixMillis next = now + policy_.active_every;
  if (r.verdict == Verdict::kUnreachable) {
    next = now + policy_.unreachable_retry;
  } else if (state == SightingState::kRemoved) {
    next = now + RemovedDelay(to ? 0 : removed_checks);
  }
  if (extra) return Status::Ok();
  auto enqueued = jobs_.EnqueueJob(
      SightingCheckJob(id, sighting->case_id, next, "after:" + std::to_string(job.id)));
  return enqueued.ok() ? Status::Ok() : enqueued.status();
}

}  // namespace takedown::discovery
