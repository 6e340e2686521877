#include "cli/hash_list.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>

namespace takedown::cli {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Reads {"pdq": hex, "quality": n} (a frame or one of its alternates); "" or an error message.
std::string ParseFrameHash(const nlohmann::json& j, hashing::PdqHash* out) {
  if (!j.is_object() || !j.contains("pdq") || !j["pdq"].is_string() || !j.contains("quality") ||
      !j["quality"].is_number_integer()) {
    return "each frame and alternate needs a \"pdq\" string and a whole-number \"quality\"";
  }
  auto hash = hashing::Hash256::FromHex(j["pdq"].get<std::string>());
  if (!hash.ok()) return "a frame's " + hash.status().message();
  *out = {*hash, j["quality"].get<int>()};
  return "";
}

// Fills *video from the frames of a video record; returns an error message, or "".
std::string ParseVideo(const nlohmann::json& j, HashListVideo* video) {
  if (!j.contains("frames") || !j["frames"].is_array()) {
    return "the video record has no \"frames\" array";
  }
  for (const auto& frame : j["frames"]) {
    matching::VideoFrame f;
    if (std::string error = ParseFrameHash(frame, &f.pdq); !error.empty()) return error;
    if (frame.contains("alternates")) {
      if (!frame["alternates"].is_array() ||
          frame["alternates"].size() > static_cast<size_t>(matching::kMaxAlternates)) {
        return "a frame's \"alternates\" must be an array of at most " +
               std::to_string(matching::kMaxAlternates);
      }
      for (const auto& alternate : frame["alternates"]) {
        hashing::PdqHash a;
        if (std::string error = ParseFrameHash(alternate, &a); !error.empty()) return error;
        f.alternates.push_back(a);
      }
    }
    video->frames.push_back(std::move(f));
  }
  if (video->id > matching::kMaxVideoId) return "a video's \"id\" must be below 2^43";
  return "";
}

// Reads "trimmed" and "regions" as `takedown hash` prints them; returns an error message, or "".
std::string ParseSignals(const nlohmann::json& j, hashing::ImageSignals* out) {
  const auto& trimmed = j["trimmed"];
  if (!trimmed.is_object() || !trimmed.contains("box") || !trimmed["box"].is_array() ||
      trimmed["box"].size() != 4) {
    return "\"trimmed\" must hold a \"box\" of 4 whole numbers";
  }
  std::array<int, 4> box{};
  for (size_t i = 0; i < 4; ++i) {
    if (!trimmed["box"][i].is_number_integer()) {
      return "\"trimmed\" must hold a \"box\" of 4 whole numbers";
    }
    box[i] = trimmed["box"][i].get<int>();
  }
  out->content = {box[0], box[1], box[2], box[3]};
  if (!j.contains("regions") || !j["regions"].is_array() ||
      j["regions"].size() > 2 * static_cast<size_t>(hashing::kUntrimmedRegion)) {
    return "\"regions\" must be an array of at most " +
           std::to_string(2 * hashing::kUntrimmedRegion) + " regions";
  }
  for (const auto& region : j["regions"]) {
    if (!region.is_array() || region.size() != 3 || !region[0].is_string() ||
        !region[1].is_string() || !region[2].is_number_integer()) {
      return "each region must be [name, hash, quality]";
    }
    const auto index = hashing::RegionFromName(region[0].get<std::string>());
    if (!index) return "unknown region \"" + region[0].get<std::string>() + "\"";
    auto hash = hashing::Hash256::FromHex(region[1].get<std::string>());
    if (!hash.ok()) return "a region's " + hash.status().message();
    const int quality = region[2].get<int>();
    if (quality < 0 || quality > 100) return "a region's quality must be 0..100";
    out->regions.push_back({static_cast<uint8_t>(*index), static_cast<uint8_t>(quality), *hash});
  }
  return "";
}

// Fills *entry (or *video, *signals) from one line; returns an error message, or "" when it
// worked.
std::string ParseJsonLine(std::string_view line, matching::BankEntry* entry,
                          std::optional<HashListVideo>* video,
                          std::optional<hashing::ImageSignals>* signals, bool* skip) {
  const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return "not valid JSON";
  if (j.value("ok", true) == false) {
    *skip = true;
    return "";
  }
  if (j.contains("id")) {
    if (!j["id"].is_number_unsigned()) return "\"id\" must be a whole number";
    entry->id = j["id"].get<uint64_t>();
  }
  if (j.contains("kind") && j["kind"] == "video") {
    video->emplace();
    (*video)->id = entry->id;
    return ParseVideo(j, &**video);
  }
  if (!j.contains("pdq") || !j["pdq"].is_string()) return "the JSON object has no \"pdq\" string";
  auto hash = hashing::Hash256::FromHex(j["pdq"].get<std::string>());
  if (!hash.ok()) return hash.status().message();
  entry->hash = *hash;
  if (j.contains("quality")) {
    if (!j["quality"].is_number_integer()) return "\"quality\" must be a whole number";
    entry->quality = j["quality"].get<int>();
  }
  if (j.contains("trimmed") || j.contains("regions")) {
    signals->emplace();
    return ParseSignals(j, &**signals);
  }
  return "";
}

std::string ParseLine(std::string_view line, matching::BankEntry* entry,
                      std::optional<HashListVideo>* video,
                      std::optional<hashing::ImageSignals>* signals, bool* skip) {
  if (line.front() == '{') return ParseJsonLine(line, entry, video, signals, skip);
  const size_t comma = line.find(',');
  auto hash = hashing::Hash256::FromHex(Trim(line.substr(0, comma)));
  if (!hash.ok()) return hash.status().message();
  entry->hash = *hash;
  if (comma != std::string_view::npos) {
    const std::string_view id = Trim(line.substr(comma + 1));
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), value);
    if (ec != std::errc() || end != id.data() + id.size() || id.empty()) {
      return "the id after the comma must be a whole number";
    }
    entry->id = value;
  }
  return "";
}

}  // namespace

HashList ReadHashList(std::istream& in) {
  HashList list;
  size_t number = 0;
  for (std::string raw; std::getline(in, raw);) {
    ++number;
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') {
      ++list.skipped;
      continue;
    }
    matching::BankEntry entry{number, {}, 100, 0};
    std::optional<HashListVideo> video;
    std::optional<hashing::ImageSignals> signals;
    bool skip = false;
    std::string error = ParseLine(line, &entry, &video, &signals, &skip);
    if (error.empty() && !video && matching::AsVideoFrame(entry.id)) {
      error = "an image's id must be below 2^63";
    }
    if (!error.empty()) {
      list.problems.push_back({number, error});
    } else if (skip) {
      ++list.skipped;
    } else if (video) {
      list.videos.push_back(std::move(*video));
    } else {
      list.entries.push_back(entry);
      if (signals) list.signals.push_back({entry.id, std::move(*signals)});
    }
  }
  return list;
}

}  // namespace takedown::cli
