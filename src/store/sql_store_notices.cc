// SqlStore: notices as drafted and recorded (sending is the notify module's), and the totals the
// dashboard shows.
#include <nlohmann/json.hpp>

#include "store/sql_store.h"

namespace takedown::store {
namespace {

using domain::NoticeState;

constexpr std::string_view kNoticeColumns =
    "id, case_id, recipient_kind, recipient, channel, legal_basis, body, idempotency_key, "
    "created_at, sent_at, deadline, outcome, state, subject, html, address, language, "
    "missing_json, rung, deadline_hours, approved_by, last_error, reply_token, sealed_text";

domain::Notice ReadNotice(const Row& r) {
  domain::Notice n;
  n.id = r.Int(0);
  n.case_id = r.Int(1);
  n.recipient_kind = Known(domain::ParseRecipientKind(r.Text(2)));
  n.recipient = r.Text(3);
  n.channel = Known(domain::ParseChannelKind(r.Text(4)));
  n.legal_basis = r.Text(5);
  n.body = r.Text(6);
  n.idempotency_key = r.Text(7);
  n.created_at = r.Int(8);
  n.sent_at = r.OptInt(9);
  n.deadline = r.OptInt(10);
  n.outcome = r.Text(11);
  n.state = Known(domain::ParseNoticeState(r.Text(12)));
  n.subject = r.Text(13);
  n.html = r.Text(14);
  n.address = r.Text(15);
  n.language = r.Text(16);
  const auto missing = nlohmann::json::parse(r.Text(17), nullptr, false);
  if (missing.is_array()) {
    for (const auto& m : missing) {
      if (m.is_string()) n.missing.push_back(m.get<std::string>());
    }
  }
  n.rung = r.IntSmall(18);
  n.deadline_hours = r.IntSmall(19);
  n.approved_by = r.Text(20);
  n.last_error = r.Text(21);
  n.reply_token = r.Text(22);
  n.sealed_text = r.Text(23);
  return n;
}

// The notice's sighting ids, ascending.
std::vector<int64_t> NoticeSightings(Tx& tx, int64_t notice_id) {
  std::vector<int64_t> out;
  for (const Row& r : tx.Query(
           "SELECT sighting_id FROM notice_sightings WHERE notice_id = $1 ORDER BY sighting_id",
           {notice_id})) {
    out.push_back(r.Int(0));
  }
  return out;
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
    // The subject, text and HTML go in sealed_text only (NoticeStore::CreateNotice).
    Rows inserted = tx.Query(
        "INSERT INTO notices (case_id, recipient_kind, recipient, channel, legal_basis, body, "
        "idempotency_key, created_at, sent_at, deadline, outcome, state, address, language, "
        "missing_json, rung, deadline_hours, approved_by, last_error, reply_token, sealed_text) "
        "VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
        "$18, $19, $20) "
        "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
        {notice.case_id,
         std::string(domain::RecipientKindName(notice.recipient_kind)),
         notice.recipient,
         std::string(domain::ChannelKindName(notice.channel)),
         notice.legal_basis,
         NullableText(notice.idempotency_key),
         notice.created_at,
         NullableInt(notice.sent_at),
         NullableInt(notice.deadline),
         notice.outcome,
         std::string(domain::NoticeStateName(notice.state)),
         notice.address,
         notice.language,
         nlohmann::json(notice.missing).dump(),
         int64_t{notice.rung},
         int64_t{notice.deadline_hours},
         notice.approved_by,
         notice.last_error,
         notice.reply_token,
         notice.sealed_text});
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

Status SqlStore::RedraftNotice(int64_t id, const domain::Notice& redrafted,
                               const std::optional<domain::Event>& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    Rows r = tx.Query(
        "SELECT state, case_id FROM notices WHERE id = $1" + std::string(db_->dialect().for_update),
        {id});
    if (r.empty()) return NotFound("there is no notice with that id");
    if (r[0].Text(0) != domain::NoticeStateName(NoticeState::kDraft)) {
      return FailedPrecondition("only a draft can be drafted again in place; this notice is " +
                                r[0].Text(0));
    }
    tx.Query(
        "UPDATE notices SET sealed_text = $2, subject = '', body = '', html = '', "
        "legal_basis = $3, language = $4, missing_json = $5, deadline_hours = $6 WHERE id = $1",
        {id, redrafted.sealed_text, redrafted.legal_basis, redrafted.language,
         nlohmann::json(redrafted.missing).dump(), int64_t{redrafted.deadline_hours}});
    if (event) InsertEvent(tx, *event, r[0].Int(1));
    return Status::Ok();
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
        for (domain::Notice& n : out) n.sighting_ids = NoticeSightings(tx, n.id);
        return out;
      });
}

Result<domain::Notice> SqlStore::GetNotice(int64_t id) {
  return InTx<domain::Notice>(TxMode::kRead, [&](Tx& tx) -> Result<domain::Notice> {
    Rows r =
        tx.Query("SELECT " + std::string(kNoticeColumns) + " FROM notices WHERE id = $1", {id});
    if (r.empty()) return NotFound("there is no notice with that id");
    domain::Notice n = ReadNotice(r[0]);
    n.sighting_ids = NoticeSightings(tx, id);
    return n;
  });
}

Result<domain::Notice> SqlStore::FindNoticeByReplyToken(const std::string& token) {
  if (token.empty()) return NotFound("there is no notice with that reply address");
  return InTx<domain::Notice>(TxMode::kRead, [&](Tx& tx) -> Result<domain::Notice> {
    Rows r = tx.Query(
        "SELECT " + std::string(kNoticeColumns) + " FROM notices WHERE reply_token = $1", {token});
    if (r.empty()) return NotFound("there is no notice with that reply address");
    domain::Notice n = ReadNotice(r[0]);
    n.sighting_ids = NoticeSightings(tx, n.id);
    return n;
  });
}

Result<domain::Notice> SqlStore::FindNoticeByKey(const std::string& key) {
  if (key.empty()) return NotFound("there is no notice with that key");
  return InTx<domain::Notice>(TxMode::kRead, [&](Tx& tx) -> Result<domain::Notice> {
    Rows r = tx.Query(
        "SELECT " + std::string(kNoticeColumns) + " FROM notices WHERE idempotency_key = $1",
        {key});
    if (r.empty()) return NotFound("there is no notice with that key");
    domain::Notice n = ReadNotice(r[0]);
    n.sighting_ids = NoticeSightings(tx, n.id);
    return n;
  });
}

Result<std::vector<domain::Notice>> SqlStore::NoticesInState(NoticeState state, int limit) {
  return InTx<std::vector<domain::Notice>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<domain::Notice>> {
        std::vector<domain::Notice> out;
        for (const Row& r :
             tx.Query("SELECT " + std::string(kNoticeColumns) +
                          " FROM notices WHERE state = $1 ORDER BY id LIMIT $2",
                      {std::string(domain::NoticeStateName(state)), int64_t{std::max(limit, 0)}})) {
          out.push_back(ReadNotice(r));
        }
        for (domain::Notice& n : out) n.sighting_ids = NoticeSightings(tx, n.id);
        return out;
      });
}

