// The C ABI the survivor pages call: PDQ of decoded RGBA pixels, computed by the same hashing core
// as the server (src/hashing), built with emscripten (web/build.sh). Nothing here decodes files:
// the browser decodes, this only hashes.
//
// The server hashes what its decoders produce, without resizing (docs/hashing.md): 3 channels
// (R,G,B, alpha dropped) for colour files and 1 channel for greyscale files (a grey JPEG or PNG),
// whose luminance is the grey value itself. The browser always hands over RGBA, so the caller
// says whether the file was greyscale (`grey` != 0: the R channel is used as the grey value);
// otherwise the RGB of every pixel is hashed and its alpha ignored.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "hashing/pdq.h"
#include "hashing/signals.h"

namespace {
takedown::hashing::PdqHasher& Hasher() {
  static takedown::hashing::PdqHasher hasher;
  return hasher;
}

// Feeds RGBA rows to `add` as the server's decoders would give them: grey or R,G,B.
template <typename Add>
void FeedRows(const uint8_t* rgba, int w, int h, int grey, Add&& add) {
  const int channels = grey ? 1 : 3;
  std::vector<uint8_t> row(static_cast<size_t>(w) * channels);
  for (int y = 0; y < h; ++y) {
    const uint8_t* in = rgba + static_cast<size_t>(y) * w * 4;
    if (grey) {
      for (int x = 0; x < w; ++x) row[x] = in[x * 4];
    } else {
      for (int x = 0; x < w; ++x) std::memcpy(&row[static_cast<size_t>(x) * 3], in + x * 4, 3);
    }
    add(row.data());
  }
}
}  // namespace

extern "C" {

// Hashes `w` x `h` RGBA pixels (rows packed top to bottom). Writes the 64 hex characters and a
// terminating NUL to out_hex65 and the quality (0..100) to *quality. Returns 0, or -1 for a
// size the hasher cannot take (zero or negative sides).
int pdq_hash_rgba(const uint8_t* rgba, int w, int h, int grey, char* out_hex65, int* quality) {
  if (rgba == nullptr || out_hex65 == nullptr || quality == nullptr || w <= 0 || h <= 0) return -1;
  auto& hasher = Hasher();
  hasher.Begin(w, h, grey ? 1 : 3);
  FeedRows(rgba, w, h, grey, [&](const uint8_t* row) { hasher.AddRow(row); });
  const auto result = hasher.FinishHash();
  const std::string hex = result.hash.ToHex();
  std::memcpy(out_hex65, hex.c_str(), hex.size() + 1);
  *quality = result.quality;
  return 0;
}

// Takedown's region signals (hashing/signals.h) of the same pixels, as `takedown hash` computes
// them, written to `out` (at most `capacity` bytes, NUL-terminated) as text: "box X Y W H", then
// one line per region "NAME HEX QUALITY". Returns the length written, -1 for a bad size or a
// too small buffer (8 KB always suffices), or -2 when the image has no signals (too small, one
// colour, all border), with that sentence written instead.
int pdq_signals_rgba(const uint8_t* rgba, int w, int h, int grey, char* out, int capacity) {
  if (rgba == nullptr || out == nullptr || capacity <= 0 || w <= 0 || h <= 0) return -1;
  static takedown::hashing::SignalExtractor extractor;
  extractor.Begin(w, h, grey ? 1 : 3);
  FeedRows(rgba, w, h, grey, [&](const uint8_t* row) { extractor.AddRow(row); });
  const auto signals = extractor.Finish(false);
  std::string text;
  if (!signals.ok()) {
    text = signals.status().message();
  } else {
    const auto& box = signals->content;
    text = "box " + std::to_string(box.x) + " " + std::to_string(box.y) + " " +
           std::to_string(box.width) + " " + std::to_string(box.height) + "\n";
    for (const auto& region : signals->regions) {
      text += takedown::hashing::RegionName(region.region) + " " + region.hash.ToHex() + " " +
              std::to_string(region.quality) + "\n";
    }
  }
  if (text.size() + 1 > static_cast<size_t>(capacity)) return -1;
  std::memcpy(out, text.c_str(), text.size() + 1);
  return signals.ok() ? static_cast<int>(text.size()) : -2;
}

}  // extern "C"
