// Test-only: a simulated web in which Takedown's whole loop runs on the manual clock. Survivors
// report their copies; sites show them on loopback (some cropped or letterboxed, as PDQ cannot
// match); platforms, hosting providers and a registrar receive Takedown's notices by SMTP and act
// on them, each with its own behaviour (comply, stall until told again, ignore, soft-remove, read
// only English, repost elsewhere, put the copy back at the same URL); decoy posts of unrelated
// pictures sit on the same sites; a caseworker acts only through the API and counts her actions.
// Run measures what the effect issue asks: how many copies came down by day 7 and 14, how fast,
// at what cost in actions, whether any notice named a wrong page, and whether Takedown's own
// counts equal the world's.
//
// Not thread-safe: one Run at a time per process (it starts servers on loopback).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "sim/sim_statistics_check.h"

namespace takedown::sim {

struct Options {
  uint64_t seed = 1;
  int survivors = 12;
  int days = 14;
  int copies_per_survivor = 10;  // on average, spread over the ten sites
  bool verbose = false;          // a line per simulated day on stderr
};

// What one run measured.
struct Report {
  int copies = 0;  // her posts, reposts included
  int removed_day7 = 0, removed_day14 = 0;
  int unknown_site_copies = 0, unknown_site_removed_day7 = 0;
  double hours_to_removal_median = 0, hours_to_removal_p90 = 0;  // from the first notice
  int caseworker_actions = 0;  // mutating API calls made for the cases (setup excluded)
  std::map<std::string, int> actions_by_kind;  // confirm, approve, submitted, ...
  int setup_actions = 0;                       // settings and watched sources, once
  int notices_sent = 0;      // messages the world received, and web forms submitted
  int wrongful_notices = 0;  // notices naming a page that does not show her picture
  int takedown_removed = 0;  // sightings Takedown counts removed at the end
  int true_removed = 0;      // the same copies, as the world knows them
  // Copies that went down or came back in the last day of the run: Takedown's daily recheck of a
  // removed copy (and its 12-hourly one of a live copy) may not have seen them yet.
  int changed_last_day = 0;
  std::map<std::string, std::pair<int, int>> per_site;  // site -> (Takedown's, the world's)
  std::vector<std::string> still_up;  // each copy up at the end, with who was written to
  std::vector<std::string> up_day7;   // each copy up at the end of day 7, the same way
  StatisticsCheck statistics;         // Takedown's statistics (the API's) against the world
  double actions_per_copy() const { return copies ? double(caseworker_actions) / copies : 0; }
};

// Runs the whole simulation against a fresh `takedown serve` (the binary built with the
// tests). kFailedPrecondition when the SMTP relay cannot start (python3-aiosmtpd missing).
Result<Report> Run(const Options& options);

// The table of the effect issue, one column per report.
std::string Table(const std::vector<Report>& reports);

}  // namespace takedown::sim
