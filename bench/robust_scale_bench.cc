// robust_scale_bench (issue 18): match throughput with a million photos' signals banked, beside
// today's PDQ index. One thread; per query, the PDQ bank searched with the 8 dihedral variants
// (what matching did before the region signals) and MatchImage over PDQ and the region signals
// (the query's regions and their mirror); the time and memory each bank took to build.
//
// The banks: the dev corpus's photos (PDQ and region signals, full decode as a survivor's device
// computes them), then uniform random PDQ hashes and region signal sets, each with as many regions
// as a corpus photo has on average, up to --photos. Queries: corpus photos, each transformed by a
// transform of the suite drawn in turn (robust_transforms.h) and saved as a JPEG, then hashed. How
// many found their own photo is printed as a check that the banks were searched. Uniform random
// hashes are the kind an index handles best (real hashes cluster), so the rates are an upper bound
// for real data of this size.
//
// Usage: robust_scale_bench --corpus DIR [--photos 1000000] [--queries 400]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "hashing/signals.h"
#include "matching/region_bank.h"
#include "media/media.h"
#include "robust_transforms.h"

namespace {

namespace fs = std::filesystem;
using namespace takedown;
using bench::Rgb;

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Resident memory of this process, in GB (/proc/self/status).
double ResidentGb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) return std::atof(line.c_str() + 6) / 1024 / 1024;
  }
  return 0;
}

