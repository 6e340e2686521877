// Test-only, private to the simulation: Takedown's published statistics against the world's
// truth (issue 17 item 7). The figures are read as a partner or the organisation's admin reads
// them, from GET /api/v1/stats, and compared with the posts the world knows to be down.
//
// Plain values and one function; thread-safe as far as its `get` is.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "base/clock.h"
#include "sim/sim_world.h"

namespace takedown::sim {

// What the statistics said against what is true, at the end of a run.
struct StatisticsCheck {
  bool read = false;          // the statistics answered
  int takedown_removed = 0;   // totals.urls_removed
  int true_removed = 0;       // her posts down at the end
  int takedown_notified = 0;  // totals.urls_notified
  // Per platform row (its id; a site no platform entry knows, by its name): (Takedown's
  // urls_removed, the posts down there).
  std::map<std::string, std::pair<int, int>> per_platform;
  // Per platform row: notices credited with a removal, and of those shared with another notice
  // whose deadline window was open too.
  std::map<std::string, std::pair<int, int>> acted_on;
};

// Reads the statistics of the days [from, to) through `get` (a GET of an API path answering
// its JSON, null on failure) and counts the world's removed posts of survivors the same way.
StatisticsCheck CheckStatistics(const std::function<nlohmann::json(const std::string&)>& get,
                                const World& world, UnixMillis from, UnixMillis to);

// The comparison for a person to read: the totals, then a line per platform row.
std::string Describe(const StatisticsCheck& check);

}  // namespace takedown::sim
