// The facts statistics are computed from, and the dashboard's totals.
//
// A role of the Store (store/store.h), which says what every method promises: one transaction,
// durable on OK, times passed in, the same error codes. Consumers take the roles they use.
//
// Thread-safety: implementations may be used from many threads at once.
#pragma once

#include <map>
#include <string>

#include "base/status.h"
#include "domain/entities.h"
#include "stats/stats.h"

namespace takedown::store {

// Totals over every case: what the dashboard's front page shows.
struct Overview {
  int64_t open_cases = 0;
  int64_t closed_cases = 0;
  int64_t hashes = 0;
  std::map<std::string, int64_t> sightings_by_state;  // state name -> count; absent when 0
  int64_t notices = 0;
  int64_t notices_sent = 0;
  // Partners' current word on shared values (StopNCII's feedback values) -> how many values and
  // partners; absent when 0.
  std::map<std::string, int64_t> partner_feedback;
};

// Read-only counts over every case.
class StatsStore {
 public:
  virtual ~StatsStore() = default;

  // The facts of [from, to) for the statistics (stats/stats.h): cases created, URLs found and
  // notices sent in it, each with what happened to it since (up to now).
  virtual Result<stats::Facts> StatsFacts(UnixMillis from, UnixMillis to) = 0;
  virtual Result<Overview> GetOverview() = 0;
};

}  // namespace takedown::store
