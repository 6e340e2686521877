// SniffMedia and the names of extract.h's enums.
#include <cstring>

#include "fetch/extract.h"
#include "media/media.h"
#include "video/video.h"

namespace takedown::fetch {
namespace {

bool StartsWith(std::span<const uint8_t> b, std::string_view magic, size_t at = 0) {
  return b.size() >= at + magic.size() &&
         std::memcmp(b.data() + at, magic.data(), magic.size()) == 0;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool ContentTypeIsHtml(std::string_view type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  std::string lower(type);
  for (char& c : lower) c = Lower(c);
  return lower == "text/html" || lower == "application/xhtml+xml";
}

bool LooksLikeHtml(std::span<const uint8_t> b) {
  size_t p = StartsWith(b, "\xEF\xBB\xBF") ? 3 : 0;
  while (p < b.size() &&
         (b[p] == ' ' || b[p] == '\t' || b[p] == '\n' || b[p] == '\r' || b[p] == '\f')) {
    ++p;
  }
  const auto starts = [&](std::string_view prefix) {
    if (b.size() - p < prefix.size()) return false;
    for (size_t k = 0; k < prefix.size(); ++k) {
      if (Lower(static_cast<char>(b[p + k])) != prefix[k]) return false;
    }
    return true;
  };
  if (starts("<!doctype html")) return true;
  if (starts("<html")) {
    const size_t after = p + 5;
    return after == b.size() || b[after] == '>' || b[after] == ' ' || b[after] == '\t' ||
           b[after] == '\n' || b[after] == '\r' || b[after] == '\f';
  }
  return false;
}

}  // namespace

std::string_view MediaKindName(MediaKind kind) {
  switch (kind) {
    case MediaKind::kImage:
      return "image";
    case MediaKind::kVideo:
      return "video";
    case MediaKind::kHtml:
      return "html";
    case MediaKind::kOther:
      return "other";
  }
  return "other";
}

MediaKind SniffMedia(std::span<const uint8_t> bytes, std::string_view content_type) {
  if (media::SniffImageFormat(bytes) != media::ImageFormat::kUnknown) return MediaKind::kImage;
  // The video module decides, so what is sniffed as video is what it will decode.
  if (video::LooksLikeVideo(bytes)) return MediaKind::kVideo;
  if (ContentTypeIsHtml(content_type) || LooksLikeHtml(bytes)) return MediaKind::kHtml;
  return MediaKind::kOther;
}

}  // namespace takedown::fetch
