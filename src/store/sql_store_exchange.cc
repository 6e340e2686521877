// SqlStore: the hash exchange in StopNCII's shape (hash_exchange_store.h).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/sql_store.h"

namespace takedown::store {
namespace {

// Above every modified_at stored, and not before `now`. The caller holds the feed's lock (or
// SQLite's single writer), so no other writer can take the same time.
UnixMillis NextExchangeTime(Tx& tx, UnixMillis now) {
  return std::max(
      now, tx.Query("SELECT COALESCE(MAX(modified_at), 0) FROM shared_values")[0].Int(0) + 1);
}

std::vector<std::string> ReadTags(const std::string& tags_json) {
  const auto parsed = nlohmann::json::parse(tags_json, nullptr, false);
  std::vector<std::string> tags;
  if (!parsed.is_array()) return tags;
  for (const auto& tag : parsed) {
    if (tag.is_string()) tags.push_back(tag.get<std::string>());
  }
  return tags;
}

// A page of ExchangedValues, in one statement, so the values and their hashes come from one
// snapshot.
std::vector<SharedValue> ReadValues(Tx& tx, UnixMillis from, ExchangeCursor after, int limit,
                                    int64_t partner_id) {
  Rows rows = tx.Query(
      "SELECT v.id, v.kind, v.value, v.shared_at, v.modified_at, e.hash_id, e.withdrawn, "
      "f.verdict, f.tags_json, f.at, p.name FROM "
      "(SELECT id, kind, value, shared_at, modified_at FROM shared_values "
      "WHERE modified_at >= $1 AND (modified_at > $2 OR (modified_at = $2 AND id > $3)) "
      "ORDER BY modified_at, id LIMIT $4) v "
      "JOIN exchanged_hashes e ON e.value_id = v.id "
      "LEFT JOIN value_feedback f ON f.value_id = v.id AND f.partner_id = $5 "
      "LEFT JOIN partners p ON p.id = f.partner_id "
      "ORDER BY v.modified_at, v.id, e.hash_id",
      {from, after.modified_at, after.id, int64_t{std::max(limit, 0)}, partner_id});
  std::vector<SharedValue> out;
  for (const Row& r : rows) {
    if (out.empty() || out.back().id != r.Int(0)) {
      SharedValue v;
      v.id = r.Int(0);
      v.kind = r.Text(1) == domain::MediaKindName(domain::MediaKind::kVideo)
                   ? domain::MediaKind::kVideo
                   : domain::MediaKind::kImage;
      v.value = r.Text(2);
      v.shared_at = r.Int(3);
      v.modified_at = r.Int(4);
      if (r.OptInt(9)) {
        v.feedback.push_back({v.value, r.Text(7), ReadTags(r.Text(8)), r.Int(9), r.Text(10), 0});
      }
      out.push_back(std::move(v));
    }
    out.back().hashes.push_back({r.Int(5), r.Flag(6)});
  }
  return out;
}

// Deletes the withdrawn values among `candidates` (a condition on shared_values v, with its
// parameters) that no partner may hold any more (hash_exchange_store.h). Only the values an erase
// or a read just passed are candidates, so a read costs its page, not the whole exchange.
void ForgetUnheldValues(Tx& tx, const std::string& candidates, const Params& params) {
  Rows unheld = tx.Query(
      "SELECT v.id FROM shared_values v WHERE " + candidates +
          " AND NOT EXISTS (SELECT 1 FROM exchanged_hashes e WHERE e.value_id = v.id AND "
          "e.withdrawn = 0) AND NOT EXISTS (SELECT 1 FROM exchange_readers r JOIN partners p ON "
          "p.id = r.partner_id WHERE p.revoked = 0 AND r.read_to >= v.shared_at AND "
          "(r.read_to < v.modified_at OR (r.read_to = v.modified_at AND r.read_to_id < v.id)))",
      params);
  for (const Row& v : unheld) {
    tx.Query("DELETE FROM exchanged_hashes WHERE value_id = $1", {v.Int(0)});
    tx.Query("DELETE FROM shared_values WHERE id = $1", {v.Int(0)});
  }
}

}  // namespace

void ShareExchangedValues(Tx& tx, const std::vector<domain::MediaHash>& hashes, UnixMillis now) {
  const UnixMillis at = NextExchangeTime(tx, now);
  for (const domain::MediaHash& h : hashes) {
    const std::string value(domain::ExchangedValue(h));
    if (value.empty()) continue;
    const int64_t value_id =
        tx.Query(
              "INSERT INTO shared_values (kind, value, shared_at, modified_at) "
              "VALUES ($1, $2, $3, $3) "
              "ON CONFLICT (kind, value) DO UPDATE SET modified_at = excluded.modified_at "
              "RETURNING id",
              {std::string(domain::MediaKindName(h.kind)), value, at})[0]
            .Int(0);
    tx.Query("INSERT INTO exchanged_hashes (hash_id, value_id, withdrawn) VALUES ($1, $2, 0)",
             {h.id, value_id});
  }
}

void WithdrawExchangedValues(Tx& tx, int64_t case_id, UnixMillis now) {
  const std::string hashes = "(SELECT id FROM media_hashes WHERE case_id = $1)";
  const std::string values =
      "(SELECT value_id FROM exchanged_hashes WHERE hash_id IN " + hashes + ")";
  tx.Query("UPDATE exchanged_hashes SET withdrawn = 1 WHERE hash_id IN " + hashes, {case_id});
  tx.Query("UPDATE shared_values SET modified_at = $2 WHERE id IN " + values,
           {case_id, NextExchangeTime(tx, now)});
  // A value no consenting case carries any more keeps nothing of what partners said about it.
  tx.Query("DELETE FROM value_feedback WHERE value_id IN " + values +
               " AND NOT EXISTS (SELECT 1 FROM exchanged_hashes e "
               "WHERE e.value_id = value_feedback.value_id AND e.withdrawn = 0)",
           {case_id});
  ForgetUnheldValues(tx, "v.id IN " + values, {case_id});
}

Result<std::vector<SharedValue>> SqlStore::ExchangedValues(UnixMillis from, ExchangeCursor after,
                                                           int limit, int64_t partner_id) {
  return InTx<std::vector<SharedValue>>(
      TxMode::kWrite, [&](Tx& tx) -> Result<std::vector<SharedValue>> {
        // Under the feed's lock, so an erase cannot forget a value between this read and the
        // note that the partner was sent it.
        if (!db_->dialect().lock_feed.empty()) tx.Query(db_->dialect().lock_feed);
        std::vector<SharedValue> out = ReadValues(tx, from, after, limit, partner_id);
        if (!out.empty()) {
          Rows before =
              tx.Query("SELECT read_to FROM exchange_readers WHERE partner_id = $1", {partner_id});
          tx.Query(
              "INSERT INTO exchange_readers (partner_id, read_to, read_to_id) VALUES ($1, $2, $3) "
              "ON CONFLICT (partner_id) DO UPDATE SET read_to = excluded.read_to, "
              "read_to_id = excluded.read_to_id WHERE exchange_readers.read_to < "
              "excluded.read_to OR (exchange_readers.read_to = excluded.read_to AND "
              "exchange_readers.read_to_id < excluded.read_to_id)",
              {partner_id, out.back().modified_at, out.back().id});
          ForgetUnheldValues(tx, "v.modified_at >= $1 AND v.modified_at <= $2",
                             {before.empty() ? 0 : before[0].Int(0), out.back().modified_at});
        }
        return out;
      });
}

Result<UnixMillis> SqlStore::ExchangeHighWater() {
  return InTx<UnixMillis>(TxMode::kRead, [&](Tx& tx) -> Result<UnixMillis> {
    return tx.Query("SELECT COALESCE(MAX(modified_at), 0) FROM shared_values")[0].Int(0);
  });
}

Status SqlStore::PutValueFeedback(int64_t partner_id, const std::vector<ValueFeedback>& feedback,
                                  UnixMillis now) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (tx.Query("SELECT id FROM partners WHERE id = $1", {partner_id}).empty()) {
      return NotFound("there is no partner with that id");
    }
    if (!db_->dialect().lock_feed.empty()) tx.Query(db_->dialect().lock_feed);
    const UnixMillis at = NextExchangeTime(tx, now);
    for (const ValueFeedback& f : feedback) {
      Rows values = tx.Query(
          "SELECT v.id FROM shared_values v WHERE v.value = $1 AND EXISTS "
          "(SELECT 1 FROM exchanged_hashes e WHERE e.value_id = v.id AND e.withdrawn = 0)",
          {f.value});
      if (values.empty()) return NotFound("no shared hash has the value " + f.value);
      for (const Row& v : values) {
        tx.Query(
            "INSERT INTO value_feedback (value_id, partner_id, verdict, tags_json, at) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (value_id, partner_id) DO UPDATE SET "
            "verdict = excluded.verdict, tags_json = excluded.tags_json, at = excluded.at",
            {v.Int(0), partner_id, f.verdict, nlohmann::json(f.tags).dump(), now});
        tx.Query("UPDATE shared_values SET modified_at = $2 WHERE id = $1", {v.Int(0), at});
      }
    }
    return Status::Ok();
  });
}

Result<std::vector<ValueFeedback>> SqlStore::CaseValueFeedback(int64_t case_id) {
  return InTx<std::vector<ValueFeedback>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<ValueFeedback>> {
        std::vector<ValueFeedback> out;
        for (const Row& r :
             tx.Query("SELECT h.id, v.value, p.name, f.verdict, f.tags_json, f.at "
                      "FROM media_hashes h JOIN exchanged_hashes e ON e.hash_id = h.id "
                      "JOIN shared_values v ON v.id = e.value_id "
                      "JOIN value_feedback f ON f.value_id = v.id "
                      "JOIN partners p ON p.id = f.partner_id "
                      "WHERE h.case_id = $1 ORDER BY h.id, p.id",
                      {case_id})) {
          out.push_back({r.Text(1), r.Text(3), ReadTags(r.Text(4)), r.Int(5), r.Text(2), r.Int(0)});
        }
        return out;
      });
}

}  // namespace takedown::store
