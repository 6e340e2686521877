// Statistics for advocacy: what Takedown's records say about cases, removals and the platforms,
// hosts and jurisdictions involved, computed exactly from facts the store hands over, and made
// safe to export by suppressing small counts (docs/statistics.md defines every figure).
//
// Facts carry no URL, no hash, no case code and no contact: only what the figures need. Case ids
// are there to count distinct cases and never leave this module.
//
// Everything here is a plain value or a pure function: no I/O, no clock (the period and "now"
// come as values). Safe to call from any number of threads.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "domain/entities.h"

namespace takedown::stats {

// --- facts (store::StatsStore::StatsFacts fills them)

// One case: when it was reported, under which jurisdiction, how many images and videos she
// identified (hashes).
struct CaseFact {
  int64_t case_id = 0;
  UnixMillis created_at = 0;
  std::string jurisdiction;  // "" when unknown
  int images = 0, videos = 0;
};

// One URL that showed her media (a sighting that was not dismissed).
struct SightingFact {
  int64_t case_id = 0;
  std::string platform;      // data/platforms.toml id, "" when no platform is known
  std::string site;          // the registrable domain ("forum.example")
  std::string jurisdiction;  // the case's
  UnixMillis found_at = 0;   // first seen
  // The first notice about it that went out (sent or submitted), if any.
  std::optional<UnixMillis> first_notice_at;
  // When discovery first saw it gone after a notice went out (its first "sighting.removed"
  // event after first_notice_at); removals without any notice have no time.
  std::optional<UnixMillis> removed_at;
  bool removed_now = false;  // its state is removed
  bool reappeared = false;   // it was ever seen again after a removal
  int escalations = 0;       // notices about it that went out on a rung above 0
};

// One notice that went out (sent or submitted).
struct NoticeFact {
  int64_t case_id = 0;
  int64_t notice_id = 0;
  domain::RecipientKind kind = domain::RecipientKind::kPlatform;
  // Who it went to: a platform id for kind platform, the provider's name or id for hosts,
  // registrars and CDNs, the regulator's name.
  std::string recipient;
  std::string jurisdiction;  // the case's
  int rung = 0;
  UnixMillis sent_at = 0;
  bool acknowledged = false;  // any reply came back (an auto-reply counts; a bounce does not)
  bool answered = false;      // a person replied
  bool bounced = false;
  // A removal of a URL it named is credited to it (docs/statistics.md, "Credit"): the time from
  // this notice to the first such removal.
  std::optional<int64_t> time_to_removal_ms;
  // That removal fell in the deadline windows of other notices too (rungs that overlapped), and
  // each of them was credited with it as well.
  bool shared_credit = false;
};

// Everything the store knows that the figures need.
struct Facts {
  std::vector<CaseFact> cases;
  std::vector<SightingFact> sightings;
  std::vector<NoticeFact> notices;
};

// --- figures (Compute fills them from the facts of a period)

// A count; nullopt when Suppress withheld it (below k and not zero, or one that would give such
// a count back).
using Count = std::optional<int64_t>;
// A share 0..1 (nullopt when its denominator is zero, or its numerator or denominator withheld).
using Share = std::optional<double>;

// Times from a notice to removal, in hours. Percentiles are by nearest rank: the p-th is the
// time at rank ceil(p/100 * n) of the times in ascending order, so it is always one real time
// (the median of an even number of times is the lower of the middle two).
struct Durations {
  Count n;                       // how many removals were timed
  std::optional<double> median;  // nullopt when n is 0, or below k in an export
  std::optional<double> p90;
  // How many fell in each bucket, for the distribution chart: bucket i holds the times above
  // the bound before it (0 for the first) and at most kDurationBucketHours[i] hours; the last,
  // those above 720 hours.
  std::vector<Count> buckets;
};
inline constexpr double kDurationBucketHours[] = {24, 48, 72, 168, 720};

// The figures of the whole period.
struct Totals {
  Count cases, images, videos;
  Count urls_found;    // sightings found in the period
  Count urls_removed;  // of those, removed now
  Share removal_rate;  // urls_removed / urls_found
  // Of those, removed now or at any time before (a URL that came back and is up again is not
  // removed now, but was): the base of reappearance_rate.
  Count urls_ever_removed;
  Count urls_notified;        // of those, with a notice that went out
  Durations time_to_removal;  // first notice -> removal, over the URLs found in the period
  Count urls_reappeared;
  Share reappearance_rate;  // urls_reappeared / urls_ever_removed
};

// The figures for one platform, hosting provider or other recipient of notices.
struct RecipientFigures {
  std::string recipient;  // platform id, provider name
  std::string name;       // display name (the platform's name; the provider's as given)
  domain::RecipientKind kind = domain::RecipientKind::kPlatform;
  Count notices_sent;
  Count acknowledged;     // notices with any reply (auto-replies count, bounces do not)
  Count acted_on;         // notices credited with the removal of a URL they named
  Count acted_on_shared;  // of those, the ones whose removal was credited to another notice too
  Count never_responded;  // notices with neither a reply nor a removal (bounced ones included)
  Share removal_rate;     // acted_on / notices_sent
  Durations time_to_removal;
  // URLs on this platform whose removal took a rung above 0; nullopt for hosts (a sighting does
  // not say which host served it), and left out of their exports.
  Count escalations_needed;
  // Platforms only (nullopt for hosts): the URLs on it first seen in the period, and of those
  // the ones removed now. A URL on a site no platform entry knows counts in the row of its site
  // (the recipient of its first notices), so the rows add up to the totals.
  Count urls_found, urls_removed;
};

// The figures of the cases of one jurisdiction (the survivor's, which picks the law).
struct JurisdictionFigures {
  std::string jurisdiction;  // "US", ..., "" unknown
  Count cases, urls_found, urls_removed;
  Share removal_rate;
  Durations time_to_removal;
};

// The figures of one calendar month (UTC), or of the part of it inside the period.
struct MonthFigures {
  std::string month;  // "2026-01" (UTC)
  Count cases, urls_found, urls_removed, notices_sent;
};

// Every figure of one period: exact from Compute, fit to export from Suppress.
struct Figures {
  UnixMillis from = 0, to = 0;  // the period [from, to)
  int k = 0;                    // counts below k (and above 0) are withheld; 0: none are
  Totals totals;
  // Notices to regulators (complaints, not requests to remove) are in no figure.
  std::vector<RecipientFigures> platforms;  // recipients of kind platform, most notices first
  std::vector<RecipientFigures> hosts;      // hosts, CDNs and registrars, most notices first
  std::vector<JurisdictionFigures> jurisdictions;  // by code, unknown ("") last
  std::vector<MonthFigures> months;                // every month touching the period, oldest first
};

// The exact figures of the period [from, to), k = 0. `names` maps platform ids to display names
// (data/platforms.toml); a recipient not in it shows as given.
Figures Compute(const Facts& facts, UnixMillis from, UnixMillis to,
                const std::map<std::string, std::string>& names);

// A copy of exact figures (from Compute) fit to export: every count c with 0 < c < k is withheld
// (nullopt), and so is every other count that would give a withheld one back by adding or
// subtracting published ones; rates that use a withheld count, and medians and 90th
// percentiles of fewer than k times, are withheld too. Rows whose notices_sent is withheld move
// to the end of their list, by name, so that their order tells nothing.
Figures Suppress(const Figures& exact, int k);

// The figures as JSON: withheld and undefined values are null.
nlohmann::json ToJson(const Figures& figures);
// The figures as one RFC 4180 table (CRLF line ends), a row per totals, platform, host,
// jurisdiction and month, told apart by the first column; a withheld count is "[c]" and a note
// row at the end says so. docs/statistics.md lists the columns.
std::string ToCsv(const Figures& figures);

// "YYYY-MM-DD" as UTC midnight; InvalidArgument for anything else, such as a day the month does
// not have.
Result<UnixMillis> ParseDate(std::string_view date);

}  // namespace takedown::stats
