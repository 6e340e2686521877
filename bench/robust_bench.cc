// robust_bench (issue 18): how many transformed copies of the dev corpus's photos are matched to
// their own original, and how many to anything else, by today's PDQ (--dihedral) and by PDQ plus
// the region signals (hashing/signals.h, matching/region_bank.h). Prints Markdown tables.
//
// The photos are split by position into half A (where the thresholds in region_bank.h were
// chosen) and half B (held out: reported, never tuned on). For each half, the bank holds that
// half's originals plus --unrelated signal sets of images cut from the other half's photos (crops
// of 15-45%, rescaled, mirrored, tinted, paired: unrelated to every banked original), and every
// banked photo is transformed by every transform of the suite (robust_transforms.h) once, saved as
// a JPEG, and matched. A match to anything but its own original is a false match.
//
// Usage: robust_bench --corpus DIR [--unrelated N] [--threads T] [--region-radius R]
//                     [--strong-radius S] [--min-region-quality Q] [--halves AB]
//                     [--crawler-queries 0|1]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "hashing/dct.h"
#include "hashing/signals.h"
#include "matching/region_bank.h"
#include "media/media.h"
#include "robust_transforms.h"

namespace {

using namespace takedown;
using bench::Rgb;

struct Flags {
  std::string corpus;
  size_t unrelated = 100'000;
  unsigned threads = 2;
  std::string halves = "AB";
  // Queries as the crawler makes them (discovery/url_check.cc): the whole content and collage
  // cells only, without their mirror variants.
  bool crawler_queries = false;
  matching::ImageMatchOptions options;
};

constexpr uint64_t kUnrelatedBase = 1'000'000;

hashing::PixelView View(const Rgb& im) {
  return {im.pixels.data(), im.width, im.height, 3, static_cast<size_t>(im.width) * 3};
}

struct Hashed {
  hashing::PdqDihedralHashes pdq;
  std::optional<hashing::ImageSignals> signals;
};

Hashed HashImage(const Rgb& im, bool dihedral, hashing::PdqHasher& pdq,
                 hashing::SignalExtractor& extractor,
                 hashing::RegionChoice regions = hashing::RegionChoice::kAll) {
  Hashed out;
  out.pdq = pdq.HashDihedral(View(im));
  auto signals = extractor.Extract(View(im), dihedral, regions);
  if (signals.ok()) out.signals = std::move(*signals);
  return out;
}

// Runs fn(i) for i in [0, n) on `threads` threads.
template <typename Fn>
void Parallel(size_t n, unsigned threads, Fn&& fn) {
  std::atomic<size_t> next{0};
  std::vector<std::jthread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) fn(i);
    });
  }
}

