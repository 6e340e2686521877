// hash_bench: photos per second for `takedown hash` in full and fast mode, beside libjpeg-turbo's
// bare decode of the same files (in process, and the djpeg command), the fast-vs-full distance
// histogram, and the --jobs 2 speed-up. Prints Markdown tables (docs/benchmarks.md holds a run).
//
// Usage: hash_bench --corpus DIR [--work DIR] [--generate N] [--repeat R]
// The corpus is ../shared/tools/fetch-dev-corpus.sh's photos/ folder, mostly WebP and PNG: each
// non-JPEG photo is re-encoded as a baseline JPEG (quality 90) at its own size, and larger JPEGs
// (2x upscales of the corpus photos, quality 90, baseline) are generated into --work so that the
// set also holds the 2-8 megapixel photos phones produce.
#include <turbojpeg.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "hashfile/hash_file.h"

namespace {

namespace fs = std::filesystem;
using namespace takedown;

struct Photo {
  std::string path;
  std::vector<uint8_t> bytes;
  bool baseline = true;  // baseline (sequential) JPEG
  int width = 0, height = 0;
};

double Seconds(const std::function<void()>& fn, int repeat) {
  double best = 1e30;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    best = std::min(best,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

bool IsProgressive(const std::vector<uint8_t>& b) {
  // SOF2 (progressive) marker before the first scan.
  for (size_t i = 2; i + 1 < b.size(); ++i) {
    if (b[i] != 0xFF) continue;
    const uint8_t m = b[i + 1];
    if (m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE) return true;
    if (m == 0xC0 || m == 0xC1 || m == 0xDA) return false;
  }
  return false;
}

std::vector<uint8_t> EncodeJpeg(const std::vector<uint8_t>& pixels, int w, int h, int ch,
                                tjhandle compressor) {
  unsigned char* jpeg = nullptr;
  unsigned long size = 0;
  if (tjCompress2(compressor, pixels.data(), w, 0, h, ch == 1 ? TJPF_GRAY : TJPF_RGB, &jpeg, &size,
                  ch == 1 ? TJSAMP_GRAY : TJSAMP_420, 90, TJFLAG_ACCURATEDCT) != 0) {
    return {};
  }
  std::vector<uint8_t> bytes(jpeg, jpeg + size);
  tjFree(jpeg);
  return bytes;
}

// Bilinear 2x upscale of an RGB or grey image, then JPEG quality 90 4:2:0 baseline.
std::vector<uint8_t> UpscaledJpeg(const media::Image& in, tjhandle compressor) {
  const int w = in.width * 2, h = in.height * 2, ch = in.channels;
  std::vector<uint8_t> out(static_cast<size_t>(w) * h * ch);
  for (int y = 0; y < h; ++y) {
    const float sy = std::max(0.0f, (static_cast<float>(y) + 0.5f) / 2 - 0.5f);
    const int y0 = std::min(static_cast<int>(sy), in.height - 1),
              y1 = std::min(y0 + 1, in.height - 1);
    const float fy = sy - static_cast<float>(y0);
    for (int x = 0; x < w; ++x) {
      const float sx = std::max(0.0f, (static_cast<float>(x) + 0.5f) / 2 - 0.5f);
      const int x0 = std::min(static_cast<int>(sx), in.width - 1),
                x1 = std::min(x0 + 1, in.width - 1);
      const float fx = sx - static_cast<float>(x0);
      for (int c = 0; c < ch; ++c) {
        auto px = [&](int yy, int xx) {
          return static_cast<float>(in.pixels[(static_cast<size_t>(yy) * in.width + xx) * ch + c]);
        };
        const float v = (px(y0, x0) * (1 - fx) + px(y0, x1) * fx) * (1 - fy) +
                        (px(y1, x0) * (1 - fx) + px(y1, x1) * fx) * fy;
        out[(static_cast<size_t>(y) * w + x) * ch + c] = static_cast<uint8_t>(v + 0.5f);
      }
    }
  }
  return EncodeJpeg(out, w, h, ch, compressor);
}

void BareDecode(const std::vector<Photo>& photos, tjhandle decompressor,
                std::vector<uint8_t>& buf) {
  for (const auto& p : photos) {
    int w = 0, h = 0, sub = 0, cs = 0;
    tjDecompressHeader3(decompressor, p.bytes.data(), p.bytes.size(), &w, &h, &sub, &cs);
    buf.resize(static_cast<size_t>(w) * h * 3);
    tjDecompress2(decompressor, p.bytes.data(), p.bytes.size(), buf.data(), w, 0, h, TJPF_RGB,
                  TJFLAG_ACCURATEDCT);
  }
}

void HashAll(const std::vector<Photo>& photos, media::DecodeMode mode, int threads, bool digests,
             bool signals = false) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    hashfile::HashOptions options;
    options.decode.mode = mode;
    options.digests = digests;
    options.signals = signals;
    hashfile::ImageFileHasher hasher(options);
    for (size_t i = next++; i < photos.size(); i = next++) {
      if (!hasher.HashBytes(photos[i].bytes).ok())
        std::fprintf(stderr, "failed: %s\n", photos[i].path.c_str());
    }
  };
  std::vector<std::jthread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
}

double Megapixels(const std::vector<Photo>& photos) {
  double mp = 0;
  for (const auto& p : photos) mp += static_cast<double>(p.width) * p.height / 1e6;
  return mp;
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus, work = "bench-work";
  int generate = 60, repeat = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--corpus")
      corpus = argv[i + 1];
    else if (flag == "--work")
      work = argv[i + 1];
    else if (flag == "--generate")
      generate = std::atoi(argv[i + 1]);
    else if (flag == "--repeat")
      repeat = std::atoi(argv[i + 1]);
  }
  if (corpus.empty() || !fs::is_directory(corpus)) {
    std::fprintf(stderr,
                 "usage: hash_bench --corpus DIR [--work DIR] [--generate N] [--repeat R]\n");
    return 2;
  }
  fs::create_directories(work);

