// WebP through libwebp. Still images decode straight to RGB (alpha ignored); animations go through
// WebPAnimDecoder, whose first frame is a key frame written onto a zeroed canvas without blending,
// so its alpha can be dropped the same way. Fast mode decodes at full size.
#include <webp/decode.h>
#include <webp/demux.h>

#include <memory>
#include <string>

#include "media/decoders.h"

namespace takedown::media::internal {
namespace {

std::string StatusText(VP8StatusCode status) {
  switch (status) {
    case VP8_STATUS_OUT_OF_MEMORY:
      return "out of memory";
    case VP8_STATUS_INVALID_PARAM:
      return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR:
      return "bitstream error";
    case VP8_STATUS_UNSUPPORTED_FEATURE:
      return "unsupported feature";
    default:
      return "decoder error " + std::to_string(static_cast<int>(status));
  }
}

Status FromVp8Status(VP8StatusCode status) {
  if (status == VP8_STATUS_NOT_ENOUGH_DATA || status == VP8_STATUS_SUSPENDED) {
    return Corrupt("the WebP file is truncated");
  }
  if (status == VP8_STATUS_OUT_OF_MEMORY) return Internal("out of memory decoding the WebP file");
  return Corrupt("the WebP file is damaged: " + StatusText(status));
}

using AnimDecoderPtr = std::unique_ptr<WebPAnimDecoder, decltype(&WebPAnimDecoderDelete)>;

// First frame of an animation: the decoder's RGBA canvas, alpha dropped.
Status DecodeFirstFrame(std::span<const uint8_t> bytes, Image& image) {
  const WebPData data{bytes.data(), bytes.size()};
  WebPAnimDecoderOptions anim_options;
  if (!WebPAnimDecoderOptionsInit(&anim_options)) return Internal("libwebp version mismatch");
  anim_options.color_mode = MODE_RGBA;
  anim_options.use_threads = 0;
  AnimDecoderPtr decoder(WebPAnimDecoderNew(&data, &anim_options), &WebPAnimDecoderDelete);
  if (!decoder) {
    // The decoder says nothing about why; the demuxer tells a short file from a damaged one.
    WebPDemuxState state = WEBP_DEMUX_PARSE_ERROR;
    WebPDemuxDelete(WebPDemuxPartial(&data, &state));
    if (state == WEBP_DEMUX_PARSING_HEADER || state == WEBP_DEMUX_PARSED_HEADER) {
      return Corrupt("the WebP file is truncated");
    }
    return Corrupt("the WebP file is damaged: its animation could not be parsed");
  }
  WebPAnimInfo info;
  if (!WebPAnimDecoderGetInfo(decoder.get(), &info) || info.frame_count == 0 ||
      static_cast<int64_t>(info.canvas_width) != image.width ||
      static_cast<int64_t>(info.canvas_height) != image.height) {
    return Corrupt("the WebP file is damaged: its animation header is inconsistent");
  }
  uint8_t* rgba = nullptr;
  int timestamp = 0;
  if (!WebPAnimDecoderGetNext(decoder.get(), &rgba, &timestamp) || rgba == nullptr) {
    return Corrupt("the WebP file is damaged: its first frame could not be decoded");
  }
  const size_t count = static_cast<size_t>(image.width) * image.height;
  image.pixels.resize(count * 3);
  for (size_t i = 0; i < count; ++i) {
    image.pixels[3 * i] = rgba[4 * i];
    image.pixels[3 * i + 1] = rgba[4 * i + 1];
    image.pixels[3 * i + 2] = rgba[4 * i + 2];
  }
  return Status::Ok();
}

Status DecodeStill(std::span<const uint8_t> bytes, Image& image) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return Internal("libwebp version mismatch");
  const size_t stride = static_cast<size_t>(image.width) * 3;
  image.pixels.resize(stride * image.height);
  config.output.colorspace = MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = image.pixels.data();
  config.output.u.RGBA.stride = static_cast<int>(stride);
  config.output.u.RGBA.size = image.pixels.size();
  const VP8StatusCode status = WebPDecode(bytes.data(), bytes.size(), &config);
  WebPFreeDecBuffer(&config.output);  // external memory: frees nothing of ours
  return status == VP8_STATUS_OK ? Status::Ok() : FromVp8Status(status);
}

}  // namespace

Result<DecodedImage> DecodeWebp(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  WebPBitstreamFeatures features;
  const VP8StatusCode status = WebPGetFeatures(bytes.data(), bytes.size(), &features);
  if (status != VP8_STATUS_OK) return FromVp8Status(status);
  if (Status s = CheckDimensions(features.width, features.height, options, "WebP"); !s.ok()) {
    return s;
  }
  DecodedImage out;
  out.format = ImageFormat::kWebp;
  out.source_width = features.width;
  out.source_height = features.height;
  out.image.width = features.width;
  out.image.height = features.height;
  out.image.channels = 3;
  const Status decoded =
      features.has_animation ? DecodeFirstFrame(bytes, out.image) : DecodeStill(bytes, out.image);
  if (!decoded.ok()) return decoded;
  return out;
}

}  // namespace takedown::media::internal
