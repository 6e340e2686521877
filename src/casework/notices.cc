// Casework: a caseworker's decisions on drafted notices (approve, mark a web form submitted,
// cancel). Sending an approved email or webhook notice is a "notice.send" job (outbox.h).
#include <nlohmann/json.hpp>

#include "casework/access.h"
#include "casework/casework.h"
#include "casework/outbox.h"
#include "discovery/sighting_check.h"

namespace takedown::casework {
namespace {

using domain::NoticeState;
using json = nlohmann::json;

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

Status Casework::ApproveNotice(const Actor& who, int64_t notice_id) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  auto notice = store_.GetNotice(notice_id);
  if (!notice.ok()) return notice.status();
  if (!notice->missing.empty()) {
    return FailedPrecondition("the notice lacks what its legal profile requires: " +
                              Joined(notice->missing));
  }
  const UnixMillis now = clock_.Now();
  if (Status s = store_.MoveNotice(
          notice_id, NoticeState::kApproved, {now, who.Name(), ""},
          MakeEvent(who, notice->case_id, "notice.approved", json{{"notice", notice_id}}.dump()));
      !s.ok()) {
    return s;
  }
  if (!SentByUs(*notice)) return Status::Ok();  // a web form: the caseworker submits it
  auto job = store_.EnqueueJob(SendNoticeJob(*notice, now, "approved:" + std::to_string(now)));
  return job.ok() ? Status::Ok() : job.status();
}

Status Casework::MarkNoticeSubmitted(const Actor& who, int64_t notice_id) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  auto notice = store_.GetNotice(notice_id);
  if (!notice.ok()) return notice.status();
  if (SentByUs(*notice)) {
    return FailedPrecondition("this notice goes out by " + notice->channel +
                              ": approve it and Takedown sends it");
  }
  if (!notice->missing.empty()) {
    return FailedPrecondition("the notice lacks what its legal profile requires: " +
                              Joined(notice->missing));
  }
  const UnixMillis now = clock_.Now();
  if (Status s = store_.MoveNotice(
          notice_id, NoticeState::kSubmitted, {now, who.Name(), ""},
          MakeEvent(who, notice->case_id, "notice.submitted", json{{"notice", notice_id}}.dump()));
      !s.ok()) {
    return s;
  }
  auto submitted = store_.GetNotice(notice_id);
  if (!submitted.ok()) return submitted.status();
  auto checks = discovery::QueueDeadlineChecks(store_, *submitted, now);
  return checks.ok() ? Status::Ok() : checks.status();
}

Result<domain::Notice> Casework::GetNotice(const Actor& who, int64_t notice_id) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  return store_.GetNotice(notice_id);
}

Status Casework::CancelNotice(const Actor& who, int64_t notice_id) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  auto notice = store_.GetNotice(notice_id);
  if (!notice.ok()) return notice.status();
  return store_.MoveNotice(
      notice_id, NoticeState::kCancelled, {clock_.Now(), who.Name(), ""},
      MakeEvent(who, notice->case_id, "notice.cancelled", json{{"notice", notice_id}}.dump()));
}

}  // namespace takedown::casework