  // Load the corpus; JPEGs go to the JPEG set, every decodable image is a source for generation.
  std::vector<std::string> paths;
  for (const auto& e : fs::directory_iterator(corpus)) paths.push_back(e.path().string());
  std::sort(paths.begin(), paths.end());
  std::vector<Photo> jpegs, all;
  tjhandle compressor = tjInitCompress();
  hashfile::ImageFileHasher probe({});
  int generated = 0;
  for (const auto& path : paths) {
    auto bytes = media::ReadFileLimited(path, 1u << 30);
    if (!bytes.ok()) continue;
    auto decoded = media::DecodeImage(*bytes, {});
    if (!decoded.ok()) continue;
    Photo photo{path, *bytes, true, decoded->source_width, decoded->source_height};
    all.push_back(photo);
    if (decoded->format == media::ImageFormat::kJpeg) {
      photo.baseline = !IsProgressive(photo.bytes);
      jpegs.push_back(photo);
    } else {
      // The corpus is mostly WebP and PNG: the same photos as baseline JPEGs at their own size.
      const media::Image& im = decoded->image;
      auto same = EncodeJpeg(im.pixels, im.width, im.height, im.channels, compressor);
      const std::string out = work + "/x1_" + fs::path(path).stem().string() + ".jpg";
      std::ofstream(out, std::ios::binary)
          .write(reinterpret_cast<const char*>(same.data()),
                 static_cast<std::streamsize>(same.size()));
      jpegs.push_back({out, same, true, im.width, im.height});
    }
    if (generated < generate && std::min(photo.width, photo.height) >= 480) {
      auto big = UpscaledJpeg(decoded->image, compressor);
      const std::string out = work + "/x2_" + fs::path(path).stem().string() + ".jpg";
      std::ofstream(out, std::ios::binary)
          .write(reinterpret_cast<const char*>(big.data()),
                 static_cast<std::streamsize>(big.size()));
      jpegs.push_back({out, big, true, decoded->source_width * 2, decoded->source_height * 2});
      ++generated;
    }
  }
  tjDestroy(compressor);
  std::vector<Photo> baseline;
  for (const auto& p : jpegs) {
    if (p.baseline) baseline.push_back(p);
  }
  std::printf(
      "corpus: %zu images (%.1f MP); JPEG set: %zu files (the corpus JPEGs, every other photo "
      "re-encoded as JPEG, %zu generated 2x upscales), %.1f MP, %zu baseline\n\n",
      all.size(), Megapixels(all), jpegs.size(), static_cast<size_t>(generated), Megapixels(jpegs),
      baseline.size());

  // Single-thread throughput on the JPEG set.
  tjhandle decompressor = tjInitDecompress();
  std::vector<uint8_t> buf;
  const double bare = Seconds([&] { BareDecode(jpegs, decompressor, buf); }, repeat);
  std::string djpeg_list;
  for (const auto& p : jpegs) djpeg_list += " '" + p.path + "'";
  const std::string djpeg_cmd =
      "for f in" + djpeg_list + "; do djpeg -dct int -outfile /dev/null \"$f\" || exit 1; done";
  const double djpeg = Seconds(
      [&] {
        if (std::system(djpeg_cmd.c_str()) != 0) std::fprintf(stderr, "djpeg failed\n");
      },
      repeat);
  const double full = Seconds([&] { HashAll(jpegs, media::DecodeMode::kFull, 1, false); }, repeat);
  const double full_dig =
      Seconds([&] { HashAll(jpegs, media::DecodeMode::kFull, 1, true); }, repeat);
  const double fast = Seconds([&] { HashAll(jpegs, media::DecodeMode::kFast, 1, false); }, repeat);
  const double full2 = Seconds([&] { HashAll(jpegs, media::DecodeMode::kFull, 2, false); }, repeat);
  const double fast2 = Seconds([&] { HashAll(jpegs, media::DecodeMode::kFast, 2, false); }, repeat);
  const double full_signals =
      Seconds([&] { HashAll(jpegs, media::DecodeMode::kFull, 1, false, true); }, repeat);
  const double base_full =
      Seconds([&] { HashAll(baseline, media::DecodeMode::kFull, 1, false); }, repeat);
  const double base_fast =
      Seconds([&] { HashAll(baseline, media::DecodeMode::kFast, 1, false); }, repeat);
  const double all_full =
      Seconds([&] { HashAll(all, media::DecodeMode::kFull, 1, false); }, repeat);
  tjDestroy(decompressor);

