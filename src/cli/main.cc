// The `takedown` binary: subcommands and their flags. Wiring only; the work lives in the modules.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "Takedown: find, report and remove intimate images shared without consent.\n"
      "Images never leave your machine: only their perceptual hashes are computed."};
  app.set_version_flag("--version", std::string("takedown ") + TAKEDOWN_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  takedown::cli::AddHashCommand(app, &exit_code);
  takedown::cli::AddBankCommand(app, &exit_code);
  takedown::cli::AddMatchCommand(app, &exit_code);
  takedown::cli::AddServerCommands(app, &exit_code);
  takedown::cli::AddReportCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; usage errors exit 2, as is the Unix habit.
    const int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }
  return exit_code;
}
