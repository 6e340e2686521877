// Private to media/: one decoder per format family, dispatched from DecodeImage by sniffed format.
// Each checks the declared size against the pixel limit before allocating the pixel buffer.
#pragma once

#include <string_view>

#include "media/media.h"

namespace takedown::media::internal {

// A cursor over a file's bytes for the libraries that pull data through callbacks (libpng, giflib,
// libtiff). A read past the end copies what is left and records that the file was short, which
// the decoders report as truncation.
struct MemoryReader {
  std::span<const uint8_t> bytes;
  uint64_t offset = 0;  // may point past the end after a seek
  bool short_read = false;

  // Copies up to n bytes to dest; returns how many were copied.
  size_t Read(void* dest, size_t n);
};

// kTooLarge when width x height exceeds the limit, kCorrupt when a side is zero or negative.
Status CheckDimensions(int64_t width, int64_t height, const DecodeOptions& options,
                       std::string_view format);

// A RowSink that assembles the rows into an Image.
class ImageCollector : public RowSink {
 public:
  explicit ImageCollector(Image* image) : image_(image) {}
  void Begin(int width, int height, int channels) override;
  void Row(const uint8_t* pixels) override;

 private:
  Image* image_;
  size_t row_bytes_ = 0;
};

// These two stream rows into `sink`, or into the returned image when sink is null.
Result<DecodedImage> DecodeJpeg(std::span<const uint8_t> bytes, const DecodeOptions& options,
                                RowSink* sink);
Result<DecodedImage> DecodePng(std::span<const uint8_t> bytes, const DecodeOptions& options,
                               RowSink* sink);

Result<DecodedImage> DecodeWebp(std::span<const uint8_t> bytes, const DecodeOptions& options);
Result<DecodedImage> DecodeGif(std::span<const uint8_t> bytes, const DecodeOptions& options);
Result<DecodedImage> DecodeTiff(std::span<const uint8_t> bytes, const DecodeOptions& options);
Result<DecodedImage> DecodeHeif(std::span<const uint8_t> bytes, const DecodeOptions& options);
// BMP through stb_image; PNM parsed here (stb ignores maxval and the plain formats).
Result<DecodedImage> DecodeBmpOrPnm(std::span<const uint8_t> bytes, const DecodeOptions& options,
                                    ImageFormat format);

}  // namespace takedown::media::internal
