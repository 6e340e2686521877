// The things Takedown keeps: plain values with no I/O (the store persists them, casework decides
// what happens to them). Times are UnixMillis from the one Clock. Secrets never appear here in the
// clear: PINs and passwords as Argon2id strings, contact details and notes as ciphertext.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace takedown::domain {

enum class CaseStatus { kOpen, kClosed };
std::string_view CaseStatusName(CaseStatus s);
std::optional<CaseStatus> ParseCaseStatus(std::string_view name);

// Whether notices name her (her choice at intake); by default they go out in the organisation's
// name only, as her authorised representative.
enum class NamedInNotices { kNo = 0, kName = 1, kNameAndContact = 2 };

// How old the person depicted is, as she or a caseworker said: it chooses the law a notice
// cites. A minor (when the image was made, or now) gets the jurisdiction's child-protection law
// and hotline; an adult never does. Cases recorded before the question was asked are adults.
enum class AgeGroup { kAdult, kMinorWhenMade, kMinorNow };
std::string_view AgeGroupName(AgeGroup a);  // "adult", "minor_when_made", "minor_now"
std::optional<AgeGroup> ParseAgeGroup(std::string_view name);
bool IsMinor(AgeGroup a);

struct Case {
  int64_t id = 0;
  std::string code;      // public, given to the survivor: "TD-XXXX-XXXX"
  std::string pin_hash;  // Argon2id (libsodium's crypto_pwhash_str format)
  CaseStatus status = CaseStatus::kOpen;
  std::string jurisdiction;              // a legal profile's id ("HK"), or "" (unknown)
  std::string language;                  // a notice template language ("en", "zh-Hant", "ms")
  bool consent_share = false;            // share her hashes with partner platforms
  std::string contact_ciphertext;        // AEAD-sealed contact details, empty when none given
  std::optional<int64_t> assigned_user;  // caseworker
  UnixMillis created_at = 0;
  std::optional<UnixMillis> closed_at;
  bool watch_paused = false;  // no rechecks of its sightings and no crawls for it until resumed
  bool authorised = false;    // she authorised the organisation to request removal for her
  NamedInNotices named_in_notices = NamedInNotices::kNo;
  std::string name_ciphertext;  // AEAD-sealed name she gave to be named by, empty when none
  // The contact she chose to give recipients of notices (kNameAndContact), sealed; never the
  // contact she gave the organisation (contact_ciphertext), which no notice prints.
  std::string notice_contact_ciphertext;
  AgeGroup age = AgeGroup::kAdult;
  // The images were made or altered by AI or other software (her word at intake, or a
  // caseworker's later): notices then cite the statutes' own words for such images.
  bool ai_made = false;
};

enum class MediaKind { kImage, kVideo };
enum class HashOrigin { kSurvivor, kDiscovered };
std::string_view MediaKindName(MediaKind k);
std::string_view HashOriginName(HashOrigin o);

struct MediaHash {
  int64_t id = 0;
  int64_t case_id = 0;
  MediaKind kind = MediaKind::kImage;
  std::string pdq;          // 64 lowercase hex
  int quality = 0;          // 0..100
  std::string md5, sha256;  // lowercase hex, may be empty
  HashOrigin origin = HashOrigin::kSurvivor;
  std::string label;
  UnixMillis created_at = 0;
  // An image's region signals in their text form (matching::RegionsText), "" when it has none.
  std::string regions;
};

// The value a hash is exchanged by with hash-list partners in StopNCII's shape, which has no type
// for one frame of a video: an image's PDQ, a video's file MD5; empty when it is not exchanged (a
// video frame sent without its file's MD5).
std::string_view ExchangedValue(const MediaHash& h);

// A sighting's life (architecture: "the sighting's life"). Every transition is an Event.
enum class SightingState {
  kFound,
  kNotified,
  kOverdue,
  kEscalated,
  kRemoved,
  kReappeared,
  kDismissed
};
std::string_view SightingStateName(SightingState s);
std::optional<SightingState> ParseSightingState(std::string_view name);
// found -> notified -> removed; notified -> overdue -> escalated -> removed; removed -> reappeared
// -> notified; found -> dismissed. Also notified/overdue/escalated -> removed (verified gone) and
// found -> removed (gone before any notice).
bool CanTransition(SightingState from, SightingState to);
// A copy in this state may still be up: found, notified, overdue, escalated, reappeared (not
// removed, not dismissed). The case's open sightings.
bool IsOpen(SightingState s);
// Every state that meets `rule`, in declaration order: for selecting by a rule of this file.
std::vector<SightingState> SightingStatesWhere(bool (*rule)(SightingState));

