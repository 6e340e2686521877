// ToJson and ToCsv: the figures as files. docs/statistics.md, "Exports", shows both.
#include <charconv>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stats/stats.h"

namespace takedown::stats {
namespace {

using nlohmann::json;

json Value(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
json Value(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json DurationsJson(const Durations& d) {
  json buckets = json::array();
  for (size_t i = 0; i < d.buckets.size(); ++i) {
    const bool last = i >= std::size(kDurationBucketHours);
    buckets.push_back({{"max_hours", last ? json(nullptr) : json(kDurationBucketHours[i])},
                       {"count", Value(d.buckets[i])}});
  }
  return {{"n", Value(d.n)},
          {"median_hours", Value(d.median)},
          {"p90_hours", Value(d.p90)},
          {"buckets", std::move(buckets)}};
}

json RecipientsJson(const std::vector<RecipientFigures>& rows) {
  json out = json::array();
  for (const RecipientFigures& r : rows) {
    json j = {{"recipient", r.recipient},
              {"name", r.name},
              {"kind", domain::RecipientKindName(r.kind)},
              {"notices_sent", Value(r.notices_sent)},
              {"acknowledged", Value(r.acknowledged)},
              {"acted_on", Value(r.acted_on)},
              {"acted_on_shared", Value(r.acted_on_shared)},
              {"never_responded", Value(r.never_responded)},
              {"removal_rate", Value(r.removal_rate)},
              {"time_to_removal", DurationsJson(r.time_to_removal)}};
    if (r.kind == domain::RecipientKind::kPlatform) {
      j["escalations_needed"] = Value(r.escalations_needed);
      j["urls_found"] = Value(r.urls_found);
      j["urls_removed"] = Value(r.urls_removed);
    }
    out.push_back(std::move(j));
  }
  return out;
}

// --- CSV

std::string Number(double v) {
  char buf[32];
  auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  return std::string(buf, end);
}

std::string Cell(const Count& c) { return c ? std::to_string(*c) : "[c]"; }
std::string Cell(const std::optional<double>& v) { return v ? Number(*v) : ""; }

std::string Quoted(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::vector<std::string> BucketColumns() {
  std::vector<std::string> names;
  std::string lower = "0";
  for (double bound : kDurationBucketHours) {
    const std::string upper = Number(bound);
    names.push_back("hours_" + lower + "_" + upper);
    lower = upper;
  }
  names.push_back("hours_over_" + lower);
  return names;
}

using Row = std::map<std::string, std::string>;

// Builds the one table of ToCsv, row by row. Not thread-safe.
class CsvWriter {
 public:
  CsvWriter() {
    columns_ = {"section",
                "key",
                "name",
                "kind",
                "cases",
                "images",
                "videos",
                "urls_found",
                "urls_removed",
                "urls_ever_removed",
                "removal_rate",
                "urls_notified",
                "urls_reappeared",
                "reappearance_rate",
                "notices_sent",
                "acknowledged",
                "acted_on",
                "never_responded",
                "escalations_needed",
                "removals_timed",
                "median_hours",
                "p90_hours"};
    buckets_ = BucketColumns();
    columns_.insert(columns_.end(), buckets_.begin(), buckets_.end());
    // Added after the buckets, so that readers of the earlier columns by position still work.
    columns_.push_back("acted_on_shared");
    for (size_t i = 0; i < columns_.size(); ++i) out_ += (i > 0 ? "," : "") + columns_[i];
    out_ += "\r\n";
  }

  void AddDurations(Row& row, const Durations& d) const {
    row["removals_timed"] = Cell(d.n);
    row["median_hours"] = Cell(d.median);
    row["p90_hours"] = Cell(d.p90);
    for (size_t i = 0; i < d.buckets.size(); ++i) row[buckets_[i]] = Cell(d.buckets[i]);
  }

  // Columns the row does not have are left empty: they do not apply to its section.
  void Write(const Row& row) {
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0) out_ += ',';
      if (auto it = row.find(columns_[i]); it != row.end()) out_ += Quoted(it->second);
    }
    out_ += "\r\n";
  }

  std::string Take() && { return std::move(out_); }

 private:
  std::vector<std::string> columns_, buckets_;
  std::string out_;
};

void WriteRecipients(CsvWriter& csv, const char* section,
                     const std::vector<RecipientFigures>& rows) {
  for (const RecipientFigures& r : rows) {
    Row row = {{"section", section},
               {"key", r.recipient},
               {"name", r.name},
               {"kind", std::string(domain::RecipientKindName(r.kind))},
               {"notices_sent", Cell(r.notices_sent)},
               {"acknowledged", Cell(r.acknowledged)},
               {"acted_on", Cell(r.acted_on)},
               {"acted_on_shared", Cell(r.acted_on_shared)},
               {"never_responded", Cell(r.never_responded)},
               {"removal_rate", Cell(r.removal_rate)}};
    if (r.kind == domain::RecipientKind::kPlatform) {
      row["escalations_needed"] = Cell(r.escalations_needed);
      row["urls_found"] = Cell(r.urls_found);
      row["urls_removed"] = Cell(r.urls_removed);
    }
    csv.AddDurations(row, r.time_to_removal);
    csv.Write(row);
  }
}

}  // namespace

nlohmann::json ToJson(const Figures& f) {
  const Totals& t = f.totals;
  json out = {{"from", FormatTime(f.from)}, {"to", FormatTime(f.to)}, {"k", f.k}};
  out["totals"] = {{"cases", Value(t.cases)},
                   {"images", Value(t.images)},
                   {"videos", Value(t.videos)},
                   {"urls_found", Value(t.urls_found)},
                   {"urls_removed", Value(t.urls_removed)},
                   {"removal_rate", Value(t.removal_rate)},
                   {"urls_ever_removed", Value(t.urls_ever_removed)},
                   {"urls_notified", Value(t.urls_notified)},
                   {"time_to_removal", DurationsJson(t.time_to_removal)},
                   {"urls_reappeared", Value(t.urls_reappeared)},
                   {"reappearance_rate", Value(t.reappearance_rate)}};
  out["platforms"] = RecipientsJson(f.platforms);
  out["hosts"] = RecipientsJson(f.hosts);
  out["jurisdictions"] = json::array();
  for (const JurisdictionFigures& j : f.jurisdictions) {
    out["jurisdictions"].push_back({{"jurisdiction", j.jurisdiction},
                                    {"cases", Value(j.cases)},
                                    {"urls_found", Value(j.urls_found)},
                                    {"urls_removed", Value(j.urls_removed)},
                                    {"removal_rate", Value(j.removal_rate)},
                                    {"time_to_removal", DurationsJson(j.time_to_removal)}});
  }
  out["months"] = json::array();
  for (const MonthFigures& m : f.months) {
    out["months"].push_back({{"month", m.month},
                             {"cases", Value(m.cases)},
                             {"urls_found", Value(m.urls_found)},
                             {"urls_removed", Value(m.urls_removed)},
                             {"notices_sent", Value(m.notices_sent)}});
  }
  return out;
}

std::string ToCsv(const Figures& f) {
  CsvWriter csv;
  const Totals& t = f.totals;
  Row totals = {{"section", "totals"},
                {"key", FormatTime(f.from) + "/" + FormatTime(f.to)},
                {"cases", Cell(t.cases)},
                {"images", Cell(t.images)},
                {"videos", Cell(t.videos)},
                {"urls_found", Cell(t.urls_found)},
                {"urls_removed", Cell(t.urls_removed)},
                {"urls_ever_removed", Cell(t.urls_ever_removed)},
                {"removal_rate", Cell(t.removal_rate)},
                {"urls_notified", Cell(t.urls_notified)},
                {"urls_reappeared", Cell(t.urls_reappeared)},
                {"reappearance_rate", Cell(t.reappearance_rate)}};
  csv.AddDurations(totals, t.time_to_removal);
  csv.Write(totals);
  WriteRecipients(csv, "platform", f.platforms);
  WriteRecipients(csv, "host", f.hosts);
  for (const JurisdictionFigures& j : f.jurisdictions) {
    Row row = {{"section", "jurisdiction"},
               {"key", j.jurisdiction},
               {"cases", Cell(j.cases)},
               {"urls_found", Cell(j.urls_found)},
               {"urls_removed", Cell(j.urls_removed)},
               {"removal_rate", Cell(j.removal_rate)}};
    csv.AddDurations(row, j.time_to_removal);
    csv.Write(row);
  }
  for (const MonthFigures& m : f.months) {
    csv.Write({{"section", "month"},
               {"key", m.month},
               {"cases", Cell(m.cases)},
               {"urls_found", Cell(m.urls_found)},
               {"urls_removed", Cell(m.urls_removed)},
               {"notices_sent", Cell(m.notices_sent)}});
  }
  if (f.k > 1) {
    csv.Write({{"section", "note"},
               {"name", "[c]: withheld, being from 1 to " + std::to_string(f.k - 1) +
                            " or able to give such a count back; an empty rate, median or 90th "
                            "percentile has nothing to measure or uses a withheld count"}});
  }
  return std::move(csv).Take();
}

}  // namespace takedown::stats