struct Row {
  size_t total = 0, pdq_matched = 0, matched = 0, strong = 0, region_only = 0;
  size_t pdq_false = 0, false_originals = 0, false_unrelated = 0, false_strong = 0;
};

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void RunHalf(const Flags& flags, const std::vector<Rgb>& photos, int half) {
  std::vector<size_t> mine, others;
  for (size_t i = 0; i < photos.size(); ++i)
    (i % 2 == static_cast<size_t>(half) ? mine : others).push_back(i);
  const char* label = half == 0 ? "A (thresholds chosen on this half)" : "B (held out)";
  std::fprintf(stderr, "half %c: hashing %zu originals and %zu unrelated images\n", 'A' + half,
               mine.size(), flags.unrelated);

  // The bank: originals (id = photo index) then unrelated sets.
  const size_t n = mine.size() + flags.unrelated;
  std::vector<Hashed> bank(n);
  Parallel(n, flags.threads, [&](size_t i) {
    thread_local hashing::PdqHasher pdq;
    thread_local hashing::SignalExtractor extractor;
    if (i < mine.size()) {
      bank[i] = HashImage(photos[mine[i]], false, pdq, extractor);
      return;
    }
    std::mt19937_64 rng(0x5eed0000 + i * 7919 + half);
    const Rgb& a = photos[others[rng() % others.size()]];
    const Rgb& b = photos[others[rng() % others.size()]];
    bank[i] = HashImage(bench::UnrelatedImage(a, b, rng), false, pdq, extractor);
  });
  matching::BankColumns columns;
  std::vector<std::pair<uint64_t, uint64_t>> id_owner;
  std::vector<hashing::ImageSignals> signals;
  size_t region_hashes = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t id = i < mine.size() ? mine[i] : kUnrelatedBase + i;
    columns.hashes.push_back(bank[i].pdq.hashes[0]);
    columns.ids.push_back(id);
    columns.owners.push_back(id);
    columns.qualities.push_back(static_cast<uint8_t>(bank[i].pdq.quality));
    if (bank[i].signals) {
      id_owner.emplace_back(id, id);
      region_hashes += bank[i].signals->regions.size();
      signals.push_back(std::move(*bank[i].signals));
    }
  }
  bank.clear();
  auto pdq_bank = matching::HashBank::FromColumns(std::move(columns));
  auto region_bank = matching::RegionBank::FromSignals(id_owner, signals);
  if (!pdq_bank.ok() || !region_bank.ok()) {
    std::fprintf(stderr, "cannot build the banks\n");
    std::exit(1);
  }
  signals.clear();

  const auto suite = bench::TransformSuite();
  std::vector<Row> rows(suite.size());
  std::mutex rows_mutex;
  std::map<int, size_t> false_distances;
  Parallel(mine.size() * suite.size(), flags.threads, [&](size_t job) {
    thread_local hashing::PdqHasher pdq;
    thread_local hashing::SignalExtractor extractor;
    const size_t p = job / suite.size(), t = job % suite.size();
    std::mt19937_64 rng(0xC0FFEE + mine[p] * 131 + t);
    bench::Fillers fillers;
    for (int f = 0; f < 3; ++f) fillers.photos.push_back(&photos[others[rng() % others.size()]]);
    const Rgb copy =
        bench::JpegRoundTrip(suite[t].apply(photos[mine[p]], fillers, rng), suite[t].jpeg_quality);
    const Hashed q = flags.crawler_queries ? HashImage(copy, false, pdq, extractor,
                                                       hashing::RegionChoice::kWholeAndCells)
                                           : HashImage(copy, true, pdq, extractor);
    matching::ImageQuery query;
    query.pdq.assign(q.pdq.hashes.begin(), q.pdq.hashes.end());
    query.pdq_quality = q.pdq.quality;
    query.signals = q.signals;
    const auto matches = matching::MatchImage(*pdq_bank, *region_bank, query, flags.options);
    Row r;
    r.total = 1;
    bool own = false, own_pdq = false, own_strong = false;
    bool pdq_false = false, false_original = false, false_unrelated = false, false_strong = false;
    std::vector<int> distances;
    for (const auto& m : matches) {
      if (m.id == mine[p]) {
        own = true;
        own_pdq = own_pdq || m.pdq.has_value();
        own_strong = m.AllowsAutomaticAction();
        continue;
      }
      pdq_false = pdq_false || m.pdq.has_value();
      (m.id >= kUnrelatedBase ? false_unrelated : false_original) = true;
      false_strong = false_strong || m.AllowsAutomaticAction();
      if (!m.regions.empty()) distances.push_back(m.regions.front().distance);
    }
    r.matched = own, r.pdq_matched = own_pdq, r.strong = own_strong,
    r.region_only = own && !own_pdq;
    r.pdq_false = pdq_false, r.false_originals = false_original,
    r.false_unrelated = false_unrelated;
    r.false_strong = false_strong;
    std::lock_guard lock(rows_mutex);
    Row& row = rows[t];
    row.total += r.total, row.pdq_matched += r.pdq_matched, row.matched += r.matched;
    row.strong += r.strong, row.region_only += r.region_only, row.pdq_false += r.pdq_false;
    row.false_originals += r.false_originals, row.false_unrelated += r.false_unrelated;
    row.false_strong += r.false_strong;
    for (int d : distances) ++false_distances[d];
  });

  std::printf(
      "\n### Half %s: %zu originals, %zu unrelated signal sets (%zu region hashes banked)\n\n",
      label, mine.size(), flags.unrelated, region_hashes);
  std::printf(
      "| transform | PDQ --dihedral matched | PDQ + regions matched | of which strong | "
      "false: PDQ | false: PDQ + regions (originals / unrelated / strong) |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  Row sum;
  auto pct = [](size_t a, size_t b) {
    return b == 0 ? 0.0 : 100.0 * static_cast<double>(a) / static_cast<double>(b);
  };
  for (size_t t = 0; t < suite.size(); ++t) {
    const Row& r = rows[t];
    std::printf("| %s | %zu/%zu | %zu/%zu | %zu | %zu | %zu / %zu / %zu |\n", suite[t].name.c_str(),
                r.pdq_matched, r.total, r.matched, r.total, r.strong, r.pdq_false,
                r.false_originals, r.false_unrelated, r.false_strong);
    sum.total += r.total, sum.pdq_matched += r.pdq_matched, sum.matched += r.matched;
    sum.strong += r.strong, sum.pdq_false += r.pdq_false, sum.false_originals += r.false_originals;
    sum.false_unrelated += r.false_unrelated, sum.false_strong += r.false_strong;
  }
  std::printf(
      "| **all** | **%zu/%zu (%.1f%%)** | **%zu/%zu (%.1f%%)** | %zu (%.1f%%) | %zu | %zu / %zu / "
      "%zu |\n",
      sum.pdq_matched, sum.total, pct(sum.pdq_matched, sum.total), sum.matched, sum.total,
      pct(sum.matched, sum.total), sum.strong, pct(sum.strong, sum.total), sum.pdq_false,
      sum.false_originals, sum.false_unrelated, sum.false_strong);
  const double pairs = static_cast<double>(sum.total) * static_cast<double>(n - 1);
  std::printf("\nImage pairs compared: %zu queries x %zu banked signal sets = %.3g. ", sum.total,
              n - 1, pairs);
  const size_t falses = sum.false_originals + sum.false_unrelated;
  std::printf("Queries with a false match: %zu; per image pair %s %.3g (%s).\n", falses,
              falses == 0 ? "<=" : "~",
              falses == 0 ? 3.0 / pairs : static_cast<double>(falses) / pairs,
              falses == 0 ? "95% upper bound, rule of three" : "observed rate");
  if (!false_distances.empty()) {
    std::printf("False matches' nearest region distance:");
    for (auto [d, c] : false_distances) std::printf(" %d:%zu", d, c);
    std::printf("\n");
  }
}

