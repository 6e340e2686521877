// A caseworker's work on notices: drafting them (one per platform or site, under her
// jurisdiction's legal profile in her language, each with the required elements it lacks),
// approving (an email or notice-API notice is then sent by the outbox, outbox.h), marking a web
// form submitted, cancelling, sending again, drafting again (redraft.cc); the case's notices and
// the replies that came back; the regulator dossier; and the organisation's settings and the
// profile notices are signed with (admins change them).
//
// Thread-safe: one Notices serves every request thread (the store does its own locking).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "casework/actor.h"
#include "casework/bulk.h"
#include "casework/notice_drafter.h"
#include "casework/notice_setup.h"
#include "casework/sealed_notices.h"
#include "domain/entities.h"
#include "domain/settings.h"
#include "notices/dossier.h"
#include "platforms/platforms.h"
#include "store/account_store.h"
#include "store/case_store.h"
#include "store/job_queue.h"
#include "store/notice_store.h"
#include "store/roles.h"
#include "store/sighting_store.h"

namespace takedown::casework {

// The organisation's settings (domain/settings.h), changed by admins.
using Settings = domain::Settings;

// The organisation notices are signed by, as GetOrganisation shows it.
struct OrganisationView {
  notify::Organisation organisation;
  bool saved = false;  // false: the server's --org-* flags stand in until an admin saves it
  // What every notice prints of its sender and the profile lacks ("name", "email",
  // "signatory"): the dashboard asks an admin to fill them.
  std::vector<std::string> lacks;
};

// A reply to a notice, unsealed for a caseworker.
struct ReplyView {
  int64_t id = 0, notice_id = 0;
  std::string kind;  // "human", "auto_reply", "bounce"
  UnixMillis received_at = 0;
  std::string from, subject, text;
};

class Notices {
 public:
  // The roles of the store it uses.
  using Stores = store::Roles<store::CaseStore, store::AuditLog, store::SightingStore,
                              store::NoticeStore, store::ReplyStore, store::JobQueue,
                              store::SettingsStore, store::OrganisationStore>;

  Notices(Stores stores, const Clock& clock, const platforms::PlatformDirectory& platforms,
          const NoticeSetup& setup, const notify::DossierTemplates& dossier);

