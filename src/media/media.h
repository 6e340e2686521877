// Decoding of image files into 8-bit pixel buffers, following the decoding rules of
// ../shared/spec/pdq.md section 2, with limits that turn hostile input into a clear error.
//
// Every function here is thread-safe (no shared mutable state); an Image is a plain value.
// Decoders never write anything to disk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "hashing/pdq.h"

namespace takedown::media {

enum class ImageFormat { kUnknown, kJpeg, kPng, kWebp, kGif, kTiff, kHeif, kBmp, kPnm };

// "jpeg", "png", ... ("unknown" for kUnknown).
std::string_view ImageFormatName(ImageFormat format);

// Recognises a format by its leading bytes (never by file name).
ImageFormat SniffImageFormat(std::span<const uint8_t> bytes);

// 8-bit pixels: 1 channel (grey) or 3 (R,G,B), rows packed top to bottom.
struct Image {
  int width = 0;
  int height = 0;
  int channels = 3;
  std::vector<uint8_t> pixels;

  hashing::PixelView view() const {
    return {pixels.data(), width, height, channels, static_cast<size_t>(width) * channels};
  }
};

enum class DecodeMode {
  kFull,  // full resolution: bit-exact with industry PDQ hashes
  kFast,  // reduced-scale decode where the format allows it (JPEG), short side kept >= 512
};

struct DecodeOptions {
  DecodeMode mode = DecodeMode::kFull;
  // Refuse images with more pixels than this before allocating them (decompression bombs).
  uint64_t max_pixels = 100'000'000;
};

struct DecodedImage {
  ImageFormat format = ImageFormat::kUnknown;
  int source_width = 0;  // the image's own size, even when decoded at reduced scale
  int source_height = 0;
  Image image;  // what was decoded (smaller than the source in fast mode)
};

// Receives a decoded image row by row, top to bottom: Begin once, then one Row per row
// (width * channels bytes, valid only during the call). Implementations need not be thread-safe.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void Begin(int width, int height, int channels) = 0;
  virtual void Row(const uint8_t* pixels) = 0;
};

// Decodes the first image (first frame of an animation) of a JPEG, PNG, WebP, GIF, TIFF, HEIF/HEIC,
// BMP or PNM file held in memory. Errors: kUnsupported (unknown format), kTooLarge (max_pixels),
// kCorrupt (truncated or damaged data).
Result<DecodedImage> DecodeImage(std::span<const uint8_t> bytes, const DecodeOptions& options);

// Like DecodeImage, but hands the rows to `sink` instead of keeping them (the returned image is
// empty). JPEGs and non-interlaced PNGs are decoded straight into the sink a few rows at a time,
// so a large photo never exists in memory whole; other formats are decoded whole first. After an
// error the sink may have received some rows: discard what it built.
Result<DecodedImage> DecodeImageRows(std::span<const uint8_t> bytes, const DecodeOptions& options,
                                     RowSink& sink);

// Reads a whole file into memory, refusing files over max_bytes before reading them.
// Errors: kNotFound, kPermissionDenied, kTooLarge, kIoError (including "is a directory").
Result<std::vector<uint8_t>> ReadFileLimited(const std::filesystem::path& path, uint64_t max_bytes);

}  // namespace takedown::media
