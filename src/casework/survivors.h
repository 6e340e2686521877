// A survivor's side of Takedown, without an account: her report (intake: hashes only, the links
// she knows, her consent choices; a case code and a PIN shown once), the status of her case and
// her caseworker's messages, and erasing everything. Each PIN attempt is counted (per code and
// per address) before the PIN is checked, and an unknown code is counted and checked like a known
// one against a dummy hash: the same answer in the same time, so codes cannot be probed.
//
// Thread-safe: one Survivors serves every request thread (the store and the partner bank do their
// own locking).
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "casework/attempts.h"
#include "casework/partner_bank.h"
#include "casework/policy.h"
#include "domain/entities.h"
#include "matching/region_bank.h"
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
  // The image's region signals (matching::RegionsText, as the browser's wasm core and
  // `takedown hash` compute them), or empty: what lets discovery find crops and framed copies.
  std::string regions;  // at most matching::kMaxRegionsText characters
  // Which of the files she chose it came from (1, 2, ...; the frames of one video share it), so
  // her status page counts her photos and videos rather than hashes; 0 when the client does not
  // say. Stored as the hash's label ("file N").
  int file = 0;
};

struct IntakeRequest {
  std::string address;  // where it came from: reports are limited per address (Policy)
  std::vector<IntakeImage> images;
  std::vector<std::string> urls;
  std::string jurisdiction, language;
  std::string contact;  // free text, sealed before storing; may be empty
  bool consent_share = false;
  bool authorise = false;  // the organisation may request removal on her behalf
  // Notices go out in the organisation's name; she may choose to be named in them too, and to
  // give a contact in them: `notice_contact`, her separate choice (`contact` is for the
  // organisation only and no notice prints it). Both are sealed like her contact.
  domain::NamedInNotices named_in_notices = domain::NamedInNotices::kNo;
  std::string name;
  std::string notice_contact;
  domain::AgeGroup age = domain::AgeGroup::kAdult;  // chooses the law notices cite
  bool ai_made = false;  // she says the images were made or altered by AI
};

struct IntakeReceipt {
  std::string code, pin;  // the PIN exists only here: it is shown once and stored hashed
  int64_t case_id = 0;
  int urls_accepted = 0;
  std::vector<std::string> url_errors;  // one sentence per rejected URL
};

// Her case in numbers she can trust: what she chose, and copies only once they are known to be
// hers.
struct SurvivorCounts {
  // The photos and videos she chose (a video once, however many frames were hashed).
  int images = 0;
  // The links she gave that are not yet confirmed as copies of her media nor dismissed.
  int being_checked = 0;
  // Confirmed copies: a check or a crawl saw her media there, or a caseworker acted on the link
  // (a removal request, marking it removed, confirming a repost). Links pasted by a caseworker and
  // her own links count only from then on.
  int copies_found = 0;
  int notified = 0;  // of those, removal requested (ever)
  int removed = 0;   // of those, removed
};

// What the survivor sees of her case: the counts and her caseworker's messages to her (oldest
// first; never staff notes, never who wrote them).
struct SurvivorView {
  SurvivorCounts counts;
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

  // kResourceExhausted (and `next` says when to try again) past the reports one address may make.
  Result<IntakeReceipt> Intake(const IntakeRequest& request, NextTry* next);
  // kPermissionDenied for a wrong code or PIN (the same sentence for both, so codes cannot be
  // probed), kResourceExhausted while the code or the address must wait; `next` then says how
  // many tries are left before a wait, or when the next one is allowed.
  Result<SurvivorView> SurvivorStatus(const std::string& code, const std::string& pin,
                                      const std::string& address, NextTry* next);
  Status SurvivorErase(const std::string& code, const std::string& pin, const std::string& address,
                       NextTry* next);

 private:
  // Counts the attempt on the code and the address, then finds the case and checks the PIN; the
  // right PIN clears the code's count and does not count against the address.
  Result<domain::Case> Unlock(const std::string& code, const std::string& pin,
                              const std::string& address, NextTry* next);
  // Her counts, from the case's hashes and sightings.
  Result<SurvivorCounts> CountsFor(const domain::Case& c);
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
  std::string dummy_pin_hash_;  // checked against for unknown codes, so timing does not tell
};

}  // namespace takedown::casework
