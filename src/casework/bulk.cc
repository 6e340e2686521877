// Bulk decisions' shared parts (bulk.h).
#include "casework/bulk.h"

#include <nlohmann/json.hpp>

namespace takedown::casework {

std::optional<NoticeDecision> ParseNoticeDecision(std::string_view name) {
  for (auto d : {NoticeDecision::kApprove, NoticeDecision::kCancel, NoticeDecision::kSubmitted,
                 NoticeDecision::kRedraft}) {
    if (NoticeDecisionName(d) == name) return d;
  }
  return std::nullopt;
}

std::optional<SightingDecision> ParseSightingDecision(std::string_view name) {
  for (auto d : {SightingDecision::kConfirm, SightingDecision::kDismiss}) {
    if (SightingDecisionName(d) == name) return d;
  }
  return std::nullopt;
}

std::string_view NoticeDecisionName(NoticeDecision d) {
  switch (d) {
    case NoticeDecision::kApprove:
      return "approve";
    case NoticeDecision::kCancel:
      return "cancel";
    case NoticeDecision::kSubmitted:
      return "submitted";
    case NoticeDecision::kRedraft:
      return "redraft";
  }
  return "";
}

std::string_view SightingDecisionName(SightingDecision d) {
  return d == SightingDecision::kConfirm ? "confirm" : "dismiss";
}

Status CheckBulkIds(const std::vector<int64_t>& ids) {
  if (ids.empty() || ids.size() > kMaxBulkIds) {
    return InvalidArgument("a bulk request names 1 to " + std::to_string(kMaxBulkIds) + " ids");
  }
  return Status::Ok();
}

std::string BulkDetail(std::string_view action, const std::vector<BulkResult>& results) {
  nlohmann::json ids = nlohmann::json::array(), refused = nlohmann::json::array();
  for (const BulkResult& r : results) {
    ids.push_back(r.id);
    if (!r.status.ok()) refused.push_back(r.id);
  }
  return nlohmann::json{{"action", action}, {"ids", ids}, {"refused", refused}}.dump();
}

}  // namespace takedown::casework
