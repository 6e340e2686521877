// The use cases of Takedown, above the store: a survivor's intake, status and erasure (with PIN
// throttling), a caseworker's work on cases (every read of a case is an audit event), and what
// partner platforms may see and ask. The HTTP layer only translates requests into these calls.
//
// Thread-safe: one Casework serves every request thread (the store and the partner bank do their
// own locking).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "casework/partner_bank.h"
#include "casework/statistics.h"
#include "domain/entities.h"
#include "notices/dossier.h"
#include "notices/render.h"
#include "platforms/platforms.h"
#include "secrets/secrets.h"
#include "store/store.h"

namespace takedown::casework {

// Who is asking, as the HTTP layer authenticated them.
struct Actor {
  enum class Kind { kSurvivor, kUser, kPartner, kSystem } kind = Kind::kSystem;
  int64_t id = 0;  // user or partner id
  domain::Role role = domain::Role::kReviewer;
  std::vector<std::string> scopes;  // partners
  std::string Name() const;         // "user:3", "partner:2", "survivor", "system"
};

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

// Limits and policy, with the defaults the server uses.
struct Policy {
  int max_images = 200;
  int max_urls = 1000;
  int case_failures_before_lock = 5;         // wrong PINs for one case ...
  UnixMillis case_lock = 15 * 60 * 1000;     // ... lock it this long
  int address_failures_before_lock = 20;     // wrong PINs from one address ...
  UnixMillis address_lock = 60 * 60 * 1000;  // ... lock it this long
  UnixMillis failure_window = 60 * 60 * 1000;
  secrets::HashCost pin_cost;
};

struct CaseDetail {
  domain::Case c;
  store::CaseCounts counts;
  std::string contact;  // unsealed; empty for reviewers
  std::vector<domain::MediaHash> hashes;
  std::vector<domain::Sighting> sightings;
  struct NoteView {
    int64_t id = 0, author = 0;
    std::string text;
    UnixMillis at = 0;
    bool to_survivor = false;  // a message she sees on her status page
  };
  std::vector<NoteView> notes;
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

struct UrlLineResult {
  int line = 0;
  std::string input;
  bool ok = false;
  std::string error;  // when !ok
  std::string normalized, platform, host;
  int64_t sighting_id = 0;
  bool duplicate = false;  // already in the case, or earlier in the same paste
};

struct MatchResult {
  std::string query;
  std::vector<PartnerBank::Hit> matches;
};

// What drafting notices needs: the legal profiles and templates, and the organisation that sends
// them as the survivor's authorised representative. Without a library, drafting is refused.
struct NoticeSetup {
  const notify::NoticeLibrary* library = nullptr;
  notify::Organisation organisation;
  // Unseals her name and contact for the notices of a survivor who chose to be named in them.
  const secrets::Sealer* sealer = nullptr;
  // The regulator dossier's templates; without them no dossier is made.
  const notify::DossierTemplates* dossier = nullptr;
};

// The organisation's settings, changed by admins.
struct Settings {
  // Approve drafted notices that lack nothing and go by email or webhook to an address notices
  // went out to before, instead of holding them for a caseworker. A first notice to a recipient
  // never contacted before, and every web form, still waits for a person.
  bool send_automatically = false;
};

// A reply to a notice, unsealed for a caseworker.
struct ReplyView {
  int64_t id = 0, notice_id = 0;
  std::string kind;  // "human", "auto_reply", "bounce"
  UnixMillis received_at = 0;
  std::string from, subject, text;
};

class Casework {
 public:
  Casework(store::Store& store, const Clock& clock, const secrets::Sealer& sealer,
           const platforms::PlatformDirectory& platforms, PartnerBank& bank, Policy policy = {});

  // --- survivors (no account)
  Result<IntakeReceipt> Intake(const IntakeRequest& request);
  // kPermissionDenied for a wrong code or PIN (the same sentence for both, so codes cannot be
  // probed), kResourceExhausted while the case or the address is locked out.
  Result<SurvivorView> SurvivorStatus(const std::string& code, const std::string& pin,
                                      const std::string& address);
  Status SurvivorErase(const std::string& code, const std::string& pin, const std::string& address);

  // --- caseworkers (role checks inside: reviewers read, caseworkers and admins change)
  Result<std::vector<store::CaseSummary>> ListCases(const Actor& who, const store::CaseFilter& f);
  Result<CaseDetail> ReadCase(const Actor& who, int64_t case_id);
  Result<std::vector<UrlLineResult>> AddUrls(const Actor& who, int64_t case_id,
                                             const std::string& pasted);
  Status MoveSighting(const Actor& who, int64_t sighting_id, domain::SightingState to);
  // Queues a discovery check of the sighting now (a caseworker's "recheck now").
  Status RecheckNow(const Actor& who, int64_t sighting_id);
  // --- notes (casework/notes.cc): staff-only, or `to_survivor`, a message she reads on her status
  // page (audited as "case.message", without the text).
  Result<int64_t> AddNote(const Actor& who, int64_t case_id, const std::string& text,
                          bool to_survivor = false);
  Status Assign(const Actor& who, int64_t case_id, std::optional<int64_t> user);
  Status SetStatus(const Actor& who, int64_t case_id, domain::CaseStatus status);
  Result<std::vector<domain::Event>> CaseEvents(const Actor& who, int64_t case_id, int limit);

