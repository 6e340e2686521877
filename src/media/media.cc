#include "media/media.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "media/decoders.h"

namespace takedown::media {

std::string_view ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "jpeg";
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kWebp:
      return "webp";
    case ImageFormat::kGif:
      return "gif";
    case ImageFormat::kTiff:
      return "tiff";
    case ImageFormat::kHeif:
      return "heif";
    case ImageFormat::kBmp:
      return "bmp";
    case ImageFormat::kPnm:
      return "pnm";
    case ImageFormat::kUnknown:
      break;
  }
  return "unknown";
}

ImageFormat SniffImageFormat(std::span<const uint8_t> b) {
  auto starts = [&](std::string_view magic, size_t at = 0) {
    return b.size() >= at + magic.size() &&
           std::memcmp(b.data() + at, magic.data(), magic.size()) == 0;
  };
  if (starts("\xFF\xD8\xFF")) return ImageFormat::kJpeg;
  if (starts("\x89PNG\r\n\x1A\n")) return ImageFormat::kPng;
  if (starts("RIFF") && starts("WEBP", 8)) return ImageFormat::kWebp;
  if (starts("GIF87a") || starts("GIF89a")) return ImageFormat::kGif;
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4))) {
    return ImageFormat::kTiff;
  }
  // ISO base media file: 'ftyp' box whose brand names an image (HEIF/HEIC/AVIF) file.
  if (starts("ftyp", 4) && b.size() >= 12) {
    for (std::string_view brand :
         {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis"}) {
      if (starts(brand, 8)) return ImageFormat::kHeif;
    }
  }
  if (starts("BM")) return ImageFormat::kBmp;
  // Netpbm: P1..P6 followed by whitespace.
  if (b.size() >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6' &&
      (b[2] == ' ' || b[2] == '\n' || b[2] == '\r' || b[2] == '\t')) {
    return ImageFormat::kPnm;
  }
  return ImageFormat::kUnknown;
}

Result<DecodedImage> DecodeImage(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  if (bytes.empty()) return Corrupt("the file is empty");
  const ImageFormat format = SniffImageFormat(bytes);
  switch (format) {
    case ImageFormat::kJpeg:
      return internal::DecodeJpeg(bytes, options, nullptr);
    case ImageFormat::kPng:
      return internal::DecodePng(bytes, options, nullptr);
    case ImageFormat::kWebp:
      return internal::DecodeWebp(bytes, options);
    case ImageFormat::kGif:
      return internal::DecodeGif(bytes, options);
    case ImageFormat::kTiff:
      return internal::DecodeTiff(bytes, options);
    case ImageFormat::kHeif:
      return internal::DecodeHeif(bytes, options);
    case ImageFormat::kBmp:
    case ImageFormat::kPnm:
      return internal::DecodeBmpOrPnm(bytes, options, format);
    case ImageFormat::kUnknown:
      break;
  }
  return Unsupported(
      "not an image in a supported format (JPEG, PNG, WebP, GIF, TIFF, HEIF, BMP, PNM)");
}

Result<DecodedImage> DecodeImageRows(std::span<const uint8_t> bytes, const DecodeOptions& options,
                                     RowSink& sink) {
  switch (SniffImageFormat(bytes)) {
    case ImageFormat::kJpeg:
      return internal::DecodeJpeg(bytes, options, &sink);
    case ImageFormat::kPng:
      return internal::DecodePng(bytes, options, &sink);
    default:
      break;
  }
  auto decoded = DecodeImage(bytes, options);
  if (!decoded.ok()) return decoded;
  const Image& image = decoded->image;
  sink.Begin(image.width, image.height, image.channels);
  const size_t row_bytes = static_cast<size_t>(image.width) * image.channels;
  for (int r = 0; r < image.height; ++r) sink.Row(image.pixels.data() + row_bytes * r);
  decoded->image = Image{};
  return decoded;
}

namespace internal {

size_t MemoryReader::Read(void* dest, size_t n) {
  const uint64_t left = offset < bytes.size() ? bytes.size() - offset : 0;
  const size_t copied = static_cast<size_t>(std::min<uint64_t>(n, left));
  if (copied < n) short_read = true;
  if (copied > 0) std::memcpy(dest, bytes.data() + offset, copied);
  offset += copied;
  return copied;
}

void ImageCollector::Begin(int width, int height, int channels) {
  image_->width = width;
  image_->height = height;
  image_->channels = channels;
  row_bytes_ = static_cast<size_t>(width) * channels;
  image_->pixels.clear();
  image_->pixels.reserve(row_bytes_ * height);
}

void ImageCollector::Row(const uint8_t* pixels) {
  image_->pixels.insert(image_->pixels.end(), pixels, pixels + row_bytes_);
}

Status CheckDimensions(int64_t width, int64_t height, const DecodeOptions& options,
                       std::string_view format) {
  if (width <= 0 || height <= 0) {
    return Corrupt("the " + std::string(format) + " file declares an empty image (" +
                   std::to_string(width) + "x" + std::to_string(height) + ")");
  }
  const uint64_t pixels = static_cast<uint64_t>(width) * static_cast<uint64_t>(height);
  if (pixels > options.max_pixels) {
    return TooLarge("the image is " + std::to_string(width) + "x" + std::to_string(height) +
                    " pixels, over the limit of " + std::to_string(options.max_pixels) + " pixels");
  }
  return Status::Ok();
}

}  // namespace internal

Result<std::vector<uint8_t>> ReadFileLimited(const std::filesystem::path& path,
                                             uint64_t max_bytes) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return NotFound("no such file: " + path.string());
  }
  if (std::filesystem::is_directory(status)) return IoError("is a directory: " + path.string());
  if (!std::filesystem::is_regular_file(status)) {
    return IoError("not a regular file: " + path.string());
  }
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return IoError("cannot read the size of " + path.string() + ": " + ec.message());
  if (size > max_bytes) {
    return TooLarge("the file is " + std::to_string(size) + " bytes, over the limit of " +
                    std::to_string(max_bytes) + " bytes");
  }
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    const int err = errno;
    if (err == EACCES || err == EPERM)
      return PermissionDenied("permission denied: " + path.string());
    return IoError("cannot open " + path.string() + ": " + std::strerror(err));
  }
  std::vector<uint8_t> bytes(size);
  const size_t got = std::fread(bytes.data(), 1, bytes.size(), file.get());
  if (got != size) return IoError("could not read all of " + path.string());
  return bytes;
}

}  // namespace takedown::media
