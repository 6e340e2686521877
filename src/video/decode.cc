// The FFmpeg side of vPDQ: open through a custom AVIOContext, pick the video stream, decode with
// non-reference frames skipped where that keeps the numbering exact, convert the sampled frames to
// RGB24 and hash them (the FFmpeg glue for that is in decode_ffmpeg.cc). See docs/video.md.
#include "video/decode.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "video/decode_ffmpeg.h"
#include "video/frame_numbering.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswscale/swscale.h>
}

namespace takedown::video::internal {
namespace {

// Codecs whose skip_frame = AVDISCARD_NONREF drops exactly the frames no other frame refers to
// and leaves the output order of the rest unchanged.
constexpr AVCodecID kSkipCodecs[] = {AV_CODEC_ID_H264, AV_CODEC_ID_HEVC, AV_CODEC_ID_MPEG1VIDEO,
                                     AV_CODEC_ID_MPEG2VIDEO, AV_CODEC_ID_MPEG4};

// Packets read ahead of the one being sent, so that its frame's number is known before deciding
// whether the decoder may discard it: more than any decoder's reordering depth (16 for H.264).
constexpr size_t kLookahead = 32;
constexpr int kIoBufferSize = 64 * 1024;

thread_local DecodeStats last_stats;
thread_local bool skip_enabled = true;

// One pass over the file. `allow_skip` false decodes every frame.
class Decoder {
 public:
  Decoder(ByteSource& source, const VideoHashOptions& options, bool allow_skip)
      : options_(options), limits_(options.limits), allow_skip_(allow_skip) {
    io_state_.source = &source;
  }

  // The record, or an error; *retry is set when the skip bookkeeping broke and the caller must
  // decode again without skipping.
  Result<VideoHashRecord> Run(bool* retry);
  const DecodeStats& stats() const { return stats_; }

 private:
  Status Open();
  Status ReadAhead();
  Status Send(AVPacket* packet);
  Status Drain();
  Status OnFrame(const AVFrame& frame);
  Status IoOr(Status status) const {
    return io_state_.failed ? IoError("reading the video failed") : status;
  }

