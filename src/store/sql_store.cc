#include "store/sql_store.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "domain/sighting_jobs.h"

namespace takedown::store {
namespace {

using domain::SightingState;

constexpr std::string_view kCaseColumns =
    "id, code, pin_hash, status, jurisdiction, language, consent_share, contact_ciphertext, "
    "assigned_user, created_at, closed_at, watch_paused, authorised, named_in_notices, "
    "name_ciphertext, notice_contact_ciphertext, age, ai_made";
constexpr size_t kCaseColumnCount = 18;  // ReadCase's; the counts follow them in ListCases
constexpr std::string_view kHashColumns =
    "id, case_id, kind, pdq, quality, md5, sha256, origin, label, created_at, regions";
constexpr std::string_view kSightingColumns =
    "id, case_id, url, normalized_url, platform, host, state, first_seen, last_checked, "
    "evidence_json, origin, needs_review, confirmed_by";

// The five CaseCounts of the case whose id is `id` (an SQL expression), as columns.
std::string CountColumns(std::string_view id) {
  const std::string of = " WHERE case_id = " + std::string(id);
  const std::string dismissed = SqlName(domain::SightingStateName(SightingState::kDismissed));
  const std::string removed = SqlName(domain::SightingStateName(SightingState::kRemoved));
  return "(SELECT COUNT(*) FROM media_hashes" + of + "), " + "(SELECT COUNT(*) FROM sightings" +
         of + " AND state <> " + dismissed + "), " + "(SELECT COUNT(*) FROM sightings" + of +
         " AND notified_ever = 1), " + "(SELECT COUNT(*) FROM sightings" + of +
         " AND state = " + removed + "), " + "(SELECT COUNT(*) FROM sightings" + of +
         " AND state IN " + SqlNames(domain::SightingStatesWhere(domain::IsOpen)) + ")";
}

domain::MediaKind ParseKind(const std::string& name) {
  if (name == domain::MediaKindName(domain::MediaKind::kVideo)) return domain::MediaKind::kVideo;
  return Known(name == domain::MediaKindName(domain::MediaKind::kImage)
                   ? std::optional(domain::MediaKind::kImage)
                   : std::nullopt);
}

domain::HashOrigin ParseOrigin(const std::string& name) {
  using domain::HashOrigin;
  if (name == domain::HashOriginName(HashOrigin::kDiscovered)) return HashOrigin::kDiscovered;
  return Known(name == domain::HashOriginName(HashOrigin::kSurvivor)
                   ? std::optional(HashOrigin::kSurvivor)
                   : std::nullopt);
}

domain::Case ReadCase(const Row& r) {
  domain::Case c;
  c.id = r.Int(0);
  c.code = r.Text(1);
  c.pin_hash = r.Text(2);
  c.status = Known(domain::ParseCaseStatus(r.Text(3)));
  c.jurisdiction = r.Text(4);
  c.language = r.Text(5);
  c.consent_share = r.Flag(6);
  c.contact_ciphertext = r.Text(7);
  c.assigned_user = r.OptInt(8);
  c.created_at = r.Int(9);
  c.closed_at = r.OptInt(10);
  c.watch_paused = r.Flag(11);
  c.authorised = r.Flag(12);
  c.named_in_notices = static_cast<domain::NamedInNotices>(std::clamp(r.IntSmall(13), 0, 2));
  c.name_ciphertext = r.Text(14);
  c.notice_contact_ciphertext = r.Text(15);
  c.age = Known(domain::ParseAgeGroup(r.Text(16)));
  c.ai_made = r.Flag(17);
  return c;
}

CaseCounts ReadCounts(const Row& r, size_t first) {
  return {r.IntSmall(first), r.IntSmall(first + 1), r.IntSmall(first + 2), r.IntSmall(first + 3),
          r.IntSmall(first + 4)};
}

domain::Sighting ReadSighting(const Row& r) {
  domain::Sighting s;
  s.id = r.Int(0);
  s.case_id = r.Int(1);
  s.url = r.Text(2);
  s.normalized_url = r.Text(3);
  s.platform = r.Text(4);
  s.host = r.Text(5);
  s.state = Known(domain::ParseSightingState(r.Text(6)));
  s.first_seen = r.Int(7);
  s.last_checked = r.OptInt(8);
  s.evidence_json = r.Text(9);
  s.origin = Known(domain::ParseSightingOrigin(r.Text(10)));
  s.needs_review = r.Flag(11);
  s.confirmed_by = r.Text(12);
  return s;
}

bool WasNotified(SightingState s) {
  return s == SightingState::kNotified || s == SightingState::kOverdue ||
         s == SightingState::kEscalated;
}

// The new sighting's id, or nullopt when the case already has its normalised URL.
std::optional<int64_t> InsertSighting(Tx& tx, int64_t case_id, const domain::Sighting& s) {
  Rows r = tx.Query(
      "INSERT INTO sightings (case_id, url, normalized_url, platform, host, state, notified_ever, "
      "first_seen, last_checked, evidence_json, origin, needs_review, confirmed_by) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
      "ON CONFLICT (case_id, normalized_url) DO NOTHING RETURNING id",
      {case_id, s.url, s.normalized_url, s.platform, s.host,
       std::string(domain::SightingStateName(s.state)), int64_t{WasNotified(s.state)}, s.first_seen,
       NullableInt(s.last_checked), s.evidence_json.empty() ? std::string("{}") : s.evidence_json,
       std::string(domain::SightingOriginName(s.origin)), int64_t{s.needs_review}, s.confirmed_by});
  if (r.empty()) return std::nullopt;
  const int64_t id = r[0].Int(0);
  // In the same transaction: a sighting is never committed without its first check queued, even
  // if the process dies the moment after.
  InsertJob(tx, domain::SightingCheckJob(id, case_id, s.first_seen, "added"));
  return id;
}

}  // namespace

std::string SqlName(std::string_view name) { return "'" + std::string(name) + "'"; }

namespace {

template <typename State>
std::string QuotedList(const std::vector<State>& states, std::string_view (*name)(State)) {
  std::string out = "(";
  for (size_t i = 0; i < states.size(); ++i) out += (i ? ", " : "") + SqlName(name(states[i]));
  return out + ")";
}

}  // namespace

std::string SqlNames(const std::vector<domain::SightingState>& states) {
  return QuotedList(states, domain::SightingStateName);
}

std::string SqlNames(const std::vector<domain::NoticeState>& states) {
  return QuotedList(states, domain::NoticeStateName);
}

std::string CaseRowsSql(const std::string& condition) {
  return "SELECT " + std::string(kCaseColumns) + ", " + CountColumns("c.id") +
         " FROM cases c WHERE " + condition + " ORDER BY created_at DESC, id DESC";
}

CaseSummary ReadCaseSummary(const Row& r, const CaseAttention& attention) {
  return {ReadCase(r), ReadCounts(r, kCaseColumnCount), attention, "", 0};
}

// Locks the case's row against a concurrent erase; false when there is no such case.
bool LockCase(Tx& tx, const Dialect& d, int64_t id) {
  return !tx.Query("SELECT id FROM cases WHERE id = $1" + std::string(d.for_update), {id}).empty();
}

Status NoCase() { return NotFound("there is no case with that id"); }

domain::MediaHash ReadHash(const Row& r) {
  domain::MediaHash h;
  h.id = r.Int(0);
  h.case_id = r.Int(1);
  h.kind = ParseKind(r.Text(2));
  h.pdq = r.Text(3);
  h.quality = r.IntSmall(4);
  h.md5 = r.Text(5);
  h.sha256 = r.Text(6);
  h.origin = ParseOrigin(r.Text(7));
  h.label = r.Text(8);
  h.created_at = r.Int(9);
  h.regions = r.Text(10);
  return h;
}

void InsertEvent(Tx& tx, const domain::Event& e, std::optional<int64_t> case_id) {
  tx.Query(
      "INSERT INTO events (case_id, actor, action, detail_json, at) VALUES ($1, $2, $3, $4, $5)",
      {NullableInt(e.case_id ? e.case_id : case_id), e.actor, e.action,
       e.detail_json.empty() ? std::string("{}") : e.detail_json, e.at});
}

Result<int64_t> SqlStore::CreateCase(const NewCase& c) {
  return InTx<int64_t>(TxMode::kWrite, [&](Tx& tx) -> Result<int64_t> {
    Rows inserted = tx.Query(
        "INSERT INTO cases (code, pin_hash, status, jurisdiction, language, consent_share, "
        "contact_ciphertext, created_at, authorised, named_in_notices, name_ciphertext, "
        "notice_contact_ciphertext, age, ai_made) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
        "ON CONFLICT (code) DO NOTHING RETURNING id",
        {c.code, c.pin_hash, std::string(domain::CaseStatusName(domain::CaseStatus::kOpen)),
         c.jurisdiction, c.language, int64_t{c.consent_share}, c.contact_ciphertext, c.now,
         int64_t{c.authorised}, static_cast<int64_t>(c.named_in_notices), c.name_ciphertext,
         c.notice_contact_ciphertext, std::string(domain::AgeGroupName(c.age)),
         int64_t{c.ai_made}});
    if (inserted.empty()) return AlreadyExists("a case with that code already exists");
    const int64_t id = inserted[0].Int(0);
    const bool share = c.consent_share && !c.hashes.empty();
    // Taken before the hashes are inserted, so shared hashes' ids too are handed out in commit
    // order (SharedHashes pages by id).
    if (share && !db_->dialect().lock_feed.empty()) tx.Query(db_->dialect().lock_feed);
    std::vector<domain::MediaHash> stored = c.hashes;
    for (domain::MediaHash& h : stored) {
      const std::string kind(domain::MediaKindName(h.kind));
      h.id = tx.Query(
                   "INSERT INTO media_hashes (case_id, kind, pdq, quality, md5, sha256, origin, "
                   "label, created_at, regions) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                   "RETURNING id",
                   {id, kind, h.pdq, int64_t{h.quality}, h.md5, h.sha256,
                    std::string(domain::HashOriginName(h.origin)), h.label, c.now, h.regions})[0]
                 .Int(0);
      if (share) {
        tx.Query(
            "INSERT INTO hash_feed (hash_id, deleted, pdq, quality, kind, at) "
            "VALUES ($1, 0, $2, $3, $4, $5)",
            {h.id, h.pdq, int64_t{h.quality}, kind, c.now});
      }
    }
    if (share) ShareExchangedValues(tx, stored, c.now);
    for (const domain::Sighting& s : c.sightings) InsertSighting(tx, id, s);
    InsertEvent(tx, {0, id, "survivor", "case.created",
                     "{\"hashes\":" + std::to_string(c.hashes.size()) +
                         ",\"urls\":" + std::to_string(c.sightings.size()) + "}",
                     c.now});
    return id;
  });
}

Result<domain::Case> SqlStore::GetCase(int64_t id) {
  return InTx<domain::Case>(TxMode::kRead, [&](Tx& tx) -> Result<domain::Case> {
    Rows r = tx.Query("SELECT " + std::string(kCaseColumns) + " FROM cases WHERE id = $1", {id});
    if (r.empty()) return NoCase();
    return ReadCase(r[0]);
  });
}

Result<domain::Case> SqlStore::FindCaseByCode(const std::string& code) {
  return InTx<domain::Case>(TxMode::kRead, [&](Tx& tx) -> Result<domain::Case> {
    Rows r =
        tx.Query("SELECT " + std::string(kCaseColumns) + " FROM cases WHERE code = $1", {code});
    if (r.empty()) return NotFound("there is no case with that code");
    return ReadCase(r[0]);
  });
}

Result<CaseCounts> SqlStore::CountCase(int64_t id) {
  return InTx<CaseCounts>(TxMode::kRead, [&](Tx& tx) -> Result<CaseCounts> {
    Rows r = tx.Query("SELECT " + CountColumns("c.id") + " FROM cases c WHERE c.id = $1", {id});
    if (r.empty()) return NoCase();
    return ReadCounts(r[0], 0);
  });
}

Status SqlStore::AssignCase(int64_t id, std::optional<int64_t> user, const domain::Event& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (user && tx.Query("SELECT id FROM users WHERE id = $1", {*user}).empty()) {
      return NotFound("there is no user with that id");
    }
    if (tx.Query("UPDATE cases SET assigned_user = $2 WHERE id = $1 RETURNING id",
                 {id, NullableInt(user)})
            .empty()) {
      return NoCase();
    }
    InsertEvent(tx, event, id);
    return Status::Ok();
  });
}