Result<std::vector<domain::Notice>> SqlStore::NoticesWithPlainText(int limit) {
  return InTx<std::vector<domain::Notice>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<domain::Notice>> {
        std::vector<domain::Notice> out;
        for (const Row& r : tx.Query("SELECT " + std::string(kNoticeColumns) +
                                         " FROM notices WHERE subject <> '' OR body <> '' OR "
                                         "html <> '' ORDER BY id LIMIT $1",
                                     {int64_t{std::max(limit, 0)}})) {
          out.push_back(ReadNotice(r));
        }
        return out;
      });
}

Status SqlStore::SealNoticeText(int64_t id, const std::string& sealed_text) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    tx.Query(
        "UPDATE notices SET sealed_text = $2, subject = '', body = '', html = '' "
        "WHERE id = $1 AND sealed_text = ''",
        {id, sealed_text});
    return Status::Ok();
  });
}

Status SqlStore::MoveNotice(int64_t id, NoticeState to, const NoticeMove& move,
                            const std::optional<domain::Event>& event) {
  const Dialect& d = db_->dialect();
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    Rows r = tx.Query("SELECT case_id, state, deadline_hours FROM notices WHERE id = $1" +
                          std::string(d.for_update),
                      {id});
    if (r.empty()) return NotFound("there is no notice with that id");
    const int64_t case_id = r[0].Int(0);
    const NoticeState from = Known(domain::ParseNoticeState(r[0].Text(1)));
    if (!domain::CanTransition(from, to)) {
      return FailedPrecondition("a notice cannot go from " +
                                std::string(domain::NoticeStateName(from)) + " to " +
                                std::string(domain::NoticeStateName(to)));
    }
    const std::string state(domain::NoticeStateName(to));
    if (to == NoticeState::kApproved) {
      tx.Query("UPDATE notices SET state = $2, approved_by = $3, last_error = '' WHERE id = $1",
               {id, state, move.actor});
    } else if (to == NoticeState::kFailed) {
      tx.Query("UPDATE notices SET state = $2, last_error = $3 WHERE id = $1",
               {id, state, move.error});
    } else if (domain::WentOut(to)) {
      const UnixMillis deadline = move.at + r[0].Int(2) * kMillisPerHour;
      tx.Query("UPDATE notices SET state = $2, sent_at = $3, deadline = $4 WHERE id = $1",
               {id, state, move.at, deadline});
      // Her sightings in it are notified now; the counts keep them after removal.
      for (int64_t sighting : NoticeSightings(tx, id)) {
        Rows s = tx.Query("SELECT state FROM sightings WHERE id = $1" + std::string(d.for_update),
                          {sighting});
        if (s.empty()) continue;
        const auto current = Known(domain::ParseSightingState(s[0].Text(0)));
        // Overdue after an earlier notice: this one is the next rung of the ladder.
        const auto next = current == domain::SightingState::kOverdue
                              ? domain::SightingState::kEscalated
                              : domain::SightingState::kNotified;
        if (!domain::CanTransition(current, next)) continue;
        const std::string next_name(domain::SightingStateName(next));
        tx.Query("UPDATE sightings SET state = $2, notified_ever = 1 WHERE id = $1",
                 {sighting, next_name});
        InsertEvent(tx,
                    {0, case_id, event ? event->actor : move.actor, "sighting." + next_name,
                     "{\"sighting\":" + std::to_string(sighting) +
                         ",\"notice\":" + std::to_string(id) + "}",
                     move.at},
                    case_id);
      }
    } else {
      tx.Query("UPDATE notices SET state = $2 WHERE id = $1", {id, state});
    }
    if (event) InsertEvent(tx, *event, case_id);
    return Status::Ok();
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
    for (const Row& r : tx.Query("SELECT verdict, COUNT(*) FROM value_feedback GROUP BY verdict")) {
      o.partner_feedback[r.Text(0)] = r.Int(1);
    }
    return o;
  });
}

}  // namespace takedown::store
