// Where Takedown keeps its records: one interface, two databases. SQLite (embedded, the default,
// in the data folder, WAL) for one box; PostgreSQL (libpqxx) as the system of record for many
// machines. The only module that speaks SQL.
//
// Every method is one transaction: it happens entirely or not at all, and once it returns OK the
// change is durable (an acknowledged intake survives a crash the moment after). Times are passed
// in by the caller (from the Clock), never read here. Errors: kNotFound, kAlreadyExists,
// kFailedPrecondition, kUnavailable (the database is down or busy past its timeout), kInternal.
//
// Thread-safety: a Store may be used from many threads at once (each implementation serialises
// or pools connections as it needs).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/entities.h"
#include "stats/stats.h"

namespace takedown::store {

// A new case as intake hands it over, with everything that must be stored with it atomically.
struct NewCase {
  std::string code;
  std::string pin_hash;
  std::string jurisdiction, language;
  bool consent_share = false;
  bool authorised = false;  // the organisation may request removal on her behalf
  std::string contact_ciphertext;
  domain::NamedInNotices named_in_notices = domain::NamedInNotices::kNo;
  std::string name_ciphertext;
  std::vector<domain::MediaHash> hashes;    // id and case_id are assigned
  std::vector<domain::Sighting> sightings;  // id and case_id are assigned; already deduplicated
  UnixMillis now = 0;
};

// The queue's views of what needs a caseworker (docs/web.md, the dashboard's queue):
//   waiting     a notice went out and its deadline has not passed; its sighting still shows her
//               media (notified, or escalated with the next rung's notice out)
//   overdue     a sighting is overdue, or a notice's deadline passed while its sighting still
//               shows her media and no later notice's deadline is running (discovery may not
//               have moved it to overdue yet: the caseworker should not wait for that)
//   reappeared  a removed copy came back, or a watched source found a repost not yet reviewed
enum class Attention { kWaiting, kOverdue, kReappeared };
std::optional<Attention> ParseAttention(std::string_view name);

struct CaseFilter {
  std::optional<domain::CaseStatus> status;
  std::optional<int64_t> assigned_user;  // "mine"
  bool unassigned_only = false;          // "new"
  std::string code_prefix;               // search by case code
  std::optional<Attention> attention;
  UnixMillis now = 0;  // what deadlines are measured against (the Clock's now)
  int limit = 50;      // 1..500
  int offset = 0;
};

// Per case in the queue, measured at CaseFilter::now (see Attention).
struct CaseAttention {
  int waiting = 0;                          // sightings whose notice's deadline runs
  std::optional<UnixMillis> next_deadline;  // the nearest of those deadlines
  int overdue = 0;                          // sightings past their deadline
  int reappeared = 0;                       // sightings in state reappeared
  int reposts = 0;                          // reposts waiting for review (confirm or dismiss)
};

// What a survivor's status page and the case queue show: counts, never URLs.
struct CaseCounts {
  int hashes = 0;
  int urls_found = 0;      // sightings not dismissed
  int notified = 0;        // sightings ever notified (notified, overdue, escalated, removed after)
  int removed = 0;         // sightings in state removed
  int open_sightings = 0;  // found, notified, overdue, escalated, reappeared
};

// Totals over every case: what the dashboard's front page shows.
struct Overview {
  int64_t open_cases = 0;
  int64_t closed_cases = 0;
  int64_t hashes = 0;
  std::map<std::string, int64_t> sightings_by_state;  // state name -> count; absent when 0
  int64_t notices = 0;
  int64_t notices_sent = 0;
};

struct CaseSummary {
  domain::Case c;
  CaseCounts counts;
  CaseAttention attention;
};

// One entry of the partner hash feed: an added hash (of a consenting case) or its deletion.
struct HashChange {
  int64_t cursor = 0;  // strictly increasing; pass the last one seen as `since`
  int64_t hash_id = 0;
  bool deleted = false;
  std::string pdq;  // empty for deletions
  int quality = 0;
  domain::MediaKind kind = domain::MediaKind::kImage;
  UnixMillis at = 0;
};

// Per-key failure counting for PIN guessing (keys like "case:17" or "addr:203.0.113.5").
struct Throttle {
  int failures = 0;  // within the current window
  UnixMillis window_start = 0;
  UnixMillis locked_until = 0;  // 0: not locked
};

struct Session {
  std::string token_hash;  // SHA-256 hex of the cookie value (the cookie itself is never stored)
  int64_t user_id = 0;
  std::string csrf_token;
  UnixMillis expires_at = 0;
};

struct Note {
  int64_t id = 0;
  int64_t case_id = 0;
  int64_t author_user = 0;
  std::string ciphertext;  // AEAD-sealed
  UnixMillis at = 0;
  // A message to the survivor, shown on her status page; otherwise staff-only.
  bool to_survivor = false;
};

struct Feedback {
  int64_t partner_id = 0;
  int64_t hash_id = 0;
  std::string verdict;  // "removed", "not_found", "not_violating", "matched"
  std::string url;      // optional
  UnixMillis at = 0;
};

// The result of adding one URL line to a case.
struct AddedSighting {
  int64_t sighting_id = 0;
  bool duplicate = false;  // the case already had this normalised URL (sighting_id is that one)
};

// Mail that came back about a notice (a person's answer, an auto-reply, a bounce). The sender,
// subject and text are sealed by casework: the store sees ciphertext only.
struct Reply {
  int64_t id = 0;
  int64_t notice_id = 0;
  int64_t case_id = 0;
  std::string message_id;  // the reply's own Message-ID: one reply is stored once per notice
  std::string kind;        // "human", "auto_reply", "bounce"
  UnixMillis received_at = 0;
  std::string ciphertext;
};

// Where the reply poller stopped reading a mailbox.
struct MailboxCursor {
  int64_t uidvalidity = 0;  // 0 before the first read
  int64_t last_uid = 0;
};

// What a notice's move records (see Store::MoveNotice).
struct NoticeMove {
  UnixMillis at = 0;
  std::string actor;  // the approver, for approved
  std::string error;  // why, for failed
};

// A case's discovery work in the job queue: what its crawl progress shows.
struct JobProgress {
  int queued = 0, running = 0, done = 0, failed = 0;
  std::optional<UnixMillis> next_run;  // the earliest queued job's time
  std::vector<domain::Job> failures;   // failed for good, newest first, at most 20
};

class Store {
 public:
  virtual ~Store() = default;

