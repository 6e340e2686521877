// Casework: what drafting a notice and escalating one share (drafting.h).
#include "casework/drafting.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "casework/access.h"
#include "casework/outbox.h"
#include "discovery/sighting_check.h"
#include "secrets/secrets.h"

namespace takedown::casework {
namespace {

// Drafts looked at for an address just approved or written to (a bound on the work per notice).
constexpr int kDraftsApprovedAtOnce = 1000;

using domain::ChannelKind;
using domain::NoticeState;
using json = nlohmann::json;

}  // namespace

notify::Evidence EvidenceOf(const domain::Sighting& s) {
  const json evidence = json::parse(s.evidence_json, nullptr, false);
  if (evidence.is_object() && evidence.contains("last_match")) return notify::Evidence::kMatched;
  if (s.origin == domain::SightingOrigin::kSurvivor) return notify::Evidence::kReported;
  if (!s.confirmed_by.empty()) return notify::Evidence::kConfirmed;
  return notify::Evidence::kUnconfirmed;
}

bool Nameable(const domain::Sighting& s) {
  return !s.needs_review && EvidenceOf(s) != notify::Evidence::kUnconfirmed;
}

// One evidence item of a sighting, from what discovery recorded.
notify::Item ItemOf(const domain::Sighting& s) {
  notify::Item item;
  // Links pasted without a scheme were stored as pasted before intake added "https://"; their
  // normalised form is always an https address, so such a link is quoted in that form rather than
  // failing the notice, and with it every other notice of the case.
  const bool has_scheme = s.url.starts_with("https://") || s.url.starts_with("http://");
  item.url = has_scheme ? s.url : s.normalized_url;
  item.last_checked = s.last_checked;
  item.evidence = EvidenceOf(s);
  // "First found" only where first_seen is when the copy was first seen: a watched source's
  // crawl found it then. A pasted or reported link was first seen by whoever gave it to us.
  if (s.origin == domain::SightingOrigin::kWatch) item.first_seen = s.first_seen;
  if (item.evidence == notify::Evidence::kReported) item.reported_at = s.first_seen;
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
// first web form (a person's work every time). Child sexual abuse material goes to the team the
// platform names for it, which acts and reports to its hotline faster than the general one.
const platforms::Channel* ChannelOf(const platforms::Platform* p, domain::AgeGroup age) {
  if (p == nullptr) return nullptr;
  const std::vector<platforms::Channel>& channels =
      domain::IsMinor(age) && !p->child_safety.empty() ? p->child_safety : p->channels;
  for (ChannelKind kind : {ChannelKind::kEmail, ChannelKind::kApi, ChannelKind::kWebForm}) {
    for (const auto& c : channels) {
      if (c.kind == kind) return &c;
    }
  }
  return channels.empty() ? nullptr : &channels.front();
}

std::optional<notify::Survivor> SurvivorOf(const domain::Case& c, const NoticeSetup& setup) {
  if (c.named_in_notices == domain::NamedInNotices::kNo) return std::nullopt;
  auto name = setup.sealer.Open(c.name_ciphertext, NameContext(c.code));
  if (!name.ok() || name->empty()) return std::nullopt;
  notify::Survivor survivor{*name, ""};
  // Only the contact she chose for notices: the one she gave the organisation never goes out.
  if (c.named_in_notices == domain::NamedInNotices::kNameAndContact &&
      !c.notice_contact_ciphertext.empty()) {
    auto contact = setup.sealer.Open(c.notice_contact_ciphertext, NoticeContactContext(c.code));
    if (contact.ok()) survivor.contact = *contact;
  }
  return survivor;
}

std::string NoticeLanguage(const std::string& hers, const platforms::Platform* platform) {
  if (platform == nullptr || platform->languages.empty()) return hers;
  const auto& takes = platform->languages;
  return std::find(takes.begin(), takes.end(), hers) != takes.end() ? hers : takes.front();
}

Result<notify::Organisation> OrganisationOf(const NoticeSetup& setup) {
  auto saved = setup.profile.GetOrganisation();
  if (!saved.ok()) return saved.status();
  if (!saved->has_value()) return setup.organisation;
  const store::OrganisationProfile& p = **saved;
  return notify::Organisation{p.name,    p.email,     p.phone,         p.address,
                              p.website, p.signatory, p.signatory_role};
}

std::vector<std::string> OrganisationLacks(const notify::Organisation& organisation) {
  // What every legal profile's notice prints of its sender: who it is and how to answer it.
  std::vector<std::string> lacks;
  if (organisation.name.empty()) lacks.emplace_back("name");
  if (organisation.email.empty()) lacks.emplace_back("email");
  if (organisation.signatory.empty()) lacks.emplace_back("signatory");
  return lacks;
}

notify::NoticeInput InputFor(const domain::Case& c, const NoticeSetup& setup,
                             const notify::Organisation& organisation,
                             const std::vector<domain::Sighting>& sightings, UnixMillis now,
                             int rung) {
  notify::NoticeInput in;
  in.language = c.language;
  in.jurisdiction = c.jurisdiction;
  in.organisation = organisation;
  in.authorised = c.authorised;
  in.depicts_minor = domain::IsMinor(c.age);
  in.ai_made = c.ai_made;
  in.survivor = SurvivorOf(c, setup);
  for (const domain::Sighting& s : sightings) in.items.push_back(ItemOf(s));
  if (!sightings.empty()) {
    std::vector<int64_t> ids;
    for (const domain::Sighting& s : sightings) ids.push_back(s.id);
    in.reference = domain::NoticeReference(c.id, ids, rung);
  }
  if (!organisation.signatory.empty()) in.signature = "/s/ " + organisation.signatory;
  in.drafted_at = now;
  return in;
}

std::string CycleKey(const std::vector<domain::Sighting>& sightings) {
  // A copy back after a removal is a new cycle (discovery counts it in the evidence): drafting it
  // again must make a new notice, not find the one that went out before it came down.
  int cycle = 0;
  for (const domain::Sighting& s : sightings) {
    const json evidence = json::parse(s.evidence_json, nullptr, false);
    if (evidence.is_object()) cycle = std::max(cycle, evidence.value("cycle", 0));
  }
  return cycle > 0 ? ":cycle" + std::to_string(cycle) : std::string();
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
  n.idempotency_key = key_prefix + ":" + ids + CycleKey(sightings);
  n.created_at = now;
  // Lower case: mail systems may change the case of an address's local part.
  n.reply_token = secrets::RandomToken(12);
  std::transform(n.reply_token.begin(), n.reply_token.end(), n.reply_token.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return n;
}

bool AddressIsGuessed(const domain::Notice& notice) {
  return notice.recipient_kind == domain::RecipientKind::kPlatform &&
         notice.address == "abuse@" + notice.recipient;
}

namespace {

Result<domain::Settings> SettingsOf(store::SettingsStore& settings_store) {
  auto stored = settings_store.GetSettings();
  if (!stored.ok()) return stored.status();
  return domain::SettingsFrom(*stored);
}

// ApproveIfAutomatic under `settings` (send_automatically on), where `address_known` says the
// address was written to or approved by a person already (so no first-contact rule applies).
Result<domain::Notice> Approve(const domain::Settings& settings, store::NoticeStore& notices,
                               store::JobQueue& jobs, const domain::Notice& draft, UnixMillis now,
                               bool address_known) {
  if (draft.state != NoticeState::kDraft || !draft.missing.empty() || !SentByUs(draft)) {
    return draft;
  }
  auto before = notices.CountNoticesOutTo(draft.address);
  if (!before.ok()) return before.status();
  const bool first_contact = *before == 0 && !address_known;
  if (first_contact) {
    const bool allowed =
        settings.first_contact == domain::FirstContact::kAny ||
        (settings.first_contact == domain::FirstContact::kPublished && !AddressIsGuessed(draft));
    if (!allowed) return draft;
  }
  json detail = {{"notice", draft.id}, {"automatic", true}};
  if (first_contact) detail["first_contact"] = true;
  if (Status s = notices.MoveNotice(
          draft.id, NoticeState::kApproved, {now, "system", ""},
          domain::Event{0, draft.case_id, "system", "notice.approved", detail.dump(), now});
      !s.ok()) {
    return s;
  }
  auto job = jobs.EnqueueJob(SendNoticeJob(draft, now, "approved:" + std::to_string(now)));
  if (!job.ok()) return job.status();
  return notices.GetNotice(draft.id);
}

}  // namespace

Result<domain::Notice> ApproveIfAutomatic(store::SettingsStore& settings,
                                          store::NoticeStore& notices, store::JobQueue& jobs,
                                          const domain::Notice& draft, UnixMillis now) {
  auto now_set = SettingsOf(settings);
  if (!now_set.ok()) return now_set.status();
  if (!now_set->send_automatically) return draft;
  return Approve(*now_set, notices, jobs, draft, now, false);
}

Status ApproveDraftsTo(store::SettingsStore& settings, store::NoticeStore& notices,
                       store::JobQueue& jobs, const std::string& address, UnixMillis now) {
  // Read once, and the drafts (opened from their seals) only when anything may go out.
  auto now_set = SettingsOf(settings);
  if (!now_set.ok()) return now_set.status();
  if (!now_set->send_automatically) return Status::Ok();
  auto drafts = notices.NoticesInState(NoticeState::kDraft, kDraftsApprovedAtOnce);
  if (!drafts.ok()) return drafts.status();
  for (const domain::Notice& draft : *drafts) {
    if (draft.address != address) continue;
    if (auto approved = Approve(*now_set, notices, jobs, draft, now, true); !approved.ok()) {
      return approved.status();
    }
  }
  return Status::Ok();
}

}  // namespace takedown::casework
