// SqlStore: what discovery's watching keeps: paused cases, reposts awaiting review, watched
// sources with their last crawl, and a case's jobs counted for its crawl progress.
#include <algorithm>

#include "store/sql_store.h"

namespace takedown::store {
namespace {

constexpr std::string_view kSourceColumns =
    "id, case_id, url, kind, max_depth, max_pages, every_ms, paused, created_by, created_at, "
    "last_crawled, last_outcome_json, etag, last_modified";

domain::WatchedSource ReadSource(const Row& r) {
  domain::WatchedSource s;
  s.id = r.Int(0);
  s.case_id = r.OptInt(1);
  s.url = r.Text(2);
  s.kind = Known(domain::ParseSourceKind(r.Text(3)));
  s.max_depth = r.IntSmall(4);
  s.max_pages = r.IntSmall(5);
  s.every = r.Int(6);
  s.paused = r.Flag(7);
  s.created_by = r.Text(8);
  s.created_at = r.Int(9);
  s.last_crawled = r.OptInt(10);
  s.last_outcome_json = r.Text(11);
  s.etag = r.Text(12);
  s.last_modified = r.Text(13);
  return s;
}

Status NoSource() { return NotFound("there is no watched source with that id"); }

// The source's case (nullopt for the organisation's), or kNotFound.
Result<std::optional<int64_t>> SourceCase(Tx& tx, int64_t id) {
  Rows r = tx.Query("SELECT case_id FROM watched_sources WHERE id = $1", {id});
  if (r.empty()) return NoSource();
  return r[0].OptInt(0);
}

}  // namespace

Status SqlStore::ConfirmSighting(int64_t sighting_id, const std::string& confirmed_by,
                                 const std::optional<domain::Event>& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    Rows r = tx.Query(
        "UPDATE sightings SET needs_review = 0, confirmed_by = $2 WHERE id = $1 RETURNING case_id",
        {sighting_id, confirmed_by});
    if (r.empty()) return NotFound("there is no sighting with that id");
    if (event) InsertEvent(tx, *event, r[0].Int(0));
    return Status::Ok();
  });
}

Status SqlStore::SetCaseAgeAndAi(int64_t case_id, domain::AgeGroup age, bool ai_made,
                                 const domain::Event& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (tx.Query("UPDATE cases SET age = $2, ai_made = $3 WHERE id = $1 RETURNING id",
                 {case_id, std::string(domain::AgeGroupName(age)), int64_t{ai_made}})
            .empty()) {
      return NoCase();
    }
    InsertEvent(tx, event, case_id);
    return Status::Ok();
  });
}

Status SqlStore::SetCaseWatchPaused(int64_t case_id, bool paused, const domain::Event& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (tx.Query("UPDATE cases SET watch_paused = $2 WHERE id = $1 RETURNING id",
                 {case_id, int64_t{paused}})
            .empty()) {
      return NoCase();
    }
    InsertEvent(tx, event, case_id);
    return Status::Ok();
  });
}

Result<int64_t> SqlStore::CreateWatchedSource(const domain::WatchedSource& s,
                                              const domain::Event& event) {
  return InTx<int64_t>(TxMode::kWrite, [&](Tx& tx) -> Result<int64_t> {
    if (s.case_id && !LockCase(tx, db_->dialect(), *s.case_id)) return NoCase();
    const std::string same_owner = s.case_id ? "case_id = $2" : "case_id IS NULL";
    Params params;
    params.emplace_back(s.url);
    if (s.case_id) params.emplace_back(*s.case_id);
    if (!tx.Query("SELECT id FROM watched_sources WHERE url = $1 AND " + same_owner, params)
             .empty()) {
      return AlreadyExists("that URL is already watched");
    }
    Rows r = tx.Query(
        "INSERT INTO watched_sources (case_id, url, kind, max_depth, max_pages, every_ms, paused, "
        "created_by, created_at, last_outcome_json, etag, last_modified) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '{}', '', '') RETURNING id",
        {NullableInt(s.case_id), s.url, std::string(domain::SourceKindName(s.kind)),
         int64_t{s.max_depth}, int64_t{s.max_pages}, s.every, int64_t{s.paused}, s.created_by,
         s.created_at});
    const int64_t id = r.at(0).Int(0);
    domain::Event e = event;
    if (e.detail_json.empty() || e.detail_json == "{}") {
      e.detail_json = "{\"source\":" + std::to_string(id) + "}";
    }
    InsertEvent(tx, e, s.case_id);
    return id;
  });
}

Result<domain::WatchedSource> SqlStore::GetWatchedSource(int64_t id) {
  return InTx<domain::WatchedSource>(TxMode::kRead, [&](Tx& tx) -> Result<domain::WatchedSource> {
    Rows r = tx.Query(
        "SELECT " + std::string(kSourceColumns) + " FROM watched_sources WHERE id = $1", {id});
    if (r.empty()) return NoSource();
    return ReadSource(r[0]);
  });
}

