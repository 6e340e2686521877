#include "matching/bank_file.h"

#include <xxhash.h>

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace takedown::matching {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the bank file is little-endian and read without conversion");
static_assert(sizeof(hashing::Hash256) == 32);

constexpr char kMagic[8] = {'T', 'K', 'D', 'N', 'B', 'A', 'N', 'K'};
constexpr size_t kHeaderBytes = 32;
constexpr size_t kBytesPerEntry = 32 + 8 + 8 + 1;

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t reserved;
  uint64_t count;
  uint64_t checksum;
};
static_assert(sizeof(Header) == kHeaderBytes);

using File = std::unique_ptr<FILE, int (*)(FILE*)>;

template <typename T>
std::span<const uint8_t> Bytes(const std::vector<T>& v) {
  return {reinterpret_cast<const uint8_t*>(v.data()), v.size() * sizeof(T)};
}

template <typename T>
std::span<uint8_t> Bytes(std::vector<T>& v) {
  return {reinterpret_cast<uint8_t*>(v.data()), v.size() * sizeof(T)};
}

Status OpenError(const std::filesystem::path& path, int err) {
  if (err == ENOENT) return NotFound("no such bank file: " + path.string());
  if (err == EACCES || err == EPERM) return PermissionDenied("permission denied: " + path.string());
  return IoError("cannot open " + path.string() + ": " + std::strerror(err));
}

}  // namespace

Status WriteBankFile(const std::filesystem::path& path, const HashBank& bank) {
  const BankColumns columns = bank.ExportColumns();
  const std::span<const uint8_t> sections[] = {Bytes(columns.hashes), Bytes(columns.ids),
                                               Bytes(columns.owners), Bytes(columns.qualities)};
  XXH3_state_t* state = XXH3_createState();
  if (state == nullptr) return Internal("out of memory");
  XXH3_64bits_reset(state);
  for (auto section : sections) XXH3_64bits_update(state, section.data(), section.size());
  Header header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = kBankFileVersion;
  header.count = columns.hashes.size();
  header.checksum = XXH3_64bits_digest(state);
  XXH3_freeState(state);

  const std::filesystem::path temporary = path.string() + ".tmp";
  File file(std::fopen(temporary.c_str(), "wb"), &std::fclose);
  if (!file) return OpenError(temporary, errno);
  bool ok = std::fwrite(&header, sizeof header, 1, file.get()) == 1;
  for (auto section : sections) {
    ok = ok && std::fwrite(section.data(), 1, section.size(), file.get()) == section.size();
  }
  ok = std::fflush(file.get()) == 0 && ok;
  ok = std::fclose(file.release()) == 0 && ok;
  std::error_code ec;
  if (ok) std::filesystem::rename(temporary, path, ec);
  if (!ok || ec) {
    std::filesystem::remove(temporary, ec);
    return IoError("could not write the bank file " + path.string());
  }
  return Status::Ok();
}

Result<HashBank> ReadBankFile(const std::filesystem::path& path) {
  File file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return OpenError(path, errno);
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return IoError("cannot read the size of " + path.string());

  Header header{};
  if (size < kHeaderBytes || std::fread(&header, sizeof header, 1, file.get()) != 1 ||
      std::memcmp(header.magic, kMagic, sizeof kMagic) != 0) {
    return Corrupt(path.string() + " is not a Takedown bank file");
  }
  if (header.version > kBankFileVersion) {
    return Unsupported(path.string() + " is a version " + std::to_string(header.version) +
                       " bank file; this build reads up to version " +
                       std::to_string(kBankFileVersion));
  }
  if (header.version == 0 || header.reserved != 0) {
    return Corrupt("the bank file " + path.string() + " has a damaged header");
  }
  // The size must be exact before anything is allocated from the header's count.
  const uint64_t body = size - kHeaderBytes;
  if (header.count > body / kBytesPerEntry) {
    return Corrupt("the bank file " + path.string() + " is truncated");
  }
  if (body != header.count * kBytesPerEntry) {
    return Corrupt("the bank file " + path.string() + " has bytes after its last entry");
  }
  BankColumns columns;
  const size_t n = header.count;
  columns.hashes.resize(n);
  columns.ids.resize(n);
  columns.owners.resize(n);
  columns.qualities.resize(n);
  XXH3_state_t* state = XXH3_createState();
  if (state == nullptr) return Internal("out of memory");
  XXH3_64bits_reset(state);
  bool read_ok = true;
  for (auto section : {Bytes(columns.hashes), Bytes(columns.ids), Bytes(columns.owners),
                       Bytes(columns.qualities)}) {
    read_ok =
        read_ok && std::fread(section.data(), 1, section.size(), file.get()) == section.size();
    XXH3_64bits_update(state, section.data(), section.size());
  }
  const uint64_t checksum = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  if (!read_ok) return IoError("could not read all of " + path.string());
  if (checksum != header.checksum) {
    return Corrupt("the bank file " + path.string() + " is damaged (checksum mismatch)");
  }
  auto bank = HashBank::FromColumns(std::move(columns));
  if (!bank.ok())
    return Corrupt("the bank file " + path.string() + " is damaged: " + bank.status().message());
  return bank;
}

}  // namespace takedown::matching
