// BMP through stb_image (Debian's libstb), PNM (P1-P6) by hand: stb reads only P5/P6 and ignores
// the maximum value, so files with a maxval other than 255 would come out too dark. Alpha is
// dropped, grey stays one channel, samples over 8 bits (and any maxval) are scaled to 0..255 with
// rounding. stb pads a short BMP with zeros instead of failing, so its length is checked first.
#include <stb/stb_image.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>

#include "media/decoders.h"

namespace takedown::media::internal {
namespace {

uint32_t Le(std::span<const uint8_t> b, size_t at, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | b[at + i];
  return v;
}

// An uncompressed BMP must hold every row its header declares.
bool BmpIsShort(std::span<const uint8_t> b) {
  if (b.size() < 26) return true;
  const uint32_t header = Le(b, 14, 4);
  if (header != 12 && b.size() < 34) return true;
  const bool core = header == 12;
  // (Signed in the Windows header: a negative height means rows stored top-down.)
  const int64_t width = core ? int64_t{Le(b, 18, 2)} : int64_t{static_cast<int32_t>(Le(b, 18, 4))};
  const int64_t height = core ? int64_t{Le(b, 20, 2)} : int64_t{static_cast<int32_t>(Le(b, 22, 4))};
  const uint32_t bpp = core ? Le(b, 24, 2) : Le(b, 28, 2);
  const uint32_t compression = core ? 0 : Le(b, 30, 4);
  if (compression != 0 && compression != 3) return false;  // RLE etc.: stb refuses those
  const uint64_t row = (static_cast<uint64_t>(width < 0 ? -width : width) * bpp + 31) / 32 * 4;
  const uint64_t need = Le(b, 10, 4) + row * static_cast<uint64_t>(height < 0 ? -height : height);
  return b.size() < need;
}

Result<DecodedImage> DecodeBmp(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  if (bytes.size() > INT32_MAX) return TooLarge("the BMP file is over 2 GiB");
  const int size = static_cast<int>(bytes.size());
  int width = 0, height = 0, components = 0;
  if (!stbi_info_from_memory(bytes.data(), size, &width, &height, &components)) {
    if (bytes.size() < 54) return Corrupt("the BMP file is truncated");
    const std::string reason = stbi_failure_reason() ? stbi_failure_reason() : "unreadable";
    if (reason == "BMP RLE" || reason == "BMP JPEG/PNG" || reason == "unknown BMP") {
      return Unsupported("the BMP file uses a variant this decoder cannot read: " + reason);
    }
    return Corrupt("the BMP file is damaged: " + reason);
  }
  // stb reports a top-down BMP's height as stored, negative.
  const int64_t rows = height < 0 ? -int64_t{height} : height;
  if (Status s = CheckDimensions(width, rows, options, "BMP"); !s.ok()) return s;
  if (BmpIsShort(bytes)) return Corrupt("the BMP file is truncated");
  const int channels = components <= 2 ? 1 : 3;
  int w = 0, h = 0, in_file = 0;
  std::unique_ptr<stbi_uc, decltype(&stbi_image_free)> pixels(
      stbi_load_from_memory(bytes.data(), size, &w, &h, &in_file, channels), &stbi_image_free);
  if (!pixels) {
    const char* reason = stbi_failure_reason();
    return Corrupt(std::string("the BMP file is damaged: ") + (reason ? reason : "unreadable"));
  }
  if (w != width || h != rows) return Corrupt("the BMP file is damaged: its size changed");
  DecodedImage out;
  out.format = ImageFormat::kBmp;
  out.source_width = out.image.width = w;
  out.source_height = out.image.height = h;
  out.image.channels = channels;
  out.image.pixels.assign(pixels.get(), pixels.get() + static_cast<size_t>(w) * h * channels);
  return out;
}

// Netpbm: "P<n>", width, height, maxval (not for bitmaps), separated by whitespace and #-comments,
// then one whitespace byte and binary samples (P4-P6) or whitespace-separated decimals (P1-P3).
class PnmReader {
 public:
  explicit PnmReader(std::span<const uint8_t> b) : b_(b) {}

