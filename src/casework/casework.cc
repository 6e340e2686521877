#include "casework/casework.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "casework/access.h"
#include "casework/drafting.h"
#include "datafile/toml_data.h"
#include "discovery/sighting_check.h"
#include "platforms/url.h"

namespace takedown::casework {
namespace {

using domain::Role;
using json = nlohmann::json;

constexpr std::array<std::string_view, 4> kVerdicts = {"removed", "not_found", "not_violating",
                                                       "matched"};
constexpr size_t kMaxContact = 2000;
constexpr size_t kMaxName = 200;

bool IsHex(std::string_view s, size_t length) {
  return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

template <size_t N>
bool OneOf(const std::array<std::string_view, N>& set, std::string_view value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

// "a, b or c", for error sentences that list what is accepted.
std::string ListOr(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

bool Contains(const std::vector<std::string>& set, std::string_view value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

// The jurisdiction and language a case records. They come from the data folder, not from a list
// here: a jurisdiction is a legal profile (data/jurisdictions/<code>.toml; "" when she does not
// say), a language one the notice templates exist in, so adding a file adds a choice. Without a
// library (a server that drafts no notices, some tests) only their shape is checked: nothing
// could be rendered anyway, and the profiles loaded later decide how the case reads.
Status CheckJurisdictionAndLanguage(const notify::NoticeLibrary* lib, const std::string& j,
                                    const std::string& language) {
  if (lib == nullptr) {
    const bool code = j.size() <= 8 && std::all_of(j.begin(), j.end(), [](char c) {
                        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                      });
    if (!code) return InvalidArgument("unknown jurisdiction \"" + j + "\"");
    if (!datafile::ValidLanguageTag(language)) {
      return InvalidArgument("unknown language \"" + language + "\"");
    }
    return Status::Ok();
  }
  const std::vector<std::string> codes = lib->jurisdictions();
  if (!j.empty() && !Contains(codes, j)) {
    std::string all;
    for (const std::string& c : codes) all += c + ", ";
    return InvalidArgument("unknown jurisdiction \"" + j + "\" (one of " + all + "or empty)");
  }
  if (!Contains(lib->languages(), language)) {
    return InvalidArgument("unknown language \"" + language + "\" (" + ListOr(lib->languages()) +
                           ")");
  }
  return Status::Ok();
}

// The same sentence for an unknown code and a wrong PIN, so codes cannot be probed.
Status WrongCredentials() { return PermissionDenied("the case code or PIN is not right"); }

Status RequireScope(const Actor& who, std::string_view scope) {
  if (who.kind != Actor::Kind::kPartner ||
      std::find(who.scopes.begin(), who.scopes.end(), scope) == who.scopes.end()) {
    return PermissionDenied("this API key lacks the scope " + std::string(scope));
  }
  return Status::Ok();
}

}  // namespace

std::string NoteContext(int64_t case_id) { return "note:" + std::to_string(case_id); }

std::string ContactContext(const std::string& code) { return "contact:" + code; }
std::string NameContext(const std::string& code) { return "name:" + code; }

Status RequireUser(const Actor& who, bool change) {
  if (who.kind != Actor::Kind::kUser) return PermissionDenied("caseworkers only");
  if (change && who.role == Role::kReviewer) {
    return PermissionDenied("reviewers can read cases but not change them");
  }
  return Status::Ok();
}

std::string Actor::Name() const {
  switch (kind) {
    case Kind::kSurvivor:
      return "survivor";
    case Kind::kUser:
      return "user:" + std::to_string(id);
    case Kind::kPartner:
      return "partner:" + std::to_string(id);
    case Kind::kSystem:
      break;
  }
  return "system";
}

Casework::Casework(store::Store& store, const Clock& clock, const secrets::Sealer& sealer,
                   const platforms::PlatformDirectory& platforms, PartnerBank& bank, Policy policy)
    : store_(store),
      clock_(clock),
      sealer_(sealer),
      platforms_(platforms),
      bank_(bank),
      policy_(policy) {}

domain::Event Casework::MakeEvent(const Actor& who, std::optional<int64_t> case_id,
                                  std::string action, std::string detail_json) const {
  domain::Event e;
  e.case_id = case_id;
  e.actor = who.Name();
  e.action = std::move(action);
  e.detail_json = std::move(detail_json);
  e.at = clock_.Now();
  return e;
}

Result<IntakeReceipt> Casework::Intake(const IntakeRequest& request) {
  if (request.images.empty() && request.urls.empty()) {
    return InvalidArgument("a report needs at least one image hash or one URL");
  }
  if (request.images.size() > static_cast<size_t>(policy_.max_images)) {
    return InvalidArgument("a report can hold at most " + std::to_string(policy_.max_images) +
                           " images");
  }
  if (request.urls.size() > static_cast<size_t>(policy_.max_urls)) {
    return InvalidArgument("a report can hold at most " + std::to_string(policy_.max_urls) +
                           " URLs");
  }
  if (Status s =
          CheckJurisdictionAndLanguage(notices_.library, request.jurisdiction, request.language);
      !s.ok()) {
    return s;
  }
  if (request.contact.size() > kMaxContact) {
    return InvalidArgument("the contact details are longer than 2,000 characters");
  }
  if (request.named_in_notices != domain::NamedInNotices::kNo && request.name.empty()) {
    return InvalidArgument("to be named in notices, give the name to use");
  }
  if (request.named_in_notices == domain::NamedInNotices::kNameAndContact &&
      request.contact.empty()) {
    return InvalidArgument("to give your contact in notices, fill in the contact details");
  }
  if (request.name.size() > kMaxName) {
    return InvalidArgument("the name is longer than 200 characters");
  }
  const UnixMillis now = clock_.Now();
  store::NewCase c;
  c.jurisdiction = request.jurisdiction;
  c.language = request.language;
  c.consent_share = request.consent_share;
  c.authorised = request.authorise;
  c.now = now;
  for (size_t i = 0; i < request.images.size(); ++i) {
    const IntakeImage& image = request.images[i];
    const std::string where = "image " + std::to_string(i + 1) + ": ";
    if (!hashing::Hash256::FromHex(image.pdq).ok()) {
      return InvalidArgument(where + "pdq must be 64 hexadecimal characters");
    }
    if (image.quality < 0 || image.quality > 100) {
      return InvalidArgument(where + "quality must be 0 to 100");
    }
    if (!image.md5.empty() && !IsHex(image.md5, 32)) {
      return InvalidArgument(where + "md5 must be 32 hexadecimal characters");
    }
    if (!image.sha256.empty() && !IsHex(image.sha256, 64)) {
      return InvalidArgument(where + "sha256 must be 64 hexadecimal characters");
    }
    domain::MediaHash h;
    h.kind = image.kind;
    h.pdq = Lower(image.pdq);
    h.quality = image.quality;
    h.md5 = Lower(image.md5);
    h.sha256 = Lower(image.sha256);
    h.origin = domain::HashOrigin::kSurvivor;
    h.created_at = now;
    c.hashes.push_back(std::move(h));
  }
  IntakeReceipt receipt;
  std::string pasted;
  for (const auto& url : request.urls) pasted += url + "\n";
  for (const platforms::UrlLine& line : platforms::ParseUrlLines(pasted, platforms_)) {
    if (!line.ok) {
      receipt.url_errors.push_back("URL " + std::to_string(line.line) + ": " + line.error);
      continue;
    }
    if (line.duplicate_of_line != 0) continue;
    domain::Sighting s;
    s.url = line.original;
    s.normalized_url = line.normalized;
    s.platform = line.platform;
    s.host = line.registrable_domain;
    s.first_seen = now;
    s.evidence_json = "{}";
    c.sightings.push_back(std::move(s));
  }
  receipt.urls_accepted = static_cast<int>(c.sightings.size());
  receipt.pin = secrets::NewPin();
  auto pin_hash = secrets::HashSecret(receipt.pin, policy_.pin_cost);
  if (!pin_hash.ok()) return pin_hash.status();
  c.pin_hash = *pin_hash;
  // Codes are random (about 40 bits): a collision is rare, but must never merge two reports.
  for (int attempt = 0;; ++attempt) {
    c.code = secrets::NewCaseCode();
    c.contact_ciphertext =
        request.contact.empty() ? "" : sealer_.Seal(request.contact, ContactContext(c.code));
    c.named_in_notices = request.named_in_notices;
    c.name_ciphertext = request.name.empty() ? "" : sealer_.Seal(request.name, NameContext(c.code));
    auto id = store_.CreateCase(c);
    if (id.ok()) {
      receipt.case_id = *id;
      break;
    }
    if (id.status().code() != StatusCode::kAlreadyExists || attempt == 3) return id.status();
  }
  receipt.code = c.code;
  if (request.consent_share) bank_.Refresh();  // best effort: the next search refreshes anyway
  if (auto sightings = store_.ListSightings(receipt.case_id); sightings.ok()) {
    std::vector<int64_t> ids;
    for (const auto& s : *sightings) ids.push_back(s.id);
    ScheduleFirstChecks(receipt.case_id, ids, c.now);
  }
  return receipt;
}

Status Casework::RecordFailure(const std::string& key, int limit, UnixMillis lock, UnixMillis now) {
  auto t = store_.GetThrottle(key);
  if (!t.ok()) return t.status();
  if (now - t->window_start > policy_.failure_window) {
    t->failures = 0;
    t->window_start = now;
  }
  if (++t->failures >= limit) {
    t->locked_until = now + lock;
    t->failures = 0;
    t->window_start = now;
  }
  return store_.PutThrottle(key, *t);
}

Result<domain::Case> Casework::Unlock(const std::string& code, const std::string& pin,
                                      const std::string& address) {
  const UnixMillis now = clock_.Now();
  const std::string address_key = "addr:" + address;
  auto address_throttle = store_.GetThrottle(address_key);
  if (!address_throttle.ok()) return address_throttle.status();
  if (address_throttle->locked_until > now) {
    return ResourceExhausted("too many wrong attempts from this network; try again after " +
                             FormatTime(address_throttle->locked_until));
  }
  auto c = store_.FindCaseByCode(code);
  if (!c.ok() && c.status().code() != StatusCode::kNotFound) return c.status();
  if (!c.ok()) {
    RecordFailure(address_key, policy_.address_failures_before_lock, policy_.address_lock, now);
    return WrongCredentials();
  }
  const std::string case_key = "case:" + std::to_string(c->id);
  auto case_throttle = store_.GetThrottle(case_key);
  if (!case_throttle.ok()) return case_throttle.status();
  if (case_throttle->locked_until > now) {
    return ResourceExhausted("this case is locked after too many wrong PINs; try again after " +
                             FormatTime(case_throttle->locked_until));
  }
  if (!secrets::VerifySecret(c->pin_hash, pin)) {
    RecordFailure(case_key, policy_.case_failures_before_lock, policy_.case_lock, now);
    RecordFailure(address_key, policy_.address_failures_before_lock, policy_.address_lock, now);
    return WrongCredentials();
  }
  if (case_throttle->failures != 0) store_.ClearThrottle(case_key);
  return c;
}

Result<SurvivorView> Casework::SurvivorStatus(const std::string& code, const std::string& pin,
                                              const std::string& address) {
  auto c = Unlock(code, pin, address);
  if (!c.ok()) return c.status();
  Actor survivor;
  survivor.kind = Actor::Kind::kSurvivor;
  if (Status s = store_.AppendEvent(MakeEvent(survivor, c->id, "case.status_viewed")); !s.ok()) {
    return s;
  }
  auto counts = store_.CountCase(c->id);
  if (!counts.ok()) return counts.status();
  auto messages = SurvivorMessages(c->id);
  if (!messages.ok()) return messages.status();
  return SurvivorView{*counts, std::move(*messages)};
}

Status Casework::SurvivorErase(const std::string& code, const std::string& pin,
                               const std::string& address) {
  auto c = Unlock(code, pin, address);
  if (!c.ok()) return c.status();
  Actor survivor;
  survivor.kind = Actor::Kind::kSurvivor;
  if (Status s = store_.EraseCase(c->id, MakeEvent(survivor, c->id, "case.erased")); !s.ok()) {
    return s;
  }
  bank_.Refresh();  // the partner bank forgets her hashes before this call returns
  return Status::Ok();
}

Result<std::vector<store::CaseSummary>> Casework::ListCases(const Actor& who,
                                                            const store::CaseFilter& f) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  store::CaseFilter filter = f;
  filter.limit = std::clamp(filter.limit, 1, 500);
  filter.offset = std::max(filter.offset, 0);
  filter.now = clock_.Now();  // deadlines pass on the Clock's time, simulated in simulations
  return store_.ListCases(filter);
}

Result<CaseDetail> Casework::ReadCase(const Actor& who, int64_t case_id) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  CaseDetail out;
  auto c = store_.GetCase(case_id);
  if (!c.ok()) return c.status();
  out.c = std::move(*c);
  // The read is recorded before anything is shown.
  if (Status s = store_.AppendEvent(MakeEvent(who, case_id, "case.read")); !s.ok()) return s;
  auto counts = store_.CountCase(case_id);
  auto hashes = store_.ListHashes(case_id);
  auto sightings = store_.ListSightings(case_id);
  auto notes = store_.ListNotes(case_id);
  if (!counts.ok()) return counts.status();
  if (!hashes.ok()) return hashes.status();
  if (!sightings.ok()) return sightings.status();
  if (!notes.ok()) return notes.status();
  out.counts = *counts;
  out.hashes = std::move(*hashes);
  out.sightings = std::move(*sightings);
  if (who.role != Role::kReviewer && !out.c.contact_ciphertext.empty()) {
    auto contact = sealer_.Open(out.c.contact_ciphertext, ContactContext(out.c.code));
    out.contact = contact.ok() ? *contact : "(cannot be unsealed with this server's key)";
  }
  for (const store::Note& n : *notes) {
    auto text = sealer_.Open(n.ciphertext, NoteContext(case_id));
    out.notes.push_back({n.id, n.author_user,
                         text.ok() ? *text : "(cannot be unsealed with this server's key)", n.at,
                         n.to_survivor});
  }
  return out;
}

Result<std::vector<UrlLineResult>> Casework::AddUrls(const Actor& who, int64_t case_id,
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
      domain::Sighting s;
      s.case_id = case_id;
      s.url = line.original;
      s.normalized_url = line.normalized;
      s.platform = line.platform;
      s.host = line.registrable_domain;
      s.first_seen = now;
      s.evidence_json = "{}";
      to_add.push_back(std::move(s));
      added_for.push_back(out.size());
    }
    out.push_back(std::move(r));
  }
  if (!to_add.empty()) {
    auto added = store_.AddSightings(case_id, to_add, who.Name(), now);
    if (!added.ok()) return added.status();
    std::vector<int64_t> fresh;
    for (size_t i = 0; i < added->size(); ++i) {
      out[added_for[i]].sighting_id = (*added)[i].sighting_id;
      out[added_for[i]].duplicate = (*added)[i].duplicate;
      if (!(*added)[i].duplicate) fresh.push_back((*added)[i].sighting_id);
    }
    ScheduleFirstChecks(case_id, fresh, now);
  }
  return out;
}

void Casework::ScheduleFirstChecks(int64_t case_id, const std::vector<int64_t>& sighting_ids,
                                   UnixMillis now) {
  // After the sightings' own transaction: the report or the paste is already safe, so a failure
  // here is logged, not returned (the caller would retry and add it twice). The idempotency key
  // makes a repeat harmless.
  for (int64_t id : sighting_ids) {
    auto job = store_.EnqueueJob(discovery::SightingCheckJob(id, case_id, now, "added"));
    if (!job.ok()) {
      std::fprintf(stderr, "warning: the first check of sighting %lld was not scheduled: %s\n",
                   static_cast<long long>(id), job.status().message().c_str());
    }
  }
}

Status Casework::RecheckNow(const Actor& who, int64_t sighting_id) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  auto sighting = store_.GetSighting(sighting_id);
  if (!sighting.ok()) return sighting.status();
  const UnixMillis now = clock_.Now();
  auto job = store_.EnqueueJob(discovery::SightingCheckJob(sighting_id, sighting->case_id, now,
                                                           "asked:" + std::to_string(now)));
  if (!job.ok()) return job.status();
  const json detail = {{"sighting", sighting_id}};
  return store_.AppendEvent(
      MakeEvent(who, sighting->case_id, "sighting.recheck_asked", detail.dump()));
}

