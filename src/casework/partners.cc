// Casework: partner platforms' access (partners.h).
#include "casework/partners.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "casework/access.h"

namespace takedown::casework {
namespace {

constexpr std::array<std::string_view, 4> kVerdicts = {"removed", "not_found", "not_violating",
                                                       "matched"};

bool OneOf(const std::array<std::string_view, 4>& set, std::string_view value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

}  // namespace

PartnerAccess::PartnerAccess(store::PartnerStore& partners, const Clock& clock, PartnerBank& bank)
    : partners_(partners), clock_(clock), bank_(bank) {}

Result<std::vector<store::HashChange>> PartnerAccess::HashFeed(const Actor& who, int64_t since,
                                                               int limit) {
  if (Status s = RequireScope(who, "hashes:read"); !s.ok()) return s;
  return partners_.HashChanges(std::max<int64_t>(since, 0), std::clamp(limit, 1, 10'000));
}

Result<std::vector<MatchResult>> PartnerAccess::Match(const Actor& who,
                                                      const std::vector<std::string>& pdqs,
                                                      int radius) {
  if (Status s = RequireScope(who, "match"); !s.ok()) return s;
  if (pdqs.empty() || pdqs.size() > 100) return InvalidArgument("send 1 to 100 hashes at a time");
  if (radius < 0 || radius > 64) return InvalidArgument("radius must be 0 to 64");
  std::vector<MatchResult> out;
  for (size_t i = 0; i < pdqs.size(); ++i) {
    auto hash = hashing::Hash256::FromHex(pdqs[i]);
    if (!hash.ok()) {
      return InvalidArgument("hash " + std::to_string(i + 1) + " is not 64 hexadecimal characters");
    }
    auto hits = bank_.Search(*hash, radius);
    if (!hits.ok()) return hits.status();
    out.push_back({Lower(pdqs[i]), std::move(*hits)});
  }
  return out;
}

Status PartnerAccess::Feedback(const Actor& who, int64_t hash_id, const std::string& verdict,
                               const std::string& url) {
  if (Status s = RequireScope(who, "feedback"); !s.ok()) return s;
  if (!OneOf(kVerdicts, verdict)) {
    return InvalidArgument("verdict must be removed, not_found, not_violating or matched");
  }
  if (url.size() > 4096) return InvalidArgument("the URL is longer than 4,096 characters");
  return partners_.AddFeedback({who.id, hash_id, verdict, url, clock_.Now()});
}

}  // namespace takedown::casework