Status SqlStore::SetCaseStatus(int64_t id, domain::CaseStatus status, UnixMillis now,
                               const domain::Event& event) {
  const Param closed_at = status == domain::CaseStatus::kClosed ? Param(now) : Param(nullptr);
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (tx.Query("UPDATE cases SET status = $2, closed_at = $3 WHERE id = $1 RETURNING id",
                 {id, std::string(domain::CaseStatusName(status)), closed_at})
            .empty()) {
      return NoCase();
    }
    InsertEvent(tx, event, id);
    return Status::Ok();
  });
}

Status SqlStore::EraseCase(int64_t id, const domain::Event& event) {
  const Dialect& d = db_->dialect();
  const Status erased = db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    Rows c =
        tx.Query("SELECT consent_share FROM cases WHERE id = $1" + std::string(d.for_update), {id});
    if (c.empty()) return NoCase();
    const std::string of_case = " WHERE case_id = $1";
    const std::string hashes = "(SELECT id FROM media_hashes" + of_case + ")";
    if (c[0].Flag(0)) {
      if (!d.lock_feed.empty()) tx.Query(d.lock_feed);
      // The earlier additions go too, so a partner reading the feed from the start never sees
      // an erased hash; partners that saw one get its deletion.
      tx.Query("DELETE FROM hash_feed WHERE hash_id IN " + hashes, {id});
      tx.Query(
          "INSERT INTO hash_feed (hash_id, deleted, pdq, quality, kind, at) "
          "SELECT id, 1, '', 0, kind, CAST($2 AS BIGINT) FROM media_hashes" +
              of_case + " ORDER BY id",
          {id, event.at});
      WithdrawExchangedValues(tx, id, event.at);
    }
    tx.Query("DELETE FROM feedback WHERE hash_id IN " + hashes, {id});
    tx.Query("DELETE FROM notice_replies" + of_case, {id});
    tx.Query(
        "DELETE FROM notice_sightings WHERE notice_id IN (SELECT id FROM notices" + of_case + ")",
        {id});
    for (const char* table :
         {"notices", "notes", "sightings", "media_hashes", "watched_sources", "jobs"}) {
      tx.Query("DELETE FROM " + std::string(table) + of_case, {id});
    }
    tx.Query("DELETE FROM throttles WHERE key = $1", {"case:" + std::to_string(id)});
    tx.Query("DELETE FROM cases WHERE id = $1", {id});
    tx.Query("UPDATE events SET detail_json = '{}'" + of_case, {id});
    InsertEvent(tx, event, id);
    return Status::Ok();
  });
  if (!erased.ok()) return erased;
  // Erased is erased: a log still holding her pages must not wait for a later checkpoint. The
  // rows are gone either way, so a busy log is reported, not the erase undone.
  if (Status forgot = db_->ForgetDeleted(); !forgot.ok()) {
    std::fprintf(stderr, "warning: after erasing case %lld: %s\n", static_cast<long long>(id),
                 forgot.message().c_str());
  }
  return Status::Ok();
}

