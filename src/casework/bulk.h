// Bulk decisions on a case's notices and sightings (issue 20): the single decisions run on each
// id in turn, with the same permission and state rules, and the request writes one audit event
// of its own ("notices.bulk", "sightings.bulk") instead of one per item.
//
// Thread-safe: free functions and values only.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace takedown::casework {

// The most ids one bulk request may name.
inline constexpr size_t kMaxBulkIds = 1000;

// How a decision is audited: by an event of its own, or as one item of a bulk request, whose
// single event the bulk call writes.
enum class Audit { kEach, kInBulk };

// What a bulk request may do to each of a case's notices, and to each of its sightings.
enum class NoticeDecision { kApprove, kCancel, kSubmitted, kRedraft };
enum class SightingDecision { kConfirm, kDismiss };
std::optional<NoticeDecision> ParseNoticeDecision(std::string_view name);  // "approve", ...
std::optional<SightingDecision> ParseSightingDecision(std::string_view name);
std::string_view NoticeDecisionName(NoticeDecision d);
std::string_view SightingDecisionName(SightingDecision d);

// One item's outcome: its state afterwards ("" for an id not in the case) and, when it was
// refused, why.
struct BulkResult {
  int64_t id = 0;
  Status status;
  std::string state;
};

// kInvalidArgument unless 1 to kMaxBulkIds ids are named.
Status CheckBulkIds(const std::vector<int64_t>& ids);

// Runs decide(id) on each id that is in `in_case` (a refusal for the others), then reads its
// state with state_of(id): Result<std::string>.
template <typename Decide, typename StateOf>
std::vector<BulkResult> DecideEach(const std::vector<int64_t>& ids,
                                   const std::set<int64_t>& in_case, Decide decide,
                                   StateOf state_of) {
  std::vector<BulkResult> out;
  for (int64_t id : ids) {
    BulkResult r{id, Status::Ok(), ""};
    if (!in_case.contains(id)) {
      r.status = NotFound("it is not part of this case");
    } else {
      r.status = decide(id);
      if (auto state = state_of(id); state.ok()) r.state = *state;
    }
    out.push_back(std::move(r));
  }
  return out;
}

// The bulk event's detail: {"action": ..., "ids": [every id asked], "refused": [ids refused]}.
std::string BulkDetail(std::string_view action, const std::vector<BulkResult>& results);

}  // namespace takedown::casework
