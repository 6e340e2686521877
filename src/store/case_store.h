// The case file: a case, its hashes, its notes (sealed by casework) and its audit trail.
//
// A role of the Store (store/store.h), which says what every method promises: one transaction,
// durable on OK, times passed in, the same error codes. Consumers take the roles they use.
//
// Thread-safety: implementations may be used from many threads at once.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/attention.h"
#include "domain/entities.h"

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
  std::string notice_contact_ciphertext;  // her contact for notices, apart from `contact`
  domain::AgeGroup age = domain::AgeGroup::kAdult;
  bool ai_made = false;
  std::vector<domain::MediaHash> hashes;    // id and case_id are assigned
  std::vector<domain::Sighting> sightings;  // id and case_id are assigned; already deduplicated
  UnixMillis now = 0;
};

// The queue's views and their rules are domain's (domain/attention.h).
using domain::Attention;
using domain::CaseAttention;
using domain::ParseAttention;

// The action of the audit event that records a read of a case (casework writes one for every
// read): the queue's last activity leaves them out.
inline constexpr std::string_view kCaseReadAction = "case.read";

struct CaseFilter {
  std::optional<domain::CaseStatus> status;
  std::optional<int64_t> assigned_user;  // "mine"
  bool unassigned_only = false;          // "new"
  // Cases matching any of: a case code from its start, with or without its "TD-" prefix; a piece
  // of one of its sightings' web addresses; a platform id of one of its sightings. Any case.
  std::string search;
  std::optional<Attention> attention;
  UnixMillis now = 0;  // what deadlines are measured against (the Clock's now)
  int limit = 50;      // 1..500
  int offset = 0;
};

// What a survivor's status page and the case queue show: counts, never URLs.
struct CaseCounts {
  int hashes = 0;
  int urls_found = 0;      // sightings not dismissed
  int notified = 0;        // sightings ever notified (notified, overdue, escalated, removed after)
  int removed = 0;         // sightings in state removed
  int open_sightings = 0;  // found, notified, overdue, escalated, reappeared
};

struct CaseSummary {
  domain::Case c;
  CaseCounts counts;
  CaseAttention attention;
  std::string assignee;          // the assigned account's username; "" when nobody
  UnixMillis last_activity = 0;  // its newest event that changed something (reads do not count)
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

// A survivor's case: created at intake with its hashes, found by code, listed in the queue,
// assigned, closed, erased; and its notes.
class CaseStore {
 public:
  virtual ~CaseStore() = default;

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
  // What a caseworker learned after intake: the person's age and whether the images were made
  // or altered by AI (they choose the law notices cite). kNotFound if the case is gone.
  // Changes the language her case is worked in (her status page, its notices) and writes `event`.
  // kNotFound.
  virtual Status SetCaseLanguage(int64_t id, const std::string& language,
                                 const domain::Event& event) = 0;
  virtual Status SetCaseAgeAndAi(int64_t id, domain::AgeGroup age, bool ai_made,
                                 const domain::Event& event) = 0;
  // Deletes the case and everything of it (hashes, sightings, notices, notes, throttles), adds
  // a deletion to the partner feed for each hash that was shared, and blanks the detail of its
  // events (keeping who/what/when so the audit trail shows an erasure happened). kNotFound if gone.
  virtual Status EraseCase(int64_t id, const domain::Event& event) = 0;
  virtual Result<std::vector<domain::MediaHash>> ListHashes(int64_t case_id) = 0;
  // `event`, when given, is appended in the same transaction (a message to the survivor is
  // audited; the event must not carry the text).
  virtual Result<int64_t> AddNote(const Note& note, const std::optional<domain::Event>& event) = 0;
  // Oldest first, staff notes and messages to the survivor alike.
  virtual Result<std::vector<Note>> ListNotes(int64_t case_id) = 0;
};

// The append-only record of who did what to which case, when.
class AuditLog {
 public:
  virtual ~AuditLog() = default;

  virtual Status AppendEvent(const domain::Event& event) = 0;
  // Newest first, at most limit.
  virtual Result<std::vector<domain::Event>> ListEvents(std::optional<int64_t> case_id,
                                                        int limit) = 0;
};

}  // namespace takedown::store
