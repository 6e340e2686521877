// Notices, the outbox they go out through, and the replies that come back.
//
// A role of the Store (store/store.h), which says what every method promises: one transaction,
// durable on OK, times passed in, the same error codes. Consumers take the roles they use.
//
// Thread-safety: implementations may be used from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/entities.h"

namespace takedown::store {

// What a notice's move records (see NoticeStore::MoveNotice).
struct NoticeMove {
  UnixMillis at = 0;
  std::string actor;  // the approver, for approved
  std::string error;  // why, for failed
};

// Mail that came back about a notice (a person's answer, an auto-reply, a bounce). The sender,
// subject and text are sealed by casework: the store sees ciphertext only.
struct Reply {
  int64_t id = 0;
  int64_t notice_id = 0;
  int64_t case_id = 0;
  std::string message_id;  // the reply's own Message-ID: one reply is stored once per notice
  std::string kind;        // "human", "auto_reply", "bounce"
  UnixMillis received_at = 0;
  std::string ciphertext;
};

// Where the reply poller stopped reading a mailbox.
struct MailboxCursor {
  int64_t uidvalidity = 0;  // 0 before the first read
  int64_t last_uid = 0;
};

// Drafted notices and their moves through the outbox (domain::NoticeState).
class NoticeStore {
 public:
  virtual ~NoticeStore() = default;

  // Stores the notice with links to its sightings, which must all belong to its case
  // (kInvalidArgument otherwise), and writes `event`. Keeps its text as notice.sealed_text only
  // (sealed by casework); subject, body and html are not stored, and read back empty. When
  // notice.idempotency_key is set and a notice with that key exists, returns that notice's id and
  // changes nothing.
  virtual Result<int64_t> CreateNotice(const domain::Notice& notice,
                                       const domain::Event& event) = 0;
  // Oldest first, each with its sighting ids.
  virtual Result<std::vector<domain::Notice>> ListNotices(int64_t case_id) = 0;
  virtual Result<domain::Notice> GetNotice(int64_t id) = 0;  // kNotFound
  // Notices in `state`, oldest first (the outbox's recovery looks for "sending" ones).
  virtual Result<std::vector<domain::Notice>> NoticesInState(domain::NoticeState state,
                                                             int limit) = 0;
  // Moves the notice through the outbox: kFailedPrecondition when domain::CanTransition says no
  // (so two workers cannot both take an approved notice to sending). To approved: records
  // move.actor as the approver and clears the last error; to failed: records move.error; to sent
  // or submitted: sent_at = move.at, deadline = move.at + its deadline_hours, and its sightings
  // that can be are moved to notified (an Event "sighting.notified" each, in the name of
  // `event`'s actor, or move.actor without one). Writes `event`. Without `event` (one item of a
  // bulk request, which writes one event of its own) the notice's own event is left out; the
  // sightings' are written all the same, as they are what her timeline and the counts read.
  virtual Status MoveNotice(int64_t id, domain::NoticeState to, const NoticeMove& move,
                            const std::optional<domain::Event>& event) = 0;
  // The notice whose reply address carries `token`, or whose idempotency key is `key`: kNotFound.
  virtual Result<domain::Notice> FindNoticeByReplyToken(const std::string& token) = 0;
  virtual Result<domain::Notice> FindNoticeByKey(const std::string& idempotency_key) = 0;
  // How many notices went out (sent or submitted) to this address: whether it was contacted
  // before.
  virtual Result<int64_t> CountNoticesOutTo(const std::string& address) = 0;

  // Notices drafted before their text was sealed (migration 0007): those whose subject, body or
  // html are still stored in plain text, oldest first, at most `limit`.
  virtual Result<std::vector<domain::Notice>> NoticesWithPlainText(int limit) = 0;
  // Stores the sealed text of such a notice and empties its plain text. Does nothing to a notice
  // sealed already (two processes starting at once seal each notice once) or one that is gone.
  virtual Status SealNoticeText(int64_t id, const std::string& sealed_text) = 0;
  // Replaces a draft's words (sealed_text), legal basis, language, the elements it lacks and its
  // deadline with `redrafted`'s, and writes `event` (none for one item of a bulk request); the
  // draft keeps its id, key, sightings and recipient. kFailedPrecondition unless it is still a
  // draft; kNotFound.
  virtual Status RedraftNotice(int64_t id, const domain::Notice& redrafted,
                               const std::optional<domain::Event>& event) = 0;
};

// Mail that came back about notices, and where the reply poller stopped reading.
class ReplyStore {
 public:
  virtual ~ReplyStore() = default;

  // Stores a reply to a notice and writes `event`; false (and nothing written) when the notice
  // already has a reply with that Message-ID. kNotFound when the notice is gone.
  virtual Result<bool> AddReply(const Reply& reply, const domain::Event& event) = 0;
  // The case's replies, oldest first.
  virtual Result<std::vector<Reply>> ListReplies(int64_t case_id) = 0;
  virtual Result<MailboxCursor> GetMailboxCursor(const std::string& mailbox) = 0;  // zeros: none
  virtual Status PutMailboxCursor(const std::string& mailbox, const MailboxCursor& cursor) = 0;
};

}  // namespace takedown::store
