// Internal to video/: the FFmpeg glue of the decode loop (decode.cc): the custom AVIOContext's
// callbacks over a ByteSource, the demuxers accepted, owners for FFmpeg's objects, and the
// frame-to-RGB conversion that hashes each sampled frame.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hashing/pdq.h"
#include "video/decode.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

namespace takedown::video::internal {

// Quiets FFmpeg's logging, once per process.
void SilenceFfmpeg();
// FFmpeg's text for an AVERROR code.
std::string AvError(int code);

// The ByteSource behind the custom AVIOContext, and whether it reported an I/O error.
struct IoState {
  ByteSource* source = nullptr;
  bool failed = false;  // the source reported an I/O error
};
// The AVIOContext's read and seek callbacks over an IoState.
int ReadCallback(void* opaque, uint8_t* buf, int size);
int64_t SeekCallback(void* opaque, int64_t offset, int whence);
// FFmpeg must never open another file or URL on the input's behalf.
int RefuseOpen(AVFormatContext*, AVIOContext**, const char*, int, AVDictionary**);

struct IoContextFree {
  void operator()(AVIOContext* io) const {
    av_freep(&io->buffer);
    avio_context_free(&io);
  }
};
struct FormatClose {
  void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};
struct CodecFree {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct PacketFree {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FrameFree {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct SwsFree {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};
using PacketPtr = std::unique_ptr<AVPacket, PacketFree>;

// Whether an input format's names hold one of the demuxers accepted (the containers LooksLikeVideo
// recognises).
bool AcceptedContainer(std::string_view names);

// "N pixels", for messages.
std::string Pixels(uint64_t n);

// Converts frames to RGB24 at their own size (swscale, area averaging) and hashes them.
class FrameHasher {
 public:
  // The frame's hash into out->pdq, and its alternates when asked.
  Status Hash(const AVFrame& frame, bool alternates, FrameHash* out);

 private:
  std::unique_ptr<SwsContext, SwsFree> sws_;
  std::vector<uint8_t> rgb_;
  hashing::PdqHasher pdq_;
};

}  // namespace takedown::video::internal
