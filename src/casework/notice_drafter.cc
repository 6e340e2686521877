#include "casework/notice_drafter.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "casework/access.h"
#include "casework/drafting.h"
#include "discovery/sighting_check.h"
#include "domain/settings.h"

namespace takedown::casework {
namespace {

using domain::ChannelKind;
using domain::NoticeState;
using json = nlohmann::json;

// The deadline of a first notice to a site no platform entry knows (issue 17 item 2).
constexpr int kGuessedMailboxHours = 24;

}  // namespace

NoticeDrafter::NoticeDrafter(Stores stores, const Clock& clock,
                             const platforms::PlatformDirectory& platforms,
                             const NoticeSetup& setup)
    : cases_(stores.get<store::CaseStore>()),
      sightings_(stores.get<store::SightingStore>()),
      notices_(stores.get<store::NoticeStore>(), setup.sealer),
      jobs_(stores.get<store::JobQueue>()),
      settings_(stores.get<store::SettingsStore>()),
      clock_(clock),
      platforms_(platforms),
      setup_(setup) {}

Result<std::vector<domain::Notice>> NoticeDrafter::Draft(const Actor& who, int64_t case_id,
                                                         const std::vector<int64_t>& only) {
  auto c = cases_.GetCase(case_id);
  if (!c.ok()) return c.status();
  auto sightings = sightings_.ListSightings(case_id);
  if (!sightings.ok()) return sightings.status();
  // One notice per recipient: the platform, or the site when no platform is known.
  std::map<std::string, std::vector<domain::Sighting>> groups;
  for (const domain::Sighting& s : *sightings) {
    if (!only.empty() && std::find(only.begin(), only.end(), s.id) == only.end()) continue;
    const bool up =
        s.state == domain::SightingState::kFound || s.state == domain::SightingState::kReappeared;
    if (!up || !Nameable(s)) continue;
    groups[s.platform.empty() ? "site:" + s.host : s.platform].push_back(s);
  }
  if (groups.empty()) {
    return FailedPrecondition(
        "no confirmed sighting of this case is waiting for a notice (found or reappeared; a link "
        "that matched none of her images and that she did not report needs a caseworker to "
        "confirm it)");
  }
  auto organisation = OrganisationOf(setup_);
  if (!organisation.ok()) return organisation.status();
  const UnixMillis now = clock_.Now();
  std::vector<domain::Notice> out;
  for (const auto& [recipient, members] : groups) {
    auto draft = Render(*c, *organisation, recipient, members,
                        "notice:" + std::to_string(case_id) + ":" + recipient, now);
    if (!draft.ok()) return draft.status();
    auto kept =
        Keep(who, *draft, recipient,
             json{{"recipient", draft->recipient}, {"sightings", draft->sighting_ids}}, now);
    if (!kept.ok()) return kept.status();
    out.push_back(std::move(*kept));
  }
  return out;
}

Result<domain::Notice> NoticeDrafter::Render(const domain::Case& c,
                                             const notify::Organisation& organisation,
                                             const std::string& recipient,
                                             const std::vector<domain::Sighting>& members,
                                             const std::string& key_prefix, UnixMillis now) const {
  const platforms::Platform* platform =
      recipient.starts_with("site:") ? nullptr : platforms_.Find(recipient);
  const platforms::Channel* channel = ChannelOf(platform, c.age);
  notify::NoticeInput in = InputFor(c, setup_, organisation, members, now);
  in.language = NoticeLanguage(c.language, platform);
  in.recipient_kind = domain::RecipientKind::kPlatform;
  in.recipient_name = platform ? platform->name : members.front().host;
  // A site no entry knows is written to at a guessed mailbox, rarely read, with its host beside
  // it: a day, as a repeat gets, before its registrar is written to as well.
  in.platform_deadline_hours = platform ? platform->deadline_hours : kGuessedMailboxHours;
  auto rendered = setup_.library.Render(in);
  if (!rendered.ok()) return rendered.status();

  domain::Notice n = DraftOf(c, *rendered, members, key_prefix, now);
  n.recipient_kind = domain::RecipientKind::kPlatform;
  n.recipient = platform ? platform->id : members.front().host;
  n.channel = channel ? channel->kind : ChannelKind::kWebForm;
  n.address = channel ? channel->destination() : "";
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
  return n;
}

Result<domain::Notice> NoticeDrafter::Keep(const Actor& who, const domain::Notice& draft,
                                           const std::string& recipient, json event_detail,
                                           UnixMillis now) {
  auto id = notices_.CreateNotice(
      draft, MakeEvent(who, draft.case_id, "notice.drafted", now, event_detail.dump()));
  if (!id.ok()) return id.status();
  auto stored = notices_.GetNotice(*id);
  if (!stored.ok()) return stored.status();
  const platforms::Platform* platform =
      recipient.starts_with("site:") ? nullptr : platforms_.Find(recipient);
  if (platform == nullptr || platform->kind == "content_farm") {
    // Their own mailbox is rarely read: the hosting provider hears of it at the same time
    // (escalation.h), looked up by RDAP on the job loop, not on this request.
    domain::Job beside;
    beside.kind = std::string(discovery::kEscalateJob);
    beside.payload_json = json{{"notice", *id}, {"beside", true}}.dump();
    beside.run_at = now;
    beside.case_id = draft.case_id;
    beside.idempotency_key = "notice.beside:" + std::to_string(*id);
    if (auto queued = jobs_.EnqueueJob(beside); !queued.ok()) return queued.status();
  }
  return ApproveIfAutomatic(settings_, notices_, jobs_, *stored, now);
}

Status NoticeDrafter::HandleDraftJob(const domain::Job& job) {
  const json payload = json::parse(job.payload_json, nullptr, false);
  if (!payload.is_object() || !payload["case"].is_number_integer()) {
    return InvalidArgument("a case.draft job names its case");
  }
  const int64_t case_id = payload["case"].get<int64_t>();
  auto stored = settings_.GetSettings();
  if (!stored.ok()) return stored.status();
  if (!domain::SettingsFrom(*stored).draft_automatically) return Status::Ok();
  auto sightings = sightings_.ListSightings(case_id);
  if (!sightings.ok()) {
    return sightings.status().code() == StatusCode::kNotFound ? Status::Ok() : sightings.status();
  }
  auto notices = notices_.ListNotices(case_id);
  if (!notices.ok()) return notices.status();
  std::set<int64_t> in_hand;
  for (const domain::Notice& n : *notices) {
    const bool active = n.state == NoticeState::kDraft || n.state == NoticeState::kApproved ||
                        n.state == NoticeState::kSending;
    if (active) in_hand.insert(n.sighting_ids.begin(), n.sighting_ids.end());
  }
  std::vector<int64_t> waiting;
  for (const domain::Sighting& s : *sightings) {
    const bool up =
        s.state == domain::SightingState::kFound || s.state == domain::SightingState::kReappeared;
    if (up && Nameable(s) && !in_hand.contains(s.id)) waiting.push_back(s.id);
  }
  if (waiting.empty()) return Status::Ok();
  auto drafted = Draft(Actor{}, case_id, waiting);
  if (!drafted.ok() && drafted.status().code() == StatusCode::kNotFound) return Status::Ok();
  return drafted.ok() ? Status::Ok() : drafted.status();
}

}  // namespace takedown::casework
