#include "report/advocacy.h"

#include <algorithm>
#include <iterator>

#include "report/charts.h"
#include "report/format.h"

namespace takedown::report {
namespace {

// The report's one reference for its definitions, in the source tree it was built from.
constexpr const char* kDefinitions = "docs/statistics.md";

// Builds the report's parts from one set of figures in one language.
class Builder {
 public:
  Builder(const stats::Figures& f, const Labels& l) : f_(f), l_(l), k_(f.k) {}

  std::string L(std::string_view key, std::initializer_list<Labels::Arg> args = {}) const {
    return l_.Text(key, args);
  }

  // A text about withholding: it says k and the largest count withheld for being small.
  std::string Withheld(std::string_view key) const {
    return L(key, {{"k", std::to_string(k_)}, {"max", std::to_string(k_ - 1)}});
  }

  static Datum CountDatum(const stats::Count& c) {
    return {c ? std::optional<double>(*c) : std::nullopt, FormatCount(c), !c};
  }
  static Datum ShareDatum(const stats::Share& s, const stats::Count& base) {
    return {s, FormatShare(s, base), !s && base != 0};
  }

  // Footnotes for the markers a table holds, so each table explains itself on a page of its own.
  Table Finish(Table t) const {
    auto holds = [&](const std::string& marker) {
      return std::any_of(t.rows.begin(), t.rows.end(), [&](const auto& row) {
        return std::find(row.begin(), row.end(), marker) != row.end();
      });
    };
    if (holds(std::string(kWithheld))) t.footnotes.push_back(Withheld("note_withheld"));
    if (holds(std::string(kNotAvailable))) t.footnotes.push_back(L("note_not_available"));
    return t;
  }

  std::string KindName(domain::RecipientKind kind) const {
    switch (kind) {
      case domain::RecipientKind::kPlatform:
        return L("kind_platform");
      case domain::RecipientKind::kHost:
        return L("kind_host");
      case domain::RecipientKind::kRegistrar:
        return L("kind_registrar");
      case domain::RecipientKind::kCdn:
        return L("kind_cdn");
      case domain::RecipientKind::kRegulator:
        return L("kind_regulator");
    }
    return L("kind_host");
  }
  static std::string NameOf(const stats::RecipientFigures& r) {
    return r.name.empty() ? r.recipient : r.name;
  }

  Section Cover(const ReportInfo& info) const {
    Section s;
    s.blocks.push_back(Paragraph{L("prepared_by", {{"organisation", info.organisation}})});
    const UnixMillis last = std::max(f_.from, f_.to - 1);  // the period ends before `to`
    s.blocks.push_back(
        Paragraph{L("period", {{"from", FormatDate(f_.from)}, {"to", FormatDate(last)}})});
    s.blocks.push_back(Paragraph{L("generated", {{"date", FormatDate(info.generated_at)}})});
    s.blocks.push_back(Paragraph{k_ > 1 ? Withheld("privacy") : L("privacy_none")});
    return s;
  }

  Section Summary() const {
    const stats::Totals& t = f_.totals;
    KeyFigures kf;
    kf.items = {
        {L("kf_cases"), FormatCount(t.cases)},
        {L("kf_images"), FormatCount(t.images)},
        {L("kf_videos"), FormatCount(t.videos)},
        {L("kf_urls_found"), FormatCount(t.urls_found)},
        {L("kf_urls_notified"), FormatCount(t.urls_notified)},
        {L("kf_urls_removed"), FormatCount(t.urls_removed)},
        {L("kf_urls_ever_removed"), FormatCount(t.urls_ever_removed)},
        {L("kf_removal_rate"), FormatShare(t.removal_rate, t.urls_found)},
        {L("kf_median_hours"), FormatHours(t.time_to_removal.median, t.time_to_removal.n)},
        {L("kf_p90_hours"), FormatHours(t.time_to_removal.p90, t.time_to_removal.n)},
        {L("kf_urls_reappeared"), FormatCount(t.urls_reappeared)},
        {L("kf_reappearance_rate"), FormatShare(t.reappearance_rate, t.urls_ever_removed)},
    };
    return {L("section_summary"), {std::move(kf)}};
  }