// Time per photo: PDQ alone, and PDQ plus the region signals (bank side: no variants).
void Timing(const std::vector<Rgb>& photos) {
  hashing::PdqHasher pdq;
  hashing::SignalExtractor extractor;
  double t_pdq = 1e30, t_both = 1e30;
  size_t bytes = 0, count = 0;
  for (int repeat = 0; repeat < 3; ++repeat) {
    double t0 = Now();
    for (const Rgb& im : photos) pdq.Hash(View(im));
    t_pdq = std::min(t_pdq, Now() - t0);
    t0 = Now();
    bytes = 0, count = 0;
    for (const Rgb& im : photos) {
      pdq.Hash(View(im));
      auto s = extractor.Extract(View(im), false);
      if (s.ok()) bytes += s->regions.size() * (32 + 2) + 16, ++count;
    }
    t_both = std::min(t_both, Now() - t0);
  }
  std::printf(
      "\nPer photo (%zu photos, one thread, pixels already decoded): PDQ %.3f ms, PDQ + "
      "region signals %.3f ms (%.2fx); region signals %.0f bytes on average.\n",
      photos.size(), 1e3 * t_pdq / static_cast<double>(photos.size()),
      1e3 * t_both / static_cast<double>(photos.size()), t_both / t_pdq,
      count == 0 ? 0.0 : static_cast<double>(bytes) / static_cast<double>(count));
}

