#include "domain/sighting_jobs.h"

namespace takedown::domain {

Job SightingCheckJob(int64_t sighting_id, int64_t case_id, UnixMillis run_at,
                     const std::string& reason) {
  Job job;
  job.kind = std::string(kSightingCheckJob);
  job.payload_json = "{\"sighting\":" + std::to_string(sighting_id) + "}";
  job.run_at = run_at;
  job.case_id = case_id;
  job.idempotency_key = "sighting.check:" + std::to_string(sighting_id) + ":" + reason;
  return job;
}

Job DraftCaseJob(int64_t case_id, UnixMillis now) {
  const UnixMillis batch = now / kDraftBatch;
  Job job;
  job.kind = std::string(kDraftCaseJob);
  job.payload_json = "{\"case\":" + std::to_string(case_id) + "}";
  job.run_at = (batch + 1) * kDraftBatch;
  job.case_id = case_id;
  job.idempotency_key = "case.draft:" + std::to_string(case_id) + ":" + std::to_string(batch);
  return job;
}

}  // namespace takedown::domain
