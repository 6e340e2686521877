#include "casework/replies.h"

#include <nlohmann/json.hpp>

#include "casework/drafting.h"
#include "mail/mail.h"

namespace takedown::casework {
namespace {

using json = nlohmann::json;

// Messages read per job: the job stops there and queues its next run at once.
constexpr int kBatchesPerRun = 20;

std::string ReplyContext(int64_t notice_id) { return "reply:" + std::to_string(notice_id); }

}  // namespace

std::string SealReply(const secrets::Sealer& sealer, int64_t notice_id,
                      const ReplyContent& content) {
  // A reply's bytes are whatever a mail server sent: ones that are not UTF-8 become U+FFFD
  // rather than failing the mailbox's read for good (nlohmann's dump() throws on them).
  return sealer.Seal(
      json{{"from", content.from}, {"subject", content.subject}, {"text", content.text}}.dump(
          -1, ' ', false, json::error_handler_t::replace),
      ReplyContext(notice_id));
}

Result<ReplyContent> OpenReply(const secrets::Sealer& sealer, const store::Reply& reply) {
  auto plain = sealer.Open(reply.ciphertext, ReplyContext(reply.notice_id));
  if (!plain.ok()) return plain.status();
  const json j = json::parse(*plain, nullptr, false);
  if (!j.is_object()) return Corrupt("a sealed reply is not the JSON it was sealed as");
  return ReplyContent{j.value("from", ""), j.value("subject", ""), j.value("text", "")};
}

std::string OutcomeOf(int64_t notice_id, const std::vector<store::Reply>& replies) {
  bool human = false, automatic = false, bounced = false;
  for (const store::Reply& r : replies) {
    if (r.notice_id != notice_id) continue;
    human |= r.kind == "human";
    automatic |= r.kind == "auto_reply";
    bounced |= r.kind == "bounce";
  }
  if (human) return "replied";
  if (bounced) return "not delivered (bounced)";
  if (automatic) return "auto-reply only";
  return "no reply";
}

domain::Job ReadRepliesJob(UnixMillis run_at, std::chrono::milliseconds every) {
  const int64_t period = std::max<int64_t>(every.count(), 1000);
  domain::Job job;
  job.kind = std::string(kReadRepliesJob);
  job.payload_json = "{}";
  job.run_at = run_at;
  job.idempotency_key = "notice.replies:" + std::to_string(run_at / period);
  return job;
}

ReplyReader::ReplyReader(Stores stores, const Clock& clock, const secrets::Sealer& sealer,
                         Mailbox& mailbox, ReplySettings settings)
    : audit_(stores.get<store::AuditLog>()),
      notices_(stores.get<store::NoticeStore>()),
      replies_(stores.get<store::ReplyStore>()),
      jobs_(stores.get<store::JobQueue>()),
      clock_(clock),
      sealer_(sealer),
      mailbox_(mailbox),
      settings_(std::move(settings)) {}

Result<domain::Notice> ReplyReader::NoticeOf(const notify::InboundMessage& message) {
  if (!settings_.reply_domain.empty()) {
    const std::string token = notify::ReplyToken(message, settings_.reply_domain);
    if (!token.empty()) return notices_.FindNoticeByReplyToken(token);
  }
  // Newest reference first: a thread's last message is the one answered.
  std::vector<std::string> ids;
  if (!message.in_reply_to.empty()) ids.push_back(message.in_reply_to);
  ids.insert(ids.end(), message.references.rbegin(), message.references.rend());
  if (!message.bounced_message_id.empty()) ids.push_back(message.bounced_message_id);
  for (const std::string& id : ids) {
    const auto key = notify::KeyForMessageId(id, settings_.from_domain);
    if (!key) continue;
    auto notice = notices_.FindNoticeByKey(*key);
    if (notice.status().code() != StatusCode::kNotFound) return notice;
  }
  return NotFound("the message answers no notice");
}

Status ReplyReader::Attach(const domain::Notice& notice, const notify::InboundMessage& message) {
  const UnixMillis now = clock_.Now();
  store::Reply reply;
  reply.notice_id = notice.id;
  reply.case_id = notice.case_id;
  // A message without its own Message-ID is told apart by its place in the mailbox.
  reply.message_id = message.message_id.empty()
                         ? "uid:" + mailbox_.Name() + ":" + std::to_string(message.uid)
                         : message.message_id;
  reply.kind = std::string(notify::ReplyKindName(message.kind));
  reply.received_at = message.date != 0 ? message.date : now;
  std::string from = message.from_address;
  if (!message.from_name.empty()) from = message.from_name + " <" + from + ">";
  reply.ciphertext = SealReply(sealer_, notice.id, {from, message.subject, message.text});
  const std::string action =
      message.kind == notify::ReplyKind::kBounce ? "notice.bounced" : "notice.reply";
  auto added = replies_.AddReply(
      reply,
      {0, notice.case_id, "system", action,
       json{{"notice", notice.id}, {"kind", reply.kind}, {"why", message.kind_reason}}.dump(),
       now});
  // A notice erased with its case since the message came: nothing to attach it to.
  if (added.status().code() == StatusCode::kNotFound) return Status::Ok();
  return added.ok() ? Status::Ok() : added.status();
}

Status ReplyReader::Handle(const domain::Job& job) {
  const std::string name = mailbox_.Name();
  auto cursor = replies_.GetMailboxCursor(name);
  if (!cursor.ok()) return cursor.status();
  for (int batch = 0; batch < kBatchesPerRun; ++batch) {
    auto got = mailbox_.Fetch(static_cast<uint32_t>(cursor->uidvalidity),
                              static_cast<uint32_t>(cursor->last_uid));
    if (!got.ok()) {
      // Said where staff see it, and tried again at the next read: a job that gave up after its
      // retries would stop replies being read until the server restarts.
      if (Status s = audit_.AppendEvent(
              {0, std::nullopt, "system", "replies.unreadable",
               json{{"mailbox", name}, {"error", got.status().message()}}.dump(), clock_.Now()});
          !s.ok()) {
        return s;
      }
      break;
    }
    for (const notify::InboundMessage& message : got->messages) {
      auto notice = NoticeOf(message);
      if (notice.status().code() == StatusCode::kNotFound) continue;
      if (!notice.ok()) return notice.status();
      if (Status s = Attach(*notice, message); !s.ok()) return s;
    }
    // Only after every message of the batch is stored: a crash re-reads it, and AddReply keeps
    // each message once.
    cursor = store::MailboxCursor{got->uidvalidity, got->last_uid};
    if (Status s = replies_.PutMailboxCursor(name, *cursor); !s.ok()) return s;
    if (!got->more) break;
  }
  const UnixMillis now = clock_.Now();
  auto next = jobs_.EnqueueJob(
      ReadRepliesJob(std::max(now, job.run_at) + static_cast<UnixMillis>(settings_.every.count()),
                     settings_.every));
  return next.ok() ? Status::Ok() : next.status();
}

}  // namespace takedown::casework
