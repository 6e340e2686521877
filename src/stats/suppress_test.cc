#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "stats/stats.h"
#include "stats/test_history.h"

namespace takedown::stats {
namespace {

using history::kFrom;
using history::kTo;

// The equations a reader can write between published counts, written out again here (not taken
// from suppress.cc) to check by linear algebra that no withheld count follows from them.
class Audit {
 public:
  explicit Audit(const Figures& f) {
    const Totals& t = f.totals;
    Sum(
        t.cases, [](const JurisdictionFigures& j) { return &j.cases; }, f.jurisdictions);
    Sum(
        t.cases, [](const MonthFigures& m) { return &m.cases; }, f.months);
    Sum(
        t.urls_found, [](const JurisdictionFigures& j) { return &j.urls_found; }, f.jurisdictions);
    Sum(
        t.urls_found, [](const MonthFigures& m) { return &m.urls_found; }, f.months);
    Sum(
        t.urls_removed, [](const JurisdictionFigures& j) { return &j.urls_removed; },
        f.jurisdictions);
    Sum(
        t.urls_removed, [](const MonthFigures& m) { return &m.urls_removed; }, f.months);
    Sum(
        t.urls_found, [](const RecipientFigures& p) { return &p.urls_found; }, f.platforms);
    Sum(
        t.urls_removed, [](const RecipientFigures& p) { return &p.urls_removed; }, f.platforms);
    Sum(
        t.time_to_removal.n, [](const JurisdictionFigures& j) { return &j.time_to_removal.n; },
        f.jurisdictions);
    Buckets(t.time_to_removal);
    for (size_t i = 0; i < t.time_to_removal.buckets.size(); ++i) {
      Sum(
          t.time_to_removal.buckets[i],
          [i](const JurisdictionFigures& j) { return &j.time_to_removal.buckets[i]; },
          f.jurisdictions);
    }
    for (const JurisdictionFigures& j : f.jurisdictions) Buckets(j.time_to_removal);
    Equation notices;
    for (const auto* rows : {&f.platforms, &f.hosts}) {
      for (const RecipientFigures& r : *rows) {
        Buckets(r.time_to_removal);
        equations_.push_back({{&r.acted_on, 1}, {&r.time_to_removal.n, -1}});
        notices.push_back({&r.notices_sent, 1});
        // With nothing acknowledged (or nothing acted on), every notice is either acted on (or
        // acknowledged) or never responded to: a sum a reader can use.
        if (r.acknowledged == 0 || r.acted_on == 0) {
          equations_.push_back({{&r.notices_sent, -1},
                                {r.acknowledged == 0 ? &r.acted_on : &r.acknowledged, 1},
                                {&r.never_responded, 1}});
        }
        const int withheld = !r.notices_sent + !r.acknowledged + !r.acted_on + !r.never_responded;
        EXPECT_NE(withheld, 1) << r.recipient << ": one of four withheld is too few";
      }
    }
    for (const MonthFigures& m : f.months) notices.push_back({&m.notices_sent, -1});
    equations_.push_back(notices);
  }

  // The withheld counts that the published ones determine (should be none).
  int Determined() const {
    std::vector<const Count*> unknowns;
    for (const Equation& e : equations_) {
      for (auto [c, coef] : e) {
        if (!*c && std::find(unknowns.begin(), unknowns.end(), c) == unknowns.end()) {
          unknowns.push_back(c);
        }
      }
    }
    std::vector<std::vector<double>> rows;
    for (const Equation& e : equations_) {
      std::vector<double> row(unknowns.size(), 0);
      for (auto [c, coef] : e) {
        auto at = std::find(unknowns.begin(), unknowns.end(), c);
        if (at != unknowns.end()) row[static_cast<size_t>(at - unknowns.begin())] += coef;
      }
      rows.push_back(row);
    }
    const size_t rank = Rank(rows);
    int determined = 0;
    for (size_t u = 0; u < unknowns.size(); ++u) {
      auto with = rows;
      with.emplace_back(unknowns.size(), 0);
      with.back()[u] = 1;
      determined += Rank(with) == rank ? 1 : 0;
    }
    return determined;
  }

 private:
  using Equation = std::vector<std::pair<const Count*, double>>;

  template <typename Row, typename Part>
  void Sum(const Count& total, Part part, const std::vector<Row>& rows) {
    Equation e = {{&total, -1}};
    for (const Row& r : rows) e.push_back({part(r), 1});
    equations_.push_back(e);
  }