  const double n = static_cast<double>(jpegs.size());
  auto row = [&](const char* what, double s, double count, double reference) {
    std::printf("| %-52s | %8.3f | %8.1f | %6.2fx |\n", what, s, count / s, s / reference);
  };
  std::printf(
      "Single thread unless noted; best of %d runs; files preloaded in memory (djpeg reads them "
      "from the page cache).\n\n",
      repeat);
  std::printf("| %-52s | %8s | %8s | %7s |\n", "JPEG set", "seconds", "photos/s", "vs bare");
  std::printf("|%s|---------:|---------:|--------:|\n", std::string(54, '-').c_str());
  row("libjpeg-turbo bare decode to RGB (in process)", bare, n, bare);
  row("djpeg -dct int -outfile /dev/null (one process/file)", djpeg, n, bare);
  row("takedown full: decode + PDQ", full, n, bare);
  row("takedown full: decode + PDQ + MD5 + SHA-256", full_dig, n, bare);
  row("takedown full: decode + PDQ + region signals", full_signals, n, bare);
  row("takedown fast: reduced decode + PDQ", fast, n, bare);
  row("takedown full, 2 threads", full2, n, bare);
  row("takedown fast, 2 threads", fast2, n, bare);
  std::printf("\n| %-52s | %8s | %8s | %7s |\n", "baseline JPEGs only", "seconds", "photos/s",
              "vs full");
  std::printf("|%s|---------:|---------:|--------:|\n", std::string(54, '-').c_str());
  row("takedown full", base_full, static_cast<double>(baseline.size()), base_full);
  row("takedown fast", base_fast, static_cast<double>(baseline.size()), base_full);
  std::printf("\n| %-52s | %8s | %8s |\n", "whole corpus, every format", "seconds", "photos/s");
  std::printf("|%s|---------:|---------:|\n", std::string(54, '-').c_str());
  std::printf("| %-52s | %8.3f | %8.1f |\n", "takedown full", all_full,
              static_cast<double>(all.size()) / all_full);

  std::printf("\nRegion signals (issue 18): full + signals = %.2fx full (target <= 3x).\n",
              full_signals / full);
  std::printf(
      "\nSpeed-ups: full = %.2fx bare decode (target <= 1.5x); fast on baseline = %.2fx faster "
      "than full (target >= 1.5x); --jobs 2 full = %.2fx, fast = %.2fx one job (target >= 1.8x)\n",
      full / bare, base_full / base_fast, full / full2, fast / fast2);

  // Fast-vs-full distance on every JPEG whose full hash is strong enough to match on.
  std::map<int, int> histogram;
  int considered = 0, within8 = 0, scaled = 0, scaled_within8 = 0;
  hashfile::HashOptions full_opts, fast_opts;
  full_opts.digests = fast_opts.digests = false;
  fast_opts.decode.mode = media::DecodeMode::kFast;
  hashfile::ImageFileHasher full_hasher(full_opts), fast_hasher(fast_opts);
  for (const auto& p : jpegs) {
    auto a = full_hasher.HashBytes(p.bytes);
    auto b = fast_hasher.HashBytes(p.bytes);
    if (!a.ok() || !b.ok() || a->pdq.quality < hashing::kMinUsefulQuality) continue;
    const int d = hashing::HammingDistance(a->pdq.hash, b->pdq.hash);
    ++histogram[d];
    ++considered;
    within8 += d <= 8;
    // Fast mode decodes at reduced scale only when the short side is at least 1024.
    if (std::min(p.width, p.height) >= 1024) {
      ++scaled;
      scaled_within8 += d <= 8;
    }
  }
  std::printf(
      "\nfast vs full distance, %d JPEGs with quality >= 50: %.1f%% within 8 bits (target >= "
      "99%%); of the %d that fast mode decoded at reduced scale: %.1f%%\n\n",
      considered, considered ? 100.0 * within8 / considered : 0.0, scaled,
      scaled ? 100.0 * scaled_within8 / scaled : 0.0);
  std::printf("| distance | photos |\n|---:|---:|\n");
  for (auto [d, count] : histogram) std::printf("| %d | %d |\n", d, count);
  return 0;
}
