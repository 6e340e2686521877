// Casework: a caseworker's decisions on drafted notices (approve, mark a web form submitted,
// cancel). Sending an approved email or webhook notice is a "notice.send" job (outbox.h).
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "casework/access.h"
#include "casework/casework.h"
#include "casework/drafting.h"
#include "casework/outbox.h"
#include "discovery/sighting_check.h"
#include "secrets/secrets.h"

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

// One evidence item of a sighting, from what discovery recorded.
notify::Item ItemOf(const domain::Sighting& s) {
  notify::Item item;
  item.url = s.url;
  item.first_seen = s.first_seen;
  item.last_checked = s.last_checked;
  const json evidence = json::parse(s.evidence_json, nullptr, false);
  if (!evidence.is_object()) return item;
  item.title = evidence.value("title", "");
  if (evidence.contains("last_match") && evidence["last_match"].is_object()) {
    const json& m = evidence["last_match"];
    const std::string media = m.value("media_url", "");
    if (media != s.url && media != evidence.value("final_url", "")) item.media_url = media;
    item.sha256 = m.value("sha256", "");
    if (m.contains("distance") && m["distance"].is_number_integer()) {
      item.distance = m["distance"].get<int>();
    }
  }
  return item;
}

// Where a notice to the platform goes: its first email channel, else its notice API, else its
// first web form (a person's work every time).
const platforms::Channel* ChannelOf(const platforms::Platform* p) {
  if (p == nullptr) return nullptr;
  for (ChannelKind kind : {ChannelKind::kEmail, ChannelKind::kApi, ChannelKind::kWebForm}) {
    for (const auto& c : p->channels) {
      if (domain::ParseChannelKind(c.kind) == kind) return &c;
    }
  }
  return p->channels.empty() ? nullptr : &p->channels.front();
}

std::optional<notify::Survivor> SurvivorOf(const domain::Case& c, const NoticeSetup& setup) {
  if (c.named_in_notices == domain::NamedInNotices::kNo || setup.sealer == nullptr) {
    return std::nullopt;
  }
  auto name = setup.sealer->Open(c.name_ciphertext, NameContext(c.code));
  if (!name.ok() || name->empty()) return std::nullopt;
  notify::Survivor survivor{*name, ""};
  if (c.named_in_notices == domain::NamedInNotices::kNameAndContact) {
    auto contact = setup.sealer->Open(c.contact_ciphertext, ContactContext(c.code));
    if (contact.ok()) survivor.contact = *contact;
  }
  return survivor;
}

notify::NoticeInput InputFor(const domain::Case& c, const NoticeSetup& setup,
                             const std::vector<domain::Sighting>& sightings, UnixMillis now) {
  notify::NoticeInput in;
  in.language = c.language;
  in.jurisdiction = c.jurisdiction;
  in.organisation = setup.organisation;
  in.authorised = c.authorised;
  in.survivor = SurvivorOf(c, setup);
  for (const domain::Sighting& s : sightings) in.items.push_back(ItemOf(s));
  if (!sightings.empty()) {
    std::vector<int64_t> ids;
    for (const domain::Sighting& s : sightings) ids.push_back(s.id);
    in.reference = domain::NoticeReference(c.id, ids);
  }
  if (!setup.organisation.signatory.empty()) in.signature = "/s/ " + setup.organisation.signatory;
  in.drafted_at = now;
  return in;
}