  // --- watching (casework/watching.cc)
  // Pauses or resumes the rechecks of the case's sightings and the crawls of its sources;
  // resuming queues them at once.
  Status SetWatchPaused(const Actor& who, int64_t case_id, bool paused);
  // A repost found by a watched source is hers: it stops waiting for review. (Dismissing is the
  // state move to dismissed; the URL is then never raised again for the case.)
  Status ConfirmSighting(const Actor& who, int64_t sighting_id);
  // Watches a listing page, feed, sitemap or channel preview for the case (or, with no case, for
  // every open case: admins only) and queues its first crawl. kInvalidArgument with a sentence
  // for a bad address or limits out of range; kAlreadyExists.
  Result<domain::WatchedSource> AddWatchedSource(const Actor& who, domain::WatchedSource source);
  Result<std::vector<domain::WatchedSource>> WatchedSources(const Actor& who,
                                                            std::optional<int64_t> case_id);
  Status SetSourcePaused(const Actor& who, int64_t source_id, bool paused);
  Status DeleteWatchedSource(const Actor& who, int64_t source_id);
  // The case's discovery work: checks and crawls queued, running, done and failed (with why).
  Result<store::JobProgress> CrawlProgress(const Actor& who, int64_t case_id);
  // Queues a crawl of each of the case's sources that is not paused now, rather than at its
  // next scheduled time (a caseworker's "crawl now"); how many were queued.
  // kFailedPrecondition while the case's watching is paused.
  Result<int> CrawlNow(const Actor& who, int64_t case_id);

  // --- notices (casework/notices.cc; sending is outbox.h's job)
  // kFailedPrecondition while required elements are missing. An email or webhook notice is then
  // queued for sending; a web form waits for MarkNoticeSubmitted.
  Status ApproveNotice(const Actor& who, int64_t notice_id);
  // Drafts one notice per platform (or site, when no platform is known) for the case's sightings
  // that still show her media and are confirmed (found or reappeared; `sighting_ids` narrows
  // them), rendered under her jurisdiction's legal profile in her language, each with the
  // required elements it lacks. Drafting the same sightings again returns the same drafts.
  Result<std::vector<domain::Notice>> DraftNotices(const Actor& who, int64_t case_id,
                                                   const std::vector<int64_t>& sighting_ids);
  void UseNotices(NoticeSetup setup) { notices_ = std::move(setup); }
  // The caseworker filled in the platform's web form with the notice's text: its deadline runs.
  Status MarkNoticeSubmitted(const Actor& who, int64_t notice_id);
  Status CancelNotice(const Actor& who, int64_t notice_id);
  // Sends an approved notice whose sending gave up (the relay was down past every retry) or a
  // failed one, again: a new notice.send job. kFailedPrecondition in any other state.
  Status SendNoticeAgain(const Actor& who, int64_t notice_id);
  // The regulator dossier of the case (casework/dossier.cc): its URLs with every check,
  // the notices that went out and the replies, under her jurisdiction's profile, in `language`
  // ("" for hers). A read of the case: audited.
  Result<notify::Dossier> Dossier(const Actor& who, int64_t case_id, const std::string& language);
  // Replies that came back about the case's notices, oldest first.
  Result<std::vector<ReplyView>> CaseReplies(const Actor& who, int64_t case_id);

  // --- the organisation's settings (admins change them; any user reads them)
  Result<Settings> GetSettings(const Actor& who);
  Status PutSettings(const Actor& who, const Settings& settings);
  Result<domain::Notice> GetNotice(const Actor& who, int64_t notice_id);

  // The case's notices, oldest first (drafted or recorded; sending is the notify module's).
  Result<std::vector<domain::Notice>> CaseNotices(const Actor& who, int64_t case_id);
  // --- statistics (casework/statistics.h)
  Result<StatisticsExport> ExportStatistics(const Actor& who, UnixMillis from, UnixMillis to,
                                            const std::string& format, const std::string& language);
  void UseStatistics(StatisticsSetup setup);
  // The languages the statistics report is written in (data/report/*.toml), "en" first; empty
  // when statistics are not set up.
  std::vector<std::string> ReportLanguages() const;

  // Totals over all cases for the dashboard: any caseworker.
  Result<store::Overview> Overview(const Actor& who);

  Result<std::vector<store::HashChange>> HashFeed(const Actor& who, int64_t since, int limit);
  Result<std::vector<MatchResult>> Match(const Actor& who, const std::vector<std::string>& pdqs,
                                         int radius);
  Status Feedback(const Actor& who, int64_t hash_id, const std::string& verdict,
                  const std::string& url);

  const Policy& policy() const { return policy_; }
  const platforms::PlatformDirectory& platforms() const { return platforms_; }
  // The legal profiles (with the support services survivors see), or null when none are loaded.
  const notify::NoticeLibrary* notice_library() const { return notices_.library; }

 private:
  // Queues a discovery check of each new sighting of the case.
  void ScheduleFirstChecks(int64_t case_id, const std::vector<int64_t>& sighting_ids,
                           UnixMillis now);

  // Finds the case and checks the PIN under throttling; writes the failure or clears it.
  Result<domain::Case> Unlock(const std::string& code, const std::string& pin,
                              const std::string& address);
  Status RecordFailure(const std::string& key, int limit, UnixMillis lock, UnixMillis now);
  // The case's messages to the survivor, unsealed (casework/notes.cc).
  Result<std::vector<SurvivorView::Message>> SurvivorMessages(int64_t case_id);
  domain::Event MakeEvent(const Actor& who, std::optional<int64_t> case_id, std::string action,
                          std::string detail_json = "{}") const;

  store::Store& store_;
  const Clock& clock_;
  const secrets::Sealer& sealer_;
  const platforms::PlatformDirectory& platforms_;
  PartnerBank& bank_;
  Policy policy_;
  NoticeSetup notices_;
  std::unique_ptr<Reports> reports_;
};

}  // namespace takedown::casework
