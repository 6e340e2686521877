// Private to media/: one decoder per format family, dispatched from DecodeImage by sniffed format.
// Each checks the declared size against the pixel limit before allocating the pixel buffer.
#pragma once

#include <string_view>

#include "media/media.h"

namespace takedown::media::internal {

// kTooLarge when width x height exceeds the limit, kCorrupt when a side is zero or negative.
Status CheckDimensions(int64_t width, int64_t height, const DecodeOptions& options,
                       std::string_view format);

Result<DecodedImage> DecodeJpeg(std::span<const uint8_t> bytes, const DecodeOptions& options);
Result<DecodedImage> DecodePng(std::span<const uint8_t> bytes, const DecodeOptions& options);
Result<DecodedImage> DecodeWebp(std::span<const uint8_t> bytes, const DecodeOptions& options);
Result<DecodedImage> DecodeGif(std::span<const uint8_t> bytes, const DecodeOptions& options);
Result<DecodedImage> DecodeTiff(std::span<const uint8_t> bytes, const DecodeOptions& options);
Result<DecodedImage> DecodeHeif(std::span<const uint8_t> bytes, const DecodeOptions& options);
// BMP and PNM, through stb_image.
Result<DecodedImage> DecodeBmpOrPnm(std::span<const uint8_t> bytes, const DecodeOptions& options,
                                    ImageFormat format);

}  // namespace takedown::media::internal