  // A header or ASCII number; -1 at the end of data, -2 on anything else.
  int64_t Number(bool single_digit = false) {
    for (;;) {
      while (pos_ < b_.size() && std::isspace(b_[pos_])) ++pos_;
      if (pos_ >= b_.size() || b_[pos_] != '#') break;
      while (pos_ < b_.size() && b_[pos_] != '\n' && b_[pos_] != '\r') ++pos_;
    }
    if (pos_ >= b_.size()) return -1;
    if (!std::isdigit(b_[pos_])) return -2;
    int64_t v = 0;
    do {
      v = v * 10 + (b_[pos_++] - '0');
      if (v > 0xFFFFFFF) return -2;
    } while (!single_digit && pos_ < b_.size() && std::isdigit(b_[pos_]));
    return v;
  }
  // Binary sample: 1 byte, or 2 big-endian bytes when maxval > 255; -1 at the end of data.
  int64_t Binary(bool wide) {
    if (pos_ >= b_.size() || b_.size() - pos_ < (wide ? 2u : 1u)) return -1;
    int64_t v = b_[pos_++];
    if (wide) v = (v << 8) | b_[pos_++];
    return v;
  }
  void SkipOneSpace() { ++pos_; }
  size_t pos() const { return pos_; }
  size_t size() const { return b_.size(); }
  uint8_t byte(size_t at) const { return b_[at]; }

 private:
  std::span<const uint8_t> b_;
  size_t pos_ = 2;  // after "P<n>"
};

Result<DecodedImage> DecodePnm(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  const int kind = bytes.size() >= 2 ? bytes[1] - '0' : 0;
  if (kind < 1 || kind > 6) return Corrupt("the PNM file is damaged: bad magic number");
  PnmReader in(bytes);
  const bool bitmap = kind == 1 || kind == 4;
  const int64_t width = in.Number(), height = in.Number();
  const int64_t maxval = bitmap ? 1 : in.Number();
  if (width == -1 || height == -1 || maxval == -1) return Corrupt("the PNM file is truncated");
  if (width < 0 || height < 0 || maxval < 1 || maxval > 65535) {
    return Corrupt("the PNM file is damaged: its header is invalid");
  }
  if (Status s = CheckDimensions(width, height, options, "PNM"); !s.ok()) return s;
  const int channels = (kind == 3 || kind == 6) ? 3 : 1;
  const bool binary = kind >= 4;
  const size_t samples = static_cast<size_t>(width) * height * channels;
  const size_t bitmap_row = static_cast<size_t>(width + 7) / 8;
  if (binary) {
    // One whitespace byte, then the raster: whole bytes per row for P4, 1 or 2 per sample else.
    if (in.pos() >= in.size()) return Corrupt("the PNM file is truncated");
    in.SkipOneSpace();
    const size_t left = in.size() - in.pos();
    const size_t need = kind == 4 ? bitmap_row * height : samples * (maxval > 255 ? 2 : 1);
    if (left < need) return Corrupt("the PNM file is truncated");
  } else if (in.size() - in.pos() < samples) {
    // At least one character per sample, before allocating for them.
    return Corrupt("the PNM file is truncated");
  }

  DecodedImage out;
  out.format = ImageFormat::kPnm;
  out.source_width = out.image.width = static_cast<int>(width);
  out.source_height = out.image.height = static_cast<int>(height);
  out.image.channels = channels;
  out.image.pixels.resize(samples);
  const size_t row_start = in.pos();
  for (size_t i = 0; i < samples; ++i) {
    int64_t v = 0;
    if (kind == 4) {
      const size_t x = i % width, y = i / width;
      v = (in.byte(row_start + y * bitmap_row + x / 8) >> (7 - x % 8)) & 1;
    } else {
      v = binary ? in.Binary(maxval > 255) : in.Number(/*single_digit=*/kind == 1);
      if (v == -1) return Corrupt("the PNM file is truncated");
      if (v < 0) return Corrupt("the PNM file is damaged: a sample is not a number");
    }
    v = std::min(v, maxval);
    if (bitmap) v = 1 - v;  // 1 is black
    out.image.pixels[i] = static_cast<uint8_t>((v * 255 + maxval / 2) / maxval);
  }
  return out;
}

}  // namespace

Result<DecodedImage> DecodeBmpOrPnm(std::span<const uint8_t> bytes, const DecodeOptions& options,
                                    ImageFormat format) {
  if (format == ImageFormat::kPnm) return DecodePnm(bytes, options);
  return DecodeBmp(bytes, options);
}

}  // namespace takedown::media::internal
