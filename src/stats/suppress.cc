// Suppress: small counts withheld, and whatever would give them back (docs/statistics.md,
// "Suppression", explains the method and why it is enough).
//
// The published counts are tied by equations: a total is the sum of its parts (the cases of the
// period and those of every jurisdiction, month or platform), a row's removals timed are the sum
// of its buckets and, for a recipient, equal its notices acted on. Each count sits in at most
// two equations, so the counts are the edges of a graph whose nodes are the equations, plus one
// "free" node for the ends that are in no equation. A withheld count can be worked back exactly
// from the published ones if and only if it is a bridge of the graph of withheld counts (no
// cycle of withheld counts runs through it): along a cycle, any amount can move from one count
// to the next without changing a sum anyone can see. So counts are withheld one at a time, next
// to a bridge, until there is none.
#include <algorithm>
#include <functional>
#include <tuple>
#include <utility>
#include <vector>

#include "stats/stats.h"

namespace takedown::stats {
namespace {

constexpr int kFree = 0;  // the node of the equations no count is in

// One published count: the equations it is in (kFree for none), and whether it is one of the
// period's totals, which are withheld for another's sake only when no other count will do.
struct Cell {
  Count* slot;
  int64_t value;
  int a, b;
  bool total;
  bool withheld = false;
};

// The counts of one Figures and their equations. Holds pointers into the Figures it was built
// from, which must outlive it and keep its rows where they are. Not thread-safe.
class Equations {
 public:
  int Node() { return nodes_++; }  // a new equation
  // A count in equations a and b (kFree: none); the count is read now, written by Solve.
  void Add(Count& c, int a, int b, bool total = false) {
    cells_.push_back({&c, c.value_or(0), a, b, total});
  }

  // Withholds the counts from 1 to k - 1, then one count more at a time until no withheld
  // count is a bridge, and empties the withheld ones.
  void Solve(int k) {
    for (Cell& c : cells_) c.withheld = 0 < c.value && c.value < k;
    for (int bridge = FirstBridge(); bridge >= 0; bridge = FirstBridge()) {
      const int complement = Complement(bridge);
      if (complement < 0) break;  // see Complement: the equations rule this out
      cells_[static_cast<size_t>(complement)].withheld = true;
    }
    for (Cell& c : cells_) {
      if (c.withheld) c.slot->reset();
    }
  }

 private:
  bool Better(int x, int y) const {
    if (y < 0) return true;
    const Cell &cx = cells_[static_cast<size_t>(x)], &cy = cells_[static_cast<size_t>(y)];
    return std::tie(cx.total, cx.value, x) < std::tie(cy.total, cy.value, y);
  }

  // A published count (above zero: a zero is no secret) to withhold so that `bridge` lies on a
  // cycle: one in the bridge's own equations if there is one, else one in the equations joined
  // to them by withheld counts. Since the exact counts satisfy the equations, some count on a
  // cycle through the bridge is still published, so there always is one.
  int Complement(int bridge) const {
    const Cell& e = cells_[static_cast<size_t>(bridge)];
    std::vector<bool> near(static_cast<size_t>(nodes_), false);
    near[static_cast<size_t>(e.a)] = near[static_cast<size_t>(e.b)] = true;
    int best = Pick(near);
    if (best >= 0) return best;
    std::vector<int> stack = {e.a, e.b};
    while (!stack.empty()) {
      const int n = stack.back();
      stack.pop_back();
      for (size_t i = 0; i < cells_.size(); ++i) {
        const Cell& c = cells_[i];
        if (!c.withheld || static_cast<int>(i) == bridge || (c.a != n && c.b != n)) continue;
        const int other = c.a == n ? c.b : c.a;
        if (!near[static_cast<size_t>(other)]) {
          near[static_cast<size_t>(other)] = true;
          stack.push_back(other);
        }
      }
    }
    return Pick(near);
  }