// Who put the URL on the case: the survivor at intake, a caseworker's paste, or a watched source
// that found her media there (a repost, which waits for a caseworker to confirm or dismiss it).
enum class SightingOrigin { kSurvivor, kCaseworker, kWatch };
std::string_view SightingOriginName(SightingOrigin o);  // "survivor", "caseworker", "watch"
std::optional<SightingOrigin> ParseSightingOrigin(std::string_view name);

struct Sighting {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string url;             // as given
  std::string normalized_url;  // the dedupe key within a case
  std::string platform;        // platforms.toml id, "" when no platform matched
  std::string host;            // registrable domain
  SightingState state = SightingState::kFound;
  UnixMillis first_seen = 0;
  std::optional<UnixMillis> last_checked;
  std::string evidence_json;  // "{}" until discovery records evidence
  SightingOrigin origin = SightingOrigin::kSurvivor;
  bool needs_review = false;  // a repost not yet confirmed by a caseworker
  // The actor who confirmed the link shows her image ("" until one has): what lets a notice
  // name a link that neither matched her hashes nor came from her.
  std::string confirmed_by;
};

enum class RecipientKind { kPlatform, kHost, kRegistrar, kCdn, kRegulator };
std::string_view RecipientKindName(RecipientKind k);
std::optional<RecipientKind> ParseRecipientKind(std::string_view name);

// How a notice reaches its recipient. Each kind has one sender in delivery/; the name is what the
// store, platforms.toml and the JSON API say. "webhook" is read as kApi (an older name for a
// platform's notice API), never written.
enum class ChannelKind { kEmail, kWebForm, kApi };
inline constexpr ChannelKind kChannelKinds[] = {ChannelKind::kWebForm, ChannelKind::kEmail,
                                                ChannelKind::kApi};
std::string_view ChannelKindName(ChannelKind k);  // "email", "web_form", "api"
std::optional<ChannelKind> ParseChannelKind(std::string_view name);
// Whether Takedown sends it itself (email, a notice API) rather than a caseworker filling in a
// web form.
bool SentByUs(ChannelKind k);

// A notice's way through the outbox: drafted -> approved -> sending -> sent (email, webhook), or
// drafted/approved -> submitted (a web form a caseworker filled in); a failed send goes back to
// approved to be retried; a draft or an approved notice may be cancelled.
enum class NoticeState { kDraft, kApproved, kSending, kSent, kSubmitted, kFailed, kCancelled };
std::string_view NoticeStateName(NoticeState s);
std::optional<NoticeState> ParseNoticeState(std::string_view name);
bool CanTransition(NoticeState from, NoticeState to);
// Sent or submitted: it went out, and its deadline runs.
bool WentOut(NoticeState s);
std::vector<NoticeState> NoticeStatesWhere(bool (*rule)(NoticeState));

struct Notice {
  int64_t id = 0;
  int64_t case_id = 0;
  std::vector<int64_t> sighting_ids;
  RecipientKind recipient_kind = RecipientKind::kPlatform;
  std::string recipient;  // platform id, host name, registrar, regulator
  ChannelKind channel = ChannelKind::kWebForm;
  std::string legal_basis;
  std::string body;
  std::string idempotency_key;
  UnixMillis created_at = 0;
  std::optional<UnixMillis> sent_at, deadline;
  std::string outcome;  // "" until known
  NoticeState state = NoticeState::kDraft;
  std::string subject, html;  // body is the text part
  // The subject, text and HTML sealed as one by casework (they name the survivor when she chose
  // to be named): what the store keeps instead of them, so none of her words lie on disk.
  std::string sealed_text;
  std::string address;  // where it goes: an email address, a form or webhook URL
  std::string language = "en";
  std::vector<std::string> missing;  // required elements the profile wants and the draft lacks
  int rung = 0;             // 0 platform, 1 platform again, 2 host, 3 registrar, 4 CDN, 5 regulator
  int deadline_hours = 72;  // counted from sent_at
  std::string approved_by;  // actor
  std::string last_error;   // of the last failed send
  // Replies come back to notice+<reply_token>@<reply domain>: random, so that mail cannot be
  // attached to a notice by guessing its number.
  std::string reply_token;
};

