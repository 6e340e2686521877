// The escalation ladder: when a notice's deadline passes and one of its sightings still shows her
// media (discovery moves it to overdue and queues a "notice.escalate" job), casework drafts at
// once, for a caseworker to approve (or sends, with "send automatically" on and an address
// written to before):
//   - the next rung not yet written to about those copies in their present cycle, beside the
//     rungs already open (never instead of them);
//   - the rung whose deadline passed again (persistence, as Project Arachnid does it), with a day
//     as its deadline, citing every notice before it; a repeat's deadline repeats it again and
//     never climbs. A platform's first notice is repeated by the ladder's "platform again", and a
//     regulator's complaint is never repeated.
// The rungs (numbers as stored in notices.rung): 0 the platform, 1 the platform again, 2 the
// hosting provider (RDAP: the network's abuse contact) or 4 the CDN in front of it (Cloudflare's
// abuse form), 3 the domain's registrar (RDAP), 5 the regulator of her jurisdiction's profile, 6
// a search engine's de-listing (beside the ladder, drafted with the regulator's complaint; every
// ladder of the data ends with the regulator).
// Which rungs a copy climbs comes from the platform data: after the platform, the platform again,
// then the rungs its `escalation` lists (a platform that hosts itself lists only the regulator); a
// site no platform entry knows goes from its abuse mailbox to its host, then its registrar and the
// regulator. A regulator's complaints and a search engine's de-listing requests about a case are
// folded into one per recipient while they wait for a person (DraftFolded). A site no entry knows
// and a content farm get the host's notice beside their first one ({"notice": id, "beside": true},
// queued when the first is drafted): their own mailbox is rarely read. When the top rung's deadline
// passes with a copy still up, the case records "sighting.ladder_spent" so the caseworker sees that
// every lever was pulled. Each draft names the notices before it. A contact that cannot be found
// leaves the draft with that listed as missing, so the caseworker sees the rung and why it is
// stuck.
//
// Thread-safety: one EscalationWorker per worker thread (its ContactFinder drives one Fetcher).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "casework/notice_setup.h"
#include "casework/sealed_notices.h"
#include "platforms/platforms.h"
#include "rdap/rdap.h"
#include "store/account_store.h"
#include "store/case_store.h"
#include "store/job_queue.h"
#include "store/notice_store.h"
#include "store/roles.h"
#include "store/sighting_store.h"

namespace takedown::casework {

using domain::ChannelKind;
using domain::RecipientKind;

// Where hosts and registrars take abuse reports: RDAP in the server, scripted in tests.
class ContactFinder {
 public:
  virtual ~ContactFinder() = default;
  virtual Result<notify::HostContact> Host(const std::string& url) = 0;
  virtual Result<notify::RegistrarContact> Registrar(const std::string& domain) = 0;
};

// ContactFinder over notify::RdapClient.
class RdapFinder : public ContactFinder {
 public:
  explicit RdapFinder(notify::RdapClient& client) : client_(client) {}
  Result<notify::HostContact> Host(const std::string& url) override {
    return client_.LookupHost(url);
  }
  Result<notify::RegistrarContact> Registrar(const std::string& domain) override {
    return client_.LookupDomain(domain);
  }

 private:
  notify::RdapClient& client_;
};

class EscalationWorker {
 public:
  // The roles of the store it uses.
  using Stores =
      store::Roles<store::CaseStore, store::AuditLog, store::SightingStore, store::NoticeStore,
                   store::ReplyStore, store::JobQueue, store::SettingsStore>;

  EscalationWorker(Stores stores, const Clock& clock, const platforms::PlatformDirectory& platforms,
                   const NoticeSetup& notices, ContactFinder& finder);

  // Handles one "notice.escalate" job ({"notice": id}). Nothing to do when none of the notice's
  // sightings is overdue any more, or the ladder is at its top. kUnavailable from a lookup is
  // returned (the job retries); other lookup failures are recorded in the draft's missing list.
  Status Handle(const domain::Job& job);

 private:
  // Who a notice at `rung` goes to, and by which channel; `missing` says why there is no address.
  struct Recipient {
    RecipientKind kind = RecipientKind::kPlatform;
    int rung = 0;
    std::string id, name, address;
    ChannelKind channel = ChannelKind::kWebForm;
    std::string missing;
  };
  // One notice to draft: at `rung`, under idempotency key prefix `key`, with its own deadline
  // when deadline_hours > 0 (a repeat's day).
  struct Step {
    int rung;
    std::string key;
    int deadline_hours;
  };
  // The recipient at `rung`; the same recipient as `from` when `rung` is its rung (a repeat) or
  // "platform again". kUnavailable from a lookup (the job retries).
  Result<Recipient> RecipientAt(int rung, const domain::Notice& from, const domain::Sighting& first,
                                const domain::Case& c);
  // Returns the drafted notice's id.
  Result<int64_t> DraftStep(const Step& step, const domain::Notice& from, const domain::Case& c,
                            const std::vector<domain::Sighting>& targets,
                            const std::vector<domain::Notice>& all);
  // Opens the next rung above `from` not yet written to about `targets` (`used`), or says the
  // ladder is spent.
  Status Climb(const domain::Notice& from, const domain::Case& c,
               const std::vector<domain::Sighting>& targets, const std::vector<int>& ladder,
               std::set<int> used, const std::vector<domain::Notice>& all);
  // DraftStep to a recipient already known.
  Result<int64_t> DraftTo(const Step& step, const Recipient& to, const domain::Notice& from,
                          const domain::Case& c, const std::vector<domain::Sighting>& targets,
                          const std::vector<domain::Notice>& all);
  // One draft to `to` (at to.rung) while it waits for a person: the copies of `targets` it was
  // not yet written to about in their cycle, with those of its drafts still waiting, which are
  // cancelled ("folded_into" the new one). A caseworker files one web form for the case where
  // each copy's climb would have made her file one each. Nothing when every copy was asked about.
  Status DraftFolded(const Step& step, const Recipient& to, const domain::Notice& from,
                     const domain::Case& c, const std::vector<domain::Sighting>& targets,
                     const std::vector<domain::Notice>& all);
  // Search de-listing (rung 6): each search engine of the platform data that takes NCII reports
  // (kind "search", ncii_partner) is asked, through its published channel, to stop listing the
  // copies, folded per case as DraftFolded does.
  Status Delist(const domain::Notice& from, const domain::Case& c,
                const std::vector<domain::Sighting>& targets,
                const std::vector<domain::Notice>& all);
  // Every rung of the ladder was written to and the copy is still up: said plainly on the case.
  Status RecordLadderSpent(const domain::Notice& notice,
                           const std::vector<domain::Sighting>& targets);

  store::CaseStore& cases_;
  store::AuditLog& audit_;
  store::SightingStore& sightings_;
  SealedNotices notices_;  // the notices it reads and drafts, their words sealed at rest
  store::ReplyStore& replies_;
  store::JobQueue& jobs_;
  store::SettingsStore& settings_;
  const Clock& clock_;
  const platforms::PlatformDirectory& platforms_;
  const NoticeSetup& setup_;
  ContactFinder& finder_;
};

}  // namespace takedown::casework
