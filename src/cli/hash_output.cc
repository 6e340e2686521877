#include "cli/hash_output.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace takedown::cli {
namespace {

// RFC 4180 quoting: only when needed, doubling inner quotes.
std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Takedown's own signals (hashing/signals.h), a field per kind: "trimmed" (the content box left
// once borders are trimmed) and "regions" (each region's hash and quality); or, for an image that
// has none, "signals_error" saying why.
void AddSignals(const hashfile::ImageHashRecord& r, nlohmann::ordered_json* j) {
  if (!r.signals) {
    if (!r.signals_status.ok()) (*j)["signals_error"] = r.signals_status.message();
    return;
  }
  const hashing::Box& box = r.signals->content;
  (*j)["trimmed"] = {{"box", {box.x, box.y, box.width, box.height}}};
  auto& regions = (*j)["regions"] = nlohmann::ordered_json::array();
  for (const auto& region : r.signals->regions) {
    regions.push_back(
        {hashing::RegionName(region.region), region.hash.ToHex(), int{region.quality}});
  }
}

}  // namespace

std::string HashOutputHeader(HashOutputFormat format, bool dihedral) {
  if (format != HashOutputFormat::kCsv) return "";
  std::string header = "path,ok,format,width,height,pdq,quality,md5,sha256,error";
  if (dihedral) {
    for (std::string_view name : hashing::kDihedralNames) header += "," + std::string(name);
  }
  return header + "\n";
}

std::string FormatHashSuccess(HashOutputFormat format, const std::string& path,
                              const hashfile::ImageHashRecord& r) {
  const std::string pdq = r.pdq.hash.ToHex();
  switch (format) {
    case HashOutputFormat::kJsonl: {
      nlohmann::ordered_json j;
      j["path"] = path;
      j["ok"] = true;
      j["format"] = media::ImageFormatName(r.format);
      j["width"] = r.width;
      j["height"] = r.height;
      j["pdq"] = pdq;
      j["quality"] = r.pdq.quality;
      if (!r.digests.md5.empty()) {
        j["md5"] = r.digests.md5;
        j["sha256"] = r.digests.sha256;
      }
      if (r.dihedral) {
        auto& variants = j["dihedral"] = nlohmann::ordered_json::array();
        for (const auto& h : *r.dihedral) variants.push_back(h.ToHex());
      }
      AddSignals(r, &j);
      return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
    case HashOutputFormat::kCsv: {
      std::string line = CsvField(path) + ",true," + std::string(media::ImageFormatName(r.format)) +
                         "," + std::to_string(r.width) + "," + std::to_string(r.height) + "," +
                         pdq + "," + std::to_string(r.pdq.quality) + "," + r.digests.md5 + "," +
                         r.digests.sha256 + ",";
      if (r.dihedral) {
        for (const auto& h : *r.dihedral) line += "," + h.ToHex();
      }
      return line + "\n";
    }
    case HashOutputFormat::kText: {
      std::string line = pdq + " " + std::to_string(r.pdq.quality) + " " + path;
      if (r.pdq.quality < hashing::kMinUsefulQuality) line += "  (low quality: not matchable)";
      return line + "\n";
    }
  }
  return "";
}

std::string FormatVideoSuccess(HashOutputFormat format, const std::string& path,
                               const video::VideoHashRecord& r, const hashing::FileDigests& digests,
                               bool dihedral) {
  if (format == HashOutputFormat::kJsonl) {
    nlohmann::ordered_json j;
    j["path"] = path;
    j["ok"] = true;
    j["kind"] = "video";
    j["format"] = r.container;
    j["codec"] = r.codec;
    j["width"] = r.width;
    j["height"] = r.height;
    j["duration"] = r.duration;
    j["fps"] = r.fps;
    j["frame_count"] = r.frame_count;
    if (!digests.md5.empty()) {
      j["md5"] = digests.md5;
      j["sha256"] = digests.sha256;
    }
    auto& frames = j["frames"] = nlohmann::ordered_json::array();
    for (const auto& f : r.frames) {
      nlohmann::ordered_json one;
      one["frame"] = f.frame;
      one["pdq"] = f.pdq.hash.ToHex();
      one["quality"] = f.pdq.quality;
      one["timestamp"] = f.timestamp;
      if (!f.alternates.empty()) {
        auto& alternates = one["alternates"] = nlohmann::ordered_json::array();
        for (const auto& a : f.alternates) {
          alternates.push_back({{"kind", video::AlternateKindName(a.kind)},
                                {"pdq", a.pdq.hash.ToHex()},
                                {"quality", a.pdq.quality}});
        }
      }
      frames.push_back(std::move(one));
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  std::string out;
  char time[32];
  for (const auto& f : r.frames) {
    std::snprintf(time, sizeof time, "#t=%.3f", f.timestamp);
    const std::string at = path + time;
    const std::string pdq = f.pdq.hash.ToHex();
    if (format == HashOutputFormat::kCsv) {
      out += CsvField(at) + ",true,video," + std::to_string(r.width) + "," +
             std::to_string(r.height) + "," + pdq + "," + std::to_string(f.pdq.quality) + "," +
             digests.md5 + "," + digests.sha256 + "," +
             (dihedral ? std::string(8, ',') : std::string()) + "\n";
    } else {
      out += pdq + " " + std::to_string(f.pdq.quality) + " " + at;
      if (f.pdq.quality < hashing::kMinUsefulQuality) out += "  (low quality: not matchable)";
      out += "\n";
    }
  }
  return out;
}

std::string FormatHashFailure(HashOutputFormat format, const std::string& path, const Status& error,
                              bool dihedral) {
  switch (format) {
    case HashOutputFormat::kJsonl: {
      nlohmann::ordered_json j;
      j["path"] = path;
      j["ok"] = false;
      j["error"] = error.message();
      j["error_code"] = StatusCodeName(error.code());
      return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
    case HashOutputFormat::kCsv:
      return CsvField(path) + ",false,,,,,,,," + CsvField(error.message()) +
             (dihedral ? std::string(8, ',') : std::string()) + "\n";
    case HashOutputFormat::kText:
      return "error: " + path + ": " + error.message() + "\n";
  }
  return "";
}

}  // namespace takedown::cli
