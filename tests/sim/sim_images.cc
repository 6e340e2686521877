#include "sim/sim_images.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "media/test_encoders.h"

namespace takedown::sim {

Picture Draw(uint64_t seed, int width, int height) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + 1);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  struct Wave {
    double fx, fy, phase, amp[3];
  };
  struct Blob {
    double x, y, r, amp[3];
  };
  std::vector<Wave> waves(6);
  for (Wave& w : waves) {
    w = {unit(rng) * 10 - 5, unit(rng) * 10 - 5, unit(rng) * 6.3, {}};
    for (double& a : w.amp) a = unit(rng) * 50 - 25;
  }
  std::vector<Blob> blobs(10);
  for (Blob& b : blobs) {
    b = {unit(rng), unit(rng), 0.04 + unit(rng) * 0.15, {}};
    for (double& a : b.amp) a = unit(rng) * 180 - 90;
  }
  Picture p{width, height, Bytes(static_cast<size_t>(width) * height * 3)};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const double u = static_cast<double>(x) / width, v = static_cast<double>(y) / height;
      for (int c = 0; c < 3; ++c) {
        double value = 128;
        for (const Wave& w : waves)
          value += w.amp[c] * std::sin(6.283 * (w.fx * u + w.fy * v) + w.phase);
        for (const Blob& b : blobs) {
          const double d2 = (u - b.x) * (u - b.x) + (v - b.y) * (v - b.y);
          value += b.amp[c] * std::exp(-d2 / (b.r * b.r));
        }
        p.rgb[(static_cast<size_t>(y) * width + x) * 3 + c] =
            static_cast<uint8_t>(std::clamp(value, 0.0, 255.0));
      }
    }
  }
  return p;
}

Picture Apply(const Picture& p, Transform t) {
  if (t == Transform::kNone) return p;
  if (t == Transform::kCrop94) {
    // sqrt(0.94) of each side, centred.
    const int w = static_cast<int>(p.width * 0.97), h = static_cast<int>(p.height * 0.97);
    const int x0 = (p.width - w) / 2, y0 = (p.height - h) / 2;
    Picture out{w, h, Bytes(static_cast<size_t>(w) * h * 3)};
    for (int y = 0; y < h; ++y) {
      std::copy_n(p.rgb.begin() + ((static_cast<size_t>(y + y0) * p.width + x0) * 3), w * 3,
                  out.rgb.begin() + static_cast<size_t>(y) * w * 3);
    }
    return out;
  }
  const int bar = std::max(1, static_cast<int>(p.height * 0.08));
  Picture out{p.width, p.height + 2 * bar,
              Bytes(static_cast<size_t>(p.width) * (p.height + 2 * bar) * 3, 0)};
  std::copy(p.rgb.begin(), p.rgb.end(), out.rgb.begin() + static_cast<size_t>(bar) * p.width * 3);
  return out;
}

Bytes EncodePng(const Picture& p) {
  return media::testing::EncodePng(p.width, p.height, 3, p.rgb, false);
}

}  // namespace takedown::sim
