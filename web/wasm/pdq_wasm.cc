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
#include <vector>

#include "hashing/pdq.h"

namespace {
takedown::hashing::PdqHasher& Hasher() {
  static takedown::hashing::PdqHasher hasher;
  return hasher;
}
}  // namespace

extern "C" {

// Hashes `w` x `h` RGBA pixels (rows packed top to bottom). Writes the 64 hex characters and a
// terminating NUL to out_hex65 and the quality (0..100) to *quality. Returns 0, or -1 for a
// size the hasher cannot take (zero or negative sides).
int pdq_hash_rgba(const uint8_t* rgba, int w, int h, int grey, char* out_hex65, int* quality) {
  if (rgba == nullptr || out_hex65 == nullptr || quality == nullptr || w <= 0 || h <= 0) return -1;
  const int channels = grey ? 1 : 3;
  auto& hasher = Hasher();
  std::vector<uint8_t> row(static_cast<size_t>(w) * channels);
  hasher.Begin(w, h, channels);
  for (int y = 0; y < h; ++y) {
    const uint8_t* in = rgba + static_cast<size_t>(y) * w * 4;
    if (grey) {
      for (int x = 0; x < w; ++x) row[x] = in[x * 4];
    } else {
      for (int x = 0; x < w; ++x) std::memcpy(&row[static_cast<size_t>(x) * 3], in + x * 4, 3);
    }
    hasher.AddRow(row.data());
  }
  const auto result = hasher.FinishHash();
  const std::string hex = result.hash.ToHex();
  std::memcpy(out_hex65, hex.c_str(), hex.size() + 1);
  *quality = result.quality;
  return 0;
}

}  // extern "C"