Result<std::vector<domain::WatchedSource>> SqlStore::ListWatchedSources(
    std::optional<int64_t> case_id) {
  return InTx<std::vector<domain::WatchedSource>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<domain::WatchedSource>> {
        const std::string sql = "SELECT " + std::string(kSourceColumns) +
                                " FROM watched_sources WHERE " +
                                (case_id ? "case_id = $1" : "case_id IS NULL") + " ORDER BY id";
        std::vector<domain::WatchedSource> out;
        for (const Row& r : tx.Query(sql, case_id ? Params{*case_id} : Params{})) {
          out.push_back(ReadSource(r));
        }
        return out;
      });
}

Status SqlStore::SetWatchedSourcePaused(int64_t id, bool paused, const domain::Event& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    auto owner = SourceCase(tx, id);
    if (!owner.ok()) return owner.status();
    tx.Query("UPDATE watched_sources SET paused = $2 WHERE id = $1", {id, int64_t{paused}});
    InsertEvent(tx, event, *owner);
    return Status::Ok();
  });
}

Status SqlStore::DeleteWatchedSource(int64_t id, const domain::Event& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    auto owner = SourceCase(tx, id);
    if (!owner.ok()) return owner.status();
    tx.Query("DELETE FROM watched_sources WHERE id = $1", {id});
    InsertEvent(tx, event, *owner);
    return Status::Ok();
  });
}

Status SqlStore::RecordCrawl(int64_t id, UnixMillis at, const std::string& outcome_json,
                             const std::string& etag, const std::string& last_modified) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (tx.Query("UPDATE watched_sources SET last_crawled = $2, last_outcome_json = $3, etag = $4, "
                 "last_modified = $5 WHERE id = $1 RETURNING id",
                 {id, at, outcome_json.empty() ? std::string("{}") : outcome_json, etag,
                  last_modified})
            .empty()) {
      return NoSource();
    }
    return Status::Ok();
  });
}

Result<std::vector<domain::MediaHash>> SqlStore::WatchedHashes(int64_t after_id, int limit) {
  return InTx<std::vector<domain::MediaHash>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<domain::MediaHash>> {
        std::vector<domain::MediaHash> out;
        for (const Row& r :
             tx.Query("SELECT h.id, h.case_id, h.kind, h.pdq, h.quality, h.md5, h.sha256, "
                      "h.origin, h.label, h.created_at, h.regions FROM media_hashes h "
                      "JOIN cases c ON c.id = h.case_id "
                      "WHERE c.status = " +
                          SqlName(domain::CaseStatusName(domain::CaseStatus::kOpen)) +
                          " AND c.watch_paused = 0 AND h.id > $1 "
                          "ORDER BY h.id LIMIT $2",
                      {after_id, int64_t{std::max(limit, 0)}})) {
          out.push_back(ReadHash(r));
        }
        return out;
      });
}

Result<JobProgress> SqlStore::CaseJobProgress(int64_t case_id) {
  return InTx<JobProgress>(TxMode::kRead, [&](Tx& tx) -> Result<JobProgress> {
    JobProgress p;
    for (const Row& r : tx.Query(
             "SELECT state, COUNT(*) FROM jobs WHERE case_id = $1 GROUP BY state", {case_id})) {
      const std::string state = r.Text(0);
      const int n = r.IntSmall(1);
      if (state == domain::JobStateName(domain::JobState::kQueued)) p.queued = n;
      if (state == domain::JobStateName(domain::JobState::kRunning)) p.running = n;
      if (state == domain::JobStateName(domain::JobState::kDone)) p.done = n;
      if (state == domain::JobStateName(domain::JobState::kFailed)) p.failed = n;
    }
    Rows next = tx.Query("SELECT MIN(run_at) FROM jobs WHERE case_id = $1 AND state = " +
                             SqlName(domain::JobStateName(domain::JobState::kQueued)),
                         {case_id});
    if (!next.empty()) p.next_run = next[0].OptInt(0);
    for (const Row& r :
         tx.Query("SELECT id, kind, payload_json, run_at, attempts, last_error FROM jobs "
                  "WHERE case_id = $1 AND state = " +
                      SqlName(domain::JobStateName(domain::JobState::kFailed)) +
                      " ORDER BY id DESC LIMIT 20",
                  {case_id})) {
      domain::Job j;
      j.id = r.Int(0);
      j.kind = r.Text(1);
      j.payload_json = r.Text(2);
      j.run_at = r.Int(3);
      j.attempts = r.IntSmall(4);
      j.last_error = r.Text(5);
      j.state = domain::JobState::kFailed;
      j.case_id = case_id;
      p.failures.push_back(std::move(j));
    }
    return p;
  });
}

}  // namespace takedown::store