  int Pick(const std::vector<bool>& near) const {
    int best = -1;
    for (size_t i = 0; i < cells_.size(); ++i) {
      const Cell& c = cells_[i];
      if (c.withheld || c.value == 0 || c.a == c.b) continue;
      const bool touches = (c.a != kFree && near[static_cast<size_t>(c.a)]) ||
                           (c.b != kFree && near[static_cast<size_t>(c.b)]);
      if (touches && Better(static_cast<int>(i), best)) best = static_cast<int>(i);
    }
    return best;
  }

  // The first withheld count that is a bridge of the withheld counts' graph (Tarjan), or -1.
  int FirstBridge() const {
    std::vector<std::vector<std::pair<int, int>>> adjacent(static_cast<size_t>(nodes_));
    for (size_t i = 0; i < cells_.size(); ++i) {
      const Cell& c = cells_[i];
      if (!c.withheld || c.a == c.b) continue;
      adjacent[static_cast<size_t>(c.a)].push_back({c.b, static_cast<int>(i)});
      adjacent[static_cast<size_t>(c.b)].push_back({c.a, static_cast<int>(i)});
    }
    std::vector<int> order(static_cast<size_t>(nodes_), -1), low(static_cast<size_t>(nodes_));
    int next = 0, first = -1;
    std::function<void(int, int)> visit = [&](int n, int via) {
      order[static_cast<size_t>(n)] = low[static_cast<size_t>(n)] = next++;
      for (auto [m, edge] : adjacent[static_cast<size_t>(n)]) {
        if (edge == via) continue;
        auto& lm = low[static_cast<size_t>(m)];
        auto& ln = low[static_cast<size_t>(n)];
        if (order[static_cast<size_t>(m)] < 0) {
          visit(m, edge);
          ln = std::min(ln, lm);
          if (lm > order[static_cast<size_t>(n)] && (first < 0 || edge < first)) first = edge;
        } else {
          ln = std::min(ln, order[static_cast<size_t>(m)]);
        }
      }
    };
    for (int n = 0; n < nodes_; ++n) {
      if (order[static_cast<size_t>(n)] < 0) visit(n, -1);
    }
    return first;
  }

