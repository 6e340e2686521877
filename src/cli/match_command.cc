// `takedown match`: which hashes of a bank are near these images or hashes, and which stored
// videos match these videos.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "hashfile/hash_file.h"
#include "matching/bank_file.h"
#include "matching/video_match.h"
#include "video/video.h"

namespace takedown::cli {
namespace {

struct MatchFlags {
  std::string bank;
  int radius = hashing::kDefaultMatchDistance;
  int min_quality = hashing::kMinUsefulQuality;
  bool dihedral = false;
  double query_percent = 80;
  double compared_percent = 0;
  std::string format;
  std::vector<std::string> queries;
};

// A video query's answer: the stored videos it matches.
Result<std::string> MatchVideo(const std::string& query, const matching::VideoMatcher& matcher,
                               const MatchFlags& flags, bool jsonl) {
  auto record = video::HashVideoFile(query);
  if (!record.ok()) return record.status();
  std::vector<matching::VideoFrame> frames;
  for (const auto& f : record->frames) {
    matching::VideoFrame& frame = frames.emplace_back();
    frame.pdq = f.pdq;
    for (const auto& a : f.alternates) frame.alternates.push_back(a.pdq);
  }
  const matching::VideoMatchOptions options{flags.radius, flags.min_quality, flags.query_percent,
                                            flags.compared_percent};
  const size_t usable = matching::UsableFrames(frames, flags.min_quality).size();
  if (usable == 0) {
    return InvalidArgument("no frame of the video has a hash of quality " +
                           std::to_string(flags.min_quality) + " or more to match on");
  }
  const auto matches = matcher.Search(frames, options);
  if (!jsonl) {
    std::string out = query + ": " + std::to_string(matches.size()) + " matching videos (" +
                      std::to_string(usable) + " distinct frames)\n";
    char line[160];
    for (const auto& m : matches) {
      std::snprintf(line, sizeof line, "  video %llu  query %.1f%%  compared %.1f%%\n",
                    static_cast<unsigned long long>(m.video_id), m.similarity.query_percent,
                    m.similarity.compared_percent);
      out += line;
    }
    return out;
  }
  nlohmann::ordered_json j;
  j["query"] = query;
  j["ok"] = true;
  j["kind"] = "video";
  j["frames"] = usable;
  auto& list = j["matches"] = nlohmann::ordered_json::array();
  for (const auto& m : matches) {
    nlohmann::ordered_json one;
    one["id"] = m.video_id;
    one["query_percent"] = m.similarity.query_percent;
    one["compared_percent"] = m.similarity.compared_percent;
    one["query_frames"] = m.similarity.query_frames;
    one["compared_frames"] = m.similarity.compared_frames;
    one["owner"] = m.owner;
    list.push_back(std::move(one));
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// A query is a 64-hex hash when it parses as one, an image path otherwise. An image is matched
// on its PDQ and, where the bank has them, on its region signals.
Result<std::vector<matching::ImageMatch>> MatchOne(const std::string& query,
                                                   const matching::BankFileContents& bank,
                                                   hashfile::ImageFileHasher& hasher,
                                                   const MatchFlags& flags) {
  matching::ImageMatchOptions options;
  options.pdq = {flags.radius, flags.min_quality};
  if (auto hash = hashing::Hash256::FromHex(query); hash.ok()) {
    if (flags.dihedral) {
      return InvalidArgument(
          "--dihedral needs the image: a hash alone does not carry its rotated variants");
    }
    std::vector<matching::ImageMatch> out;
    for (const auto& m : bank.hashes.Search(*hash, options.pdq)) {
      out.push_back({m.id, m.owner, m, {}, matching::MatchStrength::kStrong});
    }
    return out;
  }
  auto record = hasher.HashFile(query);
  if (!record.ok()) return record.status();
  const bool pdq_usable =
      record->pdq.quality >= hashing::kMinUsefulQuality || flags.min_quality == 0;
  if (!pdq_usable && !record->signals) {
    return InvalidArgument("the image's hash has quality " + std::to_string(record->pdq.quality) +
                           ", too low to match on (--min-quality 0 to try anyway)");
  }
  matching::ImageQuery image;
  if (pdq_usable) {
    if (flags.dihedral) {
      image.pdq.assign(record->dihedral->begin(), record->dihedral->end());
    } else {
      image.pdq = {record->pdq.hash};
    }
    image.pdq_quality = std::max(record->pdq.quality, flags.min_quality);
  }
  image.signals = std::move(record->signals);
  return matching::MatchImage(bank.hashes, bank.regions, image, options);
}

std::string FormatMatches(bool jsonl, bool dihedral, const std::string& query,
                          const std::vector<matching::ImageMatch>& matches) {
  auto variant_name = [](hashing::Dihedral v) {
    return std::string(hashing::kDihedralNames[static_cast<int>(v)]);
  };
  if (!jsonl) {
    std::string out = query + ": " + std::to_string(matches.size()) + " matches\n";
    for (const auto& m : matches) {
      if (const auto frame = matching::AsVideoFrame(m.id)) {
        out += "  video " + std::to_string(frame->video_id) + " frame hash " +
               std::to_string(frame->index);
      } else {
        out += "  id " + std::to_string(m.id);
      }
      if (m.pdq) {
        out += "  distance " + std::to_string(m.pdq->distance);
        if (dihedral) out += "  " + variant_name(m.pdq->variant);
      } else {
        const auto& e = m.regions.front();
        out += "  region signals only (" + hashing::RegionName(e.query_region) + " ~ " +
               hashing::RegionName(e.stored_region) + ", distance " + std::to_string(e.distance) +
               ")";
      }
      if (!m.AllowsAutomaticAction()) out += "  needs review";
      out += "\n";
    }
    return out;
  }
  nlohmann::ordered_json j;
  j["query"] = query;
  j["ok"] = true;
  auto& list = j["matches"] = nlohmann::ordered_json::array();
  for (const auto& m : matches) {
    nlohmann::ordered_json one;
    const auto frame = matching::AsVideoFrame(m.id);
    one["id"] = frame ? frame->video_id : m.id;
    // A frame of a stored video: which of its distinct frame hashes.
    if (frame) one["video_frame"] = frame->index;
    one["signal"] = m.signal();
    one["strength"] = m.AllowsAutomaticAction() ? "strong" : "review";
    if (m.pdq) {
      one["distance"] = m.pdq->distance;
      one["quality"] = m.pdq->quality;
    }
    one["owner"] = m.owner;
    if (m.pdq && dihedral) one["variant"] = variant_name(m.pdq->variant);
    if (!m.regions.empty()) {
      auto& evidence = one["regions"] = nlohmann::ordered_json::array();
      for (const auto& e : m.regions) {
        evidence.push_back({{"query_region", hashing::RegionName(e.query_region)},
                            {"stored_region", hashing::RegionName(e.stored_region)},
                            {"distance", e.distance},
                            {"variant", variant_name(e.variant)}});
      }
    }
    list.push_back(std::move(one));
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string FormatFailure(bool jsonl, const std::string& query, const Status& error) {
  if (!jsonl) return "error: " + query + ": " + error.message() + "\n";
  nlohmann::ordered_json j;
  j["query"] = query;
  j["ok"] = false;
  j["error"] = error.message();
  j["error_code"] = StatusCodeName(error.code());
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

int RunMatch(const MatchFlags& flags) {
  const bool jsonl = flags.format == "jsonl" || (flags.format.empty() && !isatty(STDOUT_FILENO));
  auto bank = matching::ReadBankFileWithRegions(flags.bank);
  if (!bank.ok()) {
    std::fprintf(stderr, "error: %s\n", bank.status().message().c_str());
    return 1;
  }
  hashfile::HashOptions options;
  options.dihedral = flags.dihedral;
  options.digests = false;
  options.signals = bank->regions.hashes().size() > 0;
  options.signal_variants = flags.dihedral;
  hashfile::ImageFileHasher hasher(options);
  bool any_failed = false;
  std::optional<matching::VideoMatcher> videos;  // built at the first video query
  for (const auto& query : flags.queries) {
    if (!hashing::Hash256::FromHex(query).ok() && IsVideoFile(query)) {
      if (!videos) videos.emplace(bank->hashes);
      auto line = MatchVideo(query, *videos, flags, jsonl);
      any_failed = any_failed || !line.ok();
      const std::string text = line.ok() ? *line : FormatFailure(jsonl, query, line.status());
      std::fwrite(text.data(), 1, text.size(), stdout);
      continue;
    }
    auto matches = MatchOne(query, *bank, hasher, flags);
    const std::string line = matches.ok() ? FormatMatches(jsonl, flags.dihedral, query, *matches)
                                          : FormatFailure(jsonl, query, matches.status());
    any_failed = any_failed || !matches.ok();
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return any_failed ? 1 : 0;
}

}  // namespace

void AddMatchCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<MatchFlags>();
  CLI::App* cmd = app.add_subcommand(
      "match",
      "Find the hashes of a bank within a Hamming distance of each query: an image file or a "
      "64-hex PDQ hash; for a video file, the stored videos whose frames match (vPDQ: query% and "
      "compared% of distinct frames within the radius). Exit status 1 if any query failed.");
  cmd->add_option("--bank", flags->bank, "The bank file (from `takedown bank build`)")->required();
  cmd->add_option("--radius", flags->radius, "Largest distance that matches (default 31)")
      ->check(CLI::Range(0, 256));
  cmd->add_option("--min-quality", flags->min_quality,
                  "Ignore stored hashes of lower quality (default 50; 0 matches all)")
      ->check(CLI::Range(0, 100));
  cmd->add_flag("--dihedral", flags->dihedral,
                "Also match the image rotated and mirrored (its 8 dihedral variants)");
  cmd->add_option("--query-percent", flags->query_percent,
                  "Videos: share of the query's frames that must match (default 80)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--compared-percent", flags->compared_percent,
                  "Videos: share of the stored video's frames that must match (default 0)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--format", flags->format,
                  "jsonl (default when stdout is not a terminal) or text")
      ->check(CLI::IsMember({"jsonl", "text"}));
  cmd->add_option("queries", flags->queries, "Image or video files, or 64-hex hashes")->required();
  cmd->callback([flags, exit_code] { *exit_code = RunMatch(*flags); });
}

}  // namespace takedown::cli
