// The sighting's life as discovery sees it: a "sighting.check" job fetches the sighting's URL
// (UrlChecker), records what it saw as the sighting's evidence, moves the sighting when the check
// proves something (a notified copy gone or no longer showing her media: removed; a removed one
// showing it again: reappeared, which reopens it), and schedules the next check:
//   found, notified, overdue, escalated, reappeared: every `active_every` (default 12 h);
//   removed: every day for a week, then after 7, 14 and 30 days, then every 30 days, to catch it
//   coming back;
//   dismissed: never again.
// A check that cannot tell (timeout, 5xx, refused address) changes no state and comes back after
// `unreachable_retry`.
// A notice with a deadline gets two more checks of each of its sightings (QueueDeadlineChecks):
// one before the deadline, so a removal is seen in time, and one at it, which moves a notified
// sighting still showing her media to overdue (the escalation ladder starts from there).
// While the case's watching is paused its checks do nothing and schedule nothing; resuming
// queues them again.
//
// Not thread-safe: one SightingChecker per worker thread (it drives one Fetcher).
#pragma once

#include <cstdint>
#include <string>

#include "base/clock.h"
#include "discovery/url_check.h"
#include "domain/sighting_jobs.h"
#include "store/case_store.h"
#include "store/job_queue.h"
#include "store/notice_store.h"
#include "store/roles.h"
#include "store/sighting_store.h"

namespace takedown::discovery {

using domain::kSightingCheckJob;
using domain::SightingCheckJob;
// Queued for casework's escalation ladder when a deadline check finds a notified sighting still
// up ({"notice": id}; once per notice, a few minutes later so the notice's other sightings are
// checked first).
inline constexpr std::string_view kEscalateJob = "notice.escalate";

struct RecheckPolicy {
  UnixMillis active_every = 12 * kMillisPerHour;
  UnixMillis unreachable_retry = kMillisPerHour;
};

// Queues the checks of each of the notice's sightings before its deadline (`lead` earlier, or
// halfway there when the deadline is nearer than twice `lead`) and at it. Idempotent per notice.
// Nothing to do for a notice without a deadline. Returns how many checks it queued.
Result<int> QueueDeadlineChecks(store::JobQueue& jobs, const domain::Notice& notice, UnixMillis now,
                                UnixMillis lead = 2 * kMillisPerHour);

// Queues the first check of every sighting never checked (the "added" key makes it idempotent).
// The store queues it in the transaction that adds the sighting; this catches sightings a
// database holds from before it did. Returns how many it looked at.
// The roles it reads and queues with.
using UncheckedStores = store::Roles<store::SightingStore, store::JobQueue>;
Result<int> QueueUncheckedSightings(UncheckedStores stores, UnixMillis now);

class SightingChecker {
 public:
  // The roles of the store it uses.
  using Stores =
      store::Roles<store::CaseStore, store::SightingStore, store::NoticeStore, store::JobQueue>;

  SightingChecker(Stores stores, const Clock& clock, fetch::Fetcher& fetcher,
                  RecheckPolicy policy = {}, CheckOptions options = {});

  // Handles one "sighting.check" job. A sighting that no longer exists (its case was erased) is
  // done without error.
  Status Handle(const domain::Job& job);

 private:
  store::CaseStore& cases_;
  store::SightingStore& sightings_;
  store::NoticeStore& notices_;
  store::JobQueue& jobs_;
  const Clock& clock_;
  UrlChecker checker_;
  RecheckPolicy policy_;
};

}  // namespace takedown::discovery
