// Compute and ParseDate: the exact figures. docs/statistics.md is the definition every line here
// follows; a change to one is a change to the other.
#include "stats/stats.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <set>
#include <tuple>
#include <utility>

namespace takedown::stats {
namespace {

namespace chr = std::chrono;

bool InPeriod(UnixMillis t, UnixMillis from, UnixMillis to) { return from <= t && t < to; }

Share Rate(int64_t part, int64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

double Hours(int64_t ms) { return static_cast<double>(ms) / static_cast<double>(kMillisPerHour); }

// Nearest rank: the smallest time that at least `percent` % of the times do not exceed, so every
// published percentile is one real time a reader can find in the sorted list.
int64_t NearestRank(const std::vector<int64_t>& sorted, int64_t percent) {
  const auto n = static_cast<int64_t>(sorted.size());
  const int64_t rank = std::max<int64_t>(1, (percent * n + 99) / 100);
  return sorted[static_cast<size_t>(rank - 1)];
}

Durations MakeDurations(std::vector<int64_t> ms) {
  Durations d;
  d.n = static_cast<int64_t>(ms.size());
  d.buckets.assign(std::size(kDurationBucketHours) + 1, int64_t{0});
  for (int64_t t : ms) {
    size_t b = 0;
    while (b < std::size(kDurationBucketHours) &&
           t > static_cast<int64_t>(kDurationBucketHours[b]) * kMillisPerHour) {
      ++b;
    }
    ++*d.buckets[b];
  }
  if (!ms.empty()) {
    std::sort(ms.begin(), ms.end());
    d.median = Hours(NearestRank(ms, 50));
    d.p90 = Hours(NearestRank(ms, 90));
  }
  return d;
}

// The time from the first notice about a URL to its removal, when both are known.
std::optional<int64_t> TimeToRemoval(const SightingFact& s) {
  if (!s.first_notice_at || !s.removed_at) return std::nullopt;
  return *s.removed_at - *s.first_notice_at;
}

bool EverRemoved(const SightingFact& s) {
  return s.removed_now || s.reappeared || s.removed_at.has_value();
}

// Regulators receive complaints about a platform, not requests to remove: they are in no
// figure (docs/statistics.md, "Notices").
bool CountsAsNotice(const NoticeFact& n) { return n.kind != domain::RecipientKind::kRegulator; }

chr::sys_days Day(UnixMillis t) {
  return chr::floor<chr::days>(chr::sys_time<chr::milliseconds>(chr::milliseconds(t)));
}

UnixMillis MillisOf(chr::year_month ym) {
  const chr::sys_days d{ym / 1};
  return chr::duration_cast<chr::milliseconds>(d.time_since_epoch()).count();
}

std::string MonthName(chr::year_month ym) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(ym.year()),
                static_cast<unsigned>(ym.month()));
  return buf;
}

struct SightingTally {
  int64_t found = 0, removed = 0, ever_removed = 0, notified = 0, reappeared = 0;
  std::vector<int64_t> times;

