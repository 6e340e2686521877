// The bank file: a hash bank on disk, loaded with one sequential read. Versioned and checksummed;
// a truncated, damaged or foreign file is refused with a clear error, never half-loaded.
//
// Layout (little-endian), version 3 (versions 1, the columns alone, and 2, without region
// signals, are still read):
//   0  "TKDNBANK"        magic, 8 bytes
//   8  version   u32     3
//  12  reserved  u32     0
//  16  count     u64     entries
//  24  checksum  u64     XXH3-64 of every byte from offset 32 to the end
//  32  hashes    count x 32 bytes (each the four 64-bit lanes of Hash256, lane 0 first)
//      ids       count x u64
//      owners    count x u64
//      qualities count x u8
//      the index, built: u64 name length, name ("" for none, "flat", "multi12", ...),
//                u64 n, n x u64 descriptor, u64 k, k x u64 array lengths, the k arrays
//      the id map: u64 capacity, capacity x u64 ids, capacity x u32 (position + 1, 0: empty)
//      version 3: u64 region count, then (when not 0) the region bank (RegionBank::hashes(): ids
//      are
//                image id << 7 | region) laid out as the columns, index and id map above
//   From version 2 every field and array starts on a multiple of 8 bytes (zero padding).
// Loading reads the built index and id map instead of rebuilding them (10 million hashes: one
// read of about 1.1 GB instead of seconds of building), then checks them against the columns.
#pragma once

#include <filesystem>

#include "base/status.h"
#include "matching/hash_bank.h"
#include "matching/region_bank.h"

namespace takedown::matching {

inline constexpr uint32_t kBankFileVersion = 3;

// A bank file's contents: the PDQ bank and the region signals of its images (empty for files
// written before version 3 or without signals).
struct BankFileContents {
  HashBank hashes;
  RegionBank regions;
};

// Writes atomically: to a temporary file beside `path`, then renamed over it.
Status WriteBankFile(const std::filesystem::path& path, const HashBank& bank,
                     const RegionBank* regions = nullptr);

// Errors: kNotFound, kPermissionDenied, kIoError, kCorrupt (bad magic, truncated, trailing bytes,
// checksum mismatch, repeated ids, a region hash naming no region), kUnsupported (a newer version).
Result<BankFileContents> ReadBankFileWithRegions(const std::filesystem::path& path);
// The PDQ bank alone (the region section is still read and checked).
Result<HashBank> ReadBankFile(const std::filesystem::path& path);

}  // namespace takedown::matching
