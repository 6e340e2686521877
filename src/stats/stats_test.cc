#include "stats/stats.h"

#include <gtest/gtest.h>

#include "stats/test_history.h"

namespace takedown::stats {
namespace {

using history::At;
using history::kFrom;
using history::kTo;

std::vector<Count> Buckets(std::initializer_list<int64_t> counts) {
  return {counts.begin(), counts.end()};
}

class SeededHistory : public ::testing::Test {
 protected:
  Figures f = Compute(history::SeededHistory(), kFrom, kTo, history::Names());
};

TEST_F(SeededHistory, Totals) {
  const Totals& t = f.totals;
  EXPECT_EQ(t.cases, 10) << "case 1 at `from` is in; cases at `to` and just before are out";
  EXPECT_EQ(t.images, 3 + 2 + 1 + 4 + 1 + 2 + 1 + 3 + 1 + 2);
  EXPECT_EQ(t.videos, 1 + 2 + 1);
  EXPECT_EQ(t.urls_found, 12);
  EXPECT_EQ(t.urls_removed, 8) << "the 8 removed now; the reddit URL that came back is not";
  EXPECT_DOUBLE_EQ(*t.removal_rate, 8.0 / 12);
  EXPECT_EQ(t.urls_ever_removed, 9) << "the 8, and the reddit URL that is up again";
  EXPECT_EQ(t.urls_notified, 10);
  EXPECT_EQ(t.urls_reappeared, 2);
  EXPECT_DOUBLE_EQ(*t.reappearance_rate, 2.0 / 9);
}

TEST_F(SeededHistory, TimeToRemovalByNearestRank) {
  // Sorted: 10 20 24 30 50 100 200 800 hours. Median: rank ceil(0.5 * 8) = 4 -> 30; 90th
  // percentile: rank ceil(0.9 * 8) = 8 -> 800. 24 h exactly falls in the first bucket.
  const Durations& d = f.totals.time_to_removal;
  EXPECT_EQ(d.n, 8);
  EXPECT_EQ(d.median, 30.0);
  EXPECT_EQ(d.p90, 800.0);
  EXPECT_EQ(d.buckets, Buckets({3, 1, 1, 1, 1, 1}));
}

TEST_F(SeededHistory, Platforms) {
  ASSERT_EQ(f.platforms.size(), 4u);
  EXPECT_EQ(f.platforms[0].recipient, "telegram") << "most notices first";
  EXPECT_EQ(f.platforms[1].recipient, "reddit");
  EXPECT_EQ(f.platforms[2].recipient, "tube");
  EXPECT_EQ(f.platforms[3].recipient, "site.example") << "a site no platform entry knows";

  const RecipientFigures& tg = f.platforms[0];
  EXPECT_EQ(tg.name, "Telegram");
  EXPECT_EQ(tg.notices_sent, 5) << "the notice at `to` is out";
  EXPECT_EQ(tg.acknowledged, 2);
  EXPECT_EQ(tg.acted_on, 3);
  EXPECT_EQ(tg.never_responded, 2) << "one unanswered, one bounced";
  EXPECT_DOUBLE_EQ(*tg.removal_rate, 0.6);
  // 10 24 30: median rank 2 -> 24, p90 rank ceil(2.7) = 3 -> 30.
  EXPECT_EQ(tg.time_to_removal.n, 3);
  EXPECT_EQ(tg.time_to_removal.median, 24.0);
  EXPECT_EQ(tg.time_to_removal.p90, 30.0);
  EXPECT_EQ(tg.time_to_removal.buckets, Buckets({2, 1, 0, 0, 0, 0}));
  EXPECT_EQ(tg.escalations_needed, 1);
  EXPECT_EQ(tg.urls_found, 5) << "the URL at `to` is out";
  EXPECT_EQ(tg.urls_removed, 4);

  const RecipientFigures& rd = f.platforms[1];
  EXPECT_EQ(rd.notices_sent, 3);
  EXPECT_EQ(rd.acknowledged, 2);
  EXPECT_EQ(rd.acted_on, 2);
  EXPECT_EQ(rd.never_responded, 0);
  EXPECT_DOUBLE_EQ(*rd.removal_rate, 2.0 / 3);
  EXPECT_EQ(rd.time_to_removal.median, 50.0);
  EXPECT_EQ(rd.time_to_removal.p90, 100.0);
  EXPECT_EQ(rd.escalations_needed, 0) << "its escalated URL came back";
  EXPECT_EQ(rd.urls_found, 3);
  EXPECT_EQ(rd.urls_removed, 1);

  const RecipientFigures& tube = f.platforms[2];
  EXPECT_EQ(tube.name, "tube") << "not in the names: as given";
  EXPECT_EQ(tube.notices_sent, 2);
  EXPECT_EQ(tube.never_responded, 1);
  EXPECT_DOUBLE_EQ(*tube.removal_rate, 0.5);
  EXPECT_EQ(tube.escalations_needed, 1);
  EXPECT_EQ(tube.urls_found, 3);
  EXPECT_EQ(tube.urls_removed, 2);

  // Its one URL went before any notice: a row for its URLs, with no notices.
  const RecipientFigures& site = f.platforms[3];
  EXPECT_EQ(site.notices_sent, 0);
  EXPECT_EQ(site.urls_found, 1);
  EXPECT_EQ(site.urls_removed, 1);
  int64_t found = 0, removed = 0;
  for (const RecipientFigures& p : f.platforms) {
    found += *p.urls_found;
    removed += *p.urls_removed;
  }
  EXPECT_EQ(found, f.totals.urls_found) << "every URL is in one platform's row";
  EXPECT_EQ(removed, f.totals.urls_removed);
}

// Rungs that overlapped: a removal credited to a platform's notice and a host's alike is counted
// acted on for both, and marked shared for both.
TEST(Compute, SharedCreditIsCountedForEachNoticeAndMarked) {
  using K = domain::RecipientKind;
  Facts facts;
  facts.notices = {history::Notice(1, K::kPlatform, "telegram", kFrom, false, 30),
                   history::Notice(2, K::kHost, "Hostco", kFrom + kMillisPerDay, false, 6),
                   history::Notice(3, K::kPlatform, "telegram", kFrom, false, 5)};
  facts.notices[0].shared_credit = facts.notices[1].shared_credit = true;
  const Figures f = Compute(facts, kFrom, kTo, {});
  ASSERT_EQ(f.platforms.size(), 1u);
  EXPECT_EQ(f.platforms[0].acted_on, 2);
  EXPECT_EQ(f.platforms[0].acted_on_shared, 1);
  ASSERT_EQ(f.hosts.size(), 1u);
  EXPECT_EQ(f.hosts[0].acted_on, 1);
  EXPECT_EQ(f.hosts[0].acted_on_shared, 1);
  EXPECT_EQ(f.hosts[0].urls_found, std::nullopt) << "a host's URLs are not known";
}

TEST_F(SeededHistory, HostsAndRegistrarsButNoRegulator) {
  ASSERT_EQ(f.hosts.size(), 2u) << "Ofcom, a regulator, is in no list";
  const RecipientFigures& host = f.hosts[0];
  EXPECT_EQ(host.recipient, "Hostco");
  EXPECT_EQ(host.kind, domain::RecipientKind::kHost);
  EXPECT_EQ(host.notices_sent, 2);
  EXPECT_EQ(host.acknowledged, 2);
  EXPECT_EQ(host.acted_on, 1);
  EXPECT_EQ(host.never_responded, 0);
  EXPECT_EQ(host.time_to_removal.buckets, Buckets({0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(host.escalations_needed, std::nullopt);
  const RecipientFigures& reg = f.hosts[1];
  EXPECT_EQ(reg.kind, domain::RecipientKind::kRegistrar);
  EXPECT_EQ(reg.notices_sent, 1);
  EXPECT_EQ(reg.acted_on, 1);
  EXPECT_EQ(reg.time_to_removal.median, 608.0);
  EXPECT_EQ(reg.time_to_removal.buckets, Buckets({0, 0, 0, 0, 1, 0}));
}

TEST_F(SeededHistory, Jurisdictions) {
  ASSERT_EQ(f.jurisdictions.size(), 2u);
  const JurisdictionFigures &gb = f.jurisdictions[0], &us = f.jurisdictions[1];
  EXPECT_EQ(gb.jurisdiction, "GB");
  EXPECT_EQ(gb.cases, 5);
  EXPECT_EQ(gb.urls_found, 6);
  EXPECT_EQ(gb.urls_removed, 6);
  EXPECT_EQ(gb.removal_rate, 1.0);
  // 10 20 24 30 50 800: median rank 3 -> 24, p90 rank ceil(5.4) = 6 -> 800.
  EXPECT_EQ(gb.time_to_removal.median, 24.0);
  EXPECT_EQ(gb.time_to_removal.p90, 800.0);
  EXPECT_EQ(gb.time_to_removal.buckets, Buckets({3, 1, 1, 0, 0, 1}));
  EXPECT_EQ(us.jurisdiction, "US");
  EXPECT_EQ(us.cases, 5);
  EXPECT_EQ(us.urls_found, 6);
  EXPECT_EQ(us.urls_removed, 2);
  EXPECT_DOUBLE_EQ(*us.removal_rate, 1.0 / 3);
  EXPECT_EQ(us.time_to_removal.median, 100.0);
  EXPECT_EQ(us.time_to_removal.p90, 200.0);
}

TEST_F(SeededHistory, Months) {
  ASSERT_EQ(f.months.size(), 3u);
  EXPECT_EQ(f.months[0].month, "2026-01");
  EXPECT_EQ(f.months[2].month, "2026-03");
  const int64_t cases[] = {3, 3, 4}, found[] = {5, 3, 4}, removed[] = {4, 2, 2},
                notices[] = {5, 4, 4};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(f.months[i].cases, cases[i]) << i;
    EXPECT_EQ(f.months[i].urls_found, found[i]) << i;
    EXPECT_EQ(f.months[i].urls_removed, removed[i]) << i;
    EXPECT_EQ(f.months[i].notices_sent, notices[i]) << i << ": the regulator's is not counted";
  }
}

TEST(Compute, EmptyFacts) {
  const Figures f = Compute({}, kFrom, kTo, {});
  EXPECT_EQ(f.totals.cases, 0);
  EXPECT_EQ(f.totals.urls_found, 0);
  EXPECT_EQ(f.totals.removal_rate, std::nullopt) << "nothing to divide by";
  EXPECT_EQ(f.totals.reappearance_rate, std::nullopt);
  EXPECT_EQ(f.totals.time_to_removal.n, 0);
  EXPECT_EQ(f.totals.time_to_removal.median, std::nullopt);
  EXPECT_EQ(f.totals.time_to_removal.buckets, Buckets({0, 0, 0, 0, 0, 0}));
  EXPECT_TRUE(f.platforms.empty());
  EXPECT_TRUE(f.hosts.empty());
  EXPECT_TRUE(f.jurisdictions.empty());
  ASSERT_EQ(f.months.size(), 3u) << "every month of the period, even an empty one";
  EXPECT_EQ(f.months[1].cases, 0);
}

TEST(Compute, PeriodBoundaries) {
  Facts facts;
  facts.cases = {history::Case(1, At("2026-01-15"), "", 1, 0),
                 history::Case(2, At("2026-03-01") - 1, "", 1, 0),
                 history::Case(3, At("2026-03-01"), "", 1, 0)};
  const Figures f = Compute(facts, At("2026-01-15"), At("2026-03-01"), {});
  EXPECT_EQ(f.totals.cases, 2) << "[from, to): the case at `to` is out";
  ASSERT_EQ(f.months.size(), 2u) << "March only touches the period at its exclusive end";
  EXPECT_EQ(f.months[0].cases, 1);
  EXPECT_EQ(f.months[1].cases, 1);
  ASSERT_EQ(f.jurisdictions.size(), 1u);
  EXPECT_EQ(f.jurisdictions[0].jurisdiction, "") << "unknown has its row";

  EXPECT_TRUE(Compute(facts, At("2026-01-15"), At("2026-01-15"), {}).months.empty());
  const Figures turn = Compute(facts, At("2025-12-31"), At("2026-01-01", 1), {});
  ASSERT_EQ(turn.months.size(), 2u);
  EXPECT_EQ(turn.months[0].month, "2025-12");
  EXPECT_EQ(turn.months[1].month, "2026-01");
}

TEST(Compute, UnknownJurisdictionLast) {
  Facts facts;
  facts.cases = {history::Case(1, kFrom, "", 1, 0), history::Case(2, kFrom, "US", 1, 0),
                 history::Case(3, kFrom, "DE", 1, 0)};
  const Figures f = Compute(facts, kFrom, kTo, {});
  ASSERT_EQ(f.jurisdictions.size(), 3u);
  EXPECT_EQ(f.jurisdictions[0].jurisdiction, "DE");
  EXPECT_EQ(f.jurisdictions[1].jurisdiction, "US");
  EXPECT_EQ(f.jurisdictions[2].jurisdiction, "");
}

TEST(Compute, TiesSortByName) {
  Facts facts;
  for (const char* id : {"zz", "aa", "mm"}) {
    facts.notices.push_back(
        history::Notice(1, domain::RecipientKind::kPlatform, id, kFrom, false, -1));
  }
  const Figures f = Compute(facts, kFrom, kTo, {{"zz", "Alpha"}});
  ASSERT_EQ(f.platforms.size(), 3u);
  EXPECT_EQ(f.platforms[0].name, "Alpha");
  EXPECT_EQ(f.platforms[1].name, "aa");
  EXPECT_EQ(f.platforms[2].name, "mm");
}

TEST(ParseDate, UtcMidnight) {
  EXPECT_EQ(*ParseDate("2026-01-01"), 1767225600000);
  EXPECT_EQ(*ParseDate("1970-01-01"), 0);
  EXPECT_EQ(*ParseDate("2024-02-29"), *ParseDate("2024-03-01") - kMillisPerDay);
  for (const char* bad :
       {"", "2026-1-01", "2026-01-1", "2026/01/01", "2023-02-29", "2026-13-01", "2026-00-10",
        "2026-04-31", "2026-01-01T00:00", "20260101", "+026-01-01", "2026-01-0a"}) {
    auto r = ParseDate(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace takedown::stats
