// libFuzzer target over the path every untrusted video takes: sniff, demux, decode, convert, hash,
// and the vPDQ text form. Any crash, sanitizer report, leak or timeout is a bug; an error Status
// is the expected outcome for most inputs.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "video/video.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace takedown;
  const std::span<const uint8_t> bytes(data, size);
  (void)video::LooksLikeVideo(bytes);
  (void)video::ParseVpdq(std::string_view(reinterpret_cast<const char*>(data), size));

  video::VideoHashOptions options;
  // Tight enough that the fuzzer stays fast: the seed clips (a second or two of tiny frames)
  // decode fully, larger claims exercise the limit checks.
  options.seconds_per_hash = 0.5;
  options.limits.max_frame_pixels = 100'000;
  options.limits.max_decoded_frames = 200;
  options.limits.max_hashed_frames = 20;
  options.limits.max_duration_seconds = 60;
  auto record = video::HashVideoBytes(bytes, options);
  if (!record.ok()) return 0;
  if (record->frames.empty() || record->frame_count <= 0 ||
      record->frames.size() > static_cast<size_t>(options.limits.max_hashed_frames)) {
    __builtin_trap();  // a record without frames must have been an error
  }
  int64_t previous = -1;
  for (const auto& f : record->frames) {
    if (f.frame <= previous || f.frame >= record->frame_count) __builtin_trap();
    previous = f.frame;
  }
  auto parsed = video::ParseVpdq(video::FormatVpdq(record->frames));
  if (!parsed.ok() || parsed->size() != record->frames.size()) __builtin_trap();
  return 0;
}
