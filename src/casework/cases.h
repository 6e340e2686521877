// A caseworker's work on cases: the queue (with what needs attention), reading a case (every read
// is an audit event before anything is shown), pasting URLs in bulk, moving a sighting, asking a
// recheck, notes and messages to the survivor, assigning, opening and closing, the case's
// timeline and the dashboard's totals. Reviewers read; caseworkers and admins change.
//
// Thread-safe: one Cases serves every request thread (the store does its own locking).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "casework/actor.h"
#include "casework/policy.h"
#include "domain/entities.h"
#include "platforms/platforms.h"
#include "secrets/secrets.h"
#include "store/account_store.h"
#include "store/case_store.h"
#include "store/hash_exchange_store.h"
#include "store/job_queue.h"
#include "store/roles.h"
#include "store/sighting_store.h"
#include "store/stats_store.h"

namespace takedown::casework {

struct CaseDetail {
  domain::Case c;
  store::CaseCounts counts;
  std::string contact;         // unsealed; empty for reviewers
  std::string notice_contact;  // the contact she chose for notices, unsealed; empty for reviewers
  std::vector<domain::MediaHash> hashes;
  std::vector<domain::Sighting> sightings;
  struct NoteView {
    int64_t id = 0, author = 0;
    std::string text;
    UnixMillis at = 0;
    bool to_survivor = false;  // a message she sees on her status page
  };
  std::vector<NoteView> notes;
  // What partner platforms said (StopNCII feedback) about the values of her shared hashes.
  std::vector<store::ValueFeedback> partner_feedback;
};

struct UrlLineResult {
  int line = 0;
  std::string input;
  bool ok = false;
  std::string error;  // when !ok
  std::string normalized, platform, host;
  int64_t sighting_id = 0;
  bool duplicate = false;  // already in the case, or earlier in the same paste
};

// An account a case can be assigned to, as any staff member may see it.
struct Colleague {
  int64_t id = 0;
  std::string username;
};

class Cases {
 public:
  // The roles of the store it uses.
  using Stores =
      store::Roles<store::CaseStore, store::AuditLog, store::SightingStore, store::JobQueue,
                   store::AccountStore, store::StatsStore, store::HashExchangeStore>;

  Cases(Stores stores, const Clock& clock, const secrets::Sealer& sealer,
        const platforms::PlatformDirectory& platforms, Policy policy = {});

  // The queue; a search (f.search: a code, a link, a platform) is a read of each case found: a
  // case.read event each (access.h ReadEvent), as for every read of a case below.
  Result<std::vector<store::CaseSummary>> ListCases(const Actor& who, const store::CaseFilter& f);
  Result<CaseDetail> ReadCase(const Actor& who, int64_t case_id);
  Result<std::vector<UrlLineResult>> AddUrls(const Actor& who, int64_t case_id,
                                             const std::string& pasted);
  Status MoveSighting(const Actor& who, int64_t sighting_id, domain::SightingState to);
  // Queues a discovery check of the sighting now (a caseworker's "recheck now").
  Status RecheckNow(const Actor& who, int64_t sighting_id);
  // Staff-only, or `to_survivor`, a message she reads on her status page (audited as
  // "case.message", without the text).
  Result<int64_t> AddNote(const Actor& who, int64_t case_id, const std::string& text,
                          bool to_survivor = false);
  // To an active caseworker or admin (kFailedPrecondition for a reviewer or a disabled account),
  // or to nobody.
  Status Assign(const Actor& who, int64_t case_id, std::optional<int64_t> user);
  // Whom a case can be assigned to: the active caseworkers and admins, by id.
  Result<std::vector<Colleague>> Colleagues(const Actor& who);
  Status SetStatus(const Actor& who, int64_t case_id, domain::CaseStatus status);
  // The person's age and whether the images were made or altered by AI, as a caseworker learned
  // them after intake: notices drafted from then on cite the law they choose (issue 21).
  Status SetAgeAndAi(const Actor& who, int64_t case_id, domain::AgeGroup age, bool ai_made);
  // The case's audit trail, newest first, this read's own case.read event included.
  Result<std::vector<domain::Event>> CaseEvents(const Actor& who, int64_t case_id, int limit);
  // Totals over all cases for the dashboard: any caseworker.
  Result<store::Overview> Overview(const Actor& who);

 private:
  domain::Event EventOf(const Actor& who, std::optional<int64_t> case_id, std::string action,
                        std::string detail_json = "{}") const;

  store::CaseStore& cases_;
  store::AuditLog& audit_;
  store::SightingStore& sightings_;
  store::JobQueue& jobs_;
  store::AccountStore& accounts_;
  store::StatsStore& stats_;
  store::HashExchangeStore& exchange_;
  const Clock& clock_;
  const secrets::Sealer& sealer_;
  const platforms::PlatformDirectory& platforms_;
  const Policy policy_;
};

}  // namespace takedown::casework
