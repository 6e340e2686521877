// Casework: a caseworker's work on notices (notices.h). Sending an approved email or webhook
// notice is a "notice.send" job (outbox.h).
#include "casework/notices.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "casework/access.h"
#include "casework/drafting.h"
#include "casework/outbox.h"
#include "discovery/sighting_check.h"

namespace takedown::casework {
namespace {

using domain::ChannelKind;
using domain::NoticeState;
using json = nlohmann::json;

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

Notices::Notices(Stores stores, const Clock& clock, const platforms::PlatformDirectory& platforms,
                 const NoticeSetup& setup, const notify::DossierTemplates& dossier)
    : cases_(stores.get<store::CaseStore>()),
      audit_(stores.get<store::AuditLog>()),
      sightings_(stores.get<store::SightingStore>()),
      notices_(stores.get<store::NoticeStore>(), setup.sealer),
      replies_(stores.get<store::ReplyStore>()),
      jobs_(stores.get<store::JobQueue>()),
      settings_(stores.get<store::SettingsStore>()),
      organisation_(stores.get<store::OrganisationStore>()),
      clock_(clock),
      platforms_(platforms),
      setup_(setup),
      dossier_(dossier),
      drafter_(stores, clock, platforms, setup) {}

domain::Event Notices::EventOf(const Actor& who, std::optional<int64_t> case_id, std::string action,
                               std::string detail_json) const {
  return MakeEvent(who, case_id, std::move(action), clock_.Now(), std::move(detail_json));
}

std::optional<domain::Event> Notices::EventOf(Audit audit, const Actor& who, int64_t case_id,
                                              std::string action, int64_t notice_id) const {
  if (audit == Audit::kInBulk) return std::nullopt;
  return EventOf(who, case_id, std::move(action), json{{"notice", notice_id}}.dump());
}

Result<std::vector<domain::Notice>> Notices::DraftNotices(const Actor& who, int64_t case_id,
                                                          const std::vector<int64_t>& only) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  return drafter_.Draft(who, case_id, only);
}

Status Notices::ApproveNotice(const Actor& who, int64_t notice_id, Audit audit) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  auto notice = notices_.GetNotice(notice_id);
  if (!notice.ok()) return notice.status();
  if (!notice->missing.empty()) {
    return FailedPrecondition("the notice lacks what its legal profile requires: " +
                              Joined(notice->missing));
  }
  const UnixMillis now = clock_.Now();
  if (Status s =
          notices_.MoveNotice(notice_id, NoticeState::kApproved, {now, who.Name(), ""},
                              EventOf(audit, who, notice->case_id, "notice.approved", notice_id));
      !s.ok()) {
    return s;
  }
  if (!SentByUs(*notice)) return Status::Ok();  // a web form: the caseworker submits it
  auto job = jobs_.EnqueueJob(SendNoticeJob(*notice, now, "approved:" + std::to_string(now)));
  if (!job.ok()) return job.status();
  // She has vouched for the address: its other drafts need not wait for her one by one.
  return ApproveDraftsTo(settings_, notices_, jobs_, notice->address, now);
}

Status Notices::MarkNoticeSubmitted(const Actor& who, int64_t notice_id, Audit audit) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  auto notice = notices_.GetNotice(notice_id);
  if (!notice.ok()) return notice.status();
  if (SentByUs(*notice)) {
    return FailedPrecondition("this notice goes out by " +
                              std::string(domain::ChannelKindName(notice->channel)) +
                              ": approve it and Takedown sends it");
  }
  if (!notice->missing.empty()) {
    return FailedPrecondition("the notice lacks what its legal profile requires: " +
                              Joined(notice->missing));
  }
  const UnixMillis now = clock_.Now();
  if (Status s =
          notices_.MoveNotice(notice_id, NoticeState::kSubmitted, {now, who.Name(), ""},
                              EventOf(audit, who, notice->case_id, "notice.submitted", notice_id));
      !s.ok()) {
    return s;
  }
  auto submitted = notices_.GetNotice(notice_id);
  if (!submitted.ok()) return submitted.status();
  auto checks = discovery::QueueDeadlineChecks(jobs_, *submitted, now);
  return checks.ok() ? Status::Ok() : checks.status();
}

Result<domain::Notice> Notices::GetNotice(const Actor& who, int64_t notice_id) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  auto notice = notices_.GetNotice(notice_id);
  if (!notice.ok()) return notice;
  auto c = cases_.GetCase(notice->case_id);
  if (!c.ok()) return c.status();
  if (Status s = audit_.AppendEvent(ReadEvent(who, notice->case_id, "notice", clock_.Now()));
      !s.ok()) {
    return s;
  }
  Withheld(who, *c, setup_.sealer).Apply(*notice);
  return notice;
}

Status Notices::CancelNotice(const Actor& who, int64_t notice_id, Audit audit) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  auto notice = notices_.GetNotice(notice_id);
  if (!notice.ok()) return notice.status();
  return notices_.MoveNotice(notice_id, NoticeState::kCancelled, {clock_.Now(), who.Name(), ""},
                             EventOf(audit, who, notice->case_id, "notice.cancelled", notice_id));
}

