#include "casework/statistics.h"

#include <nlohmann/json.hpp>

#include "casework/access.h"
#include "casework/actor.h"
#include "report/advocacy.h"
#include "report/html.h"
#include "report/pdf.h"

namespace takedown::casework {
namespace {

using json = nlohmann::json;

// Statistics are for the organisation's staff, and for its operators at the command line.
Status RequireStaffOrOperator(const Actor& who) {
  if (who.kind == Actor::Kind::kSystem) return Status::Ok();
  return RequireUser(who, false);
}

}  // namespace

Reports::Reports(Stores stores, const Clock& clock, const platforms::PlatformDirectory& platforms,
                 StatisticsSetup setup)
    : audit_(stores.get<store::AuditLog>()),
      stats_(stores.get<store::StatsStore>()),
      organisation_(stores.get<store::OrganisationStore>()),
      clock_(clock),
      platforms_(platforms),
      setup_(std::move(setup)) {}

Result<stats::Figures> Reports::Figures(const Actor& who, UnixMillis from, UnixMillis to) {
  if (Status s = RequireStaffOrOperator(who); !s.ok()) return s;
  if (to <= from) return InvalidArgument("the period must end after it starts");
  auto facts = stats_.StatsFacts(from, to);
  if (!facts.ok()) return facts.status();
  std::map<std::string, std::string> names;
  for (const platforms::Platform& p : platforms_.all()) names[p.id] = p.name;
  return stats::Suppress(stats::Compute(*facts, from, to, names), setup_.k);
}

Result<StatisticsExport> Reports::Export(const Actor& who, UnixMillis from, UnixMillis to,
                                         const std::string& format, const std::string& language) {
  if (format != "json" && format != "csv" && format != "html" && format != "pdf") {
    return InvalidArgument("format must be json, csv, html or pdf");
  }
  auto figures = Figures(who, from, to);
  if (!figures.ok()) return figures.status();
  StatisticsExport out;
  const std::string name =
      "takedown-statistics-" + FormatTime(from).substr(0, 10) + "-" + FormatTime(to).substr(0, 10);
  if (format == "json") {
    out = {"application/json", stats::ToJson(*figures).dump(2), name + ".json"};
  } else if (format == "csv") {
    out = {"text/csv; charset=utf-8", stats::ToCsv(*figures), name + ".csv"};
  } else {
    const auto labels = setup_.labels.find(language.empty() ? "en" : language);
    if (labels == setup_.labels.end()) {
      std::string known;
      for (const std::string& code : languages()) known += (known.empty() ? "" : ", ") + code;
      return InvalidArgument("no report labels in \"" + language + "\" (" + known + ")");
    }
    // The name admins saved in the organisation's profile; the server's flag until they have.
    auto saved = organisation_.GetOrganisation();
    if (!saved.ok()) return saved.status();
    const std::string& by =
        saved->has_value() && !(*saved)->name.empty() ? (*saved)->name : setup_.organisation;
    const report::Document doc =
        report::BuildAdvocacyReport(*figures, {by, clock_.Now()}, labels->second);
    if (format == "html") {
      out = {"text/html; charset=utf-8", report::WriteHtml(doc), name + ".html"};
    } else {
      auto pdf = report::WritePdf(doc);
      if (!pdf.ok()) return pdf.status();
      out = {"application/pdf", std::move(*pdf), name + ".pdf"};
    }
  }
  if (Status s = audit_.AppendEvent({0, std::nullopt, who.Name(), "stats.exported",
                                     json{{"from", FormatTime(from)},
                                          {"to", FormatTime(to)},
                                          {"format", format},
                                          {"k", setup_.k}}
                                         .dump(),
                                     clock_.Now()});
      !s.ok()) {
    return s;
  }
  return out;
}

std::vector<std::string> Reports::languages() const {
  std::vector<std::string> out;
  for (const auto& entry : setup_.labels) {
    if (entry.first == "en") {
      out.insert(out.begin(), entry.first);
    } else {
      out.push_back(entry.first);
    }
  }
  return out;
}

}  // namespace takedown::casework