Result<std::vector<domain::MediaHash>> SqlStore::ListHashes(int64_t case_id) {
  return InTx<std::vector<domain::MediaHash>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<domain::MediaHash>> {
        std::vector<domain::MediaHash> out;
        for (const Row& r : tx.Query("SELECT " + std::string(kHashColumns) +
                                         " FROM media_hashes WHERE case_id = $1 ORDER BY id",
                                     {case_id})) {
          out.push_back(ReadHash(r));
        }
        return out;
      });
}

Result<std::vector<domain::MediaHash>> SqlStore::SharedHashes(int64_t after_id, int limit) {
  return InTx<std::vector<domain::MediaHash>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<domain::MediaHash>> {
        std::vector<domain::MediaHash> out;
        for (const Row& r :
             tx.Query("SELECT h.id, h.case_id, h.kind, h.pdq, h.quality, h.md5, h.sha256, "
                      "h.origin, h.label, h.created_at, h.regions FROM media_hashes h "
                      "JOIN cases c ON c.id = h.case_id "
                      "WHERE c.consent_share = 1 AND h.id > $1 ORDER BY h.id LIMIT $2",
                      {after_id, int64_t{std::max(limit, 0)}})) {
          out.push_back(ReadHash(r));
        }
        return out;
      });
}

Result<std::vector<HashChange>> SqlStore::HashChanges(int64_t since, int limit) {
  return InTx<std::vector<HashChange>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<HashChange>> {
        std::vector<HashChange> out;
        for (const Row& r : tx.Query("SELECT cursor, hash_id, deleted, pdq, quality, kind, at "
                                     "FROM hash_feed WHERE cursor > $1 ORDER BY cursor LIMIT $2",
                                     {since, int64_t{std::max(limit, 0)}})) {
          out.push_back({r.Int(0), r.Int(1), r.Flag(2), r.Text(3), r.IntSmall(4),
                         ParseKind(r.Text(5)), r.Int(6)});
        }
        return out;
      });
}

