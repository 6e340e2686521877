// Cryptographic digests of file bytes, for exact-match interoperability with hash lists that carry
// MD5 or SHA-256 (StopNCII's video list, NCMEC). Backed by OpenSSL's libcrypto on native builds;
// the browser build computes them with its own primitives, so this header is not part of the wasm
// core.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "base/status.h"

namespace takedown::hashing {

struct FileDigests {
  std::string md5;     // 32 lowercase hex characters
  std::string sha256;  // 64 lowercase hex characters
};

// Thread-safe: no shared state.
FileDigests ComputeDigests(std::span<const uint8_t> bytes);

// Both digests of a file read in chunks, for files too large to hold in memory (videos).
// kIoError when it cannot be read. Thread-safe.
Result<FileDigests> ComputeFileDigests(const std::filesystem::path& path);

}  // namespace takedown::hashing
