// SqlStore: notices as drafted and recorded (sending is the notify module's), and the totals the
// dashboard shows.
#include "store/sql_store.h"

namespace takedown::store {
namespace {

constexpr std::string_view kNoticeColumns =
    "id, case_id, recipient_kind, recipient, channel, legal_basis, body, idempotency_key, "
    "created_at, sent_at, deadline, outcome";

domain::Notice ReadNotice(const Row& r) {
  domain::Notice n;
  n.id = r.Int(0);
  n.case_id = r.Int(1);
  n.recipient_kind = Known(domain::ParseRecipientKind(r.Text(2)));
  n.recipient = r.Text(3);
  n.channel = r.Text(4);
  n.legal_basis = r.Text(5);
  n.body = r.Text(6);
  n.idempotency_key = r.Text(7);
  n.created_at = r.Int(8);
  n.sent_at = r.OptInt(9);
  n.deadline = r.OptInt(10);
  n.outcome = r.Text(11);
  return n;
}

}  // namespace

Result<int64_t> SqlStore::CreateNotice(const domain::Notice& notice, const domain::Event& event) {
  return InTx<int64_t>(TxMode::kWrite, [&](Tx& tx) -> Result<int64_t> {
    if (!LockCase(tx, db_->dialect(), notice.case_id)) return NoCase();
    for (int64_t sighting : notice.sighting_ids) {
      Rows owner = tx.Query("SELECT case_id FROM sightings WHERE id = $1", {sighting});
      if (owner.empty() || owner[0].Int(0) != notice.case_id) {
        return InvalidArgument("sighting " + std::to_string(sighting) +
                               " is not one of this case's sightings");
      }
    }
    Rows inserted = tx.Query(
        "INSERT INTO notices (case_id, recipient_kind, recipient, channel, legal_basis, body, "
        "idempotency_key, created_at, sent_at, deadline, outcome) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
        "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
        {notice.case_id, std::string(domain::RecipientKindName(notice.recipient_kind)),
         notice.recipient, notice.channel, notice.legal_basis, notice.body,
         NullableText(notice.idempotency_key), notice.created_at, NullableInt(notice.sent_at),
         NullableInt(notice.deadline), notice.outcome});
    if (inserted.empty()) {
      return tx
          .Query("SELECT id FROM notices WHERE idempotency_key = $1", {notice.idempotency_key})[0]
          .Int(0);
    }
    const int64_t id = inserted[0].Int(0);
    for (int64_t sighting : notice.sighting_ids) {
      tx.Query(
          "INSERT INTO notice_sightings (notice_id, sighting_id) VALUES ($1, $2) "
          "ON CONFLICT DO NOTHING",
          {id, sighting});
    }
    InsertEvent(tx, event, notice.case_id);
    return id;
  });
}

Result<std::vector<domain::Notice>> SqlStore::ListNotices(int64_t case_id) {
  return InTx<std::vector<domain::Notice>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<domain::Notice>> {
        std::vector<domain::Notice> out;
        for (const Row& r : tx.Query("SELECT " + std::string(kNoticeColumns) +
                                         " FROM notices WHERE case_id = $1 ORDER BY id",
                                     {case_id})) {
          out.push_back(ReadNotice(r));
        }
        for (domain::Notice& n : out) {
          for (const Row& r : tx.Query("SELECT sighting_id FROM notice_sightings "
                                       "WHERE notice_id = $1 ORDER BY sighting_id",
                                       {n.id})) {
            n.sighting_ids.push_back(r.Int(0));
          }
        }
        return out;
      });
}

Result<Overview> SqlStore::GetOverview() {
  return InTx<Overview>(TxMode::kRead, [&](Tx& tx) -> Result<Overview> {
    Overview o;
    for (const Row& r : tx.Query("SELECT status, COUNT(*) FROM cases GROUP BY status")) {
      const auto status = Known(domain::ParseCaseStatus(r.Text(0)));
      (status == domain::CaseStatus::kOpen ? o.open_cases : o.closed_cases) += r.Int(1);
    }
    o.hashes = tx.Query("SELECT COUNT(*) FROM media_hashes")[0].Int(0);
    for (const Row& r : tx.Query("SELECT state, COUNT(*) FROM sightings GROUP BY state")) {
      o.sightings_by_state[r.Text(0)] = r.Int(1);
    }
    Rows notices = tx.Query("SELECT COUNT(*), COUNT(sent_at) FROM notices");
    o.notices = notices[0].Int(0);
    o.notices_sent = notices[0].Int(1);
    return o;
  });
}

}  // namespace takedown::store