// The notice's reference as its recipient sees it: "N<case>-<first sighting>" for the first
// notice about those sightings, "N<case>-<first sighting>-<rung>" for a later rung of the ladder
// (so each notice a recipient may hold has its own), the same in the text, the subject, the
// webhook and what replies quote. Built from what a draft has before it is stored (it is rendered
// before the store gives it an id), so one function serves both; never the survivor's case code.
// Empty when the notice lists no sighting. Replies are attached by the notice's random reply
// token, not by this reference, which anyone could guess.
std::string NoticeReference(int64_t case_id, const std::vector<int64_t>& sighting_ids,
                            int rung = 0);
std::string NoticeReference(const Notice& notice);

// Append-only audit: who did what to which case, when. Never updated or deleted, except that
// erasing a case removes its events' details (see CaseStore::EraseCase).
struct Event {
  int64_t id = 0;
  std::optional<int64_t> case_id;
  std::string actor;   // "user:12", "survivor", "partner:3", "system"
  std::string action;  // "case.created", "case.read", "sighting.state", ...
  std::string detail_json = "{}";
  UnixMillis at = 0;
};

enum class Role { kAdmin, kCaseworker, kReviewer };
std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view name);

struct User {
  int64_t id = 0;
  std::string username;
  std::string password_hash;  // Argon2id
  Role role = Role::kCaseworker;
  bool disabled = false;
  UnixMillis created_at = 0;
};

struct PartnerClient {
  int64_t id = 0;
  std::string name;
  std::string key_hash;             // SHA-256 hex of the API key (keys are long and random)
  std::vector<std::string> scopes;  // "hashes:read", "match", "feedback"
  bool revoked = false;
  UnixMillis created_at = 0;
};

enum class JobState { kQueued, kRunning, kDone, kFailed };
std::string_view JobStateName(JobState s);

struct Job {
  int64_t id = 0;
  std::string kind;          // "fetch", "recheck", "send", ...
  std::string payload_json;  // kind-specific
  UnixMillis run_at = 0;
  int attempts = 0;
  int max_attempts = 8;
  std::string idempotency_key;  // unique when not empty
  JobState state = JobState::kQueued;
  std::string lease_owner;  // worker id while running
  UnixMillis lease_until = 0;
  std::string last_error;
  std::optional<int64_t> case_id;  // the case it works for, when it works for one (progress)
};

// What a watched source is, which decides how its links are followed (docs/discovery.md).
enum class SourceKind { kPage, kFeed, kSitemap, kChannel };
std::string_view SourceKindName(SourceKind k);  // "page", "feed", "sitemap", "channel"
std::optional<SourceKind> ParseSourceKind(std::string_view name);

// A listing page, RSS/Atom feed, sitemap or public channel preview that discovery crawls on a
// schedule for reposts of a case's media (case_id set) or of every open case's (the
// organisation's: case_id unset).
struct WatchedSource {
  int64_t id = 0;
  std::optional<int64_t> case_id;
  std::string url;
  SourceKind kind = SourceKind::kPage;
  int max_depth = 1;                       // links followed from the source, 0..3
  int max_pages = 50;                      // pages fetched per crawl, 1..1000
  UnixMillis every = 24 * 60 * 60 * 1000;  // between crawls
  bool paused = false;
  std::string created_by;  // actor
  UnixMillis created_at = 0;
  std::optional<UnixMillis> last_crawled;
  std::string last_outcome_json = "{}";  // what the last crawl did (pages, reposts, errors)
  std::string etag, last_modified;       // of the source itself, for a conditional crawl
};

// Delay before a failed job's next attempt: 30 s doubling per attempt, capped at 6 hours.
UnixMillis RetryDelay(int attempts);

}  // namespace takedown::domain
