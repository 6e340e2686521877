// match_bench: exact radius search at 1M and 10M hashes, one thread: our indexes beside FAISS
// IndexBinaryFlat and IndexBinaryMultiHash in the same run. Prints a table per data set, then one
// JSON line.
//
// Usage: match_bench [--sizes 1000000,10000000] [--queries 500] [--radius 31]
//                    [--indexes multi16,multi12] [--peers 0|1]
//                    [--corpus DIR --real-sizes 1000000] [--work DIR]
// Data: "uniform": random 256-bit hashes, a tenth of them planted near-duplicates (0..32 bits) of
// earlier ones; each query is a stored hash with 0..39 random bits flipped, so most have a true
// neighbour. "real": PDQ hashes of the dev corpus photos under many transformations (see
// real_hashes.h). Recall is measured against our flat scan (brute force). The chosen index (by
// ChooseIndex) is also written to a bank file and loaded back, timed.
#include <faiss/IndexBinaryFlat.h>
#include <faiss/IndexBinaryHash.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <malloc.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "matching/bank_file.h"
#include "matching/huge_pages.h"
#include "matching/index.h"
#include "real_hashes.h"

namespace {

using namespace takedown;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Bytes the heap has handed out (mmapped blocks included) on this thread's arena: every index is
// built on the main thread, so the difference across a build is what that index holds, even when
// it reuses memory an earlier one freed (which a resident-set delta would miss).
double AllocatedBytes() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<double>(info.uordblks + info.hblkhd);
}

struct Row {
  std::string name;
  double build_s = 0, qps = 0, recall = 0, bytes_per_hash = 0;
};

struct Dataset {
  std::string label;  // "uniform" or "real"
  matching::internal::HugeVector<hashing::Hash256> hashes;
  std::vector<hashing::Hash256> queries;
};

struct Options {
  int radius = 31;
  bool peers = true;
  std::vector<std::string> indexes = {"multi16", "multi12"};
  std::string work = "/tmp";
};

Dataset Uniform(size_t n, int queries) {
  Dataset d{"uniform", {}, {}};
  std::mt19937_64 rng(n);
  d.hashes.resize(n);
  for (size_t i = 0; i < n; ++i) {
    auto& h = d.hashes[i];
    if (i >= 100 && i % 10 == 0) {
      h = d.hashes[rng() % i];
      for (int f = static_cast<int>(rng() % 33); f > 0; --f) {
        const uint64_t bit = rng() % 256;
        h.lanes[bit / 64] ^= uint64_t{1} << (bit % 64);
      }
    } else {
      for (auto& lane : h.lanes) lane = rng();
    }
  }
  d.queries.resize(static_cast<size_t>(queries));
  for (int i = 0; i < queries; ++i) {
    d.queries[i] = d.hashes[rng() % n];
    for (int f = 0; f < i % 40; ++f) {
      const uint64_t bit = rng() % 256;
      d.queries[i].lanes[bit / 64] ^= uint64_t{1} << (bit % 64);
    }
  }
  return d;
}

// Writes the hashes as a bank (the chosen index built in) and times loading it back.
double BankLoadSeconds(const Dataset& d, const std::string& work) {
  matching::BankColumns columns;
  columns.hashes.assign(d.hashes.begin(), d.hashes.end());
  for (size_t i = 0; i < d.hashes.size(); ++i) columns.ids.push_back(i + 1);
  columns.owners.assign(d.hashes.size(), 0);
  columns.qualities.assign(d.hashes.size(), 100);
  const std::string path = work + "/match_bench.tdb";
  {
    auto bank = matching::HashBank::FromColumns(std::move(columns));
    if (!bank.ok() || !matching::WriteBankFile(path, *bank).ok()) return -1;
  }
  const auto start = Clock::now();
  auto loaded = matching::ReadBankFile(path);
  const double seconds = Since(start);
  std::filesystem::remove(path);
  return loaded.ok() ? seconds : -1;
}

bool ByDistanceThenPosition(const matching::Match& a, const matching::Match& b) {
  return a.distance != b.distance ? a.distance < b.distance : a.position < b.position;
}

