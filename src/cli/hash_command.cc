// `takedown hash`: PDQ (+ MD5, SHA-256) of image files and vPDQ of videos, in parallel, in input
// order.
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "cli/commands.h"
#include "cli/hash_output.h"
#include "cli/inputs.h"
#include "cli/progress.h"
#include "hashfile/hash_file.h"
#include "video/video.h"

namespace takedown::cli {
namespace {

struct HashFlags {
  std::string mode = "full";
  bool dihedral = false;
  unsigned jobs = 0;
  std::string format;
  uint64_t max_pixels = 100'000'000;
  uint64_t max_file_size = 256ull << 20;
  bool no_digests = false;
  bool no_signals = false;
  std::string progress = "auto";
  double seconds_per_hash = 1.0;
  uint64_t max_video_size = 4ull << 30;
  double max_video_duration = 6 * 3600;
  std::string vpdq_out;
  std::vector<std::string> paths;
};

// Where --vpdq-out writes each video's frames: DIR/<file name>.vpdq, numbered when two inputs
// share a file name. Thread-safe.
class VpdqNames {
 public:
  explicit VpdqNames(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path For(const std::filesystem::path& input) {
    std::lock_guard lock(mu_);
    const std::string base = input.filename().string();
    std::string name = base + ".vpdq";
    for (int n = 2; !used_.insert(name).second; ++n) {
      name = base + "." + std::to_string(n) + ".vpdq";
    }
    return dir_ / name;
  }

 private:
  std::mutex mu_;
  std::filesystem::path dir_;
  std::set<std::string> used_;
};

// Hashes one video and its file digests; writes its .vpdq file when asked.
Result<std::string> HashVideo(const std::filesystem::path& path, const HashFlags& flags,
                              HashOutputFormat format, int decoder_threads, VpdqNames* vpdq) {
  video::VideoHashOptions options;
  options.seconds_per_hash = flags.seconds_per_hash;
  options.decoder_threads = decoder_threads;
  options.limits.max_file_bytes = flags.max_video_size;
  options.limits.max_duration_seconds = flags.max_video_duration;
  options.limits.max_frame_pixels = flags.max_pixels;
  auto record = video::HashVideoFile(path, options);
  if (!record.ok()) return record.status();
  hashing::FileDigests digests;
  if (!flags.no_digests) {
    auto computed = hashing::ComputeFileDigests(path);
    if (!computed.ok()) return computed.status();
    digests = *computed;
  }
  if (vpdq != nullptr) {
    const auto out_path = vpdq->For(path);
    std::ofstream out(out_path, std::ios::binary);
    out << video::FormatVpdq(record->frames);
    if (!out.flush()) return IoError("cannot write " + out_path.string());
  }
  return FormatVideoSuccess(format, path.string(), *record, digests, flags.dihedral);
}

// Lines finished by workers, printed strictly in input order as soon as each is ready.
class OrderedPrinter {
 public:
  explicit OrderedPrinter(size_t count) : lines_(count) {}

  void Put(size_t index, std::string line) {
    std::lock_guard lock(mutex_);
    lines_[index] = std::move(line);
    ready_.notify_one();
  }