domain::Notice DraftOf(const domain::Case& c, const notify::RenderedNotice& rendered,
                       const std::vector<domain::Sighting>& sightings,
                       const std::string& key_prefix, UnixMillis now) {
  domain::Notice n;
  n.case_id = c.id;
  std::string ids;
  for (const domain::Sighting& s : sightings) {
    n.sighting_ids.push_back(s.id);
    ids += (ids.empty() ? "" : "-") + std::to_string(s.id);
  }
  n.legal_basis = rendered.legal_basis;
  n.subject = rendered.subject;
  n.body = rendered.text;
  n.html = rendered.html;
  n.language = rendered.language;
  for (const auto& m : rendered.missing) n.missing.push_back(m.label);
  n.deadline_hours = rendered.deadline_hours;
  n.idempotency_key = key_prefix + ":" + ids;
  n.created_at = now;
  // Lower case: mail systems may change the case of an address's local part.
  n.reply_token = secrets::RandomToken(12);
  std::transform(n.reply_token.begin(), n.reply_token.end(), n.reply_token.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return n;
}

Result<domain::Notice> ApproveIfAutomatic(store::SettingsStore& settings_store,
                                          store::NoticeStore& notices, store::JobQueue& jobs,
                                          const domain::Notice& draft, UnixMillis now) {
  if (draft.state != NoticeState::kDraft || !draft.missing.empty() || !SentByUs(draft)) {
    return draft;
  }
  auto settings = settings_store.GetSettings();
  if (!settings.ok()) return settings.status();
  if (ParseSettings(*settings).send_automatically == false) return draft;
  // A recipient never written to before gets its first notice from a person.
  auto before = notices.CountNoticesOutTo(draft.address);
  if (!before.ok()) return before.status();
  if (*before == 0) return draft;
  if (Status s = notices.MoveNotice(draft.id, NoticeState::kApproved, {now, "system", ""},
                                    {0, draft.case_id, "system", "notice.approved",
                                     json{{"notice", draft.id}, {"automatic", true}}.dump(), now});
      !s.ok()) {
    return s;
  }
  auto job = jobs.EnqueueJob(SendNoticeJob(draft, now, "approved:" + std::to_string(now)));
  if (!job.ok()) return job.status();
  return notices.GetNotice(draft.id);
}

Settings ParseSettings(const std::map<std::string, std::string>& stored) {
  Settings out;
  if (auto it = stored.find(std::string(kSendAutomatically)); it != stored.end()) {
    out.send_automatically = it->second == "true";
  }
  return out;
}

Result<std::vector<domain::Notice>> Casework::DraftNotices(const Actor& who, int64_t case_id,
                                                           const std::vector<int64_t>& only) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (notices_.library == nullptr) {
    return FailedPrecondition("this server has no notice templates loaded (data/)");
  }
  auto c = store_.GetCase(case_id);
  if (!c.ok()) return c.status();
  auto sightings = store_.ListSightings(case_id);
  if (!sightings.ok()) return sightings.status();
  // One notice per recipient: the platform, or the site when no platform is known.
  std::map<std::string, std::vector<domain::Sighting>> groups;
  for (const domain::Sighting& s : *sightings) {
    if (!only.empty() && std::find(only.begin(), only.end(), s.id) == only.end()) continue;
    const bool up =
        s.state == domain::SightingState::kFound || s.state == domain::SightingState::kReappeared;
    if (!up || s.needs_review) continue;
    groups[s.platform.empty() ? "site:" + s.host : s.platform].push_back(s);
  }
  if (groups.empty()) {
    return FailedPrecondition(
        "no confirmed sighting of this case is waiting for a notice (found or reappeared)");
  }
  const UnixMillis now = clock_.Now();
  std::vector<domain::Notice> out;
  for (const auto& [recipient, members] : groups) {
    const platforms::Platform* platform =
        recipient.starts_with("site:") ? nullptr : platforms_.Find(recipient);
    const platforms::Channel* channel = ChannelOf(platform);
    notify::NoticeInput in = InputFor(*c, notices_, members, now);
    in.recipient_kind = domain::RecipientKind::kPlatform;
    in.recipient_name = platform ? platform->name : members.front().host;
    in.platform_deadline_hours = platform ? platform->deadline_hours : 0;
    auto rendered = notices_.library->Render(in);
    if (!rendered.ok()) return rendered.status();

    domain::Notice n =
        DraftOf(*c, *rendered, members, "notice:" + std::to_string(case_id) + ":" + recipient, now);
    n.recipient_kind = domain::RecipientKind::kPlatform;
    n.recipient = platform ? platform->id : members.front().host;
    n.channel = channel ? domain::ParseChannelKind(channel->kind).value_or(ChannelKind::kWebForm)
                        : ChannelKind::kWebForm;
    n.address = channel ? (n.channel == ChannelKind::kEmail ? channel->address : channel->url) : "";
    if (platform == nullptr && !members.front().host.empty()) {
      // A site no platform entry knows: its abuse@ mailbox (RFC 2142), which the caseworker
      // sees before approving; the ladder reaches its host and registrar by RDAP after that.
      n.channel = ChannelKind::kEmail;
      n.address = "abuse@" + members.front().host;
    }
    if (n.address.empty()) {
      n.missing.push_back("an address to send it to (no platform is known for " +
                          members.front().host + ")");
    }
    n.rung = 0;
    auto id = store_.CreateNotice(
        n, MakeEvent(who, case_id, "notice.drafted",
                     json{{"recipient", n.recipient}, {"sightings", n.sighting_ids}}.dump()));
    if (!id.ok()) return id.status();
    auto stored = store_.GetNotice(*id);
    if (!stored.ok()) return stored.status();
    auto now_is = ApproveIfAutomatic(store_, store_, store_, *stored, now);
    if (!now_is.ok()) return now_is.status();
    out.push_back(std::move(*now_is));
  }
  return out;
}

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
    return FailedPrecondition("this notice goes out by " +
                              std::string(domain::ChannelKindName(notice->channel)) +
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

namespace takedown::casework {

Status Casework::SendNoticeAgain(const Actor& who, int64_t notice_id) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  auto notice = store_.GetNotice(notice_id);
  if (!notice.ok()) return notice.status();
  if (!SentByUs(*notice)) {
    return FailedPrecondition("a " + std::string(domain::ChannelKindName(notice->channel)) +
                              " notice is submitted by a caseworker");
  }
  const UnixMillis now = clock_.Now();
  if (notice->state == NoticeState::kFailed) {
    if (Status s =
            store_.MoveNotice(notice_id, NoticeState::kApproved, {now, who.Name(), ""},
                              MakeEvent(who, notice->case_id, "notice.approved",
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
  auto job = store_.EnqueueJob(SendNoticeJob(*notice, now, "again:" + std::to_string(now)));
  return job.ok() ? Status::Ok() : job.status();
}

Result<std::vector<ReplyView>> Casework::CaseReplies(const Actor& who, int64_t case_id) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  auto replies = store_.ListReplies(case_id);
  if (!replies.ok()) return replies.status();
  std::vector<ReplyView> out;
  for (const store::Reply& r : *replies) {
    ReplyView view{r.id, r.notice_id, r.kind, r.received_at, "", "", ""};
    auto opened = OpenReply(sealer_, r);
    if (opened.ok()) {
      view.from = opened->from;
      view.subject = opened->subject;
      view.text = opened->text;
    } else {
      view.text = "(cannot be unsealed with this server's key)";
    }
    out.push_back(std::move(view));
  }
  return out;
}

Result<Settings> Casework::GetSettings(const Actor& who) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  auto stored = store_.GetSettings();
  if (!stored.ok()) return stored.status();
  return ParseSettings(*stored);
}

Status Casework::PutSettings(const Actor& who, const Settings& settings) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (who.role != domain::Role::kAdmin) return PermissionDenied("admins only");
  return store_.PutSetting(
      std::string(kSendAutomatically), settings.send_automatically ? "true" : "false",
      MakeEvent(who, std::nullopt, "settings.changed",
                json{{"send_automatically", settings.send_automatically}}.dump()));
}

}  // namespace takedown::casework
