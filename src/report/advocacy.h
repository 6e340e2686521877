// The advocacy report: what support organisations hand to lawmakers and the press — how many
// survivors came, what the platforms and hosts did with the notices, how long removal took, month
// by month — in the organisation's language, from stats::Figures.
//
// The figures come already suppressed (stats.h): the report prints a suppressed count as "<k"
// and never as a number or a zero, and says on its cover that small counts are hidden. Every
// number is written by format.h, so the report matches any other export of the same figures.
//
// A pure function of its arguments (no clock, no I/O): safe from any thread.
#pragma once

#include <string>

#include "base/clock.h"
#include "report/document.h"
#include "report/labels.h"
#include "stats/stats.h"

namespace takedown::report {

struct ReportInfo {
  std::string organisation;     // who prepared it, as it should be printed
  UnixMillis generated_at = 0;  // printed as the day it was generated
};

// Cover (organisation, period, date, the k used), key figures, removal by platform (table and
// chart), time to removal (table and histogram), hosting providers, jurisdictions, month by month
// (table and chart), and where the figures are defined. The language is the labels'.
Document BuildAdvocacyReport(const stats::Figures& figures, const ReportInfo& info,
                             const Labels& labels);

}  // namespace takedown::report
