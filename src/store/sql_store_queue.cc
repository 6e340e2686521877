// The case queue (CaseStore::ListCases): the SQL selects the cases and the facts of their
// sightings; domain/attention.h decides what needs a caseworker. Cases are read in three queries
// of one transaction: the candidate ids, the attention facts of those, the page's rows.
#include <algorithm>
#include <map>
#include <string>

#include "store/sql_store.h"

namespace takedown::store {
namespace {

std::string IdList(const std::vector<int64_t>& ids) {
  std::string out = "(";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + std::to_string(ids[i]);
  return out + ")";
}

// Per case id, the facts the attention rules read: its sightings that may need attention, each
// with the deadlines of the notices that went out about it.
std::map<int64_t, std::vector<domain::AttentionFacts>> ReadAttentionFacts(
    Tx& tx, const std::vector<int64_t>& case_ids) {
  std::map<int64_t, std::vector<domain::AttentionFacts>> out;
  if (case_ids.empty()) return out;
  const std::string sql =
      "SELECT s.case_id, s.id, s.state, s.needs_review, n.deadline FROM sightings s "
      "LEFT JOIN notice_sightings ns ON ns.sighting_id = s.id "
      "LEFT JOIN notices n ON n.id = ns.notice_id AND n.state IN " +
      SqlNames(domain::NoticeStatesWhere(domain::WentOut)) + " WHERE s.case_id IN " +
      IdList(case_ids) + " AND (s.state IN " +
      SqlNames(domain::SightingStatesWhere(domain::MayNeedAttention)) +
      " OR s.needs_review = 1) ORDER BY s.case_id, s.id";
  int64_t last_sighting = 0;
  for (const Row& r : tx.Query(sql)) {
    std::vector<domain::AttentionFacts>& facts = out[r.Int(0)];
    if (facts.empty() || r.Int(1) != last_sighting) {
      last_sighting = r.Int(1);
      domain::AttentionFacts f;
      f.state = Known(domain::ParseSightingState(r.Text(2)));
      f.needs_review = r.Flag(3);
      facts.push_back(std::move(f));
    }
    if (auto deadline = r.OptInt(4)) facts.back().deadlines.push_back(*deadline);
  }
  return out;
}

}  // namespace

Result<std::vector<CaseSummary>> SqlStore::ListCases(const CaseFilter& f) {
  Params params;
  auto placeholder = [&](Param p) {
    params.push_back(std::move(p));
    return "$" + std::to_string(params.size());
  };
  std::string where;
  auto require = [&](const std::string& condition) {
    where += (where.empty() ? " WHERE " : " AND ") + condition;
  };
  if (f.status) require("status = " + placeholder(std::string(domain::CaseStatusName(*f.status))));
  if (f.assigned_user) require("assigned_user = " + placeholder(*f.assigned_user));
  if (f.unassigned_only) require("assigned_user IS NULL");
  if (!f.search.empty()) {
    // Lower case on both sides (SQLite's LIKE ignores ASCII case, PostgreSQL's does not), and the
    // search's own % and _ taken literally.
    std::string lower = f.search;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    std::string literal;
    for (char ch : lower) {
      if (ch == '%' || ch == '_' || ch == '\\') literal += '\\';
      literal += ch;
    }
    const std::string code = lower.starts_with("td-") ? literal : "td-" + literal;
    require("(lower(c.code) LIKE CAST(" + placeholder(code + "%") +
            " AS TEXT) ESCAPE '\\' OR EXISTS (SELECT 1 FROM sightings s WHERE s.case_id = c.id AND "
            "(lower(s.url) LIKE CAST(" +
            placeholder("%" + literal + "%") + " AS TEXT) ESCAPE '\\' OR s.platform = CAST(" +
            placeholder(lower) + " AS TEXT))))");
  }
  if (f.attention) {
    // Only a case with such a sighting can be in a view; the rules below decide whether it is.
    require("EXISTS (SELECT 1 FROM sightings s WHERE s.case_id = c.id AND (s.state IN " +
            SqlNames(domain::SightingStatesWhere(domain::MayNeedAttention)) +
            " OR s.needs_review = 1))");
  }
  const int limit = std::clamp(f.limit, 1, 500);
  const int offset = std::max(f.offset, 0);
  std::string ids_sql = "SELECT c.id FROM cases c" + where + " ORDER BY created_at DESC, id DESC";
  if (!f.attention) {
    ids_sql += " LIMIT " + placeholder(int64_t{limit}) + " OFFSET " + placeholder(int64_t{offset});
  }
  return InTx<std::vector<CaseSummary>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::vector<CaseSummary>> {
        std::vector<int64_t> ids;
        for (const Row& r : tx.Query(ids_sql, params)) ids.push_back(r.Int(0));
        std::map<int64_t, CaseAttention> attention;
        for (const auto& [id, facts] : ReadAttentionFacts(tx, ids)) {
          attention[id] = domain::AttentionOf(facts, f.now);
        }
        if (f.attention) {
          std::erase_if(ids,
                        [&](int64_t id) { return !domain::InView(attention[id], *f.attention); });
          ids.erase(ids.begin(), ids.begin() + std::min<size_t>(offset, ids.size()));
          if (ids.size() > static_cast<size_t>(limit)) ids.resize(limit);
        }
        std::vector<CaseSummary> out;
        if (ids.empty()) return out;
        for (const Row& r : tx.Query(CaseRowsSql("c.id IN " + IdList(ids)))) {
          out.push_back(ReadCaseSummary(r, attention[r.Int(0)]));
        }
        std::map<int64_t, std::string> assignees;
        for (const Row& r : tx.Query("SELECT c.id, u.username FROM cases c JOIN users u ON "
                                     "u.id = c.assigned_user WHERE c.id IN " +
                                     IdList(ids))) {
          assignees[r.Int(0)] = r.Text(1);
        }
        // Every read of a case is audited: what the queue calls activity is a change.
        std::map<int64_t, UnixMillis> latest;
        for (const Row& r : tx.Query("SELECT case_id, MAX(at) FROM events WHERE case_id IN " +
                                         IdList(ids) + " AND action <> $1 GROUP BY case_id",
                                     {std::string(kCaseReadAction)})) {
          latest[r.Int(0)] = r.Int(1);
        }
        for (CaseSummary& s : out) {
          s.assignee = assignees[s.c.id];
          s.last_activity = std::max(s.c.created_at, latest[s.c.id]);
        }
        return out;
      });
}

}  // namespace takedown::store
