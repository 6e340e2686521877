// SqlStore: the durable job queue. A claimed job is leased to one worker until lease_until; a
// worker that crashes simply lets its lease run out and the job becomes claimable again, so a
// job runs at least once (handlers are written to be idempotent).
#include "store/sql_store.h"

namespace takedown::store {
namespace {

using domain::JobState;

constexpr std::string_view kJobColumns =
    "id, kind, payload_json, run_at, attempts, max_attempts, idempotency_key, state, "
    "lease_owner, lease_until, last_error, case_id";

std::string StateName(JobState s) { return std::string(domain::JobStateName(s)); }

JobState ParseJobState(const std::string& name) {
  for (JobState s : {JobState::kQueued, JobState::kRunning, JobState::kDone, JobState::kFailed}) {
    if (name == domain::JobStateName(s)) return s;
  }
  return Known(std::optional<JobState>());
}

domain::Job ReadJob(const Row& r) {
  domain::Job j;
  j.id = r.Int(0);
  j.kind = r.Text(1);
  j.payload_json = r.Text(2);
  j.run_at = r.Int(3);
  j.attempts = r.IntSmall(4);
  j.max_attempts = r.IntSmall(5);
  j.idempotency_key = r.Text(6);
  j.state = ParseJobState(r.Text(7));
  j.lease_owner = r.Text(8);
  j.lease_until = r.Int(9);
  j.last_error = r.Text(10);
  j.case_id = r.OptInt(11);
  return j;
}

// The job's state and lease owner, locked for the rest of the transaction, or why it may not be
// finished by `worker`.
Result<Row> LeasedJob(Tx& tx, const Dialect& d, int64_t id, const std::string& worker) {
  Rows r = tx.Query("SELECT state, lease_owner, attempts, max_attempts FROM jobs WHERE id = $1" +
                        std::string(d.for_update),
                    {id});
  if (r.empty()) return NotFound("there is no job with that id");
  if (ParseJobState(r[0].Text(0)) != JobState::kRunning || r[0].Text(1) != worker) {
    return FailedPrecondition("the job is not running under this worker (its lease was lost)");
  }
  return r[0];
}

}  // namespace

int64_t InsertJob(Tx& tx, const domain::Job& job) {
  // A NULL key never conflicts, so jobs without one are always added.
  Rows r = tx.Query(
      "INSERT INTO jobs (kind, payload_json, run_at, attempts, max_attempts, idempotency_key, "
      "state, lease_owner, lease_until, last_error, case_id) "
      "VALUES ($1, $2, $3, 0, $4, $5, $6, '', 0, '', $7) "
      "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
      {job.kind, job.payload_json.empty() ? std::string("{}") : job.payload_json, job.run_at,
       int64_t{job.max_attempts}, NullableText(job.idempotency_key), StateName(JobState::kQueued),
       NullableInt(job.case_id)});
  if (!r.empty()) return r[0].Int(0);
  return tx.Query("SELECT id FROM jobs WHERE idempotency_key = $1", {job.idempotency_key})
      .at(0)
      .Int(0);
}

Result<int64_t> SqlStore::EnqueueJob(const domain::Job& job) {
  return InTx<int64_t>(TxMode::kWrite,
                       [&](Tx& tx) -> Result<int64_t> { return InsertJob(tx, job); });
}

Result<std::optional<domain::Job>> SqlStore::ClaimJob(const std::vector<std::string>& kinds,
                                                      const std::string& worker, UnixMillis now,
                                                      UnixMillis lease) {
  Params params = {StateName(JobState::kQueued), StateName(JobState::kRunning), now};
  std::string sql =
      "SELECT id FROM jobs WHERE ((state = $1 AND run_at <= $3) OR "
      "(state = $2 AND lease_until < $3))";
  if (!kinds.empty()) {
    sql += " AND kind IN (";
    for (size_t i = 0; i < kinds.size(); ++i) {
      params.push_back(kinds[i]);
      sql += (i == 0 ? "$" : ", $") + std::to_string(params.size());
    }
    sql += ")";
  }
  sql += " ORDER BY run_at, id LIMIT 1" + std::string(db_->dialect().skip_locked);
  return InTx<std::optional<domain::Job>>(
      TxMode::kWrite, [&](Tx& tx) -> Result<std::optional<domain::Job>> {
        Rows due = tx.Query(sql, params);
        if (due.empty()) return std::optional<domain::Job>();
        Rows claimed = tx.Query(
            "UPDATE jobs SET state = $2, lease_owner = $3, lease_until = $4, "
            "attempts = attempts + 1 WHERE id = $1 RETURNING " +
                std::string(kJobColumns),
            {due[0].Int(0), StateName(JobState::kRunning), worker, now + lease});
        return std::optional(ReadJob(claimed.at(0)));
      });
}

Status SqlStore::CompleteJob(int64_t id, const std::string& worker) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    Result<Row> job = LeasedJob(tx, db_->dialect(), id, worker);
    if (!job.ok()) return job.status();
    tx.Query("UPDATE jobs SET state = $2, lease_owner = '', lease_until = 0 WHERE id = $1",
             {id, StateName(JobState::kDone)});
    return Status::Ok();
  });
}

Status SqlStore::FailJob(int64_t id, const std::string& worker, const std::string& error,
                         UnixMillis now) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    Result<Row> job = LeasedJob(tx, db_->dialect(), id, worker);
    if (!job.ok()) return job.status();
    // ClaimJob counted this attempt already.
    const int attempts = job->IntSmall(2);
    if (attempts >= job->IntSmall(3)) {
      tx.Query(
          "UPDATE jobs SET state = $2, last_error = $3, lease_owner = '', lease_until = 0 "
          "WHERE id = $1",
          {id, StateName(JobState::kFailed), error});
    } else {
      tx.Query(
          "UPDATE jobs SET state = $2, run_at = $3, last_error = $4, lease_owner = '', "
          "lease_until = 0 WHERE id = $1",
          {id, StateName(JobState::kQueued), now + domain::RetryDelay(attempts), error});
    }
    return Status::Ok();
  });
}

Result<domain::Job> SqlStore::GetJob(int64_t id) {
  return InTx<domain::Job>(TxMode::kRead, [&](Tx& tx) -> Result<domain::Job> {
    Rows r = tx.Query("SELECT " + std::string(kJobColumns) + " FROM jobs WHERE id = $1", {id});
    if (r.empty()) return NotFound("there is no job with that id");
    return ReadJob(r[0]);
  });
}

Result<QueueState> SqlStore::QueueStateAt(UnixMillis now) {
  return InTx<QueueState>(TxMode::kRead, [&](Tx& tx) -> Result<QueueState> {
    Rows r = tx.Query(
        "SELECT (SELECT COUNT(*) FROM jobs WHERE (state = $1 AND run_at <= $3) OR state = $2), "
        "(SELECT MIN(run_at) FROM jobs WHERE state = $1 AND run_at > $3)",
        {StateName(JobState::kQueued), StateName(JobState::kRunning), now});
    return QueueState{r.at(0).Int(0), r.at(0).OptInt(1)};
  });
}

}  // namespace takedown::store
