// The escalation ladder: when a notice's deadline passes and one of its sightings still shows her
// media (discovery moves it to overdue and queues a "notice.escalate" job), the next rung's notice
// is drafted at once for a caseworker to approve. The rungs (numbers as stored in notices.rung):
//   0 the platform, 1 the platform again (once), 2 the hosting provider (RDAP: the network's abuse
//   contact) or 4 the CDN in front of it (Cloudflare's abuse form), 3 the domain's registrar
//   (RDAP), 5 the regulator of her jurisdiction's profile.
// Which rungs a copy climbs comes from the platform data: after the platform, the platform again,
// then the rungs its `escalation` lists (a platform that hosts itself lists only the regulator); a
// site no platform entry knows goes from its abuse mailbox straight to its host, then its
// registrar and the regulator.
// Each draft names the notices before it. A contact that cannot be found leaves the draft with
// that listed as missing, so the caseworker sees the rung and why it is stuck.
//
// Thread-safety: one EscalationWorker per worker thread (its ContactFinder drives one Fetcher).
#pragma once

#include <string>

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
  using Stores = store::Roles<store::CaseStore, store::SightingStore, store::NoticeStore,
                              store::ReplyStore, store::JobQueue, store::SettingsStore>;

  EscalationWorker(Stores stores, const Clock& clock, const platforms::PlatformDirectory& platforms,
                   const NoticeSetup& notices, ContactFinder& finder);

  // Handles one "notice.escalate" job ({"notice": id}). Nothing to do when none of the notice's
  // sightings is overdue any more, or the ladder is at its top. kUnavailable from a lookup is
  // returned (the job retries); other lookup failures are recorded in the draft's missing list.
  Status Handle(const domain::Job& job);

 private:
  store::CaseStore& cases_;
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
