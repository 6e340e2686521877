// Internal to casework/: a notice's words at rest and in a reviewer's view (issue 19, items 4
// and 6). A notice names the survivor when she chose to be named, so its subject, text and HTML
// are sealed like her notes before the store sees them, and opened only for those who may read
// them: the caseworker, the courier that sends it, the dossier and the escalation ladder.
// Reviewers see every text with her name and contact withheld.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "casework/actor.h"
#include "domain/entities.h"
#include "secrets/secrets.h"
#include "store/notice_store.h"

namespace takedown::casework {

// The NoticeStore as casework's use cases see it: notices go in with their words sealed (bound
// to their case and idempotency key) and come out opened. A notice that this server's key cannot
// open reads as kCorrupt on its own, and with a subject saying so in a list (so one bad row does
// not hide the case's other notices, and the courier never sends the wrong words).
//
// Thread-safe as the wrapped store is; holds references that must outlive it.
class SealedNotices final : public store::NoticeStore {
 public:
  SealedNotices(store::NoticeStore& stored, const secrets::Sealer& sealer);

  Result<int64_t> CreateNotice(const domain::Notice& notice, const domain::Event& event) override;
  Result<std::vector<domain::Notice>> ListNotices(int64_t case_id) override;
  Result<domain::Notice> GetNotice(int64_t id) override;
  Result<std::vector<domain::Notice>> NoticesInState(domain::NoticeState state, int limit) override;
  Status MoveNotice(int64_t id, domain::NoticeState to, const store::NoticeMove& move,
                    const std::optional<domain::Event>& event) override;
  Result<domain::Notice> FindNoticeByReplyToken(const std::string& token) override;
  Result<domain::Notice> FindNoticeByKey(const std::string& idempotency_key) override;
  Result<int64_t> CountNoticesOutTo(const std::string& address) override;
  Result<std::vector<domain::Notice>> NoticesWithPlainText(int limit) override;
  Status SealNoticeText(int64_t id, const std::string& sealed_text) override;
  Status RedraftNotice(int64_t id, const domain::Notice& redrafted,
                       const std::optional<domain::Event>& event) override;

 private:
  Status Open(domain::Notice& notice) const;
  Result<std::vector<domain::Notice>> OpenAll(Result<std::vector<domain::Notice>> notices) const;

  store::NoticeStore& stored_;
  const secrets::Sealer& sealer_;
};

// Seals the words of every notice drafted before they were sealed (migration 0007) and empties
// their plain text; the server and the worker run it once at start. Returns how many it sealed.
Result<int> SealStoredNotices(store::NoticeStore& stored, const secrets::Sealer& sealer);

// Her name and contact as a reviewer must not see them, opened from her case: Apply replaces
// them, as written and as escaped in HTML, with "[withheld]". Withholds nothing for caseworkers
// and admins, or when she gave neither.
class Withheld {
 public:
  Withheld(const Actor& who, const domain::Case& c, const secrets::Sealer& sealer);

  std::string Apply(std::string text) const;
  void Apply(domain::Notice& notice) const;

 private:
  std::vector<std::string> secrets_;  // longest first, so a name inside her contact goes whole
};

}  // namespace takedown::casework
