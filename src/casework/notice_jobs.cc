#include "casework/notice_jobs.h"

#include <string>

#include "discovery/sighting_check.h"
#include "domain/sighting_jobs.h"

namespace takedown::casework {

NoticeJobs::NoticeJobs(Stores stores, const Clock& clock, const NoticeJobsSetup& setup)
    : jobs_(stores.get<store::JobQueue>()),
      setup_(setup),
      outbox_(stores, clock, setup.notices.sealer, setup.courier),
      finder_(setup.rdap),
      escalation_(stores, clock, setup.platforms, setup.notices, finder_),
      drafter_(stores, clock, setup.platforms, setup.notices) {
  if (setup.replies != nullptr) {
    replies_.emplace(stores, clock, setup.notices.sealer, *setup.replies, setup.reply_settings);
  }
}

void NoticeJobs::Register(jobs::Worker& worker) {
  worker.Register(std::string(kSendNoticeJob),
                  [this](const domain::Job& job) { return outbox_.Handle(job); });
  worker.Register(std::string(discovery::kEscalateJob),
                  [this](const domain::Job& job) { return escalation_.Handle(job); });
  worker.Register(std::string(domain::kDraftCaseJob),
                  [this](const domain::Job& job) { return drafter_.HandleDraftJob(job); });
  if (replies_) {
    worker.Register(std::string(kReadRepliesJob),
                    [this](const domain::Job& job) { return replies_->Handle(job); });
  }
}

Status NoticeJobs::Schedule(UnixMillis now) {
  if (!replies_) return Status::Ok();
  auto queued = jobs_.EnqueueJob(ReadRepliesJob(now, setup_.reply_settings.every));
  return queued.ok() ? Status::Ok() : queued.status();
}

}  // namespace takedown::casework