Status Casework::MoveSighting(const Actor& who, int64_t sighting_id, domain::SightingState to) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  const json detail = {{"sighting", sighting_id}, {"to", domain::SightingStateName(to)}};
  return store_.TransitionSighting(sighting_id, to,
                                   MakeEvent(who, std::nullopt, "sighting.state", detail.dump()));
}

Status Casework::Assign(const Actor& who, int64_t case_id, std::optional<int64_t> user) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (user) {
    auto u = store_.GetUser(*user);
    if (!u.ok()) return NotFound("no such user");
  }
  const json detail = {{"user", user ? json(*user) : json(nullptr)}};
  return store_.AssignCase(case_id, user, MakeEvent(who, case_id, "case.assigned", detail.dump()));
}

Status Casework::SetStatus(const Actor& who, int64_t case_id, domain::CaseStatus status) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  const json detail = {{"status", domain::CaseStatusName(status)}};
  return store_.SetCaseStatus(case_id, status, clock_.Now(),
                              MakeEvent(who, case_id, "case.status", detail.dump()));
}

Result<std::vector<domain::Event>> Casework::CaseEvents(const Actor& who, int64_t case_id,
                                                        int limit) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  return store_.ListEvents(case_id, std::clamp(limit, 1, 1000));
}

Result<std::vector<domain::Notice>> Casework::CaseNotices(const Actor& who, int64_t case_id) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  return store_.ListNotices(case_id);
}

