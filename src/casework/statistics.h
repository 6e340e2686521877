// The statistics for advocacy (stats/stats.h) from the store's facts, suppressed for export
// (counts below k, and whatever would give them back), and written as JSON, CSV, or the printable
// report (report/advocacy.h) as HTML or PDF. Every export is an audit event: who took which
// period, in which form. Used by the API and by `takedown report`.
//
// Thread-safe: the store does its own locking; the rest is immutable after construction.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "casework/actor.h"
#include "platforms/platforms.h"
#include "report/labels.h"
#include "stats/stats.h"
#include "store/case_store.h"
#include "store/organisation_store.h"
#include "store/roles.h"
#include "store/stats_store.h"

namespace takedown::casework {

// What the statistics need: the smallest count exports show, the report's labels by language,
// the organisation's name as the report prints it until admins save the organisation's profile.
struct StatisticsSetup {
  int k = 5;
  std::map<std::string, report::Labels, std::less<>> labels;  // "en", "zh-Hant"
  std::string organisation;
};

// One export of the statistics: what it is, and a file name for it.
struct StatisticsExport {
  std::string content_type, body, filename;
};

class Reports {
 public:
  // The roles of the store it uses.
  using Stores = store::Roles<store::AuditLog, store::StatsStore, store::OrganisationStore>;

  Reports(Stores stores, const Clock& clock, const platforms::PlatformDirectory& platforms,
          StatisticsSetup setup);

  // The figures of [from, to), suppressed. Staff, and operators (Actor::Kind::kSystem).
  Result<stats::Figures> Figures(const Actor& who, UnixMillis from, UnixMillis to);
  // As "json", "csv", "html" or "pdf" (the report in `language`); audited.
  Result<StatisticsExport> Export(const Actor& who, UnixMillis from, UnixMillis to,
                                  const std::string& format, const std::string& language);
  // The languages of the loaded labels, "en" first.
  std::vector<std::string> languages() const;

 private:
  store::AuditLog& audit_;
  store::StatsStore& stats_;
  store::OrganisationStore& organisation_;
  const Clock& clock_;
  const platforms::PlatformDirectory& platforms_;
  StatisticsSetup setup_;
};

}  // namespace takedown::casework
