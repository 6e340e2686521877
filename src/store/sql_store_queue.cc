// The case queue's views of what needs a caseworker (store.h: Attention): the SQL that counts,
// per case, the sightings waiting on a deadline, past it, reappeared or reposted, and picks the
// cases of one view. Plain SQL both backends accept, in correlated subqueries on the indexed
// case_id and notice_sightings columns, so a page of the queue costs a few lookups per case.
#include <string>

#include "store/sql_store.h"

namespace takedown::store {
namespace {

// A sighting still showing her media that a notice is about: notified, or escalated (the next
// rung's notice does not move it back to notified, so its deadline is that notice's).
constexpr std::string_view kShowing = "s.state IN ('notified', 'escalated')";

// Whether a notice that went out for sighting s has its deadline compared with `now` by `op`.
std::string NoticeOut(std::string_view op, const std::string& now) {
  return "EXISTS (SELECT 1 FROM notice_sightings ns JOIN notices n ON n.id = ns.notice_id "
         "WHERE ns.sighting_id = s.id AND n.state IN ('sent', 'submitted') AND n.deadline " +
         std::string(op) + " " + now + ")";
}

std::string Sightings(std::string_view id, const std::string& condition) {
  return "(SELECT COUNT(*) FROM sightings s WHERE s.case_id = " + std::string(id) + " AND (" +
         condition + "))";
}

std::string Waiting(const std::string& now) {
  return std::string(kShowing) + " AND " + NoticeOut(">", now);
}

// Past its deadline: no notice for it is still running, so nobody is waiting on anything.
std::string Overdue(const std::string& now) {
  return "s.state = 'overdue' OR (" + std::string(kShowing) + " AND " + NoticeOut("<=", now) +
         " AND NOT " + NoticeOut(">", now) + ")";
}

constexpr std::string_view kReappeared = "s.state = 'reappeared'";
constexpr std::string_view kRepost = "s.needs_review = 1 AND s.state <> 'dismissed'";

}  // namespace

std::optional<Attention> ParseAttention(std::string_view name) {
  if (name == "waiting") return Attention::kWaiting;
  if (name == "overdue") return Attention::kOverdue;
  if (name == "reappeared") return Attention::kReappeared;
  return std::nullopt;
}

std::string AttentionColumns(std::string_view id, const std::string& now) {
  const std::string next_deadline =
      "(SELECT MIN(n.deadline) FROM notices n JOIN notice_sightings ns ON ns.notice_id = n.id "
      "JOIN sightings s ON s.id = ns.sighting_id WHERE n.case_id = " +
      std::string(id) + " AND n.state IN ('sent', 'submitted') AND n.deadline > " + now + " AND " +
      std::string(kShowing) + ")";
  return Sightings(id, Waiting(now)) + ", " + next_deadline + ", " + Sightings(id, Overdue(now)) +
         ", " + Sightings(id, std::string(kReappeared)) + ", " +
         Sightings(id, std::string(kRepost));
}

CaseAttention ReadAttention(const Row& r, size_t first) {
  CaseAttention a;
  a.waiting = r.IntSmall(first);
  a.next_deadline = r.OptInt(first + 1);
  a.overdue = r.IntSmall(first + 2);
  a.reappeared = r.IntSmall(first + 3);
  a.reposts = r.IntSmall(first + 4);
  return a;
}

std::string AttentionCondition(Attention a, std::string_view id, const std::string& now) {
  switch (a) {
    case Attention::kWaiting:
      return Sightings(id, Waiting(now)) + " > 0";
    case Attention::kOverdue:
      return Sightings(id, Overdue(now)) + " > 0";
    case Attention::kReappeared:
      return Sightings(id, std::string(kReappeared) + " OR (" + std::string(kRepost) + ")") +
             " > 0";
  }
  return "1 = 0";
}

}  // namespace takedown::store
