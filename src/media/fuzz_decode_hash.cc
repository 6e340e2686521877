// libFuzzer target over the path every untrusted image takes: sniff, decode (full and fast), hash,
// region signals.
// Any crash, sanitizer report, leak or timeout is a bug; an error Status is the expected outcome
// for most inputs.
#include <cstddef>
#include <cstdint>

#include "hashing/pdq.h"
#include "hashing/signals.h"
#include "media/media.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace takedown;
  static hashing::PdqHasher hasher;
  static hashing::SignalExtractor extractor;
  for (auto mode : {media::DecodeMode::kFull, media::DecodeMode::kFast}) {
    media::DecodeOptions options;
    options.mode = mode;
    // Small enough that the fuzzer stays fast (hundreds of runs a second): the small seeds decode
    // fully, the large ones exercise header parsing and the limit check.
    options.max_pixels = 300'000;
    auto decoded = media::DecodeImage({data, size}, options);
    if (!decoded.ok()) continue;
    const auto& image = decoded->image;
    if (image.pixels.size() != static_cast<size_t>(image.width) * image.height * image.channels) {
      __builtin_trap();  // a decoder lied about its buffer
    }
    hasher.HashDihedral(image.view());
    auto signals = extractor.Extract(image.view(), true);
    if (signals.ok() &&
        (signals->regions.empty() || signals->variants.size() != signals->regions.size() ||
         signals->content.x + signals->content.width > image.width ||
         signals->content.y + signals->content.height > image.height)) {
      __builtin_trap();  // signals that do not describe the image
    }
  }
  return 0;
}
