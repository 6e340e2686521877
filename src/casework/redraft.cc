// Casework: drafts rendered again when what they say changes (issue 20, item 2) — the
// organisation's profile, the case's language, a caseworker's Redraft — and the profile itself
// (notices.h).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "casework/access.h"
#include "casework/drafting.h"
#include "casework/notices.h"
#include "discovery/sighting_check.h"

namespace takedown::casework {
namespace {

using domain::ChannelKind;
using domain::NoticeState;
using json = nlohmann::json;

// The most drafts one save of the profile rewrites: far more than an organisation holds at once
// (a case's drafts are a few dozen), so in practice every one.
constexpr int kAllDrafts = 100000;

bool FirstRung(const domain::Notice& n) {
  return n.rung == 0 && n.recipient_kind == domain::RecipientKind::kPlatform;
}

// Drafting groups a case's sightings by platform, or by site when no platform is known.
std::string RecipientOf(const domain::Notice& n, const platforms::PlatformDirectory& platforms) {
  return platforms.Find(n.recipient) != nullptr ? n.recipient : "site:" + n.recipient;
}

json ProfileJson(const notify::Organisation& o) {
  return json{{"name", o.name},
              {"email", o.email},
              {"phone", o.phone},
              {"address", o.address},
              {"website", o.website},
              {"signatory", o.signatory},
              {"signatory_role", o.signatory_role}};
}

Status CheckProfile(const notify::Organisation& o) {
  const size_t at = o.email.find('@');
  if (!o.email.empty() && (at == 0 || at == std::string::npos || at + 1 == o.email.size() ||
                           o.email.find_first_of(" \t\r\n,;<>") != std::string::npos)) {
    return InvalidArgument("the organisation's email is not an address (name@example.org)");
  }
  if (!o.website.empty() && !o.website.starts_with("https://")) {
    return InvalidArgument("the organisation's website must be an https:// address");
  }
  if (o.name.size() > 200 || o.email.size() > 320 || o.phone.size() > 100 ||
      o.address.size() > 1000 || o.website.size() > 2000 || o.signatory.size() > 200 ||
      o.signatory_role.size() > 200) {
    return InvalidArgument("one of the organisation's details is longer than a notice can print");
  }
  return Status::Ok();
}

}  // namespace

Status Notices::CheckLanguage(const std::string& language) const {
  const auto& known = setup_.library.languages();
  if (std::find(known.begin(), known.end(), language) == known.end()) {
    return InvalidArgument("no notice templates exist in \"" + language + "\"");
  }
  return Status::Ok();
}

Result<domain::Notice> Notices::RedraftInPlace(const Actor& who, const domain::Notice& draft,
                                               const notify::Organisation& organisation,
                                               const std::string& language, Audit audit) {
  auto c = cases_.GetCase(draft.case_id);
  if (!c.ok()) return c.status();
  c->language = language;
  auto sightings = sightings_.ListSightings(draft.case_id);
  if (!sightings.ok()) return sightings.status();
  std::vector<domain::Sighting> members;
  for (const domain::Sighting& s : *sightings) {
    const auto& ids = draft.sighting_ids;
    if (std::find(ids.begin(), ids.end(), s.id) != ids.end()) members.push_back(s);
  }
  if (members.empty()) return FailedPrecondition("this draft names no link any more");
  const UnixMillis now = clock_.Now();
  // The key is the draft's own (below), whatever the rendering would make of its prefix.
  auto again = drafter_.Render(*c, organisation, RecipientOf(draft, platforms_), members,
                               draft.idempotency_key, now);
  if (!again.ok()) return again.status();
  // Sealed under the draft's own key, which its words stay bound to.
  again->idempotency_key = draft.idempotency_key;
  std::optional<domain::Event> event;
  if (audit == Audit::kEach) {
    event = EventOf(who, draft.case_id, "notice.redrafted",
                    json{{"notice", draft.id}, {"language", again->language}}.dump());
  }
  if (Status s = notices_.RedraftNotice(draft.id, *again, event); !s.ok()) {
    return s;
  }
  auto stored = notices_.GetNotice(draft.id);
  if (!stored.ok()) return stored.status();
  return ApproveIfAutomatic(settings_, notices_, jobs_, *stored, now);
}

Result<domain::Notice> Notices::Redraft(const Actor& who, int64_t notice_id,
                                        const std::optional<std::string>& language, Audit audit) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (language) {
    if (Status s = CheckLanguage(*language); !s.ok()) return s;
  }
  auto notice = notices_.GetNotice(notice_id);
  if (!notice.ok()) return notice.status();
  if (!FirstRung(*notice)) {
    return FailedPrecondition(
        "a notice of the escalation ladder is drafted by the ladder; cancel it and draft the "
        "links again");
  }
  auto organisation = OrganisationOf(setup_);
  if (!organisation.ok()) return organisation.status();
  auto c = cases_.GetCase(notice->case_id);
  if (!c.ok()) return c.status();
  if (language) c->language = *language;
  if (notice->state == NoticeState::kDraft) {
    return RedraftInPlace(who, *notice, *organisation, c->language, audit);
  }
  if (notice->state != NoticeState::kCancelled) {
    return FailedPrecondition(
        "only a draft or a cancelled notice can be drafted again (this one "
        "is " +
        std::string(domain::NoticeStateName(notice->state)) + ")");
  }
  auto sightings = sightings_.ListSightings(notice->case_id);
  if (!sightings.ok()) return sightings.status();
  std::vector<domain::Sighting> members;
  for (const domain::Sighting& s : *sightings) {
    const auto& ids = notice->sighting_ids;
    const bool up =
        s.state == domain::SightingState::kFound || s.state == domain::SightingState::kReappeared;
    if (up && Nameable(s) && std::find(ids.begin(), ids.end(), s.id) != ids.end()) {
      members.push_back(s);
    }
  }
  if (members.empty()) {
    return FailedPrecondition(
        "none of this notice's links is still up and confirmed: there is nothing to draft");
  }
  const std::string recipient = RecipientOf(*notice, platforms_);
  // Its own key, so drafting the cancelled notice again twice finds the first new draft.
  const UnixMillis now = clock_.Now();
  auto draft = drafter_.Render(
      *c, *organisation, recipient, members,
      "notice:" + std::to_string(c->id) + ":" + recipient + ":after" + std::to_string(notice_id),
      now);
  if (!draft.ok()) return draft.status();
  return drafter_.Keep(who, *draft, recipient,
                       json{{"recipient", draft->recipient},
                            {"sightings", draft->sighting_ids},
                            {"redraft_of", notice_id},
                            {"language", draft->language}},
                       now);
}

