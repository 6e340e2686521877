// Test-only helpers for media_test: deterministic pixel patterns and encoders that write small
// images in each supported format, in memory.
#pragma once

#include <gif_lib.h>
#include <tiffio.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace takedown::media::testing {

using Bytes = std::vector<uint8_t>;

Bytes Str(std::string_view s);
void PutLe(Bytes& b, uint64_t v, int n);
void PutBe(Bytes& b, uint64_t v, int n);
// Deterministic samples in which neighbouring pixels and channels differ.
Bytes Pattern(int w, int h, int channels);
Bytes Rgba(const Bytes& rgb, uint8_t alpha);

Bytes EncodeWebp(int w, int h, const Bytes& rgba, bool lossless);
Bytes EncodeAnimatedWebp(int w, int h, const std::vector<Bytes>& frames);
// GIF: a 6x8 screen whose background is palette entry 2; frame 1 is 4x6 at (1,1) with index
// (x+y)%4, index 3 transparent; frame 2 covers the screen with index 1 (must be ignored).
Bytes EncodeGif(bool interlaced);
extern const GifColorType kGifPalette[4];  // the palette EncodeGif uses

struct TiffSpec {
  uint32_t w, h;
  uint16_t spp = 3, bps = 8, photometric = PHOTOMETRIC_RGB;
  uint16_t orientation = ORIENTATION_TOPLEFT;
  uint16_t extra = 0;  // an EXTRASAMPLE_ kind for the last sample, 0 for none
  uint32_t rows_per_strip = 2, tile = 0;
};
// `samples` holds native-endian samples, packed.
Bytes EncodeTiff(const TiffSpec& s, const void* samples);

// HEIF through whichever encoder libheif has (HEVC, else AV1); empty when it has none.
Bytes EncodeHeif(int w, int h, const Bytes& rgb);
// 8-bit PNG (1 or 3 channels), optionally Adam7-interlaced.
Bytes EncodePng(int w, int h, int channels, const Bytes& pixels, bool interlaced);
// 24-bit BMP, bottom-up unless top_down (negative height), rows padded to 4 bytes.
Bytes EncodeBmp(int w, int h, const Bytes& rgb, bool top_down = false);

}  // namespace takedown::media::testing
