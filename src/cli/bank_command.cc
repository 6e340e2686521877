// `takedown bank build`: a bank file from a hash list.
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/hash_list.h"
#include "matching/bank_file.h"
#include "matching/video_match.h"

namespace takedown::cli {
namespace {

struct BankBuildFlags {
  std::string out;
  std::string from = "-";
};

int RunBankBuild(const BankBuildFlags& flags) {
  HashList list;
  if (flags.from == "-") {
    list = ReadHashList(std::cin);
  } else {
    std::ifstream in(flags.from);
    if (!in) {
      std::fprintf(stderr, "error: cannot read %s\n", flags.from.c_str());
      return 1;
    }
    list = ReadHashList(in);
  }
  for (const auto& problem : list.problems) {
    std::fprintf(stderr, "%s:%zu: %s\n", flags.from == "-" ? "stdin" : flags.from.c_str(),
                 problem.line, problem.message.c_str());
  }
  matching::HashBank bank;
  for (const auto& entry : list.entries) bank.Put(entry);
  const size_t replaced = list.entries.size() - bank.size();
  const size_t images = bank.size();
  for (const auto& video : list.videos) {
    if (Status s = matching::PutVideo(bank, video.id, 0, video.frames); !s.ok()) {
      std::fprintf(stderr, "error: video %llu: %s\n", static_cast<unsigned long long>(video.id),
                   s.message().c_str());
      return 1;
    }
  }
  const size_t video_frames = bank.size() - images;
  // Region signals of repeated ids: the last line's, as for the hashes.
  matching::RegionBank regions;
  for (const auto& image : list.signals) {
    if (Status s = regions.Put(image.id, 0, image.signals); !s.ok()) {
      std::fprintf(stderr, "error: image %llu: %s\n", static_cast<unsigned long long>(image.id),
                   s.message().c_str());
      return 1;
    }
  }
  if (Status s = matching::WriteBankFile(flags.out, bank, &regions); !s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.message().c_str());
    return 1;
  }
  std::fprintf(stderr, "%zu hashes written to %s", bank.size(), flags.out.c_str());
  if (!list.signals.empty()) {
    std::fprintf(stderr, " (%zu with region signals)", list.signals.size());
  }
  if (!list.videos.empty()) {
    std::fprintf(stderr, " (%zu videos, %zu distinct frame hashes)", list.videos.size(),
                 video_frames);
  }
  if (replaced > 0) std::fprintf(stderr, "; %zu repeated ids kept their last line", replaced);
  if (!list.problems.empty()) std::fprintf(stderr, "; %zu lines unreadable", list.problems.size());
  std::fprintf(stderr, "\n");
  return list.problems.empty() ? 0 : 1;
}

}  // namespace

void AddBankCommand(CLI::App& app, int* exit_code) {
  CLI::App* bank = app.add_subcommand("bank", "Build and inspect hash bank files.");
  bank->require_subcommand(1);
  auto flags = std::make_shared<BankBuildFlags>();
  CLI::App* build = bank->add_subcommand(
      "build",
      "Write a bank file from a hash list: one hash per line as hex, hex,id or the JSON Lines of "
      "`takedown hash`, videos included (ids default to the line number, quality to 100). "
      "Unreadable lines are reported and skipped; exit status 1 if there were any.");
  build->add_option("--out", flags->out, "The bank file to write")->required();
  build->add_option("--from", flags->from, "The hash list (default -: standard input)");
  build->callback([flags, exit_code] { *exit_code = RunBankBuild(*flags); });
}

}  // namespace takedown::cli
