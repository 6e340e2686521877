// Prints the PDQ hashes and the region signals (hashing/signals.h, with their dihedral variants)
// of deterministic pixel patterns in several sizes, grey and RGB, some with borders to trim. Built
// natively by CMake and for WebAssembly by em++ (check-wasm.sh): the two outputs must be equal,
// which shows the hashing core builds for the browser and computes the same bits there.
#include <cstdio>
#include <vector>

#include "hashing/pdq.h"
#include "hashing/signals.h"

int main() {
  takedown::hashing::PdqHasher hasher;
  takedown::hashing::SignalExtractor extractor;
  const int sizes[][2] = {{5, 5}, {64, 64}, {333, 251}, {1001, 17}, {640, 480}, {1600, 1004}};
  for (const auto& size : sizes) {
    const int w = size[0], h = size[1];
    for (int channels : {1, 3}) {
      std::vector<uint8_t> px(static_cast<size_t>(w) * h * channels);
      uint32_t state = 2463534242u;
      for (size_t i = 0; i < px.size(); ++i) {
        state ^= state << 13, state ^= state >> 17, state ^= state << 5;  // xorshift32
        const size_t pixel = i / channels;
        const int x = static_cast<int>(pixel % w), y = static_cast<int>(pixel / w);
        px[i] = static_cast<uint8_t>(((x * 5 + y * 3) & 0xF0) ^ (state & 0x1F));
        // A black band over the top eighth: a border for the signals to trim.
        if (y < h / 8) px[i] = 0;
      }
      const auto result =
          hasher.HashDihedral({px.data(), w, h, channels, static_cast<size_t>(w) * channels});
      std::printf("%dx%dx%d q=%d", w, h, channels, result.quality);
      for (const auto& variant : result.hashes) std::printf(" %s", variant.ToHex().c_str());
      std::printf("\n");
      const takedown::hashing::PixelView view{px.data(), w, h, channels,
                                              static_cast<size_t>(w) * channels};
      const auto signals = extractor.Extract(view, true);
      if (!signals.ok()) {
        std::printf("  signals: %s\n", signals.status().message().c_str());
        continue;
      }
      std::printf("  box %d %d %d %d\n", signals->content.x, signals->content.y,
                  signals->content.width, signals->content.height);
      for (size_t r = 0; r < signals->regions.size(); ++r) {
        const auto& region = signals->regions[r];
        std::printf("  %s q=%d", takedown::hashing::RegionName(region.region).c_str(),
                    region.quality);
        for (const auto& variant : signals->variants[r])
          std::printf(" %s", variant.ToHex().c_str());
        std::printf("\n");
      }
    }
  }
  return 0;
}
