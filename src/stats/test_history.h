// A small history whose figures are worked out by hand in the comments of stats_test.cc and
// suppress_test.cc: 10 cases in GB and US over January to March 2026, 12 URLs on three
// platforms, 13 notices to platforms, a host and a registrar, and facts just outside the period.
#pragma once

#include <map>
#include <string>

#include "stats/stats.h"

namespace takedown::stats::history {

// Midnight UTC of `date` plus `hours`.
inline UnixMillis At(const char* date, double hours = 0) {
  return *ParseDate(date) + static_cast<UnixMillis>(hours * static_cast<double>(kMillisPerHour));
}

inline const UnixMillis kFrom = At("2026-01-01");
inline const UnixMillis kTo = At("2026-04-01");

inline std::map<std::string, std::string> Names() {
  return {{"telegram", "Telegram"}, {"reddit", "Reddit"}};
}

inline CaseFact Case(int64_t id, UnixMillis at, const char* jurisdiction, int images, int videos) {
  return {id, at, jurisdiction, images, videos};
}

// A URL noticed at found_at; removed `hours` after that notice unless hours < 0.
inline SightingFact Url(int64_t case_id, const char* platform, const char* jurisdiction,
                        UnixMillis found_at, bool notified, double hours, bool removed_now,
                        bool reappeared = false, int escalations = 0) {
  SightingFact s;
  s.case_id = case_id;
  s.platform = platform;
  s.site = "site.example";
  s.jurisdiction = jurisdiction;
  s.found_at = found_at;
  if (notified) s.first_notice_at = found_at;
  if (hours >= 0) {
    s.removed_at = found_at + static_cast<UnixMillis>(hours * static_cast<double>(kMillisPerHour));
  }
  s.removed_now = removed_now;
  s.reappeared = reappeared;
  s.escalations = escalations;
  return s;
}

// A notice; `hours` to the removal it led to, none when hours < 0.
inline NoticeFact Notice(int64_t id, domain::RecipientKind kind, const char* recipient,
                         UnixMillis sent_at, bool acknowledged, double hours,
                         bool bounced = false) {
  NoticeFact n;
  n.notice_id = id;
  n.kind = kind;
  n.recipient = recipient;
  n.sent_at = sent_at;
  n.acknowledged = acknowledged;
  n.bounced = bounced;
  if (hours >= 0) {
    n.time_to_removal_ms = static_cast<int64_t>(hours * static_cast<double>(kMillisPerHour));
  }
  return n;
}

inline Facts SeededHistory() {
  using K = domain::RecipientKind;
  Facts f;
  f.cases = {
      Case(1, kFrom, "GB", 3, 0),  // exactly at `from`: in
      Case(2, At("2026-01-10"), "GB", 2, 1),
      Case(3, At("2026-01-20"), "US", 1, 0),
      Case(4, At("2026-02-02"), "US", 4, 0),
      Case(5, At("2026-02-14"), "GB", 1, 2),
      Case(6, At("2026-02-28"), "US", 2, 0),
      Case(7, At("2026-03-01"), "GB", 1, 0),
      Case(8, At("2026-03-15"), "US", 3, 1),
      Case(9, At("2026-03-31", 23), "GB", 1, 0),
      Case(10, At("2026-03-20"), "US", 2, 0),
      Case(11, kTo, "GB", 5, 5),        // exactly at `to`: out
      Case(12, kFrom - 1, "US", 5, 5),  // the last millisecond before: out
  };
  f.sightings = {
      Url(1, "telegram", "GB", kFrom, true, 24, true),  // 24 h exactly: the first bucket
      Url(1, "telegram", "GB", At("2026-01-02"), true, 10, true),
      Url(1, "telegram", "GB", At("2026-01-03"), true, 30, true),
      Url(2, "reddit", "GB", At("2026-01-11"), true, 50, true),
      Url(3, "reddit", "US", At("2026-01-21"), true, 100, false, true),  // back up again
      Url(4, "tube", "US", At("2026-02-03"), true, 200, true, false, 1),
      Url(5, "tube", "GB", At("2026-02-15"), true, 20, true, true),  // back, and down again
      Url(6, "telegram", "US", At("2026-02-27"), true, -1, false),
      Url(7, "telegram", "GB", At("2026-03-02"), true, 800, true, false, 2),
      Url(8, "", "US", At("2026-03-16"), false, -1, true),  // gone before any notice
      Url(8, "reddit", "US", At("2026-03-17"), true, -1, false),
      Url(10, "tube", "US", At("2026-03-21"), false, -1, false),
      Url(9, "telegram", "GB", kTo, true, 1, true),                // out
      Url(12, "telegram", "US", At("2025-12-31"), true, 1, true),  // out
  };
  f.notices = {
      Notice(1, K::kPlatform, "telegram", kFrom, true, 24),
      Notice(2, K::kPlatform, "telegram", At("2026-01-02"), false, 10),
      Notice(3, K::kPlatform, "telegram", At("2026-01-03"), true, 30),
      Notice(4, K::kPlatform, "telegram", At("2026-02-27"), false, -1),
      Notice(5, K::kPlatform, "telegram", At("2026-03-02"), false, -1, /*bounced=*/true),
      Notice(6, K::kHost, "Hostco", At("2026-03-05"), true, -1),
      Notice(7, K::kRegistrar, "Reg", At("2026-03-10"), false, 608),
      Notice(8, K::kPlatform, "telegram", kTo, true, 1),  // out
      Notice(9, K::kPlatform, "reddit", At("2026-01-11"), true, 50),
      Notice(10, K::kPlatform, "reddit", At("2026-01-21"), false, 100),
      Notice(11, K::kPlatform, "reddit", At("2026-03-17"), true, -1),
      Notice(12, K::kPlatform, "tube", At("2026-02-03"), false, -1),
      Notice(13, K::kHost, "Hostco", At("2026-02-10"), true, 32),
      Notice(14, K::kPlatform, "tube", At("2026-02-15"), true, 20),
      Notice(15, K::kRegulator, "Ofcom", At("2026-03-20"), true, -1),  // in no figure
  };
  return f;
}

}  // namespace takedown::stats::history
