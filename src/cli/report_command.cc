// `takedown report`: the statistics of a period from the command line, as the API gives them
// (casework/statistics.h): JSON, CSV, or the printable report as HTML or PDF, with small counts
// suppressed. Reads the database directly, so operators can run it beside the server.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "casework/statistics.h"
#include "cli/commands.h"
#include "cli/server_flags.h"
#include "platforms/platforms.h"

namespace takedown::cli {
namespace {

struct ReportFlags {
  std::string from, to, format = "pdf", language = "en", out;
};

int RunReport(const ServerFlags& flags, const ReportFlags& report) {
  auto from = stats::ParseDate(report.from);
  if (!from.ok()) return Fail(InvalidArgument("--from: " + from.status().message()));
  auto to = stats::ParseDate(report.to);
  if (!to.ok()) return Fail(InvalidArgument("--to: " + to.status().message()));
  if (report.out.empty() && report.format == "pdf") {
    return Fail(InvalidArgument("a PDF goes to a file: give --out FILE"));
  }
  auto store = OpenStore(flags);
  if (!store.ok()) return Fail(store.status());
  auto platforms = platforms::PlatformDirectory::Load(flags.platforms);
  if (!platforms.ok()) return Fail(platforms.status());
  auto setup = StatisticsSetupOf(flags);
  if (!setup.ok()) return Fail(setup.status());
  SystemClock clock;
  casework::Reports reports(**store, clock, *platforms, std::move(*setup));
  auto out = reports.Export({casework::Actor::Kind::kSystem, 0, domain::Role::kAdmin, {}}, *from,
                            *to, report.format, report.language);
  if (!out.ok()) return Fail(out.status());
  if (report.out.empty()) {
    std::fwrite(out->body.data(), 1, out->body.size(), stdout);
    return 0;
  }
  std::ofstream file(report.out, std::ios::binary | std::ios::trunc);
  file.write(out->body.data(), static_cast<std::streamsize>(out->body.size()));
  file.close();
  if (!file) return Fail(IoError("cannot write " + report.out));
  std::fprintf(stderr, "wrote %s (%zu bytes)\n", report.out.c_str(), out->body.size());
  return 0;
}

}  // namespace

void AddReportCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ServerFlags>();
  auto report = std::make_shared<ReportFlags>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Statistics of a period for advocacy: removal rates and times by platform, host and "
      "jurisdiction, month by month, with small counts suppressed (docs/statistics.md).");
  AddStoreFlags(cmd, flags.get());
  cmd->add_option("--from", report->from, "First day of the period, YYYY-MM-DD (UTC)")->required();
  cmd->add_option("--to", report->to, "Day after the period, YYYY-MM-DD (not included)")
      ->required();
  cmd->add_option("--format", report->format, "pdf, html, csv or json")
      ->check(CLI::IsMember({"pdf", "html", "csv", "json"}))
      ->capture_default_str();
  // Checked against data/report/*.toml once --notices is known (Reports::Export says which).
  cmd->add_option("--language", report->language,
                  "Of the pdf or html report: a language of the data folder's report/")
      ->capture_default_str();
  cmd->add_option("--out", report->out, "Write here (default: standard output; pdf needs it)");
  cmd->add_option("--platforms", flags->platforms, "The platforms data file")
      ->capture_default_str();
  cmd->add_option("--notices", flags->notices, "The data folder (report labels in report/)")
      ->capture_default_str();
  cmd->add_option("--org-name", flags->organisation.name, "Printed as who prepared the report");
  AddStatsFlags(cmd, flags.get());
  cmd->callback([flags, report, cmd, exit_code] {
    if (Status s = ApplyConfig(flags.get(), *cmd); !s.ok()) {
      *exit_code = Fail(s);
      return;
    }
    *exit_code = RunReport(*flags, *report);
  });
}

}  // namespace takedown::cli