  // "sqlite:PATH" (file created if missing) or "postgresql://..." / "postgres://...". Applies
  // pending migrations before returning; safe when several processes open at once (PostgreSQL
  // takes an advisory lock around migrating).
  static Result<std::unique_ptr<Store>> Open(const std::string& url);
  // The schema version after migration, and which database this is ("sqlite", "postgresql").
  virtual int SchemaVersion() = 0;
  virtual std::string Backend() const = 0;

  // --- cases
  // Stores the case, its hashes (and their partner-feed entries when consent_share), its
  // sightings and a "case.created" event, atomically. kAlreadyExists if the code is taken.
  virtual Result<int64_t> CreateCase(const NewCase& c) = 0;
  virtual Result<domain::Case> GetCase(int64_t id) = 0;
  virtual Result<domain::Case> FindCaseByCode(const std::string& code) = 0;
  virtual Result<CaseCounts> CountCase(int64_t id) = 0;
  virtual Result<std::vector<CaseSummary>> ListCases(const CaseFilter& filter) = 0;
  virtual Status AssignCase(int64_t id, std::optional<int64_t> user,
                            const domain::Event& event) = 0;
  virtual Status SetCaseStatus(int64_t id, domain::CaseStatus status, UnixMillis now,
                               const domain::Event& event) = 0;
  // Deletes the case and everything of it (hashes, sightings, notices, notes, throttles), adds
  // a deletion to the partner feed for each hash that was shared, and blanks the detail of its
  // events (keeping who/what/when so the audit trail shows an erasure happened). kNotFound if gone.
  virtual Status EraseCase(int64_t id, const domain::Event& event) = 0;

  // --- hashes
  virtual Result<std::vector<domain::MediaHash>> ListHashes(int64_t case_id) = 0;
  // Hashes of consenting cases, for loading the partner match bank: those with id > after_id,
  // ascending, at most limit.
  virtual Result<std::vector<domain::MediaHash>> SharedHashes(int64_t after_id, int limit) = 0;
  // The partner feed after `since`, ascending, at most limit.
  virtual Result<std::vector<HashChange>> HashChanges(int64_t since, int limit) = 0;

  // --- sightings
  // Adds each sighting to the case unless its normalized_url is already there; one result per
  // input, in order. Writes a "sighting.added" event per new one.
  virtual Result<std::vector<AddedSighting>> AddSightings(int64_t case_id,
                                                          const std::vector<domain::Sighting>& s,
                                                          const std::string& actor,
                                                          UnixMillis now) = 0;
  virtual Result<std::vector<domain::Sighting>> ListSightings(int64_t case_id) = 0;
  // kFailedPrecondition if domain::CanTransition(current, to) is false; writes `event`.
  virtual Status TransitionSighting(int64_t sighting_id, domain::SightingState to,
                                    const domain::Event& event) = 0;

