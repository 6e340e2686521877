// Casework: the regulator dossier of a case, from what the store keeps: the URLs that are hers
// with every check discovery made (from the audit trail), the notices that went out, and the
// replies to them (unsealed).
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "casework/access.h"
#include "casework/drafting.h"
#include "casework/notices.h"

namespace takedown::casework {
namespace {

using json = nlohmann::json;

// Events read back for the check timeline: every check of a case in years of watching.
constexpr int kMaxEvents = 100'000;

std::string ReplyKindWords(const std::string& kind) {
  if (kind == "auto_reply") return "auto-reply";
  if (kind == "bounce") return "bounce";
  return "reply";
}

}  // namespace

Result<notify::Dossier> Notices::Dossier(const Actor& who, int64_t case_id,
                                         const std::string& language) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  auto c = cases_.GetCase(case_id);
  if (!c.ok()) return c.status();
  auto sightings = sightings_.ListSightings(case_id);
  if (!sightings.ok()) return sightings.status();
  auto notices = notices_.ListNotices(case_id);
  if (!notices.ok()) return notices.status();
  auto hashes = cases_.ListHashes(case_id);
  if (!hashes.ok()) return hashes.status();
  auto events = audit_.ListEvents(case_id, kMaxEvents);
  if (!events.ok()) return events.status();
  const Withheld withheld(who, *c, setup_.sealer);
  auto replies = RepliesOf(case_id, withheld);
  if (!replies.ok()) return replies.status();
  auto stored_replies = replies_.ListReplies(case_id);
  if (!stored_replies.ok()) return stored_replies.status();

  const UnixMillis now = clock_.Now();
  notify::DossierInput in;
  in.jurisdiction = c->jurisdiction;
  in.language = language.empty() ? c->language : language;
  in.reference = "N" + std::to_string(case_id) + "-D";
  auto organisation = OrganisationOf(setup_);
  if (!organisation.ok()) return organisation.status();
  in.organisation = *organisation;
  if (!organisation->signatory.empty()) in.signature = "/s/ " + organisation->signatory;
  in.authorised = c->authorised;
  in.depicts_minor = domain::IsMinor(c->age);
  in.ai_made = c->ai_made;
  if (who.role != domain::Role::kReviewer) in.survivor = SurvivorOf(*c, setup_);
  in.reference_media_count = static_cast<int>(hashes->size());
  in.generated_at = now;

  // Every check of each sighting, oldest first (events come newest first).
  std::map<int64_t, std::vector<notify::DossierCheck>> checks;
  for (auto e = events->rbegin(); e != events->rend(); ++e) {
    if (!e->action.starts_with("sighting.")) continue;
    const json d = json::parse(e->detail_json, nullptr, false);
    if (!d.is_object() || !d.contains("verdict") || !d["sighting"].is_number_integer()) continue;
    notify::DossierCheck check;
    check.at = e->at;
    check.outcome = d.value("verdict", "");
    check.http_status = d.value("http_status", 0);
    check.sha256 = d.value("sha256", "");
    if (d.contains("distance") && d["distance"].is_number_integer()) {
      check.distance = d["distance"].get<int>();
    }
    checks[d["sighting"].get<int64_t>()].push_back(std::move(check));
  }
  for (const domain::Sighting& s : *sightings) {
    // A regulator is told only of what a notice could name (issue 21).
    if (s.state == domain::SightingState::kDismissed || !Nameable(s)) continue;
    const platforms::Platform* platform = platforms_.Find(s.platform);
    in.items.push_back(
        {s.url, platform ? platform->name : "", s.host, s.state, s.first_seen, checks[s.id]});
  }
  for (const domain::Notice& n : *notices) {
    if (!n.sent_at) continue;
    const platforms::Platform* platform = platforms_.Find(n.recipient);
    in.notices.push_back({n.id, *n.sent_at, platform ? platform->name : n.recipient,
                          n.recipient_kind, std::string(domain::ChannelKindName(n.channel)),
                          n.address, withheld.Apply(n.subject), n.legal_basis,
                          n.deadline.value_or(0), OutcomeOf(n.id, *stored_replies),
                          withheld.Apply(n.body)});
  }
  for (const ReplyView& r : *replies) {
    in.replies.push_back(
        {r.notice_id, r.received_at, r.from, r.subject, ReplyKindWords(r.kind), r.text});
  }
  auto dossier = notify::RenderDossier(setup_.library, dossier_, in);
  if (!dossier.ok()) return dossier.status();
  if (Status s = audit_.AppendEvent(
          EventOf(who, case_id, "case.dossier", json{{"digest", dossier->digest}}.dump()));
      !s.ok()) {
    return s;
  }
  return dossier;
}

}  // namespace takedown::casework
