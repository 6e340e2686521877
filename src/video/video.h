// Video hashing with vPDQ (../shared/spec/pdq.md section 5): FFmpeg's libraries decode the first
// video stream, every frameMod-th frame (decode order) is converted to RGB24 at native size and
// hashed with the PDQ core. Files are read by FFmpeg from a path, or from memory through a custom
// AVIOContext so a crawler never writes media bytes to disk.
//
// Every function here is thread-safe (no shared mutable state); results are plain values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "hashing/pdq.h"

namespace takedown::video {

// What a hostile or absurd file may cost before it is refused with kTooLarge. Checked against the
// container's claims before decoding and against what is decoded as it goes.
struct VideoLimits {
  uint64_t max_file_bytes = 4ull << 30;        // files (not memory) above this are refused
  uint64_t max_frame_pixels = 8192ull * 8192;  // per frame (width * height)
  double max_duration_seconds = 6 * 3600;      // claimed or decoded
  int64_t max_decoded_frames = 2'000'000;      // frames decoded (kept or not)
  int max_hashed_frames = 100'000;             // frame records produced
};

struct VideoHashOptions {
  double seconds_per_hash = 1.0;  // spec: frameMod = max(1, int(seconds_per_hash * fps))
  int decoder_threads = 1;        // FFmpeg's own frame/slice threads for one file
  VideoLimits limits;
  // Also compute each sampled frame's alternate hashes (see AlternateKind).
  bool alternates = true;
  // Called now and then with (seconds decoded, duration in seconds or 0 when unknown).
  std::function<void(double, double)> progress;
};

// Extra hashes of a sampled frame, so that copies edited in ways PDQ is not invariant to still
// match: PDQ moves 60-115 bits when 5% is cropped off each side or black bars are added. They
// are not part of vPDQ (other implementations compute only the frame's own hash, and the .vpdq
// file holds only that); banks store them beside the frame, and matching compares every hash of
// a frame with every hash of the other video's frames (matching/video_match.h).
enum class AlternateKind {
  kContent,   // black borders (letterbox, pillarbox) cut off; only for frames that have them
  kCentre95,  // a ladder of centre crops, a hash matching crops within about 1% of its own:
  kCentre90,  // 95% of each side (2.5% cut off each edge), 90% (5%), 85% (7.5%) and 80% (10%),
  kCentre85,  // so a copy cropped by up to about 11% on every edge still matches
  kCentre80,
};
std::string_view AlternateKindName(AlternateKind kind);  // "content", "centre95", ...

struct AlternateHash {
  AlternateKind kind = AlternateKind::kContent;
  hashing::PdqHash pdq;
};

// One sampled frame: the spec's frame record, plus its alternates.
struct FrameHash {
  int64_t frame = 0;                      // 0-based frame number in decode order
  hashing::PdqHash pdq;                   // hash and quality
  double timestamp = 0;                   // frame / fps, seconds
  std::vector<AlternateHash> alternates;  // empty unless VideoHashOptions::alternates
};

struct VideoHashRecord {
  std::string container;  // FFmpeg's short name: "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", ...
  std::string codec;      // "h264", "vp9", ...
  int width = 0;
  int height = 0;
  double fps = 0;                 // average frame rate (fallback: real frame rate)
  double duration = 0;            // seconds, from the container or the last decoded frame
  int64_t frame_count = 0;        // frames decoded
  std::vector<FrameHash> frames;  // the sampled frames, in order
};

// True when the leading bytes look like a container FFmpeg reads for video (MP4/MOV/3GP ftyp,
// Matroska/WebM, AVI, FLV, MPEG-TS, MPEG-PS, Ogg, ASF/WMV). Never by file name. Image formats
// (including animated GIF/WebP, which media/ decodes) are not videos here.
bool LooksLikeVideo(std::span<const uint8_t> head);

// Hashes the first video stream. Errors: kCorrupt (truncated or undecodable: nothing decoded),
// kUnsupported (no video stream, e.g. audio only; a codec this FFmpeg lacks), kTooLarge (limits),
// kIoError (cannot read). A file whose stream decodes but yields zero frames is kCorrupt.
Result<VideoHashRecord> HashVideoFile(const std::filesystem::path& path,
                                      const VideoHashOptions& options = {});
Result<VideoHashRecord> HashVideoBytes(std::span<const uint8_t> bytes,
                                       const VideoHashOptions& options = {});

// The spec's vPDQ text form: one line per frame "frameNumber,quality,hex64,timestamp" with the
// timestamp to 3 decimals, each line ending in '\n'.
std::string FormatVpdq(const std::vector<FrameHash>& frames);
// Parses that form; a bad line is kInvalidArgument naming its line number. Blank lines are skipped.
Result<std::vector<FrameHash>> ParseVpdq(std::string_view text);

}  // namespace takedown::video
