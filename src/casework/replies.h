// Replies to notices: a "notice.replies" job reads the reply mailbox (where mail to
// notice+<token>@<reply domain> arrives), attaches each new message to its notice, sealed, and
// queues itself again. A message finds its notice by the reply address's token, else by the
// notice's Message-ID in In-Reply-To or References (a platform's ticketing system that answers
// from its own address), else, for a bounce, by the Message-ID of the returned copy. Mail that
// belongs to no notice is counted and left alone in the mailbox. Auto-replies and bounces are
// recognised (mail/inbound.h) and kept apart from a person's answer: a bounce says the
// address is wrong and is an event of its own for the caseworker.
//
// Thread-safety: one ReplyReader per worker thread; a Mailbox must be safe to call from the
// threads that hold ReplyReaders.
#pragma once

#include <chrono>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "mail/inbound.h"
#include "secrets/secrets.h"
#include "store/case_store.h"
#include "store/job_queue.h"
#include "store/notice_store.h"
#include "store/roles.h"

namespace takedown::casework {

inline constexpr std::string_view kReadRepliesJob = "notice.replies";

// Where replies are read from (mail/inbound.h): an IMAP mailbox in the server, scripted in tests.
using Mailbox = notify::Mailbox;

struct ReplySettings {
  std::string reply_domain;  // of the per-notice reply addresses
  std::string from_domain;   // of the notices' Message-IDs (the From address's domain)
  std::chrono::milliseconds every{5 * 60 * 1000};  // between reads of the mailbox
};

// The job that reads the mailbox at `run_at`: one per period of `every`, so restarts and several
// workers queue it once.
domain::Job ReadRepliesJob(UnixMillis run_at, std::chrono::milliseconds every);

class ReplyReader {
 public:
  // The roles of the store it uses.
  using Stores =
      store::Roles<store::AuditLog, store::NoticeStore, store::ReplyStore, store::JobQueue>;

  ReplyReader(Stores stores, const Clock& clock, const secrets::Sealer& sealer, Mailbox& mailbox,
              ReplySettings settings);

  // Handles one "notice.replies" job: reads every new message (in batches), attaches those that
  // belong to a notice, keeps its place in the mailbox, and queues the next read. A mailbox that
  // cannot be read is an event ("replies.unreadable", with why) and is tried at the next read.
  Status Handle(const domain::Job& job);

 private:
  // The notice the message is about, or kNotFound.
  Result<domain::Notice> NoticeOf(const notify::InboundMessage& message);
  Status Attach(const domain::Notice& notice, const notify::InboundMessage& message);

  store::AuditLog& audit_;
  store::NoticeStore& notices_;
  store::ReplyStore& replies_;
  store::JobQueue& jobs_;
  const Clock& clock_;
  const secrets::Sealer& sealer_;
  Mailbox& mailbox_;
  ReplySettings settings_;
};

}  // namespace takedown::casework