  void Buckets(const Durations& d) {
    Equation e = {{&d.n, -1}};
    for (const Count& b : d.buckets) e.push_back({&b, 1});
    equations_.push_back(e);
  }

  static size_t Rank(std::vector<std::vector<double>> m) {
    size_t rank = 0;
    const size_t cols = m.empty() ? 0 : m[0].size();
    for (size_t c = 0; c < cols && rank < m.size(); ++c) {
      size_t pivot = rank;
      for (size_t r = rank; r < m.size(); ++r) {
        if (std::abs(m[r][c]) > std::abs(m[pivot][c])) pivot = r;
      }
      if (std::abs(m[pivot][c]) < 1e-9) continue;
      std::swap(m[pivot], m[rank]);
      for (size_t r = 0; r < m.size(); ++r) {
        if (r == rank || std::abs(m[r][c]) < 1e-12) continue;
        const double f = m[r][c] / m[rank][c];
        for (size_t k = c; k < cols; ++k) m[r][k] -= f * m[rank][k];
      }
      ++rank;
    }
    return rank;
  }

  std::vector<Equation> equations_;
};

TEST(Suppress, SeededHistoryAtFive) {
  const Figures exact = Compute(history::SeededHistory(), kFrom, kTo, history::Names());
  const Figures f = Suppress(exact, 5);
  EXPECT_EQ(f.k, 5);
  EXPECT_EQ(Audit(f).Determined(), 0);

  const Totals& t = f.totals;
  EXPECT_EQ(t.cases, 10) << "totals of at least k stay";
  EXPECT_EQ(t.images, 20);
  EXPECT_EQ(t.videos, std::nullopt) << "4 < 5";
  EXPECT_EQ(t.urls_found, 12);
  EXPECT_EQ(t.urls_removed, 8);
  EXPECT_DOUBLE_EQ(*t.removal_rate, 8.0 / 12);
  EXPECT_EQ(t.urls_reappeared, std::nullopt);
  EXPECT_EQ(t.reappearance_rate, std::nullopt) << "its numerator is withheld";
  EXPECT_EQ(t.time_to_removal.n, 8);
  EXPECT_EQ(t.time_to_removal.median, 30.0);
  EXPECT_EQ(t.time_to_removal.p90, 800.0);
  for (const Count& b : t.time_to_removal.buckets) EXPECT_EQ(b, std::nullopt);

  // US removed 2 of its URLs: withheld, and GB's 6 with it, or 8 - 6 would give it back.
  const JurisdictionFigures &gb = f.jurisdictions[0], &us = f.jurisdictions[1];
  EXPECT_EQ(us.urls_removed, std::nullopt);
  EXPECT_EQ(gb.urls_removed, std::nullopt);
  EXPECT_EQ(gb.removal_rate, std::nullopt);
  EXPECT_EQ(gb.cases, 5);
  EXPECT_EQ(gb.urls_found, 6);
  EXPECT_EQ(us.time_to_removal.n, std::nullopt);
  EXPECT_EQ(us.time_to_removal.median, std::nullopt) << "2 times are fewer than k";
  EXPECT_EQ(gb.time_to_removal.n, std::nullopt) << "8 - 6 would give US's 2 back";
  EXPECT_EQ(gb.time_to_removal.median, 24.0) << "6 times are enough for a median";

  for (const MonthFigures& m : f.months) EXPECT_EQ(m.cases, std::nullopt) << m.month;
  EXPECT_EQ(f.months[0].urls_found, 5);
  EXPECT_EQ(f.months[0].notices_sent, 5);

  // Telegram's 5 notices stay; reddit's 3 go, and its rows' parts and rates with them.
  ASSERT_EQ(f.platforms.size(), 4u);
  const RecipientFigures& tg = f.platforms[0];
  EXPECT_EQ(tg.recipient, "telegram");
  EXPECT_EQ(tg.notices_sent, 5);
  EXPECT_EQ(tg.acknowledged, std::nullopt);
  EXPECT_EQ(tg.acted_on, std::nullopt);
  EXPECT_EQ(tg.never_responded, std::nullopt);
  EXPECT_EQ(tg.removal_rate, std::nullopt);
  EXPECT_EQ(tg.time_to_removal.median, std::nullopt);
  EXPECT_EQ(tg.escalations_needed, std::nullopt);
  // The site's row: no notices (a zero, published), its one URL withheld.
  const RecipientFigures& site = f.platforms[1];
  EXPECT_EQ(site.recipient, "site.example") << "published notices_sent: before withheld rows";
  EXPECT_EQ(site.notices_sent, 0);
  EXPECT_EQ(site.urls_found, std::nullopt);
  EXPECT_EQ(site.urls_removed, std::nullopt);
  const RecipientFigures& rd = f.platforms[2];
  EXPECT_EQ(rd.recipient, "reddit") << "withheld rows last, by name: Reddit before tube";
  EXPECT_EQ(rd.notices_sent, std::nullopt);
  EXPECT_EQ(rd.acknowledged, std::nullopt);
  EXPECT_EQ(rd.acted_on, std::nullopt);
  EXPECT_EQ(rd.never_responded, 0) << "a zero is no secret";
  EXPECT_EQ(rd.removal_rate, std::nullopt);
  EXPECT_EQ(f.platforms[3].recipient, "tube");
  ASSERT_EQ(f.hosts.size(), 2u);
  EXPECT_EQ(f.hosts[0].notices_sent, std::nullopt);
  EXPECT_EQ(f.hosts[1].notices_sent, std::nullopt);
}

TEST(Suppress, KOfOneOrZeroWithholdsNothing) {
  const Figures exact = Compute(history::SeededHistory(), kFrom, kTo, history::Names());
  for (int k : {0, 1}) {
    const Figures f = Suppress(exact, k);
    EXPECT_EQ(f.totals.videos, 4);
    EXPECT_EQ(f.platforms[2].notices_sent, 2);
    EXPECT_EQ(f.hosts[1].time_to_removal.median, 608.0);
    EXPECT_EQ(f.totals.reappearance_rate, exact.totals.reappearance_rate);
  }
}

// Random histories: every small count withheld, nothing else changed, nothing worked back.
TEST(Suppress, RandomHistoriesGiveNothingBack) {
  std::mt19937 rng(20260101);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const char* places[] = {"GB", "US", "DE", ""};
  const char* platforms[] = {"telegram", "reddit", "tube", "forum", ""};
  const char* hosts[] = {"Hostco", "Bighost", "Reg"};
  for (int round = 0; round < 60; ++round) {
    Facts facts;
    const UnixMillis span = kTo - kFrom;
    auto when = [&] {
      return kFrom + static_cast<UnixMillis>(rng() % static_cast<unsigned>(span / 1000)) * 1000;
    };
    for (int c = 0, n = 5 + pick(40); c < n; ++c) {
      facts.cases.push_back(history::Case(c, when(), places[pick(4)], pick(6), pick(3)));
    }
    for (int s = 0, n = pick(80); s < n; ++s) {
      const bool removed = pick(3) > 0;
      facts.sightings.push_back(history::Url(s, platforms[pick(5)], places[pick(4)], when(),
                                             pick(4) > 0, removed ? pick(1000) : -1, removed,
                                             pick(5) == 0, pick(3)));
    }
    for (int n = 0, count = pick(60); n < count; ++n) {
      const bool platform = pick(3) > 0;
      facts.notices.push_back(history::Notice(
          n, platform ? domain::RecipientKind::kPlatform : domain::RecipientKind::kHost,
          platform ? platforms[pick(4)] : hosts[pick(3)], when(), pick(2) == 0,
          pick(2) == 0 ? pick(900) : -1));
    }
    const Figures exact = Compute(facts, kFrom, kTo, {});
    for (int k : {3, 5, 10}) {
      const Figures f = Suppress(exact, k);
      EXPECT_EQ(Audit(f).Determined(), 0) << "round " << round << " k " << k;
      for (size_t i = 0; i < f.months.size(); ++i) {
        const Count &shown = f.months[i].cases, &real = exact.months[i].cases;
        if (*real > 0 && *real < k) {
          EXPECT_EQ(shown, std::nullopt);
        }
        if (shown) {
          EXPECT_EQ(shown, real);
        }
      }
      if (*exact.totals.cases >= k) {
        EXPECT_EQ(f.totals.cases, exact.totals.cases) << "a total is withheld for no part";
      }
    }
  }
}

}  // namespace
}  // namespace takedown::stats