  // Runs on the main thread until every line is written.
  void PrintAll() {
    for (size_t next = 0; next < lines_.size(); ++next) {
      std::string line;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return lines_[next].has_value(); });
        line = std::move(*lines_[next]);
        lines_[next].reset();
      }
      std::fwrite(line.data(), 1, line.size(), stdout);
      // Keep a pipe reader (`| head`, a script) fed as results come in.
      if (next % 64 == 63) std::fflush(stdout);
    }
    std::fflush(stdout);
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<std::optional<std::string>> lines_;
};

int RunHash(const HashFlags& flags) {
  const HashOutputFormat format =
      flags.format == "csv"    ? HashOutputFormat::kCsv
      : flags.format == "text" ? HashOutputFormat::kText
      : flags.format == "jsonl"
          ? HashOutputFormat::kJsonl
          : (isatty(STDOUT_FILENO) ? HashOutputFormat::kText : HashOutputFormat::kJsonl);
  hashfile::HashOptions options;
  options.decode.mode = flags.mode == "fast" ? media::DecodeMode::kFast : media::DecodeMode::kFull;
  options.decode.max_pixels = flags.max_pixels;
  options.max_file_bytes = flags.max_file_size;
  options.dihedral = flags.dihedral;
  options.digests = !flags.no_digests;
  // The region signals travel in JSON Lines only (the other formats are one hash a line).
  options.signals = format == HashOutputFormat::kJsonl && !flags.no_signals;

  const std::vector<InputFile> inputs = CollectInputs(flags.paths);
  const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  const size_t jobs =
      std::min<size_t>(flags.jobs == 0 ? hardware : flags.jobs, std::max<size_t>(1, inputs.size()));
  const bool show_progress =
      flags.progress == "always" ||
      (flags.progress == "auto" && isatty(STDERR_FILENO) && inputs.size() >= 20);

  // A few videos on many cores: FFmpeg's own threads share the cores out within each file.
  const int decoder_threads =
      static_cast<int>(std::max<size_t>(1, (flags.jobs == 0 ? hardware : flags.jobs) / jobs));
  std::optional<VpdqNames> vpdq;
  if (!flags.vpdq_out.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(flags.vpdq_out, ec);
    if (ec) {
      std::fprintf(stderr, "error: cannot create %s: %s\n", flags.vpdq_out.c_str(),
                   ec.message().c_str());
      return 1;
    }
    vpdq.emplace(flags.vpdq_out);
  }

  std::fputs(HashOutputHeader(format, flags.dihedral).c_str(), stdout);
  OrderedPrinter printer(inputs.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> any_failed{false};
  {
    ProgressBar progress("hashing", inputs.size(), show_progress);
    auto work = [&] {
      hashfile::ImageFileHasher hasher(options);
      for (size_t i = next++; i < inputs.size(); i = next++) {
        const InputFile& input = inputs[i];
        const std::string path = input.path.string();
        if (input.error) {
          any_failed = true;
          printer.Put(i, FormatHashFailure(format, path, *input.error, flags.dihedral));
        } else if (IsVideoFile(input.path)) {
          auto line =
              HashVideo(input.path, flags, format, decoder_threads, vpdq ? &*vpdq : nullptr);
          if (!line.ok()) any_failed = true;
          printer.Put(i, line.ok()
                             ? *line
                             : FormatHashFailure(format, path, line.status(), flags.dihedral));
        } else if (auto record = hasher.HashFile(input.path); record.ok()) {
          printer.Put(i, FormatHashSuccess(format, path, *record));
        } else {
          any_failed = true;
          printer.Put(i, FormatHashFailure(format, path, record.status(), flags.dihedral));
        }
        progress.Advance();
      }
    };
    std::vector<std::jthread> workers;
    for (size_t t = 0; t < jobs; ++t) workers.emplace_back(work);
    printer.PrintAll();
  }
  return any_failed ? 1 : 0;
}

}  // namespace

void AddHashCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<HashFlags>();
  CLI::App* cmd = app.add_subcommand(
      "hash",
      "Compute PDQ perceptual hashes (and MD5, SHA-256) of images, and vPDQ frame hashes of "
      "videos (one frame per second by default). Directories are walked recursively; files that "
      "are neither are reported and the rest go on. Exit status 1 if any input failed.");
  cmd->add_option("--mode", flags->mode,
                  "full: bit-exact with industry PDQ hash lists (default); fast: decode JPEGs at "
                  "reduced scale (short side >= 512) for crawling")
      ->check(CLI::IsMember({"full", "fast"}));
  cmd->add_flag("--dihedral", flags->dihedral,
                "Also print the 8 dihedral variants (orig, rot90, rot180, rot270, flipx, flipy, "
                "flipp, flipm)");
  cmd->add_option("-j,--jobs", flags->jobs, "Worker threads (default: one per CPU core)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--format", flags->format,
                  "jsonl (default when stdout is not a terminal), csv, or text")
      ->check(CLI::IsMember({"jsonl", "csv", "text"}));
  cmd->add_option("--max-pixels", flags->max_pixels,
                  "Refuse images with more pixels than this (default 100000000)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-file-size", flags->max_file_size,
                  "Refuse files larger than this; units allowed, e.g. 50MB (default 256MiB)")
      ->transform(CLI::AsSizeValue(false));
  cmd->add_flag("--no-digests", flags->no_digests, "Skip MD5 and SHA-256");
  cmd->add_flag("--no-signals", flags->no_signals,
                "JSON Lines: skip Takedown's region signals (\"trimmed\", \"regions\"), which "
                "match crops, borders, captions and collages of images");
  cmd->add_option("--progress", flags->progress,
                  "auto (a bar on stderr when it is a terminal and there are 20+ files), always, "
                  "never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--seconds-per-hash", flags->seconds_per_hash,
                  "Videos: hash one frame every this many seconds (default 1)")
      ->check(CLI::Range(0.001, 3600.0));
  cmd->add_option("--max-video-size", flags->max_video_size,
                  "Refuse video files larger than this; units allowed (default 4GiB)")
      ->transform(CLI::AsSizeValue(false));
  cmd->add_option("--max-video-duration", flags->max_video_duration,
                  "Refuse videos longer than this many seconds (default 21600: six hours)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--vpdq-out", flags->vpdq_out,
                  "Also write each video's frames in vPDQ's text form to DIR/<file name>.vpdq");
  cmd->add_option("paths", flags->paths, "Image or video files, or directories")->required();
  cmd->callback([flags, exit_code] { *exit_code = RunHash(*flags); });
}

}  // namespace takedown::cli
