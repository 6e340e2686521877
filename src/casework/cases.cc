// Casework: the case queue and a caseworker's work on a case (cases.h).
#include "casework/cases.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "casework/access.h"
#include "casework/survivors.h"
#include "discovery/sighting_check.h"
#include "platforms/url.h"

namespace takedown::casework {
namespace {

using domain::Role;
using json = nlohmann::json;

constexpr size_t kMaxNote = 20'000;

}  // namespace

Cases::Cases(Stores stores, const Clock& clock, const secrets::Sealer& sealer,
             const platforms::PlatformDirectory& platforms, Policy policy)
    : cases_(stores.get<store::CaseStore>()),
      audit_(stores.get<store::AuditLog>()),
      sightings_(stores.get<store::SightingStore>()),
      jobs_(stores.get<store::JobQueue>()),
      accounts_(stores.get<store::AccountStore>()),
      stats_(stores.get<store::StatsStore>()),
      exchange_(stores.get<store::HashExchangeStore>()),
      clock_(clock),
      sealer_(sealer),
      platforms_(platforms),
      policy_(policy) {}

domain::Event Cases::EventOf(const Actor& who, std::optional<int64_t> case_id, std::string action,
                             std::string detail_json) const {
  return MakeEvent(who, case_id, std::move(action), clock_.Now(), std::move(detail_json));
}

Result<std::vector<store::CaseSummary>> Cases::ListCases(const Actor& who,
                                                         const store::CaseFilter& f) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  store::CaseFilter filter = f;
  filter.limit = std::clamp(filter.limit, 1, 500);
  filter.offset = std::max(filter.offset, 0);
  filter.now = clock_.Now();  // deadlines pass on the Clock's time, simulated in simulations
  auto cases = cases_.ListCases(filter);
  if (!cases.ok() || filter.search.empty()) return cases;
  // Looking a case up by her code or a link is a read of that case.
  for (const store::CaseSummary& found : *cases) {
    if (Status s = audit_.AppendEvent(ReadEvent(who, found.c.id, "search", filter.now)); !s.ok()) {
      return s;
    }
  }
  return cases;
}

Result<CaseDetail> Cases::ReadCase(const Actor& who, int64_t case_id) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  CaseDetail out;
  auto c = cases_.GetCase(case_id);
  if (!c.ok()) return c.status();
  out.c = std::move(*c);
  // The read is recorded before anything is shown.
  if (Status s = audit_.AppendEvent(EventOf(who, case_id, std::string(store::kCaseReadAction)));
      !s.ok())
    return s;
  auto counts = cases_.CountCase(case_id);
  auto hashes = cases_.ListHashes(case_id);
  auto sightings = sightings_.ListSightings(case_id);
  auto notes = cases_.ListNotes(case_id);
  auto feedback = exchange_.CaseValueFeedback(case_id);
  if (!counts.ok()) return counts.status();
  if (!hashes.ok()) return hashes.status();
  if (!sightings.ok()) return sightings.status();
  if (!notes.ok()) return notes.status();
  if (!feedback.ok()) return feedback.status();
  out.counts = *counts;
  out.partner_feedback = std::move(*feedback);
  out.hashes = std::move(*hashes);
  out.sightings = std::move(*sightings);
  if (who.role != Role::kReviewer && !out.c.contact_ciphertext.empty()) {
    auto contact = sealer_.Open(out.c.contact_ciphertext, ContactContext(out.c.code));
    out.contact = contact.ok() ? *contact : "(cannot be unsealed with this server's key)";
  }
  if (who.role != Role::kReviewer && !out.c.notice_contact_ciphertext.empty()) {
    auto contact = sealer_.Open(out.c.notice_contact_ciphertext, NoticeContactContext(out.c.code));
    out.notice_contact = contact.ok() ? *contact : "(cannot be unsealed with this server's key)";
  }
  for (const store::Note& n : *notes) {
    auto text = sealer_.Open(n.ciphertext, NoteContext(case_id));
    out.notes.push_back({n.id, n.author_user,
                         text.ok() ? *text : "(cannot be unsealed with this server's key)", n.at,
                         n.to_survivor});
  }
  return out;
}

