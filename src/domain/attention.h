// What in a case needs a caseworker: the dashboard queue's views (docs/web.md) as rules over a
// case's sightings and the deadlines of the notices that went out about them. The store only
// selects the facts (AttentionFacts); these rules decide, so a test can read them.
//
// Pure functions over values: safe from any thread.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "domain/entities.h"

namespace takedown::domain {

// The queue's views:
//   waiting     a notice went out and its deadline has not passed; its sighting still shows her
//               media (notified, or escalated with the next rung's notice out)
//   overdue     a sighting is overdue, or a notice's deadline passed while its sighting still
//               shows her media and no later notice's deadline is running (discovery may not
//               have moved it to overdue yet: the caseworker should not wait for that)
//   reappeared  a removed copy came back, or a watched source found a repost not yet reviewed
enum class Attention { kWaiting, kOverdue, kReappeared };
std::optional<Attention> ParseAttention(std::string_view name);

// Per case, measured at one moment (see Attention).
struct CaseAttention {
  int waiting = 0;                          // sightings whose notice's deadline runs
  std::optional<UnixMillis> next_deadline;  // the nearest of those deadlines
  int overdue = 0;                          // sightings past their deadline
  int reappeared = 0;                       // sightings in state reappeared
  int reposts = 0;                          // reposts waiting for review (confirm or dismiss)
};

// What the rules read of one sighting.
struct AttentionFacts {
  SightingState state = SightingState::kFound;
  bool needs_review = false;
  std::vector<UnixMillis> deadlines;  // of the notices about it that went out (WentOut)
};

// Whether a sighting in state `s` can count in some view whatever its notices (what the store
// may preselect on; a repost waiting for review counts too, in any state but dismissed).
bool MayNeedAttention(SightingState s);
// A notice went out about it and its deadline decides what comes next: notified, or escalated
// (the next rung's notice does not move it back to notified, so its deadline is that notice's).
bool AwaitsDeadline(SightingState s);

CaseAttention AttentionOf(const std::vector<AttentionFacts>& sightings, UnixMillis now);
bool InView(const CaseAttention& a, Attention view);

}  // namespace takedown::domain
