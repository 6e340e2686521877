// The notices' jobs, registered with a worker by casework itself: "notice.send" (the outbox,
// outbox.h), "notice.escalate" (the next rung of the ladder, escalation.h, queued by discovery
// when a copy is overdue), "case.draft" (drafting without a person, notice_drafter.h) and, with a
// reply mailbox, "notice.replies" (replies.h). The runner
// (jobs::Worker) knows no job kind; whoever starts one only passes what they need.
//
// Not thread-safe: one NoticeJobs per worker thread (its RDAP lookups use that thread's fetcher).
#pragma once

#include <optional>

#include "base/clock.h"
#include "base/status.h"
#include "casework/escalation.h"
#include "casework/notice_drafter.h"
#include "casework/notice_setup.h"
#include "casework/outbox.h"
#include "casework/replies.h"
#include "jobs/worker.h"
#include "platforms/platforms.h"
#include "rdap/rdap.h"
#include "store/roles.h"

namespace takedown::casework {

// What the notices' jobs work with; everything must outlive the NoticeJobs.
struct NoticeJobsSetup {
  const platforms::PlatformDirectory& platforms;
  const NoticeSetup& notices;
  Courier& courier;            // sends "notice.send" jobs
  notify::RdapClient& rdap;    // finds hosts' and registrars' abuse contacts
  Mailbox* replies = nullptr;  // where replies are read from; none: not read
  ReplySettings reply_settings;
};

class NoticeJobs {
 public:
  // The roles of the store its jobs use.
  using Stores =
      store::Roles<store::CaseStore, store::AuditLog, store::SightingStore, store::NoticeStore,
                   store::ReplyStore, store::JobQueue, store::SettingsStore>;

  NoticeJobs(Stores stores, const Clock& clock, const NoticeJobsSetup& setup);

  // Registers the handlers of the notices' job kinds; `worker` must not outlive this.
  void Register(jobs::Worker& worker);

  // Once per start: queues the first read of the reply mailbox (idempotent per period).
  Status Schedule(UnixMillis now);

 private:
  store::JobQueue& jobs_;
  const NoticeJobsSetup setup_;
  OutboxWorker outbox_;
  RdapFinder finder_;
  EscalationWorker escalation_;
  NoticeDrafter drafter_;
  std::optional<ReplyReader> replies_;
};

}  // namespace takedown::casework
