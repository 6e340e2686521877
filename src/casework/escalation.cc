#include "casework/escalation.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "casework/drafting.h"
#include "discovery/sighting_check.h"

namespace takedown::casework {
namespace {

using domain::ChannelKind;
using domain::RecipientKind;
using json = nlohmann::json;

constexpr int kPlatformAgain = 1, kHost = 2, kRegistrar = 3, kCdn = 4, kRegulator = 5, kSearch = 6;

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

// A repeat of a rung whose deadline passed: its draft's key starts so, and its own deadline (a
// day) only repeats it again, never climbs.
constexpr std::string_view kRepeatPrefix = "repeat:";
constexpr int kRepeatHours = 24;
// The longest deadline of a host's, CDN's or registrar's notice (issue 17 item 2): UK's and the
// US's 48 hours for platforms, the longest any jurisdiction profile sets.
constexpr int kLaterRungHours = 48;

// The rungs written to (or drafted for) about any of `targets` in their present cycle; a
// cancelled draft does not count, nor does the rung notice `from` itself climbed to (so that its
// job, run again, finds the same draft instead of climbing further).
// Whether the notice belongs to the notice cycle `cycle` (CycleKey; "" the first).
bool InCycle(const domain::Notice& n, const std::string& cycle) {
  return cycle.empty() ? n.idempotency_key.find(":cycle") == std::string::npos
                       : n.idempotency_key.ends_with(cycle);
}

std::set<int> RungsUsed(const std::vector<domain::Notice>& all,
                        const std::vector<domain::Sighting>& targets, const std::string& cycle,
                        int64_t from) {
  const std::string id = std::to_string(from) + ":";
  std::set<int> used;
  for (const domain::Notice& n : all) {
    if (n.state == domain::NoticeState::kCancelled) continue;
    const std::string& key = n.idempotency_key;
    if (key.starts_with("escalate:" + id)) continue;
    if (!InCycle(n, cycle)) continue;
    for (const domain::Sighting& s : targets) {
      if (std::find(n.sighting_ids.begin(), n.sighting_ids.end(), s.id) != n.sighting_ids.end()) {
        used.insert(n.rung);
      }
    }
  }
  return used;
}

}  // namespace

EscalationWorker::EscalationWorker(Stores stores, const Clock& clock,
                                   const platforms::PlatformDirectory& platforms,
                                   const NoticeSetup& notices, ContactFinder& finder)
    : cases_(stores.get<store::CaseStore>()),
      audit_(stores.get<store::AuditLog>()),
      sightings_(stores.get<store::SightingStore>()),
      notices_(stores.get<store::NoticeStore>(), notices.sealer),
      replies_(stores.get<store::ReplyStore>()),
      jobs_(stores.get<store::JobQueue>()),
      settings_(stores.get<store::SettingsStore>()),
      clock_(clock),
      platforms_(platforms),
      setup_(notices),
      finder_(finder) {}

Result<EscalationWorker::Recipient> EscalationWorker::RecipientAt(int rung,
                                                                  const domain::Notice& from,
                                                                  const domain::Sighting& first,
                                                                  const domain::Case& c) {
  Recipient to;
  to.rung = rung;
  if (rung == kPlatformAgain || rung == from.rung) {
    // The same recipient again: the platform after its first deadline, or any rung repeated.
    to.kind = from.recipient_kind;
    to.id = from.recipient;
    const platforms::Platform* p = platforms_.Find(from.recipient);
    to.name = p ? p->name : from.recipient;
    to.channel = from.channel;
    to.address = from.address;
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
    const notify::LegalProfile& profile = setup_.library.Profile(c.jurisdiction);
    if (profile.regulator) {
      to.id = to.name = profile.regulator->name;
      to.channel = profile.regulator->email.empty() ? ChannelKind::kWebForm : ChannelKind::kEmail;
      to.address =
          profile.regulator->email.empty() ? profile.regulator->url : profile.regulator->email;
    } else {
      to.missing = "a regulator for this case's jurisdiction";
    }
  }
  return to;
}

Status EscalationWorker::Handle(const domain::Job& job) {
  const json payload = json::parse(job.payload_json, nullptr, false);
  if (!payload.is_object() || !payload.contains("notice") ||
      !payload["notice"].is_number_integer()) {
    return InvalidArgument("a notice.escalate job needs {\"notice\": id}");
  }
  const bool beside = payload.value("beside", false);
  auto notice = notices_.GetNotice(payload["notice"].get<int64_t>());
  if (!notice.ok()) {
    return notice.status().code() == StatusCode::kNotFound ? Status::Ok() : notice.status();
  }
  // At a deadline: the copies still up past it. Beside a first notice: every copy not yet down.
  std::vector<domain::Sighting> targets;
  for (int64_t id : notice->sighting_ids) {
    auto s = sightings_.GetSighting(id);
    if (!s.ok()) continue;
    const bool wanted = beside ? s->state != domain::SightingState::kRemoved &&
                                     s->state != domain::SightingState::kDismissed
                               : s->state == domain::SightingState::kOverdue;
    if (wanted) targets.push_back(*s);
  }
  // A de-listing request is beside the ladder: its deadline neither repeats it (a search engine
  // answers through its form) nor climbs; the copy's own rungs carry on.
  if (targets.empty() || notice->rung == kSearch) return Status::Ok();
  auto c = cases_.GetCase(notice->case_id);
  if (!c.ok()) return c.status().code() == StatusCode::kNotFound ? Status::Ok() : c.status();
  auto all = notices_.ListNotices(notice->case_id);
  if (!all.ok()) return all.status();

  const std::vector<int> ladder = LadderOf(platforms_.Find(targets.front().platform));
  const std::set<int> used = RungsUsed(*all, targets, CycleKey(targets), notice->id);
  std::vector<Step> steps;
  if (beside) {
    if (std::find(ladder.begin(), ladder.end(), kHost) != ladder.end() && !used.contains(kHost) &&
        !used.contains(kCdn)) {
      steps.push_back({kHost, "beside:" + std::to_string(notice->id), 0});
    }
  } else {
    // Persistence: the rung that let its deadline pass is written to again every day, citing
    // what went before, until the copy is down. A platform's first notice is repeated by the
    // ladder's "platform again", and a regulator's complaint is not a removal request to repeat.
    const bool platform_again_next = notice->rung == 0 && ladder.front() == kPlatformAgain;
    if (!platform_again_next && notice->rung != kRegulator && notice->sent_at) {
      steps.push_back(
          {notice->rung, std::string(kRepeatPrefix) + std::to_string(notice->id), kRepeatHours});
    }
  }
  for (const Step& step : steps) {
    if (auto drafted = DraftStep(step, *notice, *c, targets, *all); !drafted.ok()) {
      return drafted.status();
    }
  }
  // The next rung not yet written to opens beside the ones already open; only a rung's own
  // deadline climbs (a repeat's does not, or every day would open another rung).
  if (beside || notice->idempotency_key.starts_with(kRepeatPrefix)) return Status::Ok();
  return Climb(*notice, *c, targets, ladder, used, *all);
}

Status EscalationWorker::Climb(const domain::Notice& from, const domain::Case& c,
                               const std::vector<domain::Sighting>& targets,
                               const std::vector<int>& ladder, std::set<int> used,
                               const std::vector<domain::Notice>& all) {
  // Each rung's draft has a key of its own ("escalate:<from>:<rung>:<ids>"): a rung that gave way
  // must not find its cancelled draft again when the rung above it is drafted.
  const std::string mine = "escalate:" + std::to_string(from.id) + ":";
  const std::string cycle = CycleKey(targets);
  bool gave_way = false;
  for (int next = NextRung(from.rung, ladder); next >= 0; next = NextRung(next, ladder)) {
    if (used.contains(next) || (next == kHost && used.contains(kCdn))) continue;
    if (next == kRegulator) {
      // De-listed as the complaint is drafted: both are web forms, filed in one sitting.
      if (Status s = Delist(from, c, targets, all); !s.ok()) return s;
      auto regulator = RecipientAt(kRegulator, from, targets.front(), c);
      if (!regulator.ok()) return regulator.status();
      return DraftFolded({kRegulator, mine + std::to_string(kRegulator), 0}, *regulator, from, c,
                         targets, all);
    }
    auto drafted = DraftStep({next, mine + std::to_string(next), 0}, from, c, targets, all);
    if (!drafted.ok()) return drafted.status();
    // Two rungs' deadlines that pass together are handled on two threads, and each may open the
    // same next rung at once. The later draft of a rung (the higher id) gives way: it is
    // cancelled and the rung above it opens instead, so each deadline opens a rung of its own.
    auto now_all = notices_.ListNotices(c.id);
    if (!now_all.ok()) return now_all.status();
    const auto earlier = std::find_if(now_all->begin(), now_all->end(), [&](const auto& n) {
      return n.id < *drafted && n.rung == next && n.state != domain::NoticeState::kCancelled &&
             !n.idempotency_key.starts_with(mine) && InCycle(n, cycle) &&
             std::any_of(targets.begin(), targets.end(), [&](const domain::Sighting& s) {
               return std::find(n.sighting_ids.begin(), n.sighting_ids.end(), s.id) !=
                      n.sighting_ids.end();
             });
    });
    if (earlier == now_all->end()) return Status::Ok();
    const UnixMillis now = clock_.Now();
    if (Status s = notices_.MoveNotice(
            *drafted, domain::NoticeState::kCancelled, {now, "system", ""},
            domain::Event{0, c.id, "system", "notice.cancelled",
                          json{{"notice", *drafted}, {"same_rung_as", earlier->id}}.dump(), now});
        !s.ok()) {
      return s;
    }
    used.insert(next);
    gave_way = true;
  }
  if (!gave_way && (from.rung == ladder.back() || used.contains(ladder.back()))) {
    return RecordLadderSpent(from, targets);
  }
  return Status::Ok();
}

Result<int64_t> EscalationWorker::DraftStep(const Step& step, const domain::Notice& from,
                                            const domain::Case& c,
                                            const std::vector<domain::Sighting>& targets,
                                            const std::vector<domain::Notice>& all) {
  auto to = RecipientAt(step.rung, from, targets.front(), c);
  if (!to.ok()) return to.status();
  return DraftTo(step, *to, from, c, targets, all);
}

Result<int64_t> EscalationWorker::DraftTo(const Step& step, const Recipient& to,
                                          const domain::Notice& from, const domain::Case& c,
                                          const std::vector<domain::Sighting>& targets,
                                          const std::vector<domain::Notice>& all) {
  const domain::Sighting& first = targets.front();
  // Every notice of the case about these sightings that went out: what the next one cites.
  auto replies = replies_.ListReplies(c.id);
  if (!replies.ok()) return replies.status();
  std::vector<notify::PreviousNotice> previous;
  for (const domain::Notice& n : all) {
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
  auto organisation = OrganisationOf(setup_);
  if (!organisation.ok()) return organisation.status();
  notify::NoticeInput in = InputFor(c, setup_, *organisation, targets, now, to.rung);
  if (to.kind == RecipientKind::kPlatform) {
    // The platform's own deadline (its data) for the platform again and a search engine; the
    // jurisdiction's (or the default) for the rungs the data says nothing of.
    const platforms::Platform* platform = platforms_.Find(to.id);
    in.language = NoticeLanguage(c.language, platform);
    in.platform_deadline_hours = platform ? platform->deadline_hours : 0;
  } else if (to.kind != RecipientKind::kRegulator) {
    // A host, CDN or registrar is written to because a copy outlived a deadline already: the
    // jurisdiction's deadline, at most two days (where the law sets none, the default's three
    // days would hold the next lever back a day longer than the laws that do set one).
    const int law = setup_.library.Profile(c.jurisdiction).deadline_hours;
    in.platform_deadline_hours = law > 0 ? std::min(law, kLaterRungHours) : kLaterRungHours;
  }
  in.recipient_kind = to.kind;
  in.recipient_name = to.name.empty() ? first.host : to.name;
  // One site named when every copy is on it; the templates say "these addresses" otherwise.
  const bool one_site = std::all_of(targets.begin(), targets.end(), [&](const domain::Sighting& s) {
    return s.host == first.host;
  });
  in.site = one_site ? first.host : std::string();
  in.previous = std::move(previous);
  auto rendered = setup_.library.Render(in);
  if (!rendered.ok()) return rendered.status();

  domain::Notice next = DraftOf(c, *rendered, targets, step.key, now);
  next.recipient_kind = to.kind;
  next.recipient = to.id.empty() ? first.host : to.id;
  next.channel = to.channel;
  next.address = to.address;
  if (!to.missing.empty()) next.missing.push_back(to.missing);
  next.rung = to.rung;
  if (step.deadline_hours > 0) next.deadline_hours = step.deadline_hours;
  const std::string action = step.key.starts_with(kRepeatPrefix) ? "notice.repeated"
                             : step.key.starts_with("beside:")   ? "notice.beside"
                             : step.key.starts_with("delist:")   ? "notice.delisting"
                                                                 : "notice.escalated";
  auto id =
      notices_.CreateNotice(next, {0, c.id, "system", action,
                                   json{{"from_notice", from.id},
                                        {"rung", to.rung},
                                        {"recipient_kind", domain::RecipientKindName(to.kind)},
                                        {"recipient", next.recipient}}
                                       .dump(),
                                   now});
  if (!id.ok()) return id.status();
  auto drafted = notices_.GetNotice(*id);
  if (!drafted.ok()) return drafted.status();
  auto approved = ApproveIfAutomatic(settings_, notices_, jobs_, *drafted, now);
  if (!approved.ok()) return approved.status();
  return *id;
}

Status EscalationWorker::Delist(const domain::Notice& from, const domain::Case& c,
                                const std::vector<domain::Sighting>& targets,
                                const std::vector<domain::Notice>& all) {
  for (const platforms::Platform& engine : platforms_.all()) {
    if (engine.kind != "search" || !engine.ncii_partner) continue;
    const platforms::Channel* channel = ChannelOf(&engine, c.age);
    if (channel == nullptr) continue;
    Recipient to;
    to.kind = RecipientKind::kPlatform;
    to.rung = kSearch;
    to.id = engine.id;
    to.name = engine.name;
    to.channel = channel->kind;
    to.address = channel->destination();
    if (Status s = DraftFolded({kSearch, "delist:" + engine.id + ":" + std::to_string(from.id), 0},
                               to, from, c, targets, all);
        !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Status EscalationWorker::DraftFolded(const Step& step, const Recipient& to,
                                     const domain::Notice& from, const domain::Case& c,
                                     const std::vector<domain::Sighting>& targets,
                                     const std::vector<domain::Notice>& all) {
  auto now_all = notices_.ListNotices(c.id);
  if (!now_all.ok()) return now_all.status();
  auto to_them = [&](const domain::Notice& n) {
    return n.rung == to.rung && n.recipient == to.id && n.state != domain::NoticeState::kCancelled;
  };
  // A copy this recipient was written to about in its present cycle is not asked about again.
  std::vector<domain::Sighting> named;
  for (const domain::Sighting& s : targets) {
    const std::vector<domain::Sighting> one = {s};
    const bool asked = std::any_of(now_all->begin(), now_all->end(), [&](const auto& n) {
      return to_them(n) && n.state != domain::NoticeState::kDraft && InCycle(n, CycleKey(one)) &&
             std::find(n.sighting_ids.begin(), n.sighting_ids.end(), s.id) != n.sighting_ids.end();
    });
    if (!asked) named.push_back(s);
  }
  if (named.empty()) return Status::Ok();
  // The drafts to the same recipient still waiting for a person (a web form is filled in by
  // hand): the new draft names their copies too, so she files one for the case.
  std::vector<domain::Notice> waiting;
  auto is_named = [&](int64_t id) {
    return std::any_of(named.begin(), named.end(),
                       [&](const domain::Sighting& s) { return s.id == id; });
  };
  for (const domain::Notice& n : *now_all) {
    if (!to_them(n) || n.state != domain::NoticeState::kDraft) continue;
    waiting.push_back(n);
    for (int64_t id : n.sighting_ids) {
      if (is_named(id)) continue;
      auto s = sightings_.GetSighting(id);
      if (!s.ok() && s.status().code() != StatusCode::kNotFound) return s.status();
      if (s.ok() && s->state != domain::SightingState::kRemoved &&
          s->state != domain::SightingState::kDismissed) {
        named.push_back(*s);
      }
    }
  }
  // The job run again after it drafted: a waiting draft names every copy already.
  for (const domain::Notice& n : waiting) {
    if (std::all_of(named.begin(), named.end(), [&](const domain::Sighting& s) {
          return std::find(n.sighting_ids.begin(), n.sighting_ids.end(), s.id) !=
                 n.sighting_ids.end();
        })) {
      return Status::Ok();
    }
  }
  std::sort(named.begin(), named.end(),
            [](const domain::Sighting& a, const domain::Sighting& b) { return a.id < b.id; });
  auto drafted = DraftTo(step, to, from, c, named, all);
  if (!drafted.ok()) return drafted.status();
  const UnixMillis now = clock_.Now();
  // Two deadlines that pass together are handled on two threads, and each may draft at once: the
  // later draft gives way to an earlier one that names all its copies.
  auto after = notices_.ListNotices(c.id);
  if (!after.ok()) return after.status();
  const auto earlier = std::find_if(after->begin(), after->end(), [&](const domain::Notice& n) {
    return n.id < *drafted && to_them(n) && n.state == domain::NoticeState::kDraft &&
           std::all_of(named.begin(), named.end(), [&](const domain::Sighting& s) {
             return std::find(n.sighting_ids.begin(), n.sighting_ids.end(), s.id) !=
                    n.sighting_ids.end();
           });
  });
  if (earlier != after->end()) {
    return notices_.MoveNotice(
        *drafted, domain::NoticeState::kCancelled, {now, "system", ""},
        domain::Event{0, c.id, "system", "notice.cancelled",
                      json{{"notice", *drafted}, {"same_rung_as", earlier->id}}.dump(), now});
  }
  for (const domain::Notice& n : waiting) {
    if (n.id == *drafted) continue;
    const Status s = notices_.MoveNotice(
        n.id, domain::NoticeState::kCancelled, {now, "system", ""},
        domain::Event{0, c.id, "system", "notice.cancelled",
                      json{{"notice", n.id}, {"folded_into", *drafted}}.dump(), now});
    // A person filed it meanwhile: its copies are named twice, never left out.
    if (!s.ok() && s.code() != StatusCode::kFailedPrecondition) return s;
  }
  return Status::Ok();
}

Status EscalationWorker::RecordLadderSpent(const domain::Notice& notice,
                                           const std::vector<domain::Sighting>& targets) {
  json ids = json::array();
  for (const domain::Sighting& s : targets) ids.push_back(s.id);
  // Once per notice: the event's detail names it, and the job that writes it runs once.
  return audit_.AppendEvent({0, notice.case_id, "system", "sighting.ladder_spent",
                             json{{"notice", notice.id}, {"sightings", ids}}.dump(), clock_.Now()});
}

}  // namespace takedown::casework
