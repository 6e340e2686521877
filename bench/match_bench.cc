// match_bench: exact radius search at 1M and 10M hashes, one thread: our indexes beside FAISS
// IndexBinaryFlat and IndexBinaryMultiHash in the same run. Prints a table, then one JSON line.
//
// Usage: match_bench [--sizes 1000000,10000000] [--queries 500] [--radius 31]
// Data: uniform random 256-bit hashes; each query is a stored hash with 0..39 random bits flipped,
// so most queries have a true neighbour. Recall is measured against our flat scan (brute force).
#include <faiss/IndexBinaryFlat.h>
#include <faiss/IndexBinaryHash.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "matching/huge_pages.h"
#include "matching/index.h"

namespace {

using namespace takedown;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Resident memory of this process, from /proc (bytes).
double ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  double pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096.0;
}

struct Row {
  std::string name;
  double build_s = 0, qps = 0, recall = 0, bytes_per_hash = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<size_t> sizes = {1'000'000, 10'000'000};
  int queries = 500, radius = 31;
  bool peers = true;
  std::vector<std::string> indexes = {"flat", "multi16", "multi12"};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--sizes") {
      sizes.clear();
      std::stringstream list(argv[i + 1]);
      for (std::string item; std::getline(list, item, ',');) sizes.push_back(std::stoull(item));
    } else if (flag == "--queries") {
      queries = std::atoi(argv[i + 1]);
    } else if (flag == "--indexes") {
      indexes = {"flat"};
      std::stringstream list(argv[i + 1]);
      for (std::string item; std::getline(list, item, ',');) indexes.push_back(item);
    } else if (flag == "--peers") {
      peers = std::atoi(argv[i + 1]) != 0;
    } else if (flag == "--radius") {
      radius = std::atoi(argv[i + 1]);
    }
  }
  omp_set_num_threads(1);
  std::string json = "{\"radius\":" + std::to_string(radius);
  for (size_t n : sizes) {
    std::mt19937_64 rng(n);
    // Allocated as the bank allocates its hashes (2 MB pages), so the comparison is the bank's.
    matching::internal::HugeVector<hashing::Hash256> hashes(n);
    for (auto& h : hashes) {
      for (auto& lane : h.lanes) lane = rng();
    }
    std::vector<hashing::Hash256> qs(static_cast<size_t>(queries));
    for (int i = 0; i < queries; ++i) {
      qs[i] = hashes[rng() % n];
      for (int f = 0; f < i % 40; ++f) {
        const uint64_t bit = rng() % 256;
        qs[i].lanes[bit / 64] ^= uint64_t{1} << (bit % 64);
      }
    }
    std::vector<Row> rows;
    std::vector<std::vector<matching::Match>> truth(qs.size());
    size_t true_total = 0;
    for (const std::string& name : indexes) {
      Row row{std::string(name)};
      const double before = ResidentBytes();
      auto index = matching::MakeIndex(name);
      auto start = Clock::now();
      index->Build(hashes);
      row.build_s = Since(start);
      row.bytes_per_hash = 32.0 + (ResidentBytes() - before) / static_cast<double>(n);
      std::vector<matching::Match> got;
      size_t found = 0;
      start = Clock::now();
      for (size_t i = 0; i < qs.size(); ++i) {
        index->Search(qs[i], radius, &got);
        if (name == "flat") {
          truth[i] = got;
          true_total += got.size();
        }
        size_t hit = 0;
        for (const auto& m : got) {
          hit += std::binary_search(truth[i].begin(), truth[i].end(), m,
                                    [](const matching::Match& a, const matching::Match& b) {
                                      return a.distance != b.distance ? a.distance < b.distance
                                                                      : a.position < b.position;
                                    });
        }
        found += hit;
      }
      row.qps = static_cast<double>(qs.size()) / Since(start);
      row.recall = true_total ? static_cast<double>(found) / static_cast<double>(true_total) : 1.0;
      rows.push_back(row);
    }
    const auto* data = reinterpret_cast<const uint8_t*>(hashes.data());
    const auto* qdata = reinterpret_cast<const uint8_t*>(qs.data());
    auto faiss_row = [&](const std::string& name, faiss::IndexBinary& index) {
      Row row{name};
      const double before = ResidentBytes();
      auto start = Clock::now();
      index.add(static_cast<faiss::IndexBinary::idx_t>(n), data);
      row.build_s = Since(start);
      row.bytes_per_hash = (ResidentBytes() - before) / static_cast<double>(n);
      faiss::RangeSearchResult result(static_cast<faiss::IndexBinary::idx_t>(qs.size()));
      start = Clock::now();
      // FAISS's radius is exclusive: distance < radius.
      index.range_search(static_cast<faiss::IndexBinary::idx_t>(qs.size()), qdata, radius + 1,
                         &result);
      row.qps = static_cast<double>(qs.size()) / Since(start);
      row.recall =
          true_total ? static_cast<double>(result.lims[qs.size()]) / static_cast<double>(true_total)
                     : 1.0;
      rows.push_back(row);
    };
    if (peers) {
      faiss::IndexBinaryFlat flat(256);
      faiss_row("faiss IndexBinaryFlat", flat);
    }
    if (peers) {
      faiss::IndexBinaryMultiHash multi(256, 16, 16);
      multi.nflip = radius / 16;  // the same pigeonhole bound as ours: exact
      faiss_row("faiss IndexBinaryMultiHash 16x16", multi);
    }
    std::printf("\n%zu hashes, radius %d, %d queries (%zu true matches), one thread\n\n", n, radius,
                queries, true_total);
    std::printf("| %-34s | %9s | %10s | %7s | %12s |\n", "index", "build s", "queries/s", "recall",
                "bytes/hash");
    std::printf("|%s|----------:|-----------:|--------:|-------------:|\n",
                std::string(36, '-').c_str());
    for (const auto& r : rows) {
      std::printf("| %-34s | %9.2f | %10.1f | %6.1f%% | %12.1f |\n", r.name.c_str(), r.build_s,
                  r.qps, 100 * r.recall, r.bytes_per_hash);
    }
    // The index ChooseIndex picks at this size is the one reported against the targets.
    const std::string chosen(matching::ChooseIndex(n, radius));
    const Row* ours = &rows[0];
    const Row *faiss_flat = nullptr, *faiss_multi = nullptr;
    for (const Row& r : rows) {
      if (r.name == chosen) ours = &r;
      if (r.name.starts_with("faiss IndexBinaryFlat")) faiss_flat = &r;
      if (r.name.starts_with("faiss IndexBinaryMultiHash")) faiss_multi = &r;
    }
    const double vs_flat = faiss_flat ? ours->qps / faiss_flat->qps : 0;
    const double vs_multi = faiss_multi ? ours->qps / faiss_multi->qps : 0;
    std::printf("\n%s (chosen): %.1fx faiss flat, %.1fx faiss multihash\n", ours->name.c_str(),
                vs_flat, vs_multi);
    char entry[512];
    std::snprintf(entry, sizeof entry,
                  ",\"n%zu\":{\"index\":\"%s\",\"qps\":%.1f,\"recall\":%.4f,"
                  "\"bytes_per_hash\":%.1f,\"build_s\":%.2f,\"vs_faiss_flat\":%.1f,"
                  "\"vs_faiss_multihash\":%.1f}",
                  n, ours->name.c_str(), ours->qps, ours->recall, ours->bytes_per_hash,
                  ours->build_s, vs_flat, vs_multi);
    json += entry;
  }
  std::printf("%s}\n", json.c_str());
  return 0;
}