  const VideoHashOptions& options_;
  const VideoLimits& limits_;
  const bool allow_skip_;
  IoState io_state_;
  std::unique_ptr<AVIOContext, IoContextFree> io_;
  std::unique_ptr<AVFormatContext, FormatClose> format_;
  std::unique_ptr<AVCodecContext, CodecFree> codec_;
  std::unique_ptr<AVFrame, FrameFree> frame_;
  AVStream* stream_ = nullptr;
  bool skip_codec_ = false;
  double fps_ = 0;
  double claimed_duration_ = 0;
  int64_t frame_mod_ = 1;
  std::unique_ptr<FrameNumberer> numbering_;
  std::deque<PacketPtr> queue_;
  bool demux_done_ = false;
  int64_t packets_read_ = 0;
  bool first_frame_seen_ = false;
  FrameHasher hasher_;
  VideoHashRecord record_;
  DecodeStats stats_;
};

Status Decoder::Open() {
  auto* buffer = static_cast<uint8_t*>(av_malloc(kIoBufferSize));
  if (!buffer) return Internal("out of memory opening the video");
  io_.reset(avio_alloc_context(buffer, kIoBufferSize, 0, &io_state_, &ReadCallback, nullptr,
                               &SeekCallback));
  if (!io_) {
    av_free(buffer);
    return Internal("out of memory opening the video");
  }

  const AVInputFormat* input_format = nullptr;
  if (av_probe_input_buffer2(io_.get(), &input_format, "", nullptr, 0, 0) < 0 || !input_format) {
    return IoOr(Unsupported("the file is not in a video container this build reads"));
  }
  if (!AcceptedContainer(input_format->name)) {
    return Unsupported(std::string("the file is in the ") + input_format->name +
                       " format, not a video container this build reads");
  }

  AVFormatContext* format = avformat_alloc_context();
  if (!format) return Internal("out of memory opening the video");
  format->pb = io_.get();
  format->flags |= AVFMT_FLAG_CUSTOM_IO;
  format->io_open = &RefuseOpen;
  const int opened = avformat_open_input(&format, "", input_format, nullptr);
  if (opened < 0) {  // avformat_open_input freed `format`
    return IoOr(Corrupt(std::string("the ") + input_format->name +
                        " file is damaged or truncated (" + AvError(opened) + ")"));
  }
  format_.reset(format);
  record_.container = format->iformat->name;

  if (avformat_find_stream_info(format, nullptr) < 0 && format->nb_streams == 0) {
    return IoOr(Corrupt("the video file is damaged or truncated: no stream could be read"));
  }

  const AVCodec* decoder = nullptr;
  int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
  if (index >= 0 && (format->streams[index]->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
    // Cover art is an image, not video: take the first real video stream instead, if any.
    index = AVERROR_STREAM_NOT_FOUND;
    for (unsigned i = 0; i < format->nb_streams; ++i) {
      const AVStream* st = format->streams[i];
      if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
          !(st->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
        decoder = avcodec_find_decoder(st->codecpar->codec_id);
        index = decoder ? static_cast<int>(i) : AVERROR_DECODER_NOT_FOUND;
        break;
      }
    }
  }
  if (index == AVERROR_DECODER_NOT_FOUND) {
    for (unsigned i = 0; i < format->nb_streams; ++i) {
      const AVStream* st = format->streams[i];
      if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
          !(st->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
        return Unsupported(std::string("the video codec ") +
                           avcodec_get_name(st->codecpar->codec_id) +
                           " is not supported by this build");
      }
    }
    index = AVERROR_STREAM_NOT_FOUND;
  }
  if (index < 0 || !decoder) return Unsupported("the file has no video stream");

  stream_ = format->streams[index];
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    if (static_cast<int>(i) != index) format->streams[i]->discard = AVDISCARD_ALL;
  }
  const AVCodecParameters& par = *stream_->codecpar;
  record_.codec = avcodec_get_name(par.codec_id);
  record_.width = par.width;
  record_.height = par.height;

  const uint64_t pixels = static_cast<uint64_t>(std::max(par.width, 0)) *
                          static_cast<uint64_t>(std::max(par.height, 0));
  if (pixels > limits_.max_frame_pixels) {
    return TooLarge("the video's frames are " + std::to_string(par.width) + "x" +
                    std::to_string(par.height) + ", over the limit of " +
                    Pixels(limits_.max_frame_pixels));
  }

  AVRational rate = stream_->avg_frame_rate;
  if (rate.num <= 0 || rate.den <= 0) rate = stream_->r_frame_rate;
  fps_ = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
  if (!(fps_ > 0) || !std::isfinite(fps_)) {
    return Corrupt("the video stream does not state a frame rate");
  }
  record_.fps = fps_;
  const double mod = std::floor(options_.seconds_per_hash * fps_);
  frame_mod_ = mod < 1      ? 1
               : mod > 1e15 ? int64_t{1'000'000'000'000'000}
                            : static_cast<int64_t>(mod);
  numbering_ = std::make_unique<FrameNumberer>(frame_mod_);

  if (stream_->duration != AV_NOPTS_VALUE && stream_->duration > 0) {
    claimed_duration_ = static_cast<double>(stream_->duration) * av_q2d(stream_->time_base);
  } else if (format->duration != AV_NOPTS_VALUE && format->duration > 0) {
    claimed_duration_ = static_cast<double>(format->duration) / AV_TIME_BASE;
  }
  if (!std::isfinite(claimed_duration_) || claimed_duration_ < 0) claimed_duration_ = 0;
  if (claimed_duration_ > limits_.max_duration_seconds) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "the video lasts %.0f seconds, over the limit of %g seconds",
                  claimed_duration_, limits_.max_duration_seconds);
    return TooLarge(buf);
  }

