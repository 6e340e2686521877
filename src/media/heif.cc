// HEIF/HEIC (and AVIF, which shares the container) through libheif: the primary image, decoded
// to interleaved 8-bit RGB with its transformations (rotation, mirroring, cropping) ignored, as
// the spec leaves orientation unapplied. Alpha is not requested, so it is dropped; higher bit
// depths are reduced to 8 by libheif. Grey images come out as RGB. Fast mode decodes at full size.
#include <libheif/heif.h>

#include <cstring>
#include <memory>
#include <string>

#include "media/decoders.h"

namespace takedown::media::internal {
namespace {

struct HeifDeleter {
  void operator()(heif_context* p) const { heif_context_free(p); }
  void operator()(const heif_image_handle* p) const { heif_image_handle_release(p); }
  void operator()(const heif_image* p) const { heif_image_release(p); }
  void operator()(heif_decoding_options* p) const { heif_decoding_options_free(p); }
};
template <typename T>
using HeifPtr = std::unique_ptr<T, HeifDeleter>;

// True when the file's top-level boxes run past its end: libheif then reports whichever box it
// missed ("No 'meta' box"), which is a truncation.
bool BoxesRunPastEnd(std::span<const uint8_t> b) {
  auto be = [&](size_t at, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | b[at + i];
    return v;
  };
  size_t pos = 0;
  while (pos < b.size()) {
    if (b.size() - pos < 8) return true;
    uint64_t size = be(pos, 4);
    if (size == 0) return false;  // the last box, running to the end
    if (size == 1) {
      if (b.size() - pos < 16) return true;
      size = be(pos + 8, 8);
    }
    if (size < 8) return false;  // damaged, not short
    if (size > b.size() - pos) return true;
    pos += size;
  }
  return false;
}

Status FromHeifError(const heif_error& error, std::span<const uint8_t> bytes) {
  const std::string detail = error.message != nullptr ? error.message : "unknown error";
  if (error.subcode == heif_suberror_Security_limit_exceeded) {
    return TooLarge("the HEIF file exceeds libheif's safety limits: " + detail);
  }
  if (error.subcode == heif_suberror_End_of_data || BoxesRunPastEnd(bytes)) {
    return Corrupt("the HEIF file is truncated");
  }
  if (error.code == heif_error_Memory_allocation_error) {
    return Internal("out of memory decoding the HEIF file");
  }
  if (error.code == heif_error_Unsupported_filetype ||
      error.code == heif_error_Unsupported_feature) {
    return Unsupported("the HEIF file uses a feature this decoder cannot read: " + detail);
  }
  return Corrupt("the HEIF file is damaged: " + detail);
}

}  // namespace

Result<DecodedImage> DecodeHeif(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  HeifPtr<heif_context> context(heif_context_alloc());
  if (!context) return Internal("libheif could not start");
  heif_error error = heif_context_read_from_memory_without_copy(context.get(), bytes.data(),
                                                                bytes.size(), nullptr);
  if (error.code != heif_error_Ok) return FromHeifError(error, bytes);

  heif_image_handle* raw_handle = nullptr;
  error = heif_context_get_primary_image_handle(context.get(), &raw_handle);
  HeifPtr<const heif_image_handle> handle(raw_handle);
  if (error.code != heif_error_Ok) return FromHeifError(error, bytes);

  // The stored size ('ispe'), which is what an untransformed decode allocates.
  int width = heif_image_handle_get_ispe_width(handle.get());
  int height = heif_image_handle_get_ispe_height(handle.get());
  if (width <= 0 || height <= 0) {
    width = heif_image_handle_get_width(handle.get());
    height = heif_image_handle_get_height(handle.get());
  }
  if (Status s = CheckDimensions(width, height, options, "HEIF"); !s.ok()) return s;

  HeifPtr<heif_decoding_options> decoding(heif_decoding_options_alloc());
  if (!decoding) return Internal("libheif could not start");
  decoding->ignore_transformations = 1;
  decoding->convert_hdr_to_8bit = 1;
  heif_image* raw_image = nullptr;
  error = heif_decode_image(handle.get(), &raw_image, heif_colorspace_RGB,
                            heif_chroma_interleaved_RGB, decoding.get());
  HeifPtr<const heif_image> image(raw_image);
  if (error.code != heif_error_Ok) return FromHeifError(error, bytes);

  int stride = 0;
  const uint8_t* plane =
      heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
  const int out_width = heif_image_get_width(image.get(), heif_channel_interleaved);
  const int out_height = heif_image_get_height(image.get(), heif_channel_interleaved);
  if (plane == nullptr ||
      heif_image_get_bits_per_pixel_range(image.get(), heif_channel_interleaved) != 8) {
    return Corrupt("the HEIF file is damaged: it decoded to no 8-bit RGB image");
  }
  // The decoded size should be the stored one; it is the one that is copied, so check it too.
  if (Status s = CheckDimensions(out_width, out_height, options, "HEIF"); !s.ok()) return s;
  const size_t row_bytes = static_cast<size_t>(out_width) * 3;
  if (stride < 0 || static_cast<size_t>(stride) < row_bytes) {
    return Corrupt("the HEIF file is damaged: its decoded rows are too short");
  }

  DecodedImage out;
  out.format = ImageFormat::kHeif;
  out.source_width = out_width;
  out.source_height = out_height;
  out.image.width = out_width;
  out.image.height = out_height;
  out.image.channels = 3;
  out.image.pixels.resize(row_bytes * out_height);
  for (int y = 0; y < out_height; ++y) {
    std::memcpy(out.image.pixels.data() + row_bytes * y, plane + static_cast<size_t>(stride) * y,
                row_bytes);
  }
  return out;
}

}  // namespace takedown::media::internal