  Section Platforms() const {
    Section s{L("section_platforms"), {Paragraph{L("platforms_intro")}}};
    if (f_.platforms.empty()) {
      s.blocks.push_back(Paragraph{L("none")});
      return s;
    }
    Table t{L("platforms_caption"),
            {L("col_platform"), L("col_notices_sent"), L("col_acknowledged"), L("col_acted_on"),
             L("col_never_responded"), L("col_removal_rate"), L("col_median_hours"),
             L("col_p90_hours"), L("col_escalations")},
            {false, true, true, true, true, true, true, true, true},
            {},
            {}};
    std::vector<std::string> labels;
    std::vector<Datum> rates;
    for (const stats::RecipientFigures& p : f_.platforms) {
      t.rows.push_back({NameOf(p), FormatCount(p.notices_sent), FormatCount(p.acknowledged),
                        FormatCount(p.acted_on), FormatCount(p.never_responded),
                        FormatShare(p.removal_rate, p.notices_sent),
                        FormatHours(p.time_to_removal.median, p.time_to_removal.n),
                        FormatHours(p.time_to_removal.p90, p.time_to_removal.n),
                        FormatCount(p.escalations_needed)});
      labels.push_back(NameOf(p));
      rates.push_back(ShareDatum(p.removal_rate, p.notices_sent));
      if (rates.back().suppressed) rates.back().text = L("chart_withheld");
    }
    s.blocks.push_back(Finish(std::move(t)));
    s.blocks.push_back(Chart{ShareBarChart("platforms", L("platforms_chart_alt"), labels, rates),
                             L("platforms_chart_caption")});
    return s;
  }

  Section TimeToRemoval() const {
    const stats::Durations& d = f_.totals.time_to_removal;
    Section s{L("section_time"), {}};
    if (d.n == 0) {  // nothing was removed after a notice: no times to show
      s.blocks.push_back(Paragraph{L("none")});
      return s;
    }
    s.blocks.push_back(Paragraph{L("time_intro", {{"n", FormatCount(d.n)},
                                                  {"median", FormatHours(d.median, d.n)},
                                                  {"p90", FormatHours(d.p90, d.n)}})});
    Table t{L("time_caption"), {L("col_time"), L("col_removals")}, {false, true}, {}, {}};
    std::vector<std::string> bands;
    Series removals{L("col_removals"), {}};
    const size_t bounds = std::size(stats::kDurationBucketHours);
    for (size_t i = 0; i < d.buckets.size() && i <= bounds; ++i) {
      auto hours = [](size_t at) {
        return FormatInteger(static_cast<int64_t>(stats::kDurationBucketHours[at]));
      };
      std::string band = i == 0 ? L("bucket_first", {{"to", hours(0)}})
                         : i == bounds
                             ? L("bucket_last", {{"from", hours(bounds - 1)}})
                             : L("bucket_range", {{"from", hours(i - 1)}, {"to", hours(i)}});
      t.rows.push_back({band, FormatCount(d.buckets[i])});
      bands.push_back(band);
      removals.data.push_back(CountDatum(d.buckets[i]));
    }
    s.blocks.push_back(Finish(std::move(t)));
    s.blocks.push_back(
        Chart{CountColumnChart("time", L("time_chart_alt"), bands, {removals}, L("chart_withheld")),
              L("time_chart_caption")});
    return s;
  }

