// SqlStore: whom notices went to, replies to notices, where the reply poller stopped in each
// mailbox, and the organisation's settings.
#include "store/sql_store.h"

namespace takedown::store {

Result<int64_t> SqlStore::CountNoticesOutTo(const std::string& address) {
  return InTx<int64_t>(TxMode::kRead, [&](Tx& tx) -> Result<int64_t> {
    return tx
        .Query("SELECT COUNT(*) FROM notices WHERE address = $1 AND sent_at IS NOT NULL",
               {address})[0]
        .Int(0);
  });
}

Result<bool> SqlStore::AddReply(const Reply& reply, const domain::Event& event) {
  return InTx<bool>(TxMode::kWrite, [&](Tx& tx) -> Result<bool> {
    Rows notice = tx.Query("SELECT case_id FROM notices WHERE id = $1", {reply.notice_id});
    if (notice.empty()) return NotFound("there is no notice with that id");
    const int64_t case_id = notice[0].Int(0);
    Rows inserted = tx.Query(
        "INSERT INTO notice_replies (notice_id, case_id, message_id, kind, received_at, "
        "ciphertext) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (notice_id, message_id) DO NOTHING RETURNING id",
        {reply.notice_id, case_id, reply.message_id, reply.kind, reply.received_at,
         reply.ciphertext});
    if (inserted.empty()) return false;
    InsertEvent(tx, event, case_id);
    return true;
  });
}

Result<std::vector<Reply>> SqlStore::ListReplies(int64_t case_id) {
  return InTx<std::vector<Reply>>(TxMode::kRead, [&](Tx& tx) -> Result<std::vector<Reply>> {
    std::vector<Reply> out;
    for (const Row& r :
         tx.Query("SELECT id, notice_id, case_id, message_id, kind, received_at, ciphertext "
                  "FROM notice_replies WHERE case_id = $1 ORDER BY received_at, id",
                  {case_id})) {
      out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4), r.Int(5), r.Text(6)});
    }
    return out;
  });
}

Result<MailboxCursor> SqlStore::GetMailboxCursor(const std::string& mailbox) {
  return InTx<MailboxCursor>(TxMode::kRead, [&](Tx& tx) -> Result<MailboxCursor> {
    Rows r =
        tx.Query("SELECT uidvalidity, last_uid FROM mailbox_cursors WHERE mailbox = $1", {mailbox});
    if (r.empty()) return MailboxCursor{};
    return MailboxCursor{r[0].Int(0), r[0].Int(1)};
  });
}

Status SqlStore::PutMailboxCursor(const std::string& mailbox, const MailboxCursor& cursor) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    tx.Query(
        "INSERT INTO mailbox_cursors (mailbox, uidvalidity, last_uid) VALUES ($1, $2, $3) "
        "ON CONFLICT (mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity, "
        "last_uid = excluded.last_uid",
        {mailbox, cursor.uidvalidity, cursor.last_uid});
    return Status::Ok();
  });
}

Result<std::map<std::string, std::string>> SqlStore::GetSettings() {
  return InTx<std::map<std::string, std::string>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::map<std::string, std::string>> {
        std::map<std::string, std::string> out;
        for (const Row& r : tx.Query("SELECT key, value FROM settings")) {
          out[r.Text(0)] = r.Text(1);
        }
        return out;
      });
}

Status SqlStore::PutSetting(const std::string& key, const std::string& value,
                            const domain::Event& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (value.empty()) {
      tx.Query("DELETE FROM settings WHERE key = $1", {key});
    } else {
      tx.Query(
          "INSERT INTO settings (key, value) VALUES ($1, $2) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          {key, value});
    }
    InsertEvent(tx, event, std::nullopt);
    return Status::Ok();
  });
}

Result<std::string> SqlStore::ClaimSetting(const std::string& key, const std::string& value) {
  return InTx<std::string>(TxMode::kWrite, [&](Tx& tx) -> Result<std::string> {
    tx.Query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
             {key, value});
    return tx.Query("SELECT value FROM settings WHERE key = $1", {key}).at(0).Text(0);
  });
}

}  // namespace takedown::store
