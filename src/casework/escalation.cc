#include "casework/escalation.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "casework/drafting.h"
#include "discovery/sighting_check.h"

namespace takedown::casework {
namespace {

using domain::ChannelKind;
using domain::RecipientKind;
using json = nlohmann::json;

constexpr int kPlatformAgain = 1, kHost = 2, kRegistrar = 3, kCdn = 4, kRegulator = 5;

// The rungs after the first notice, from the platform data: the platform again, then the rungs its
// `escalation` lists (a platform that hosts itself lists only the regulator: its host and its
// registrar are itself). A site no entry knows already ignored its abuse mailbox once: its host
// next, then its registrar and the regulator. "cdn" is not a rung of its own: the host lookup
// names the CDN in front of a site, which then takes the host's rung.
std::vector<int> LadderOf(const platforms::Platform* platform) {
  if (platform == nullptr) return {kHost, kRegistrar, kRegulator};
  std::vector<int> ladder = {kPlatformAgain};
  for (const std::string& rung : platform->escalation) {
    if (rung == "hosting") ladder.push_back(kHost);
    if (rung == "registrar") ladder.push_back(kRegistrar);
    if (rung == "regulator") ladder.push_back(kRegulator);
  }
  return ladder;
}

// The rung after `rung` on `ladder`, or -1 at the top (a person decides what comes after).
int NextRung(int rung, const std::vector<int>& ladder) {
  if (rung == 0) return ladder.empty() ? -1 : ladder.front();
  if (rung == kCdn) rung = kHost;
  const auto at = std::find(ladder.begin(), ladder.end(), rung);
  return at == ladder.end() || at + 1 == ladder.end() ? -1 : *(at + 1);
}

// Who the next notice goes to, and by which channel.
struct Recipient {
  RecipientKind kind = RecipientKind::kPlatform;
  int rung = 0;
  std::string id, name, address;
  ChannelKind channel = ChannelKind::kWebForm;
  std::string missing;  // why there is no address, "" when there is one
};

}  // namespace

EscalationWorker::EscalationWorker(Stores stores, const Clock& clock,
                                   const platforms::PlatformDirectory& platforms,
                                   const NoticeSetup& notices, ContactFinder& finder)
    : cases_(stores.get<store::CaseStore>()),
      sightings_(stores.get<store::SightingStore>()),
      notices_(stores.get<store::NoticeStore>(), notices.sealer),
      replies_(stores.get<store::ReplyStore>()),
      jobs_(stores.get<store::JobQueue>()),
      settings_(stores.get<store::SettingsStore>()),
      clock_(clock),
      platforms_(platforms),
      setup_(notices),
      finder_(finder) {}

Status EscalationWorker::Handle(const domain::Job& job) {
  const json payload = json::parse(job.payload_json, nullptr, false);
  if (!payload.is_object() || !payload.contains("notice") ||
      !payload["notice"].is_number_integer()) {
    return InvalidArgument("a notice.escalate job needs {\"notice\": id}");
  }
  auto notice = notices_.GetNotice(payload["notice"].get<int64_t>());
  if (!notice.ok()) {
    return notice.status().code() == StatusCode::kNotFound ? Status::Ok() : notice.status();
  }
  std::vector<domain::Sighting> overdue;
  for (int64_t id : notice->sighting_ids) {
    auto s = sightings_.GetSighting(id);
    if (s.ok() && s->state == domain::SightingState::kOverdue) overdue.push_back(*s);
  }
  if (overdue.empty()) return Status::Ok();
  const domain::Sighting& first = overdue.front();
  const int rung = NextRung(notice->rung, LadderOf(platforms_.Find(first.platform)));
  if (rung < 0) return Status::Ok();
  auto c = cases_.GetCase(notice->case_id);
  if (!c.ok()) return c.status().code() == StatusCode::kNotFound ? Status::Ok() : c.status();

  Recipient to;
  to.rung = rung;
  if (rung == kPlatformAgain) {
    to.kind = notice->recipient_kind;
    to.id = notice->recipient;
    const platforms::Platform* p = platforms_.Find(notice->recipient);
    to.name = p ? p->name : notice->recipient;
    to.channel = notice->channel;
    to.address = notice->address;
  } else if (rung == kHost) {
    auto host = finder_.Host(first.url);
    if (!host.ok() && host.status().code() == StatusCode::kUnavailable) return host.status();
    if (host.ok() && host->cdn) {
      to.kind = RecipientKind::kCdn;
      to.rung = kCdn;
      to.id = to.name = *host->cdn;
      to.channel = host->cdn_abuse.email.empty() ? ChannelKind::kWebForm : ChannelKind::kEmail;
      to.address = host->cdn_abuse.email.empty() ? host->cdn_abuse.web_form : host->cdn_abuse.email;
    } else {
      to.kind = RecipientKind::kHost;
      to.channel = ChannelKind::kEmail;
      if (host.ok()) {
        to.id = host->provider_domain;
        to.name = host->network_name.empty() ? host->provider_domain : host->network_name;
        to.address = host->abuse.email;
      }
      if (to.address.empty()) {
        to.missing = "the hosting provider's abuse address (" +
                     (host.ok() ? std::string("none published") : host.status().message()) + ")";
      }
    }
  } else if (rung == kRegistrar) {
    auto registrar = finder_.Registrar(first.host);
    if (!registrar.ok() && registrar.status().code() == StatusCode::kUnavailable) {
      return registrar.status();
    }
    to.kind = RecipientKind::kRegistrar;
    to.channel = ChannelKind::kEmail;
    if (registrar.ok()) {
      to.id = to.name = registrar->registrar_name;
      to.address = registrar->abuse.email;
    }
    if (to.address.empty()) {
      to.missing = "the registrar's abuse address for " + first.host + " (" +
                   (registrar.ok() ? std::string("none published") : registrar.status().message()) +
                   ")";
    }
  } else {
    to.kind = RecipientKind::kRegulator;
    const notify::LegalProfile& profile = setup_.library.Profile(c->jurisdiction);
    if (profile.regulator) {
      to.id = to.name = profile.regulator->name;
      to.channel = profile.regulator->email.empty() ? ChannelKind::kWebForm : ChannelKind::kEmail;
      to.address =
          profile.regulator->email.empty() ? profile.regulator->url : profile.regulator->email;
    } else {
      to.missing = "a regulator for this case's jurisdiction";
    }
  }

  // Every notice of the case about these sightings that went out: what the next one cites.
  std::vector<notify::PreviousNotice> previous;
  auto all = notices_.ListNotices(notice->case_id);
  if (!all.ok()) return all.status();
  auto replies = replies_.ListReplies(notice->case_id);
  if (!replies.ok()) return replies.status();
  for (const domain::Notice& n : *all) {
    if (!n.sent_at) continue;
    // A web form's answers come through the platform's own system, not the reply mailbox.
    const bool form = n.channel == ChannelKind::kWebForm;
    const std::string outcome = form ? "not removed by the deadline"
                                     : OutcomeOf(n.id, *replies) + "; not removed by the deadline";
    previous.push_back({*n.sent_at, n.recipient,
                        form ? "web form" : std::string(domain::ChannelKindName(n.channel)),
                        n.outcome.empty() ? outcome : n.outcome});
  }
  const UnixMillis now = clock_.Now();
  notify::NoticeInput in = InputFor(*c, setup_, overdue, now, to.rung);
  if (rung == kPlatformAgain) in.language = NoticeLanguage(c->language, platforms_.Find(to.id));
  in.recipient_kind = to.kind;
  in.recipient_name = to.name.empty() ? first.host : to.name;
  in.site = first.host;
  in.previous = std::move(previous);
  auto rendered = setup_.library.Render(in);
  if (!rendered.ok()) return rendered.status();

  domain::Notice next =
      DraftOf(*c, *rendered, overdue, "escalate:" + std::to_string(notice->id), now);
  next.recipient_kind = to.kind;
  next.recipient = to.id.empty() ? first.host : to.id;
  next.channel = to.channel;
  next.address = to.address;
  if (!to.missing.empty()) next.missing.push_back(to.missing);
  next.rung = to.rung;
  auto id =
      notices_.CreateNotice(next, {0, c->id, "system", "notice.escalated",
                                   json{{"from_notice", notice->id},
                                        {"rung", to.rung},
                                        {"recipient_kind", domain::RecipientKindName(to.kind)},
                                        {"recipient", next.recipient}}
                                       .dump(),
                                   now});
  if (!id.ok()) return id.status();
  auto drafted = notices_.GetNotice(*id);
  if (!drafted.ok()) return drafted.status();
  auto approved = ApproveIfAutomatic(settings_, notices_, jobs_, *drafted, now);
  return approved.ok() ? Status::Ok() : approved.status();
}

}  // namespace takedown::casework
