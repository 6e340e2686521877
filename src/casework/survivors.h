// A survivor's side of Takedown, without an account: her report (intake: hashes only, the links
// she knows, her consent choices; a case code and a PIN shown once), the status of her case and
// her caseworker's messages, and erasing everything. Her code and PIN are checked under
// throttling, and a wrong code reads the same as a wrong PIN so codes cannot be probed.
//
// Thread-safe: one Survivors serves every request thread (the store and the partner bank do their
// own locking).
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "casework/partner_bank.h"
#include "casework/policy.h"
#include "domain/entities.h"
#include "notices/render.h"
#include "platforms/platforms.h"
#include "secrets/secrets.h"
#include "store/account_store.h"
#include "store/case_store.h"
#include "store/job_queue.h"
#include "store/roles.h"
#include "store/sighting_store.h"

namespace takedown::casework {

struct IntakeImage {
  std::string pdq;  // 64 hex
  int quality = 0;
  std::string md5, sha256;  // hex or empty
  domain::MediaKind kind = domain::MediaKind::kImage;
};

struct IntakeRequest {
  std::vector<IntakeImage> images;
  std::vector<std::string> urls;
  std::string jurisdiction, language;
  std::string contact;  // free text, sealed before storing; may be empty
  bool consent_share = false;
  bool authorise = false;  // the organisation may request removal on her behalf
  // Notices go out in the organisation's name; she may choose to be named in them too (and to
  // give her contact in them: `contact` then). Her name is sealed like her contact.
  domain::NamedInNotices named_in_notices = domain::NamedInNotices::kNo;
  std::string name;
};

struct IntakeReceipt {
  std::string code, pin;  // the PIN exists only here: it is shown once and stored hashed
  int64_t case_id = 0;
  int urls_accepted = 0;
  std::vector<std::string> url_errors;  // one sentence per rejected URL
};

// What the survivor sees of her case: the counts and her caseworker's messages to her (oldest
// first; never staff notes, never who wrote them).
struct SurvivorView {
  store::CaseCounts counts;
  struct Message {
    UnixMillis at = 0;
    std::string text;
  };
  std::vector<Message> messages;
};

class Survivors {
 public:
  // The roles of the store it uses.
  using Stores =
      store::Roles<store::CaseStore, store::AuditLog, store::SightingStore, store::ThrottleStore>;

  // The jurisdictions and languages a report may name are the legal profiles and template
  // languages of `library` (data/), so adding a file adds a choice.
  Survivors(Stores stores, const Clock& clock, const secrets::Sealer& sealer,
            const platforms::PlatformDirectory& platforms, const notify::NoticeLibrary& library,
            PartnerBank& bank, Policy policy = {});

  Result<IntakeReceipt> Intake(const IntakeRequest& request);
  // kPermissionDenied for a wrong code or PIN (the same sentence for both, so codes cannot be
  // probed), kResourceExhausted while the case or the address is locked out.
  Result<SurvivorView> SurvivorStatus(const std::string& code, const std::string& pin,
                                      const std::string& address);
  Status SurvivorErase(const std::string& code, const std::string& pin, const std::string& address);

 private:
  // Finds the case and checks the PIN under throttling; writes the failure or clears it.
  Result<domain::Case> Unlock(const std::string& code, const std::string& pin,
                              const std::string& address);
  Status RecordFailure(const std::string& key, int limit, UnixMillis lock, UnixMillis now);
  // The case's messages to the survivor, unsealed.
  Result<std::vector<SurvivorView::Message>> SurvivorMessages(int64_t case_id);

  store::CaseStore& cases_;
  store::AuditLog& audit_;
  store::SightingStore& sightings_;
  store::ThrottleStore& throttles_;
  const Clock& clock_;
  const secrets::Sealer& sealer_;
  const platforms::PlatformDirectory& platforms_;
  const notify::NoticeLibrary& library_;
  PartnerBank& bank_;
  const Policy policy_;
};

}  // namespace takedown::casework