  virtual Result<domain::Sighting> GetSighting(int64_t sighting_id) = 0;  // kNotFound
  // Ids of sightings never checked (last_checked unset) and not dismissed, ascending, after
  // `after_id`, at most limit.
  virtual Result<std::vector<int64_t>> UncheckedSightings(int64_t after_id, int limit) = 0;
  // Records what a check of the sighting's URL saw (evidence, last_checked) and, when `to` is
  // set, moves it there in the same transaction (kFailedPrecondition when CanTransition says no,
  // and then nothing is recorded). Writes `event`.
  virtual Status RecordSightingCheck(int64_t sighting_id, const std::string& evidence_json,
                                     UnixMillis checked_at, std::optional<domain::SightingState> to,
                                     const domain::Event& event) = 0;

  // A caseworker confirmed a repost found by a watched source (needs_review off). Writes `event`.
  virtual Status ConfirmSighting(int64_t sighting_id, const domain::Event& event) = 0;

  // --- watching (discovery)
  // Pauses or resumes rechecks and crawls for the case. kNotFound. Writes `event`.
  virtual Status SetCaseWatchPaused(int64_t case_id, bool paused, const domain::Event& event) = 0;
  // kAlreadyExists when the case (or the organisation) already watches that URL; kNotFound when
  // the case is gone. Writes `event`.
  virtual Result<int64_t> CreateWatchedSource(const domain::WatchedSource& source,
                                              const domain::Event& event) = 0;
  virtual Result<domain::WatchedSource> GetWatchedSource(int64_t id) = 0;  // kNotFound
  // The case's sources, or the organisation's when case_id is unset; oldest first.
  virtual Result<std::vector<domain::WatchedSource>> ListWatchedSources(
      std::optional<int64_t> case_id) = 0;
  virtual Status SetWatchedSourcePaused(int64_t id, bool paused, const domain::Event& event) = 0;
  virtual Status DeleteWatchedSource(int64_t id, const domain::Event& event) = 0;
  // What a crawl of the source did, and its validators for the next, conditional, crawl.
  virtual Status RecordCrawl(int64_t id, UnixMillis at, const std::string& outcome_json,
                             const std::string& etag, const std::string& last_modified) = 0;
  // Hashes of open cases whose watching is not paused (what the organisation's sources are
  // matched against): id > after_id, ascending, at most limit.
  virtual Result<std::vector<domain::MediaHash>> WatchedHashes(int64_t after_id, int limit) = 0;
  // The case's jobs by state (jobs enqueued with its case_id).
  virtual Result<JobProgress> CaseJobProgress(int64_t case_id) = 0;

  // --- notes (ciphertext) and events
  // `event`, when given, is appended in the same transaction (a message to the survivor is
  // audited; the event must not carry the text).
  virtual Result<int64_t> AddNote(const Note& note, const std::optional<domain::Event>& event) = 0;
  // Oldest first, staff notes and messages to the survivor alike.
  virtual Result<std::vector<Note>> ListNotes(int64_t case_id) = 0;
  virtual Status AppendEvent(const domain::Event& event) = 0;
  // Newest first, at most limit.
  virtual Result<std::vector<domain::Event>> ListEvents(std::optional<int64_t> case_id,
                                                        int limit) = 0;

  // --- notices (kept here; sending them is a later module's job)
  // Stores the notice with links to its sightings, which must all belong to its case
  // (kInvalidArgument otherwise), and writes `event`. When notice.idempotency_key is set and a
  // notice with that key exists, returns that notice's id and changes nothing.
  virtual Result<int64_t> CreateNotice(const domain::Notice& notice,
                                       const domain::Event& event) = 0;
  // Oldest first, each with its sighting ids.
  virtual Result<std::vector<domain::Notice>> ListNotices(int64_t case_id) = 0;
  virtual Result<domain::Notice> GetNotice(int64_t id) = 0;  // kNotFound
  // Notices in `state`, oldest first (the outbox's recovery looks for "sending" ones).
  virtual Result<std::vector<domain::Notice>> NoticesInState(domain::NoticeState state,
                                                             int limit) = 0;
  // Moves the notice through the outbox: kFailedPrecondition when domain::CanTransition says no
  // (so two workers cannot both take an approved notice to sending). To approved: records
  // move.actor as the approver and clears the last error; to failed: records move.error; to sent
  // or submitted: sent_at = move.at, deadline = move.at + its deadline_hours, and its sightings
  // that can be are moved to notified (an Event "sighting.notified" each). Writes `event`.
  virtual Status MoveNotice(int64_t id, domain::NoticeState to, const NoticeMove& move,
                            const domain::Event& event) = 0;