Result<store::Overview> Casework::Overview(const Actor& who) {
  if (Status s = RequireUser(who, false); !s.ok()) return s;
  return store_.GetOverview();
}

Result<std::vector<store::HashChange>> Casework::HashFeed(const Actor& who, int64_t since,
                                                          int limit) {
  if (Status s = RequireScope(who, "hashes:read"); !s.ok()) return s;
  return store_.HashChanges(std::max<int64_t>(since, 0), std::clamp(limit, 1, 10'000));
}

Result<std::vector<MatchResult>> Casework::Match(const Actor& who,
                                                 const std::vector<std::string>& pdqs, int radius) {
  if (Status s = RequireScope(who, "match"); !s.ok()) return s;
  if (pdqs.empty() || pdqs.size() > 100) return InvalidArgument("send 1 to 100 hashes at a time");
  if (radius < 0 || radius > 64) return InvalidArgument("radius must be 0 to 64");
  std::vector<MatchResult> out;
  for (size_t i = 0; i < pdqs.size(); ++i) {
    auto hash = hashing::Hash256::FromHex(pdqs[i]);
    if (!hash.ok()) {
      return InvalidArgument("hash " + std::to_string(i + 1) + " is not 64 hexadecimal characters");
    }
    auto hits = bank_.Search(*hash, radius);
    if (!hits.ok()) return hits.status();
    out.push_back({Lower(pdqs[i]), std::move(*hits)});
  }
  return out;
}

Status Casework::Feedback(const Actor& who, int64_t hash_id, const std::string& verdict,
                          const std::string& url) {
  if (Status s = RequireScope(who, "feedback"); !s.ok()) return s;
  if (!OneOf(kVerdicts, verdict)) {
    return InvalidArgument("verdict must be removed, not_found, not_violating or matched");
  }
  if (url.size() > 4096) return InvalidArgument("the URL is longer than 4,096 characters");
  return store_.AddFeedback({who.id, hash_id, verdict, url, clock_.Now()});
}

}  // namespace takedown::casework