  void Add(const SightingFact& s) {
    ++found;
    removed += s.removed_now ? 1 : 0;
    ever_removed += EverRemoved(s) ? 1 : 0;
    notified += s.first_notice_at ? 1 : 0;
    reappeared += s.reappeared ? 1 : 0;
    if (auto t = TimeToRemoval(s)) times.push_back(*t);
  }
};

Totals MakeTotals(const Facts& facts, UnixMillis from, UnixMillis to) {
  int64_t cases = 0, images = 0, videos = 0;
  for (const CaseFact& c : facts.cases) {
    if (!InPeriod(c.created_at, from, to)) continue;
    ++cases;
    images += c.images;
    videos += c.videos;
  }
  SightingTally s;
  for (const SightingFact& f : facts.sightings) {
    if (InPeriod(f.found_at, from, to)) s.Add(f);
  }
  Totals t;
  t.cases = cases;
  t.images = images;
  t.videos = videos;
  t.urls_found = s.found;
  t.urls_removed = s.removed;
  t.removal_rate = Rate(s.removed, s.found);
  t.urls_ever_removed = s.ever_removed;
  t.urls_notified = s.notified;
  t.time_to_removal = MakeDurations(std::move(s.times));
  t.urls_reappeared = s.reappeared;
  t.reappearance_rate = Rate(s.reappeared, s.ever_removed);
  return t;
}

using RecipientKey = std::pair<domain::RecipientKind, std::string>;

struct RecipientTally {
  int64_t sent = 0, acknowledged = 0, acted_on = 0, acted_on_shared = 0, never_responded = 0,
          escalations = 0, urls_found = 0, urls_removed = 0;
  std::vector<int64_t> times;
};

RecipientFigures MakeRecipient(const RecipientKey& key, RecipientTally tally,
                               const std::map<std::string, std::string>& names) {
  RecipientFigures r;
  r.kind = key.first;
  r.recipient = key.second;
  auto name = names.find(key.second);
  r.name = name != names.end() ? name->second : key.second;
  r.notices_sent = tally.sent;
  r.acknowledged = tally.acknowledged;
  r.acted_on = tally.acted_on;
  r.acted_on_shared = tally.acted_on_shared;
  r.never_responded = tally.never_responded;
  r.removal_rate = Rate(tally.acted_on, tally.sent);
  r.time_to_removal = MakeDurations(std::move(tally.times));
  if (r.kind == domain::RecipientKind::kPlatform) {
    r.escalations_needed = tally.escalations;
    r.urls_found = tally.urls_found;
    r.urls_removed = tally.urls_removed;
  }
  return r;
}

void SortByNotices(std::vector<RecipientFigures>& rows) {
  std::sort(rows.begin(), rows.end(), [](const RecipientFigures& a, const RecipientFigures& b) {
    return std::tie(*b.notices_sent, a.name, a.recipient, a.kind) <
           std::tie(*a.notices_sent, b.name, b.recipient, b.kind);
  });
}

void AddRecipients(const Facts& facts, UnixMillis from, UnixMillis to,
                   const std::map<std::string, std::string>& names, Figures& out) {
  std::map<RecipientKey, RecipientTally> tallies;
  for (const NoticeFact& n : facts.notices) {
    if (!CountsAsNotice(n) || !InPeriod(n.sent_at, from, to)) continue;
    RecipientTally& t = tallies[{n.kind, n.recipient}];
    ++t.sent;
    t.acknowledged += n.acknowledged ? 1 : 0;
    t.acted_on += n.time_to_removal_ms ? 1 : 0;
    t.acted_on_shared += n.time_to_removal_ms && n.shared_credit ? 1 : 0;
    t.never_responded += !n.acknowledged && !n.time_to_removal_ms ? 1 : 0;
    if (n.time_to_removal_ms) t.times.push_back(*n.time_to_removal_ms);
  }
  // URLs count where they were found, even on a platform that got no notice in the period (its
  // notices went out later, or none did), which then has a row of its own; a URL on a site no
  // platform entry knows, in its site's row (that is whom its first notices go to).
  for (const SightingFact& s : facts.sightings) {
    if (!InPeriod(s.found_at, from, to)) continue;
    RecipientTally& t =
        tallies[{domain::RecipientKind::kPlatform, s.platform.empty() ? s.site : s.platform}];
    ++t.urls_found;
    t.urls_removed += s.removed_now ? 1 : 0;
    t.escalations += s.removed_now && s.escalations > 0 ? 1 : 0;
  }
  for (auto& [key, tally] : tallies) {
    auto& list = key.first == domain::RecipientKind::kPlatform ? out.platforms : out.hosts;
    list.push_back(MakeRecipient(key, std::move(tally), names));
  }
  SortByNotices(out.platforms);
  SortByNotices(out.hosts);
}

void AddJurisdictions(const Facts& facts, UnixMillis from, UnixMillis to, Figures& out) {
  std::map<std::string, int64_t> cases;
  std::map<std::string, SightingTally> sightings;
  for (const CaseFact& c : facts.cases) {
    if (InPeriod(c.created_at, from, to)) ++cases[c.jurisdiction];
  }
  for (const SightingFact& s : facts.sightings) {
    if (InPeriod(s.found_at, from, to)) sightings[s.jurisdiction].Add(s);
  }
  std::set<std::string> codes;
  for (const auto& [code, n] : cases) codes.insert(code);
  for (const auto& [code, tally] : sightings) codes.insert(code);
  for (const std::string& code : codes) {
    SightingTally s = std::move(sightings[code]);
    JurisdictionFigures j;
    j.jurisdiction = code;
    j.cases = cases[code];
    j.urls_found = s.found;
    j.urls_removed = s.removed;
    j.removal_rate = Rate(s.removed, s.found);
    j.time_to_removal = MakeDurations(std::move(s.times));
    out.jurisdictions.push_back(std::move(j));
  }
  // "" (unknown) sorts first in the set; it reads better last.
  if (!out.jurisdictions.empty() && out.jurisdictions.front().jurisdiction.empty()) {
    std::rotate(out.jurisdictions.begin(), out.jurisdictions.begin() + 1, out.jurisdictions.end());
  }
}

void AddMonths(const Facts& facts, UnixMillis from, UnixMillis to, Figures& out) {
  if (from >= to) return;
  const chr::year_month_day first{Day(from)};
  for (chr::year_month ym = first.year() / first.month(); MillisOf(ym) < to; ym += chr::months(1)) {
    const UnixMillis lo = std::max(from, MillisOf(ym));
    const UnixMillis hi = std::min(to, MillisOf(ym + chr::months(1)));
    MonthFigures m;
    m.month = MonthName(ym);
    int64_t cases = 0, notices = 0;
    SightingTally s;
    for (const CaseFact& c : facts.cases) cases += InPeriod(c.created_at, lo, hi) ? 1 : 0;
    for (const SightingFact& f : facts.sightings) {
      if (InPeriod(f.found_at, lo, hi)) s.Add(f);
    }
    for (const NoticeFact& n : facts.notices) {
      notices += CountsAsNotice(n) && InPeriod(n.sent_at, lo, hi) ? 1 : 0;
    }
    m.cases = cases;
    m.urls_found = s.found;
    m.urls_removed = s.removed;
    m.notices_sent = notices;
    out.months.push_back(std::move(m));
  }
}

}  // namespace

Figures Compute(const Facts& facts, UnixMillis from, UnixMillis to,
                const std::map<std::string, std::string>& names) {
  Figures out;
  out.from = from;
  out.to = to;
  out.totals = MakeTotals(facts, from, to);
  AddRecipients(facts, from, to, names, out);
  AddJurisdictions(facts, from, to, out);
  AddMonths(facts, from, to, out);
  return out;
}

Result<UnixMillis> ParseDate(std::string_view date) {
  auto bad = [&] {
    return InvalidArgument("The date \"" + std::string(date) +
                           "\" is not a calendar date written YYYY-MM-DD.");
  };
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return bad();
  int fields[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f) {
    for (size_t i = starts[f]; i < starts[f] + lengths[f]; ++i) {
      if (date[i] < '0' || date[i] > '9') return bad();
      fields[f] = fields[f] * 10 + (date[i] - '0');
    }
  }
  const chr::year_month_day ymd{chr::year(fields[0]), chr::month(static_cast<unsigned>(fields[1])),
                                chr::day(static_cast<unsigned>(fields[2]))};
  if (!ymd.ok()) return bad();
  return chr::duration_cast<chr::milliseconds>(chr::sys_days(ymd).time_since_epoch()).count();
}

}  // namespace takedown::stats