  int nodes_ = 1;  // kFree
  std::vector<Cell> cells_;
};

// `found` and `removed`: the equations that tie the platforms' URL counts to the jurisdictions'
// (both add up to the period's totals).
void AddRecipients(Equations& eq, std::vector<RecipientFigures>& rows, int notices, int found,
                   int removed) {
  for (RecipientFigures& r : rows) {
    // Acknowledged, acted on and never responded are not a sum of notices_sent (a notice can be
    // both acknowledged and acted on), but with three of the four a reader can sometimes
    // narrow the fourth to one value, so the four are held together like one.
    const int row = eq.Node(), timed = eq.Node(), buckets = eq.Node();
    eq.Add(r.notices_sent, row, notices);
    eq.Add(r.acknowledged, row, kFree);
    eq.Add(r.acted_on, row, timed);
    eq.Add(r.never_responded, row, kFree);
    eq.Add(r.time_to_removal.n, timed, buckets);
    for (Count& b : r.time_to_removal.buckets) eq.Add(b, buckets, kFree);
    if (r.acted_on_shared) eq.Add(r.acted_on_shared, kFree, kFree);
    if (r.escalations_needed) eq.Add(r.escalations_needed, kFree, kFree);
    if (r.urls_found) eq.Add(r.urls_found, found, kFree);
    if (r.urls_removed) eq.Add(r.urls_removed, removed, kFree);
  }
}

void Withhold(Share& share, const Count& part, const Count& whole) {
  if (!part || !whole) share.reset();
}

// Percentiles of fewer than k times would tell about too few removals, even though n itself
// may have been withheld only to protect another count.
void Withhold(Durations& d, int64_t exact_n, int k) {
  if (exact_n < k) {
    d.median.reset();
    d.p90.reset();
  }
}

// Rows with a withheld notices_sent go last, by name: their exact order would rank them.
void Reorder(std::vector<RecipientFigures>& rows) {
  std::stable_partition(rows.begin(), rows.end(),
                        [](const RecipientFigures& r) { return r.notices_sent.has_value(); });
  auto hidden = std::find_if(rows.begin(), rows.end(),
                             [](const RecipientFigures& r) { return !r.notices_sent.has_value(); });
  std::sort(hidden, rows.end(), [](const RecipientFigures& a, const RecipientFigures& b) {
    return std::tie(a.name, a.recipient, a.kind) < std::tie(b.name, b.recipient, b.kind);
  });
}

}  // namespace

Figures Suppress(const Figures& exact, int k) {
  Figures out = exact;
  out.k = k;
  Equations eq;
  Totals& t = out.totals;
  const int cases_j = eq.Node(), cases_m = eq.Node(), found_j = eq.Node(), found_m = eq.Node(),
            removed_j = eq.Node(), removed_m = eq.Node(), timed_j = eq.Node(), timed_b = eq.Node(),
            notices = eq.Node(), found_p = eq.Node(), removed_p = eq.Node();
  std::vector<int> bucket_j;
  for (size_t i = 0; i < t.time_to_removal.buckets.size(); ++i) bucket_j.push_back(eq.Node());

  eq.Add(t.cases, cases_j, cases_m, true);
  eq.Add(t.images, kFree, kFree, true);
  eq.Add(t.videos, kFree, kFree, true);
  eq.Add(t.urls_found, found_j, found_m, true);
  eq.Add(t.urls_removed, removed_j, removed_m, true);
  eq.Add(t.urls_ever_removed, kFree, kFree, true);
  eq.Add(t.urls_notified, kFree, kFree, true);
  eq.Add(t.urls_reappeared, kFree, kFree, true);
  eq.Add(t.time_to_removal.n, timed_j, timed_b, true);
  for (size_t i = 0; i < bucket_j.size(); ++i) {
    eq.Add(t.time_to_removal.buckets[i], timed_b, bucket_j[i], true);
  }
  for (JurisdictionFigures& j : out.jurisdictions) {
    const int row = eq.Node();
    eq.Add(j.cases, cases_j, kFree);
    // A total is also the sum of the platforms' rows: written as "the jurisdictions add up to
    // what the platforms add up to", so that no count is in more than two equations.
    eq.Add(j.urls_found, found_j, found_p);
    eq.Add(j.urls_removed, removed_j, removed_p);
    eq.Add(j.time_to_removal.n, timed_j, row);
    for (size_t i = 0; i < bucket_j.size(); ++i) {
      eq.Add(j.time_to_removal.buckets[i], row, bucket_j[i]);
    }
  }
  for (MonthFigures& m : out.months) {
    eq.Add(m.cases, cases_m, kFree);
    eq.Add(m.urls_found, found_m, kFree);
    eq.Add(m.urls_removed, removed_m, kFree);
    eq.Add(m.notices_sent, notices, kFree);
  }
  AddRecipients(eq, out.platforms, notices, found_p, removed_p);
  AddRecipients(eq, out.hosts, notices, found_p, removed_p);
  eq.Solve(k);

  Withhold(t.removal_rate, t.urls_removed, t.urls_found);
  Withhold(t.reappearance_rate, t.urls_reappeared, t.urls_ever_removed);
  Withhold(t.time_to_removal, exact.totals.time_to_removal.n.value_or(0), k);
  for (size_t i = 0; i < out.jurisdictions.size(); ++i) {
    JurisdictionFigures& j = out.jurisdictions[i];
    Withhold(j.removal_rate, j.urls_removed, j.urls_found);
    Withhold(j.time_to_removal, exact.jurisdictions[i].time_to_removal.n.value_or(0), k);
  }
  for (auto [rows, exact_rows] :
       {std::pair{&out.platforms, &exact.platforms}, std::pair{&out.hosts, &exact.hosts}}) {
    for (size_t i = 0; i < rows->size(); ++i) {
      RecipientFigures& r = (*rows)[i];
      Withhold(r.removal_rate, r.acted_on, r.notices_sent);
      Withhold(r.time_to_removal, (*exact_rows)[i].time_to_removal.n.value_or(0), k);
    }
    Reorder(*rows);
  }
  return out;
}

}  // namespace takedown::stats
