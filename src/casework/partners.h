// What partner platforms may see and ask, by scoped API key: the feed of consenting cases' hashes
// ("hashes:read"), whether hashes are known ("match", against the PartnerBank) and what they did
// about one ("feedback"). Never a case's details.
//
// Thread-safe: one PartnerAccess serves every request thread.
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "casework/actor.h"
#include "casework/partner_bank.h"
#include "store/partner_store.h"

namespace takedown::casework {

// One image a partner asks about: its PDQ, and optionally its region signals
// (matching::RegionsText, as `takedown hash` and the wasm core compute them), which also find the
// crops, borders, captions and collages of shared images that PDQ misses.
struct MatchQuery {
  std::string pdq;
  std::string regions;
};

struct MatchResult {
  std::string query;  // the query's PDQ, lowercase
  std::vector<PartnerBank::Hit> matches;
};

class PartnerAccess {
 public:
  PartnerAccess(store::PartnerStore& partners, const Clock& clock, PartnerBank& bank);

  Result<std::vector<store::HashChange>> HashFeed(const Actor& who, int64_t since, int limit);
  Result<std::vector<MatchResult>> Match(const Actor& who, const std::vector<MatchQuery>& queries,
                                         int radius);
  Status Feedback(const Actor& who, int64_t hash_id, const std::string& verdict,
                  const std::string& url);

 private:
  store::PartnerStore& partners_;
  const Clock& clock_;
  PartnerBank& bank_;
};

}  // namespace takedown::casework
