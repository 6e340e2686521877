// `make bench-effect`: the simulated web of issue 17 (tests/sim) for twelve survivors, fourteen
// days, two seeds, and the table of what came down, how fast, at what cost in caseworker actions,
// and whether Takedown's counts equal the world's; then each copy still up and who was written to.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sim/simulated_web.h"

int main(int argc, char** argv) {
  std::vector<uint64_t> seeds = {1, 2};
  int survivors = 12;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--survivors") == 0 && i + 1 < argc) {
      survivors = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--seeds") == 0 && i + 1 < argc) {
      seeds.clear();
      for (char* s = std::strtok(argv[++i], ","); s; s = std::strtok(nullptr, ",")) {
        seeds.push_back(std::strtoull(s, nullptr, 10));
      }
    } else {
      std::fprintf(stderr,
                   "usage: effect_bench [--survivors N] [--seeds 1,2]\n"
                   "Runs the simulated web of issue 17 once per seed and prints the table.\n");
      return std::strcmp(argv[i], "--help") == 0 ? 0 : 2;
    }
  }
  std::vector<takedown::sim::Report> reports;
  for (uint64_t seed : seeds) {
    takedown::sim::Options options;
    options.seed = seed;
    options.survivors = survivors;
    options.verbose = true;
    auto report = takedown::sim::Run(options);
    if (!report.ok()) {
      std::fprintf(stderr, "effect_bench: %s\n", report.status().message().c_str());
      return 1;
    }
    reports.push_back(*report);
  }
  std::printf("%s\n", takedown::sim::Table(reports).c_str());
  for (size_t i = 0; i < reports.size(); ++i) {
    std::printf("Up at the end of day 7 of run %zu (%zu):\n", i + 1, reports[i].up_day7.size());
    for (const std::string& line : reports[i].up_day7) std::printf("  %s\n", line.c_str());
    std::printf("Still up at the end of run %zu (%zu):\n", i + 1, reports[i].still_up.size());
    for (const std::string& line : reports[i].still_up) std::printf("  %s\n", line.c_str());
    std::printf("%s", takedown::sim::Describe(reports[i].statistics).c_str());
    std::printf("Removed per site, Takedown's count / the world's:\n");
    for (const auto& [site, counts] : reports[i].per_site) {
      std::printf("  %s %d / %d\n", site.c_str(), counts.first, counts.second);
    }
  }
  return 0;
}
