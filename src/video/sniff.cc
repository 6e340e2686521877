// LooksLikeVideo: container signatures from the leading bytes.
#include <algorithm>
#include <cstring>
#include <string_view>

#include "video/video.h"

namespace takedown::video {
namespace {

bool At(std::span<const uint8_t> b, size_t offset, std::string_view magic) {
  return b.size() >= offset + magic.size() &&
         std::memcmp(b.data() + offset, magic.data(), magic.size()) == 0;
}

// ISO base media (MP4, MOV, 3GP) with an ftyp box: a video unless its major brand says image
// (HEIF/HEIC/AVIF stills and image sequences, which media/ decodes) or audio only (M4A...).
bool IsoBmffVideo(std::span<const uint8_t> b) {
  if (b.size() < 12) return false;
  static constexpr std::string_view kNotVideo[] = {"heic", "heix", "heim", "heis", "hevc", "hevx",
                                                   "hevm", "hevs", "mif1", "mif2", "msf1", "avif",
                                                   "avis", "avio", "M4A ", "M4B ", "M4P "};
  const std::string_view brand(reinterpret_cast<const char*>(b.data() + 8), 4);
  return std::find(std::begin(kNotVideo), std::end(kNotVideo), brand) == std::end(kNotVideo);
}

// QuickTime files without ftyp start with another top-level atom.
bool QuickTimeAtom(std::span<const uint8_t> b) {
  for (std::string_view atom : {"moov", "mdat", "wide", "free", "skip", "pnot"}) {
    if (At(b, 4, atom)) return true;
  }
  return false;
}

// MPEG-TS: a 0x47 sync byte every 188 bytes (or 192 for M2TS, after a 4-byte prefix), checked at
// up to three packet starts. Two syncs are required: one 'G' alone is also how a GIF starts.
bool TransportStream(std::span<const uint8_t> b) {
  for (const size_t packet : {size_t{188}, size_t{192}}) {
    const size_t first = packet == 188 ? 0 : 4;
    if (b.size() < first + packet + 1) continue;
    bool all = true;
    int seen = 0;
    for (size_t at = first; at < b.size() && seen < 3; at += packet, ++seen) {
      if (b[at] != 0x47) all = false;
    }
    if (all && seen >= 2) return true;
  }
  return false;
}

// Ogg: a video codec's identification header among the first pages (Theora, Dirac, Daala, or an
// OGM video stream). An Ogg of Vorbis or Opus alone is audio.
bool OggVideo(std::span<const uint8_t> b) {
  const std::string_view text(reinterpret_cast<const char*>(b.data()), b.size());
  for (std::string_view id : {std::string_view("\x80theora", 7), std::string_view("BBCD\0", 5),
                              std::string_view("\x80"
                                               "daala",
                                               6),
                              std::string_view("\x01video\0\0\0", 9)}) {
    if (text.find(id) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

bool LooksLikeVideo(std::span<const uint8_t> head) {
  const auto& b = head;
  if (At(b, 4, "ftyp")) return IsoBmffVideo(b);
  if (QuickTimeAtom(b)) return true;
  if (At(b, 0, "\x1A\x45\xDF\xA3")) return true;  // Matroska, WebM (EBML)
  if (At(b, 0, "RIFF") && (At(b, 8, "AVI ") || At(b, 8, "AVIX"))) return true;
  if (At(b, 0, "FLV\x01")) return true;
  if (At(b, 0, std::string_view("\x00\x00\x01\xBA", 4))) return true;  // MPEG program stream
  if (At(b, 0, "OggS")) return OggVideo(b);
  static constexpr uint8_t kAsf[16] = {0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11,
                                       0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C};
  if (b.size() >= 16 && std::memcmp(b.data(), kAsf, 16) == 0) return true;
  return TransportStream(b);
}

}  // namespace takedown::video
