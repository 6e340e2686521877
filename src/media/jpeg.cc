// JPEG through libjpeg-turbo's libjpeg API: ISLOW IDCT and fancy upsampling (its defaults), which
// reproduce the reference hashes bit for bit. Fast mode uses libjpeg-turbo's DCT-domain scaling.
#include <csetjmp>
#include <cstdio>
// jpeglib.h needs size_t and FILE declared first.
#include <jerror.h>
#include <jpeglib.h>

#include <algorithm>
#include <memory>
#include <string>

#include "media/decoders.h"

namespace takedown::media::internal {
namespace {

struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  bool truncated;
};

[[noreturn]] void OnError(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// Warnings are silent, except the one that says the data ran out: libjpeg would pad the image with
// grey and carry on, and a hash of half an image is a wrong hash, so a truncated file is an error.
void OnMessage(j_common_ptr cinfo, int level) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
    err->truncated = true;
    std::longjmp(err->jump, 1);
  }
}

// Photoshop's CMYK JPEGs store inverted ink (Adobe marker); converted as Pillow converts CMYK to
// RGB, which is what the reference hashes were computed from.
void CmykRowToRgb(const uint8_t* cmyk, uint8_t* rgb, int width, bool inverted) {
  for (int x = 0; x < width; ++x) {
    int k = cmyk[4 * x + 3];
    if (inverted) k = 255 - k;
    const int nk = 255 - k;
    for (int c = 0; c < 3; ++c) {
      int ink = cmyk[4 * x + c];
      if (inverted) ink = 255 - ink;
      int t = ink * nk + 128;
      t = ((t >> 8) + t) >> 8;
      rgb[3 * x + c] = static_cast<uint8_t>(std::clamp(nk - t, 0, 255));
    }
  }
}

// The smallest scale 1/8, 1/4, 1/2 or 1 that keeps the short side at least 512 pixels, as M/8.
// libjpeg-turbo also offers the other M/8 scales, but their odd-sized IDCTs drift further from the
// full-size hash (measured: up to 20 bits at 3/8 against 4 at 1/2; docs/benchmarks.md).
int FastScaleNumerator(int width, int height) {
  const int short_side = std::min(width, height);
  for (int m = 1; m < 8; m *= 2) {
    if ((static_cast<int64_t>(short_side) * m + 7) / 8 >= 512) return m;
  }
  return 8;
}

// State the decode shares with the error handlers. It lives outside the function that calls
// setjmp, so nothing longjmp returns past is a local that setjmp's caller modified.
struct JpegJob {
  ErrorManager err{};
  DecodedImage out;
  Status failure;
  RowSink* sink = nullptr;
  std::vector<uint8_t> rows;     // a few decoded scanlines at a time
  std::vector<uint8_t> rgb_row;  // one CMYK scanline converted
};

constexpr int kRowsPerRead = 8;

bool RunDecode(jpeg_decompress_struct* cinfo, JpegJob* job, std::span<const uint8_t> bytes,
               const DecodeOptions& options) {
  if (setjmp(job->err.jump)) return false;
  // Created here, after setjmp, because creation itself can fail (out of memory); it zeroes the
  // struct first, so destroying a half-created one is safe.
  jpeg_create_decompress(cinfo);
  jpeg_mem_src(cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(cinfo, TRUE);

  job->failure = CheckDimensions(cinfo->image_width, cinfo->image_height, options, "JPEG");
  if (!job->failure.ok()) return false;
  DecodedImage& out = job->out;
  out.format = ImageFormat::kJpeg;
  out.source_width = static_cast<int>(cinfo->image_width);
  out.source_height = static_cast<int>(cinfo->image_height);

  const bool cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
  if (cinfo->jpeg_color_space == JCS_GRAYSCALE) {
    cinfo->out_color_space = JCS_GRAYSCALE;
  } else if (cmyk) {
    cinfo->out_color_space = JCS_CMYK;
  } else {
    cinfo->out_color_space = JCS_RGB;
  }
  cinfo->dct_method = JDCT_ISLOW;
  if (options.mode == DecodeMode::kFast) {
    cinfo->scale_num =
        static_cast<unsigned>(FastScaleNumerator(out.source_width, out.source_height));
    cinfo->scale_denom = 8;
  }
  jpeg_start_decompress(cinfo);

  const int width = static_cast<int>(cinfo->output_width);
  const int channels = cinfo->out_color_space == JCS_GRAYSCALE ? 1 : 3;
  const size_t row_bytes = static_cast<size_t>(width) * cinfo->output_components;
  // libjpeg-turbo's SIMD colour conversion writes 16-byte-aligned output rows with non-temporal
  // stores, which bypass the cache; the hasher reads each row right away, so it would wait on
  // memory (measured: luminance 4x slower, the whole hash 1.9x of decode instead of 1.5x).
  // Starting every row one byte past alignment makes libjpeg-turbo use ordinary stores.
  const size_t stride = (row_bytes + 63) / 64 * 64;
  job->rows.resize(stride * kRowsPerRead + 1);
  if (cmyk) job->rgb_row.resize(static_cast<size_t>(width) * 3);
  JSAMPROW pointers[kRowsPerRead];
  for (int i = 0; i < kRowsPerRead; ++i) pointers[i] = job->rows.data() + 1 + stride * i;

  job->sink->Begin(width, static_cast<int>(cinfo->output_height), channels);
  while (cinfo->output_scanline < cinfo->output_height) {
    const JDIMENSION got = jpeg_read_scanlines(cinfo, pointers, kRowsPerRead);
    for (JDIMENSION i = 0; i < got; ++i) {
      if (cmyk) {
        CmykRowToRgb(pointers[i], job->rgb_row.data(), width, cinfo->saw_Adobe_marker);
        job->sink->Row(job->rgb_row.data());
      } else {
        job->sink->Row(pointers[i]);
      }
    }
  }
  jpeg_finish_decompress(cinfo);
  return true;
}

}  // namespace

Result<DecodedImage> DecodeJpeg(std::span<const uint8_t> bytes, const DecodeOptions& options,
                                RowSink* sink) {
  auto job = std::make_unique<JpegJob>();
  ImageCollector collector(&job->out.image);
  job->sink = sink != nullptr ? sink : &collector;
  jpeg_decompress_struct cinfo;
  cinfo.err = jpeg_std_error(&job->err.pub);
  job->err.pub.error_exit = OnError;
  job->err.pub.emit_message = OnMessage;
  const bool ok = RunDecode(&cinfo, job.get(), bytes, options);
  jpeg_destroy_decompress(&cinfo);
  if (ok) return std::move(job->out);
  if (!job->failure.ok()) return job->failure;
  if (job->err.truncated) return Corrupt("the JPEG file is truncated");
  if (job->err.pub.msg_code == JERR_BAD_PRECISION) {
    return Unsupported(std::string("the JPEG file uses an unsupported precision: ") +
                       job->err.message);
  }
  return Corrupt(std::string("the JPEG file is damaged: ") + job->err.message);
}

}  // namespace takedown::media::internal