// How much of a photo its signals give back (docs/hashing.md): the naive inverse of each region
// hash (its bits as +-1 DCT coefficients, inverse-transformed to 64x64 and laid over its
// rectangle of a 64x64 grid of the content) averaged over all regions, correlated with the
// content's own 64x64 grey thumbnail; beside the whole-image hash alone, and beside block
// thumbnails of the photo itself for scale.
void Rebuild(const std::vector<Rgb>& photos) {
  constexpr int n = 64;
  const auto& d = hashing::internal::DctMatrix();
  auto correlation = [](const std::vector<double>& a, const std::vector<double>& b) {
    double ma = 0, mb = 0;
    for (size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
    ma /= static_cast<double>(a.size()), mb /= static_cast<double>(b.size());
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      ab += (a[i] - ma) * (b[i] - mb), aa += (a[i] - ma) * (a[i] - ma),
          bb += (b[i] - mb) * (b[i] - mb);
    }
    return aa == 0 || bb == 0 ? 0.0 : ab / std::sqrt(aa * bb);
  };
  hashing::SignalExtractor extractor;
  double whole_sum = 0, all_sum = 0;
  std::map<int, double> block_sum;
  size_t count = 0;
  for (const Rgb& im : photos) {
    auto s = extractor.Extract(View(im), false);
    if (!s.ok()) continue;
    // The content's 64x64 thumbnail (grey, area average of the content box).
    std::vector<double> truth(n * n, 0), cells(n * n, 0);
    const hashing::Box& c = s->content;
    for (int y = c.y; y < c.y + c.height; ++y) {
      for (int x = c.x; x < c.x + c.width; ++x) {
        const uint8_t* p = im.pixels.data() + (static_cast<size_t>(y) * im.width + x) * 3;
        const int cell = (y - c.y) * n / c.height * n + (x - c.x) * n / c.width;
        truth[cell] += 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
        cells[cell] += 1;
      }
    }
    for (int i = 0; i < n * n; ++i) truth[i] = cells[i] > 0 ? truth[i] / cells[i] : 0;
    std::vector<double> all(n * n, 0), weight(n * n, 0), whole;
    for (const auto& region : s->regions) {
      if (region.region & hashing::kUntrimmedRegion) continue;
      std::vector<double> patch(n * n, 0);
      for (int i = 0; i < 16; ++i) {
        for (int j = 0; j < 16; ++j) {
          const double sign = region.hash.bit(i * 16 + j) ? 1 : -1;
          for (int y = 0; y < n; ++y) {
            for (int x = 0; x < n; ++x) patch[y * n + x] += sign * d[i * n + y] * d[j * n + x];
          }
        }
      }
      if (region.region == hashing::kWholeRegion) whole = patch;
      const auto& spec = hashing::kRegions[region.region];
      for (int y = spec.y0 * n / 1000; y < spec.y1 * n / 1000; ++y) {
        for (int x = spec.x0 * n / 1000; x < spec.x1 * n / 1000; ++x) {
          const int py = (y - spec.y0 * n / 1000) * n / std::max(1, (spec.y1 - spec.y0) * n / 1000);
          const int px = (x - spec.x0 * n / 1000) * n / std::max(1, (spec.x1 - spec.x0) * n / 1000);
          all[y * n + x] += patch[py * n + px];
          weight[y * n + x] += 1;
        }
      }
    }
    for (int i = 0; i < n * n; ++i) all[i] = weight[i] > 0 ? all[i] / weight[i] : 0;
    whole_sum += correlation(whole, truth);
    all_sum += correlation(all, truth);
    for (int block : {4, 8, 16}) {
      std::vector<double> thumb(n * n, 0);
      const int k = n / block;
      for (int y = 0; y < n; ++y) {
        for (int x = 0; x < n; ++x) {
          double sum = 0;
          for (int dy = 0; dy < k; ++dy) {
            for (int dx = 0; dx < k; ++dx) sum += truth[(y / k * k + dy) * n + x / k * k + dx];
          }
          thumb[y * n + x] = sum / (k * k);
        }
      }
      block_sum[block] += correlation(thumb, truth);
    }
    ++count;
  }
  const double m = static_cast<double>(std::max<size_t>(1, count));
  std::printf(
      "\nRebuilding (%zu photos): correlation with the content's 64x64 grey thumbnail of the "
      "naive inverse of the whole-content hash %.2f, of all trimmed-content region hashes "
      "%.2f; of the photo's own 4x4, 8x8 and 16x16 thumbnails %.2f, %.2f, %.2f.\n",
      count, whole_sum / m, all_sum / m, block_sum[4] / m, block_sum[8] / m, block_sum[16] / m);
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--corpus")
      flags.corpus = next();
    else if (a == "--unrelated")
      flags.unrelated = std::stoul(next());
    else if (a == "--threads")
      flags.threads = static_cast<unsigned>(std::stoul(next()));
    else if (a == "--halves")
      flags.halves = next();
    else if (a == "--region-radius")
      flags.options.region_radius = std::stoi(next());
    else if (a == "--strong-radius")
      flags.options.strong_region_radius = std::stoi(next());
    else if (a == "--min-region-quality")
      flags.options.min_region_quality = std::stoi(next());
    else if (a == "--crawler-queries")
      flags.crawler_queries = next() == "1";
    else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  if (flags.corpus.empty()) {
    std::fprintf(stderr, "usage: robust_bench --corpus DIR [--unrelated N] [--threads T]\n");
    return 2;
  }
  const std::vector<Rgb> photos = bench::LoadPhotos(flags.corpus);
  std::printf(
      "## robust_bench: %zu photos, %zu transforms, region radius %d (strong %d), region "
      "quality >= %d, PDQ radius %d\n",
      photos.size(), bench::TransformSuite().size(), flags.options.region_radius,
      flags.options.strong_region_radius, flags.options.min_region_quality,
      flags.options.pdq.radius);
  Timing(photos);
  Rebuild(photos);
  for (char h : flags.halves) RunHalf(flags, photos, h == 'B' ? 1 : 0);
  return 0;
}