Result<int> Notices::RedraftAll(const Actor& who, std::optional<int64_t> case_id,
                                const std::optional<std::string>& language) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  auto organisation = OrganisationOf(setup_);
  if (!organisation.ok()) return organisation.status();
  auto drafts = case_id ? notices_.ListNotices(*case_id)
                        : notices_.NoticesInState(NoticeState::kDraft, kAllDrafts);
  if (!drafts.ok()) return drafts.status();
  int redrafted = 0;
  for (const domain::Notice& n : *drafts) {
    if (n.state != NoticeState::kDraft || !FirstRung(n)) continue;
    // Without a new language (the profile changed) each draft keeps its own: a caseworker's
    // choice for that notice stays.
    auto again = RedraftInPlace(who, n, *organisation, language.value_or(n.language), Audit::kEach);
    if (!again.ok()) return again.status();
    ++redrafted;
  }
  return redrafted;
}

Result<int> Notices::SetCaseLanguage(const Actor& who, int64_t case_id,
                                     const std::string& language) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (Status s = CheckLanguage(language); !s.ok()) return s;
  if (Status s = cases_.SetCaseLanguage(
          case_id, language,
          EventOf(who, case_id, "case.language", json{{"language", language}}.dump()));
      !s.ok()) {
    return s;
  }
  return RedraftAll(who, case_id, language);
}

Result<OrganisationView> Notices::GetOrganisation(const Actor& who) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  auto saved = organisation_.GetOrganisation();
  if (!saved.ok()) return saved.status();
  auto organisation = OrganisationOf(setup_);
  if (!organisation.ok()) return organisation.status();
  return OrganisationView{*organisation, saved->has_value(), OrganisationLacks(*organisation)};
}

Result<int> Notices::PutOrganisation(const Actor& who, const notify::Organisation& o) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (who.role != domain::Role::kAdmin) return PermissionDenied("admins only");
  if (Status s = CheckProfile(o); !s.ok()) return s;
  if (Status s = organisation_.PutOrganisation(
          {o.name, o.email, o.phone, o.address, o.website, o.signatory, o.signatory_role},
          EventOf(who, std::nullopt, "organisation.updated", ProfileJson(o).dump()));
      !s.ok()) {
    return s;
  }
  return RedraftAll(who, std::nullopt);
}

}  // namespace takedown::casework