Result<std::vector<UrlLineResult>> Cases::AddUrls(const Actor& who, int64_t case_id,
                                                  const std::string& pasted) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  const auto lines = platforms::ParseUrlLines(pasted, platforms_);
  if (lines.size() > static_cast<size_t>(policy_.max_urls)) {
    return InvalidArgument("paste at most " + std::to_string(policy_.max_urls) + " URLs at a time");
  }
  const UnixMillis now = clock_.Now();
  std::vector<UrlLineResult> out;
  std::vector<domain::Sighting> to_add;
  std::vector<size_t> added_for;  // out index of each entry of to_add
  for (const platforms::UrlLine& line : lines) {
    UrlLineResult r;
    r.line = line.line;
    r.input = line.original;
    r.ok = line.ok;
    r.error = line.error;
    r.normalized = line.normalized;
    r.platform = line.platform;
    r.host = line.registrable_domain;
    r.duplicate = line.ok && line.duplicate_of_line != 0;
    if (line.ok && line.duplicate_of_line == 0) {
      // Pasted by a caseworker: not her own report (her status page counts hers), so named in a
      // notice only once matched or confirmed.
      to_add.push_back(platforms::SightingOf(line, now));
      to_add.back().origin = domain::SightingOrigin::kCaseworker;
      added_for.push_back(out.size());
    }
    out.push_back(std::move(r));
  }
  if (!to_add.empty()) {
    auto added = sightings_.AddSightings(case_id, to_add, who.Name(), now);
    if (!added.ok()) return added.status();
    for (size_t i = 0; i < added->size(); ++i) {
      out[added_for[i]].sighting_id = (*added)[i].sighting_id;
      out[added_for[i]].duplicate = (*added)[i].duplicate;
    }
  }
  return out;
}

Status Cases::RecheckNow(const Actor& who, int64_t sighting_id) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  auto sighting = sightings_.GetSighting(sighting_id);
  if (!sighting.ok()) return sighting.status();
  const UnixMillis now = clock_.Now();
  auto job = jobs_.EnqueueJob(discovery::SightingCheckJob(sighting_id, sighting->case_id, now,
                                                          "asked:" + std::to_string(now)));
  if (!job.ok()) return job.status();
  const json detail = {{"sighting", sighting_id}};
  return audit_.AppendEvent(
      EventOf(who, sighting->case_id, "sighting.recheck_asked", detail.dump()));
}

Status Cases::MoveSighting(const Actor& who, int64_t sighting_id, domain::SightingState to) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  const json detail = {{"sighting", sighting_id}, {"to", domain::SightingStateName(to)}};
  return sightings_.TransitionSighting(sighting_id, to,
                                       EventOf(who, std::nullopt, "sighting.state", detail.dump()));
}

Status Cases::Assign(const Actor& who, int64_t case_id, std::optional<int64_t> user) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (user) {
    auto u = accounts_.GetUser(*user);
    if (!u.ok()) return NotFound("no such user");
    // A reviewer cannot work on a case, and nobody watches a disabled account's queue.
    if (u->disabled || u->role == domain::Role::kReviewer) {
      return FailedPrecondition("a case is assigned to an active caseworker or admin");
    }
  }
  const json detail = {{"user", user ? json(*user) : json(nullptr)}};
  return cases_.AssignCase(case_id, user, EventOf(who, case_id, "case.assigned", detail.dump()));
}

Result<std::vector<Colleague>> Cases::Colleagues(const Actor& who) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  auto users = accounts_.ListUsers();
  if (!users.ok()) return users.status();
  std::vector<Colleague> out;
  for (const domain::User& u : *users) {
    if (!u.disabled && u.role != domain::Role::kReviewer) out.push_back({u.id, u.username});
  }
  return out;
}

Status Cases::SetStatus(const Actor& who, int64_t case_id, domain::CaseStatus status) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  const json detail = {{"status", domain::CaseStatusName(status)}};
  return cases_.SetCaseStatus(case_id, status, clock_.Now(),
                              EventOf(who, case_id, "case.status", detail.dump()));
}

Status Cases::SetAgeAndAi(const Actor& who, int64_t case_id, domain::AgeGroup age, bool ai_made) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  const json detail = {{"age", domain::AgeGroupName(age)}, {"ai_made", ai_made}};
  return cases_.SetCaseAgeAndAi(case_id, age, ai_made,
                                EventOf(who, case_id, "case.age_ai", detail.dump()));
}

Result<std::vector<domain::Event>> Cases::CaseEvents(const Actor& who, int64_t case_id, int limit) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  if (auto c = cases_.GetCase(case_id); !c.ok()) return c.status();
  if (Status s = audit_.AppendEvent(ReadEvent(who, case_id, "events", clock_.Now())); !s.ok()) {
    return s;
  }
  return audit_.ListEvents(case_id, std::clamp(limit, 1, 1000));
}

Result<int64_t> Cases::AddNote(const Actor& who, int64_t case_id, const std::string& text,
                               bool to_survivor) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (text.empty() || text.size() > kMaxNote) {
    return InvalidArgument("a note must have 1 to 20,000 characters");
  }
  store::Note note;
  note.case_id = case_id;
  note.author_user = who.id;
  note.ciphertext = sealer_.Seal(text, NoteContext(case_id));
  note.at = clock_.Now();
  note.to_survivor = to_survivor;
  // What reaches her is audited; the event names the writer but never carries the text, which
  // stays sealed in the note.
  std::optional<domain::Event> event;
  if (to_survivor) event = EventOf(who, case_id, "case.message");
  return cases_.AddNote(note, event);
}

Result<store::Overview> Cases::Overview(const Actor& who) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  return stats_.GetOverview();
}

}  // namespace takedown::casework
