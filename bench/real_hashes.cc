#include "real_hashes.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <thread>

#include "media/media.h"

namespace takedown::bench {
namespace {

struct Grey {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;
};

// The photo as grey (PDQ's luminance weights), box-shrunk so its short side is about 256 px:
// variants are hashed many thousand times, and PDQ itself reduces any image to 64 x 64.
Grey ToSmallGrey(const media::Image& im) {
  const int factor = std::max(1, std::min(im.width, im.height) / 256);
  Grey out{im.width / factor, im.height / factor, {}};
  out.pixels.resize(static_cast<size_t>(out.width) * out.height);
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      double sum = 0;
      for (int dy = 0; dy < factor; ++dy) {
        const uint8_t* row =
            im.pixels.data() + (static_cast<size_t>(y) * factor + dy) * im.width * im.channels;
        for (int dx = 0; dx < factor; ++dx) {
          const uint8_t* p = row + (static_cast<size_t>(x) * factor + dx) * im.channels;
          sum += im.channels >= 3 ? 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2] : p[0];
        }
      }
      out.pixels[static_cast<size_t>(y) * out.width + x] =
          static_cast<uint8_t>(std::lround(sum / (factor * factor)));
    }
  }
  return out;
}

Grey Transform(const Grey& in, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0, 1);
  const double keep_x = 0.92 + 0.08 * unit(rng), keep_y = 0.92 + 0.08 * unit(rng);
  const double crop_w = in.width * keep_x, crop_h = in.height * keep_y;
  const double x0 = (in.width - crop_w) * unit(rng), y0 = (in.height - crop_h) * unit(rng);
  const double scale = 0.4 + 0.6 * unit(rng);
  Grey out;
  out.width = std::max(32, static_cast<int>(crop_w * scale));
  out.height = std::max(32, static_cast<int>(crop_h * scale));
  const double contrast = 0.85 + 0.3 * unit(rng), brightness = -15 + 30 * unit(rng);
  const double gamma = 0.85 + 0.35 * unit(rng);
  const int noise = static_cast<int>(unit(rng) * 6);
  uint8_t curve[256];
  for (int v = 0; v < 256; ++v) {
    const double g = 255 * std::pow(v / 255.0, gamma);
    curve[v] =
        static_cast<uint8_t>(std::clamp(contrast * (g - 128) + 128 + brightness, 0.0, 255.0));
  }
  out.pixels.resize(static_cast<size_t>(out.width) * out.height);
  uint32_t lcg = static_cast<uint32_t>(rng());
  for (int y = 0; y < out.height; ++y) {
    const double sy = std::min(y0 + (y + 0.5) * crop_h / out.height, in.height - 1.0);
    const int iy = static_cast<int>(sy);
    const int iy1 = std::min(iy + 1, in.height - 1);
    const double fy = sy - iy;
    for (int x = 0; x < out.width; ++x) {
      const double sx = std::min(x0 + (x + 0.5) * crop_w / out.width, in.width - 1.0);
      const int ix = static_cast<int>(sx);
      const int ix1 = std::min(ix + 1, in.width - 1);
      const double fx = sx - ix;
      auto at = [&](int px, int py) { return in.pixels[static_cast<size_t>(py) * in.width + px]; };
      const double v = (1 - fy) * ((1 - fx) * at(ix, iy) + fx * at(ix1, iy)) +
                       fy * ((1 - fx) * at(ix, iy1) + fx * at(ix1, iy1));
      lcg = lcg * 1664525u + 1013904223u;
      const int jitter = noise == 0 ? 0 : static_cast<int>(lcg >> 24) % (2 * noise + 1) - noise;
      out.pixels[static_cast<size_t>(y) * out.width + x] =
          curve[std::clamp(static_cast<int>(v) + jitter, 0, 255)];
    }
  }
  return out;
}

}  // namespace

RealHashes MakeRealHashes(const std::string& corpus, size_t count, size_t queries, int threads) {
  std::vector<std::string> paths;
  for (const auto& e : std::filesystem::directory_iterator(corpus)) {
    paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Grey> photos;
  for (const auto& path : paths) {
    auto bytes = media::ReadFileLimited(path, 1u << 30);
    if (!bytes.ok()) continue;
    auto decoded = media::DecodeImage(*bytes, {});
    if (!decoded.ok() || std::min(decoded->image.width, decoded->image.height) < 64) continue;
    photos.push_back(ToSmallGrey(decoded->image));
  }
  RealHashes out;
  out.photos = photos.size();
  if (photos.empty()) return out;
  // Every tenth photo is kept out of the stored set.
  std::vector<size_t> stored_photos, held_out;
  for (size_t i = 0; i < photos.size(); ++i) (i % 10 == 9 ? held_out : stored_photos).push_back(i);
  if (held_out.empty()) held_out = stored_photos;

  const size_t variants = (count + 7) / 8;
  out.stored.resize(variants * 8);
  out.queries.resize(queries);
  auto work = [&](int thread) {
    hashing::PdqHasher hasher;
    auto hash = [&](const Grey& g) {
      return hasher.HashDihedral(
          {g.pixels.data(), g.width, g.height, 1, static_cast<size_t>(g.width)});
    };
    // Variant v's randomness depends on v alone, so the set is the same on any thread count.
    for (size_t v = static_cast<size_t>(thread); v < variants; v += static_cast<size_t>(threads)) {
      std::mt19937_64 rng(v);
      const auto dihedral = hash(Transform(photos[stored_photos[v % stored_photos.size()]], rng));
      std::copy(dihedral.hashes.begin(), dihedral.hashes.end(), out.stored.begin() + v * 8);
    }
    for (size_t q = static_cast<size_t>(thread); q < queries; q += static_cast<size_t>(threads)) {
      std::mt19937_64 rng(~q);
      const auto& from = q % 2 == 0 ? stored_photos : held_out;
      out.queries[q] = hash(Transform(photos[from[(q / 2) % from.size()]], rng)).hashes[0];
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
  for (auto& t : pool) t.join();
  out.stored.resize(count);
  return out;
}

}  // namespace takedown::bench
