// The vPDQ text form: "frameNumber,quality,hex64,timestamp" per line.
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <system_error>

#include "video/video.h"

namespace takedown::video {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  if (s.empty() || s.front() == '+') return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

Status BadLine(size_t line, const std::string& why) {
  return InvalidArgument("line " + std::to_string(line) + " of the vPDQ text is not " +
                         "\"frame,quality,hash,timestamp\": " + why);
}

}  // namespace

std::string FormatVpdq(const std::vector<FrameHash>& frames) {
  std::string out;
  out.reserve(frames.size() * 88);
  for (const FrameHash& f : frames) {
    out += std::to_string(f.frame);
    out += ',';
    out += std::to_string(f.pdq.quality);
    out += ',';
    out += f.pdq.hash.ToHex();
    out += ',';
    char buf[64];
    // to_chars: never the locale's decimal comma.
    const auto [end, ec] =
        std::to_chars(buf, buf + sizeof buf, f.timestamp, std::chars_format::fixed, 3);
    out.append(buf, ec == std::errc() ? end : buf);
    out += '\n';
  }
  return out;
}

Result<std::vector<FrameHash>> ParseVpdq(std::string_view text) {
  std::vector<FrameHash> frames;
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const std::string_view raw = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    const std::string_view line = Trim(raw);
    if (line.empty()) continue;

    std::string_view fields[4];
    size_t count = 0;
    for (std::string_view rest = line;; ++count) {
      const size_t comma = rest.find(',');
      if (count < 4) fields[count] = Trim(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    if (++count != 4) {
      return BadLine(line_number, "it has " + std::to_string(count) + " fields instead of 4");
    }

    FrameHash frame;
    if (!ParseNumber(fields[0], &frame.frame) || frame.frame < 0) {
      return BadLine(line_number, "the frame number is not a whole number >= 0");
    }
    if (!ParseNumber(fields[1], &frame.pdq.quality) || frame.pdq.quality < 0 ||
        frame.pdq.quality > 100) {
      return BadLine(line_number, "the quality is not a whole number from 0 to 100");
    }
    auto hash = hashing::Hash256::FromHex(fields[2]);
    if (!hash.ok()) return BadLine(line_number, "the hash is not 64 hex characters");
    frame.pdq.hash = *hash;
    if (!ParseNumber(fields[3], &frame.timestamp) || !std::isfinite(frame.timestamp) ||
        frame.timestamp < 0) {
      return BadLine(line_number, "the timestamp is not a number of seconds >= 0");
    }
    frames.push_back(frame);
  }
  return frames;
}

}  // namespace takedown::video
