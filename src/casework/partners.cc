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
                                                      const std::vector<MatchQuery>& queries,
                                                      int radius) {
  if (Status s = RequireScope(who, "match"); !s.ok()) return s;
  if (queries.empty() || queries.size() > 100) {
    return InvalidArgument("send 1 to 100 hashes at a time");
  }
  if (radius < 0 || radius > 64) return InvalidArgument("radius must be 0 to 64");
  std::vector<MatchResult> out;
  for (size_t i = 0; i < queries.size(); ++i) {
    const std::string which = "hash " + std::to_string(i + 1);
    auto hash = hashing::Hash256::FromHex(queries[i].pdq);
    if (!hash.ok()) return InvalidArgument(which + " is not 64 hexadecimal characters");
    auto regions = matching::RegionsFromText(queries[i].regions);
    if (!regions.ok()) return InvalidArgument(which + ": " + regions.status().message());
    // A partner's hash has no quality: it is searched as a usable one.
    matching::ImageQuery query{{*hash}, 100, std::nullopt};
    if (!regions->regions.empty()) query.signals = std::move(*regions);
    auto hits = bank_.Search(query, radius);
    if (!hits.ok()) return hits.status();
    out.push_back({Lower(queries[i].pdq), std::move(*hits)});
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
