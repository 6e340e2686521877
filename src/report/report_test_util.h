// Test-only: a hand-built stats::Figures with distinctive numbers, suppressed values, a hostile
// provider name and a Chinese platform name, and every figure of it formatted as the report must
// print it.
#pragma once

#include <string>
#include <vector>

#include "report/format.h"
#include "stats/stats.h"

namespace takedown::report::testing {

inline constexpr UnixMillis kJan2026 = 1767225600000;  // 2026-01-01T00:00:00Z
inline constexpr UnixMillis kJul2026 = 1782864000000;  // 2026-07-01T00:00:00Z
inline constexpr const char* kHostileName = "<script>&\"";

inline stats::Durations Timed(stats::Count n, std::optional<double> median,
                              std::optional<double> p90) {
  return {n, median, p90, {}};
}

inline stats::RecipientFigures Recipient(std::string name, domain::RecipientKind kind,
                                         stats::Count sent, stats::Count ack, stats::Count acted,
                                         stats::Count never, stats::Share rate,
                                         stats::Durations ttr, stats::Count escalations) {
  stats::RecipientFigures r;
  r.recipient = r.name = std::move(name);
  r.kind = kind;
  r.notices_sent = sent;
  r.acknowledged = ack;
  r.acted_on = acted;
  r.never_responded = never;
  r.removal_rate = rate;
  r.time_to_removal = std::move(ttr);
  r.escalations_needed = escalations;
  return r;
}

inline stats::Figures SampleFigures() {
  using domain::RecipientKind;
  stats::Figures f;
  f.from = kJan2026;
  f.to = kJul2026;
  f.k = 10;
  f.totals = {.cases = 1234,
              .images = 5678,
              .videos = 321,
              .urls_found = 12345,
              .urls_removed = 8765,
              .removal_rate = 8765.0 / 12345,
              .urls_ever_removed = 9100,
              .urls_notified = 11111,
              .time_to_removal = {8000, 37.26, 151.42, {2100, 1900, 1300, std::nullopt, 1800, 900}},
              .urls_reappeared = 432,
              .reappearance_rate = 432.0 / 9100};
  f.platforms = {
      Recipient("Instagram", RecipientKind::kPlatform, 2100, 2000, 1800, 90, 1800.0 / 2100,
                Timed(1750, 20.44, 70.16), 55),
      Recipient("LIHKG 連登", RecipientKind::kPlatform, 640, 12, 150, 480, 150.0 / 640,
                Timed(140, 96.71, 400.33), 77),
      Recipient("Never Answers Forum", RecipientKind::kPlatform, 300, 0, 0, 300, 0.0,
                Timed(0, std::nullopt, std::nullopt), 0),
      Recipient("Tiny Board", RecipientKind::kPlatform, std::nullopt, std::nullopt, std::nullopt,
                std::nullopt, std::nullopt, Timed(std::nullopt, std::nullopt, std::nullopt),
                std::nullopt),
  };
  f.hosts = {
      Recipient("Example Hosting", RecipientKind::kHost, 456, 345, 234, 111, 234.0 / 456,
                Timed(230, 55.55, 200.01), 12),
      Recipient(kHostileName, RecipientKind::kCdn, 45, 44, 43, std::nullopt, 43.0 / 45,
                Timed(42, 12.34, 30.03), std::nullopt),
  };
  f.jurisdictions = {
      {"TW", 800, 9000, 6000, 6000.0 / 9000, Timed(5900, 40.04, 160.66)},
      {"", std::nullopt, 77, 33, 33.0 / 77, Timed(33, 88.88, 222.22)},
  };
  f.months = {
      {"2026-01", 201, 2002, 1503, 1004},          {"2026-02", 202, 2012, 1513, 1014},
      {"2026-03", std::nullopt, 2022, 1523, 1024}, {"2026-04", 204, 2032, std::nullopt, 1034},
      {"2026-05", 205, 2042, 1543, 1044},          {"2026-06", 206, 2052, 1553, 1054}};
  return f;
}

// Every figure of `f` as the report prints it (format.h, with the same denominators).
inline std::vector<std::string> FormattedFigures(const stats::Figures& f) {
  std::vector<std::string> out;
  auto count = [&](const stats::Count& c) { out.push_back(FormatCount(c)); };
  auto share = [&](const stats::Share& s, const stats::Count& base) {
    out.push_back(FormatShare(s, base));
  };
  auto hours = [&](const stats::Durations& d) { out.push_back(FormatHours(d.median, d.n)); };
  const stats::Totals& t = f.totals;
  for (const auto& c :
       {t.cases, t.images, t.videos, t.urls_found, t.urls_removed, t.urls_ever_removed,
        t.urls_notified, t.urls_reappeared, t.time_to_removal.n}) {
    count(c);
  }
  share(t.removal_rate, t.urls_found);
  share(t.reappearance_rate, t.urls_ever_removed);
  hours(t.time_to_removal);
  out.push_back(FormatHours(t.time_to_removal.p90, t.time_to_removal.n));
  for (const auto& b : t.time_to_removal.buckets) count(b);
  for (const auto* list : {&f.platforms, &f.hosts}) {
    for (const stats::RecipientFigures& r : *list) {
      for (const auto& c : {r.notices_sent, r.acknowledged, r.acted_on, r.never_responded}) {
        count(c);
      }
      share(r.removal_rate, r.notices_sent);
      hours(r.time_to_removal);
    }
  }
  for (const stats::RecipientFigures& r : f.platforms) {
    count(r.escalations_needed);
    out.push_back(FormatHours(r.time_to_removal.p90, r.time_to_removal.n));
  }
  for (const stats::JurisdictionFigures& j : f.jurisdictions) {
    for (const auto& c : {j.cases, j.urls_found, j.urls_removed}) count(c);
    share(j.removal_rate, j.urls_found);
    hours(j.time_to_removal);
  }
  for (const stats::MonthFigures& m : f.months) {
    for (const auto& c : {m.cases, m.urls_found, m.urls_removed, m.notices_sent}) count(c);
  }
  return out;
}

}  // namespace takedown::report::testing