// Runs every index and peer over one data set; prints the table and returns its JSON member.
std::string Run(const Dataset& d, const Options& options) {
  const size_t n = d.hashes.size();
  const int radius = options.radius;
  const std::string chosen(matching::ChooseIndex(n, radius));
  std::vector<std::string> names = {"flat"};
  for (const auto& name : options.indexes) names.push_back(name);
  if (std::find(names.begin(), names.end(), chosen) == names.end()) names.push_back(chosen);
  std::vector<Row> rows;
  std::vector<std::vector<matching::Match>> truth(d.queries.size());
  size_t true_total = 0;
  for (const std::string& name : names) {
    Row row{name};
    const double before = AllocatedBytes();
    auto index = matching::MakeIndex(name);
    if (!index) {
      std::fprintf(stderr, "unknown index %s\n", name.c_str());
      continue;
    }
    auto start = Clock::now();
    index->Build(d.hashes);
    row.build_s = Since(start);
    row.bytes_per_hash = 32.0 + (AllocatedBytes() - before) / static_cast<double>(n);
    std::vector<matching::Match> got;
    size_t found = 0;
    start = Clock::now();
    for (size_t i = 0; i < d.queries.size(); ++i) {
      index->Search(d.queries[i], radius, &got);
      if (name == "flat") {
        truth[i] = got;
        true_total += got.size();
      }
      for (const auto& m : got) {
        found += std::binary_search(truth[i].begin(), truth[i].end(), m, ByDistanceThenPosition);
      }
    }
    row.qps = static_cast<double>(d.queries.size()) / Since(start);
    row.recall = true_total ? static_cast<double>(found) / static_cast<double>(true_total) : 1.0;
    rows.push_back(row);
  }
  const auto* data = reinterpret_cast<const uint8_t*>(d.hashes.data());
  const auto* qdata = reinterpret_cast<const uint8_t*>(d.queries.data());
  const auto queries = static_cast<faiss::IndexBinary::idx_t>(d.queries.size());
  auto faiss_row = [&](const std::string& name, faiss::IndexBinary& index) {
    Row row{name};
    const double before = AllocatedBytes();
    auto start = Clock::now();
    index.add(static_cast<faiss::IndexBinary::idx_t>(n), data);
    row.build_s = Since(start);
    row.bytes_per_hash = (AllocatedBytes() - before) / static_cast<double>(n);
    faiss::RangeSearchResult result(queries);
    start = Clock::now();
    // FAISS's radius is exclusive: distance < radius.
    index.range_search(queries, qdata, radius + 1, &result);
    row.qps = static_cast<double>(queries) / Since(start);
    row.recall = true_total
                     ? static_cast<double>(result.lims[queries]) / static_cast<double>(true_total)
                     : 1.0;
    rows.push_back(row);
  };
  if (options.peers) {
    faiss::IndexBinaryFlat flat(256);
    faiss_row("faiss IndexBinaryFlat", flat);
  }
  if (options.peers) {
    faiss::IndexBinaryMultiHash multi(256, 16, 16);
    multi.nflip = radius / 16;  // the same pigeonhole bound as ours: exact
    faiss_row("faiss IndexBinaryMultiHash 16x16", multi);
  }
  const double load_s = BankLoadSeconds(d, options.work);

  std::printf("\n%s: %zu hashes, radius %d, %zu queries (%zu true matches), one thread\n\n",
              d.label.c_str(), n, radius, d.queries.size(), true_total);
  std::printf("| %-34s | %9s | %10s | %7s | %12s |\n", "index", "build s", "queries/s", "recall",
              "bytes/hash");
  std::printf("|%s|----------:|-----------:|--------:|-------------:|\n",
              std::string(36, '-').c_str());
  for (const auto& r : rows) {
    std::printf("| %-34s | %9.2f | %10.1f | %6.1f%% | %12.1f |\n", r.name.c_str(), r.build_s, r.qps,
                100 * r.recall, r.bytes_per_hash);
  }
  const Row* ours = &rows[0];
  const Row *faiss_flat = nullptr, *faiss_multi = nullptr;
  for (const Row& r : rows) {
    if (r.name == chosen) ours = &r;
    if (r.name.starts_with("faiss IndexBinaryFlat")) faiss_flat = &r;
    if (r.name.starts_with("faiss IndexBinaryMultiHash")) faiss_multi = &r;
  }
  const double vs_flat = faiss_flat ? ours->qps / faiss_flat->qps : 0;
  const double vs_multi = faiss_multi ? ours->qps / faiss_multi->qps : 0;
  std::printf(
      "\nchosen: %s, %.1fx faiss flat, %.1fx faiss multihash; bank file of %zu loads in "
      "%.2f s\n",
      ours->name.c_str(), vs_flat, vs_multi, n, load_s);
  char entry[512];
  std::snprintf(entry, sizeof entry,
                ",\"%s_%zu\":{\"index\":\"%s\",\"qps\":%.1f,\"recall\":%.4f,"
                "\"bytes_per_hash\":%.1f,\"build_s\":%.2f,\"bank_load_s\":%.2f,"
                "\"vs_faiss_flat\":%.1f,\"vs_faiss_multihash\":%.1f}",
                d.label.c_str(), n, ours->name.c_str(), ours->qps, ours->recall,
                ours->bytes_per_hash, ours->build_s, load_s, vs_flat, vs_multi);
  return entry;
}

std::vector<size_t> ParseSizes(const char* text) {
  std::vector<size_t> sizes;
  std::stringstream list(text);
  for (std::string item; std::getline(list, item, ',');) sizes.push_back(std::stoull(item));
  return sizes;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<size_t> sizes = {1'000'000, 10'000'000}, real_sizes = {1'000'000};
  int queries = 500;
  std::string corpus;
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--sizes") {
      sizes = ParseSizes(argv[i + 1]);
    } else if (flag == "--real-sizes") {
      real_sizes = ParseSizes(argv[i + 1]);
    } else if (flag == "--queries") {
      queries = std::atoi(argv[i + 1]);
    } else if (flag == "--indexes") {
      options.indexes.clear();
      std::stringstream list(argv[i + 1]);
      for (std::string item; std::getline(list, item, ',');) options.indexes.push_back(item);
    } else if (flag == "--peers") {
      options.peers = std::atoi(argv[i + 1]) != 0;
    } else if (flag == "--radius") {
      options.radius = std::atoi(argv[i + 1]);
    } else if (flag == "--corpus") {
      corpus = argv[i + 1];
    } else if (flag == "--work") {
      options.work = argv[i + 1];
    }
  }
  omp_set_num_threads(1);
  std::string json = "{\"radius\":" + std::to_string(options.radius);
  for (size_t n : sizes) json += Run(Uniform(n, queries), options);
  if (!corpus.empty()) {
    for (size_t n : real_sizes) {
      const auto start = Clock::now();
      // Generation uses both cores; every search below runs on one thread.
      auto real = bench::MakeRealHashes(corpus, n, static_cast<size_t>(queries), 2);
      std::printf("\nreal: %zu hashes of %zu photos generated in %.0f s\n", real.stored.size(),
                  real.photos, Since(start));
      if (real.stored.empty()) continue;
      Dataset d{"real", {real.stored.begin(), real.stored.end()}, std::move(real.queries)};
      json += Run(d, options);
    }
  }
  std::printf("%s}\n", json.c_str());
  return 0;
}
