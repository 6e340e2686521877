#include "sim/sim_statistics_check.h"

namespace takedown::sim {

StatisticsCheck CheckStatistics(const std::function<nlohmann::json(const std::string&)>& get,
                                const World& world, UnixMillis from, UnixMillis to) {
  StatisticsCheck check;
  // The API takes whole days: the day `from` falls in, up to the day after `to`'s.
  const std::string first = FormatTime(from).substr(0, 10);
  const std::string last = FormatTime(to + kMillisPerDay).substr(0, 10);
  const nlohmann::json stats = get("/api/v1/stats?from=" + first + "&to=" + last + "&format=json");
  if (stats.is_object() && stats.contains("totals")) {
    check.read = true;
    check.takedown_removed = stats["totals"].value("urls_removed", 0);
    check.takedown_notified = stats["totals"].value("urls_notified", 0);
    for (const nlohmann::json& row : stats.value("platforms", nlohmann::json::array())) {
      const std::string key = row.value("recipient", "");
      check.per_platform[key].first = row.value("urls_removed", 0);
      check.acted_on[key] = {row.value("acted_on", 0), row.value("acted_on_shared", 0)};
    }
  }
  for (const Post& p : world.posts()) {
    if (p.survivor < 0) continue;
    const Site& site = world.sites()[p.site];
    const bool down = !p.up;
    check.true_removed += down;
    check.per_platform[site.platform_id.empty() ? site.name : site.platform_id].second += down;
  }
  return check;
}

std::string Describe(const StatisticsCheck& check) {
  if (!check.read) return "The statistics did not answer.\n";
  std::string out =
      "Removed per Takedown's statistics / in truth: " + std::to_string(check.takedown_removed) +
      " / " + std::to_string(check.true_removed) + " (URLs notified " +
      std::to_string(check.takedown_notified) + ")\n";
  for (const auto& [platform, counts] : check.per_platform) {
    const auto acted = check.acted_on.find(platform);
    out += "  " + platform + " " + std::to_string(counts.first) + " / " +
           std::to_string(counts.second);
    if (acted != check.acted_on.end()) {
      out += "; notices acted on " + std::to_string(acted->second.first) + ", shared " +
             std::to_string(acted->second.second);
    }
    out += "\n";
  }
  return out;
}

}  // namespace takedown::sim
