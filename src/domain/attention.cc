#include "domain/attention.h"

#include <algorithm>

namespace takedown::domain {

std::optional<Attention> ParseAttention(std::string_view name) {
  if (name == "waiting") return Attention::kWaiting;
  if (name == "overdue") return Attention::kOverdue;
  if (name == "reappeared") return Attention::kReappeared;
  return std::nullopt;
}

bool AwaitsDeadline(SightingState s) {
  return s == SightingState::kNotified || s == SightingState::kEscalated;
}

bool MayNeedAttention(SightingState s) {
  return AwaitsDeadline(s) || s == SightingState::kOverdue || s == SightingState::kReappeared;
}

CaseAttention AttentionOf(const std::vector<AttentionFacts>& sightings, UnixMillis now) {
  CaseAttention a;
  for (const AttentionFacts& s : sightings) {
    if (s.state == SightingState::kReappeared) ++a.reappeared;
    if (s.needs_review && s.state != SightingState::kDismissed) ++a.reposts;
    if (s.state == SightingState::kOverdue) {
      ++a.overdue;
      continue;
    }
    if (!AwaitsDeadline(s.state) || s.deadlines.empty()) continue;
    std::optional<UnixMillis> running;  // the nearest deadline still ahead
    for (UnixMillis d : s.deadlines) {
      if (d > now) running = running ? std::min(*running, d) : d;
    }
    if (running) {
      ++a.waiting;
      a.next_deadline = a.next_deadline ? std::min(*a.next_deadline, *running) : *running;
    } else {
      ++a.overdue;  // every notice's deadline passed and no later one runs
    }
  }
  return a;
}

bool InView(const CaseAttention& a, Attention view) {
  switch (view) {
    case Attention::kWaiting:
      return a.waiting > 0;
    case Attention::kOverdue:
      return a.overdue > 0;
    case Attention::kReappeared:
      return a.reappeared > 0 || a.reposts > 0;
  }
  return false;
}

}  // namespace takedown::domain
