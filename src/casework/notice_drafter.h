// Drafting a case's first notices: one per platform (or per site no platform entry knows) for
// the case's confirmed copies that still show her media, rendered under her jurisdiction's legal
// profile in a language the platform takes. Used by a caseworker's "Draft notices"
// (Notices::DraftNotices, which checks who may) and by the "case.draft" job, which drafts without
// a person when the organisation's settings say so (domain/settings.h, draft_automatically).
//
// Thread-safe as the store is: it keeps no state of its own.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "casework/actor.h"
#include "casework/notice_setup.h"
#include "casework/sealed_notices.h"
#include "domain/entities.h"
#include "notices/render.h"
#include "platforms/platforms.h"
#include "store/account_store.h"
#include "store/case_store.h"
#include "store/job_queue.h"
#include "store/notice_store.h"
#include "store/roles.h"
#include "store/sighting_store.h"

namespace takedown::casework {

class NoticeDrafter {
 public:
  // The roles of the store it uses.
  using Stores = store::Roles<store::CaseStore, store::SightingStore, store::NoticeStore,
                              store::JobQueue, store::SettingsStore>;

  NoticeDrafter(Stores stores, const Clock& clock, const platforms::PlatformDirectory& platforms,
                const NoticeSetup& setup);

  // Drafts the notices of the case's sightings that are found or reappeared and may be named
  // (`only` narrows them), as `who` (whose right to was checked by the caller). Drafting the same
  // sightings again returns the same drafts; each is approved at once where the settings allow
  // (ApproveIfAutomatic). kFailedPrecondition when no sighting is waiting for a notice.
  Result<std::vector<domain::Notice>> Draft(const Actor& who, int64_t case_id,
                                            const std::vector<int64_t>& only);

  // A first-rung notice to `recipient` (a platform's id, or "site:" and a host) about `members`,
  // rendered now with `organisation`, not yet stored.
  Result<domain::Notice> Render(const domain::Case& c, const notify::Organisation& organisation,
                                const std::string& recipient,
                                const std::vector<domain::Sighting>& members,
                                const std::string& key_prefix, UnixMillis now) const;

  // Stores a new draft (`event_detail` in its notice.drafted event), tells a site's hosting
  // provider beside it, and approves it when the organisation sends automatically.
  Result<domain::Notice> Keep(const Actor& who, const domain::Notice& draft,
                              const std::string& recipient, nlohmann::json event_detail,
                              UnixMillis now);

  // Handles one "case.draft" job ({"case": id}): with draft_automatically on, drafts as "system"
  // the notices of every copy waiting for one and not named by a notice still in hand (draft,
  // approved or sending). Nothing to do otherwise, or when the case is gone.
  Status HandleDraftJob(const domain::Job& job);

 private:
  store::CaseStore& cases_;
  store::SightingStore& sightings_;
  SealedNotices notices_;  // their words sealed at rest
  store::JobQueue& jobs_;
  store::SettingsStore& settings_;
  const Clock& clock_;
  const platforms::PlatformDirectory& platforms_;
  const NoticeSetup& setup_;
};

}  // namespace takedown::casework