hashing::PixelView View(const Rgb& im) {
  return {im.pixels.data(), im.width, im.height, 3, static_cast<size_t>(im.width) * 3};
}

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "robust_scale_bench: %s\n", why.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus;
  size_t photos_banked = 1'000'000, query_count = 400;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--corpus") {
      corpus = value;
    } else if (flag == "--photos") {
      photos_banked = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--queries") {
      query_count = std::strtoull(value.c_str(), nullptr, 10);
    } else {
      corpus.clear();
      break;
    }
  }
  if (corpus.empty() || !fs::is_directory(corpus) || argc % 2 == 0) {
    std::fprintf(stderr,
                 "usage: robust_scale_bench --corpus DIR [--photos 1000000] [--queries 400]\n");
    return 2;
  }

  const std::vector<Rgb> photos = bench::LoadPhotos(corpus);
  if (photos.empty()) Fail("no photo in " + corpus);
  hashing::PdqHasher pdq;
  hashing::SignalExtractor extractor;

  // The corpus photos' own signals, as banked.
  matching::BankColumns pdq_columns, region_columns;
  size_t corpus_regions = 0;
  auto put = [](matching::BankColumns& c, const hashing::Hash256& h, uint64_t id, int quality) {
    c.hashes.push_back(h);
    c.ids.push_back(id);
    c.owners.push_back(id);
    c.qualities.push_back(static_cast<uint8_t>(quality));
  };
  for (size_t i = 0; i < photos.size(); ++i) {
    const hashing::PdqHash whole = pdq.Hash(View(photos[i]));
    put(pdq_columns, whole.hash, i + 1, whole.quality);
    auto signals = extractor.Extract(View(photos[i]), false);
    if (!signals.ok()) continue;
    for (const hashing::RegionHash& r : signals->regions) {
      put(region_columns, r.hash, (i + 1) << 7 | r.region, r.quality);
    }
    corpus_regions += signals->regions.size();
  }
  const size_t per_photo = std::max<size_t>(1, corpus_regions / photos.size());
  std::fprintf(stderr, "robust_scale_bench: %zu corpus photos, %zu regions a photo on average\n",
               photos.size(), per_photo);

  // Uniform random signals for the rest, as many regions a photo as the corpus's mean: the
  // trimmed content's first, then the untrimmed image's. Each bank is generated and built in
  // turn, so that the memory each takes (columns, index and id map) is measured alone.
  std::mt19937_64 random(18);
  auto uniform = [&] {
    hashing::Hash256 h;
    for (auto& lane : h.lanes) lane = random();
    return h;
  };
  const double rss0 = ResidentGb(), t0 = Now();
  for (uint64_t id = photos.size() + 1; id <= photos_banked; ++id)
    put(pdq_columns, uniform(), id, 100);
  auto pdq_bank = matching::HashBank::FromColumns(std::move(pdq_columns));
  if (!pdq_bank.ok()) Fail(pdq_bank.status().message());
  const double t1 = Now(), rss1 = ResidentGb();
  for (uint64_t id = photos.size() + 1; id <= photos_banked; ++id) {
    for (size_t r = 0; r < per_photo; ++r) {
      const uint64_t region = r < hashing::kRegions.size()
                                  ? r
                                  : hashing::kUntrimmedRegion + (r - hashing::kRegions.size());
      put(region_columns, uniform(), id << 7 | region, 100);
    }
  }
  const size_t region_count = region_columns.ids.size();
  auto region_hashes = matching::HashBank::FromColumns(std::move(region_columns));
  if (!region_hashes.ok()) Fail(region_hashes.status().message());
  const double t2 = Now(), rss2 = ResidentGb();
  const matching::RegionBank regions(std::move(*region_hashes));

  // The queries: transformed copies of corpus photos, hashed as discovery hashes a medium.
  const auto suite = bench::TransformSuite();
  bench::Fillers fillers;
  for (const Rgb& p : photos) fillers.photos.push_back(&p);
  std::vector<matching::ImageQuery> queries;
  std::vector<uint64_t> truth;
  std::mt19937_64 rng(7);
  for (size_t q = 0; q < query_count; ++q) {
    const size_t photo = q * 7 % photos.size();
    const bench::Transform& t = suite[q % suite.size()];
    const Rgb copy = bench::JpegRoundTrip(t.apply(photos[photo], fillers, rng), t.jpeg_quality);
    const hashing::PdqDihedralHashes hashed = pdq.HashDihedral(View(copy));
    matching::ImageQuery query;
    query.pdq.assign(hashed.hashes.begin(), hashed.hashes.end());
    query.pdq_quality = hashed.quality;
    if (auto signals = extractor.Extract(View(copy), true); signals.ok()) {
      query.signals = std::move(*signals);
    }
    queries.push_back(std::move(query));
    truth.push_back(photo + 1);
  }

  size_t pdq_found = 0, found = 0;
  const double s0 = Now();
  for (size_t q = 0; q < queries.size(); ++q) {
    std::array<hashing::Hash256, 8> variants;
    std::copy(queries[q].pdq.begin(), queries[q].pdq.end(), variants.begin());
    for (const auto& m : pdq_bank->SearchDihedral(variants)) pdq_found += m.id == truth[q];
  }
  const double s1 = Now();
  for (size_t q = 0; q < queries.size(); ++q) {
    for (const auto& m : matching::MatchImage(*pdq_bank, regions, queries[q])) {
      found += m.id == truth[q];
    }
  }
  const double s2 = Now();

  const double n = static_cast<double>(queries.size());
  std::printf(
      "%zu photos banked (%zu from the dev corpus, the rest uniform random), %zu region hashes "
      "(%zu a photo); %zu queries (transformed corpus photos, JPEG); one thread.\n\n",
      photos_banked, photos.size(), region_count, per_photo, queries.size());
  std::printf(
      "| bank | hashes | index | generate + build s | memory GB | queries/s | ms/query | found "
      "their "
      "photo |\n|---|---:|---|---:|---:|---:|---:|---:|\n");
  std::printf("| PDQ, 8 dihedral variants (today) | %zu | %s | %.1f | %.2f | %.0f | %.3f | %zu |\n",
              pdq_bank->size(), std::string(pdq_bank->index_name()).c_str(), t1 - t0, rss1 - rss0,
              n / (s1 - s0), (s1 - s0) / n * 1e3, pdq_found);
  std::printf(
      "| PDQ + region signals (MatchImage) | %zu | %s | %.1f | %.2f | %.0f | %.3f | %zu |\n",
      regions.hashes().size(), std::string(regions.hashes().index_name()).c_str(), t2 - t1,
      rss2 - rss1, n / (s2 - s1), (s2 - s1) / n * 1e3, found);
  return 0;
}