  codec_.reset(avcodec_alloc_context3(decoder));
  if (!codec_) return Internal("out of memory opening the video decoder");
  if (avcodec_parameters_to_context(codec_.get(), &par) < 0) {
    return Corrupt("the video stream's parameters are invalid");
  }
  codec_->pkt_timebase = stream_->time_base;
  codec_->thread_count = std::max(1, options_.decoder_threads);
  codec_->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  // FFmpeg refuses to allocate much larger frames itself (the header's size may understate
  // them). It counts the coded size, which codecs align up (H.264 to 16 rows and columns, HEVC to
  // 64): hence the slack; OnFrame checks the exact limit on the size that is hashed.
  constexpr uint64_t kMaxInt64 = std::numeric_limits<int64_t>::max();
  const uint64_t limit = std::min(limits_.max_frame_pixels, kMaxInt64 / 4);
  codec_->max_pixels = static_cast<int64_t>(2 * limit + (1 << 20));
  const int codec_opened = avcodec_open2(codec_.get(), decoder, nullptr);
  if (codec_opened < 0) {
    return Unsupported(std::string("the video decoder for ") + record_.codec +
                       " could not be opened (" + AvError(codec_opened) + ")");
  }
  skip_codec_ = allow_skip_ && frame_mod_ > 1 &&
                std::find(std::begin(kSkipCodecs), std::end(kSkipCodecs), par.codec_id) !=
                    std::end(kSkipCodecs);

  frame_.reset(av_frame_alloc());
  if (!frame_) return Internal("out of memory opening the video decoder");
  return Status::Ok();
}

// Fills the lookahead queue with the video stream's packets.
Status Decoder::ReadAhead() {
  while (!demux_done_ && queue_.size() < kLookahead) {
    PacketPtr packet(av_packet_alloc());
    if (!packet) return Internal("out of memory reading the video");
    const int rc = av_read_frame(format_.get(), packet.get());
    if (rc < 0) {
      // The end, or damage past which nothing can be read: decode what was read.
      if (io_state_.failed) return IoError("reading the video failed");
      demux_done_ = true;
      break;
    }
    if (packet->stream_index != stream_->index) continue;
    // A packet rarely yields more than one frame; many more packets than the frame limit means a
    // file of empty or undecodable packets.
    if ((++packets_read_ - 1000) / 2 > limits_.max_decoded_frames) {
      return TooLarge("the video has more than " + std::to_string(limits_.max_decoded_frames) +
                      " frames, the limit");
    }
    queue_.push_back(std::move(packet));
  }
  return Status::Ok();
}

Status Decoder::Drain() {
  for (int errors = 0; errors < 1000;) {
    const int rc = avcodec_receive_frame(codec_.get(), frame_.get());
    if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return Status::Ok();
    if (rc < 0) {  // a damaged frame: the decoder dropped it and moves on
      ++errors;
      continue;
    }
    Status status = OnFrame(*frame_);
    av_frame_unref(frame_.get());
    if (!status.ok() || numbering_->broken()) return status;
  }
  return Status::Ok();
}

Status Decoder::Send(AVPacket* packet) {
  for (int attempt = 0; attempt < 64; ++attempt) {
    const int rc = avcodec_send_packet(codec_.get(), packet);
    if (rc != AVERROR(EAGAIN)) break;  // sent, or refused as damaged (skipped)
    if (Status s = Drain(); !s.ok() || numbering_->broken()) return s;
  }
  return Drain();
}

Status Decoder::OnFrame(const AVFrame& frame) {
  const int64_t number = numbering_->Output(frame.pts);
  if (number < 0) return Status::Ok();  // broken: the caller decodes again
  if (numbering_->frame_count() > limits_.max_decoded_frames) {
    return TooLarge("the video has more than " + std::to_string(limits_.max_decoded_frames) +
                    " frames, the limit");
  }
  const double timestamp = static_cast<double>(number) / fps_;
  if (timestamp > limits_.max_duration_seconds) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "the video lasts over %g seconds, the limit",
                  limits_.max_duration_seconds);
    return TooLarge(buf);
  }
  const uint64_t pixels = static_cast<uint64_t>(std::max(frame.width, 0)) *
                          static_cast<uint64_t>(std::max(frame.height, 0));
  if (pixels > limits_.max_frame_pixels) {
    return TooLarge("a video frame is " + std::to_string(frame.width) + "x" +
                    std::to_string(frame.height) + ", over the limit of " +
                    Pixels(limits_.max_frame_pixels));
  }
  if (!first_frame_seen_) {
    first_frame_seen_ = true;
    record_.width = frame.width;  // the size that is hashed, when the header disagrees
    record_.height = frame.height;
  }
  if (number % frame_mod_ != 0) return Status::Ok();
  if (static_cast<int64_t>(record_.frames.size()) >= limits_.max_hashed_frames) {
    return TooLarge("the video yields more than " + std::to_string(limits_.max_hashed_frames) +
                    " hashed frames, the limit");
  }
  FrameHash sampled;
  sampled.frame = number;
  sampled.timestamp = timestamp;
  if (Status s = hasher_.Hash(frame, options_.alternates, &sampled); !s.ok()) return s;
  record_.frames.push_back(std::move(sampled));
  if (options_.progress) options_.progress(timestamp, claimed_duration_);
  return Status::Ok();
}