Result<std::vector<BulkResult>> Notices::DecideNotices(const Actor& who, int64_t case_id,
                                                       NoticeDecision decision,
                                                       const std::vector<int64_t>& notice_ids) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (Status s = CheckBulkIds(notice_ids); !s.ok()) return s;
  if (auto c = cases_.GetCase(case_id); !c.ok()) return c.status();
  auto listed = notices_.ListNotices(case_id);
  if (!listed.ok()) return listed.status();
  std::set<int64_t> in_case;
  for (const domain::Notice& n : *listed) in_case.insert(n.id);
  auto decide = [&](int64_t id) {
    switch (decision) {
      case NoticeDecision::kApprove:
        return ApproveNotice(who, id, Audit::kInBulk);
      case NoticeDecision::kCancel:
        return CancelNotice(who, id, Audit::kInBulk);
      case NoticeDecision::kSubmitted:
        return MarkNoticeSubmitted(who, id, Audit::kInBulk);
      case NoticeDecision::kRedraft: {
        auto draft = Redraft(who, id, std::nullopt, Audit::kInBulk);
        return draft.ok() ? Status::Ok() : draft.status();
      }
    }
    return InvalidArgument("no such decision");
  };
  auto state_of = [&](int64_t id) -> Result<std::string> {
    auto n = notices_.GetNotice(id);
    if (!n.ok()) return n.status();
    return std::string(domain::NoticeStateName(n->state));
  };
  std::vector<BulkResult> results = DecideEach(notice_ids, in_case, decide, state_of);
  if (Status s = audit_.AppendEvent(
          EventOf(who, case_id, "notices.bulk", BulkDetail(NoticeDecisionName(decision), results)));
      !s.ok()) {
    return s;
  }
  return results;
}

Status Notices::SendNoticeAgain(const Actor& who, int64_t notice_id) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  auto notice = notices_.GetNotice(notice_id);
  if (!notice.ok()) return notice.status();
  if (!SentByUs(*notice)) {
    return FailedPrecondition("a " + std::string(domain::ChannelKindName(notice->channel)) +
                              " notice is submitted by a caseworker");
  }
  const UnixMillis now = clock_.Now();
  if (notice->state == NoticeState::kFailed) {
    if (Status s =
            notices_.MoveNotice(notice_id, NoticeState::kApproved, {now, who.Name(), ""},
                                EventOf(who, notice->case_id, "notice.approved",
                                        json{{"notice", notice_id}, {"again", true}}.dump()));
        !s.ok()) {
      return s;
    }
  } else if (notice->state != NoticeState::kApproved) {
    return FailedPrecondition(
        "only an approved notice that was not sent, or a failed one, can be "
        "sent again (this one is " +
        std::string(domain::NoticeStateName(notice->state)) + ")");
  }
  auto job = jobs_.EnqueueJob(SendNoticeJob(*notice, now, "again:" + std::to_string(now)));
  return job.ok() ? Status::Ok() : job.status();
}

Result<std::vector<domain::Notice>> Notices::CaseNotices(const Actor& who, int64_t case_id) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  auto c = cases_.GetCase(case_id);
  if (!c.ok()) return c.status();
  if (Status s = audit_.AppendEvent(ReadEvent(who, case_id, "notices", clock_.Now())); !s.ok()) {
    return s;
  }
  auto notices = notices_.ListNotices(case_id);
  if (!notices.ok()) return notices;
  const Withheld withheld(who, *c, setup_.sealer);
  for (domain::Notice& n : *notices) withheld.Apply(n);
  return notices;
}

Result<std::vector<ReplyView>> Notices::CaseReplies(const Actor& who, int64_t case_id) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  auto c = cases_.GetCase(case_id);
  if (!c.ok()) return c.status();
  if (Status s = audit_.AppendEvent(ReadEvent(who, case_id, "replies", clock_.Now())); !s.ok()) {
    return s;
  }
  return RepliesOf(case_id, Withheld(who, *c, setup_.sealer));
}

Result<std::vector<ReplyView>> Notices::RepliesOf(int64_t case_id, const Withheld& withheld) {
  auto replies = replies_.ListReplies(case_id);
  if (!replies.ok()) return replies.status();
  std::vector<ReplyView> out;
  for (const store::Reply& r : *replies) {
    ReplyView view{r.id, r.notice_id, r.kind, r.received_at, "", "", ""};
    auto opened = OpenReply(setup_.sealer, r);
    if (opened.ok()) {
      // A reply may quote the notice, which names her.
      view.from = withheld.Apply(opened->from);
      view.subject = withheld.Apply(opened->subject);
      view.text = withheld.Apply(opened->text);
    } else {
      view.text = "(cannot be unsealed with this server's key)";
    }
    out.push_back(std::move(view));
  }
  return out;
}

Result<Settings> Notices::GetSettings(const Actor& who) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  auto stored = settings_.GetSettings();
  if (!stored.ok()) return stored.status();
  return domain::SettingsFrom(*stored);
}

Status Notices::PutSettings(const Actor& who, const Settings& settings) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (who.role != domain::Role::kAdmin) return PermissionDenied("admins only");
  auto stored = settings_.GetSettings();
  if (!stored.ok()) return stored.status();
  const auto was = domain::SettingsEntries(domain::SettingsFrom(*stored));
  // One settings.changed event per setting that changed, saying from what to what.
  for (const auto& [key, value] : domain::SettingsEntries(settings)) {
    const std::string& before = was.at(key);
    if (before == value) continue;
    if (Status s = settings_.PutSetting(
            key, value,
            EventOf(who, std::nullopt, "settings.changed",
                    json{{"setting", key}, {"from", before}, {"to", value}}.dump()));
        !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

}  // namespace takedown::casework
