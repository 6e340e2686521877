// libFuzzer target over the bank file reader (a bank file may come from another machine or a
// damaged disk) and the region signals' text form (matching::RegionsFromText, read from the
// intake and the partner match API): any crash, sanitizer report, leak or timeout is a bug; an
// error Status is the expected outcome for most inputs. Each input's checksum is set right before
// it is read, so that mutations reach the sections behind it (a wrong checksum is refused first;
// the unit tests cover that). A bank that loads is searched, on both of its banks. With
// TAKEDOWN_WRITE_SEEDS=DIR in the environment it writes seed bank files (version 3 with and without
// region signals, an empty one, and a region signals' text) into DIR and exits (the Makefile's
// fuzz target).
#include <unistd.h>
#include <xxhash.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "matching/bank_file.h"
#include "matching/region_bank.h"

namespace {

using namespace takedown;

hashing::Hash256 Pattern(uint64_t i) { return {{i * 0x9E3779B97F4A7C15ull, ~i, i << 7, i * 31}}; }

void WriteSeeds(const std::string& dir) {
  matching::HashBank small;
  matching::RegionBank regions;
  for (uint64_t id = 1; id <= 40; ++id) {
    small.Put({id, Pattern(id), static_cast<int>(id * 2), id % 3});
    hashing::ImageSignals signals;
    for (uint8_t r = 0; r < 6; ++r) signals.regions.push_back({r, 80, Pattern(id * 64 + r)});
    (void)regions.Put(id, id % 3, signals);
  }
  (void)matching::WriteBankFile(dir + "/plain.tdb", small);
  (void)matching::WriteBankFile(dir + "/regions.tdb", small, &regions);
  (void)matching::WriteBankFile(dir + "/empty.tdb", matching::HashBank());
  hashing::ImageSignals one;
  for (uint8_t r = 0; r < 6; ++r) one.regions.push_back({r, 80, Pattern(r)});
  std::ofstream(dir + "/regions.txt") << matching::RegionsText(one);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("TAKEDOWN_WRITE_SEEDS")) {
    WriteSeeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The same bytes as region signals' text (what the intake and the match API take from anyone):
  // read back, it must write out as the same text, lowercased.
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto regions = matching::RegionsFromText(text); regions.ok()) {
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (matching::RegionsText(*regions) != lower) __builtin_trap();
  }
  // The reader takes a path: one file per process, rewritten for every input.
  static const std::string path = "/tmp/fuzz_bank_file." + std::to_string(getpid()) + ".tdb";
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.size() >= 32) {
    const uint64_t checksum = XXH3_64bits(bytes.data() + 32, bytes.size() - 32);
    std::memcpy(bytes.data() + 24, &checksum, 8);
  }
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return 0;
  const bool written = std::fwrite(bytes.data(), 1, size, file) == size;
  if (std::fclose(file) != 0 || !written) return 0;
  auto loaded = matching::ReadBankFileWithRegions(path);
  if (!loaded.ok()) return 0;
  (void)loaded->hashes.Search(Pattern(3), {.radius = 40, .min_quality = 0});
  hashing::ImageSignals query;
  query.regions.push_back({0, 90, Pattern(3 * 64)});
  (void)loaded->regions.Search(query);
  return 0;
}
