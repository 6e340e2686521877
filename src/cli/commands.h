// The `takedown` subcommands. Each Add*Command registers its flags on the app and a callback that
// runs it; the callback stores the process exit status in *exit_code.
#pragma once

#include <CLI/CLI.hpp>

namespace takedown::cli {

void AddHashCommand(CLI::App& app, int* exit_code);
void AddBankCommand(CLI::App& app, int* exit_code);
void AddMatchCommand(CLI::App& app, int* exit_code);
// serve, user add, migrate.
void AddServerCommands(CLI::App& app, int* exit_code);
// report: the statistics of a period.
void AddReportCommand(CLI::App& app, int* exit_code);

}  // namespace takedown::cli
