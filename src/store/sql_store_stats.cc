// SqlStore: the facts the statistics are computed from (stats/stats.h). Only what the figures
// need leaves the database: no URL, hash, case code or contact. Removals and reappearances come
// from the audit trail (discovery's "sighting.removed"/"sighting.reappeared" events and a
// caseworker's "sighting.state" moves), so an erased case, whose events lose their details,
// drops out of the statistics with everything else of hers.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "store/sql_store.h"

namespace takedown::store {
namespace {

struct Change {
  UnixMillis at = 0;
  bool removed = false;  // else reappeared
};

// The sighting and what happened to it, from one audit event; nullopt for other events.
std::optional<std::pair<int64_t, Change>> ChangeOf(const std::string& action,
                                                   const std::string& detail_json, UnixMillis at) {
  const auto d = nlohmann::json::parse(detail_json, nullptr, false);
  if (!d.is_object() || !d.contains("sighting") || !d["sighting"].is_number_integer()) {
    return std::nullopt;
  }
  std::string to = action.substr(std::string_view("sighting.").size());
  if (action == "sighting.state") to = d.value("to", "");
  if (to != "removed" && to != "reappeared") return std::nullopt;
  return std::pair{d["sighting"].get<int64_t>(), Change{at, to == "removed"}};
}

// A notice that went out, with the sightings it named and when its deadline passes.
struct Out {
  stats::NoticeFact fact;
  std::vector<int64_t> sightings;
  std::optional<UnixMillis> deadline;
};

// Credits each removal of one URL (docs/statistics.md, "Credit"): to the notices about it whose
// deadline window (from going out to the deadline) the removal fell in, all of them when the
// windows overlap (marked shared); to the latest notice when it came after every deadline. Only
// notices sent since the URL's previous removal compete: a copy that came back is a new cycle.
// `notices` in the order they went out; `changes` oldest first.
void CreditRemovals(const std::vector<Out*>& notices, const std::vector<Change>& changes) {
  std::optional<UnixMillis> previous_removal;
  for (const Change& c : changes) {
    if (!c.removed) continue;
    std::vector<Out*> before, in_window;
    for (Out* n : notices) {
      const UnixMillis sent = n->fact.sent_at;
      if (sent > c.at || (previous_removal && sent <= *previous_removal)) continue;
      before.push_back(n);
      if (!n->deadline || c.at <= *n->deadline) in_window.push_back(n);
    }
    previous_removal = c.at;
    if (in_window.empty() && !before.empty()) in_window.push_back(before.back());
    for (Out* n : in_window) {
      const int64_t took = c.at - n->fact.sent_at;
      if (!n->fact.time_to_removal_ms || took < *n->fact.time_to_removal_ms) {
        n->fact.time_to_removal_ms = took;
        n->fact.shared_credit = in_window.size() > 1;
      }
    }
  }
}

}  // namespace

Result<stats::Facts> SqlStore::StatsFacts(UnixMillis from, UnixMillis to) {
  return InTx<stats::Facts>(TxMode::kRead, [&](Tx& tx) -> Result<stats::Facts> {
    stats::Facts facts;
    for (const Row& r :
         tx.Query("SELECT c.id, c.created_at, c.jurisdiction, "
                  "(SELECT COUNT(*) FROM media_hashes h WHERE h.case_id = c.id AND h.kind = " +
                      SqlName(domain::MediaKindName(domain::MediaKind::kImage)) +
                      "), "
                      "(SELECT COUNT(*) FROM media_hashes h WHERE h.case_id = c.id AND h.kind = " +
                      SqlName(domain::MediaKindName(domain::MediaKind::kVideo)) +
                      ") "
                      "FROM cases c WHERE c.created_at >= $1 AND c.created_at < $2 ORDER BY c.id",
                  {from, to})) {
      facts.cases.push_back({r.Int(0), r.Int(1), r.Text(2), r.IntSmall(3), r.IntSmall(4)});
    }

    // Every notice that went out, with its sightings: a URL's first notice and the notice a
    // removal answers may fall outside the period.
    std::map<int64_t, Out> out;  // by notice id
    for (const Row& r :
         tx.Query("SELECT n.id, n.case_id, n.recipient_kind, n.recipient, n.rung, n.sent_at, "
                  "c.jurisdiction, n.deadline FROM notices n JOIN cases c ON c.id = n.case_id "
                  "WHERE n.sent_at IS NOT NULL ORDER BY n.id")) {
      stats::NoticeFact f;
      f.notice_id = r.Int(0);
      f.case_id = r.Int(1);
      f.kind = Known(domain::ParseRecipientKind(r.Text(2)));
      f.recipient = r.Text(3);
      f.rung = r.IntSmall(4);
      f.sent_at = r.Int(5);
      f.jurisdiction = r.Text(6);
      Out& o = out[f.notice_id];
      o.deadline = r.OptInt(7);
      o.fact = std::move(f);
    }
    for (const Row& r :
         tx.Query("SELECT ns.notice_id, ns.sighting_id FROM notice_sightings ns "
                  "JOIN notices n ON n.id = ns.notice_id WHERE n.sent_at IS NOT NULL")) {
      if (auto it = out.find(r.Int(0)); it != out.end()) it->second.sightings.push_back(r.Int(1));
    }
    for (const Row& r : tx.Query("SELECT notice_id, kind FROM notice_replies")) {
      auto it = out.find(r.Int(0));
      if (it == out.end()) continue;
      const std::string kind = r.Text(1);
      it->second.fact.bounced |= kind == "bounce";
      it->second.fact.acknowledged |= kind != "bounce";
      it->second.fact.answered |= kind == "human";
    }
    std::map<int64_t, std::vector<Change>> changes;  // by sighting, oldest first
    for (const Row& r : tx.Query(
             "SELECT action, detail_json, at FROM events WHERE action IN "
             "('sighting.removed', 'sighting.reappeared', 'sighting.state') ORDER BY at, id")) {
      if (auto change = ChangeOf(r.Text(0), r.Text(1), r.Int(2))) {
        changes[change->first].push_back(change->second);
      }
    }
    // Each sighting's notices in the order they went out.
    std::map<int64_t, std::vector<Out*>> notices_of;
    for (auto& [id, o] : out) {
      for (int64_t s : o.sightings) notices_of[s].push_back(&o);
    }
    for (auto& [s, list] : notices_of) {
      std::sort(list.begin(), list.end(), [](const Out* a, const Out* b) {
        return std::pair(a->fact.sent_at, a->fact.notice_id) <
               std::pair(b->fact.sent_at, b->fact.notice_id);
      });
    }
    for (auto& [s, list] : notices_of) CreditRemovals(list, changes[s]);
    for (const auto& [id, o] : out) {
      if (o.fact.sent_at >= from && o.fact.sent_at < to) facts.notices.push_back(o.fact);
    }

    for (const Row& r : tx.Query(
             "SELECT s.id, s.case_id, s.platform, s.host, c.jurisdiction, s.first_seen, s.state "
             "FROM sightings s JOIN cases c ON c.id = s.case_id "
             "WHERE s.first_seen >= $1 AND s.first_seen < $2 AND s.state <> " +
                 SqlName(domain::SightingStateName(domain::SightingState::kDismissed)) +
                 " ORDER BY s.id",
             {from, to})) {
      const int64_t id = r.Int(0);
      stats::SightingFact f;
      f.case_id = r.Int(1);
      f.platform = r.Text(2);
      f.site = r.Text(3);
      f.jurisdiction = r.Text(4);
      f.found_at = r.Int(5);
      f.removed_now = r.Text(6) == "removed";
      const auto& list = notices_of[id];
      if (!list.empty()) f.first_notice_at = list.front()->fact.sent_at;
      f.escalations = static_cast<int>(
          std::count_if(list.begin(), list.end(), [](const Out* n) { return n->fact.rung > 0; }));
      for (const Change& c : changes[id]) {
        if (!c.removed) {
          f.reappeared = true;
        } else if (f.first_notice_at && c.at >= *f.first_notice_at && !f.removed_at) {
          f.removed_at = c.at;
        }
      }
      facts.sightings.push_back(std::move(f));
    }
    return facts;
  });
}

}  // namespace takedown::store
