// Casework: a survivor's report, the status of her case and its erasure (survivors.h).
#include "casework/survivors.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "casework/access.h"
#include "discovery/sighting_check.h"
#include "matching/region_bank.h"
#include "platforms/url.h"

namespace takedown::casework {
namespace {

constexpr size_t kMaxContact = 2000;
constexpr size_t kMaxName = 200;

bool IsHex(std::string_view s, size_t length) {
  return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
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
// say), a language one the notice templates exist in, so adding a file adds a choice.
Status CheckJurisdictionAndLanguage(const notify::NoticeLibrary& lib, const std::string& j,
                                    const std::string& language) {
  const std::vector<std::string> codes = lib.jurisdictions();
  if (!j.empty() && !Contains(codes, j)) {
    std::string all;
    for (const std::string& c : codes) all += c + ", ";
    return InvalidArgument("unknown jurisdiction \"" + j + "\" (one of " + all + "or empty)");
  }
  if (!Contains(lib.languages(), language)) {
    return InvalidArgument("unknown language \"" + language + "\" (" + ListOr(lib.languages()) +
                           ")");
  }
  return Status::Ok();
}

// The label that ties a hash to the file she chose (IntakeImage::file).
std::string FileLabel(int file) { return file > 0 ? "file " + std::to_string(file) : ""; }

// Whether a sighting is a copy of her media as far as anyone knows: a check or a crawl matched
// her hashes there (its evidence keeps the last match), or a caseworker moved it on from "found"
// (a removal request, marking it removed) or confirmed it as a repost. A link nobody has
// confirmed, hers or a caseworker's paste, is not a copy yet; a dismissed one never is.
bool ConfirmedCopy(const domain::Sighting& s) {
  if (s.needs_review || s.state == domain::SightingState::kDismissed) return false;
  if (s.state != domain::SightingState::kFound) return true;
  const nlohmann::json evidence = nlohmann::json::parse(s.evidence_json, nullptr, false);
  return evidence.is_object() && evidence.contains("last_match");
}

// Whether the survivor gave this link in her report: it came with the case (a caseworker's paste
// and a crawl's repost come later; the origin alone does not tell a paste, which is stored as
// the survivor's too).
bool HerOwnLink(const domain::Sighting& s, const domain::Case& c) {
  return s.origin == domain::SightingOrigin::kSurvivor && s.first_seen == c.created_at;
}

// The same sentence for an unknown code and a wrong PIN, so codes cannot be probed.
Status WrongCredentials() { return PermissionDenied("the case code or PIN is not right"); }

}  // namespace

Survivors::Survivors(Stores stores, const Clock& clock, const secrets::Sealer& sealer,
                     const platforms::PlatformDirectory& platforms,
                     const notify::NoticeLibrary& library, PartnerBank& bank, Policy policy)
    : cases_(stores.get<store::CaseStore>()),
      audit_(stores.get<store::AuditLog>()),
      sightings_(stores.get<store::SightingStore>()),
      throttles_(stores.get<store::ThrottleStore>()),
      clock_(clock),
      sealer_(sealer),
      platforms_(platforms),
      library_(library),
      bank_(bank),
      policy_(policy) {
  auto dummy = secrets::HashSecret(secrets::NewPin(), policy_.pin_cost);
  if (dummy.ok()) dummy_pin_hash_ = *dummy;
}

Result<IntakeReceipt> Survivors::Intake(const IntakeRequest& request, NextTry* next) {
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
  // One address per entry: the entries are read as lines, so a line break inside one would
  // make many (past the limit above) or join two.
  for (size_t i = 0; i < request.urls.size(); ++i) {
    if (request.urls[i].find_first_of("\r\n") != std::string::npos) {
      return InvalidArgument("URL " + std::to_string(i + 1) +
                             " holds a line break: give one address per entry");
    }
  }
  if (Status s = CheckJurisdictionAndLanguage(library_, request.jurisdiction, request.language);
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
      request.notice_contact.empty()) {
    return InvalidArgument("to give a contact in notices, fill in the contact for notices");
  }
  if (request.named_in_notices != domain::NamedInNotices::kNameAndContact &&
      !request.notice_contact.empty()) {
    return InvalidArgument(
        "a contact for notices is printed only when you choose to be named "
        "with your contact in notices");
  }
  if (request.notice_contact.size() > kMaxContact) {
    return InvalidArgument("the contact for notices is longer than 2,000 characters");
  }
  if (request.name.size() > kMaxName) {
    return InvalidArgument("the name is longer than 200 characters");
  }
  const UnixMillis now = clock_.Now();
  // Counted once the report is valid, so a mistyped form costs her nothing.
  if (policy_.intakes_per_hour > 0) {
    const UnixMillis spacing = kMillisPerHour / policy_.intakes_per_hour;
    auto reserved =
        throttles_.ReserveAttempt({{"intake-addr:" + AddressBlock(request.address),
                                    {policy_.intakes_per_hour, spacing, spacing, kMillisPerHour}}},
                                  now);
    if (!reserved.ok()) return reserved.status();
    if (!reserved->granted) {
      *next = {0, reserved->retry_at};
      return WaitBeforeRetrying("reports from this network", now, reserved->retry_at);
    }
  }
  store::NewCase c;
  c.jurisdiction = request.jurisdiction;
  c.language = request.language;
  c.consent_share = request.consent_share;
  c.authorised = request.authorise;
  c.age = request.age;
  c.ai_made = request.ai_made;
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
    auto regions = matching::RegionsFromText(image.regions);
    if (!regions.ok()) return InvalidArgument(where + regions.status().message());
    if (!regions->regions.empty() && image.kind != domain::MediaKind::kImage) {
      return InvalidArgument(where + "region signals are for images, not videos");
    }
    domain::MediaHash h;
    h.kind = image.kind;
    h.pdq = Lower(image.pdq);
    h.regions = matching::RegionsText(*regions);
    h.quality = image.quality;
    h.md5 = Lower(image.md5);
    h.sha256 = Lower(image.sha256);
    h.origin = domain::HashOrigin::kSurvivor;
    h.label = FileLabel(image.file);
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
    c.sightings.push_back(platforms::SightingOf(line, now));
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
    c.notice_contact_ciphertext =
        request.notice_contact.empty()
            ? ""
            : sealer_.Seal(request.notice_contact, NoticeContactContext(c.code));
    auto id = cases_.CreateCase(c);
    if (id.ok()) {
      receipt.case_id = *id;
      break;
    }
    if (id.status().code() != StatusCode::kAlreadyExists || attempt == 3) return id.status();
  }
  receipt.code = c.code;
  if (request.consent_share) bank_.Refresh();  // best effort: the next search refreshes anyway
  return receipt;
}

Result<domain::Case> Survivors::Unlock(const std::string& code, const std::string& pin,
                                       const std::string& address, NextTry* next) {
  const UnixMillis now = clock_.Now();
  auto c = cases_.FindCaseByCode(code);
  if (!c.ok() && c.status().code() != StatusCode::kNotFound) return c.status();
  // An unknown code gets its own count, under the same limit as a case's: the answers (the
  // wrong-PIN sentence, the tries left, the waits) and their timing are those of a known code.
  const std::string code_key =
      c.ok() ? "case:" + std::to_string(c->id) : "code:" + secrets::Sha256Hex(code);
  const std::string address_key = "pin-addr:" + AddressBlock(address);
  // Reserved before the PIN is checked: concurrent guesses each see the others' counts.
  auto reserved = throttles_.ReserveAttempt(
      {{code_key, policy_.pin_per_code}, {address_key, policy_.pin_per_address}}, now);
  if (!reserved.ok()) return reserved.status();
  *next = {reserved->free_left, reserved->retry_at};
  if (!reserved->granted) return WaitBeforeRetrying("wrong PINs", now, reserved->retry_at);
  const bool right = secrets::VerifySecret(c.ok() ? c->pin_hash : dummy_pin_hash_, pin);
  if (!c.ok() || !right) return WrongCredentials();
  // Her right PIN starts the code's count again, and is not a guess from her address.
  if (Status s = throttles_.ClearThrottle(code_key); !s.ok()) return s;
  if (Status s = throttles_.RefundAttempt(address_key); !s.ok()) return s;
  return c;
}

Result<SurvivorView> Survivors::SurvivorStatus(const std::string& code, const std::string& pin,
                                               const std::string& address, NextTry* next) {
  auto c = Unlock(code, pin, address, next);
  if (!c.ok()) return c.status();
  Actor survivor;
  survivor.kind = Actor::Kind::kSurvivor;
  if (Status s = audit_.AppendEvent(MakeEvent(survivor, c->id, "case.status_viewed", clock_.Now()));
      !s.ok()) {
    return s;
  }
  auto counts = CountsFor(*c);
  if (!counts.ok()) return counts.status();
  auto messages = SurvivorMessages(c->id);
  if (!messages.ok()) return messages.status();
  return SurvivorView{*counts, std::move(*messages)};
}

Status Survivors::SurvivorErase(const std::string& code, const std::string& pin,
                                const std::string& address, NextTry* next) {
  auto c = Unlock(code, pin, address, next);
  if (!c.ok()) return c.status();
  Actor survivor;
  survivor.kind = Actor::Kind::kSurvivor;
  if (Status s = cases_.EraseCase(c->id, MakeEvent(survivor, c->id, "case.erased", clock_.Now()));
      !s.ok()) {
    return s;
  }
  bank_.Refresh();  // the partner bank forgets her hashes before this call returns
  return Status::Ok();
}

Result<SurvivorCounts> Survivors::CountsFor(const domain::Case& c) {
  auto hashes = cases_.ListHashes(c.id);
  if (!hashes.ok()) return hashes.status();
  auto sightings = sightings_.ListSightings(c.id);
  if (!sightings.ok()) return sightings.status();
  auto totals = cases_.CountCase(c.id);
  if (!totals.ok()) return totals.status();
  SurvivorCounts out;
  // One per file she chose. Reports from before hashes carried their file: each image hash is
  // one photo, and all their video frames together one video (they cannot be told apart).
  std::set<std::string> files;
  for (const domain::MediaHash& h : *hashes) {
    if (h.origin != domain::HashOrigin::kSurvivor) continue;
    if (!h.label.empty()) {
      files.insert(h.label);
    } else if (h.kind == domain::MediaKind::kImage) {
      ++out.images;
    } else {
      files.insert("");
    }
  }
  out.images += static_cast<int>(files.size());
  for (const domain::Sighting& s : *sightings) {
    if (ConfirmedCopy(s)) {
      ++out.copies_found;
    } else if (HerOwnLink(s, c) && s.state != domain::SightingState::kDismissed) {
      ++out.being_checked;
    }
  }
  out.notified = totals->notified;
  out.removed = totals->removed;
  return out;
}

Result<std::vector<SurvivorView::Message>> Survivors::SurvivorMessages(int64_t case_id) {
  auto notes = cases_.ListNotes(case_id);
  if (!notes.ok()) return notes.status();
  std::vector<SurvivorView::Message> out;
  for (const store::Note& n : *notes) {
    if (!n.to_survivor) continue;
    auto text = sealer_.Open(n.ciphertext, NoteContext(case_id));
    // A message this server's key cannot open is left out rather than shown to her as an error
    // she can do nothing about; the caseworker sees it flagged in the case view.
    if (!text.ok()) continue;
    out.push_back({n.at, std::move(*text)});
  }
  return out;
}

}  // namespace takedown::casework
