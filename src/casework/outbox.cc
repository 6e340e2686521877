#include "casework/outbox.h"

#include <nlohmann/json.hpp>

#include "casework/drafting.h"
#include "discovery/sighting_check.h"

namespace takedown::casework {
namespace {

using domain::NoticeState;
using json = nlohmann::json;

// Runs of a job (at 30 s, 1, 2, 4 and 8 minutes of backoff: about 15 minutes) before a notice
// left in sending and absent from the archive is taken as never accepted.
constexpr int kSettleAttempts = 5;

domain::Event SystemEvent(const domain::Notice& n, std::string action, UnixMillis at,
                          json detail = json::object()) {
  detail["notice"] = n.id;
  return {0, n.case_id, "system", std::move(action), detail.dump(), at};
}

}  // namespace

bool SentByUs(const domain::Notice& notice) { return domain::SentByUs(notice.channel); }

domain::Job SendNoticeJob(const domain::Notice& notice, UnixMillis run_at,
                          const std::string& reason) {
  domain::Job job;
  job.kind = std::string(kSendNoticeJob);
  job.payload_json = json{{"notice", notice.id}}.dump();
  job.run_at = run_at;
  job.case_id = notice.case_id;
  job.idempotency_key = "notice.send:" + std::to_string(notice.id) + ":" + reason;
  return job;
}

OutboxWorker::OutboxWorker(Stores stores, const Clock& clock, const secrets::Sealer& sealer,
                           Courier& courier)
    : notices_(stores.get<store::NoticeStore>(), sealer),
      jobs_(stores.get<store::JobQueue>()),
      settings_(stores.get<store::SettingsStore>()),
      clock_(clock),
      courier_(courier) {}

Status OutboxWorker::RecordSent(const domain::Notice& notice) {
  const UnixMillis now = clock_.Now();
  if (Status s = notices_.MoveNotice(
          notice.id, NoticeState::kSent, {now, "", ""},
          SystemEvent(
              notice, "notice.sent", now,
              {{"to", notice.address}, {"channel", domain::ChannelKindName(notice.channel)}}));
      !s.ok()) {
    return s;
  }
  auto sent = notices_.GetNotice(notice.id);
  if (!sent.ok()) return sent.status();
  auto checks = discovery::QueueDeadlineChecks(jobs_, *sent, now);
  if (!checks.ok()) return checks.status();
  return ApproveDraftsTo(settings_, notices_, jobs_, notice.address, now);
}

Status OutboxWorker::Handle(const domain::Job& job) {
  const json payload = json::parse(job.payload_json, nullptr, false);
  if (!payload.is_object() || !payload.contains("notice") ||
      !payload["notice"].is_number_integer()) {
    return InvalidArgument("a notice.send job needs {\"notice\": id}");
  }
  auto notice = notices_.GetNotice(payload["notice"].get<int64_t>());
  if (!notice.ok()) {
    return notice.status().code() == StatusCode::kNotFound ? Status::Ok() : notice.status();
  }
  const UnixMillis now = clock_.Now();
  if (notice->state == NoticeState::kSending) {
    // A run before this one died between handing it to the relay and recording the answer.
    auto delivered = courier_.AlreadyDelivered(*notice);
    if (delivered.ok() && *delivered) return RecordSent(*notice);
    if (delivered.ok() && job.attempts < kSettleAttempts) {
      // The archive copy may still be on its way: ask again later (the job's backoff) before
      // concluding that the relay never took it.
      return Unavailable("notice " + std::to_string(notice->id) +
                         ": not in the archive yet; checking again before sending it again");
    }
    const std::string why =
        delivered.ok() ? "the send was interrupted before the relay accepted it; sending again"
                       : "the send was interrupted and whether it went out cannot be checked (" +
                             delivered.status().message() +
                             "); look in the organisation's sent mail before approving it again";
    if (Status s =
            notices_.MoveNotice(notice->id, NoticeState::kFailed, {now, "", why},
                                SystemEvent(*notice, "notice.failed", now, {{"error", why}}));
        !s.ok()) {
      return s;
    }
    if (!delivered.ok()) return Status::Ok();  // a person decides
    if (Status s = notices_.MoveNotice(notice->id, NoticeState::kApproved, {now, "system", ""},
                                       SystemEvent(*notice, "notice.retry", now));
        !s.ok()) {
      return s;
    }
    notice->state = NoticeState::kApproved;
  }
  if (notice->state != NoticeState::kApproved) return Status::Ok();  // cancelled, or already out
  if (Status s = notices_.MoveNotice(notice->id, NoticeState::kSending, {now, "", ""},
                                     SystemEvent(*notice, "notice.sending", now));
      !s.ok()) {
    // Another worker took it first.
    return s.code() == StatusCode::kFailedPrecondition ? Status::Ok() : s;
  }
  bool outcome_unknown = false;
  const Status sent = courier_.Deliver(*notice, &outcome_unknown);
  if (sent.ok()) return RecordSent(*notice);
  if (outcome_unknown) return sent;  // still sending: the retried job checks before resending
  const UnixMillis after = clock_.Now();
  if (Status s = notices_.MoveNotice(
          notice->id, NoticeState::kFailed, {after, "", sent.message()},
          SystemEvent(*notice, "notice.failed", after, {{"error", sent.message()}}));
      !s.ok()) {
    return s;
  }
  if (sent.code() != StatusCode::kUnavailable) return Status::Ok();  // final: a person decides
  if (Status s = notices_.MoveNotice(notice->id, NoticeState::kApproved, {after, "system", ""},
                                     SystemEvent(*notice, "notice.retry", after));
      !s.ok()) {
    return s;
  }
  return sent;  // the job is retried with backoff
}

}  // namespace takedown::casework
