// Internal to video/: the FFmpeg decode loop behind HashVideoFile and HashVideoBytes.
//
// Both entry points hand FFmpeg a ByteSource through a custom AVIOContext, so FFmpeg never opens
// a path (or a URL, or a file a playlist names) by itself and both give the same record for the
// same bytes. Not thread-safe per object: one ByteSource per call.
#pragma once

#include <cstdint>

#include "base/status.h"
#include "video/video.h"

namespace takedown::video::internal {

// Random-access bytes FFmpeg reads through its AVIO callbacks.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes at the current position: the count read, 0 at the end, or -1 on an
  // I/O error.
  virtual int64_t Read(uint8_t* buffer, int64_t size) = 0;
  // Moves to an absolute offset within [0, Size()]; false if it cannot.
  virtual bool SeekTo(int64_t offset) = 0;
  virtual int64_t Position() const = 0;
  virtual int64_t Size() const = 0;
};

// Decodes and hashes the first video stream of `source` (read from offset 0).
Result<VideoHashRecord> DecodeAndHash(ByteSource& source, const VideoHashOptions& options);

// Whether the skip-decoding of non-reference frames was used and kept by the last DecodeAndHash
// call on this thread (for tests and the benchmark; see docs/video.md).
struct DecodeStats {
  int64_t packets = 0;           // video packets sent to the decoder
  int64_t skipped_packets = 0;   // sent with skip_frame = AVDISCARD_NONREF
  int64_t discarded_frames = 0;  // frames the decoder dropped because of that
  bool fell_back = false;        // a consistency check failed: decoded again without skipping
};
DecodeStats LastDecodeStats();

// Test hook: turns the skip-decoding off (false) or back on (true) for calls on this thread.
void SetSkipDecodingForTesting(bool enabled);

}  // namespace takedown::video::internal