Result<std::vector<AddedSighting>> SqlStore::AddSightings(
    int64_t case_id, const std::vector<domain::Sighting>& sightings, const std::string& actor,
    UnixMillis now) {
  return InTx<std::vector<AddedSighting>>(
      TxMode::kWrite, [&](Tx& tx) -> Result<std::vector<AddedSighting>> {
        if (!LockCase(tx, db_->dialect(), case_id)) return NoCase();
        std::vector<AddedSighting> out;
        for (const domain::Sighting& s : sightings) {
          if (std::optional<int64_t> id = InsertSighting(tx, case_id, s)) {
            out.push_back({*id, false});
            InsertEvent(tx, {0, case_id, actor, "sighting.added",
                             "{\"sighting\":" + std::to_string(*id) + "}", now});
            continue;
          }
          Rows existing =
              tx.Query("SELECT id FROM sightings WHERE case_id = $1 AND normalized_url = $2",
                       {case_id, s.normalized_url});
          out.push_back({existing.at(0).Int(0), true});
        }
        return out;
      });
}

Result<std::vector<domain::Sighting>> SqlStore::ListSightings(int64_t case_id) {
  return InTx<std::vector<domain::Sighting>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<domain::Sighting>> {
        std::vector<domain::Sighting> out;
        for (const Row& r : tx.Query("SELECT " + std::string(kSightingColumns) +
                                         " FROM sightings WHERE case_id = $1 ORDER BY id",
                                     {case_id})) {
          out.push_back(ReadSighting(r));
        }
        return out;
      });
}