  // Drafts one notice per platform (or site, when no platform is known) for the case's sightings
  // that still show her media and are confirmed (found or reappeared; `sighting_ids` narrows
  // them), rendered under her jurisdiction's legal profile in her language, each with the
  // required elements it lacks. Drafting the same sightings again returns the same drafts.
  Result<std::vector<domain::Notice>> DraftNotices(const Actor& who, int64_t case_id,
                                                   const std::vector<int64_t>& sighting_ids);
  // kFailedPrecondition while required elements are missing. An email or webhook notice is then
  // queued for sending; a web form waits for MarkNoticeSubmitted. Audit::kInBulk writes no event
  // (DecideNotices writes one for the request).
  Status ApproveNotice(const Actor& who, int64_t notice_id, Audit audit = Audit::kEach);
  // The caseworker filled in the platform's web form with the notice's text: its deadline runs.
  Status MarkNoticeSubmitted(const Actor& who, int64_t notice_id, Audit audit = Audit::kEach);
  Status CancelNotice(const Actor& who, int64_t notice_id, Audit audit = Audit::kEach);
  // One decision on each of the case's notices named, each as its single call decides it (redraft:
  // Redraft in the case's language), and one "notices.bulk" event for them all. kInvalidArgument
  // for no ids or too many, kNotFound for no such case; an id of another case is refused in its
  // result.
  Result<std::vector<BulkResult>> DecideNotices(const Actor& who, int64_t case_id,
                                                NoticeDecision decision,
                                                const std::vector<int64_t>& notice_ids);
  // Sends an approved notice whose sending gave up (the relay was down past every retry) or a
  // failed one, again: a new notice.send job. kFailedPrecondition in any other state.
  Status SendNoticeAgain(const Actor& who, int64_t notice_id);
  // A draft is rendered again in place from its case, its sightings and the organisation as they
  // are now (notice.redrafted). A cancelled notice gives a new draft of its links that are still
  // up and confirmed (kFailedPrecondition when none is); a draft of a later rung of the escalation
  // ladder, or a notice on its way or gone, kFailedPrecondition. Returns the draft.
  // With `language` (one the notice templates exist in, else kInvalidArgument) this one notice is
  // written in it rather than the case's: a caseworker's choice for a platform that reads another
  // language than hers (still the platform's own first language when it takes only others).
  // Audit::kInBulk leaves out the notice.redrafted event (DecideNotices writes one).
  Result<domain::Notice> Redraft(const Actor& who, int64_t notice_id,
                                 const std::optional<std::string>& language = std::nullopt,
                                 Audit audit = Audit::kEach);
  // Every first-rung draft of the case (or, with no case, of every case) rendered again, each in
  // its own language, or all in `language`; how many.
  Result<int> RedraftAll(const Actor& who, std::optional<int64_t> case_id,
                         const std::optional<std::string>& language = std::nullopt);
  // The language her case is worked in, one the notice templates exist in (kInvalidArgument
  // otherwise; audited as case.language); its drafts are then written again in it. How many.
  Result<int> SetCaseLanguage(const Actor& who, int64_t case_id, const std::string& language);
  // The reads below are reads of the case: each writes a case.read event before answering. A
  // reviewer gets every text with her name and contact withheld (Withheld).
  Result<domain::Notice> GetNotice(const Actor& who, int64_t notice_id);
  // The case's notices, oldest first (drafted or recorded).
  Result<std::vector<domain::Notice>> CaseNotices(const Actor& who, int64_t case_id);
  // Replies that came back about the case's notices, oldest first.
  Result<std::vector<ReplyView>> CaseReplies(const Actor& who, int64_t case_id);
  // The regulator dossier of the case (dossier.cc): its URLs with every check, the notices that
  // went out and the replies, under her jurisdiction's profile, in `language` ("" for hers);
  // audited as case.dossier. A reviewer's names her nowhere.
  Result<notify::Dossier> Dossier(const Actor& who, int64_t case_id, const std::string& language);

  // The organisation's settings: any user reads them, admins change them.
  Result<Settings> GetSettings(const Actor& who);
  Status PutSettings(const Actor& who, const Settings& settings);
  // The organisation's profile: any user reads it. Admins save it (organisation.updated); every
  // first-rung draft is then rendered again with it. An email must look like one and a website be
  // an https URL (kInvalidArgument). Returns how many drafts were rendered again.
  Result<OrganisationView> GetOrganisation(const Actor& who);
  Result<int> PutOrganisation(const Actor& who, const notify::Organisation& organisation);

 private:
  domain::Event EventOf(const Actor& who, std::optional<int64_t> case_id, std::string action,
                        std::string detail_json = "{}") const;
  // Renders the draft again in place, in `language`; its case and sightings as they are now.
  Result<domain::Notice> RedraftInPlace(const Actor& who, const domain::Notice& draft,
                                        const notify::Organisation& organisation,
                                        const std::string& language, Audit audit);
  // kInvalidArgument unless the notice templates exist in `language`.
  Status CheckLanguage(const std::string& language) const;
  // The event of a single decision, or none when it is one item of a bulk request.
  std::optional<domain::Event> EventOf(Audit audit, const Actor& who, int64_t case_id,
                                       std::string action, int64_t notice_id) const;
  // The case's replies, opened, with what `withheld` says withheld.
  Result<std::vector<ReplyView>> RepliesOf(int64_t case_id, const Withheld& withheld);

  store::CaseStore& cases_;
  store::AuditLog& audit_;
  store::SightingStore& sightings_;
  SealedNotices notices_;  // their words sealed at rest, opened here
  store::ReplyStore& replies_;
  store::JobQueue& jobs_;
  store::SettingsStore& settings_;
  store::OrganisationStore& organisation_;
  const Clock& clock_;
  const platforms::PlatformDirectory& platforms_;
  const NoticeSetup& setup_;
  const notify::DossierTemplates& dossier_;
  NoticeDrafter drafter_;
};

}  // namespace takedown::casework