  Section Hosts() const {
    Section s{L("section_hosts"), {Paragraph{L("hosts_intro")}}};
    if (f_.hosts.empty()) {
      s.blocks.push_back(Paragraph{L("none")});
      return s;
    }
    Table t{
        L("hosts_caption"),
        {L("col_provider"), L("col_kind"), L("col_notices_sent"), L("col_acknowledged"),
         L("col_acted_on"), L("col_never_responded"), L("col_removal_rate"), L("col_median_hours")},
        {false, false, true, true, true, true, true, true},
        {},
        {}};
    for (const stats::RecipientFigures& h : f_.hosts) {
      t.rows.push_back({NameOf(h), KindName(h.kind), FormatCount(h.notices_sent),
                        FormatCount(h.acknowledged), FormatCount(h.acted_on),
                        FormatCount(h.never_responded), FormatShare(h.removal_rate, h.notices_sent),
                        FormatHours(h.time_to_removal.median, h.time_to_removal.n)});
    }
    s.blocks.push_back(Finish(std::move(t)));
    return s;
  }

  Section Jurisdictions() const {
    Section s{L("section_jurisdictions"), {Paragraph{L("jurisdictions_intro")}}};
    if (f_.jurisdictions.empty()) {
      s.blocks.push_back(Paragraph{L("none")});
      return s;
    }
    Table t{L("jurisdictions_caption"),
            {L("col_jurisdiction"), L("col_cases"), L("col_urls_found"), L("col_urls_removed"),
             L("col_removal_rate"), L("col_median_hours")},
            {false, true, true, true, true, true},
            {},
            {}};
    for (const stats::JurisdictionFigures& j : f_.jurisdictions) {
      t.rows.push_back({j.jurisdiction.empty() ? L("jurisdiction_unknown") : j.jurisdiction,
                        FormatCount(j.cases), FormatCount(j.urls_found),
                        FormatCount(j.urls_removed), FormatShare(j.removal_rate, j.urls_found),
                        FormatHours(j.time_to_removal.median, j.time_to_removal.n)});
    }
    s.blocks.push_back(Finish(std::move(t)));
    return s;
  }

  Section Months() const {
    Section s{L("section_months"), {Paragraph{L("months_intro")}}};
    if (f_.months.empty()) {
      s.blocks.push_back(Paragraph{L("none")});
      return s;
    }
    Table t{L("months_caption"),
            {L("col_month"), L("col_cases"), L("col_urls_found"), L("col_urls_removed"),
             L("col_notices_sent")},
            {false, true, true, true, true},
            {},
            {}};
    std::vector<std::string> months;
    Series found{L("series_found"), {}}, removed{L("series_removed"), {}};
    for (const stats::MonthFigures& m : f_.months) {
      t.rows.push_back({m.month, FormatCount(m.cases), FormatCount(m.urls_found),
                        FormatCount(m.urls_removed), FormatCount(m.notices_sent)});
      months.push_back(m.month);
      found.data.push_back(CountDatum(m.urls_found));
      removed.data.push_back(CountDatum(m.urls_removed));
    }
    s.blocks.push_back(Finish(std::move(t)));
    s.blocks.push_back(Chart{CountColumnChart("months", L("months_chart_alt"), months,
                                              {found, removed}, L("chart_withheld")),
                             L("months_chart_caption")});
    return s;
  }

  Section Definitions() const {
    return {L("section_definitions"), {Paragraph{L("definitions", {{"path", kDefinitions}})}}};
  }

 private:
  const stats::Figures& f_;
  const Labels& l_;
  const int k_;
};

}  // namespace

Document BuildAdvocacyReport(const stats::Figures& figures, const ReportInfo& info,
                             const Labels& labels) {
  const Builder b(figures, labels);
  Document doc;
  doc.language = labels.language();
  doc.title = b.L("title");
  doc.subtitle = b.L("subtitle");
  doc.sections = {b.Cover(info), b.Summary(),       b.Platforms(), b.TimeToRemoval(),
                  b.Hosts(),     b.Jurisdictions(), b.Months(),    b.Definitions()};
  return doc;
}

}  // namespace takedown::report
