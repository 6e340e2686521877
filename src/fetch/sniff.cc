// SniffMedia and the names of extract.h's enums.
#include <cstring>

#include "fetch/extract.h"
#include "media/media.h"

namespace takedown::fetch {
namespace {

bool StartsWith(std::span<const uint8_t> b, std::string_view magic, size_t at = 0) {
  return b.size() >= at + magic.size() &&
         std::memcmp(b.data() + at, magic.data(), magic.size()) == 0;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsVideo(std::span<const uint8_t> b) {
  // ISO base media (MP4, MOV, 3GP): an 'ftyp' box first. Image brands (HEIF, AVIF) were taken
  // by the image sniffer already; audio-only brands are no video.
  if (StartsWith(b, "ftyp", 4) && b.size() >= 12) {
    for (std::string_view audio : {"M4A ", "M4B ", "M4P ", "F4A ", "F4B "}) {
      if (StartsWith(b, audio, 8)) return false;
    }
    return true;
  }
  // Old QuickTime files start with another top-level atom.
  for (std::string_view atom : {"moov", "mdat", "wide", "free", "pnot"}) {
    if (StartsWith(b, atom, 4) && b.size() >= 8 && b[0] == 0) return true;
  }
  if (StartsWith(b, "\x1A\x45\xDF\xA3")) return true;                  // WebM, Matroska
  if (StartsWith(b, "RIFF") && StartsWith(b, "AVI ", 8)) return true;  // AVI
  if (StartsWith(b, "FLV\x01")) return true;
  if (StartsWith(b, std::string_view("\x00\x00\x01\xBA", 4))) return true;  // MPEG-PS
  if (StartsWith(b, "\x30\x26\xB2\x75\x8E\x66\xCF\x11")) return true;       // ASF, WMV
  // MPEG-TS: sync bytes every 188 bytes (M2TS: 192, after a 4-byte time code).
  if (b.size() > 376 && b[0] == 0x47 && b[188] == 0x47 && b[376] == 0x47) return true;
  if (b.size() > 388 && b[4] == 0x47 && b[196] == 0x47 && b[388] == 0x47) return true;
  return false;
}

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
  if (IsVideo(bytes)) return MediaKind::kVideo;
  if (ContentTypeIsHtml(content_type) || LooksLikeHtml(bytes)) return MediaKind::kHtml;
  return MediaKind::kOther;
}

}  // namespace takedown::fetch
