// PNG through libpng's classic API (the simplified API composites alpha and linearises 16-bit
// samples, both of which the spec forbids). Alpha and tRNS are dropped, palettes expanded, 16-bit
// samples scaled (png_set_scale_16 rounds), greyscale kept as one channel. Non-interlaced files
// stream row by row into the sink; interlaced ones (Adam7 needs every pass) are decoded whole
// first.
#include <png.h>

#include <csetjmp>
#include <cstring>
#include <memory>
#include <string>

#include "media/decoders.h"

namespace takedown::media::internal {
namespace {

struct PngJob {
  MemoryReader reader;
  DecodedImage out;
  Status failure;
  std::string message;
  RowSink* sink = nullptr;
  std::vector<uint8_t> pixels;  // one row, or the whole image when interlaced
  std::vector<png_bytep> rows;
};

void ReadFromMemory(png_structp png, png_bytep dest, size_t length) {
  auto* job = static_cast<PngJob*>(png_get_io_ptr(png));
  if (job->reader.Read(dest, length) < length) {
    job->message = "the PNG file is truncated";
    png_error(png, "truncated");
  }
}

void OnError(png_structp png, png_const_charp message) {
  auto* job = static_cast<PngJob*>(png_get_error_ptr(png));
  if (job->message.empty()) job->message = std::string("the PNG file is damaged: ") + message;
  png_longjmp(png, 1);
}

void OnWarning(png_structp, png_const_charp) {}

bool RunDecode(png_structp png, png_infop info, PngJob* job, const DecodeOptions& options) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_read_fn(png, job, ReadFromMemory);
  // Ancillary chunks (text, ICC profiles) may not balloon memory: cap their number and size.
  png_set_chunk_cache_max(png, 1000);
  png_set_chunk_malloc_max(png, 8u << 20);
  png_read_info(png, info);

  png_uint_32 width = 0, height = 0;
  int bit_depth = 0, color_type = 0, interlace = 0;
  png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, nullptr, nullptr);
  job->failure = CheckDimensions(width, height, options, "PNG");
  if (!job->failure.ok()) return false;

  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (bit_depth == 16) png_set_scale_16(png);
  if (color_type & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);

  const int channels = static_cast<int>(png_get_channels(png, info));
  if ((channels != 1 && channels != 3) || png_get_bit_depth(png, info) != 8) {
    job->message = "the PNG file has a pixel layout this decoder cannot reduce to 8-bit RGB";
    return false;
  }
  job->out.source_width = static_cast<int>(width);
  job->out.source_height = static_cast<int>(height);
  const size_t row_bytes = static_cast<size_t>(width) * channels;
  job->sink->Begin(static_cast<int>(width), static_cast<int>(height), channels);
  if (interlace == PNG_INTERLACE_NONE) {
    job->pixels.resize(row_bytes);
    for (png_uint_32 r = 0; r < height; ++r) {
      png_read_row(png, job->pixels.data(), nullptr);
      job->sink->Row(job->pixels.data());
    }
  } else {
    job->pixels.resize(row_bytes * height);
    job->rows.resize(height);
    for (png_uint_32 r = 0; r < height; ++r) job->rows[r] = job->pixels.data() + row_bytes * r;
    png_read_image(png, job->rows.data());
    for (png_uint_32 r = 0; r < height; ++r) job->sink->Row(job->rows[r]);
  }
  // The image data is complete; a damaged chunk after it does not change the pixels.
  return true;
}

}  // namespace

Result<DecodedImage> DecodePng(std::span<const uint8_t> bytes, const DecodeOptions& options,
                               RowSink* sink) {
  auto job = std::make_unique<PngJob>();
  job->reader.bytes = bytes;
  ImageCollector collector(&job->out.image);
  job->sink = sink != nullptr ? sink : &collector;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, job.get(), OnError, OnWarning);
  if (png == nullptr) return Internal("libpng could not start");
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return Internal("libpng could not start");
  }
  // Our own pixel limit applies; lift libpng's default 1M-row cap so it is the one that speaks.
  png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
  const bool ok = RunDecode(png, info, job.get(), options);
  png_destroy_read_struct(&png, &info, nullptr);
  if (ok) {
    job->out.format = ImageFormat::kPng;
    return std::move(job->out);
  }
  if (!job->failure.ok()) return job->failure;
  return Corrupt(job->message.empty() ? "the PNG file is damaged" : job->message);
}

}  // namespace takedown::media::internal
