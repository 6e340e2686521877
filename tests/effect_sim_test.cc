// The whole loop on the simulated web (tests/sim): six survivors' copies on ten sites, fourteen
// days on the manual clock, a caseworker acting only through the API. Asserts what the effect
// issue (17) asks of Takedown where some rung acts on a valid notice; `make bench-effect` prints
// the full table for twelve survivors and two seeds.
#include <gtest/gtest.h>

#include <cstdlib>

#include "mail/testing/smtp_server.h"
#include "sim/simulated_web.h"

namespace takedown::sim {
namespace {

TEST(EffectSimulation, EveryCopyClimbsTheLadderUntilItIsDownAndTheCountsEqualTheWorld) {
  Options options;
  options.seed = 7;
  options.survivors = 6;
  auto report = sim::Run(options);
  if (!report.ok() && report.status().code() == StatusCode::kFailedPrecondition) {
    if (notify::testing::SmtpServer::Required()) FAIL() << report.status().message();
    GTEST_SKIP() << report.status().message();
  }
  ASSERT_TRUE(report.ok()) << report.status().message();
  std::string up;
  for (const std::string& line : report->still_up) up += "\n  " + line;
  std::printf("%s", Table(std::vector<Report>{*report}).c_str());
  EXPECT_EQ(report->wrongful_notices, 0);
  // Takedown's count is the world's, but for copies that changed in the last day (not yet
  // rechecked when the run ends).
  EXPECT_LE(std::abs(report->takedown_removed - report->true_removed), report->changed_last_day)
      << report->takedown_removed << " removed per Takedown, " << report->true_removed
      << " in truth";
  for (const auto& [site, counts] : report->per_site) {
    EXPECT_LE(std::abs(counts.first - counts.second), report->changed_last_day) << site;
  }
  // The statistics as the organisation publishes them (GET /api/v1/stats) say the same: removals
  // of copies that never matched count, and each platform's row holds its own.
  const StatisticsCheck& stats = report->statistics;
  ASSERT_TRUE(stats.read) << "GET /api/v1/stats did not answer";
  EXPECT_EQ(stats.takedown_removed, report->takedown_removed) << "the statistics and the cases";
  EXPECT_LE(std::abs(stats.takedown_removed - stats.true_removed), report->changed_last_day)
      << stats.takedown_removed << " removed per the statistics, " << stats.true_removed
      << " in truth";
  for (const auto& [platform, counts] : stats.per_platform) {
    EXPECT_LE(std::abs(counts.first - counts.second), report->changed_last_day) << platform;
  }
  std::printf("%s", Describe(stats).c_str());
  EXPECT_GE(report->removed_day14 * 100, report->copies * 90) << "still up:" << up;
  // The targets are 97% by day 7 and 0.2 actions per copy; this run measured 98% and 0.18
  // (docs/benchmarks.md), and the order in which the job threads and her sessions meet varies:
  // guards a little below the figures, against a ladder that slows or a form per copy again.
  EXPECT_GE(report->removed_day7 * 100, report->copies * 95);
  EXPECT_LE(report->actions_per_copy(), 0.25);
}

}  // namespace
}  // namespace takedown::sim