  // The notice whose reply address carries `token`, or whose idempotency key is `key`: kNotFound.
  virtual Result<domain::Notice> FindNoticeByReplyToken(const std::string& token) = 0;
  virtual Result<domain::Notice> FindNoticeByKey(const std::string& idempotency_key) = 0;
  // How many notices went out (sent or submitted) to this address: whether it was contacted
  // before.
  virtual Result<int64_t> CountNoticesOutTo(const std::string& address) = 0;
  // Stores a reply to a notice and writes `event`; false (and nothing written) when the notice
  // already has a reply with that Message-ID. kNotFound when the notice is gone.
  virtual Result<bool> AddReply(const Reply& reply, const domain::Event& event) = 0;
  // The case's replies, oldest first.
  virtual Result<std::vector<Reply>> ListReplies(int64_t case_id) = 0;
  virtual Result<MailboxCursor> GetMailboxCursor(const std::string& mailbox) = 0;  // zeros: none
  virtual Status PutMailboxCursor(const std::string& mailbox, const MailboxCursor& cursor) = 0;

  // --- the organisation's settings (key -> value; casework gives them meaning)
  virtual Result<std::map<std::string, std::string>> GetSettings() = 0;
  // Sets (or, with an empty value, removes) one setting and writes `event`.
  virtual Status PutSetting(const std::string& key, const std::string& value,
                            const domain::Event& event) = 0;

  // --- statistics
  // The facts of [from, to) for the statistics (stats/stats.h): cases created, URLs found and
  // notices sent in it, each with what happened to it since (up to now).
  virtual Result<stats::Facts> StatsFacts(UnixMillis from, UnixMillis to) = 0;

  // --- totals across all cases, for the dashboard
  virtual Result<Overview> GetOverview() = 0;

  // --- users and sessions
  virtual Result<int64_t> CreateUser(const domain::User& user) = 0;  // kAlreadyExists
  virtual Result<domain::User> GetUser(int64_t id) = 0;
  virtual Result<domain::User> FindUser(const std::string& username) = 0;
  virtual Result<std::vector<domain::User>> ListUsers() = 0;
  virtual Result<int64_t> CountUsers() = 0;
  // Disables (or re-enables) an account and writes `event` in the same transaction; kNotFound.
  virtual Status SetUserDisabled(int64_t id, bool disabled, const domain::Event& event) = 0;
  virtual Status CreateSession(const Session& s) = 0;
  virtual Result<Session> FindSession(const std::string& token_hash, UnixMillis now) = 0;  // live
  virtual Status DeleteSession(const std::string& token_hash) = 0;

  // --- partners
  virtual Result<int64_t> CreatePartner(const domain::PartnerClient& p) = 0;
  virtual Result<domain::PartnerClient> FindPartnerByKeyHash(const std::string& key_hash) = 0;
  virtual Result<std::vector<domain::PartnerClient>> ListPartners() = 0;
  // Marks a partner's key revoked for good (there is no un-revoke: a new key is made instead) and
  // writes `event` in the same transaction; kNotFound. Revoking twice is not an error.
  virtual Status RevokePartner(int64_t id, const domain::Event& event) = 0;
  virtual Status AddFeedback(const Feedback& f) = 0;

  // --- PIN throttling
  virtual Result<Throttle> GetThrottle(const std::string& key) = 0;  // zeros when none
  virtual Status PutThrottle(const std::string& key, const Throttle& t) = 0;
  virtual Status ClearThrottle(const std::string& key) = 0;

  // --- jobs: a durable queue shared by any number of workers
  // Enqueues; when job.idempotency_key is set and a job with that key exists, returns that job's
  // id and changes nothing.
  virtual Result<int64_t> EnqueueJob(const domain::Job& job) = 0;
  // Claims the queued job of one of `kinds` (all kinds when empty) with the earliest run_at <=
  // now, or a running one whose lease expired (a crashed worker's); sets it running under
  // `worker` until now + lease, and counts the attempt. On PostgreSQL with FOR UPDATE SKIP
  // LOCKED, so concurrent workers never claim the same job. nullopt when nothing is due.
  virtual Result<std::optional<domain::Job>> ClaimJob(const std::vector<std::string>& kinds,
                                                      const std::string& worker, UnixMillis now,
                                                      UnixMillis lease) = 0;
  // Both kFailedPrecondition unless the job is running under `worker` (a lease lost to another
  // worker must not be completed twice).
  virtual Status CompleteJob(int64_t id, const std::string& worker) = 0;
  // Back to queued at now + domain::RetryDelay(attempts), or failed for good once attempts
  // reach max_attempts.
  virtual Status FailJob(int64_t id, const std::string& worker, const std::string& error,
                         UnixMillis now) = 0;
  virtual Result<domain::Job> GetJob(int64_t id) = 0;
};

}  // namespace takedown::store
