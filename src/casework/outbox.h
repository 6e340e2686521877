// The outbox: an approved email or webhook notice is sent by a "notice.send" job, exactly once
// as far as Takedown can tell. The notice is stored before it is sent; the job moves it approved
// -> sending (a compare-and-set, so two workers cannot both send it) -> sent, and a crash between
// the relay accepting it and "sent" being recorded leaves it in sending: the next run asks the
// Courier whether a message with the notice's Message-ID already went out, and only when the
// answer is a sure no sends it again. When the Courier cannot tell, the notice is marked failed
// with a sentence for the caseworker, never sent blindly a second time.
//
// Once sent, the notice's deadline runs: discovery checks its sightings before the deadline and
// at it (discovery::QueueDeadlineChecks).
//
// Thread-safety: an OutboxWorker is used by one worker thread; a Courier must be safe to call
// from the threads that hold OutboxWorkers.
#pragma once

#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "casework/sealed_notices.h"
#include "delivery/courier.h"
#include "domain/entities.h"
#include "store/account_store.h"
#include "store/job_queue.h"
#include "store/notice_store.h"
#include "store/roles.h"

namespace takedown::casework {

inline constexpr std::string_view kSendNoticeJob = "notice.send";

// Whether Takedown sends the notice itself (email, webhook) rather than a caseworker filling in a
// web form (domain::SentByUs of its channel).
bool SentByUs(const domain::Notice& notice);

// The job that sends `notice`; `reason` makes the idempotency key unique per approval.
domain::Job SendNoticeJob(const domain::Notice& notice, UnixMillis run_at,
                          const std::string& reason);

// How notices leave (delivery/courier.h): one sender per channel kind in the server, scripted in
// tests.
using Courier = notify::Courier;

class OutboxWorker {
 public:
  // The roles of the store it uses.
  using Stores = store::Roles<store::NoticeStore, store::JobQueue, store::SettingsStore>;

  // `sealer` opens the notices' words for the courier.
  OutboxWorker(Stores stores, const Clock& clock, const secrets::Sealer& sealer, Courier& courier);

  // Handles one "notice.send" job. A transient failure puts the notice back to approved and
  // returns the error, so the job is retried with backoff.
  Status Handle(const domain::Job& job);

 private:
  // Records that the notice went out and queues its deadline checks. Drafts that waited for a
  // person only because nothing had gone to their address yet go now where the settings say so
  // (ApproveIfAutomatic: the address has been written to).
  Status RecordSent(const domain::Notice& notice);

  SealedNotices notices_;
  store::JobQueue& jobs_;
  store::SettingsStore& settings_;
  const Clock& clock_;
  Courier& courier_;
};

}  // namespace takedown::casework
