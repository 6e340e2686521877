// Casework: a notice's words sealed at rest and withheld from reviewers (sealed_notices.h).
#include "casework/sealed_notices.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "casework/access.h"
#include "notices/render.h"

namespace takedown::casework {
namespace {

using json = nlohmann::json;

constexpr std::string_view kUnreadable = "(cannot be unsealed with this server's key)";
constexpr std::string_view kWithheld = "[withheld]";
// Notices sealed per pass at start; the pass runs until none is left.
constexpr int kSealBatch = 100;

// Bound to the notice's case and key: a sealed text moved to another notice fails to open.
std::string NoticeContext(const domain::Notice& n) {
  return "notice:" + std::to_string(n.case_id) + ":" + n.idempotency_key;
}

std::string SealWords(const secrets::Sealer& sealer, const domain::Notice& n) {
  return sealer.Seal(json{{"subject", n.subject}, {"text", n.body}, {"html", n.html}}.dump(),
                     NoticeContext(n));
}

// The notice as the store keeps it: its words sealed, none in plain text.
domain::Notice Sealed(const secrets::Sealer& sealer, const domain::Notice& notice) {
  domain::Notice sealed = notice;
  sealed.sealed_text = SealWords(sealer, notice);
  sealed.subject.clear();
  sealed.body.clear();
  sealed.html.clear();
  return sealed;
}

}  // namespace

SealedNotices::SealedNotices(store::NoticeStore& stored, const secrets::Sealer& sealer)
    : stored_(stored), sealer_(sealer) {}

Status SealedNotices::Open(domain::Notice& n) const {
  if (n.sealed_text.empty()) return Status::Ok();  // drafted before sealing, not yet sealed
  auto plain = sealer_.Open(n.sealed_text, NoticeContext(n));
  if (!plain.ok()) return plain.status();
  const json words = json::parse(*plain, nullptr, false);
  if (!words.is_object()) return Corrupt("a notice's sealed text is not what was sealed");
  n.subject = words.value("subject", "");
  n.body = words.value("text", "");
  n.html = words.value("html", "");
  return Status::Ok();
}

Result<std::vector<domain::Notice>> SealedNotices::OpenAll(
    Result<std::vector<domain::Notice>> notices) const {
  if (!notices.ok()) return notices;
  for (domain::Notice& n : *notices) {
    if (!Open(n).ok()) {
      n.subject = std::string(kUnreadable);
      n.body.clear();
      n.html.clear();
    }
  }
  return notices;
}

Result<int64_t> SealedNotices::CreateNotice(const domain::Notice& notice,
                                            const domain::Event& event) {
  return stored_.CreateNotice(Sealed(sealer_, notice), event);
}

Status SealedNotices::RedraftNotice(int64_t id, const domain::Notice& redrafted,
                                    const std::optional<domain::Event>& event) {
  return stored_.RedraftNotice(id, Sealed(sealer_, redrafted), event);
}

Result<std::vector<domain::Notice>> SealedNotices::ListNotices(int64_t case_id) {
  return OpenAll(stored_.ListNotices(case_id));
}

Result<domain::Notice> SealedNotices::GetNotice(int64_t id) {
  auto n = stored_.GetNotice(id);
  if (!n.ok()) return n;
  if (Status s = Open(*n); !s.ok()) {
    return Corrupt("notice " + std::to_string(id) + " " + std::string(kUnreadable));
  }
  return n;
}

Result<std::vector<domain::Notice>> SealedNotices::NoticesInState(domain::NoticeState state,
                                                                  int limit) {
  return OpenAll(stored_.NoticesInState(state, limit));
}

Status SealedNotices::MoveNotice(int64_t id, domain::NoticeState to, const store::NoticeMove& move,
                                 const std::optional<domain::Event>& event) {
  return stored_.MoveNotice(id, to, move, event);
}

Result<domain::Notice> SealedNotices::FindNoticeByReplyToken(const std::string& token) {
  auto n = stored_.FindNoticeByReplyToken(token);
  if (n.ok()) {
    if (Status s = Open(*n); !s.ok()) return s;
  }
  return n;
}

Result<domain::Notice> SealedNotices::FindNoticeByKey(const std::string& idempotency_key) {
  auto n = stored_.FindNoticeByKey(idempotency_key);
  if (n.ok()) {
    if (Status s = Open(*n); !s.ok()) return s;
  }
  return n;
}

Result<int64_t> SealedNotices::CountNoticesOutTo(const std::string& address) {
  return stored_.CountNoticesOutTo(address);
}

Result<std::vector<domain::Notice>> SealedNotices::NoticesWithPlainText(int limit) {
  return stored_.NoticesWithPlainText(limit);
}

Status SealedNotices::SealNoticeText(int64_t id, const std::string& sealed_text) {
  return stored_.SealNoticeText(id, sealed_text);
}

Result<int> SealStoredNotices(store::NoticeStore& stored, const secrets::Sealer& sealer) {
  int sealed = 0;
  for (;;) {
    auto plain = stored.NoticesWithPlainText(kSealBatch);
    if (!plain.ok()) return plain.status();
    if (plain->empty()) return sealed;
    for (const domain::Notice& n : *plain) {
      if (!n.sealed_text.empty()) {
        // Sealed by another process between our read and now: only its plain text is left over,
        // which sealing again would not clear (SealNoticeText leaves a sealed notice alone).
        return Internal("notice " + std::to_string(n.id) +
                        " has both sealed and plain text; it was written by an older build "
                        "after the upgrade");
      }
      if (Status s = stored.SealNoticeText(n.id, SealWords(sealer, n)); !s.ok()) return s;
      ++sealed;
    }
  }
}

Withheld::Withheld(const Actor& who, const domain::Case& c, const secrets::Sealer& sealer) {
  if (who.role != domain::Role::kReviewer) return;
  for (const auto& [ciphertext, context] :
       {std::pair{c.name_ciphertext, NameContext(c.code)},
        std::pair{c.contact_ciphertext, ContactContext(c.code)},
        std::pair{c.notice_contact_ciphertext, NoticeContactContext(c.code)}}) {
    if (ciphertext.empty()) continue;
    auto plain = sealer.Open(ciphertext, context);
    if (!plain.ok()) continue;
    // As she gave it (a reply may quote her), and as the notice prints it.
    const notify::PrintedValue printed = notify::AsPrinted(*plain);
    for (const std::string& form : {*plain, printed.text, printed.html}) {
      if (!printed.text.empty()) secrets_.push_back(form);
    }
  }
  std::sort(secrets_.begin(), secrets_.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  secrets_.erase(std::unique(secrets_.begin(), secrets_.end()), secrets_.end());
}

std::string Withheld::Apply(std::string text) const {
  for (const std::string& secret : secrets_) {
    for (size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + kWithheld.size())) {
      text.replace(at, secret.size(), kWithheld);
    }
  }
  return text;
}

void Withheld::Apply(domain::Notice& notice) const {
  notice.subject = Apply(std::move(notice.subject));
  notice.body = Apply(std::move(notice.body));
  notice.html = Apply(std::move(notice.html));
}

}  // namespace takedown::casework
