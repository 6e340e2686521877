// The job that checks a sighting, named here so that the store can queue a sighting's first check
// in the transaction that adds the sighting (a sighting is never committed without one) and
// discovery can run it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/entities.h"

namespace takedown::domain {

inline constexpr std::string_view kSightingCheckJob = "sighting.check";

// The job that checks `sighting_id` (of case `case_id`) at `run_at`; `reason` makes its
// idempotency key unique per scheduling ("added", a time), so a handler that runs twice schedules
// one next check.
Job SightingCheckJob(int64_t sighting_id, int64_t case_id, UnixMillis run_at,
                     const std::string& reason);

// The job that drafts a case's notices without a person (casework::NoticeDrafter, when the
// settings' draft_automatically is on), queued by discovery when a check confirms a copy and by
// casework when a caseworker confirms one. One per case per kDraftBatch: copies found together
// go out in one notice per platform.
inline constexpr std::string_view kDraftCaseJob = "case.draft";
inline constexpr UnixMillis kDraftBatch = 10 * 60 * 1000;
Job DraftCaseJob(int64_t case_id, UnixMillis now);

}  // namespace takedown::domain
