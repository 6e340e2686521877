// The FFmpeg glue of the decode loop (decode_ffmpeg.h): AVIO callbacks over a ByteSource, the
// demuxers accepted, and frames converted to RGB24 and hashed.
#include "video/decode_ffmpeg.h"

#include <algorithm>
#include <cstdio>
#include <mutex>

#include "video/alternates.h"

extern "C" {
#include <libavutil/avutil.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
}

namespace takedown::video::internal {
namespace {

// Demuxers accepted (the containers LooksLikeVideo recognises). Anything else FFmpeg would probe
// (playlists such as HLS or concat that open further files, image sequences, raw streams) is
// refused before it is opened.
constexpr std::string_view kContainers[] = {"mov",    "matroska", "webm", "avi", "flv",
                                            "mpegts", "mpeg",     "ogg",  "asf"};

}  // namespace

void SilenceFfmpeg() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });
}

std::string AvError(int code) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, buf, sizeof buf);
  return buf;
}

int ReadCallback(void* opaque, uint8_t* buf, int size) {
  auto* io = static_cast<IoState*>(opaque);
  const int64_t n = io->source->Read(buf, size);
  if (n < 0) {
    io->failed = true;
    return AVERROR(EIO);
  }
  return n == 0 ? AVERROR_EOF : static_cast<int>(n);
}

int64_t SeekCallback(void* opaque, int64_t offset, int whence) {
  auto* io = static_cast<IoState*>(opaque);
  ByteSource& s = *io->source;
  whence &= ~AVSEEK_FORCE;
  if (whence == AVSEEK_SIZE) return s.Size();
  int64_t base = 0;
  if (whence == SEEK_CUR) {
    base = s.Position();
  } else if (whence == SEEK_END) {
    base = s.Size();
  } else if (whence != SEEK_SET) {
    return AVERROR(EINVAL);
  }
  if ((offset > 0 && base > s.Size() - offset) || base + offset < 0) return AVERROR(EINVAL);
  const int64_t target = base + offset;
  if (target > s.Size()) return AVERROR(EINVAL);
  if (!s.SeekTo(target)) {
    io->failed = true;
    return AVERROR(EIO);
  }
  return target;
}

// FFmpeg must never open another file or URL on the input's behalf.
int RefuseOpen(AVFormatContext*, AVIOContext**, const char*, int, AVDictionary**) {
  return AVERROR(EPERM);
}

bool AcceptedContainer(std::string_view names) {
  // An input format's name may list several ("mov,mp4,m4a,3gp,3g2,mj2").
  while (!names.empty()) {
    const size_t comma = names.find(',');
    const std::string_view name = names.substr(0, comma);
    if (std::find(std::begin(kContainers), std::end(kContainers), name) != std::end(kContainers))
      return true;
    if (comma == std::string_view::npos) break;
    names.remove_prefix(comma + 1);
  }
  return false;
}

std::string Pixels(uint64_t n) { return std::to_string(n) + " pixels"; }

// Converts frames to RGB24 at their own size (swscale, area averaging) and hashes them.
Status FrameHasher::Hash(const AVFrame& frame, bool alternates, FrameHash* out) {
  const int w = frame.width, h = frame.height;
  sws_.reset(sws_getCachedContext(sws_.release(), w, h, static_cast<AVPixelFormat>(frame.format), w,
                                  h, AV_PIX_FMT_RGB24, SWS_AREA, nullptr, nullptr, nullptr));
  if (!sws_) {
    const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame.format));
    return Unsupported(std::string("the video's pixel format ") + (name ? name : "(unknown)") +
                       " cannot be converted to RGB");
  }
  // Rows 64-byte aligned, plus slack: swscale's SIMD paths may write a little past a row.
  const size_t stride = (static_cast<size_t>(w) * 3 + 63) & ~size_t{63};
  rgb_.resize(stride * static_cast<size_t>(h) + 64);
  uint8_t* dst[4] = {rgb_.data(), nullptr, nullptr, nullptr};
  const int dst_stride[4] = {static_cast<int>(stride), 0, 0, 0};
  if (sws_scale(sws_.get(), frame.data, frame.linesize, 0, h, dst, dst_stride) != h) {
    return Internal("converting a video frame to RGB failed");
  }
  const hashing::PixelView view{rgb_.data(), w, h, 3, stride};
  out->pdq = pdq_.Hash(view);
  if (alternates) out->alternates = HashAlternates(pdq_, view);
  return Status::Ok();
}

}  // namespace takedown::video::internal
