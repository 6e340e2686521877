// TIFF through libtiff's RGBA interface, first directory only, read from memory. libtiff's messages
// go to a per-file handler (never stderr). The Orientation tag is not applied: the RGBA reader is
// asked for the file's own orientation, which makes it copy rows and columns in storage order.
// Unassociated alpha is relabelled "unspecified" before reading, so that libtiff does not
// premultiply the colours by it; alpha is then dropped. Greyscale comes out as one channel. 16-bit
// samples are reduced by libtiff, which truncates (v >> 8) where PNG rounds: at most one level off.
#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "media/decoders.h"

namespace takedown::media::internal {
namespace {

struct TiffJob {
  MemoryReader reader;
  std::string error;  // libtiff's first error message
  DecodedImage out;
  std::vector<uint32_t> raster;
};

tmsize_t Read(thandle_t handle, void* dest, tmsize_t size) {
  auto* job = static_cast<TiffJob*>(handle);
  if (size <= 0) return 0;
  return static_cast<tmsize_t>(job->reader.Read(dest, static_cast<size_t>(size)));
}

tmsize_t Write(thandle_t, void*, tmsize_t) { return 0; }

toff_t Seek(thandle_t handle, toff_t offset, int whence) {
  auto* job = static_cast<TiffJob*>(handle);
  uint64_t base = 0;
  if (whence == SEEK_CUR) base = job->reader.offset;
  if (whence == SEEK_END) base = job->reader.bytes.size();
  if (offset > UINT64_MAX - base) return static_cast<toff_t>(-1);
  job->reader.offset = base + offset;
  return job->reader.offset;
}

int Close(thandle_t) { return 0; }
toff_t Size(thandle_t handle) { return static_cast<TiffJob*>(handle)->reader.bytes.size(); }
int Map(thandle_t, void**, toff_t*) { return 0; }  // no mapping: libtiff reads through Read
void Unmap(thandle_t, void*, toff_t) {}

int OnError(TIFF*, void* user, const char*, const char* format, va_list args) {
  auto* job = static_cast<TiffJob*>(user);
  if (job->error.empty()) {
    char message[512];
    std::vsnprintf(message, sizeof message, format, args);
    job->error = message;
  }
  return 1;  // handled: libtiff's global handler (stderr) is not called
}

int OnWarning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

Status Failure(const TiffJob& job) {
  if (job.reader.short_read) return Corrupt("the TIFF file is truncated");
  return Corrupt("the TIFF file is damaged: " +
                 (job.error.empty() ? std::string("unreadable data") : job.error));
}

// The RGBA reader premultiplies unassociated alpha into the colours; calling the extra sample
// "unspecified" makes it leave them as stored.
void DisownAlpha(TIFF* tif) {
  uint16_t count = 0;
  uint16_t* kinds = nullptr;
  if (!TIFFGetField(tif, TIFFTAG_EXTRASAMPLES, &count, &kinds) || count == 0) return;
  std::vector<uint16_t> relabelled(kinds, kinds + count);
  for (auto& kind : relabelled) {
    if (kind == EXTRASAMPLE_UNASSALPHA) kind = EXTRASAMPLE_UNSPECIFIED;
  }
  TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, count, relabelled.data());
}

Status RunDecode(TIFF* tif, TiffJob* job, const DecodeOptions& options) {
  uint32_t width = 0, height = 0;
  if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width) ||
      !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height)) {
    return Corrupt("the TIFF file is damaged: it has no image size");
  }
  if (Status s = CheckDimensions(width, height, options, "TIFF"); !s.ok()) return s;
  uint16_t orientation = ORIENTATION_TOPLEFT;
  TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &orientation);
  DisownAlpha(tif);

  char message[1024] = "";
  TIFFRGBAImage rgba;
  if (!TIFFRGBAImageOK(tif, message) || !TIFFRGBAImageBegin(&rgba, tif, 1, message)) {
    if (job->reader.short_read) return Failure(*job);
    return Unsupported(std::string("the TIFF file uses a layout this decoder cannot read: ") +
                       message);
  }
  rgba.req_orientation = orientation;  // = the file's own: nothing is flipped
  // As libtiff reads it (a missing tag with one colour channel means grey).
  const bool grey =
      rgba.photometric == PHOTOMETRIC_MINISBLACK || rgba.photometric == PHOTOMETRIC_MINISWHITE;

  Image& image = job->out.image;
  image.width = static_cast<int>(width);
  image.height = static_cast<int>(height);
  image.channels = grey ? 1 : 3;
  image.pixels.resize(static_cast<size_t>(width) * height * image.channels);

  // Read in bands of whole strips or tile rows, so the 4-byte RGBA raster stays small.
  uint32_t unit = height;
  if (TIFFIsTiled(tif)) {
    TIFFGetField(tif, TIFFTAG_TILELENGTH, &unit);
  } else {
    TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &unit);
  }
  unit = std::clamp<uint32_t>(unit, 1, height);
  const uint64_t units = std::max<uint64_t>(1, (uint64_t{1} << 22) / (uint64_t{unit} * width));
  const auto band = static_cast<uint32_t>(std::min<uint64_t>(units * unit, height));
  job->raster.resize(static_cast<size_t>(band) * width);

  bool ok = true;
  for (uint32_t y = 0; ok && y < height; y += band) {
    const uint32_t rows = std::min(band, height - y);
    rgba.row_offset = static_cast<int>(y);
    ok = TIFFRGBAImageGet(&rgba, job->raster.data(), width, rows) != 0;
    const size_t count = static_cast<size_t>(rows) * width;
    uint8_t* dest = image.pixels.data() + static_cast<size_t>(y) * width * image.channels;
    for (size_t i = 0; ok && i < count; ++i) {
      const uint32_t p = job->raster[i];
      if (grey) {
        dest[i] = static_cast<uint8_t>(TIFFGetR(p));
      } else {
        dest[3 * i] = static_cast<uint8_t>(TIFFGetR(p));
        dest[3 * i + 1] = static_cast<uint8_t>(TIFFGetG(p));
        dest[3 * i + 2] = static_cast<uint8_t>(TIFFGetB(p));
      }
    }
  }
  TIFFRGBAImageEnd(&rgba);
  if (!ok) return Failure(*job);
  job->out.format = ImageFormat::kTiff;
  job->out.source_width = image.width;
  job->out.source_height = image.height;
  return Status::Ok();
}

}  // namespace

Result<DecodedImage> DecodeTiff(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  // Messages libtiff emits without a file handle would otherwise reach stderr.
  static std::once_flag silence_globals;
  std::call_once(silence_globals, [] {
    TIFFSetErrorHandler(nullptr);
    TIFFSetWarningHandler(nullptr);
  });
  auto job = std::make_unique<TiffJob>();
  job->reader.bytes = bytes;
  std::unique_ptr<TIFFOpenOptions, decltype(&TIFFOpenOptionsFree)> open_options(
      TIFFOpenOptionsAlloc(), &TIFFOpenOptionsFree);
  if (!open_options) return Internal("libtiff could not start");
  TIFFOpenOptionsSetErrorHandlerExtR(open_options.get(), OnError, job.get());
  TIFFOpenOptionsSetWarningHandlerExtR(open_options.get(), OnWarning, job.get());
  TIFF* tif = TIFFClientOpenExt("memory", "rm", job.get(), Read, Write, Seek, Close, Size, Map,
                                Unmap, open_options.get());
  if (tif == nullptr) return Failure(*job);
  const Status status = RunDecode(tif, job.get(), options);
  TIFFClose(tif);
  if (!status.ok()) return status;
  return std::move(job->out);
}

}  // namespace takedown::media::internal