Status SqlStore::TransitionSighting(int64_t sighting_id, SightingState to,
                                    const std::optional<domain::Event>& event) {
  return RecordSightingCheck(sighting_id, "", 0, to, event);
}

Result<domain::Sighting> SqlStore::GetSighting(int64_t sighting_id) {
  return InTx<domain::Sighting>(TxMode::kRead, [&](Tx& tx) -> Result<domain::Sighting> {
    Rows r = tx.Query("SELECT " + std::string(kSightingColumns) + " FROM sightings WHERE id = $1",
                      {sighting_id});
    if (r.empty()) return NotFound("there is no sighting with that id");
    return ReadSighting(r[0]);
  });
}

Result<std::vector<int64_t>> SqlStore::UncheckedSightings(int64_t after_id, int limit) {
  return InTx<std::vector<int64_t>>(TxMode::kRead, [&](Tx& tx) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> out;
    for (const Row& r : tx.Query("SELECT id FROM sightings WHERE last_checked IS NULL AND "
                                 "state <> " +
                                     SqlName(domain::SightingStateName(SightingState::kDismissed)) +
                                     " AND id > $1 ORDER BY id LIMIT $2",
                                 {after_id, int64_t{std::max(limit, 0)}})) {
      out.push_back(r.Int(0));
    }
    return out;
  });
}

// With empty evidence (TransitionSighting) only the state moves.
Status SqlStore::RecordSightingCheck(int64_t sighting_id, const std::string& evidence_json,
                                     UnixMillis checked_at, std::optional<SightingState> to,
                                     const std::optional<domain::Event>& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    Rows r = tx.Query("SELECT case_id, state FROM sightings WHERE id = $1" +
                          std::string(db_->dialect().for_update),
                      {sighting_id});
    if (r.empty()) return NotFound("there is no sighting with that id");
    const SightingState from = Known(domain::ParseSightingState(r[0].Text(1)));
    if (to && !domain::CanTransition(from, *to)) {
      return FailedPrecondition("a sighting cannot go from " +
                                std::string(domain::SightingStateName(from)) + " to " +
                                std::string(domain::SightingStateName(*to)));
    }
    if (to) {
      tx.Query(WasNotified(*to) ? "UPDATE sightings SET state = $2, notified_ever = 1 WHERE id = $1"
                                : "UPDATE sightings SET state = $2 WHERE id = $1",
               {sighting_id, std::string(domain::SightingStateName(*to))});
    }
    if (!evidence_json.empty()) {
      tx.Query("UPDATE sightings SET evidence_json = $2, last_checked = $3 WHERE id = $1",
               {sighting_id, evidence_json, checked_at});
    }
    if (event) InsertEvent(tx, *event, r[0].Int(0));
    return Status::Ok();
  });
}

Status SqlStore::AppendEvent(const domain::Event& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    InsertEvent(tx, event);
    return Status::Ok();
  });
}

Result<std::vector<domain::Event>> SqlStore::ListEvents(std::optional<int64_t> case_id, int limit) {
  const std::string columns = "SELECT id, case_id, actor, action, detail_json, at FROM events";
  const int64_t n = std::max(limit, 0);
  return InTx<std::vector<domain::Event>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<domain::Event>> {
        // Newest is the most recently appended: the id, not the caller-given time, orders them.
        Rows rows = case_id ? tx.Query(columns + " WHERE case_id = $1 ORDER BY id DESC LIMIT $2",
                                       {*case_id, n})
                            : tx.Query(columns + " ORDER BY id DESC LIMIT $1", {n});
        std::vector<domain::Event> out;
        for (const Row& r : rows) {
          out.push_back({r.Int(0), r.OptInt(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
        }
        return out;
      });
}

}  // namespace takedown::store