Result<VideoHashRecord> Decoder::Run(bool* retry) {
  *retry = false;
  if (Status s = Open(); !s.ok()) return s;
  std::vector<int64_t> later;
  for (;;) {
    if (Status s = ReadAhead(); !s.ok()) return s;
    if (queue_.empty()) break;
    PacketPtr packet = std::move(queue_.front());
    queue_.pop_front();
    // A packet flagged "discard" (before the start of an MP4 edit list) is decoded, as frames
    // after it may refer to it, but its frame is never output: it has no frame number.
    const bool output = !(packet->flags & AV_PKT_FLAG_DISCARD);
    bool skip = false;
    if (skip_codec_ && !(packet->flags & (AV_PKT_FLAG_KEY | AV_PKT_FLAG_CORRUPT))) {
      later.clear();
      for (const auto& p : queue_) {
        if (!(p->flags & AV_PKT_FLAG_DISCARD)) later.push_back(p->pts);
      }
      skip = !output || numbering_->MaySkip(packet->pts, later);
    }
    codec_->skip_frame = skip ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
    if (output) numbering_->Sent(packet->pts, skip);
    ++stats_.packets;
    stats_.skipped_packets += skip ? 1 : 0;
    if (Status s = Send(packet.get()); !s.ok()) return s;
    if (numbering_->broken()) {
      *retry = true;
      return Internal("the frame numbering broke while skipping frames");
    }
  }
  codec_->skip_frame = AVDISCARD_DEFAULT;
  if (Status s = Send(nullptr); !s.ok()) return s;  // flush the decoder's delayed frames
  if (!numbering_->Finish()) {
    *retry = true;
    return Internal("the frame numbering broke while skipping frames");
  }
  stats_.discarded_frames = numbering_->discarded();
  record_.frame_count = numbering_->frame_count();
  if (record_.frame_count == 0) {
    return IoOr(Corrupt("no frame of the " + record_.codec + " video stream could be decoded"));
  }
  record_.duration =
      claimed_duration_ > 0 ? claimed_duration_ : static_cast<double>(record_.frame_count) / fps_;
  if (options_.progress) options_.progress(record_.duration, claimed_duration_);
  return std::move(record_);
}

}  // namespace

Result<VideoHashRecord> DecodeAndHash(ByteSource& source, const VideoHashOptions& options) {
  SilenceFfmpeg();
  last_stats = {};
  if (!(options.seconds_per_hash > 0) || !std::isfinite(options.seconds_per_hash)) {
    return InvalidArgument("seconds per hash must be a positive number");
  }
  if (source.Size() == 0) return Corrupt("the video file is empty");
  bool retry = false;
  {
    Decoder decoder(source, options, skip_enabled);
    auto result = decoder.Run(&retry);
    last_stats = decoder.stats();
    if (!retry) return result;
  }
  // The skip bookkeeping found the decoder's output inconsistent with the timestamps: decode
  // again, every frame, so the numbering is the plain output count.
  if (!source.SeekTo(0)) return IoError("reading the video failed");
  Decoder decoder(source, options, false);
  auto result = decoder.Run(&retry);
  last_stats = decoder.stats();
  last_stats.fell_back = true;
  return result;
}

DecodeStats LastDecodeStats() { return last_stats; }

void SetSkipDecodingForTesting(bool enabled) { skip_enabled = enabled; }

}  // namespace takedown::video::internal
