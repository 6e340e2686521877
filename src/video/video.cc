// HashVideoFile and HashVideoBytes: the byte sources FFmpeg reads through (a file, memory).
#include "video/video.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

#include "video/decode.h"

namespace takedown::video {
namespace {

class SpanSource final : public internal::ByteSource {
 public:
  explicit SpanSource(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  int64_t Read(uint8_t* buffer, int64_t size) override {
    const int64_t n = std::min(size, Size() - position_);
    if (n <= 0) return 0;
    std::memcpy(buffer, bytes_.data() + position_, static_cast<size_t>(n));
    position_ += n;
    return n;
  }
  bool SeekTo(int64_t offset) override {
    if (offset < 0 || offset > Size()) return false;
    position_ = offset;
    return true;
  }
  int64_t Position() const override { return position_; }
  int64_t Size() const override { return static_cast<int64_t>(bytes_.size()); }

 private:
  std::span<const uint8_t> bytes_;
  int64_t position_ = 0;
};

// Reads a file through stdio; FFmpeg itself never sees the path.
class FileSource final : public internal::ByteSource {
 public:
  FileSource(std::FILE* file, int64_t size) : file_(file, &std::fclose), size_(size) {}
  int64_t Read(uint8_t* buffer, int64_t size) override {
    const size_t got = std::fread(buffer, 1, static_cast<size_t>(size), file_.get());
    if (got == 0 && std::ferror(file_.get())) return -1;
    position_ += static_cast<int64_t>(got);
    return static_cast<int64_t>(got);
  }
  bool SeekTo(int64_t offset) override {
    if (offset < 0 || offset > size_) return false;
    if (fseeko(file_.get(), static_cast<off_t>(offset), SEEK_SET) != 0) return false;
    position_ = offset;
    return true;
  }
  int64_t Position() const override { return position_; }
  int64_t Size() const override { return size_; }

 private:
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  int64_t size_;
  int64_t position_ = 0;
};

Status CheckFileSize(uint64_t size, const VideoLimits& limits) {
  if (size > limits.max_file_bytes) {
    return TooLarge("the file is " + std::to_string(size) + " bytes, over the limit of " +
                    std::to_string(limits.max_file_bytes) + " bytes");
  }
  return Status::Ok();
}

}  // namespace

Result<VideoHashRecord> HashVideoFile(const std::filesystem::path& path,
                                      const VideoHashOptions& options) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return NotFound("no such file: " + path.string());
  if (std::filesystem::is_directory(status)) return IoError("is a directory: " + path.string());
  if (!std::filesystem::is_regular_file(status)) {
    return IoError("not a regular file: " + path.string());
  }
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return IoError("cannot read the size of " + path.string() + ": " + ec.message());
  if (Status s = CheckFileSize(size, options.limits); !s.ok()) return s;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    const int err = errno;
    if (err == EACCES || err == EPERM)
      return PermissionDenied("permission denied: " + path.string());
    return IoError("cannot open " + path.string() + ": " + std::strerror(err));
  }
  FileSource source(file, static_cast<int64_t>(size));
  return internal::DecodeAndHash(source, options);
}

Result<VideoHashRecord> HashVideoBytes(std::span<const uint8_t> bytes,
                                       const VideoHashOptions& options) {
  if (Status s = CheckFileSize(bytes.size(), options.limits); !s.ok()) return s;
  SpanSource source(bytes);
  return internal::DecodeAndHash(source, options);
}

}  // namespace takedown::video
